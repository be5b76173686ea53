"""geo_news as a spaCy pipeline component: ``nlp.add_pipe("geo_news_places")``.

The component finds the places a doc names (the same extractor as :func:`geo_news.geoparse`), resolves them with
the document as context, and writes them as a span group (``doc.spans["places"]`` by default); each span carries
its place in ``span._.place``: a dict with ``id``, ``name``, ``lat``, ``lon``, ``feature_code``,
``country_code``, ``role``, ``sense`` and ``confidence`` (None for a name the gazetteer cannot place), and what
the clause states of a movement, as :func:`geo_news.geoparse` gives them: ``cue``, ``mover``, ``attribution``,
``count``, ``quantity``, ``when`` and ``event_date`` (``when`` as an ISO date, reckoned from the article's date
when ``doc.user_data["date"]`` holds one, e.g. ``"2015-10-08"``). Unstated means empty.

The factory is registered through the ``spacy_factories`` entry point, so ``nlp.add_pipe("geo_news_places")``
works without importing geo_news first, and a pipeline saved with ``nlp.to_disk`` loads with ``spacy.load`` in a
fresh process.

Examples
--------
>>> import spacy                                                          # doctest: +SKIP
>>> nlp = spacy.load("en_core_web_sm")                                    # doctest: +SKIP
>>> nlp.add_pipe("geo_news_places", config={"spans_key": "places"})       # doctest: +SKIP
>>> doc = nlp("Rockets fired from Gaza hit Ashkelon.")                    # doctest: +SKIP
>>> [(s.text, s._.place["role"]) for s in doc.spans["places"]]            # doctest: +SKIP
[('Gaza', 'launch'), ('Ashkelon', 'target')]
"""

from __future__ import annotations

from pathlib import Path

import srsly
from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc, Span

from .attributes import article_date
from .exceptions import InputError
from .model import CONTEXT_LABEL
from .resolve import to_resolved
from .role_model import default_model as default_role_model
from .role_model import final_call
from .roles import movement_fields, placement, qualifiers, role_of
from .sense import default_model as default_sense_model
from .sense import read_sense

if not Span.has_extension("place"):
    Span.set_extension("place", default=None)

DEFAULT_CONFIG = {"demonyms": False, "gazetteer_path": None, "spans_key": "places", "overwrite": True,
                  "resolve": True}
"""The component's settings: nationality words as places; the gazetteer file (None: the embedded one); the span
group to write; whether to replace that group or add to it; whether to resolve the places (else spans only)."""


class PlacesComponent(Pipe):
    """The ``geo_news_places`` pipe. Settings as in :data:`DEFAULT_CONFIG`; the gazetteer and models are opened
    on first use, once."""

    def __init__(self, nlp: Language, name: str = "geo_news_places", *, demonyms: bool = False,
                 gazetteer_path: str | None = None, spans_key: str = "places", overwrite: bool = True,
                 resolve: bool = True) -> None:
        self.name = name
        self.cfg = {"demonyms": bool(demonyms), "gazetteer_path": gazetteer_path, "spans_key": str(spans_key),
                    "overwrite": bool(overwrite), "resolve": bool(resolve)}
        self._parts = None

    def _load(self):
        if self._parts is None:
            from .extract import PlaceExtractor
            from .gazetteer import Gazetteer, open_default
            from .resolve import Resolver

            path = self.cfg["gazetteer_path"]
            gazetteer = Gazetteer(path) if path else open_default()
            self._parts = (PlaceExtractor(gazetteer, demonyms=self.cfg["demonyms"]), Resolver(gazetteer))
        return self._parts

    def __call__(self, doc: Doc) -> Doc:
        extractor, resolver = self._load()
        try:
            day = article_date(doc.user_data.get("date"))
        except ValueError as err:
            raise InputError(f'doc.user_data["date"]: {err}') from None
        mentions = extractor(doc, context=True)
        places = {}
        if self.cfg["resolve"]:
            sentences = [s.text.strip() for s in doc.sents]
            for r in to_resolved(resolver.resolve(doc.text, mentions), sentences):
                places[(r.mention.start, r.mention.end)] = r
        spans, placed = [], []
        for m in mentions:
            if m.label == CONTEXT_LABEL:
                continue  # context for the others (a nationality word, a place inside an organisation's name)
            span = doc.char_span(m.start, m.end, label=m.label, alignment_mode="expand")
            if span is None:
                continue
            r = places.get((m.start, m.end))
            if r is not None and r.place is not None:
                rule = role_of(span)
                sense = default_sense_model().sense(read_sense(span), r.place)
                placed.append((span, r, sense, final_call(rule, default_role_model().call(span, rule), sense)))
            spans.append(span)
        demoted = qualifiers([(call.role if call else "location", r.place, *placement(span))
                              for span, r, _, call in placed])
        for k, (span, r, sense, call) in enumerate(placed):
            span._.place = {"id": r.place.id, "name": r.place.name, "lat": r.place.lat, "lon": r.place.lon,
                            "feature_code": r.place.feature_code, "country_code": r.place.country_code,
                            "sense": sense, "confidence": round(r.confidence, 4),
                            **movement_fields(None if k in demoted else call, day)}
        key = self.cfg["spans_key"]
        if self.cfg["overwrite"] or key not in doc.spans:
            doc.spans[key] = spans
        else:
            doc.spans[key] = [*doc.spans[key], *spans]
        return doc

    def to_disk(self, path, *, exclude=()) -> None:
        """Write the settings (``cfg``) into ``path``, as ``nlp.to_disk`` asks of every component."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "cfg", self.cfg)

    def from_disk(self, path, *, exclude=()) -> PlacesComponent:
        """Read the settings written by :meth:`to_disk`; the gazetteer is opened again on first use."""
        cfg = Path(path) / "cfg"
        if cfg.is_file():
            self.cfg.update({k: v for k, v in srsly.read_json(cfg).items() if k in DEFAULT_CONFIG})
            self._parts = None
        return self

    def to_bytes(self, *, exclude=()) -> bytes:
        return srsly.json_dumps(self.cfg).encode("utf-8")

    def from_bytes(self, data: bytes, *, exclude=()) -> PlacesComponent:
        self.cfg.update({k: v for k, v in srsly.json_loads(data).items() if k in DEFAULT_CONFIG})
        self._parts = None
        return self


@Language.factory("geo_news_places", default_config={"demonyms": False, "gazetteer_path": None, "spans_key": "places",
                                                   "overwrite": True, "resolve": True})
def make_place_component(nlp: Language, name: str, demonyms: bool, gazetteer_path: str | None, spans_key: str,
                         overwrite: bool, resolve: bool) -> PlacesComponent:
    """spaCy factory: ``nlp.add_pipe("geo_news_places")`` adds the places a doc names to ``doc.spans[spans_key]``,
    each with its resolved place in ``span._.place`` (registered through the ``spacy_factories`` entry point)."""
    return PlacesComponent(nlp, name, demonyms=demonyms, gazetteer_path=gazetteer_path, spans_key=spans_key,
                           overwrite=overwrite, resolve=resolve)
