"""Choose the gazetteer entry each mention means, using the whole document as context.

Every candidate reading of a name is described by named features (:data:`FEATURES`), and the ranker
(:mod:`geo_news.ranker`, a conditional logit fitted on the development corpora) scores it:

* prominence, absolute and relative to the name's other readings: population, feature type (country, division,
  capital, town, water, land feature, airport), the gazetteer's prior, how many names the place has and in how
  many scripts, and whether the name matched the place's own name or only an alternate spelling;
* country co-mention: the candidate lies in a country the article names elsewhere (nationality words count:
  "Israeli airstrikes hit Gaza"); a state or province in a story whose other places all lie abroad
  (``division_abroad``), and a national capital in a story that names another country's capital
  (``capital_with_capitals``): "investigators from Seoul and Washington";
* local qualifiers: "Athens, Georgia" / "Tripoli, Lebanon" / "Mala, Thrissur district" — the next mention names the
  candidate's country, first-level or second-level division;
* feature words next to the name: "Aleppo province" wants a division, "the Orontes river" a stream;
* a name that speaks for a government ("Washington warned", "Moscow has insisted", :data:`GOVERNMENT_VERBS`):
  its readings as a capital or a country (``government_seat``);
* the document's state or province: the candidate lies in (or is) the first-level division where the other
  names' places lie ("Monroe" in a story about Butler County, Ohio) — the other names include places named only
  inside organisations' names ("Hall County Environmental Health"), which are context but never output;
* a county named in full is a candidate for its bare name too ("DeKalb County ... DeKalb"); a name's two forms
  are never each other's context;
* spatial coherence: closeness to the other names' places in the document and in the same sentence, absolute and
  relative to the name's other readings, re-estimated over a few rounds (pass 2), and mutual support of namesakes
  that sit together — "Paris" and "Lamar County" both have a candidate in north-east Texas (pass 3);
* the area the text puts the name in ("Yenga, a village in Kailahun District"): one more reading, marked
  :data:`WITHIN`, which wins when none of the name's own readings fits the story (or the gazetteer has none);
  a reading outside that area, when the area is an administrative one (a county, a department, a country), is one
  the text contradicts (``outside_named_division``, a town or a division alike, and ``prior_outside_division``: its
  prominence, weighed apart), however well the rest of the story fits it.
* a name the gazetteer does not know as written gets the places spelled like it ("Maarat al-Numan" for Ma'arrat
  an Nu'man, "Kyaukphyu" for Kyaukpyu), with how far the spelling is (``spelling``); such a reading is kept only
  when the story vouches for it (:func:`vouched`: its country is named elsewhere, a qualifier names its country
  or division, or a place named in the same sentence lies near it), since a name that is no place at all also
  has namesakes a letter or two away.
* a name the gazetteer lacks that is an area named by its side ("East Texas") is read as that area
  (:meth:`Resolver._part_of`); one that ends in a feature's noun ("Coachella Valley") gets the readings of the town
  or area it is named after (:meth:`Resolver._named_for`, ``named_for``), kept only where the story vouches for one
  nearby (:func:`vouched_nearby`), marked :data:`NAMED_FOR`, and never context for the other names.

* the rounds start from each name's best reading alone, so two namesakes can hold each other where another pair
  fits the story better ("Waterloo, just south of Brussels": the Ontario pair); a name the context moved far from
  its best reading alone is read once more with that reading, and the reading of the whole story that scores
  better is kept (:meth:`Resolver._reconsider`).

One sense per discourse: a name is decided once, on the evidence of all its mentions (:func:`by_name`).
The confidence is the softmax share of the chosen candidate, calibrated (see :func:`calibrated`) so that it reads
as the probability that the place is right.
"""

from __future__ import annotations

import csv
import math
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import lru_cache

import numpy as np

from .gazetteer import Gazetteer, normalize
from .gazetteer.normalize import division_stem
from .gazetteer.store import SALIENT_SOURCES, namesake_town, prior_score, salient, spelling_distance
from .geo import haversine_km, haversine_km_many
from .lexicon import FEATURE_CUES, PLURAL_FEATURE_NOUNS
from .model import CONTEXT_LABEL, DEMONYM_SOURCE, Mention, Place, Resolved, in_division, inside, within_level
from .ranker import Ranker
from .ranker import default as default_ranker
from .resources import demonym_countries, package_data

MAX_CANDIDATES = 40
SMALL_PLACE = 5000
GOVERNMENT_VERBS = frozenset("""
    say says said warn warns warned blame blames blamed accuse accuses accused insist insists insisted
    deny denies denied
    announce announces announced claim claims claimed condemn condemns condemned urge urges urged threaten threatens
    threatened demand demands demanded vow vows vowed pledge pledges pledged reject rejects rejected welcome welcomes
    welcomed respond responds responded protest protests protested summon summons summoned sanction sanctions
    sanctioned expel expels expelled recognise recognises recognised recognize recognizes recognized agree agrees
    agreed back backs backed support supports supported oppose opposes opposed criticise criticises criticised
    criticize criticizes criticized denounce denounces denounced hail hails hailed confirm confirms confirmed
    want wants wanted believe believes believed retaliate retaliates retaliated negotiate negotiates negotiated
""".split())
"""What a government does with words, its name as the subject ("Washington warned", "Moscow has insisted"): a name
followed by one of these stands for a state, so its reading as a capital or a country gets ``government_seat``."""
_BEFORE_VERB = frozenset({"has", "have", "had", "also", "again", "will", "would", "quickly", "later", "then",
                          "repeatedly", "on", "officially", "publicly", "swiftly"})


def _speaks(text: str, end: int) -> bool:
    """Whether the name ending at ``end`` is the subject of a verb of :data:`GOVERNMENT_VERBS` ("Tehran denied",
    "Washington has warned"; a comma or a clause between them ends the search)."""
    for word in re.findall(r"[a-z']+|[^\sa-z']", text[end:end + 48].lower())[:4]:
        if word in GOVERNMENT_VERBS:
            return True
        if word not in _BEFORE_VERB:
            return False
    return False


def _cue(text: str, mentions: Sequence[Mention], i: int) -> tuple[str, ...] | None:
    """The feature classes the word after a name asks for ("Aleppo province"), or after the list the name is an
    item of ("the Kherson and Zaporizhzhia regions": both are regions)."""
    j = i
    while (j + 1 < len(mentions) and 0 < mentions[j + 1].start - mentions[j].end <= 6
           and text[mentions[j].end:mentions[j + 1].start].strip().lower() in _LIST_GLUE):
        j += 1
    after = text[mentions[j].end:mentions[j].end + 24].lower().split()
    word = after[0].strip(".,;:") if after else ""
    if j > i and word not in PLURAL_FEATURE_NOUNS:
        return None  # a list, but no plural noun after it says what its items are
    return FEATURE_CUES.get(PLURAL_FEATURE_NOUNS.get(word, word))


