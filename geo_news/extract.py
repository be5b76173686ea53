"""Find place mentions in text: spaCy NER, checked and completed by gazetteer phrase matching.

The extractor keeps spaCy's GPE/LOC/FAC entities, rescues names the model mislabels (a sea tagged NORP, a city
tagged PERSON right after "in") when the gazetteer knows them as important places, and adds gazetteer names the
model missed. It drops what is clearly not a place: people, organisations and nationality words, unless the
caller asks for demonyms, which are then mentions of their country.

It is also a spaCy component: ``nlp.add_pipe("geo_news_places")`` writes ``doc.spans["places"]``.
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Callable, Sequence

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Span

from .gazetteer import Gazetteer, normalize
from .gazetteer.normalize import division_stem
from .gazetteer.store import salient, spelling_distance
from .lexicon import (
    DESCRIPTION_NOUNS, FEATURE_CUES, LOCATED_VERBS, PLACE_NOUNS, PLACE_PREPOSITIONS, PLURAL_FEATURE_NOUNS,
    WORDS_AFTER_A_PLACE, WORDS_BEFORE_A_PLACE,
)
from .model import CONTEXT_LABEL, DEMONYM_LABEL, DEMONYM_SOURCE, Mention
from .recognize import TITLES, Recognizer, word_features
from .recognize import default as default_recognizer
from .resources import demonym_countries
from .wordlists import census_names, stem_zipf, zipf

PLACE_LABELS = {"GPE", "LOC", "FAC"}
RESCUE_LABELS = {"NORP", "PERSON", "ORG", "PRODUCT", "WORK_OF_ART", "EVENT", "LANGUAGE", "LAW"}
_COORDINATING = {"and", ",", "or", "&", "on", "in", "near", "at", "to"}
CALENDAR_WORDS = frozenset(
    {w.lower() for w in (*calendar.month_name[1:], *calendar.month_abbr[1:], *calendar.day_name, *calendar.day_abbr)}
    | {"sept", "tues", "thurs", "christmas", "easter", "ramadan", "eid", "thanksgiving", "hanukkah", "diwali",
       "passover", "halloween", "lent", "advent", "new", "year", "day", "eve"})
"""Words of dates: a proper noun among them inside a date entity is the date, not a place."""
"""Words that join the parts of one entity that are each a place ("Kyiv and Odesa", "Honiara on Guadalcanal")."""
_MAX_NGRAM = 6
GENERIC_WORDS = {"north", "south", "east", "west", "central", "western", "eastern", "northern", "southern",
                 "northeast", "northwest", "southeast", "southwest", "northeastern", "northwestern", "southeastern",
                 "southwestern", "midwest", "earth", "moon", "sun", "man", "lot",
                 "gulf", "bay", "titan", "mars", "venus", "union", "mission", "liberty", "independence", "paradise",
                 "hope", "unity", "victory", "progress", "justice", "orange", "globe", "eden", "street", "center",
                 "centre", "airport", "delta", "olympic", "act", "harbor", "harbour", "beach", "park"}
"""Single words that name some place somewhere but, standing alone in news text, almost never mean it."""
FACILITY_WORDS = {"street", "streets", "st", "avenue", "ave", "road", "rd", "boulevard", "blvd", "drive", "lane",
                  "park", "square", "bridge", "highway", "airport", "station", "school", "elementary", "university",
                  "college", "hospital", "church", "center", "centre", "mall", "hotel", "building", "tower",
                  "stadium", "arena", "library", "plaza", "pike", "parkway", "expressway", "freeway", "turnpike"}
"""A name followed by one of these, capitalised, is a street or building named after a place ("Washington
Avenue"); in lower case it is a place named as the site of something ("the Benghazi hospital")."""
NAMED_AFTER_WORDS = {"virus", "viruses", "ebolavirus", "fever", "flu", "influenza", "strain", "syndrome",
                     "disease", "variant", "encephalitis"}
"""A name followed by one of these is a disease named after a place ("Marburg virus", "Lassa fever")."""
JURISDICTION_WORDS = {
    "department", "ministry", "house", "senate", "army", "navy", "air", "government", "legislature", "assembly",
    "parliament", "court", "police", "embassy", "consulate", "attorney", "highway", "national", "forest", "fire",
    "health", "military", "coast", "border", "defense", "defence", "foreign", "interior", "federal", "congress",
    "supreme", "board", "commission", "office", "agency", "guard", "forces", "patrol", "troops", "marines",
    "public", "secretary", "governor", "state", "central", "civil", "customs", "immigration", "election",
    "electoral", "treasury", "cabinet", "administration", "authorities", "authority", "officials", "regime",
    "centers", "institutes", "bureau", "service", "geological", "environmental", "food", "fish", "marshals",
}
"""Words that make "<place> <word> ..." an organ of that place's government: "Texas Department of Health",
"U.S. House", "Syrian Army"; the place is named as a jurisdiction. ("Georgia Tech", "Washington Post" are not.)"""
_OTHER_FEATURE_WORDS = {"creek", "river", "lake", "hill", "hills", "mountain", "mountains", "valley", "springs",
                        "spring", "falls", "island", "islands", "bay", "beach", "forest", "woods", "heights", "point",
                        "ridge", "canyon", "gardens", "estates", "run", "branch", "fork", "glen", "meadows", "pointe"}
"""Capitalised after a place name, these make another, smaller place of the same name ("Madison Creek")."""
_AGENCY_WORDS = {"commission", "board", "department", "agency", "authority", "bureau", "division", "ministry",
                 "administration", "service", "demographer", "police", "patrol", "guard"}
"""A state's organisation ending in one of these is one of its agencies: "Texas Water Development Board"."""
_AIRPORT_WORDS = {"international", "intl", "airport", "regional", "municipal", "airfield", "air", "base"}
_OWN_NAME_KINDS = {"preferred", "official", "short", "abbr"}
_PLACE_ONLY_VERBS = {"shell", "bomb", "bombard", "pound", "besiege", "encircle", "capture", "seize", "liberate",
                     "evacuate", "overrun", "storm", "raid", "recapture", "occupy", "annex"}
"""Verbs whose object is a place, never a person: "shelled Kherson" (the model may tag Kherson PERSON)."""
_MOVEMENT_VERBS = {"hit", "strike", "shell", "bomb", "pound", "attack", "target", "raid", "bombard", "reach",
                   "enter", "capture", "seize", "liberate", "besiege", "encircle", "storm", "overrun", "evacuate",
                   "leave", "flee", "visit", "cross"}
SPAN_KEY = "places"
NAME_CONNECTORS = frozenset({"de", "del", "della", "des", "do", "da", "dos", "das", "di", "du", "al", "el", "ad",
                             "ash", "ar", "ibn", "bin", "bani", "beni", "sur"})
"""Lower-case words inside a place's name, between capitalised ones ("Viña del Mar", "Ain al-Hilweh",
"Croix-des-Bouquets", "Bani Walid"; see ``PlaceExtractor._whole_names``)."""
_HYPHENS = frozenset({"-", "\u2010", "\u2011"})
_JOINED_CONNECTORS = NAME_CONNECTORS | {"upon", "on", "under", "le", "la", "les", "en", "am", "an", "der", "lès"}
"""Connectors that join a name only with hyphens ("Stoke-on-Trent", "Saint-Denis-la-Plaine"): "on" between spaces
is a preposition."""
HASHTAG_LABEL = "HASHTAG"
"""Label of a place named by a CamelCase hashtag ("#SouthSudan"): the span is the tag's text, the name its words."""
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def hashtag_name(tag: str) -> str:
    """The words of a CamelCase hashtag: "SouthSudan" -> "South Sudan" (the '#' is not part of the span)."""
    return _CAMEL.sub(" ", tag.lstrip("#"))


def _capitals(tok) -> bool:
    """A word written in capitals, as headlines and datelines write names ("KYIV, Ukraine (AP) —"; a dateline's
    shorter words too: "JOS, Nigeria —")."""
    return tok.is_upper and tok.is_alpha and len(tok) >= 4 or _dateline(tok)


def _listed_between_places(span: Span, taken: list[bool]) -> bool:
    """An item of a list whose neighbours on both sides are places already found: "Bakhmut, Avdiivka and
    Vuhledar", "Kupiansk, Lyman, Siversk". The items of one list share their kind."""
    doc = span.doc
    before, after = span.start - 1, span.end
    if before < 1 or after >= len(doc) - 1 or doc[before].text != ",":
        return False
    if doc[after].lower_ not in {",", "and", "or"}:
        return False
    nxt = after + 1
    if doc[after].text == "," and doc[nxt].lower_ in {"and", "or"}:  # the serial comma: "Lyman, Siversk, and ..."
        nxt += 1
    return taken[before - 1] and nxt < len(doc) and taken[nxt]


def _trim(span: Span) -> Span | None:
    """Drop a leading determiner, trailing possessive/punctuation, a direction before "of", and any @handle or
    link or dash set apart by spaces (with what follows) from an entity span."""
    start, end = span.start, span.end
    doc = span.doc
    end = next((t.i for t in span if t.text.startswith("@") or t.like_url), end)  # a handle or a link ends it
    # a dash set apart by spaces ends a name too: "New Hampshire - Presidential" of "Exeter, New Hampshire -
    # Presidential hopefuls packed ...", a dateline the model ran on into the story
    end = next((t.i for t in span if t.i > start and t.text in _SPACED_DASHES and t.whitespace_
                and doc[t.i - 1].whitespace_), end)
    while start < end and (doc[start].lower_ in {"the", "a", "an"} or doc[start].is_punct
                           or end - start > 1 and doc[start].text in _SIDES):  # "west London": London
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space or doc[end - 1].lower_ in {"'s", "’s", "'"}
                           or end - 1 > start and doc[end - 1].lower_ in _COORDINATING  # "Macomia in"
                           or end - 1 > start and end < len(doc) and doc[end].lower_ == "of"
                           and doc[end - 1].lower_ in _COMPASS):  # "the Taiwan Strait east" of Pingtan
        end -= 1
    return doc[start:end] if end > start else None


