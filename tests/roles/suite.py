"""The role-labelling suite: loading ``cases.yaml``, running it through the pipeline, and scoring it per role.

Shared by ``tests/roles/test_roles_suite.py`` (which asserts the thresholds) and ``benchmarks/roles.py`` (which
prints the figures), so both read the same cases and score them the same way.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

CASES = Path(__file__).with_name("cases.yaml")
BLIND = Path(__file__).with_name("blind")
"""Blind batches, one file each, written from a brief by writers who had not read ``geo_news/roles.py``; each
batch's first-run figures are recorded in ``benchmarks/roles.py`` before any change made after seeing it."""
MOVEMENT_ROLES = ("launch", "transit", "target", "impact")
ROLES = (*MOVEMENT_ROLES, "location")
THRESHOLDS = {"launch": 0.9, "target": 0.9, "impact": 0.9, "transit": 0.85}
"""Per-role minimum precision and recall over the suite (issue 5)."""


@dataclass(frozen=True)
class Case:
    id: str
    domain: str
    text: str
    expect: tuple[tuple[str, str, str], ...]
    movement: bool = True
    events: int | None = None
    construction: str = ""


@dataclass
class Outcome:
    case: Case
    predicted: list[tuple[str, str, str]]  # (surface, role, attribution)
    events: int
    event_impacts: list[int] = field(default_factory=list)


def load_cases(path: Path = CASES) -> list[Case]:
    """Read and check the cases file; a malformed case raises ``ValueError`` naming it."""
    import yaml

    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    cases, seen = [], set()
    for item in raw:
        cid = item.get("id", "?")
        if cid in seen:
            raise ValueError(f"duplicate case id {cid!r} in {path}")
        seen.add(cid)
        expect = []
        for pair in item["expect"]:
            surface, role, *who = pair
            if role not in ROLES:
                raise ValueError(f"case {cid!r}: unknown role {role!r}")
            if surface not in item["text"]:
                raise ValueError(f"case {cid!r}: {surface!r} is not in the text")
            expect.append((surface, role, who[0] if who else ""))
        movement = item.get("movement", True)
        if not movement and any(r != "location" for _, r, _ in expect):
            raise ValueError(f"case {cid!r}: marked movement: false but expects a movement role")
        text = item["text"].strip()
        if "\n\n" not in text:  # a sentence or two; whole articles keep their headline and paragraphs
            text = " ".join(text.split())
        cases.append(Case(cid, item["domain"], text, tuple(expect), movement,
                          item.get("events"), item.get("construction", "")))
    return cases


def load_batches() -> dict[str, list[Case]]:
    """The tuned suite (``cases.yaml``, as ``"suite"``) and every blind batch (``blind/*.yaml``, by file stem)."""
    return {"suite": load_cases(), **{p.stem: load_cases(p) for p in sorted(BLIND.glob("*.yaml"))}}


def run_cases(cases: list[Case], geoparser) -> list[Outcome]:
    """Geoparse the cases with ``geoparser`` (a :class:`geo_news.pipeline.Geoparser`), streamed through spaCy
    in batches (``Geoparser.parse_many``), and align each with what it expects (:func:`outcome`)."""
    return [outcome(c, df) for c, df in zip(cases, geoparser.parse_many(c.text for c in cases))]


def outcome(case: Case, df) -> Outcome:
    """A case's geoparse (``df``) as predicted roles, events and impacts per event."""
    predicted = [(t, r, a if isinstance(a, str) else "") for t, r, a in zip(df["text"], df["role"], df["attribution"])]
    ev = df.events
    return Outcome(case, predicted, len(ev), [len(x) for x in ev["impacts"]] if len(ev) else [])