_LIST_GLUE = frozenset({",", "and", "or", "&", ", and", ", or"})


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

    def __init__(self, gazetteer: Gazetteer, *, ranker: Ranker | None = None,
                 weights: Mapping[str, float] | None = None) -> None:
        self.gazetteer = gazetteer
        if weights is not None and (unknown := set(weights) - set(FEATURES)):
            raise ValueError(f"unknown resolver features {sorted(unknown)}; known: {', '.join(FEATURES)}")
        if ranker is None:
            ranker = Ranker(dict(weights), (), "given weights") if weights is not None else default_ranker()
        self.ranker = ranker.check(FEATURES)
        self.calibration: Sequence[tuple[float, float]] | None = None
        """Knots (raw share, probability right) of the confidence map; None: ``data/calibration/confidence.csv``."""
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
          acronym only as an abbreviation ("UN" is not the town of Un); a word cut short by a full stop only as
          an abbreviation ("Sen." is no code of Southend);
        * a village's alternate spelling: transliteration noise ("Kristina" for Ristiina, "Tom" for Timbuktu's
          old names) far more often than a real reference.
        """
        written_as_abbr = mention.text.isupper() or "." in mention.text
        # one word cut short by a full stop ("Calif.", "Sen.", "Gov.") is an abbreviation and nothing else: it
        # names a place only as one ("Ky." Kentucky), not through a code that happens to spell it (Southend's "SEN")
        clipped = mention.text.endswith(".") and " " not in mention.text.strip()
        # "UN" is not the town of Un; a longer word in capitals is a name in a headline or dateline ("KYIV"), and
        # so is a dateline's short one, which the extractor gives its name in ordinary case ("JOS, Nigeria —")
        acronym = mention.text.isupper() and len(mention.text) <= 3 and mention.lookup.isupper()
        out = []
        for place, kind, importance in self.gazetteer.candidates(mention.lookup)[:MAX_CANDIDATES]:
            if kind == "abbr" and not written_as_abbr or acronym and kind != "abbr" and not place.name.isupper():
                continue
            if clipped and kind != "abbr":
                continue
            if kind == "alternate" and place.feature_class == "P" and place.population < SMALL_PLACE:
                continue
            out.append((place, kind, importance))
        return tuple(out)

    def _spelled(self, mention: Mention) -> dict[str, tuple[Place, str, float, float]]:
        """Places spelled like a name the gazetteer does not know as written, by place id, as ``(place, kind,
        importance, similarity)``: only for a rare name written as a name (:meth:`Gazetteer.worth_spelling`)."""
        if mention.label == CONTEXT_LABEL or not self.gazetteer.worth_spelling(mention.text):
            return {}
        return {p.id: (p, kind, imp, score) for p, kind, imp, score in self.gazetteer.spellings(mention.lookup)}

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
        cue = _cue(text, mentions, i)
        speaks = _speaks(text, m.end)
        places = [p for p, _, _ in cands]
        division_reading = any(p.feature_code == "ADM1" or p.feature_code.startswith("PCL") for p in places)
        priors = [prior_score(p, k, imp) for p, k, imp in cands]
        top_prior = max(priors, default=0.0)
        log_pops = [math.log10(p.population + 1) for p in places]
        # a first-level division's population is weighed against the name's other divisions only: it is a region's,
        # not a town's ("Florida": the state, millions, over the Puerto Rican municipality; "Aleppo" and
        # "Washington": the city stays the top populated place of its name beside the division)
        top_pops = {adm1: max((lp for p, lp in zip(places, log_pops) if (p.feature_code == "ADM1") == adm1),
                              default=0.0) for adm1 in (False, True)}
        log_names = [math.log1p(p.names) for p in places]
        top_names = max(log_names, default=0.0)
        row = []
        for (place, kind, importance), prior, log_pop, log_name in zip(cands, priors, log_pops, log_names):
            f = dict.fromkeys(FEATURES, 0.0)
            top_pop = top_pops[place.feature_code == "ADM1"]
            f["prior"] = prior
            f["adm1"] = float(place.feature_code == "ADM1")
            f["adm2"] = float(place.feature_code == "ADM2")
            f["country"] = float(place.feature_code.startswith("PCL"))
            f["water"] = float(place.feature_class == "H")
            f["town"] = float(place.feature_class == "P")
            f["capital"] = float(place.feature_code == "PPLC")
            f["facility"] = float(place.feature_class == "S")
            f["land_feature"] = float(place.feature_class in {"T", "L", "V"})
            f["log_population"] = log_pop / 7.0
            # relative prominence among the name's readings: carries over between corpora better than absolute
            # levels (a town of 20,000 is the obvious reading of one name and an obscure one of another)
            f["population_gap"] = max(-1.0, (log_pop - top_pop) / 7.0)
            # the most populous reading: a populated place (a division's people being a region's, its name's most
            # populous division is not thereby the reading the name most often means: "Washington")
            f["top_population"] = float(log_pop == top_pop and log_pop > 0 and place.feature_code != "ADM1")
            f["prior_gap"] = max(-1.0, (prior - top_prior) / 10.0)
            f["top_prior"] = float(prior == top_prior)
            # prominence: how often the world names the place (its names, and the scripts they are written in)
            f["log_names"] = min(1.5, log_name / math.log1p(100.0))
            f["names_gap"] = max(-1.5, (log_name - top_names) / math.log1p(100.0))
            f["scripts"] = min(8, place.scripts) / 8.0
            if kind == "alternate":  # an alternate name of a place the world names often is likely its exonym
                f["alternate_names"] = f["log_names"]  # ("Seville" for Sevilla), of one it rarely names, noise
                f["alternate_scripts"] = f["scripts"]
            f["alternate"] = float(kind == "alternate")
            # the name is only another name of the reading the world names most and that has most people: an
            # exonym or older spelling ("Odessa", "Calcutta", "Mecca") rather than a minor variant
            f["alternate_top"] = float(kind == "alternate" and log_pop == top_pop and log_pop > 0
                                       and log_name == top_names)
            f["short_name"] = float(kind == "short")
            f["county_by_bare_name"] = float(kind == "short" and place.feature_code == "ADM2")
            f["abbreviation"] = float(kind == "abbr")
            f["town_with_division_reading"] = float(division_reading and place.feature_class == "P")
            # a division named after its capital city ("Aleppo", "Hama") means the city unless the text says so
            if place.feature_code == "ADM1" and namesake_town(place, places, min_population=50000) is not None:
                f["division_named_after_city"] = 1.0
            if qualifier and place.feature_code != "PCLI":
                ccs = _country_set(place)
                if any(q.feature_code == "PCLI" and q.country_code in ccs for q in qualifier):
                    f["qualifier_country"] = 1.0
                if any(q.feature_code == "ADM1" and q.country_code == place.country_code and in_division(place, q)
                       for q in qualifier):
                    f["qualifier_admin1"] = 1.0
                if any(q.feature_code == "ADM2" and q.country_code == place.country_code
                       and haversine_km(q.lat, q.lon, place.lat, place.lon) < 100 for q in qualifier):
                    f["qualifier_admin2"] = 1.0
            if cue and place.feature_class in cue:
                f["cue"] = 1.0
            if speaks and (place.feature_code == "PPLC" or place.feature_code.startswith("PCL")):
                f["government_seat"] = 1.0
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
        # nearness is never measured to a large country's or a continent's representative point (what the country
        # says is in country_shared)
        national = {k for k, a in anchors.items() if _national(a)}
        pointed = np.array([k not in national for k in keys], dtype=bool)
        cache: dict[tuple[str, str, str | None], dict[str, float]] = {}
        per_key: dict[tuple[str, str | None], tuple] = {}
        in_sentence: dict[int, set[str]] = defaultdict(set)
        for m in mentions:
            in_sentence[m.sentence_index].add(normalize(m.lookup))

        def evidence(key: str, container: str | None = None) -> tuple:
            """The other names' evidence for ``key``'s readings: a name is never its own evidence, nor is its
            county form ("DeKalb" for "DeKalb County"), and the area a stand-in reading stands for is not evidence
            for that reading (it would confirm itself)."""
            fam = division_stem(key)
            own = np.array([division_stem(k) != fam and anchors[k].id != container for k in keys], dtype=bool)
            own &= pointed
            others = [(a, times[k]) for k, a in anchors.items() if division_stem(k) != fam and a.id != container]
            doc_countries: dict[str, float] = defaultdict(float)
            doc_admin1: dict[tuple[str, str], list[str]] = defaultdict(list)
            for a, n in others:
                for cc in _country_set(a):
                    doc_countries[cc] += n
                if (k := _admin1_key(a)) is not None:
                    doc_admin1[k].extend([a.id] * n)
            # the county named in full names its bare form's place ("DeKalb County ... DeKalb"), never the
            # other way round: the bare name's reading would otherwise confirm itself through the full one
            named = {a.id for k, a in anchors.items()
                     if k != key and (fam == key or division_stem(k) != fam) and a.id != container}
            capitals = {a.country_code for a, _ in others if a.feature_code == "PPLC"}
            return own, named, doc_countries, doc_admin1, capitals

        for m, row in zip(mentions, rows):
            key = normalize(m.lookup)
            fam = division_stem(key)
            # the places named in the same sentence: the closest context there is ("X is a town in Y County, Z")
            beside = [anchors[k] for k in in_sentence[m.sentence_index]
                      if k in anchors and division_stem(k) != fam and k not in national]
            for place, f in row:
                # a stand-in for the area the text puts the name in: the story's evidence for that area, without
                # the area's own name (a namesake in the story's country must not win on that alone)
                container = place.id if place.source == WITHIN else None
                if (key, container) not in per_key:
                    per_key[(key, container)] = evidence(key, container)
                own, named_elsewhere, doc_countries, doc_admin1, capitals = per_key[(key, container)]
                ctx = cache.get((key, place.id, container))
                if ctx is None:
                    ctx = dict.fromkeys(CONTEXT_FEATURES, 0.0)
                    shared = _country_set(place) & doc_countries.keys()
                    if shared:
                        ctx["country_shared"] = 1.0
                        ctx["country_count"] = min(2.0, max(doc_countries[c] for c in shared))
                    elif doc_countries and place.feature_class == "A" and not place.feature_code.startswith("PCL"):
                        # a state or province in a story whose other places all lie in other countries: news
                        # names a division bare mostly at home ("investigators from Seoul and Washington")
                        ctx["division_abroad"] = 1.0
                    if place.feature_code == "PPLC" and capitals - {place.country_code}:
                        # a capital beside another country's capital: capitals stand for their states ("Seoul and
                        # Washington", "Kabul ... after Washington floated the idea")
                        ctx["capital_with_capitals"] = 1.0
                    if own.any():
                        near = float(haversine_km_many(place.lat, place.lon, lats[own], lons[own]).min())
                        ctx["proximity"] = max(0.0, 1.0 - near / 1500.0)
                        ctx["log_distance"] = max(1e-6, math.log1p(near) / math.log(20039.0))  # > 0: computed
                    if place.id in named_elsewhere:  # "the Caspian" after "the Caspian Sea"
                        ctx["named_elsewhere"] = 1.0
                    inside = [i for i in doc_admin1.get(_admin1_key(place), ()) if i != place.id]
                    if inside and not f["town_with_division_reading"]:
                        # in (or being) the state / province where the story's other places lie; a town is not
                        # pulled away from a state or country of its name ("California" in a story naming
                        # Pennsylvania)
                        ctx["admin1_shared"] = 1.0
                        ctx["admin1_count"] = min(2.0, float(len(inside)))
                    cache[(key, place.id, container)] = ctx
                f.update(ctx)
                if beside:
                    near = min(haversine_km(place.lat, place.lon, a.lat, a.lon) for a in beside if a.id != place.id) \
                        if any(a.id != place.id for a in beside) else 20039.0
                    f["sentence_proximity"] = max(0.0, 1.0 - near / 500.0)
                    f["sentence_log_distance"] = max(1e-6, math.log1p(near) / math.log(20039.0))
                else:
                    f["sentence_proximity"] = f["sentence_log_distance"] = 0.0
            row = [(p, f) for p, f in row if p.source != WITHIN]
            _relative(row, "log_distance", "distance_gap", "nearest_reading")
            _relative(row, "sentence_log_distance", "sentence_distance_gap", "sentence_nearest_reading")

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
        keys = [normalize(m.lookup) for m in mentions]
        readings = [self._readings(key, m, fixed) for key, m in zip(keys, mentions)]
        cand_lists = _with_bare_counties(keys, mentions, readings, fixed)
        spelled = [{} if cands or key in fixed or m.source == DEMONYM_SOURCE else self._spelled(m)
                   for key, m, cands in zip(keys, mentions, cand_lists)]
        cand_lists = [tuple(c[:3] for c in found.values()) if found else cands
                      for cands, found in zip(cand_lists, spelled)]
        unknown = [not cands and key not in fixed and m.source != DEMONYM_SOURCE and m.label != CONTEXT_LABEL
                   for key, m, cands in zip(keys, mentions, cand_lists)]
        parts = [self._part_of(m) if after else () for m, after in zip(mentions, unknown)]
        named_for = [after and not part for after, part in zip(unknown, parts)]
        cand_lists = [part or (self._named_for(m) if after else cands)
                      for m, cands, after, part in zip(mentions, cand_lists, named_for, parts)]
        rows = [self._local(text, mentions, i, cands) for i, cands in enumerate(cand_lists)]
        for row, found, after in zip(rows, spelled, named_for):
            for place, f in row:
                if place.id in found:
                    f["spelling"] = spelling_distance(found[place.id][3])
                f["named_for"] = float(after)
        self._context_rounds(text, mentions, rows, keys, fixed)
        self._support(keys, mentions, rows)
        return rows

    def _part_of(self, mention: Mention) -> tuple:
        """The readings of the area a name the gazetteer lacks is a part of, named by a compass word before the
        area's name ("East Texas", "Northern Rakhine", "Upper Galilee"): that area's readings as countries,
        divisions and regions no more than ``NATIONAL_POINT_MAX_KM`` across, read as a mention of the area itself
        (a story about East Texas is in Texas)."""
        words = mention.lookup.split()
        if len(words) < 2 or words[0].lower() not in COMPASS_WORDS:
            return ()
        if len(words) == 2 and (words[1].lower() in NAMED_FOR_NOUNS or words[1].lower() in FEATURE_CUES):
            return ()  # "East Bay", "Upper Valley", "Central Plateau": a feature's side, not a named area's
        rest = replace(mention, name=" ".join(words[1:]))
        # not a continent or a country thousands of kilometres across, whose point says nothing of where its side
        # lies ("Southeast Asia", "Western Russia")
        return tuple(c for c in self._candidates(rest) if c[0].feature_class in {"A", "L"} and not _national(c[0]))

    def _named_for(self, mention: Mention) -> tuple:
        """The readings of the place a natural feature the gazetteer lacks is named after, or beside: "Coachella
        Valley" (Coachella), "Lehigh Valley" (Lehigh County), "Penobscot Bay" (Penobscot County), "Ganghwa Island"
        (Ganghwa County). Only for a name that ends in a feature's noun (:data:`NAMED_FOR_NOUNS`), and only towns and
        areas: a river of that name is a namesake, not the place the feature lies by. The resolver then takes one
        only where the story vouches for it nearby (:func:`vouched_nearby`; its country alone is not enough)."""
        words = mention.lookup.split()
        if len(words) < 2 or words[-1].lower() not in NAMED_FOR_NOUNS:
            return ()
        stem = replace(mention, name=" ".join(words[:-1]))
        return tuple(c for c in self._candidates(stem) if c[0].feature_class in _NAMED_FOR_CLASSES)

    def _readings(self, key: str, mention: Mention, fixed: Mapping[str, Place]) -> tuple:
        """A mention's candidate readings: the user's place, a nationality word's country, else the gazetteer's."""
        if key in fixed:
            return ((fixed[key], "preferred", 100.0),)
        if mention.source == DEMONYM_SOURCE:
            country = self._country(key)
            return ((country, "preferred", 10.0),) if country else ()
        return self._candidates(mention)

    def _context_rounds(self, text: str, mentions: Sequence[Mention], rows: list[list[tuple[Place, dict]]],
                        keys: Sequence[str], fixed: Mapping[str, Place]) -> None:
        """Pass 2: the context features, from every other name's best place so far, until the choices settle."""
        score = self.ranker.score
        containers = [None if key in fixed or m.source == DEMONYM_SOURCE or m.label == CONTEXT_LABEL
                      else _container_of(text, mentions, i)
                      for i, (key, m) in enumerate(zip(keys, mentions))]
        times: dict[str, int] = defaultdict(int)
        for m, row in zip(mentions, rows):
            if row:
                times[normalize(m.lookup)] += 1

        def best() -> dict[str, Place]:  # each name's best place so far, all its mentions' evidence together
            return {k: max(row, key=lambda c: score(c[1]))[0] for k, row in by_name(mentions, rows).items()}

        # a feature placed at the town it is named after is no evidence for anything (its readings are the town's)
        stand_ins = {key for key, row in zip(keys, rows) if row and row[0][1]["named_for"]}

        def use(anchors: dict[str, Place]) -> None:
            anchors = {k: p for k, p in anchors.items() if k not in stand_ins}
            _place_within(text, mentions, rows, containers, anchors)
            # a name placed only through the area around it is no evidence for that area's own name
            self._context(mentions, rows, {k: p for k, p in anchors.items() if p.source != WITHIN}, times)

        alone = best()  # before any context: each name's reading on its own evidence
        seen: list[dict[str, str]] = []
        used: dict[str, Place] = {}
        for round_ in range(MAX_CONTEXT_ROUNDS):
            anchors = best()
            chosen = {k: p.id for k, p in anchors.items()}
            if round_ >= CONTEXT_ROUNDS and seen and chosen == seen[-1]:
                break  # every feature already says what these places say
            if len(seen) >= 2 and chosen == seen[-2]:
                # two names flip each other back and forth ("Athens" beside the country Georgia, "Georgia" beside
                # Athens, Georgia): change one name at a time, in text order, until none wants to change
                for _ in range(MAX_CONTEXT_ROUNDS * 4):
                    wanted = best()
                    changed = next((k for k in wanted if k not in used or wanted[k].id != used[k].id), None)
                    if changed is None:
                        break
                    used = {**used, changed: wanted[changed]}
                    use(used)
                break
            seen.append(chosen)
            used = anchors
            use(anchors)
        self._reconsider(mentions, rows, used, alone, use, best)

    def _reconsider(self, mentions: Sequence[Mention], rows: list[list[tuple[Place, dict]]], used: dict[str, Place],
                    alone: dict[str, Place], use, best) -> None:
        """Collective inference beyond the greedy rounds: the rounds start from each name's best reading alone, so
        two namesakes can hold each other where another pair fits the story better ("Waterloo, just south of
        Brussels": Waterloo, Ontario is the bigger Waterloo, and with it the village of Brussels, Ontario beats the
        capital). A name the context moved far from its best reading alone (``alone``), or whose far runner-up is
        a close call (``RECONSIDER_MARGIN``), is read once more with that reading where another name could answer
        it (``RECONSIDER_KM``), the other names answering it, ``RECONSIDER_TRIES`` names at most, the closest calls
        first; the reading of the whole story (the sum of every name's score for its place) is kept if it is
        better, else the features are put back as they were."""
        score = self.ranker.score

        def value(assigned: dict[str, Place]) -> float:  # the story read with these places, under their features
            out = 0.0
            for key, row in by_name(mentions, rows).items():
                place = assigned.get(key)
                out += max((score(f) for p, f in row if place is None or (p.id, p.source) == (place.id, place.source)),
                           default=max(score(f) for _, f in row))
            return out

        named = by_name(mentions, rows)
        tries = []
        for key, row in named.items():
            ranked = sorted(((score(f), p) for p, f in row if p.source != WITHIN), key=lambda t: -t[0])
            now = used.get(key)
            if len(ranked) < 2 or now is None or now.source == WITHIN:
                continue
            # the reading the name has on its own evidence, where the context moved it away; else its runner-up,
            # where that is a close call
            first = alone.get(key)
            if first is None or first.id == now.id or first.source == WITHIN:
                first = ranked[1][1] if ranked[0][1].id == now.id and ranked[0][0] - ranked[1][0] < RECONSIDER_MARGIN \
                    else None
            if first is None or haversine_km(first.lat, first.lon, now.lat, now.lon) <= ACC_KM:
                continue  # a reading near the first one (a town and its district) would change nothing
            # only where another name could answer: it is placed away from the first reading and has a reading
            # near it (the other half of a pair of namesakes)
            if not any(k != key and k in used and haversine_km(used[k].lat, used[k].lon, first.lat, first.lon) > ACC_KM
                       and any(p.source != WITHIN and haversine_km(p.lat, p.lon, first.lat, first.lon) <= RECONSIDER_KM
                               for p, _ in other)
                       for k, other in named.items()):
                continue
            scores = {p.id: score(f) for p, f in row if p.source != WITHIN}
            if first.id in scores and now.id in scores:
                tries.append((scores[now.id] - scores[first.id], key, first))
        if not tries:
            return
        settled, current = used, value(used)
        saved = [[(p, dict(f)) for p, f in row] for row in rows]
        for _, key, alternative in sorted(tries, key=lambda t: t[0])[:RECONSIDER_TRIES]:
            use({**settled, key: alternative})
            trial = {**best(), key: alternative}  # the other names answer the changed one
            if any(p.id != settled[k].id for k, p in trial.items() if k != key and k in settled):
                use(trial)
                if (v := value(trial)) > current + 1e-9:
                    current, settled = v, trial
                    saved = [[(p, dict(f)) for p, f in row] for row in rows]
                    continue
            # no other name answered (the name alone reads the story worse), or the story reads worse: as it was
            for row, kept in zip(rows, saved):
                row[:] = [(p, dict(f)) for p, f in kept]

    def _support(self, keys: Sequence[str], mentions: Sequence[Mention], rows: list[list[tuple[Place, dict]]]
                 ) -> None:
        """Pass 3: mutual support among the best few candidates of every name (per distinct name and candidate,
        so long articles stay linear)."""
        score = self.ranker.score
        top = {key: [p for p, _ in sorted(row, key=lambda t: -score(t[1]))[:SUPPORT_TOP]]
               for key, row in by_name(mentions, rows).items() if not row[0][1]["named_for"]}
        support: dict[tuple[str, str], float] = {}
        for key, row in zip(keys, rows):
            if len(row) < 2:
                continue
            stem = division_stem(key)
            others = None
            for place, f in row:
                if place.source == WITHIN:
                    continue
                if (key, place.id) not in support:
                    if others is None:
                        others = [cands for k, cands in top.items() if division_stem(k) != stem]
                    support[(key, place.id)] = min(SUPPORT_CAP, float(_near_names(place, others)))
                f["support"] = support[(key, place.id)]

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
        # One sense per discourse: a name is decided once, on the evidence of all its mentions.
        best_for: dict[str, tuple[Place, float]] = {}
        unvouched: set[str] = set()
        for key, row in by_name(mentions, rows).items():
            scores = self.ranker.scores(f for _, f in row)
            top = max(scores)
            place, f = row[scores.index(top)]
            best_for[key] = (place, 1.0 / sum(math.exp(s - top) for s in scores))
            if f["spelling"] and not vouched(f) or f["named_for"] and not vouched_nearby(f):
                unvouched.add(key)

        out = []
        for m, row in zip(mentions, rows):
            if not row or normalize(m.lookup) in unvouched:
                out.append((m, None, 0.0, 0))
                continue
            place, share = best_for[normalize(m.lookup)]
            if normalize(m.lookup) not in fixed and (own := _own_qualified(row, place, self.ranker)) is not None:
                place, share = own
            confidence = 1.0 if normalize(m.lookup) in fixed else calibrated(share, self.calibration)
            if place.source == WITHIN or row[0][1]["named_for"]:
                # how often such a stand-in is right, not how sure the ranker is of it
                confidence = min(confidence, self.ranker.within_confidence)
            if row[0][1]["named_for"] and place.source != WITHIN:
                place = replace(place, source=NAMED_FOR)
            out.append((m, place, confidence, len(row)))
        return out