ONE_SENSE_PROBABILITY = 0.8
"""How sure the recogniser must be of one mention of a name for the story's other mentions of it to be taken too."""

_SPACED_DASHES = frozenset({"-", "–", "—", "--"})

_COMPASS = frozenset({"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"})
"""Directions: one ending an entity right before "of" says where something lies from the next name ("the Taiwan
Strait east of Pingtan") and is no part of the name before it."""


_SIDES = _COMPASS | {"northern", "southern", "eastern", "western", "central", "northeastern", "northwestern",
                     "southeastern", "southwestern"}
"""A direction written in lower case at the start of an entity names a part of the place after it ("west London",
"northern Gaza"), never part of its name (a name's own direction is capitalised: "West Bank")."""

_GENERIC_AFTER_A_NAME = WORDS_AFTER_A_PLACE | FACILITY_WORDS | {"international", "regional"}
"""Words that follow a place's name without being part of it ("Virginia State Police", "Manhattan Regional
Airport"): a split name is never carried over these alone."""

_SPEECH_VERBS = {"say", "tell", "add", "explain", "state", "recall", "testify", "ask", "reply", "note", "argue"}
_PERSONAL_NOUNS = {"hand", "hands", "wife", "husband", "family", "mother", "father", "son", "daughter", "body",
                   "attorney", "lawyer", "home", "house", "car", "death", "arrest", "friend", "girlfriend",
                   "boyfriend", "brother", "sister", "parents", "children", "life", "head", "office"}


def _before_list_glue(doc: Doc, start: int) -> int:
    """The token before the commas and conjunctions that precede ``start`` (-1 at the doc's start): the item a
    name is listed after ("Aleppo and Hama"); ``start - 1`` when nothing joins them."""
    k = start - 1
    while k >= 0 and doc[k].lower_ in {",", "and", "or", "&"}:
        k -= 1
    return k


def _dateline(tok) -> bool:
    """A word of a wire dateline: in capitals, in the run of capitalised words that opens a line and ends at a
    comma or a colon ("LASHIO, Myanmar —", "TEL AVIV, Israel (AP) —", "COX'S BAZAR, Bangladesh", "ST. JOHN'S,
    Newfoundland", "KHARTOUM: Fighting resumed"). The parser often makes it the subject of the first verb ("LASHIO, Myanmar
    — The army said"); it names where the story was filed, not a speaker."""
    def caps(t) -> bool:  # a word in capitals, its possessive "'S", or the stop of an abbreviation ("ST.")
        return (t.is_upper and (t.is_alpha and len(t) >= 2 or t.text in {"'S", "’S"})
                or t.text == "." and t.i > 0 and not t.doc[t.i - 1].whitespace_ and t.doc[t.i - 1].is_upper
                and t.doc[t.i - 1].is_alpha)

    if not caps(tok):
        return False
    doc, start, end = tok.doc, tok.i, tok.i + 1
    while start > 0 and caps(doc[start - 1]):
        start -= 1
    while end < len(doc) and caps(doc[end]):
        end += 1
    opens_line = start == 0 or "\n" in doc[start - 1].text_with_ws or doc[start - 1].is_space
    return opens_line and end < len(doc) and doc[end].text in {",", ":"} and doc[start].text[:1].isalpha()


def _speakers(doc: Doc) -> set[tuple[str, int]]:
    """Single proper names the story treats as people, with where they stand: "Bell said", "said Bell", "Bell's
    hand" (never a dateline's word)."""
    out = set()
    for tok in doc:
        if tok.pos_ != "PROPN" or _dateline(tok):
            continue
        if tok.dep_ == "nsubj" and tok.head.lemma_.lower() in _SPEECH_VERBS:
            out.add((tok.lower_, tok.i))
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        after = doc[tok.i + 2] if tok.i + 2 < len(doc) else None
        if nxt is not None and nxt.lower_ in {"'s", "’s"} and after is not None and after.lower_ in _PERSONAL_NOUNS:
            out.add((tok.lower_, tok.i))
    return out


def _person_word(word: str) -> bool:
    """Whether a lower-cased word is a given name or surname of at least ``PERSON_NAME_SHARE`` per cent of people."""
    return word in census_names("given", PERSON_NAME_SHARE) or word in census_names("surname", PERSON_NAME_SHARE)


def _people(doc: Doc, salient: frozenset[str], headline: Sequence[Span] = ()) -> dict[str, set[tuple[int, int]]]:
    """First and last names of the people a story names ("Kristina and Tim Jones"), and its speakers, each with
    the token spans of the names it comes from (a speaker's is its own word: the name that speaks is no evidence
    about itself, "Livingstone, the tourist town on Zambia's side of the falls, says bookings have recovered").
    An entity a headline's name runs into is no one's name ("Athens Swelters": ``headline``, the names the
    headline was read to hold)."""
    names: dict[str, set[tuple[int, int]]] = {}
    for e in doc.ents:
        if any(t.text[:1] in "@#" for t in e) or e.start > 0 and doc[e.start - 1].text == "#":
            continue  # "#Manbij @rojava_watch" tagged PERSON: a hashtag and a handle, no one's name
        if any(e.start <= r.start and r.end <= e.end and len(r) < len(e) for r in headline):
            continue
        if e.label_ == "PERSON" and len(e) > 1 and e[0].lower_ not in WORDS_AFTER_A_PLACE | FACILITY_WORDS:
            for t in (e[0], e[-1]):  # ("Village Malakal" is no one's name)
                names.setdefault(t.lower_, set()).add((e.start, e.end))
    for n, i in _speakers(doc):
        if normalize(doc[i].text) not in salient:  # "Spain says", "The U.S. said" are still places
            names.setdefault(n, set()).add((i, i + 1))
    return names


def _coordinated_parts(span: Span) -> list[Span]:
    """The capitalised names an entity coordinates ("Suzu and Anamizu", "Virac on Catanduanes", both tagged ORG;
    "Chad at Adre" WORK_OF_ART, "Apatzingán to Aguililla" ORG; "Macomia", "Mozambique" and "Cabo Delgado" of
    "Macomia in Mozambique's Cabo Delgado"; "Jacobabad" and "Dadu" of "Floodwater surrounded Jacobabad and Dadu"):
    each part's last run of capitalised words (name connectors such as "da" kept inside); the entity itself when it
    coordinates nothing."""
    doc = span.doc
    parts, start = [], span.start
    for i in range(span.start, span.end + 1):
        if i == span.end or doc[i].lower_ in _COORDINATING:
            if i > start:  # "Macomia in Mozambique's Cabo Delgado": the possessor is a part of its own
                parts.extend(_name_tail(piece) for piece in _possessive_parts(doc[start:i]))
            start = i + 1
    if len(parts) < 2 or not all(p is not None for p in parts):
        return [span]
    return parts


def _name_tail(span: Span) -> Span | None:
    """The run of capitalised words a span ends with, or None when it ends in a lower-case word."""
    start = span.end
    while start > span.start and (span.doc[start - 1].text[:1].isupper()
                                  or start - 1 > span.start and span.doc[start - 1].lower_ in NAME_CONNECTORS):
        start -= 1
    if start < span.end and span.doc[start].lower_ in NAME_CONNECTORS:
        start += 1
    return span.doc[start:span.end] if start < span.end else None


def _possessive_parts(span: Span) -> list[Span]:
    """A name, or the names either side of a possessive inside it ("Kharkiv's Saltivka")."""
    cuts = [t.i for t in span if t.lower_ in {"'s", "’s"} and t.i < span.end - 1]
    if not cuts:
        return [span]
    parts, start = [], span.start
    for c in cuts + [span.end]:
        if c > start:
            parts.append(span.doc[start:c])
        start = c + 1
    return parts


