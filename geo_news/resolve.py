"""Choose the gazetteer entry each mention means, using the whole document as context.

Scoring, per candidate, in log-odds-like points:

* the prior: feature importance (countries > seas > divisions > cities by population) minus a penalty for
  matching only through an alternate spelling;
* country co-mention: the candidate lies in a country the article names elsewhere;
* local qualifiers: "Athens, Georgia" / "Tripoli, Lebanon" — the next mention names the candidate's country or
  first-level division;
* feature words next to the name: "Aleppo province" wants a division, "the Orontes river" a stream;
* spatial coherence: closeness to the other confidently placed mentions (pass 2), and mutual support of
  namesakes that sit together — "Paris" and "Lamar County" both have a candidate in north-east Texas (pass 3).

One sense per discourse: every mention of the same name gets the place its best-supported mention chose.
The confidence is the softmax share of the chosen candidate, calibrated (see :func:`calibrated`) so that it reads
as the probability that the place is right.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from functools import lru_cache
from collections.abc import Mapping, Sequence

from .gazetteer import Gazetteer, normalize
from .gazetteer.sources.curated import data_dir, demonym_countries
from .gazetteer.store import namesake_town, prior_score
from .geo import haversine_km
from .model import Mention, Place, Resolved

_CUES = {
    "city": ("P",), "town": ("P",), "village": ("P",), "capital": ("P",),
    "province": ("A",), "governorate": ("A",), "state": ("A",), "oblast": ("A",), "region": ("A", "L"),
    "district": ("A",), "county": ("A",), "prefecture": ("A",),
    "river": ("H",), "sea": ("H",), "gulf": ("H",), "lake": ("H",), "strait": ("H",), "bay": ("H",),
    "plain": ("T",), "valley": ("T",), "mountains": ("T",), "mountain": ("T",), "desert": ("T",),
    "island": ("T",), "islands": ("T",), "peninsula": ("T",), "plateau": ("T",),
}
MAX_CANDIDATES = 40
SMALL_PLACE = 5000
FEATURE_BONUS = {"ADM1": 1.5}
"""Added to the gazetteer prior: first-level divisions are named in news far more often than their size
(population 0 in the gazetteer) suggests."""
TEMPERATURE = 1.5


def _country_set(place: Place) -> set[str]:
    return set(place.country_codes) | ({place.country_code} if place.country_code else set())


class Resolver:
    """Resolve the mentions of one document against a gazetteer.

    Examples
    --------
    >>> Resolver(gaz).resolve(text, mentions)           # doctest: +SKIP
    """

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
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
        acronym = mention.text.isupper() and len(mention.text) <= 4  # "UN" is not the town of Un
        out = []
        for place, kind, importance in self.gazetteer.candidates(mention.text)[:MAX_CANDIDATES]:
            if kind == "abbr" and not written_as_abbr or acronym and kind != "abbr" and not place.name.isupper():
                continue
            if kind == "alternate" and place.feature_class == "P" and place.population < SMALL_PLACE:
                continue
            out.append((place, kind, importance))
        return tuple(out)

    def _local(self, text: str, mentions: Sequence[Mention], i: int, cands) -> list[tuple[float, Place]]:
        """Pass 1: prior plus what the words right around the mention say."""
        m = mentions[i]
        nxt = mentions[i + 1] if i + 1 < len(mentions) else None
        qualifier = None
        if nxt is not None and 0 < nxt.start - m.end <= 2 and text[m.end:nxt.start].strip() in {",", ""}:
            qualifier = [p for p, _, _ in self.gazetteer.candidates(nxt.text)[:10]]
        after = text[m.end:m.end + 24].lower().split()
        cue = _CUES.get(after[0].strip(".,;:")) if after else None
        places = [p for p, _, _ in cands]
        row = []
        for place, kind, importance in cands:
            s = prior_score(place, kind, importance) + FEATURE_BONUS.get(place.feature_code, 0.0)
            # a division named after its capital city ("Aleppo", "Hama") means the city unless the text says so
            if place.feature_code == "ADM1" and namesake_town(place, places, min_population=50000) is not None:
                s -= 2.0
            if qualifier and place.feature_code not in {"PCLI", "ADM1"}:
                ccs = _country_set(place)
                if any(q.feature_code == "PCLI" and q.country_code in ccs for q in qualifier):
                    s += 4.0
                if any(q.feature_code == "ADM1" and q.country_code == place.country_code
                       and haversine_km(q.lat, q.lon, place.lat, place.lon) < 600 for q in qualifier):
                    s += 4.0
            if cue and place.feature_class in cue:
                s += 2.5
            row.append((s, place))
        row.sort(key=lambda t: -t[0])
        return row

    @staticmethod
    def _mutual_support(mentions: Sequence[Mention], scored: list[list[tuple[float, Place]]]
                        ) -> list[list[tuple[float, Place]]]:
        """Pass 3: namesakes that sit together support each other.

        A local story names places near one another ("Paris" and "Lamar County"; "Athens" and "Clarke
        County"), each of them ambiguous on its own. A candidate gains for every other name in the article that
        has a plausible candidate (among its top few) within ``SUPPORT_KM``.
        """
        keys = [normalize(m.text) for m in mentions]
        top: dict[str, list[Place]] = {}
        for key, row in zip(keys, scored):
            if row and key not in top:
                top[key] = [p for _, p in row[:SUPPORT_TOP]]
        out = []
        for key, row in zip(keys, scored):
            if len(row) < 2:
                out.append(row)
                continue
            others = [cands for k, cands in top.items() if k != key]
            boosted = [(s + (_support_bonus(p, others) if i < SUPPORT_TOP else 0.0), p)
                       for i, (s, p) in enumerate(row)]
            out.append(sorted(boosted, key=lambda t: -t[0]))
        return out

    def resolve(self, text: str, mentions: Sequence[Mention], *, overrides: Mapping[str, Place] | None = None
                ) -> list[tuple[Mention, Place | None, float, int]]:
        """Return ``(mention, place or None, confidence, number of candidates)`` for each mention.

        ``overrides`` maps names as written (matched on their normalised form) to the place the user says they
        mean in this text; those mentions get that place with confidence 1, and it is context for the others.
        """
        fixed = {normalize(k): v for k, v in (overrides or {}).items()}
        cands = []
        for m in mentions:
            if normalize(m.text) in fixed:
                cands.append(((fixed[normalize(m.text)], "preferred", 100.0),))
            elif m.label == "DEMONYM":
                country = self._country(normalize(m.text))
                cands.append(((country, "preferred", 10.0),) if country else ())
            else:
                cands.append(self._candidates(m))
        local = [self._local(text, mentions, i, cs) for i, cs in enumerate(cands)]

        # Anchors: mentions pass 1 already places with confidence. Their countries and positions are the
        # document's context (a local paper's state, a war's region).
        anchors: list[tuple[str, Place]] = []
        for m, row in zip(mentions, local):
            if row and (len(row) == 1 or row[0][0] - row[1][0] >= 2.0):
                anchors.append((normalize(m.text), row[0][1]))

        scored: list[list[tuple[float, Place]]] = []
        for m, row in zip(mentions, local):
            key = normalize(m.text)
            others = [a for k, a in anchors if k != key]  # a name is never its own evidence
            named_elsewhere = {a.id for a in others}
            doc_countries: dict[str, float] = defaultdict(float)
            for a in others:
                for cc in _country_set(a):
                    doc_countries[cc] += 1.0
            new_row = []
            for s, place in row:
                ccs = _country_set(place)
                shared = ccs & doc_countries.keys()
                if shared:
                    s += 1.0 + min(2.0, max(doc_countries[c] for c in shared))
                if others:
                    near = min(haversine_km(a.lat, a.lon, place.lat, place.lon) for a in others)
                    s += 2.0 * max(0.0, 1.0 - near / 1500.0)
                if place.id in named_elsewhere:  # "the Caspian" after "the Caspian Sea"
                    s += 2.5
                new_row.append((s, place))
            new_row.sort(key=lambda t: -t[0])
            scored.append(new_row)

        scored = self._mutual_support(mentions, scored)

        # One sense per discourse: the same name keeps the place of its best-supported mention.
        best_for: dict[str, tuple[float, Place, float]] = {}
        for m, row in zip(mentions, scored):
            if row:
                key = normalize(m.text)
                if key not in best_for or row[0][0] > best_for[key][0]:
                    top = row[0][0]
                    z = sum(math.exp((s - top) / TEMPERATURE) for s, _ in row)
                    best_for[key] = (top, row[0][1], 1.0 / z)

        out = []
        for m, row in zip(mentions, scored):
            if not row:
                out.append((m, None, 0.0, 0))
                continue
            _, place, share = best_for[normalize(m.text)]
            out.append((m, place, 1.0 if normalize(m.text) in fixed else calibrated(share), len(row)))
        return out


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
SUPPORT_BONUS = 1.2
SUPPORT_CAP = 3.6
SUPPORT_TOP = 5


def _support_bonus(place: Place, others: list[list[Place]]) -> float:
    near = sum(1 for cands in others if any(
        c.id != place.id and abs(c.lat - place.lat) < 1.0 and haversine_km(c.lat, c.lon, place.lat, place.lon)
        < SUPPORT_KM for c in cands))
    return min(SUPPORT_CAP, SUPPORT_BONUS * near)


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