def vouched(features: Mapping[str, float]) -> bool:
    """Whether the story vouches for a reading found only by its spelling: it lies in a country the story names
    elsewhere, a qualifier names its country or division ("Kalakla, Khartoum"), or it lies within 500 km of a
    place named in the same sentence."""
    return bool(features["country_shared"] or features["sentence_proximity"]
                or any(features[q] for q in QUALIFIERS))


def vouched_nearby(features: Mapping[str, float]) -> bool:
    """Whether the story vouches for the town a feature is named after more closely than by its country: it lies
    within 500 km of a place named in the same sentence, in a first-level division the story names, in the area
    the text puts the name in, or a qualifier names its division ("Matagorda Bay, Texas")."""
    return bool(features["sentence_proximity"] or features["admin1_shared"] or features["in_named_area"]
                or any(features[q] for q in QUALIFIERS))


MERGED_BY_MAX = frozenset({"cue", "sentence_proximity", "sentence_nearest_reading", "within_comma", "government_seat"})
"""Evidence one mention of a name gives for a reading, kept when any mention gives it."""
QUALIFIERS = ("qualifier_country", "qualifier_admin1", "qualifier_admin2")
"""Taken from the first mention of a name that is qualified at all ("Athens, Georgia ... Athens"): a later mention
qualified otherwise is most often another place ("Boston, in Erie County, New York ... named after Boston,
Massachusetts")."""
_BY_SENTENCE = ("sentence_log_distance", "sentence_distance_gap")


