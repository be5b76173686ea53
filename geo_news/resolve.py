"""Choose the gazetteer entry each mention means, using the whole document as context.

Scoring, per candidate, in log-odds-like points:

* the prior: feature importance (countries > seas > divisions > cities by population) minus a penalty for
  matching only through an alternate spelling;
* country co-mention: the candidate lies in a country the article names elsewhere;
* local qualifiers: "Athens, Georgia" / "Tripoli, Lebanon" — the next mention names the candidate's country or
  first-level division;
* feature words next to the name: "Aleppo province" wants a division, "the Orontes river" a stream;
* the document's state or province: the candidate lies in (or is) the first-level division where the other
  names' places lie ("Monroe" in a story about Butler County, Ohio) — the other names include places named only
  inside organisations' names ("Hall County Environmental Health"), which are context but never output;
* a county named in full is a candidate for its bare name too ("DeKalb County ... DeKalb"); a name's two forms
  are never each other's context;
* spatial coherence: closeness to the other names' places, re-estimated over a few rounds (pass 2), and
  mutual support of namesakes that sit together — "Paris" and "Lamar County" both have a candidate in
  north-east Texas (pass 3).

One sense per discourse: every mention of the same name gets the place its best-supported mention chose.
The confidence is the softmax share of the chosen candidate, calibrated (see :func:`calibrated`) so that it reads
as the probability that the place is right.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from functools import lru_cache

import numpy as np

from .gazetteer import Gazetteer, normalize
from .gazetteer.normalize import division_stem
from .gazetteer.sources.curated import data_dir, demonym_countries
from .gazetteer.store import namesake_town, prior_score
from .geo import haversine_km, haversine_km_many
from .model import Mention, Place, Resolved

_CUES = {
    "city": ("P",), "town": ("P",), "village": ("P",), "capital": ("P",),
    "province": ("A",), "governorate": ("A",), "state": ("A",), "oblast": ("A",), "region": ("A", "L"),
    "district": ("A",), "county": ("A",), "prefecture": ("A",),
    "river": ("H",), "sea": ("H",), "gulf": ("H",), "lake": ("H",), "strait": ("H",), "bay": ("H",),
    "plain": ("T",), "valley": ("T",), "mountains": ("T",), "mountain": ("T",), "desert": ("T",),
    "island": ("T",), "islands": ("T",), "peninsula": ("T",), "plateau": ("T",),
    "airport": ("S",), "airfield": ("S",), "airbase": ("S",),
}
MAX_CANDIDATES = 40
SMALL_PLACE = 5000


def _admin1_key(place: Place) -> tuple[str, str] | None:
    """The first-level division a place lies in (or is), as (country, GeoNames admin-1 code)."""
    if place.admin1 and place.admin1 != "00" and place.country_code and not place.feature_code.startswith("PCL"):
        return place.country_code, place.admin1
    return None


def _country_set(place: Place) -> set[str]:
    return set(place.country_codes) | ({place.country_code} if place.country_code else set())


class Resolver:
    """Resolve the mentions of one document against a gazetteer.

    Examples
    --------
    >>> Resolver(gaz).resolve(text, mentions)           # doctest: +SKIP
    """

    def __init__(self, gazetteer: Gazetteer, *, weights: Mapping[str, float] | None = None) -> None:
        self.gazetteer = gazetteer
        if weights is not None and (unknown := set(weights) - set(FEATURES)):
            raise ValueError(f"unknown resolver features {sorted(unknown)}; known: {', '.join(FEATURES)}")
        self.weights = dict(weights) if weights is not None else hand_weights()
        self.trace: list | None = None
        """Set to a list to keep every document's candidates and features (for fitting the weights)."""
        self._countries: dict[str, Place | None] = {}

    def _country(self, demonym: str) -> Place | None:
        """The country a nationality word stands for (``data/gazetteer/demonyms.csv``)."""
        if demonym not in self._countries:
            iso2, name = demonym_countries().get(demonym, ("", ""))
            found = [p for p in self.gazetteer.lookup(name, country=iso2, limit=20) if p.feature_code == "PCLI"]
            self._countries[demonym] = found[0] if found else None
        return self._countries[demonym]

    def _candidates(self, mention: Mention):
        """Gazetteer candidates, less the matches news text almost never means.

        * an abbreviation only when written as one ("ACT", "Calif."), not a word ("Act", "Miss"), and an
          acronym only as an abbreviation ("UN" is not the town of Un);
        * a village's alternate spelling: transliteration noise ("Kristina" for Ristiina, "Tom" for Timbuktu's
          old names) far more often than a real reference.
        """
        written_as_abbr = mention.text.isupper() or "." in mention.text
        # "UN" is not the town of Un; a longer word in capitals is a name in a headline or dateline ("KYIV")
        acronym = mention.text.isupper() and len(mention.text) <= 3
        out = []
        for place, kind, importance in self.gazetteer.candidates(mention.lookup)[:MAX_CANDIDATES]:
            if kind == "abbr" and not written_as_abbr or acronym and kind != "abbr" and not place.name.isupper():
                continue
            if kind == "alternate" and place.feature_class == "P" and place.population < SMALL_PLACE:
                continue
            out.append((place, kind, importance))
        return tuple(out)

    def _local(self, text: str, mentions: Sequence[Mention], i: int, cands) -> list[tuple[Place, dict]]:
        """Pass 1: what the name and the words right around it say, per candidate, as features."""
        m = mentions[i]
        nxt = mentions[i + 1] if i + 1 < len(mentions) else None
        prev = mentions[i - 1] if i > 0 else None
        in_list = prev is not None and 0 < m.start - prev.end <= 2 and text[prev.end:m.start].strip() == ","
        qualifier = None  # "Athens, Georgia"; but in "Ghana, Niger, Nigeria and Togo" Nigeria is the next item
        if (nxt is not None and not in_list and 0 < nxt.start - m.end <= 2
                and text[m.end:nxt.start].strip() in {",", ""}):
            qualifier = [p for p, _, _ in self.gazetteer.candidates(nxt.lookup)[:10]]
        after = text[m.end:m.end + 24].lower().split()
        cue = _CUES.get(after[0].strip(".,;:")) if after else None
        places = [p for p, _, _ in cands]
        division_reading = any(p.feature_code == "ADM1" or p.feature_code.startswith("PCL") for p in places)
        row = []
        for place, kind, importance in cands:
            f = dict.fromkeys(FEATURES, 0.0)
            f["prior"] = prior_score(place, kind, importance)
            f["adm1"] = float(place.feature_code == "ADM1")
            f["adm2"] = float(place.feature_code == "ADM2")
            f["country"] = float(place.feature_code.startswith("PCL"))
            f["water"] = float(place.feature_class == "H")
            f["log_population"] = math.log10(place.population + 1) / 7.0
            # prominence: how often the world names the place (its names, and the scripts they are written in)
            f["log_names"] = min(1.5, math.log1p(place.names) / math.log1p(100.0))
            f["scripts"] = min(8, place.scripts) / 8.0
            if kind == "alternate":  # an alternate name of a place the world names often is likely its exonym
                f["alternate_names"] = f["log_names"]  # ("Seville" for Sevilla), of one it rarely names, noise
                f["alternate_scripts"] = f["scripts"]
            f["alternate"] = float(kind == "alternate")
            f["town_with_division_reading"] = float(division_reading and place.feature_class == "P")
            # a division named after its capital city ("Aleppo", "Hama") means the city unless the text says so
            if place.feature_code == "ADM1" and namesake_town(place, places, min_population=50000) is not None:
                f["division_named_after_city"] = 1.0
            if qualifier and place.feature_code != "PCLI":
                ccs = _country_set(place)
                if any(q.feature_code == "PCLI" and q.country_code in ccs for q in qualifier):
                    f["qualifier_country"] = 1.0
                if any(q.feature_code == "ADM1" and q.country_code == place.country_code
                       and haversine_km(q.lat, q.lon, place.lat, place.lon) < 600 for q in qualifier):
                    f["qualifier_admin1"] = 1.0
            if cue and place.feature_class in cue:
                f["cue"] = 1.0
            row.append((place, f))
        return row

    @staticmethod
    def _context(mentions: Sequence[Mention], rows: list[list[tuple[Place, dict]]],
                 anchors: Mapping[str, Place], times: Mapping[str, int]) -> None:
        """Pass 2: set the context features of every candidate from the other names' places (``anchors``: one
        place per distinct name, named ``times[name]`` times). Computed once per distinct name and candidate, so
        long articles stay linear."""
        lats = np.array([a.lat for a in anchors.values()])
        lons = np.array([a.lon for a in anchors.values()])
        keys = list(anchors)
        cache: dict[tuple[str, str], dict[str, float]] = {}
        per_key: dict[str, tuple] = {}
        for m, row in zip(mentions, rows):
            key = normalize(m.lookup)
            if key not in per_key:
                # a name is never its own evidence, nor is its county form ("DeKalb" for "DeKalb County")
                fam = division_stem(key)
                own = np.array([division_stem(k) != fam for k in keys], dtype=bool)
                others = [(a, times[k]) for k, a in anchors.items() if division_stem(k) != fam]
                doc_countries: dict[str, float] = defaultdict(float)
                doc_admin1: dict[tuple[str, str], list[str]] = defaultdict(list)
                for a, n in others:
                    for cc in _country_set(a):
                        doc_countries[cc] += n
                    if (k := _admin1_key(a)) is not None:
                        doc_admin1[k].extend([a.id] * n)
                named = {a.id for k, a in anchors.items() if k != key}
                per_key[key] = (own, named, doc_countries, doc_admin1)
            own, named_elsewhere, doc_countries, doc_admin1 = per_key[key]
            for place, f in row:
                ctx = cache.get((key, place.id))
                if ctx is None:
                    ctx = dict.fromkeys(CONTEXT_FEATURES, 0.0)
                    shared = _country_set(place) & doc_countries.keys()
                    if shared:
                        ctx["country_shared"] = 1.0
                        ctx["country_count"] = min(2.0, max(doc_countries[c] for c in shared))
                    if own.any():
                        near = float(haversine_km_many(place.lat, place.lon, lats[own], lons[own]).min())
                        ctx["proximity"] = max(0.0, 1.0 - near / 1500.0)
                        ctx["log_distance"] = math.log1p(near) / math.log(20039.0)
                    if place.id in named_elsewhere:  # "the Caspian" after "the Caspian Sea"
                        ctx["named_elsewhere"] = 1.0
                    inside = [i for i in doc_admin1.get(_admin1_key(place), ()) if i != place.id]
                    if inside and not f["town_with_division_reading"]:
                        # in (or being) the state / province where the story's other places lie; a town is not
                        # pulled away from a state or country of its name ("California" in a story naming
                        # Pennsylvania)
                        ctx["admin1_shared"] = 1.0
                        ctx["admin1_count"] = min(2.0, float(len(inside)))
                    cache[(key, place.id)] = ctx
                f.update(ctx)

    def features(self, text: str, mentions: Sequence[Mention], *, overrides: Mapping[str, Place] | None = None
                 ) -> list[list[tuple[Place, dict]]]:
        """Every candidate of every mention with its features (see :data:`FEATURES`), in three passes.

        1. local: the name's prior and the words around it;
        2. context: every other name's best place so far gives the document's countries, first-level divisions
           and positions (a local paper's state, a war's region); repeated ``CONTEXT_ROUNDS`` times, so that
           names the context has placed become context in turn;
        3. mutual support: namesakes that sit together ("Paris" and "Lamar County" both have a candidate in
           north-east Texas) support each other.
        """
        fixed = {normalize(k): v for k, v in (overrides or {}).items()}
        w = self.weights
        keys = [normalize(m.lookup) for m in mentions]
        cand_lists = []
        for key, m in zip(keys, mentions):
            if key in fixed:
                cands = ((fixed[key], "preferred", 100.0),)
            elif m.label == "DEMONYM":
                country = self._country(key)
                cands = ((country, "preferred", 10.0),) if country else ()
            else:
                cands = self._candidates(m)
            cand_lists.append(cands)
        # a county named in full ("DeKalb County") may be named again by its bare name ("DeKalb")
        counties: dict[str, dict[str, tuple]] = defaultdict(dict)
        for key, cands in zip(keys, cand_lists):
            if (stem := division_stem(key)) != key:
                for p, _, importance in cands:
                    if p.feature_code == "ADM2":
                        counties[stem][p.id] = (p, "short", importance)
        rows = []
        for i, (key, m, cands) in enumerate(zip(keys, mentions, cand_lists)):
            if key in counties and key not in fixed and m.label != "DEMONYM":
                have = {p.id for p, _, _ in cands}
                cands = cands + tuple(c for pid, c in counties[key].items() if pid not in have)
            rows.append(self._local(text, mentions, i, cands))

        for _ in range(CONTEXT_ROUNDS):
            best: dict[str, tuple[float, Place]] = {}  # each name's best place so far (its best mention's)
            times: dict[str, int] = defaultdict(int)
            for m, row in zip(mentions, rows):
                if row:
                    score, place = max(((_dot(w, f), p) for p, f in row), key=lambda t: t[0])
                    key = normalize(m.lookup)
                    times[key] += 1
                    if key not in best or score > best[key][0]:
                        best[key] = (score, place)
            self._context(mentions, rows, {k: p for k, (_, p) in best.items()}, times)

        # pass 3: mutual support among the best few candidates of every name
        top: dict[str, list[Place]] = {}
        for key, row in zip(keys, rows):
            if row and key not in top:
                top[key] = [p for p, _ in sorted(row, key=lambda t: -_dot(w, t[1]))[:SUPPORT_TOP]]
        support: dict[tuple[str, str], float] = {}  # per distinct name and candidate, so long articles stay linear
        for key, row in zip(keys, rows):
            if len(row) < 2:
                continue
            stem = division_stem(key)
            others = None
            for place, f in row:
                if (key, place.id) not in support:
                    if others is None:
                        others = [cands for k, cands in top.items() if division_stem(k) != stem]
                    support[(key, place.id)] = min(SUPPORT_CAP, float(_near_names(place, others)))
                f["support"] = support[(key, place.id)]
        return rows

    def resolve(self, text: str, mentions: Sequence[Mention], *, overrides: Mapping[str, Place] | None = None
                ) -> list[tuple[Mention, Place | None, float, int]]:
        """Return ``(mention, place or None, confidence, number of candidates)`` for each mention.

        ``overrides`` maps names as written (matched on their normalised form) to the place the user says they
        mean in this text; those mentions get that place with confidence 1, and it is context for the others.
        """
        fixed = {normalize(k) for k in (overrides or {})}
        rows = self.features(text, mentions, overrides=overrides)
        if self.trace is not None:
            self.trace.append((text, list(mentions), rows))
        w = self.weights
        # One sense per discourse: the same name keeps the place of its best-supported mention.
        best_for: dict[str, tuple[float, Place, float]] = {}
        for m, row in zip(mentions, rows):
            if row:
                scores = [_dot(w, f) for _, f in row]
                top = max(scores)
                key = normalize(m.lookup)
                if key not in best_for or top > best_for[key][0]:
                    z = sum(math.exp(s - top) for s in scores)
                    best_for[key] = (top, row[scores.index(top)][0], 1.0 / z)

        out = []
        for m, row in zip(mentions, rows):
            if not row:
                out.append((m, None, 0.0, 0))
                continue
            _, place, share = best_for[normalize(m.lookup)]
            out.append((m, place, 1.0 if normalize(m.lookup) in fixed else calibrated(share), len(row)))
        return out


