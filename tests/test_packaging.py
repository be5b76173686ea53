"""The project's promises about itself: dependency lists agree, README opens with the two commands, CI exists."""

import re

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the same parser, as the tomli package (the test extra installs it)
    import tomli as tomllib

import yaml

from .conftest import ROOT


def _name(spec: str) -> str:
    return re.split(r"[<>=!~\[ ;]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_names_the_same_dependencies():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    wanted = {_name(d) for d in project["dependencies"]} | {_name(d) for d in extras["notebooks"] + extras["dask"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    listed = set()
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            listed |= {_name(d) for d in dep["pip"] if not d.startswith("-")}
        else:
            listed.add(_name(dep))
    listed -= {"python", "pip", "nodejs"}
    assert wanted == listed, (wanted - listed, listed - wanted)
    assert "conda-forge" in env["channels"]


def test_pins_agree_between_the_lists():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env_text = (ROOT / "environment.yml").read_text()
    for dep in project["dependencies"]:
        assert dep.replace(" ", "") in env_text.replace(" ", ""), f"{dep} is pinned differently in environment.yml"


def test_readme_opens_with_the_two_commands():
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```bash\n(.*?)\n```", text, flags=re.S)
    first, second = blocks[0].strip(), blocks[1].strip()
    assert "\n" not in first and "\n" not in second
    assert first.startswith("pip install ") and "geo-news map" in first
    assert second.startswith("pip install ") and "pytest" in second
    ci = (ROOT / ".ci" / "run").read_text()
    assert second in ci, ".ci/run runs exactly the README's test command"


def test_licence_and_data_sources_are_named():
    assert "MIT License" in (ROOT / "LICENSE").read_text()
    data = (ROOT / "data" / "README.md").read_text()
    for needle in ("GeoNames", "CC BY 4.0", "Natural Earth", "public domain", "ODbL"):
        assert needle in data


def test_no_evaluation_corpus_or_reference_article_in_the_repo():
    import subprocess

    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    for f in files:
        p = ROOT / f
        if p.suffix in {".txt", ".jsonl", ".json", ".csv", ".py", ".md", ".ipynb"} and p.is_file():
            text = p.read_text(encoding="utf-8", errors="ignore")
            for corpus in ("LGL", "GeoVirus"):
                assert '"dataset": "' + corpus + '"' not in text, f
            assert "Tom reports that " + "the missiles" not in text, f


_TEXT_SUFFIXES = {".txt", ".md", ".py", ".yaml", ".yml", ".json", ".ipynb", ".csv"}


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _copied_runs(shingles: set[tuple[str, ...]], n: int) -> list[tuple[str, str]]:
    """Tracked text files sharing a run of ``n`` words with ``shingles``: (file, first shared run)."""
    import subprocess

    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    copied = []
    for f in files:
        p = ROOT / f
        if p.suffix not in _TEXT_SUFFIXES or not p.is_file():
            continue
        w = _words(p.read_text(encoding="utf-8", errors="ignore"))
        hits = [" ".join(w[i:i + n]) for i in range(len(w) - n + 1) if tuple(w[i:i + n]) in shingles]
        if hits:
            copied.append((f, hits[0]))
    return copied


def test_no_sentence_of_the_reference_article_is_copied():
    """Our samples and tests tell the story in our own words: no run of 8 words from ../shared/seed."""
    import pytest

    from .conftest import SEED

    if not SEED.is_file():
        pytest.skip(f"the reference article is not at {SEED}")
    seed = _words(SEED.read_text(encoding="utf-8"))
    assert not _copied_runs({tuple(seed[i:i + 8]) for i in range(len(seed) - 7)}, 8)


def test_no_text_of_the_evaluation_corpora_is_copied():
    """The GPL-3.0 corpora in ../shared/eval are read at run time, never copied: no run of 10 of their words."""
    import json

    import pytest

    eval_dir = ROOT.parent / "shared" / "eval"
    corpora = sorted(eval_dir.glob("*.jsonl"))
    if not corpora:
        pytest.skip(f"no evaluation corpora at {eval_dir}")
    shingles = set()
    for path in corpora:
        with path.open(encoding="utf-8") as fh:  # not splitlines(): texts hold U+2028 line separators
            for line in fh:
                if line.strip():
                    w = _words(json.loads(line)["text"])
                    shingles.update(tuple(w[i:i + 10]) for i in range(len(w) - 9))
    assert not _copied_runs(shingles, 10)


def test_every_name_in_all_is_reachable_in_a_fresh_process():
    import subprocess
    import sys

    code = "import geo_news\nfor name in geo_news.__all__:\n    getattr(geo_news, name)\nprint(geo_news.evaluate.score)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "function score" in out.stdout, out.stderr
