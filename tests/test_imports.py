"""The direction of imports inside geo_news (DESIGN.md's layout): walks every module's imports, those inside
functions too, and checks there is no cycle and no module imports one above it."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

from .conftest import ROOT

PACKAGE = ROOT / "geo_news"

# what each module may import from geo_news (its top-level module or package); the faces (__init__, __main__,
# cli) may import anything
MAY_IMPORT = {
    "_version": set(),
    "exceptions": set(),
    "wordlists": set(),
    "views": set(),
    "lexicon": set(),
    "attributes": set(),
    "geo": set(),
    "model": {"geo"},
    "textio": {"exceptions"},
    "nlp": {"exceptions"},
    "gazetteer": {"_version", "exceptions", "geo", "model", "wordlists"},
    "resources": {"exceptions", "gazetteer"},
    "ranker": {"exceptions", "resources"},
    "recognize": {"exceptions", "resources", "wordlists"},
    "roles": {"attributes", "exceptions", "lexicon", "model"},
    "sense": {"attributes", "exceptions", "lexicon", "model", "resources", "roles"},
    "role_model": {"attributes", "exceptions", "lexicon", "model", "resources", "roles"},
    "extract": {"gazetteer", "lexicon", "model", "recognize", "resources", "wordlists"},
    "resolve": {"exceptions", "gazetteer", "geo", "lexicon", "model", "ranker", "resources"},
    "events": {"geo", "model"},
    # GeoParse draws its map in a notebook (explore_map, _repr_html_) through the drawer the face registers in
    # views: frames knows no map library
    "frames": {"events", "exceptions", "geo", "model", "views"},
    "offline": {"exceptions", "gazetteer"},
    "maps": {"exceptions", "frames", "gazetteer", "geo", "model", "offline", "textio"},
    "geocoders": {"exceptions", "gazetteer", "geo", "model"},
    "component": {"attributes", "exceptions", "extract", "gazetteer", "model", "resolve", "role_model", "roles",
                  "sense"},
    "pipeline": {"attributes", "events", "exceptions", "extract", "frames", "gazetteer", "geo", "lexicon", "model",
                 "nlp", "resolve", "role_model", "roles", "sense", "textio"},
    "batch": {"attributes", "exceptions", "frames", "gazetteer", "nlp", "pipeline", "textio"},
    "evaluate": {"exceptions", "geo", "pipeline"},
}
FACES = {"__init__", "__main__", "cli"}


def _top(module: str) -> str:
    """``geo_news.gazetteer.store`` -> ``gazetteer``; ``geo_news`` -> ``__init__``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Top-level module -> the top-level geo_news modules it imports (anywhere in its code)."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[:len(package.split(".")) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                targets = [target, *(f"{target}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            for t in targets:
                if t in modules and _top(t) != _top(name):
                    graph[_top(name)].add(_top(t))
    return graph


def test_every_module_has_a_place_in_the_layout():
    tops = {_top(_module_name(p)) for p in PACKAGE.rglob("*.py")}
    assert tops - FACES <= set(MAY_IMPORT), f"add to MAY_IMPORT: {sorted(tops - FACES - set(MAY_IMPORT))}"


def test_imports_go_one_way():
    wrong = sorted((a, b) for a, bs in import_graph().items() if a not in FACES for b in bs
                   if b not in MAY_IMPORT.get(a, set()))
    assert not wrong, f"imports against the layout (module, what it imports): {wrong}"


def test_no_import_cycle():
    graph = import_graph()
    seen: dict[str, int] = {}  # 1 on the current path, 2 done

    def visit(node: str, path: list[str]) -> list[str] | None:
        seen[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if seen.get(nxt) == 1:
                return path + [node, nxt]
            if nxt not in seen and (cycle := visit(nxt, path + [node])):
                return cycle
        seen[node] = 2
        return None

    for start in sorted(graph):
        if start not in seen:
            cycle = visit(start, [])
            assert cycle is None, " -> ".join(cycle)


def test_nothing_below_maps_knows_folium_and_offline_does_not_reach_into_maps():
    below = [m for m in MAY_IMPORT if "maps" not in MAY_IMPORT[m] and m not in {"maps", "offline"}]
    for path in PACKAGE.rglob("*.py"):
        top = _top(_module_name(path))
        text = path.read_text(encoding="utf-8")
        if top in below:
            assert "import folium" not in text and "from folium" not in text, path
    assert "maps" not in import_graph().get("offline", set())
