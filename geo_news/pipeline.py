"""``geoparse(text)``: the stages wired together, with the model and gazetteer loaded once per process."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace

from .events import group_events
from .extract import CONTEXT_LABEL, PlaceExtractor
from .frames import GeoParse, mentions_frame
from .gazetteer import Gazetteer, open_default
from .exceptions import InputError, PlaceNotFoundError
from .lexicon import UNPLACED_PLACE_PREPOSITIONS
from .model import Mention, Place, Resolved
from .resolve import WITHIN, Resolver, precision_of, to_resolved
from .attributes import article_date
from .role_model import RoleModel
from .role_model import default_model as default_role_model
from .role_model import final_call
from .roles import NOWHERE, movement_fields, placement, qualifiers, role_of
from .sense import SenseModel, default_model, read_sense
from .textio import prepare_text

CHUNK_CHARS = 20_000
"""Long texts are parsed in pieces of about this size, cut at paragraph or sentence ends (every development
article is shorter). A piece is read — mentions found, roles taken from its parse — and its spaCy ``Doc`` dropped
before the next batch is parsed, so memory stays flat however long the article is; the mentions of all pieces
are then resolved together, with the whole article as context."""
PIECES_PER_BATCH = 4
"""How many pieces of one long article spaCy parses at once (its working memory grows with the batch)."""


def _chunks(text: str, size: int | None = None) -> Iterator[tuple[int, str]]:
    size = size or CHUNK_CHARS
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            window = text[start:end]
            cut = max(window.rfind("\n"), window.rfind(". "))
            if cut > size // 2:
                end = start + cut + 1
        yield start, text[start:end]
        start = end


@dataclass
class _Reading:
    """What the pieces of one article read so far say: sentences, mentions, and each mention's parse reading."""

    mentions: list = field(default_factory=list)
    parses: list = field(default_factory=list)
    phrases: list = field(default_factory=list)
    sentences: list = field(default_factory=list)


def _plausible_unresolved(mention: Mention, span) -> bool:
    """Keep a mention the gazetteer cannot place only when the text itself says it is a place.

    The model tags some organisations and movements as GPE ("Daesh"); without a gazetteer entry and without a
    locative preposition or a place word, such a span is more likely not a place at all.
    """
    if span is None:
        return False
    if mention.label in {"LOC", "FAC"}:
        return True
    prev = span.doc[span.start - 1].lower_ if span.start > 0 else ""
    return prev in UNPLACED_PLACE_PREPOSITIONS