def _with_bare_counties(keys: Sequence[str], mentions: Sequence[Mention], cand_lists: list[tuple],
                        fixed: Mapping[str, Place]) -> list[tuple]:
    """A county named in full ("DeKalb County") may be named again by its bare name ("DeKalb"): the bare name's
    readings get the county too."""
    counties: dict[str, dict[str, tuple]] = defaultdict(dict)
    for key, cands in zip(keys, cand_lists):
        if (stem := division_stem(key)) != key:
            for p, _, importance in cands:
                if p.feature_code == "ADM2":
                    counties[stem][p.id] = (p, "short", importance)
    out = []
    for key, m, cands in zip(keys, mentions, cand_lists):
        if key in counties and key not in fixed and m.source != DEMONYM_SOURCE:
            have = {p.id for p, _, _ in cands}
            cands = cands + tuple(c for pid, c in counties[key].items() if pid not in have)
        out.append(cands)
    return out


def _own_qualified(row: list[tuple[Place, dict]], chosen: Place, ranker: Ranker) -> tuple[Place, float] | None:
    """The reading this mention's own qualifier names, when it is not the name's reading in the rest of the text
    ("Paris, Texas ... unlike Paris, France"; "named after Boston, Massachusetts" in a story about Boston,
    Lincolnshire): one sense per discourse yields to a qualifier written beside the name itself."""
    qualified = [(p, f) for p, f in row if f["qualifier_country"] or f["qualifier_admin1"]]
    if not qualified or any(p.id == chosen.id for p, _ in qualified):
        return None
    scores = ranker.scores(f for _, f in row)
    top = max(scores)
    best = max(range(len(row)), key=lambda i: (row[i][1]["qualifier_country"] or row[i][1]["qualifier_admin1"],
                                               row[i][1]["qualifier_admin1"], scores[i]))
    return row[best][0], math.exp(scores[best] - top) / sum(math.exp(s - top) for s in scores)


