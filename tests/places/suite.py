"""The place suites: loading the YAML batches, running them through the pipeline, and scoring them.

Each batch (``conflict_*.yaml``, ``namesakes.yaml``) was written blind — from a brief, by a writer who had not read
the extractor or the resolver — and lists every place each text names with where it is:

.. code-block:: yaml

    - id: cfa-001
      text: "The boat set off from Zuwara bound for Lampedusa."
      places:
        - {surface: Zuwara, lat: 32.93, lon: 12.08}
        - {surface: Nile, lat: 15.6, lon: 32.5, km: 800}   # an area: a tolerance of its own

A place is **found** when a predicted mention overlaps its span, and **placed** when that mention's coordinates lie
within the tolerance (``km``, else 161 km, the Acc@161 convention). A predicted mention that overlaps no listed
place is a false positive (the writers list every place). Shared by ``tests/places/test_places_suite.py``
(floors) and ``benchmarks/places.py`` (the figures, with the first-run scores of each batch).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent
DEFAULT_KM = 161.0


@dataclass(frozen=True)
class Expected:
    surface: str
    start: int
    end: int
    lat: float
    lon: float
    km: float


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    places: tuple[Expected, ...]
    half: str = ""  # namesakes: "famous" or "lesser"
    batch: str = ""


@dataclass
class Outcome:
    case: Case
    found: list[tuple[Expected, dict | None]]  # each expected place and the predicted row that overlaps it
    extra: list[dict]  # predicted rows overlapping no expected place

    @property
    def placed(self) -> list[tuple[Expected, dict]]:
        from geo_news.geo import haversine_km

        return [(e, row) for e, row in self.found if row is not None and row["lat"] == row["lat"]
                and row["lat"] is not None and haversine_km(e.lat, e.lon, row["lat"], row["lon"]) <= e.km]


def _spans(text: str, surfaces: list[str]) -> list[tuple[int, int]]:
    """The span of each listed surface: its next whole-word occurrence after the previous one, else any unused."""
    used: set[int] = set()
    out, pos = [], 0
    for s in surfaces:
        hits = [m.start() for m in re.finditer(r"(?<!\w)" + re.escape(s) + r"(?!\w)", text)]
        if not hits:
            raise ValueError(f"{s!r} is not in the text")
        start = next((h for h in hits if h >= pos and h not in used), None)
        if start is None:
            start = next((h for h in hits if h not in used), hits[0])
        used.add(start)
        pos = start + len(s)
        out.append((start, start + len(s)))
    return out


def load_batch(path: Path) -> list[Case]:
    """Read and check one batch; a malformed case raises ``ValueError`` naming it."""
    import yaml

    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    cases, seen = [], set()
    for item in raw:
        cid = item.get("id", "?")
        if cid in seen:
            raise ValueError(f"duplicate case id {cid!r} in {path.name}")
        seen.add(cid)
        text = item["text"]
        places = item.get("places") or []
        try:
            spans = _spans(text, [str(p["surface"]) for p in places])
        except ValueError as err:
            raise ValueError(f"case {cid!r} in {path.name}: {err}") from err
        expected = tuple(Expected(str(p["surface"]), a, b, float(p["lat"]), float(p["lon"]),
                                  float(p.get("km") or DEFAULT_KM)) for p, (a, b) in zip(places, spans))
        cases.append(Case(cid, text, expected, str(item.get("half", "")), path.stem))
    return cases


def load_all(pattern: str = "*.yaml") -> list[Case]:
    return [c for path in sorted(HERE.glob(pattern)) for c in load_batch(path)]


def documents(pattern: str = "*.yaml"):
    """The batches as gold documents for fitting (``scripts/fit_ranker.py``, ``scripts/fit_recognizer.py``):
    ``geo_news.evaluate.Document`` per case (id = case id), and per case id each place's tolerance by its span."""
    from geo_news.evaluate import Document, Toponym

    docs, km = [], {}
    for case in load_all(pattern):
        docs.append(Document(case.id, case.text, tuple(Toponym(e.start, e.end, e.surface, e.lat, e.lon)
                                                       for e in case.places)))
        km[case.id] = {(e.start, e.end): e.km for e in case.places}
    return docs, km


def run_cases(cases: list[Case], geoparser) -> list[Outcome]:
    """Geoparse the cases with ``geoparser`` (a :class:`geo_news.pipeline.Geoparser`), streamed through spaCy
    in batches (``Geoparser.parse_many``), and align each with what it expects (:func:`outcome`)."""
    return [outcome(c, df) for c, df in zip(cases, geoparser.parse_many(c.text for c in cases))]


def outcome(case: Case, df) -> Outcome:
    """A case's geoparse (``df``) aligned with its expected places by span overlap."""
    rows = [{"start": int(r.start), "end": int(r.end), "text": r.text, "name": r.name,
             "lat": None if r.lat != r.lat else float(r.lat), "lon": None if r.lon != r.lon else float(r.lon)}
            for r in df.itertuples()]
    used: set[int] = set()
    found = []
    for e in case.places:
        hit = next((i for i, r in enumerate(rows) if i not in used and r["start"] < e.end and e.start < r["end"]),
                   None)
        if hit is not None:
            used.add(hit)
        found.append((e, rows[hit] if hit is not None else None))
    extra = [r for i, r in enumerate(rows)
             if i not in used and not any(r["start"] < e.end and e.start < r["end"] for e in case.places)]
    return Outcome(case, found, extra)


def score(outcomes: list[Outcome]) -> dict:
    """Found (recall of recognition), placed (of those found, within tolerance), end to end, and precision."""
    expected = sum(len(o.case.places) for o in outcomes)
    found = sum(1 for o in outcomes for _, row in o.found if row is not None)
    placed = sum(len(o.placed) for o in outcomes)
    extra = sum(len(o.extra) for o in outcomes)
    return {"cases": len(outcomes), "expected": expected, "found": found, "placed": placed, "extra": extra,
            "found_share": found / expected if expected else 0.0,
            "placed_of_found": placed / found if found else 0.0,
            "end_to_end": placed / expected if expected else 0.0,
            "precision": found / (found + extra) if found + extra else 0.0}


def misses(outcomes: list[Outcome]) -> list[str]:
    """One line per expected place not found or not placed, and per false positive."""
    from geo_news.geo import haversine_km

    lines = []
    for o in outcomes:
        placed = {id(e) for e, _ in o.placed}
        for e, row in o.found:
            if row is None:
                lines.append(f"{o.case.id}: NOT FOUND {e.surface!r}")
            elif id(e) not in placed:
                where = "unplaced" if row["lat"] is None else (
                    f"{row['name']} ({row['lat']:.2f}, {row['lon']:.2f}), "
                    f"{haversine_km(e.lat, e.lon, row['lat'], row['lon']):.0f} km > {e.km:.0f}")
                lines.append(f"{o.case.id}: WRONG PLACE {e.surface!r} -> {where}")
        for r in o.extra:
            lines.append(f"{o.case.id}: EXTRA {r['text']!r} -> {r['name']}")
    return lines