class _Selection:
    """What the passes of :meth:`PlaceExtractor._spans` have decided about one doc's tokens so far: the spans
    taken as places, the places named inside organisations (context), the names left to the recogniser, and
    which tokens are taken or blocked (inside an entity the rules declined)."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.chosen: list[Span] = []
        self.inside: list[Span] = []
        self.pending: list[tuple[Span, str]] = []
        self.taken = [False] * len(doc)
        self.blocked = [False] * len(doc)
        self.headline: list[Span] = []
        """The runs of a headline its recasing read as names (:func:`headline_names`)."""
        self.names: dict[tuple[int, int], str] = {}
        """The name to look up for a chosen span, where it is not its text ("Butler" of "Butler and Warren
        counties" is "Butler County")."""

    def take(self, span: Span, label: str) -> None:
        self.chosen.append(Span(self.doc, span.start, span.end, label=label))
        for i in range(span.start, span.end):
            self.taken[i] = True

    def free(self, span: Span) -> bool:
        return not any(self.taken[i] for i in range(span.start, span.end))

    def block(self, span: Span) -> None:
        for i in range(span.start, span.end):
            if not self.taken[i]:
                self.blocked[i] = True

    def block_except_names(self, span: Span) -> None:
        """Block the tokens of a number or date entity except the proper names in it that are not calendar
        words ("Manbij" tagged DATE is a name; "March" and "Christmas" are dates)."""
        for tok in span:
            name = tok.pos_ == "PROPN" and tok.text[:1].isupper() and tok.lower_.rstrip(".") not in CALENDAR_WORDS
            if not self.taken[tok.i] and not name:
                self.blocked[tok.i] = True

    def unblock(self, span: Span) -> None:
        for i in range(span.start, span.end):
            self.blocked[i] = False


_LIST_JOINERS = frozenset({",", "and", "or", "&"})


def _name_run_before(doc: Doc, end: int) -> int:
    """The start of the run of capitalised words that ends right before token ``end`` (``end`` when none)."""
    start = end
    while start > 0 and doc[start - 1].text[:1].isupper() and (doc[start - 1].is_alpha
                                                               or "-" in doc[start - 1].text):
        start -= 1
    return start


def _list_before(doc: Doc, end: int) -> list[Span]:
    """The names of a coordinated list that ends right before token ``end`` ("Cooke, Grayson and Love" before
    "counties"), last item first; empty when there is no such list (one name, or names without "and" / "or")."""
    items = []
    while len(items) <= 8:
        start = _name_run_before(doc, end)
        if start == end:
            break
        items.append(doc[start:end])
        k = start - 1
        while k >= 0 and doc[k].lower_ in _LIST_JOINERS:
            k -= 1
        if k == start - 1:
            break  # nothing joins this name to one before it
        end = k + 1
    coordinated = len(items) >= 2 and any(t.lower_ in {"and", "or", "&"} for t in doc[items[-1].end:items[0].start])
    return items if coordinated else []


def _listed_kinds(sel: _Selection, gazetteer: Gazetteer) -> None:
    """"Butler and Warren counties", "the Kherson and Zaporizhzhia regions", "Dadu and Jacobabad districts": a
    plural feature noun after a list of names makes every item a place of that kind. Each item the gazetteer
    knows, as "<name> <kind>" ("Butler County") or by its name, is taken, and looked up in the form it knows. A list
    whose every item is a state's or a country's own name stays states ("Texas and Oklahoma counties" are the
    counties of two states), but "Washington and Jefferson counties" are two counties."""
    def state(item: Span) -> bool:
        return any((p.feature_code == "ADM1" or p.feature_code.startswith("PCL")) and how in _OWN_NAME_KINDS
                   for p, how, _ in gazetteer.candidates(item.text))

    doc = sel.doc
    for tok in doc[1:]:
        kind = PLURAL_FEATURE_NOUNS.get(tok.lower_)
        items = _list_before(doc, tok.i) if kind is not None else []
        states = bool(items) and all(state(item) for item in items)
        for item in items:
            form = f"{item.text} {kind.title()}"
            if states or not gazetteer.candidates(form):
                form = item.text if gazetteer.candidates(item.text) else None
            if form is None:
                continue
            if sel.free(item):
                sel.take(item, "GAZ")
            elif not any(c.start == item.start and c.end == item.end for c in sel.chosen):
                continue  # part of a longer name already taken
            if form != item.text:
                sel.names[(item.start, item.end)] = form


def _complete_lists(sel: _Selection, gazetteer: Gazetteer) -> None:
    """"Bakhmut, Avdiivka and Vuhledar": the items of one list share their kind, so a pending name between two
    places is a place (repeated: each one found can complete another)."""
    grew = True
    while grew:
        grew = False
        for span, _ in sel.pending:
            if sel.free(span) and _listed_between_places(span, sel.taken) and gazetteer.candidates(span.text):
                sel.take(span, "GAZ")
                grew = True


CAPS_LINE_MIN_LETTERS = 12
"""A line is read as an all-capitals headline ("JIHADISTS KILL DOZENS NEAR BURKINA BORDER") only with this many
cased letters or more..."""
CAPS_LINE_SHARE = 0.9
"""... and at least this share of them capitals."""
CAPS_COMMON_ZIPF = 3.0
"""A capitalised word at least this common in English (wordfreq's Zipf scale), or an inflection of one
("REPELS": "repel" is 3.2), is read as a word, lower-cased; a rarer one as a name, title-cased ("CONDEMNS" is 3.2,
"PAHALGAM" 1.5)..."""
CAPS_VERY_COMMON_ZIPF = 5.0
"""... unless it is a salient name of the gazetteer: then only one at least this common is read as a word
("CENTRAL", "LINE"; "GAZA" is 3.9, "PARIS" 4.8), unless it names a country or a big city (``CAPS_CITY_POPULATION``)."""
PERSON_NAME_SHARE = 0.001
"""A word held as a given name or surname by this share of people (per cent, US census) or more is a person's name
where a headline's place name runs into it ("Mir Ali Market", "Paris Hilton Visits")."""
_NOT_OWN_IN_CAPITALS = frozenset({"alternate", "short", "abbr"})
"""A word in capitals as common in English as ``CAPS_COMMON_ZIPF`` is a name only where it is a salient place's own
name, not a division's short form ("PORT" of Malta's Port Region), an abbreviation ("MASS") or an alternate name."""
CAPS_CITY_POPULATION = 500_000
"""A city this big is a name in capitals however common its name is as a word ("LONDON", "WASHINGTON")."""
RARE_WORD_ZIPF = 4.0
"""A salient name rarer than this in English is a name even where the tagger reads a word at a sentence's start
("Lagos floods: ...", an adjective to it); a commoner one only where it reads a name ("Nice weather", "Reading
is")."""
CAPS_SHORT = 3
"""Words this short keep their capitals (UN, EU, UK, LA), unless they are English stop words (IN, OF, TO)..."""
CAPS_SHORT_COMMON_ZIPF = 5.2
"""... or words at least this common (HIT, WAR, TWO; UK is 5.1)."""
_CAPS_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_ENDING = re.compile(r"['’][^\W\d_]+$")  # "BENIN'S": the name, then its ending
_NAME_GLUE = re.compile(r"[ \t-]+")
_ELIDED = re.compile(r"[a-z]{1,3}['’][^\W\d_]+")
"""A name word after an elided particle ("d'Ampezzo" of "Cortina d'Ampezzo", "dell'Adda"): the model cuts names
there."""


TITLE_WORD_LETTERS = 4
"""A line is read as a headline in Title Case ("Myanmar Rebels Seize Lashio, Home of Army's Northeastern
Command") when its words of this many letters or more..."""
TITLE_MIN_WORDS = 4
"""... number at least this many..."""
TITLE_SHARE = 0.85
"""... and at least this share of them start with a capital (running text, even full of names, has its verbs and
nouns in lower case: "Ukrainian troops pulled back from two villages west of Toretsk", 3 of 8)."""


TITLE_FEATURE_NOUNS = frozenset(k for k, classes in FEATURE_CUES.items() if set(classes) & {"H", "T", "S"})
"""In a Title Case headline, a feature's noun ("Bay", "Island", "River", "Valley", "Airport") after capitalised
words keeps them and itself as a name."""


def _title_cased(word: str) -> bool:
    """"Seize", "Lashio", "A"; not "US", "McAllen" or "of"."""
    return word[:1].isupper() and word[1:] == word[1:].lower()


def _headline(line: str) -> str | None:
    """``"caps"`` for an all-capitals line, ``"title"`` for a line in Title Case, else None (running text)."""
    cased = [c for c in line if c.isupper() or c.islower()]
    if len(cased) >= CAPS_LINE_MIN_LETTERS and sum(c.isupper() for c in cased) >= CAPS_LINE_SHARE * len(cased):
        return "caps"
    long_words = [w.group() for w in _CAPS_WORD.finditer(line) if len(w.group()) >= TITLE_WORD_LETTERS]
    if len(long_words) >= TITLE_MIN_WORDS and sum(w[0].isupper() for w in long_words) >= TITLE_SHARE * len(long_words):
        return "title"
    return None


def headline_names(text: str, is_name: Callable[[str, int, bool], bool]) -> list[tuple[int, int]]:
    """The character ranges of the runs of words :func:`recase_capitals` reads as names in the text's headline
    lines ("ATHENS" and "GREECE" of "ATHENS SWELTERS AS GREECE ORDERS WORK HALTED"): where the model then takes a
    name and the next word for one title ("Athens Swelters", a person), the name is what the headline named."""
    runs: list[tuple[int, int]] = []
    recase_capitals(text, is_name, runs)
    return runs


def recase_capitals(text: str, is_name: Callable[[str, int, bool], bool],
                    runs: list[tuple[int, int]] | None = None) -> str:
    """The text with every headline line — all capitals, or Title Case — in the case running text would have, with
    the same length and offsets: the small English model reads "INDIA, PAKISTAN TRADE FIRE IN KASHMIR AFTER
    PAHALGAM ATTACK" as one organisation or nothing, "Myanmar Rebels Seize Lashio, Home of Army's Northeastern
    Command" as nothing, and each in running case as the places it names.

    A run of up to three words that ``is_name`` (given the run normalised, its number of words, and whether the
    line is in Title Case, where keeping a capital changes nothing the writer wrote) takes for a name
    is title-cased ("NEW YORK", "RED SEA", "INDIA"); short words keep their capitals unless they are stop words or
    very common; the other words are lower-cased when common in English and title-cased when rare (a name:
    "PAHALGAM", "KHIAM", "Sudzha"). In a Title Case line only the words in Title Case are touched (an acronym, "US",
    "UN", stays). Lines of running text (a dateline with its story: "KYIV, Ukraine (AP) — ...") are left as they
    are, and so is any word whose case mapping would change its length. The character ranges of the runs read as
    names are added to ``runs`` when one is given."""
    out = list(text)
    pos = 0
    for line in text.splitlines(keepends=True):
        kind = _headline(line)
        if kind is not None:
            _recase_line(line, pos, out, is_name, kind == "title", runs)
        pos += len(line)
    return "".join(out)


def _recase_line(line: str, pos: int, out: list[str], is_name: Callable[[str, int, bool], bool], title: bool,
                 runs: list[tuple[int, int]] | None = None) -> None:
    """Write the running-case form of one headline ``line`` (at ``pos`` of the text) into ``out``, and the ranges
    of the runs of words it reads as salient names into ``runs``."""
    words = list(_CAPS_WORD.finditer(line))
    named = [False] * len(words)
    for n in (3, 2, 1):  # salient names, longest first
        for i in range(len(words) - n + 1):
            j = i + n - 1
            if any(named[i:j + 1]) or any(not _NAME_GLUE.fullmatch(line[words[k].end():words[k + 1].start()])
                                          for k in range(i, j)):
                continue
            core = _ENDING.sub("", line[words[i].start():words[j].end()])
            if title and n == 1 and core.lower() in PLACE_NOUNS and j + 1 < len(words) \
                    and words[j + 1].group().lower() == "of":
                continue  # "Port Of Baltimore": the port of Baltimore
            if is_name(normalize(core), n, title):
                named[i:j + 1] = [True] * n
                if runs is not None:
                    runs.append((pos + words[i].start(), pos + words[i].start() + len(core)))
    if title:  # "Casco Bay", "Peaks Island": the words before a feature's noun are its name, as the writer set them
        for k, w in enumerate(words):
            if (w.group().lower() in TITLE_FEATURE_NOUNS and k > 0 and not named[k] and not named[k - 1]
                    and _title_cased(words[k - 1].group()) and words[k - 1].group().lower() not in STOP_WORDS):
                first = k - 1
                while (first > 0 and k - first < 2 and _title_cased(words[first - 1].group()) and not named[first - 1]
                       and words[first - 1].group().lower() not in STOP_WORDS
                       and _NAME_GLUE.fullmatch(line[words[first - 1].end():words[first].start()])):
                    first -= 1
                if all(_NAME_GLUE.fullmatch(line[words[x].end():words[x + 1].start()]) for x in range(first, k)):
                    named[first:k + 1] = [True] * (k + 1 - first)
    for k, (w, name) in enumerate(zip(words, named)):
        word = w.group()
        core = _ENDING.sub("", word)
        if title and not _title_cased(core):
            continue  # in a Title Case line, a word in lower case or an acronym is as the writer meant it
        low = core.lower()
        if name:
            new = low if k > 0 and low in STOP_WORDS else core[:1] + core[1:].lower()  # "Strait of Hormuz"
        elif len(core) <= CAPS_SHORT:  # "US" is no "us"
            new = low if (low in STOP_WORDS or zipf(low) >= CAPS_SHORT_COMMON_ZIPF) and low != "us" else core
        else:
            new = low if max(zipf(low), stem_zipf(low)) >= CAPS_COMMON_ZIPF else core[:1] + core[1:].lower()
        if k == 0:
            new = new[:1].upper() + new[1:]
        new = new + word[len(core):].lower()
        if len(new) == len(word):
            out[pos + w.start():pos + w.end()] = new


class PlaceExtractor:
    """Find place mentions in a parsed spaCy ``Doc``.

    Parameters
    ----------
    gazetteer : Gazetteer
        Used to rescue mislabelled names and to find names the model missed.
    demonyms : bool
        Return nationality adjectives ("Russian", "Syrian") as mentions of their country.

    Examples
    --------
    >>> extractor = PlaceExtractor(gaz)                       # doctest: +SKIP
    >>> [m.text for m in extractor(nlp("Shells hit Aleppo."))]  # doctest: +SKIP
    ['Aleppo']
    """

    def __init__(self, gazetteer: Gazetteer, *, demonyms: bool = False, recognizer: Recognizer | None = None) -> None:
        self.gazetteer = gazetteer
        self.demonyms = demonyms
        self._salient = gazetteer.salient_names()
        self.recognizer = recognizer if recognizer is not None else default_recognizer()
        self.collected: list | None = None
        """Set to a list to keep every name the recogniser scored, as ``(doc, span, features, accepted)``."""

    def _known(self, span: Span) -> bool:
        return normalize(span.text) in self._salient

    def readable(self, text: str) -> str:
        """The text as the model should read it: headlines in capitals or Title Case in running case
        (:func:`recase_capitals`), every offset unchanged. Mentions found in it are reported with the original
        text's surface."""
        return recase_capitals(text, self._name_in_capitals)

    def _name_in_capitals(self, norm: str, words: int, title: bool = False) -> bool:
        """Whether a run of words in a headline is a name: a salient name of the gazetteer ("GAZA CITY", "KASHMIR";
        in capitals, one word very common in English only as the name of a country or a city of half a million:
        "INDIA", "LONDON", not "CENTRAL", "LINE" or "NICE", and one common at all only as a salient place's own
        name: "GAZA", not "PORT", the short form of a division's name; in Title Case, where its capital is the
        writer's own, any but one known only as an abbreviation: "Nice", "Bath", not "Car" for CAR), or a
        nationality word."""
        if norm in demonym_countries():
            return words == 1
        if title and norm not in self._salient and norm not in GENERIC_WORDS:
            # in Title Case, words that are a town's or a division's own name keep the capitals their writer gave
            # them, one word only when no commoner than a town's name ("Gorge Flooding Hits Ithaca", "Canton Gears
            # Up as Stark County Expects Record Crowds")
            return (words > 1 or zipf(norm) < RARE_WORD_ZIPF) and any(
                p.feature_class in ("P" if words == 1 else "PA") and kind in _OWN_NAME_KINDS
                for p, kind, _ in self.gazetteer.candidates(norm))
        if norm not in self._salient or words == 1 and norm in GENERIC_WORDS:
            return False
        if title:
            return words > 1 or any(kind not in {"abbr", "alternate"} and salient(p)
                                    for p, kind, _ in self.gazetteer.candidates(norm))
        if words > 1:
            return True
        own = [p for p, kind, _ in self.gazetteer.candidates(norm) if kind not in _NOT_OWN_IN_CAPITALS]
        common = zipf(norm)
        return (common < CAPS_COMMON_ZIPF or any(salient(p) for p in own) and common < CAPS_VERY_COMMON_ZIPF
                or any(p.feature_code.startswith("PCL") or p.population >= CAPS_CITY_POPULATION for p in own))

    def _in_place_slot(self, span: Span) -> bool:
        """Where grammar expects a place: after a locative preposition, or as what a strike or move reaches."""
        doc = span.doc
        before = doc[span.start - 1].lower_ if span.start > 0 else ""
        root = span.root
        while root.dep_ == "conj" and root.head.i != root.i:  # "struck Ashkelon and Sderot"
            root = root.head
        if span.root.dep_ == "compound" or any(c.dep_ == "compound" and not span.start <= c.i < span.end
                                               for c in span.root.children):
            return False  # part of a longer name: "Main Street", "Lincoln bicentennial"
        preps = PLACE_PREPOSITIONS | {"on", "upon"}
        return (before in preps or root.dep_ == "pobj" and root.head.lower_ in preps
                or root.dep_ == "dobj" and root.head.lemma_.lower() in _MOVEMENT_VERBS)

    @staticmethod
    def _described_as_place(span: Span) -> bool:
        """Whether the sentence says what the name is, and it is a kind of place: the subject of "is a city",
        "is the capital of", "is an unincorporated community", "is located in", or a name with a place noun in
        apposition ("Bilopillia, a town in Sumy region")."""
        root = span.root
        while root.dep_ == "conj" and root.head.i != root.i:  # "Milton and Clifton are villages"
            root = root.head

        def kind(tok) -> bool:  # "a city", "the capital and largest city", "the foothills city west of Denver"
            return tok.lemma_.lower() in DESCRIPTION_NOUNS or any(
                c.dep_ in {"conj", "compound"} and c.lemma_.lower() in DESCRIPTION_NOUNS for c in tok.children)

        if root.dep_ in {"nsubj", "nsubjpass"}:
            head = root.head
            if head.lemma_ == "be" and any(c.dep_ == "attr" and kind(c) for c in head.children):
                return True
            if head.lemma_.lower() in LOCATED_VERBS and any(c.dep_ == "prep" for c in head.children):
                return True
        return (any(c.dep_ == "appos" and c.i >= span.end and kind(c) for c in root.children)
                or root.dep_ == "appos" and root.head.i < span.start and kind(root.head))

    def _rescue(self, ent: Span, span: Span, taken: list[bool]) -> bool:
        """A name the model tagged as something else, kept when context says it is a place."""
        doc = ent.doc
        # coordinated with a place just found: "Aleppo and Hama", "fell on Sderot and Netivot"
        k = _before_list_glue(doc, ent.start)
        if k < ent.start - 1 and k >= 0 and taken[k] and (self._known(span) or self._named_place(span)):
            return True
        before = doc[ent.start - 1].lower_ if ent.start > 0 else ""
        if not self._known(span):
            # a smaller town is enough where the grammar wants a place ("rockets fell on Sderot"), but a
            # person's name as the object of a verb is a person ("struck Bell")
            return (len(span) <= 3 and self._in_place_slot(span) and self._named_place(span)
                    and (ent.label_ != "PERSON" or before in PLACE_PREPOSITIONS | {"on"}
                         or span.root.dep_ == "dobj" and span.root.head.lemma_.lower() in _PLACE_ONLY_VERBS))
        after = doc[ent.end].lower_ if ent.end < len(doc) else ""
        if ent.label_ == "NORP":  # a known proper name that is not a nationality word is a mislabelled place
            return normalize(span.text) not in demonym_countries() and all(t.pos_ == "PROPN" for t in span)
        if span.root.dep_ in {"dobj", "pobj"} and span.root.head.pos_ in {"VERB", "ADP"} and ent.label_ != "PERSON":
            return True  # "struck Ashkelon" (tagged ORG), "attacks on Kherson"
        if ent.label_ == "PERSON" and len(span) == 1 and span.root.dep_ == "dobj" and span.root.head.lemma_ in (
                _MOVEMENT_VERBS):
            return True  # "shelled Kherson", "hit Kramatorsk": a town, not a person, is what gets shelled
        return (before in WORDS_BEFORE_A_PLACE or after in WORDS_AFTER_A_PLACE
                or ent.label_ == "ORG" and ent[0].lower_ == "the")

    def spans(self, doc: Doc, original: str | None = None) -> list[Span]:
        """Place spans of the doc, in order, without overlaps (``original``: see :meth:`__call__`)."""
        return self._spans(doc, original)[0]

    def _spans(self, doc: Doc, original: str | None = None
               ) -> tuple[list[Span], list[Span], dict[tuple[int, int], str]]:
        """The place spans, the places only named inside organisations' names ("the Gainesville Public
        Utilities", "Hall County Environmental Health": not mentions of a place, but context for the others), and
        the names to look up where a span's text is not one (:attr:`_Selection.names`).

        In passes over one :class:`_Selection`: wire datelines the gazetteer knows; CamelCase hashtags; the model's
        entities; the same names again where the model mislabelled them; gazetteer names in the capitalised runs
        the model left untagged; the learned recogniser on the names the rules left pending; list completion; lists
        of one kind ("Butler and Warren counties"); last, the filters."""
        sel = _Selection(doc)
        if original is not None and len(original) == len(doc.text):
            for start, end in headline_names(original, self._name_in_capitals):
                run = doc.char_span(start, end, alignment_mode="contract")
                if run is not None and len(run):
                    sel.headline.append(run)
        self._datelines(sel)
        self._hashtags(sel)
        for ent in doc.ents:
            self._entity(sel, ent)
        self._same_names_again(sel)
        self._scan(sel)
        people = _people(doc, self._salient, sel.headline)
        self._recognise(sel, people)
        _complete_lists(sel, self.gazetteer)
        _listed_kinds(sel, self.gazetteer)
        kept = self._kept(sel, people)
        for span in kept:  # "JOS, Nigeria —": a dateline's town, looked up as a name, not as an acronym
            if all(_dateline(t) for t in span):
                sel.names.setdefault((span.start, span.end), span.text.title())
        return kept, sel.inside, sel.names

    def _datelines(self, sel: _Selection) -> None:
        """A wire dateline's place, taken whole when the gazetteer knows it by its own name, however the model split
        or labelled it ("MAE SOT, Thailand (Reuters) —": MAE and SOT, two ORG): a dateline names where the story
        was filed. Its name is looked up in ordinary case."""
        doc, i = sel.doc, 0
        while i < len(doc):
            if not _dateline(doc[i]):
                i += 1
                continue
            end = i + 1
            while end < len(doc) and _dateline(doc[end]):
                end += 1
            span, name = doc[i:end], doc[i:end].text.title()
            if sel.free(span) and self._named_place(span, name=name):
                sel.take(span, "GAZ")
                sel.names[(i, end)] = name
            i = end

    def _hashtags(self, sel: _Selection) -> None:
        """Hashtags first: a CamelCase one the gazetteer knows is a place (the model takes "#SouthSudan" for a
        person); a one-word one ("#Kharkiv", which the model may call a common noun) goes to the recogniser like
        any untagged name."""
        doc = sel.doc
        for tok in doc[1:]:
            if doc[tok.i - 1].text != "#" or not tok.text[:1].isupper():
                continue
            if _CAMEL.search(tok.text):
                words = hashtag_name(tok.text)
                if normalize(words) in self._salient or self._named_place(doc[tok.i:tok.i + 1], name=words):
                    sel.take(doc[tok.i:tok.i + 1], HASHTAG_LABEL)
            elif tok.is_alpha and not tok.ent_type_:
                sel.pending.append((doc[tok.i:tok.i + 1], "NONE"))

    def _entity(self, sel: _Selection, ent: Span) -> None:
        """What one of the model's entities holds: a place, a facility's site, a nationality word, a place the
        recogniser rescues or leaves pending, or a place named inside an organisation's name (context)."""
        doc = sel.doc
        span = _trim(ent)
        if span is None or not sel.free(span):
            return  # already inside a longer name: "Congo" of "Democratic Republic of the Congo"
        if not any(t.text[:1].isupper() for t in span):
            return  # "heading for Jamaica's south coast": a description in lower case, not a name
        if ent.label_ not in PLACE_LABELS and any(t.is_alpha and t.is_lower and t.pos_ in {"VERB", "AUX"}
                                                  for t in span):
            return  # a clause taken for a title ("Rafah hit Kerem Shalom Crossing", WORK_OF_ART): its names are
            # left to the gazetteer scan and the recogniser, word by word
        longer = self._salient_tail(doc, span.start, span.end)
        if longer > span.end and sel.free(doc[span.start:longer]):  # "English" (LANGUAGE) of "English Channel"
            sel.take(doc[span.start:longer], "GAZ")
            return
        if ent.label_ in PLACE_LABELS:
            own = self.gazetteer.candidates(span.text) if ent.label_ == "FAC" else ()
            if ent.label_ == "FAC" and not own and self.gazetteer.worth_spelling(span.text) and not any(
                    t.lower_ in FACILITY_WORDS for t in span):  # "Pétion-Ville" (FAC): Pétionville, a town
                own = tuple(c[:3] for c in self.gazetteer.spellings(span.text))
            facility = bool(own) and all(p.feature_class == "S" for p, _, _ in own)  # an airport
            if ent.label_ == "FAC" and (not own or facility or ent[-1].lower_ in {"'s", "’s"}):
                # a building or road named after someone ("George Washington High School") holds no place
                # ("St. Paul's" is a church); one named for its site names the site ("the Tartus port",
                # "Vancouver International Airport"), and an airport named for no place is the airport
                sites = self._coordinated_places(span) or [self._site(span) or self._airport(span)]
                for site in sites if any(sites) or not facility else [span]:
                    if site is not None:
                        sel.take(site, "GAZ")
                sel.block(ent)
                return
            sel.take(self._hyphenated(span, sel.taken), ent.label_)
        elif ent.label_ == "NORP" and normalize(span.text) in demonym_countries():
            if self.demonyms:
                sel.take(span, DEMONYM_LABEL)
            else:  # "Israeli airstrikes hit Gaza": not a place mention, but it says where the story is
                sel.inside.append(Span(doc, span.start, span.end, label=CONTEXT_LABEL, kb_id=DEMONYM_SOURCE))
        elif ent.label_ in RESCUE_LABELS and self._rescue(ent, span, sel.taken):
            sel.take(span, "GAZ")
        elif ent.label_ in RESCUE_LABELS and (parts := self._coordinated_places(span)):
            for part in parts:
                sel.take(part, "GAZ")
        elif ent.label_ in RESCUE_LABELS and (parts := self._coordinated_names(span)):
            sel.pending.extend((piece, ent.label_) for part in parts for piece in _possessive_parts(part))
            sel.block(ent)
        elif ent.label_ in RESCUE_LABELS and (parts := self._headline_parts(sel, span)):
            sel.pending.extend((part, ent.label_) for part in parts)  # "Athens Swelters" (PERSON) of a headline
            sel.block(ent)
        else:
            prefix = (self._jurisdiction(span) or self._located(span) or self._airport(span)
                      if ent.label_ == "ORG" else None)
            if prefix is not None:
                sel.take(prefix, "GAZ")
            elif ent.label_ == "ORG" and (head := self._org_place(span)) is not None:
                sel.inside.append(Span(doc, head.start, head.end, label=CONTEXT_LABEL))
            elif ent.label_ in RESCUE_LABELS:
                sel.pending.extend((part, ent.label_) for part in _possessive_parts(span))
            if ent.label_ in RESCUE_LABELS:
                sel.block(ent)
            else:  # a number or time that swallowed a proper name ("Antakya 198 hours" TIME, "Manbij" DATE): the
                sel.block_except_names(ent)  # name is left to the gazetteer scan and the recogniser

    def _same_names_again(self, sel: _Selection) -> None:
        """One sense per discourse for recognition too: a name found as a place once is a place wherever the
        model mislabelled it in the same document ("Alexandria" tagged PERSON in a headline)."""
        found = {normalize(c.text) for c in sel.chosen}
        for ent in sel.doc.ents:
            span = _trim(ent)
            if (span is not None and ent.label_ in RESCUE_LABELS and sel.free(span)
                    and normalize(span.text) in found and normalize(span.text) not in demonym_countries()):
                sel.take(span, "GAZ")
                sel.unblock(span)

    def _recognise(self, sel: _Selection, people: dict[str, set[tuple[int, int]]]) -> None:
        """The learned recogniser decides on the names the rules left pending that the gazetteer knows, as written
        or, where the grammar wants a place, by a close spelling ("shelled Maarat al-Numan": Ma'arrat an Nu'man);
        a name it takes is then taken wherever else it is pending in the story."""
        named: set[str] = set()
        for span, label in sel.pending:
            if not sel.free(span):
                continue
            cands, spelling = self.gazetteer.candidates(span.text)[:20], 0.0
            if not cands and self._spelling_worth_trying(span, sel.taken):
                found = self.gazetteer.spellings(span.text)
                cands = tuple((p, kind, imp) for p, kind, imp, _ in found)
                spelling = spelling_distance(found[0][3]) if found else 0.0
            if not cands:
                continue
            features = self._rescue_features(span, label, sel.taken, people, cands)
            features["spelling"] = spelling
            probability = self.recognizer.probability(features)
            accepted = probability >= self.recognizer.threshold
            if self.collected is not None:
                self.collected.append((sel.doc, span, features, accepted))
            if accepted:
                sel.take(span, "GAZ")
                if features["described_as_place"] or probability >= ONE_SENSE_PROBABILITY:
                    named.add(normalize(span.text))
        # one sense per discourse: a name the recogniser is sure of, or took where the sentence says what it is,
        # again where it alone would not have taken it ("the ZIP Code for Hamilton's" after "Hamilton is a city in
        # Ravalli County"); a name taken narrowly once ("to Hamas", 0.44) is not carried over the story
        for span, _ in sel.pending:
            if sel.free(span) and normalize(span.text) in named:
                sel.take(span, "GAZ")

    def _kept(self, sel: _Selection, people: dict[str, set[tuple[int, int]]]) -> list[Span]:
        """The chosen spans, whole names, less generic words, names of things named after a place, and single
        words that are a person's name in the same story, in text order."""
        doc = sel.doc
        chosen = self._whole_names(sel.chosen)
        chosen = [s for s in chosen if not (len(s) == 1 and s[0].lower_ in GENERIC_WORDS)
                  and not (s.end < len(doc) and (doc[s.end].lower_ in NAMED_AFTER_WORDS or doc[s.end].lower_ in
                                                 FACILITY_WORDS and doc[s.end].text[:1].isupper()
                                                 and not self._names_airport(s)))]
        # a single word that is also the first or last name of a person in the same story ("Kristina and Tim
        # Jones", "coach Ripley") is a place only right after a place preposition, or where a sentence of the story
        # says it is one ("Livingstone, the tourist town on Zambia's side of the falls, says ..."; "Hamilton is a
        # city in Ravalli County ... It was named for J.W. Hamilton ... Hamilton made headlines")
        described = {s[0].lower_ for s in chosen if len(s) == 1 and s[0].lower_ in people
                     and self._described_as_place(s)}
        chosen = [s for s in chosen if not (len(s) == 1 and s[0].lower_ in people and not (
            s.start > 0 and doc[s.start - 1].lower_ in PLACE_PREPOSITIONS) and s[0].lower_ not in described)]
        chosen.sort(key=lambda s: s.start)
        return chosen

    def _scan(self, sel: _Selection) -> None:
        """Gazetteer phrase matching over capitalised token runs the model left untagged; a proper name the
        gazetteer knows but the rules do not take goes to ``pending``, for the recogniser."""
        doc, taken, blocked = sel.doc, sel.taken, sel.blocked
        i, n = 0, len(doc)
        while i < n:
            tok = doc[i]
            if taken[i] or blocked[i] or not tok.text[:1].isupper() or tok.is_stop and tok.is_sent_start:
                i += 1
                continue
            match = 0
            after_prep = tok.pos_ == "PROPN" and (i > 0 and doc[i - 1].lower_ in PLACE_PREPOSITIONS
                                                  or self._in_place_slot(doc[i:i + 1]))
            for j in range(min(n, i + _MAX_NGRAM), i, -1):
                if any(taken[k] or blocked[k] for k in range(i, j)) or not doc[j - 1].text[:1].isalnum():
                    continue
                span = doc[i:j]
                if normalize(span.text) in self._salient or after_prep and self._named_place(span):
                    if j - i == 1 and (tok.pos_ not in {"PROPN"} and not _capitals(tok) or tok.is_stop):
                        continue
                    match = j
                    break
            if match:
                sel.take(doc[i:match], "GAZ")
                i = match
                continue
            if (tok.pos_ == "PROPN" or _capitals(tok)
                    or tok.is_sent_start and tok.is_title and tok.is_alpha and zipf(tok.lower_) < RARE_WORD_ZIPF
                    and normalize(tok.text) in self._salient) and not tok.is_stop:
                # (a salient name, no common word, that the tagger read as a word where a sentence starts: "Lagos
                # floods: ..."; inside one, such a word is mostly a people's: "Kachin fighters", "Somali officials")
                end = i + 1  # the capitalised run, as far as it goes (at most three words)
                while (end < min(n, i + 3) and doc[end].text[:1].isupper() and doc[end].pos_ == "PROPN"
                       and not taken[end] and not blocked[end]):
                    end += 1
                sel.pending.append((doc[i:end], "NONE"))
                i = end
            else:
                i += 1

    def _spelling_worth_trying(self, span: Span, taken: list[bool]) -> bool:
        """Whether a name the gazetteer does not know as written stands where the text wants a place (after a
        place preposition, as what a strike reaches, listed with a place, before a place word, in a dateline):
        only there is a close spelling looked up (a fuzzy lookup costs milliseconds; most unknown names are
        people and organisations)."""
        if not self.gazetteer.worth_spelling(span.text):
            return False
        doc = span.doc
        k = _before_list_glue(doc, span.start)
        after = doc[span.end] if span.end < len(doc) else None
        return (self._in_place_slot(span) or 0 <= k < span.start - 1 and taken[k]
                or after is not None and after.lower_ in WORDS_AFTER_A_PLACE | PLACE_NOUNS
                or all(_dateline(t) for t in span))

    def _rescue_features(self, span: Span, label: str, taken: list[bool], people: dict[str, set[tuple[int, int]]],
                         cands: tuple | None = None) -> dict[str, float]:
        """What :mod:`geo_news.recognize` weighs about a name the rules left out, given its gazetteer readings
        (default: the places the gazetteer knows by that name)."""
        doc = span.doc
        if cands is None:
            cands = self.gazetteer.candidates(span.text)[:20]
        own = [(p, k, imp) for p, k, imp in cands if k in _OWN_NAME_KINDS]
        best = max(cands, key=lambda c: c[2] - (2.5 if c[1] == "alternate" else 0.0))
        before = doc[span.start - 1] if span.start > 0 else None
        before2 = doc[span.start - 2] if span.start > 1 else None
        after = doc[span.end] if span.end < len(doc) else None
        after2 = doc[span.end + 1] if span.end + 1 < len(doc) else None
        k = _before_list_glue(doc, span.start)
        root = span.root
        f = {
            "label_person": float(label == "PERSON"), "label_org": float(label == "ORG"),
            "label_norp": float(label == "NORP"), "label_none": float(label == "NONE"),
            "label_other": float(label not in {"PERSON", "ORG", "NORP", "NONE"}),
            "prior": (best[2] - (2.5 if best[1] == "alternate" else 0.0)) / 10.0,
            "log_population": max(math.log10(p.population + 1) for p, _, _ in cands) / 7.0,
            "own_name": float(bool(own)), "alternate_only": float(not own),
            "country_or_division": float(any(p.feature_code.startswith("PCL") or p.feature_code in {"ADM1", "TERR"}
                                             for p, _, _ in own)),
            "natural_feature": float(any(p.feature_class in {"H", "T", "L", "V"} for p, _, _ in own)),
            "salient": float(normalize(span.text) in self._salient),
            "candidates": math.log1p(len(cands)) / 3.0,
            "after_place_preposition": float(before is not None and before.lower_ in PLACE_PREPOSITIONS | {"on"}),
            "after_of": float(before is not None and before.lower_ == "of"),
            "after_place_noun": float(before is not None and before.lower_ == "of" and before2 is not None
                                      and before2.lower_ in PLACE_NOUNS),
            "place_slot": float(self._in_place_slot(span)),
            "described_as_place": float(self._described_as_place(span)),
            "object_of_place_verb": float(root.dep_ == "dobj" and root.head.lemma_.lower() in _MOVEMENT_VERBS),
            "before_feature_word": float(after is not None and after.lower_ in WORDS_AFTER_A_PLACE | PLACE_NOUNS),
            "listed_with_place": float(0 <= k < span.start - 1 and taken[k]),
            "possessive": float(after is not None and after.lower_ in {"'s", "’s"}),
            "title_before": float(before is not None and before.lower_.rstrip(".") in TITLES),
            "speech_subject": float(root.dep_ == "nsubj" and root.head.lemma_.lower() in _SPEECH_VERBS),
            "personal_noun_after": float(after is not None and after.lower_ in {"'s", "’s"} and after2 is not None
                                         and after2.lower_ in _PERSONAL_NOUNS),
            # a person the story names elsewhere, not the entity this name is itself part of ("Wad Madani" PERSON)
            # nor the same name again (a "KHAN YOUNIS" dateline and "west of Khan Younis", both tagged PERSON: a
            # name is no evidence about itself)
            "person_elsewhere": float(any(not (a < span.end and span.start < b)
                                          and normalize(doc[a:b].text) != normalize(span.text)
                                          for t in span for a, b in people.get(t.lower_, ()))),
            "all_caps": float(span.text.isupper() and len(span.text) > 2),
            # one short word in capitals inside a sentence written in lower case ("the statement read on IRNA")
            "acronym": float(len(span) == 1 and span.text.isalpha() and span.text.isupper() and len(span.text) <= 6
                             and not (span[0].is_sent_start or span.start == 0)
                             and sum(t.is_alpha and t.text[:1].islower() for t in span.sent) >= 3),
            "sentence_start": float(span[0].is_sent_start or span.start == 0),
            "tokens": len(span) / 3.0,
        }
        f.update(word_features(span.text))
        return f

    def _whole_names(self, spans: list[Span]) -> list[Span]:
        """Each span carried on over the rest of a name it begins, where the model or the gazetteer stopped short:
        a connector and a capitalised word ("Viña" of "Viña del Mar", "Ain" of "Ain al-Hilweh", "Croix" of
        "Croix-des-Bouquets"), or a hyphen and a word where the whole is a known name ("Guinea-Bissau";
        "Israel-Gaza" and "Dallas-Fort Worth" stay two places). The whole name is then looked up as written: a
        town 18,000 km away that shares the first word is never the answer."""
        ends = sorted(s.end for s in spans)
        out = []
        for span in spans:
            doc, start, end = span.doc, span.start, span.end
            floor = max((e for e in ends if e <= span.start), default=0)
            # leftwards over hyphen-joined words ("Avon" of "Stratford-upon-Avon")
            while start - 2 >= floor and doc[start - 1].text in _HYPHENS and not doc[start - 1].whitespace_ \
                    and not doc[start - 2].whitespace_:
                word = doc[start - 2]
                if word.lower_ in _JOINED_CONNECTORS or word.text[:1].isupper() and word.is_alpha and (
                        doc[start].lower_ in _JOINED_CONNECTORS or self.gazetteer.candidates(doc[start - 2:end].text)):
                    start -= 2
                    continue
                break
            if doc[start].lower_ in _JOINED_CONNECTORS:  # never begin a name with its connector
                start = span.start
            limit = len(doc)  # a name may run into a span found on its own ("Stratford-upon" + "Avon")
            while end < limit:
                tok = doc[end]
                nxt = doc[end + 1] if end + 1 < limit else None
                if tok.text in _HYPHENS and not doc[end - 1].whitespace_ and not tok.whitespace_ and nxt is not None:
                    # after a connector the capitalised word belongs to the name ("Boulogne-sur-Mer"); without
                    # one, only where the whole is a known name ("Dallas-Fort Worth" is two places)
                    if nxt.lower_ in _JOINED_CONNECTORS or (nxt.text[:1].isupper() and nxt.is_alpha and (
                            doc[end - 1].lower_ in _JOINED_CONNECTORS
                            or self.gazetteer.candidates(doc[start:end + 2].text))):
                        end += 2
                        continue
                    break
                if tok.text in NAME_CONNECTORS and nxt is not None and (
                        nxt.text[:1].isupper() and nxt.is_alpha
                        or nxt.text in _HYPHENS and not tok.whitespace_ and end + 2 < limit
                        and doc[end + 2].text[:1].isupper()):
                    end += 2 if nxt.text[:1].isupper() else 3
                    continue
                break
            start, end = self._longer_known(doc, start, end, floor)
            out.append(span if (start, end) == (span.start, span.end) else Span(doc, start, end, label=span.label_))
        kept: list[Span] = []  # the longest first; a span inside (or across) a longer one was a piece of it
        for span in sorted(out, key=lambda s: (s.start - s.end, s.start)):
            if not any(span.start < k.end and k.start < span.end for k in kept):
                kept.append(span)
        return sorted(kept, key=lambda s: s.start)

    def _salient_tail(self, doc: Doc, start: int, end: int) -> int:
        """The end of the longest salient name that begins with ``doc[start:end]`` and goes on over at most four
        words or hyphens of any case: a site named by its town and what it is ("the Engels air base", "the Kursk
        nuclear power plant", "the Philadelphi corridor"), a name the tokenizer or the model cut at a particle
        ("Deir" of "Deir ez-Zor"), a name whose first word the model took for a language or a nationality
        ("English" of "English Channel"). Salient names only, so no person's or organisation's name grows into
        one; never over a place word alone ("Washington state", "the Kharkiv region", "Anhui province": the name is
        the place, the word a cue to its kind, as the corpora and the resolver's ``cue`` read it)."""
        for k in (4, 3, 2, 1):
            words = doc[end:end + k]
            if (end + k <= len(doc) and words[-1].is_alpha
                    and all(t.is_alpha or t.text in _HYPHENS for t in words)
                    and any(t.is_alpha and t.lower_ not in _GENERIC_AFTER_A_NAME and t.lower_ not in FEATURE_CUES
                            for t in words)
                    and not any(t.is_sent_start for t in words)
                    and normalize(doc[start:end + k].text) in self._salient):
                return end + k
        return end

    def _longer_known(self, doc: Doc, start: int, end: int, floor: int) -> tuple[int, int]:
        """A span carried on over up to three capitalised words (a possessive inside one kept) on either side
        where the whole is a name the gazetteer knows and the model split it: "Dera" + "Ismail Khan" (tagged
        PERSON) is Dera Ismail Khan; "Hawke's" + "Bay region" is Hawke's Bay region; "SOUTH" + "CHARLESTON";
        over words of any case that make a salient name (:meth:`_salient_tail`: "the Engels air base"); and over
        "and" ("the") where the whole is a salient name ("Trinidad and Tobago"). Never over generic words alone
        ("Virginia State Police" names Virginia, not a place called Virginia State)."""
        def name_words(words: Span) -> bool:  # begins with a capitalised word that is no "The"
            return words[0].text[:1].isupper() and not words[0].is_stop and all(
                t.text[:1].isupper() and t.is_alpha or t.lower_ in {"'s", "’s"} for t in words)

        for k in (3, 2, 1):  # a name word, not only a generic one ("Virginia" + "State" Police is Virginia)
            words = doc[end:end + k]
            if (end + k <= len(doc) and (name_words(words) or _ELIDED.fullmatch(words[0].text) and (
                    k == 1 or name_words(words[1:]))) and (words[-1].is_alpha or _ELIDED.fullmatch(words[-1].text))
                    and any(t.lower_ not in _GENERIC_AFTER_A_NAME for t in doc[end:end + k])
                    and self.gazetteer.candidates(doc[start:end + k].text)):
                end += k
                break
        end = self._salient_tail(doc, start, end)
        for k in (3, 2, 1):
            if start - k >= floor and name_words(doc[start - k:start]) and self.gazetteer.candidates(
                    doc[start - k:end].text):
                start -= k
                break
        # a country or region named as a pair, which the model split at "and" ("Trinidad" + "Tobago", "St Vincent"
        # + "Grenadines"): only where the whole is a salient name (two towns joined by "and" stay two)
        if end < len(doc) and doc[end].lower_ in {"and", "&"}:
            after = end + 1 + (end + 1 < len(doc) and doc[end + 1].lower_ == "the")
            for k in (3, 2, 1):
                if (after + k <= len(doc) and name_words(doc[after:after + k])
                        and normalize(doc[start:after + k].text) in self._salient):
                    end = after + k
                    break
        return start, end

    def _hyphenated(self, span: Span, taken: list[bool]) -> Span:
        """The whole of a name the model split ("Guinea" of "Guinea-Bissau", "Democratic Republic" + "of the
        Congo"), when the whole is a known name."""
        doc = span.doc
        start, end = span.start, span.end
        while start >= 2 and doc[start - 1].text == "-" and not taken[start - 2]:
            start -= 2
        best = doc[start:end]
        k = end
        for _ in range(4):
            if k >= len(doc) or doc[k].text not in {"-", "of", "the"} and not doc[k].text[:1].isupper():
                break
            k += 1
            if doc[k - 1].text[:1].isupper() and normalize(doc[start:k].text) in self._salient:
                best = doc[start:k]
        if len(best) > len(span) and (start < span.start or normalize(best.text) in self._salient):
            return best
        return span

    def _site(self, span: Span) -> Span | None:
        """The place a facility is named for: a known place name at its head ("Vancouver International
        Airport", "Ludlow Town Hall", "the Tartus port") — unless another name follows it at once, as in a
        person's name ("George Washington High School")."""
        doc = span.doc
        if (tail := self._located(span)) is not None:
            return tail
        for j in range(min(span.end - 1, span.start + _MAX_NGRAM), span.start, -1):
            head = doc[span.start:j]
            if not doc[j - 1].text[:1].isalnum():
                continue
            if normalize(head.text) in self._salient or len(head) > 1 and self._named_place(head):
                nxt = doc[j]
                if nxt.lower_ in {"'s", "’s"} or len(nxt) == 2 and nxt.text[1] == ".":
                    return None  # "St. Paul's", "David L. Lawrence": named after someone
                if nxt.text[:1].isupper() and nxt.lower_ in _OTHER_FEATURE_WORDS:
                    return None  # "Madison Creek", "Hampton Hills": another place, one we do not know
                if nxt.is_lower or not any(normalize(doc[j:k].text) in self._salient
                                           for k in range(j + 1, min(span.end, j + 3) + 1)):
                    return head
                return None
        return None

    def _names_airport(self, span: Span) -> bool:
        """"Heathrow" of "Heathrow Airport": the name is the airport's own, not a street's or building's."""
        after = span.doc[span.end].lower_ if span.end < len(span.doc) else ""
        return after in _AIRPORT_WORDS and any(p.feature_code == "AIRP" and kind in _OWN_NAME_KINDS
                                               for p, kind, _ in self.gazetteer.candidates(span.text)[:20])

    def _airport(self, span: Span) -> Span | None:
        """An airport named by its city ("Kansas City International", tagged as an organisation), or by a name
        of its own ("Heathrow Airport")."""
        for j in range(span.end - 1, span.start, -1):
            if all(t.lower_ in _AIRPORT_WORDS for t in span.doc[j:span.end]):
                head = span.doc[span.start:j]
                if normalize(head.text) in self._salient or self._names_airport(head):
                    return head
            else:
                break
        return None

    def _org_place(self, span: Span) -> Span | None:
        """The place at the head of an organisation's name: "Gainesville" of "Gainesville Public Utilities"."""
        doc = span.doc
        for j in range(min(span.end - 1, span.start + _MAX_NGRAM), span.start, -1):
            head = doc[span.start:j]
            if not head[-1].text[:1].isalnum() or doc[j].lower_ in {"'s", "’s"}:
                continue
            key = normalize(head.text)
            if key in self._salient or division_stem(key) != key and self._named_place(head):
                return head
        return None

    def _located(self, span: Span) -> Span | None:
        """The place a name says its bearer is in: "Lutheran Church in Elizabethtown"."""
        for tok in span[:-1]:
            if tok.lower_ in {"in", "at", "near"} and self._named_place(tail := span.doc[tok.i + 1:span.end]):
                return tail
        return None

    def _coordinated_places(self, span: Span) -> list[Span]:
        """Parts of an entity like "Kyiv and Odesa" or "Honiara on Guadalcanal" (tagged ORG) when every part is a
        known place name."""
        parts = _coordinated_parts(span)
        if len(parts) < 2 or not all(self._known(p) for p in parts):
            return []
        return parts

    def _headline_parts(self, sel: _Selection, span: Span) -> list[Span]:
        """The names a headline's recasing read inside an entity the gazetteer does not know as a whole: the
        model ran a name into the words after it ("Athens Swelters", "Hurricane Beryl Flattens Carriacou")."""
        inner = [r for r in sel.headline if span.start <= r.start and r.end <= span.end and len(r) < len(span)]
        if not inner or self.gazetteer.candidates(span.text):
            return []
        covered = {i for r in inner for i in range(r.start, r.end)}

        def beside_a_persons_name(r: Span) -> bool:  # "Mir Ali", "Paris Hilton": the run is part of a person's name
            return any(span.start <= i < span.end and i not in covered and _person_word(span.doc[i].lower_)
                       for i in (r.start - 1, r.end))
        return [r for r in inner if not beside_a_persons_name(r)]

    def _coordinated_names(self, span: Span) -> list[Span]:
        """Parts of an entity that coordinates names, one of which at least the gazetteer knows, when the whole is
        no name it knows ("Carriacou and Union Island" tagged ORG, but not "Trinidad and Tobago"): for the
        recogniser, one by one."""
        parts = _coordinated_parts(span)
        if len(parts) < 2 or self.gazetteer.candidates(span.text):
            return []
        return parts if any(self.gazetteer.candidates(p.text) for p in parts) else []

    def _jurisdiction(self, span: Span) -> Span | None:
        """The place an organisation is the government organ of: "Texas Department of Health" (at its head),
        "a Ministry of Foreign Affairs of the Republic of Korea" (after its last "of")."""
        doc = span.doc
        if span[0].lower_ in JURISDICTION_WORDS | {"ministry", "government", "president", "embassy"}:
            for of in (t.i for t in span if t.lower_ == "of"):  # the longest tail first
                start = of + 1 + (of + 1 < span.end and doc[of + 1].lower_ == "the")
                tail = doc[start:span.end]
                if len(tail) and self._is_jurisdiction(tail):
                    return tail
        for j in range(min(span.end - 1, span.start + 3), span.start, -1):
            head = doc[span.start:j]
            agency = doc[j].lower_ in JURISDICTION_WORDS or span[-1].lower_ in _AGENCY_WORDS
            if agency and self._is_jurisdiction(head):
                return head  # "Texas Department of Health", "Texas Alcoholic Beverage Commission"
        return None

    def _is_jurisdiction(self, span: Span) -> bool:
        """A country, territory or first-level division known by this very name."""
        return any(p.feature_code in {"PCLI", "ADM1", "TERR"} and kind in _OWN_NAME_KINDS
                   for p, kind, _ in self.gazetteer.candidates(span.text)[:10])

    def _named_place(self, span: Span, *, name: str | None = None) -> bool:
        """A proper name right after "from"/"toward"/"into"... that the gazetteer knows by its own name."""
        return any(kind in _OWN_NAME_KINDS and (place.population >= 1000 or place.feature_class != "P")
                   for place, kind, _ in self.gazetteer.candidates(name or span.text)[:20])

    def __call__(self, doc: Doc, *, context: bool = False, original: str | None = None) -> list[Mention]:
        """The place mentions of the doc; with ``context``, also the places named inside organisations' names,
        labelled ``CONTEXT_LABEL`` (for the resolver, not for output). ``original``: the text as written, where the
        doc is of its :meth:`readable` form (the names its headlines were read to hold are then known)."""
        sent_index = {s.start: k for k, s in enumerate(doc.sents)} if doc.has_annotation("SENT_START") else {}
        mentions = []
        text = doc.text
        chosen, inside, names = self._spans(doc, original)
        for span in sorted(chosen + inside, key=lambda s: s.start) if context else chosen:
            k = sent_index.get(span.sent.start, 0) if sent_index else 0
            end = span.end_char
            # the tokenizer leaves the final period of "W.Va." or "U.S." to the sentence: give it back
            if end < len(text) and text[end] == "." and "." in span.text and span.text[-1] != ".":
                end += 1
            name = hashtag_name(span.text) if span.label_ == HASHTAG_LABEL else names.get((span.start, span.end), "")
            source = DEMONYM_SOURCE if span.label_ == DEMONYM_LABEL or span.kb_id_ == DEMONYM_SOURCE else "spacy"
            mentions.append(Mention(text[span.start_char:end], span.start_char, end, k, span.label_, source, name))
        return mentions
