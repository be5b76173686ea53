"""Choose the gazetteer entry each mention means, using the whole document as context.

Scoring, per candidate, in log-odds-like points:

* the prior: feature importance (countries > seas > divisions > cities by population) minus a penalty for
  matching only through an alternate spelling;
* country co-mention: the candidate lies in a country the article names elsewhere;
* local qualifiers: "Athens, Georgia" / "Tripoli, Lebanon" — the next mention names the candidate's country or
  first-level division;
* feature words next to the name: "Aleppo province" wants a division, "the Orontes river" a stream;
* spatial coherence: closeness to the other confidently placed mentions.

One sense per discourse: every mention of the same name gets the place its best-supported mention chose.
The confidence is the softmax share of the chosen candidate.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

from .gazetteer import Gazetteer, normalize
from .gazetteer.store import prior_score
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

    def _candidates(self, mention: Mention):
        return self.gazetteer.candidates(mention.text)[:MAX_CANDIDATES]

    def resolve(self, text: str, mentions: Sequence[Mention], *, demonym_country: dict[str, str] | None = None
                ) -> list[tuple[Mention, Place | None, float, int]]:
        """Return ``(mention, place or None, confidence, number of candidates)`` for each mention."""
        demonym_country = demonym_country or {}
        cands = []
        for m in mentions:
            if m.label == "DEMONYM":
                cc = demonym_country.get(normalize(m.text), "")
                found = tuple(c for c in self.gazetteer.candidates(cc) if c[0].feature_code == "PCLI"
                              and c[0].country_code == cc) if cc else ()
                cands.append(found[:1])
            else:
                cands.append(self._candidates(m))

        # Countries and divisions the article names unambiguously anchor everything else.
        doc_countries: dict[str, float] = defaultdict(float)
        anchors: list[Place] = []
        for cs in cands:
            if not cs:
                continue
            top = cs[0][0]
            if top.feature_code in {"PCLI", "TERR", "PCLD"} or (len(cs) == 1 and top.population >= 100000):
                for cc in _country_set(top):
                    doc_countries[cc] += 1.0
                anchors.append(top)

        scored: list[list[tuple[float, Place]]] = []
        for i, (m, cs) in enumerate(zip(mentions, cands)):
            nxt = mentions[i + 1] if i + 1 < len(mentions) else None
            qualifier = None
            if nxt is not None and 0 < nxt.start - m.end <= 2 and text[m.end:nxt.start].strip() in {",", ""}:
                qualifier = normalize(nxt.text)
            after = text[m.end:m.end + 24].lower().split()
            cue = _CUES.get(after[0].strip(".,;:")) if after else None
            row = []
            # a province named after its capital city ("Aleppo", "Hama") means the city unless the text says so
            cities = [p for p, _, _ in cs if p.feature_class == "P" and p.population >= 50000]
            for place, kind, importance in cs:
                s = prior_score(place, kind, importance)
                if place.feature_code == "ADM1" and any(
                        c.country_code == place.country_code and haversine_km(c.lat, c.lon, place.lat, place.lon) < 200
                        for c in cities):
                    s -= 2.0
                ccs = _country_set(place)
                if ccs & doc_countries.keys():
                    s += 1.0 + min(2.0, max(doc_countries[c] for c in ccs & doc_countries.keys()))
                if qualifier and place.feature_code not in {"PCLI", "ADM1"}:
                    qual_places = [p for p, _, _ in self.gazetteer.candidates(qualifier)[:10]]
                    if any(q.feature_code == "PCLI" and q.country_code in ccs for q in qual_places):
                        s += 4.0
                    if any(q.feature_code == "ADM1" and q.country_code == place.country_code
                           and haversine_km(q.lat, q.lon, place.lat, place.lon) < 400 for q in qual_places):
                        s += 4.0
                if cue and place.feature_class in cue:
                    s += 2.5
                others = [a for a in anchors if a.id != place.id]
                if others:
                    near = min(haversine_km(a.lat, a.lon, place.lat, place.lon) for a in others)
                    s += 1.5 * max(0.0, 1.0 - near / 2000.0)
                row.append((s, place))
            row.sort(key=lambda t: -t[0])
            scored.append(row)

        # A place the article names unambiguously elsewhere ("the Caspian Sea") is what a shorter or
        # ambiguous mention ("the Caspian") most likely means too.
        chosen: dict[str, set[str]] = defaultdict(set)  # place id -> the names that clearly chose it
        for m, row in zip(mentions, scored):
            if row and (len(row) == 1 or row[0][0] - row[1][0] > 2.0):
                chosen[row[0][1].id].add(normalize(m.text))
        if chosen:
            for k, (m, row) in enumerate(zip(mentions, scored)):
                key = normalize(m.text)
                if len(row) > 1:
                    scored[k] = sorted(((s + (2.5 if chosen.get(p.id, set()) - {key} else 0.0), p) for s, p in row),
                                       key=lambda t: -t[0])

        # One sense per discourse: the same name keeps the place of its best-supported mention.
        best_for: dict[str, tuple[float, Place]] = {}
        for m, row in zip(mentions, scored):
            if row:
                key = normalize(m.text)
                if key not in best_for or row[0][0] > best_for[key][0]:
                    best_for[key] = row[0]

        out = []
        for m, row in zip(mentions, scored):
            if not row:
                out.append((m, None, 0.0, 0))
                continue
            place = best_for[normalize(m.text)][1]
            top = max(s for s, _ in row)
            z = sum(math.exp((s - top) / TEMPERATURE) for s, _ in row)
            chosen = next((s for s, p in row if p.id == place.id), top)
            out.append((m, place, math.exp((chosen - top) / TEMPERATURE) / z, len(row)))
        return out


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
