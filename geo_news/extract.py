"""Find place mentions in text: spaCy NER, checked and completed by gazetteer phrase matching.

The extractor keeps spaCy's GPE/LOC/FAC entities, rescues names the model mislabels (a sea tagged NORP, a city
tagged PERSON right after "in") when the gazetteer knows them as important places, and adds gazetteer names the
model missed. It drops what is clearly not a place: people, organisations and nationality words, unless the
caller asks for demonyms, which are then mentions of their country.

It is also a spaCy component: ``nlp.add_pipe("geo_news_places")`` writes ``doc.spans["places"]``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from .gazetteer import Gazetteer, normalize
from .gazetteer.sources.curated import data_dir
from .model import Mention

PLACE_LABELS = {"GPE", "LOC", "FAC"}
RESCUE_LABELS = {"NORP", "PERSON", "ORG", "PRODUCT", "WORK_OF_ART", "EVENT", "LANGUAGE", "LAW"}
_LOCATIVE = {"in", "into", "from", "to", "at", "near", "over", "across", "through", "toward", "towards", "via",
             "of", "outside", "inside", "around", "off", "along", "between", "across", "within", "on", "the"}
_FEATURE_WORDS = {"city", "town", "village", "province", "governorate", "region", "district", "county", "state",
                  "river", "sea", "plain", "valley", "mountains", "mountain", "desert", "strait", "gulf", "lake",
                  "island", "islands", "peninsula", "oblast", "countryside", "area", "coast", "border"}
_MAX_NGRAM = 6
_MOVEMENT_PREPS = {"from", "toward", "towards", "into", "over", "across", "through", "via", "near", "at", "in", "to",
                   "outside", "inside", "off"}
_OWN_NAME_KINDS = {"preferred", "official", "short", "abbr"}
SPAN_KEY = "places"


@lru_cache(maxsize=1)
def demonyms() -> dict[str, str]:
    """Normalised demonym → ISO country code, from ``data/gazetteer/demonyms.csv``."""
    path = data_dir() / "demonyms.csv"
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        return {normalize(r["demonym"]): r["iso2"] for r in csv.DictReader(fh)}


def _trim(span: Span) -> Span | None:
    """Drop a leading determiner and trailing possessive/punctuation from an entity span."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ in {"the", "a", "an"} or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].lower_ in {"'s", "’s", "'"}):
        end -= 1
    return doc[start:end] if end > start else None


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

    def __init__(self, gazetteer: Gazetteer, *, demonyms: bool = False) -> None:
        self.gazetteer = gazetteer
        self.demonyms = demonyms
        self._salient = gazetteer.salient_names()

    def _known(self, span: Span) -> bool:
        return normalize(span.text) in self._salient

    def _rescue(self, ent: Span, span: Span) -> bool:
        """A name the model tagged as something else, kept when context says it is a place."""
        if not self._known(span):
            return False
        doc = ent.doc
        before = doc[ent.start - 1].lower_ if ent.start > 0 else ""
        after = doc[ent.end].lower_ if ent.end < len(doc) else ""
        if ent.label_ == "NORP":  # a known place name that is not a nationality word is a mislabelled place
            return normalize(span.text) not in demonyms()
        return before in _LOCATIVE or after in _FEATURE_WORDS or ent.label_ in {"ORG", "NORP"} and ent[0].lower_ == "the"

    def spans(self, doc: Doc) -> list[Span]:
        """Place spans of the doc, in order, without overlaps."""
        chosen: list[Span] = []
        taken = [False] * len(doc)
        blocked = [False] * len(doc)

        def take(span: Span, label: str) -> None:
            chosen.append(Span(doc, span.start, span.end, label=label))
            for i in range(span.start, span.end):
                taken[i] = True

        for ent in doc.ents:
            span = _trim(ent)
            if span is None:
                continue
            if ent.label_ in PLACE_LABELS:
                if ent.label_ == "FAC" and not self.gazetteer.candidates(span.text):
                    continue
                take(span, ent.label_)
            elif ent.label_ == "NORP" and self.demonyms and normalize(span.text) in demonyms():
                take(span, "DEMONYM")
            elif ent.label_ in RESCUE_LABELS and self._rescue(ent, span):
                take(span, "GAZ")
            else:
                for i in range(ent.start, ent.end):
                    blocked[i] = True
        self._scan(doc, taken, blocked, take)
        chosen.sort(key=lambda s: s.start)
        return chosen

    def _scan(self, doc: Doc, taken: list[bool], blocked: list[bool], take) -> None:
        """Gazetteer phrase matching over capitalised token runs the model left untagged."""
        i, n = 0, len(doc)
        while i < n:
            tok = doc[i]
            if taken[i] or blocked[i] or not tok.text[:1].isupper() or tok.is_stop and tok.is_sent_start:
                i += 1
                continue
            match = 0
            after_prep = i > 0 and doc[i - 1].lower_ in _MOVEMENT_PREPS and all(
                doc[k].pos_ == "PROPN" for k in range(i, min(n, i + 1)))
            for j in range(min(n, i + _MAX_NGRAM), i, -1):
                if any(taken[k] or blocked[k] for k in range(i, j)) or not doc[j - 1].text[:1].isalnum():
                    continue
                span = doc[i:j]
                if normalize(span.text) in self._salient or after_prep and self._named_place(span):
                    if j - i == 1 and (tok.pos_ not in {"PROPN"} or tok.is_stop):
                        continue
                    match = j
                    break
            if match:
                take(doc[i:match], "GAZ")
                i = match
            else:
                i += 1

    def _named_place(self, span: Span) -> bool:
        """A proper name right after "from"/"toward"/"into"... that the gazetteer knows by its own name."""
        return any(kind in _OWN_NAME_KINDS and (place.population >= 1000 or place.feature_class != "P")
                   for place, kind, _ in self.gazetteer.candidates(span.text)[:20])

    def __call__(self, doc: Doc) -> list[Mention]:
        sent_index = {s.start: k for k, s in enumerate(doc.sents)} if doc.has_annotation("SENT_START") else {}
        mentions = []
        for span in self.spans(doc):
            k = sent_index.get(span.sent.start, 0) if sent_index else 0
            mentions.append(Mention(span.text, span.start_char, span.end_char, k, span.label_, "spacy"))
        return mentions


@Language.factory("geo_news_places", default_config={"demonyms": False, "gazetteer_path": None})
def make_place_component(nlp: Language, name: str, demonyms: bool, gazetteer_path: str | None):
    """spaCy factory: ``nlp.add_pipe("geo_news_places")`` adds place spans to ``doc.spans["places"]``."""
    from .gazetteer import open_default

    gaz = Gazetteer(gazetteer_path) if gazetteer_path else open_default()
    extractor = PlaceExtractor(gaz, demonyms=demonyms)

    def component(doc: Doc) -> Doc:
        doc.spans[SPAN_KEY] = extractor.spans(doc)
        return doc

    return component


def mentions_in(docs: Iterable[Doc], extractor: PlaceExtractor) -> list[list[Mention]]:
    return [extractor(doc) for doc in docs]