class Geoparser:
    """The whole pipeline with its model and gazetteer; reuse one instance (``geoparse`` does).

    Parameters
    ----------
    nlp : spacy.Language, optional
        Any spaCy English pipeline with a parser and NER; default: the best installed small English model.
    gazetteer : Gazetteer, optional
        Default: the embedded offline gazetteer, built on first use.
    demonyms : bool
        Also return nationality words ("Russian") as mentions of their country.
    ranker : geo_news.ranker.Ranker, optional
        The model that ranks each name's candidate places; default: the shipped one, fitted on the development
        corpora (``data/ranker/ranker.json``); ``geo_news.ranker.hand_set()`` is the hand-set fallback.
    weights : mapping, optional
        Resolver feature weights as log-odds (see :data:`geo_news.resolve.FEATURES`), instead of ``ranker``.
    recognizer : geo_news.recognize.Recognizer, optional
        The learned model for names the extractor's rules leave out; default: the shipped one
        (``data/recognizer/rescue.json``).
    sense_model : geo_news.sense.SenseModel, optional
        The model that tells a place from a name standing for a government (``sense``); default: the shipped one
        (``data/sense/sense.json``).
    role_model : geo_news.role_model.RoleModel or False, optional
        The learned role labeller over the rules' calls; default: the shipped one (``data/roles/roles.json``);
        ``False`` labels roles by the rules of :mod:`geo_news.roles` alone.
    """

    def __init__(self, *, nlp=None, gazetteer: Gazetteer | None = None, demonyms: bool = False,
                 weights: Mapping[str, float] | None = None, recognizer=None, ranker=None,
                 sense_model: SenseModel | None = None, role_model: RoleModel | bool | None = None) -> None:
        from .nlp import load_model

        self.nlp = nlp if nlp is not None else load_model()
        self.gazetteer = gazetteer if gazetteer is not None else open_default()
        self.demonyms = demonyms
        self.extractor = PlaceExtractor(self.gazetteer, demonyms=demonyms, recognizer=recognizer)
        self.resolver = Resolver(self.gazetteer, ranker=ranker, weights=weights)
        self.sense_model = sense_model if sense_model is not None else default_model()
        self.role_model = (default_role_model() if role_model is None or role_model is True
                           else role_model or None)

    def _overrides(self, overrides) -> dict[str, Place]:
        """User corrections as places: a gazetteer id ("gn:4197000"), a Place, or a (lat, lon) pair."""
        if overrides is None:
            return {}
        if not isinstance(overrides, Mapping):
            raise InputError(f"overrides must map names to places, e.g. {{'Georgia': 'gn:614540'}}, not "
                             f"{type(overrides).__name__}")
        out = {}
        for name, value in overrides.items():
            if not isinstance(name, str) or not name.strip():
                raise InputError(f"override keys are place names as written in the text, not {name!r}")
            if isinstance(value, Place):
                out[name] = value
            elif isinstance(value, str):
                place = self.gazetteer.get(value)
                if place is None:
                    raise PlaceNotFoundError(f"override for {name!r}: no gazetteer entry with id {value!r} "
                                             "(ids look like 'gn:4197000' or 'cur:ghab-plain'; see geo-news geocode)")
                out[name] = place
            elif isinstance(value, (tuple, list)) and len(value) == 2:
                try:
                    lat, lon = float(value[0]), float(value[1])
                except (TypeError, ValueError) as err:
                    raise InputError(f"override for {name!r}: {value!r} is not a (lat, lon) pair of numbers") from err
                if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                    raise InputError(f"override for {name!r}: ({lat}, {lon}) is not a (lat, lon) pair")
                out[name] = Place(id=f"user:{name}", name=name, lat=lat, lon=lon, feature_class="P",
                                  feature_code="PPL", source="user")
            else:
                raise InputError(f"override for {name!r} must be a gazetteer id, a Place or (lat, lon), "
                                 f"not {type(value).__name__}")
        return out

    def _read(self, reading: _Reading, offset: int, doc, piece: str) -> None:
        """Add one parsed piece of an article to ``reading``: its sentences and mentions, with what the parse says
        of each (its role; whether a name the gazetteer cannot place is still plausibly a place), taken while the
        doc is alive, so that the doc can be freed before the next piece is parsed. The doc is of the piece as the
        model read it (:meth:`PlaceExtractor.readable`, same offsets); sentences and surfaces are the piece's own."""
        base = len(reading.sentences)
        reading.sentences.extend(piece[s.start_char:s.end_char].strip() for s in doc.sents)
        for m in self.extractor(doc, context=True, original=piece):
            reading.mentions.append(replace(m, text=piece[m.start:m.end], start=m.start + offset, end=m.end + offset,
                                            sentence_index=m.sentence_index + base))
            span = doc.char_span(m.start, m.end) if m.label != CONTEXT_LABEL else None
            reading.phrases.append(placement(span, offset) if span is not None else NOWHERE)
            if m.label == CONTEXT_LABEL:
                reading.parses.append((None, None, False, None))
                continue
            call = learned = None
            if span is not None:
                call = role_of(span)
                if self.role_model is not None:
                    learned = self.role_model.call(span, call)
            reading.parses.append((call, learned, _plausible_unresolved(m, span),
                                   read_sense(span) if span is not None else None))

    def _analyse(self, text: str, reading: _Reading, overrides: dict[str, Place] | None = None, date=None
                 ) -> tuple[list[Resolved], list]:
        items = self.resolver.resolve(text, reading.mentions, overrides=overrides)
        kept = []
        for r, (call, learned, plausible, evidence), phrase in zip(to_resolved(items, reading.sentences),
                                                                    reading.parses, reading.phrases):
            if r.mention.label == CONTEXT_LABEL or not plausible and (
                    r.place is None or r.place.source == WITHIN and r.candidates == 1):
                continue  # a name the gazetteer does not know is kept only where the text says it is a place
            sense = self.sense_model.sense(evidence, r.place) if evidence is not None else "literal"
            call = final_call(call, learned, sense) if r.place is not None else None
            kept.append((r, sense, call, phrase))
        demoted = qualifiers([(c.role if c else "location", r.place, *phrase) for r, _, c, phrase in kept])
        resolved = [replace(r, sense=sense, precision=precision_of(r.place, text, r.mention.start),
                            another=bool(call and call.another and k not in demoted),
                            **movement_fields(None if k in demoted else call, date))
                    for k, (r, sense, call, _) in enumerate(kept)]
        return resolved, group_events(resolved)

    def parse(self, text: str, *, overrides: Mapping | None = None, date=None) -> GeoParse:
        """Geoparse one article; see :func:`geoparse`."""
        day = _date(date)
        text = prepare_text(text)
        fixed = self._overrides(overrides)
        pieces = list(_chunks(text))
        reading = _Reading()
        readable = (self.extractor.readable(c) for _, c in pieces)
        for (offset, piece), doc in zip(pieces, self.nlp.pipe(readable, batch_size=PIECES_PER_BATCH)):
            self._read(reading, offset, doc, piece)
        return mentions_frame(*self._analyse(text, reading, fixed, day), article=text)

    def parse_many(self, texts: Iterable[str], *, batch_size: int = 16, dates: Iterable | None = None
                   ) -> Iterator[GeoParse]:
        """Geoparse many articles, streaming them through spaCy in batches (``dates``: each article's date, in
        the same order, for :func:`geoparse`'s ``date``)."""
        prepared = (prepare_text(t) for t in texts)
        days = iter(dates) if dates is not None else None

        def pieces():
            for i, t in enumerate(prepared):
                for off, c in _chunks(t):
                    yield (self.extractor.readable(c), (i, off, t, c))

        def next_date():
            return _date(next(days, None)) if days is not None else None

        current, reading, article, day = None, _Reading(), "", None
        for doc, (i, off, t, piece) in self.nlp.pipe(pieces(), as_tuples=True, batch_size=batch_size):
            if current is not None and i != current:
                yield mentions_frame(*self._analyse(article, reading, None, day), article=article)
                reading = _Reading()
            if i != current:
                day = next_date()
            current, article = i, t
            self._read(reading, off, doc, piece)
        if current is not None:
            yield mentions_frame(*self._analyse(article, reading, None, day), article=article)