def _dot(weights: Mapping[str, float], features: Mapping[str, float]) -> float:
    return sum(weights.get(k, 0.0) * v for k, v in features.items() if v)


FEATURES = (
    "prior", "adm1", "adm2", "country", "water", "log_population", "log_names", "scripts", "alternate",
    "alternate_names", "alternate_scripts",
    "town_with_division_reading",
    "division_named_after_city", "qualifier_country", "qualifier_admin1", "cue",
    "country_shared", "country_count", "proximity", "log_distance", "named_elsewhere", "admin1_shared",
    "admin1_count", "support",
)
"""What the resolver knows about a candidate. The score of a candidate is the weighted sum of its features; the
chosen place is the best score, its confidence the softmax share of that score, calibrated."""

HAND_WEIGHTS = {
    "prior": 1.0, "adm1": 1.5, "division_named_after_city": -2.0, "town_with_division_reading": -1.0,
    "qualifier_country": 4.0, "qualifier_admin1": 4.0, "cue": 2.5, "country_shared": 1.0, "country_count": 1.0,
    "proximity": 2.0, "named_elsewhere": 2.5, "support": 1.2, "admin1_shared": 1.0, "admin1_count": 0.5,
}
"""The default weights, set by hand, in points (``POINTS_PER_LOGIT`` points make one unit of log-odds).

Weights fitted by :mod:`geo_news.ranker` on one dev corpus did not beat them on the other, held out
(``python benchmarks/accuracy.py --fit-ranker``), so these stay the default; pass ``weights=`` to use others."""