def by_name(mentions: Sequence[Mention], rows: list[list[tuple[Place, dict]]]) -> dict[str, list[tuple[Place, dict]]]:
    """Every name's readings with the evidence of all its mentions (one sense per discourse): the words around
    each mention (:data:`MERGED_BY_MAX`: a feature word) count wherever they occur, the qualifiers of the first
    qualified mention count (:data:`QUALIFIERS`), the distance to
    the places named in the same sentence is the closest any mention has, and the rest — what the document as a
    whole says of a reading — is the same for every mention. Deciding a name at its single best-scored mention
    instead lets a bare later mention ("Later, Athens reopened") outvote the qualified first one ("Athens,
    Georgia"), since the bare one carries no evidence against the famous namesake."""
    merged: dict[str, dict[tuple[str, str], tuple[Place, dict]]] = {}
    qualified: set[str] = set()
    for m, row in zip(mentions, rows):
        if not row:
            continue
        key = normalize(m.lookup)
        readings = merged.setdefault(key, {})
        # a qualifier that points away from the area the text puts the name in names another place ("Dover is a
        # town in Pope County, Arkansas ... named after Dover, Kent"): the area decides
        placed = any(f["in_named_area"] for _, f in row)
        qualifies = key not in qualified and any(
            f[k] and (f["in_named_area"] or not placed) for _, f in row for k in QUALIFIERS)
        for place, f in row:
            seen = readings.get((place.id, place.source))
            if seen is None:
                readings[(place.id, place.source)] = (place, dict(f))
                continue
            g = seen[1]
            for k in MERGED_BY_MAX:
                if f[k] > g[k]:
                    g[k] = f[k]
            if qualifies:
                for k in QUALIFIERS:
                    g[k] = f[k]
            if f["sentence_log_distance"] > 0 and not 0 < g["sentence_log_distance"] <= f["sentence_log_distance"]:
                for k in _BY_SENTENCE:
                    g[k] = f[k]
        if qualifies:
            qualified.add(key)
    return {key: list(readings.values()) for key, readings in merged.items()}