def label_gold(case: Case, nlp, role_model=None) -> Outcome:
    """The role labeller alone: :func:`geo_news.roles.role_of` on each expected place, located in the parsed text
    (with ``role_model``, the learned labeller over the rules' calls, as the pipeline does).

    This separates labelling errors from extraction errors (a place the extractor misses is not a labelling
    error); the pipeline view is :func:`run_cases`.
    """
    from geo_news.roles import role_of

    doc = nlp(case.text)
    predicted, pos = [], 0
    for surface, _, _ in case.expect:
        start = case.text.index(surface, pos)
        pos = start + len(surface)
        span = doc.char_span(start, pos, alignment_mode="expand")
        call = role_of(span)
        if role_model is not None:
            call = role_model.call(span, call)
        predicted.append((surface, call.role, call.attribution))
    return Outcome(case, predicted, 0)


def align(outcome: Outcome) -> list[tuple[str, str | None, str | None]]:
    """(surface, expected role, predicted role) per mention, matched by surface in text order: the same surface
    first, then a name found inside the listed one or around it.

    An expected place the pipeline missed has predicted role None; a found place the case does not list has
    expected role None.
    """
    pending = list(outcome.predicted)
    hits: dict[int, tuple] = {}
    for k, (surface, _, _) in enumerate(outcome.case.expect):  # the same surface first
        hit = next((p for p in pending if p[0] == surface), None)
        if hit is not None:
            pending.remove(hit)
            hits[k] = hit
    for k, (surface, _, _) in enumerate(outcome.case.expect):  # then the name inside a longer one, or around it
        if k not in hits:  # ("Donetsk" found for "Donetsk region", as the place suites match by overlap)
            hit = next((p for p in pending if _within_words(p[0], surface) or _within_words(surface, p[0])), None)
            if hit is not None:
                pending.remove(hit)
                hits[k] = hit
    rows = [(surface, role, hits[k][1] if k in hits else None)
            for k, (surface, role, _) in enumerate(outcome.case.expect)]
    rows.extend((p[0], None, p[1]) for p in pending)
    return rows


def _within_words(part: str, whole: str) -> bool:
    """``part`` is ``whole`` or a run of its words ("Donetsk" of "the Donetsk region")."""
    return f" {part} " in f" {whole} "


def attribution_misses(outcome: Outcome) -> list[tuple[str, str, str, str]]:
    """Expected attributions not found on the record with the expected surface and role."""
    misses = []
    for surface, role, who in outcome.case.expect:
        if not who:
            continue
        found = [a for s, r, a in outcome.predicted if s == surface and r == role]
        if not any(who.lower() in a.lower() for a in found):
            misses.append((surface, role, who, " | ".join(found)))
    return misses


def missed(outcomes: list[Outcome]) -> list[tuple[str, str, str]]:
    """Expected places the pipeline did not return at all: (case id, surface, expected role)."""
    return [(o.case.id, s, w) for o in outcomes for s, w, g in align(o) if g is None]


def score(outcomes: list[Outcome], *, found_only: bool = False) -> tuple[dict[str, dict[str, float]], Counter]:
    """Per-role precision, recall, F1 and counts, and the confusion pairs (expected, predicted) -> count.

    With ``found_only``, expected places the pipeline did not return at all (extraction misses) are left out,
    so the figures measure the role labelling of what was found.
    """
    tp, fp, fn = Counter(), Counter(), Counter()
    confusion: Counter = Counter()
    for o in outcomes:
        for _, want, got in align(o):
            if found_only and got is None:
                continue
            confusion[(want, got)] += 1
            if want == got:
                tp[want] += 1
                continue
            if got is not None:
                fp[got] += 1
            if want is not None:
                fn[want] += 1
    table = {}
    for role in ROLES:
        p = tp[role] / (tp[role] + fp[role]) if tp[role] + fp[role] else 1.0
        r = tp[role] / (tp[role] + fn[role]) if tp[role] + fn[role] else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        table[role] = {"precision": p, "recall": r, "f1": f, "tp": tp[role], "fp": fp[role], "fn": fn[role]}
    return table, confusion


def promoted_without_movement(outcomes: list[Outcome]) -> list[tuple[str, str, str]]:
    """Mentions given a movement role in a case that tells no movement: (case id, surface, role)."""
    return [(o.case.id, s, r) for o in outcomes if not o.case.movement for s, r, _ in o.predicted
            if r in MOVEMENT_ROLES]
