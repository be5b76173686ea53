"""The error tree of geo_news.

Every error the toolkit raises on purpose derives from :class:`GeoNewsError`, and also from the standard
library type a caller would naturally catch, so ``except FileNotFoundError`` keeps working.
"""

from __future__ import annotations


class GeoNewsError(Exception):
    """Base class of every error geo_news raises on purpose."""


class InputError(GeoNewsError, ValueError):
    """The text or file given to the pipeline cannot be read as an article (empty, binary, undecodable)."""


class GazetteerError(GeoNewsError, RuntimeError):
    """The gazetteer file is unusable."""


class GazetteerNotFoundError(GazetteerError, FileNotFoundError):
    """No gazetteer file where one was expected."""


class GazetteerCorruptError(GazetteerError):
    """The gazetteer file exists but is truncated, corrupted or of another schema version."""


class GazetteerBuildError(GazetteerError):
    """Building the gazetteer failed; no half-written file is left in place."""


class ModelNotFoundError(GeoNewsError, ImportError):
    """No spaCy English pipeline is installed."""


class PlaceNotFoundError(GeoNewsError, LookupError):
    """A place name given to a helper could not be found in the gazetteer."""


class GeocoderServiceError(GeoNewsError, ConnectionError):
    """An online geocoder failed (timeout, HTTP error) and no fallback answered."""
