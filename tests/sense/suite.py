"""The sense suite: sentences of our own naming places in both senses (``literal`` / ``associative``).

Each ``*.yaml`` file here is one batch, written blind from a brief by a writer who had not read
``geo_news/sense.py``; each case lists every place name of its text, in text order, with its sense. Shared by
``tests/sense/test_sense_suite.py`` (which asserts the floors), ``benchmarks/sense.py`` (which prints the figures)
and ``scripts/fit_sense.py`` (which fits the model on some batches and scores the others).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent
SENSES = ("literal", "associative")


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    expect: tuple[tuple[str, str], ...]


def load_batch(path: Path) -> list[Case]:
    """Read and check one batch; a malformed case raises ``ValueError`` naming it."""
    import yaml

    cases, seen = [], set()
    for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
        cid = item.get("id", "?")
        if cid in seen:
            raise ValueError(f"{path.name}: duplicate case id {cid!r}")
        seen.add(cid)
        expect = []
        for surface, sense in item["expect"]:
            if sense not in SENSES:
                raise ValueError(f"{path.name}: case {cid!r}: unknown sense {sense!r}")
            expect.append((str(surface), sense))
        case = Case(id=cid, text=item["text"], expect=tuple(expect))
        locate(case)
        cases.append(case)
    return cases


def load_batches(directory: Path = HERE) -> dict[str, list[Case]]:
    """Every batch of the suite, by file stem, in name order."""
    return {p.stem: load_batch(p) for p in sorted(directory.glob("*.yaml"))}


def locate(case: Case) -> list[tuple[int, int]]:
    """Character offsets of each expected name, found in text order (a name listed twice is its two
    occurrences)."""
    out, pos = [], 0
    for surface, _ in case.expect:
        start = case.text.find(surface, pos)
        if start < 0:
            start = case.text.find(surface)
        if start < 0:
            raise ValueError(f"case {case.id!r}: {surface!r} is not in the text")
        out.append((start, start + len(surface)))
        pos = start + len(surface)
    return out


def run(cases: list[Case], geoparser=None) -> dict:
    """Geoparse every case; score the sense of each expected name the pipeline found (a name it did not find is
    counted apart, as a recognition miss, and not scored for sense)."""
    from geo_news import geoparse

    counts = {"tp": 0, "fp": 0, "tn": 0, "fn": 0, "missed": 0, "n": 0}
    wrong = []
    for case in cases:
        df = geoparse(case.text, geoparser=geoparser)
        found = {(int(r.start), int(r.end)): r.sense for r in df.itertuples()}
        for (surface, gold), (start, end) in zip(case.expect, locate(case)):
            counts["n"] += 1
            pred = found.get((start, end))
            if pred is None:  # a longer or shorter span over the same name still counts as found
                pred = next((s for (a, b), s in found.items() if a < end and start < b), None)
            if pred is None:
                counts["missed"] += 1
                continue
            key = {("associative", "associative"): "tp", ("associative", "literal"): "fp",
                   ("literal", "literal"): "tn", ("literal", "associative"): "fn"}[(pred, gold)]
            counts[key] += 1
            if pred != gold:
                wrong.append((case.id, surface, gold, pred, case.text))
    return {**counts, **figures(counts), "wrong": wrong}


def figures(c: dict) -> dict:
    scored = c["tp"] + c["fp"] + c["tn"] + c["fn"]
    return {
        "scored": scored,
        "accuracy": (c["tp"] + c["tn"]) / scored if scored else 0.0,
        "literal_precision": c["tn"] / (c["tn"] + c["fn"]) if c["tn"] + c["fn"] else 0.0,
        "literal_recall": c["tn"] / (c["tn"] + c["fp"]) if c["tn"] + c["fp"] else 0.0,
        "associative_precision": c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0,
        "associative_recall": c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0,
        "found": (c["n"] - c["missed"]) / c["n"] if c["n"] else 0.0,
    }