WITHIN = "within"
"""``Place.source`` of a name placed in the area the text puts it in, when no reading of the name itself fits
("Yenga is a village in Kailahun District", and the gazetteer has no Yenga near there): the place is that area (or
town, for "a suburb of Melbourne"), and the mention's precision says so."""
NAMED_FOR = "named_for"
"""``Place.source`` of a natural feature the gazetteer lacks placed at the town or area it is named after, or lies
by ("Coachella Valley" at Coachella): the place is that town or area, and the mention's precision says so."""
NAMED_FOR_NOUNS = frozenset({k for k, classes in FEATURE_CUES.items() if set(classes) & {"H", "T"}} | {
    "sound", "harbor", "harbour", "creek", "flats", "basin", "delta", "coast", "canyon", "hills", "range", "gorge"})
"""The nouns that end a natural feature's name (river, lake, bay, valley, island, peninsula...)."""
_NAMED_FOR_CLASSES = frozenset({"P", "A", "L", "T"})
COMPASS_WORDS = frozenset({
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "upper", "lower",
    "northeast", "northwest", "southeast", "southwest", "north-east", "north-west", "south-east", "south-west",
    "northeastern", "northwestern", "southeastern", "southwestern"})
"""Words that name a part of an area by its side ("East Texas"): see :meth:`Resolver._part_of`."""
CONTAINER_CHARS = 80
CONTAINER_HOPS = 2
"""How far up a chain of containers to look when the named container is no area we can place (a township the
gazetteer lacks, a river): "a village in Jaba ward, Kailahun District" lies in Kailahun District."""
ACC_KM = 161.0
MAX_KM = 20039.0
_CONTAINER_LINK = re.compile(r"\b(?:in|of|near|outside|at|within)\b", re.IGNORECASE)
_PARENTHESIS = re.compile(r"\([^()]{0,120}\)")
_NEAR_LINK = re.compile(r"\b(?:near|outside|off|by|beside|opposite)\s+(?:the\s+)?$", re.IGNORECASE)
"""The words before a container that put a name beside it, not in it ("anchored off Fujairah, one near Qeshm";
"a village outside Kherson"): the name may lie beyond the area's border, so a reading outside it is contradicted
only farther than ``NEAR_KM`` from the area's point."""
NEAR_KM = 300.0
_POSSESSED = re.compile(r"['’]s? +")
"""Between a possessor and the area it holds ("Mozambique's Cabo Delgado province"): a name put there is in the
area held, the nearer of the two."""
_NOT_CONTAINED = re.compile(r"[.;:!?()\[\]]|\b(?:and|or|to|from|between|via|through|but|while|whereas|across|beyond)\b",
                            re.IGNORECASE)