POINTS_PER_LOGIT = 1.5


def hand_weights() -> dict[str, float]:
    """The default weights as log-odds per unit of each feature."""
    return {k: v / POINTS_PER_LOGIT for k, v in HAND_WEIGHTS.items()}


@lru_cache(maxsize=1)
def _calibration() -> tuple[tuple[float, ...], tuple[float, ...]]:
    path = data_dir().parent / "calibration" / "confidence.csv"
    if not path.is_file():
        return (0.0, 1.0), (0.0, 1.0)
    with path.open(encoding="utf-8", newline="") as fh:
        knots = [(float(r["raw"]), float(r["calibrated"])) for r in csv.DictReader(fh)]
    return tuple(k[0] for k in knots), tuple(k[1] for k in knots)


def calibrated(share: float) -> float:
    """The probability that the chosen place is right (within 161 km of the reference point), from the softmax
    share of the chosen candidate, by the monotone map in ``data/calibration/confidence.csv`` (fitted on the LGL
    dev corpus by ``benchmarks/accuracy.py --fit-calibration``; GeoVirus held out)."""
    xs, ys = _calibration()
    if share <= xs[0]:
        return ys[0]
    for (x0, y0), (x1, y1) in zip(zip(xs, ys), zip(xs[1:], ys[1:])):
        if share <= x1:
            return round(y0 + (y1 - y0) * (share - x0) / (x1 - x0), 4)
    return ys[-1]