def _date(value):
    try:
        return article_date(value)
    except ValueError as err:
        raise InputError(str(err)) from None


_LOCK = threading.Lock()
_DEFAULT: dict[bool, Geoparser] = {}


def default_geoparser(*, demonyms: bool = False) -> Geoparser:
    """The process-wide pipeline (model and gazetteer loaded once)."""
    with _LOCK:
        if demonyms not in _DEFAULT:
            other = next(iter(_DEFAULT.values()), None)
            _DEFAULT[demonyms] = Geoparser(
                nlp=other.nlp if other else None, gazetteer=other.gazetteer if other else None, demonyms=demonyms
            )
        return _DEFAULT[demonyms]


def geoparse(text: str, *, demonyms: bool = False, overrides: Mapping | None = None,
             geoparser: Geoparser | None = None, date=None) -> GeoParse:
    """Find, resolve and give a role to every place an article names.

    Parameters
    ----------
    text : str
        Article text (plain text or HTML).
    demonyms : bool
        Also return nationality words ("Russian", "Syrian") as mentions of their country.
    overrides : mapping, optional
        Your corrections for this text: name as written → gazetteer id (``"gn:4197000"``), ``Place`` or
        ``(lat, lon)``. Those mentions take that place (confidence 1) and it serves as context for the rest,
        so roles, events, routes and maps all follow: ``overrides={"Georgia": "csc:US-GA:1455"}``.
    geoparser : Geoparser, optional
        A configured pipeline (custom spaCy model or gazetteer); default: the shared one.
    date : datetime.date or str, optional
        The article's date ("2015-10-08"): the date words of each movement ("on Tuesday", "overnight") are
        then read as ISO dates in the ``event_date`` column (see :mod:`geo_news.attributes`). Without it only
        absolute dates are read.

    Returns
    -------
    GeoParse
        A GeoDataFrame (EPSG:4326), one row per mention: ``text start end name lat lon geometry feature_class
        feature_code country_code role confidence sentence precision`` and more; ``.events`` holds the events
        and their routes.

    Examples
    --------
    >>> import geo_news
    >>> df = geo_news.geoparse("Rockets fired from Gaza hit Ashkelon.")      # doctest: +SKIP
    >>> df[["text", "role"]].values.tolist()                                  # doctest: +SKIP
    [['Gaza', 'launch'], ['Ashkelon', 'impact']]
    """
    return (geoparser or default_geoparser(demonyms=demonyms)).parse(text, overrides=overrides, date=date)


def geoparse_many(texts: Iterable[str], *, demonyms: bool = False, geoparser: Geoparser | None = None,
                  batch_size: int = 16, dates: Iterable | None = None) -> Iterator[GeoParse]:
    """Geoparse many articles lazily, one :class:`GeoParse` per text, in order (``dates``: their dates)."""
    return (geoparser or default_geoparser(demonyms=demonyms)).parse_many(texts, batch_size=batch_size,
                                                                           dates=dates)




def extract_events(text: str, *, geoparser: Geoparser | None = None):
    """The events of an article as a GeoDataFrame: launch, transits, targets, impacts and the route geometry.

    The same table as ``geoparse(text).events`` (``geo_news.events`` is the module that builds it).

    Examples
    --------
    >>> import geo_news
    >>> geo_news.extract_events("Rockets fired from Gaza hit Ashkelon.")[["launch", "impacts"]]   # doctest: +SKIP
    """
    return geoparse(text, geoparser=geoparser).events