"""Words that end the search for a container: a list, a route, a new clause ("while across the border in Russia's
Kursk region"), the far side of something."""
_DESCRIBED = re.compile(r"^(?:,?\s+(?:is|was)\s+|,\s+)(?:an?|the|one\s+of)\s", re.IGNORECASE)
"""The words after a name that begin saying what it is: "Nancagua is a", "Bilopillia, a"."""
_DESCRIPTION_LINK = re.compile(r"\b(?:in|of|near|outside|at|within|on|along|by|off)\b", re.IGNORECASE)
"""Where a description says what a name is, a river or a coast it lies on places it too ("a book town on the Wye in
Powys", "a fishing port off the coast of"; the river's own container is then the name's, see
:data:`CONTAINER_HOPS`); elsewhere "on" is what a verb does to a place ("the attack on Kherson")."""
_DESCRIPTION_AND = re.compile(r"\b(?:and|or)\s+(?=[a-z])")
"""A conjunction inside a description joins its nouns ("a city and commune", "a city in and the county seat
of"), where between two names it joins a list ("Aleppo and Hama")."""


def _container_of(text: str, mentions: Sequence[Mention], i: int) -> tuple[int, bool] | None:
    """The mention naming where mention ``i`` lies, and whether only a comma links them: the next name in the same
    sentence, within ``CONTAINER_CHARS`` characters, after a comma ("Matta, Swat District") or "in" / "of" /
    "near" ("a town in Swat District", "12 km north of Muswellbrook"); never across "and", "to", "from", and never
    for a name that speaks (:func:`_speaks`: "Moscow claimed the capture of Kurakhove"). Where the container is a
    possessor, the area it holds is the container ("in Mozambique's Cabo Delgado province")."""
    m = mentions[i]
    if _speaks(text, m.end):
        return None  # "Moscow claimed the capture of Kurakhove": what follows a speaker is what it says
    for j in range(i + 1, len(mentions)):
        if mentions[j].label == CONTEXT_LABEL:
            continue
        if mentions[j].sentence_index != m.sentence_index:
            return None
        between = text[m.end:mentions[j].start]
        if mentions[j].start - m.end > CONTAINER_CHARS + 120:
            return None
        if between.count("(") > between.count(")"):
            continue  # a name inside a parenthesis after this one ("Bari (Somali: Bari) is a region in ...")
        between = _PARENTHESIS.sub(" ", between)  # "a census-designated place (CDP) in Santa Fe County"
        break
    else:
        return None
    link = _CONTAINER_LINK
    if _DESCRIBED.match(between):  # "Hay is a book town and market on the Wye, up the valley in Powys"
        between = _DESCRIPTION_AND.sub(" ", between)
        link = _DESCRIPTION_LINK
    if len(between) > CONTAINER_CHARS or _NOT_CONTAINED.search(between):
        return None
    comma = between.strip() == ","
    if not (comma or link.search(between)):
        return None
    for k in range(j + 1, len(mentions)):  # "near Palma, in Mozambique's Cabo Delgado province": the province
        if mentions[k].label != CONTEXT_LABEL:
            if mentions[k].sentence_index == m.sentence_index and _POSSESSED.fullmatch(
                    text[mentions[j].end:mentions[k].start]):
                j = k
            break
    return j, comma


NATIONAL_POINT_MAX_KM = 2000.0
"""A country whose extent's diagonal is longer than this has towns a thousand kilometres and more from its point."""


def _national(place: Place) -> bool:
    """A continent, or a country larger than :data:`NATIONAL_POINT_MAX_KM` across: an area whose representative
    point says nothing of where in it a story is (a village near the middle of the United States is no nearer a
    story that names the country; Israel's point, beside Gaza, is)."""
    if place.feature_code == "CONT":
        return True
    if not place.feature_code.startswith("PCL") or place.bbox is None:
        return False
    west, south, east, north = place.bbox
    return west > east or haversine_km(south, west, north, east) > NATIONAL_POINT_MAX_KM


_COARSE_CODES = frozenset({"PCLI", "PCLD", "PCLS", "PCLF", "PCL", "ADM1", "CONT", "TERR", "RGN", "OCN", "SEA"})


def _an_area(place: Place | None) -> bool:
    """Whether a container's current place is an area a name can be put in (not a river, nor itself a stand-in)."""
    return place is not None and place.feature_class in {"A", "P", "L", "T"} and place.source != WITHIN


def _place_within(text: str, mentions: Sequence[Mention], rows: list[list[tuple[Place, dict]]],
                  containers: Sequence[tuple[int, bool] | None], anchors: Mapping[str, Place]) -> None:
    """The area the text puts each name in (its container, see :func:`_container_of`; the first mention of the name
    that has one): the readings of the name that lie in it say so (``in_named_area``: "Boston is a town in Erie
    County"), and when none does, every mention of the name gets one more reading — the container's current place,
    marked ``WITHIN``, with features that say how it was found and how far the name's own nearest reading lies
    from it. The ranker weighs it against the name's own readings; it wins when none of them fits the story."""
    found: dict[str, tuple[Place, dict] | None] = {}
    areas: dict[str, Place] = {}
    by_comma: dict[str, bool] = {}
    nearby: set[str] = set()
    keys = [normalize(m.lookup) for m in mentions]
    for i, (key, row, link) in enumerate(zip(keys, rows, containers)):
        if row and row[-1][0].source == WITHIN:
            row.pop()
        if link is None or key in areas:
            continue
        j, comma = link
        near = bool(_NEAR_LINK.search(text[mentions[i].end:mentions[j].start]))
        area = anchors.get(normalize(mentions[j].lookup))
        for _ in range(CONTAINER_HOPS):  # "a village in Jaba ward, Kailahun District": where the container is
            if _an_area(area) or containers[j] is None:
                break
            j = containers[j][0]
            area = anchors.get(normalize(mentions[j].lookup))
        if not _an_area(area):
            continue
        if area.feature_class == "P" and any(p.feature_code.startswith("PCL") or p.feature_class == "P" and salient(p)
                                            and p.population > area.population for p, _ in row):
            continue  # a town holds no country, nor a city larger than itself ("militias aligned with Tehran in
            # al-Bukamal", "Russia fired 96 shells at Bilopillia")
        areas[key] = area
        by_comma[key] = comma
        if near:
            nearby.add(key)
        if any(inside(p, area) for p, _ in row):
            continue  # a reading of the name lies in the area: that reading says so (in_named_area)
        f = dict.fromkeys(FEATURES, 0.0)
        f["within"] = 1.0
        f[within_level(area)] = 1.0
        f["within_comma"] = float(comma)
        f["within_only"] = float(not row)
        # a name that is also a country, a first-level division, a sea or a salient place is rarely inside another
        # area ("Georgia, in the Caucasus"), a town of that name often is ("Lima is a town in Seminole County")
        f["within_coarse"] = float(any(p.feature_code in _COARSE_CODES or p.source in SALIENT_SOURCES for p, _ in row))
        near = min((haversine_km(p.lat, p.lon, area.lat, area.lon) for p, _ in row), default=MAX_KM)
        f["within_far"] = math.log1p(near) / math.log1p(MAX_KM)
        found[key] = (replace(area, source=WITHIN), f)
    for key, row in zip(keys, rows):
        area = areas.get(key)
        for p, f in row:  # "Boston is a town in Erie County": the reading that lies there
            in_area = area is not None and p.id != area.id and inside(p, area)
            f["in_named_area"] = float(in_area)
            # and how far outside that area a reading lies: the text says where the name is, a namesake
            # thousands of kilometres away is not it (a comma may also join two items of a list)
            far = 0.0
            if area is not None and not in_area and p.id != area.id and p.source != WITHIN:
                far = max(1e-6, math.log1p(haversine_km(p.lat, p.lon, area.lat, area.lon)) / math.log1p(MAX_KM))
            f["outside_named_area"] = 0.0 if by_comma.get(key) else far
            f["outside_named_area_comma"] = far if by_comma.get(key) else 0.0
            # the text puts the name in an administrative area ("a town in Seminole County", "a municipality of
            # the San Vicente Department") and this reading is not in it: the text contradicts it, however well
            # the rest of the story fits it (a namesake in the same country, a namesake cluster elsewhere)
            # (a town of that name, or a division where the words say the name is in the area: "San Carlos is a
            # town in Negros Occidental" contradicts Uruguay's San Carlos department as much as a Venezuelan town;
            # a comma may join two countries or provinces of a list, and no country lies in another)
            beyond = key not in nearby or haversine_km(p.lat, p.lon, area.lat, area.lon) > NEAR_KM
            contradicted = far > 0 and area.feature_class == "A" and beyond and (
                p.feature_class == "P" or p.feature_class == "A" and not by_comma.get(key)
                and not p.feature_code.startswith("PCL"))
            f["outside_named_division"] = float(contradicted)
            # how prominent the contradicted reading is: what the text says of where the name lies outweighs how
            # famous a namesake elsewhere is ("Cambridge, a village in Washington County" is not in England)
            f["prior_outside_division"] = f["prior"] if contradicted else 0.0
        if found.get(key) is not None:
            row.append((found[key][0], dict(found[key][1])))