SUPPORT_KM = 60.0
SUPPORT_CAP = 3.0
SUPPORT_TOP = 5
CONTEXT_FEATURES = ("country_shared", "country_count", "proximity", "log_distance", "named_elsewhere",
                    "admin1_shared", "admin1_count")
CONTEXT_ROUNDS = 3
"""Pass 2 runs this many times, each time with every other name's best place so far as context, so that names
placed by the context become context in turn (collective resolution; measured to converge by the third round on
the dev corpora)."""


def _near_names(place: Place, others: list[list[Place]]) -> int:
    """How many other names have a candidate among their best few within ``SUPPORT_KM`` of ``place``."""
    return sum(1 for cands in others if any(
        c.id != place.id and abs(c.lat - place.lat) < 1.0 and haversine_km(c.lat, c.lon, place.lat, place.lon)
        < SUPPORT_KM for c in cands))


def to_resolved(items, sentences: Sequence[str]) -> list[Resolved]:
    return [
        Resolved(mention=m, place=p, confidence=round(c, 4), candidates=n,
                 sentence=sentences[m.sentence_index] if m.sentence_index < len(sentences) else "")
        for m, p, c, n in items
    ]


_NEAR_WORDS = ("outskirts of", "near", "outside", "close to", "around", "vicinity of", "north of", "south of",
               "east of", "west of", "northeast of", "northwest of", "southeast of", "southwest of", "km from",
               "kilometres from", "kilometers from", "miles from", "edge of", "suburb of", "suburbs of")


def precision_of(place: Place | None, text: str, start: int) -> str:
    """Location precision after UCDP GED ``where_prec`` / ACLED ``geo_precision``.

    ``exact`` place, ``near`` a place, ``admin2``, ``admin1``, ``region`` (a named area within or across
    countries), ``country``, ``water`` (seas, rivers, airspace over water). "a rural area of Iran" is a
    country-level location; "the outskirts of Aleppo" is near a place.
    """
    if place is None:
        return ""
    code, fcl = place.feature_code, place.feature_class
    if code in {"PCLI", "PCLD", "PCLS", "PCLF", "PCL"}:
        return "country"
    if code == "ADM1":
        return "admin1"
    if code == "ADM2":
        return "admin2"
    if fcl == "H" and code not in {"STM", "STMS"}:
        return "water"
    if fcl == "H" or fcl in {"L", "T", "V"} or code == "CONT":
        return "region"
    before = text[max(0, start - 40):start].lower()
    if any(before.rstrip().endswith(w) or f" {w} " in before[-len(w) - 12:] for w in _NEAR_WORDS):
        return "near"
    return "exact"