def _relative(row: list[tuple[Place, dict]], key: str, gap: str, nearest: str) -> None:
    """How much farther than the closest of the name's readings each reading lies from the story's other places
    (``gap``, in the units of ``key``), and which reading is the closest (``nearest``): a town 20 km from the
    story's county and a namesake 300 km away differ little in absolute proximity, a lot relative to each other."""
    values = [f[key] for _, f in row if f[key] > 0]
    if not values:
        for _, f in row:
            f[gap] = f[nearest] = 0.0
        return
    best = min(values)
    for _, f in row:
        f[gap] = (f[key] - best) if f[key] > 0 else 1.0
        f[nearest] = float(f[key] == best and len(row) > 1)


FEATURES = (
    "prior", "adm1", "adm2", "country", "water", "town", "capital", "facility", "land_feature",
    "log_population", "population_gap", "top_population", "prior_gap", "top_prior",
    "log_names", "names_gap", "scripts", "alternate", "alternate_names", "alternate_scripts", "alternate_top",
    "short_name",
    "abbreviation", "town_with_division_reading",
    "division_named_after_city", "qualifier_country", "qualifier_admin1", "qualifier_admin2", "cue",
    "country_shared", "country_count", "proximity", "log_distance", "named_elsewhere", "admin1_shared",
    "admin1_count", "sentence_proximity", "sentence_log_distance", "support", "county_by_bare_name",
    "distance_gap", "nearest_reading", "sentence_distance_gap", "sentence_nearest_reading",
    "within", "within_admin2", "within_admin1", "within_country", "within_town", "within_comma", "within_only",
    "within_far", "within_coarse", "in_named_area", "outside_named_area", "outside_named_area_comma", "government_seat",
    "spelling", "outside_named_division", "prior_outside_division", "division_abroad", "capital_with_capitals",
    "named_for",
)
"""What the resolver knows about a candidate (see the module docstring). The ranker scores a candidate as the
weighted sum of its features (:mod:`geo_news.ranker`); the chosen place is the best score, its confidence the
softmax share of that score, calibrated."""


@lru_cache(maxsize=1)
def _calibration() -> tuple[tuple[float, ...], tuple[float, ...]]:
    path = package_data() / "calibration" / "confidence.csv"
    if not path.is_file():
        return (0.0, 1.0), (0.0, 1.0)
    with path.open(encoding="utf-8", newline="") as fh:
        knots = [(float(r["raw"]), float(r["calibrated"])) for r in csv.DictReader(fh)]
    return tuple(k[0] for k in knots), tuple(k[1] for k in knots)


def calibrated(share: float, knots: Sequence[tuple[float, float]] | None = None) -> float:
    """The probability that the chosen place is right (within 161 km of the reference point), from the softmax
    share of the chosen candidate, by a monotone map: ``knots`` (raw, calibrated), by default those in
    ``data/calibration/confidence.csv`` (fitted by ``python scripts/fit_ranker.py`` on every development corpus'
    shares as ranked by weights fitted without that corpus)."""
    xs, ys = _calibration() if knots is None else (tuple(k[0] for k in knots), tuple(k[1] for k in knots))
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
                    "admin1_shared", "admin1_count", "division_abroad", "capital_with_capitals")
CONTEXT_ROUNDS = 3
"""Pass 2 runs at least this many times, each time with every other name's best place so far as context, so that
names placed by the context become context in turn (collective resolution) ..."""
MAX_CONTEXT_ROUNDS = 8
"""... and then again while the places chosen still change, up to this many rounds, so that no name is decided on
the evidence of a place another name no longer has ("Athens, Georgia": Athens was decided beside the country
Georgia after Georgia had become the state)."""
RECONSIDER_TRIES = 3
"""How many names of a story the context moved far from their best reading alone are read once more with it (see
:meth:`Resolver._reconsider`), the closest calls first..."""
RECONSIDER_MARGIN = 2.0
"""... or whose runner-up scores within this many log-odds of its first reading..."""
RECONSIDER_KM = 500.0
"""... when another name, placed elsewhere, has a reading this close to it (it could answer)."""


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
    if place.source in {WITHIN, NAMED_FOR} and fcl == "P":  # "a suburb of Melbourne": near that town
        return "near"
    if place.source == NAMED_FOR:  # "Lehigh Valley" at Lehigh County: in the area, somewhere
        return "region"
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
