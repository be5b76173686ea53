"""geopy geocoders over the offline gazetteer, and opt-in online fallbacks wrapped in a cache and a rate limit.

:class:`OfflineGeocoder` is a :class:`geopy.geocoders.base.Geocoder`, so everything built for geopy works with it:
``geopandas.tools.geocode(names, provider=OfflineGeocoder)``, ``geopy.extra.rate_limiter.RateLimiter``. It never
touches the network.

Online geocoders are used only when a caller passes one explicitly: :class:`CachedGeocoder` wraps any geocode
callable with a cache and a minimum delay between calls (composition, like geopy's ``RateLimiter``), and
:func:`fallback_geocoder` asks the offline gazetteer first and the online geocoder only for what it did not find.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any

from geopy.exc import GeocoderQueryError, GeocoderTimedOut, GeocoderUnavailable, GeopyError
from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location
from geopy.point import Point

from .exceptions import GeocoderServiceError
from .geo import haversine_km
from .model import Place, in_division

STRUCTURED_FIELDS = ("city", "county", "state", "country")
"""The keys of a structured query (Nominatim's names), most specific first."""

__all__ = ["CachedGeocoder", "FallbackGeocoder", "OfflineGeocoder", "fallback_geocoder", "place_to_raw"]

log = logging.getLogger(__name__)

REVERSE_RADIUS_KM = 50.0
"""Reverse geocoding names the nearest populated place within this distance, else the containing area."""


def place_to_raw(place: Place, **extra: Any) -> dict:
    """The ``Location.raw`` dict of a gazetteer place: our fields, plus whatever ``extra`` adds."""
    rec = place.record(**{"country_codes": list(place.country_codes), "admin1": place.admin1,
                          "bbox": list(place.bbox) if place.bbox else None, **extra})
    return {"id": rec.pop("place_id"), **rec}


class OfflineGeocoder(Geocoder):
    """A geopy geocoder over the offline gazetteer: ``geocode()`` and ``reverse()`` return ``geopy.Location``.

    Parameters
    ----------
    gazetteer : Gazetteer, optional
        An open gazetteer; by default the embedded one (:func:`geo_news.gazetteer.open_default`), opened on the
        first query.
    fuzzy : bool
        When a name has no exact match, fall back to spelling variants (``Gazetteer.fuzzy_lookup``).
    min_score : float, optional
        Similarity floor (0-100) of fuzzy matches.
    timeout, user_agent :
        Accepted for geopy compatibility; a local lookup needs neither.

    Examples
    --------
    >>> from geo_news.geocoders import OfflineGeocoder
    >>> loc = OfflineGeocoder().geocode("Aleppo")        # doctest: +SKIP
    >>> round(loc.latitude, 1), round(loc.longitude, 1)  # doctest: +SKIP
    (36.2, 37.2)
    >>> import geopandas                                  # doctest: +SKIP
    >>> geopandas.tools.geocode(["Aleppo", "Ghab Plain"], provider=OfflineGeocoder)  # doctest: +SKIP
    """

    def __init__(self, gazetteer=None, *, fuzzy: bool = False, min_score: float | None = None,
                 timeout=DEFAULT_SENTINEL, user_agent: str | None = None) -> None:
        super().__init__(timeout=timeout, user_agent=user_agent or "geo-news-offline")
        self._gazetteer = gazetteer
        self.fuzzy = fuzzy
        self.min_score = min_score

    @property
    def gazetteer(self):
        if self._gazetteer is None:
            from .gazetteer import open_default

            self._gazetteer = open_default()
        return self._gazetteer

    def _address(self, place: Place, language) -> str:
        name = place.name
        if language:
            lang = str(language).split("-")[0].split(",")[0].strip().lower()
            name = next((n for n, lg, _ in self.gazetteer.names_of(place) if lg == lang), name)
        return f"{name}, {place.country}" if place.country else name

    def _location(self, place: Place, language, **extra) -> Location:
        return Location(self._address(place, language), Point(place.lat, place.lon), place_to_raw(place, **extra))

    def geocode(self, query, *, exactly_one: bool = True, timeout=DEFAULT_SENTINEL, language=False,
                country_codes: str | Iterable[str] | None = None, limit: int | None = None,
                fuzzy: bool | None = None):
        """Places called ``query``, most likely first, as ``geopy.Location`` (None when nothing matches).

        Parameters
        ----------
        query : str
            A place name in any spelling the gazetteer knows, or a structured query as Nominatim takes it:
            ``{"city": "Athens", "state": "Georgia", "country": "US"}`` (keys ``city``, ``county``, ``state``,
            ``country``; the most specific one is the place, the others say where it lies: a country by name or
            ISO code, a first-level division, a county within 80 km). Street addresses and postcodes are not in
            an offline gazetteer of places: a query with ``street`` or ``postalcode`` raises ``GeocoderQueryError``.
        exactly_one : bool
            Return the best Location, or a list of up to ``limit`` Locations.
        timeout :
            Ignored (no network); accepted so callers written for online geocoders work unchanged.
        language : str, optional
            Prefer the place's name in this language for ``address`` (``"ar"``, ``"uk"``...), where the gazetteer
            records one. A gazetteer built with ``--geonames DIR`` has GeoNames' alternate names with their
            languages; the embedded one has languages only for countries and curated places (its towns' alternate
            names come from a package that does not say which language they are in), so elsewhere the place's
            own name is returned.
        country_codes : str or list of str, optional
            ISO alpha-2 codes to restrict to.
        limit : int, optional
            At most this many results when ``exactly_one`` is False (default 10).
        fuzzy : bool, optional
            Override the geocoder's ``fuzzy`` setting for this query.

        Examples
        --------
        >>> OfflineGeocoder().geocode("Athens", country_codes="US").raw["admin1"]   # doctest: +SKIP
        'GA'
        """
        if isinstance(query, Mapping):
            return self._structured(query, exactly_one=exactly_one, language=language, country_codes=country_codes,
                                    limit=limit)
        if not isinstance(query, str):
            raise GeocoderQueryError(f"a place name must be a string, not {type(query).__name__}")
        use_fuzzy = self.fuzzy if fuzzy is None else fuzzy
        codes = [country_codes] if isinstance(country_codes, str) else list(country_codes or ())
        n = 1 if exactly_one else (limit or 10)
        found: list[tuple[Place, str, float]] = []
        for cc in codes or [None]:
            found += [(p, "exact", 100.0) for p in self.gazetteer.lookup(query, country=cc, limit=n)]
        if not found and use_fuzzy:
            extra = {} if self.min_score is None else {"min_score": self.min_score}
            for cc in codes or [None]:
                found += [(p, "fuzzy", s) for p, s in self.gazetteer.fuzzy_lookup(query, country=cc, limit=n, **extra)]
        if not found:
            return None
        locations = [self._location(p, language, match=m, score=s) for p, m, s in found[:n]]
        return locations[0] if exactly_one else locations

    def _structured(self, query: Mapping, *, exactly_one: bool, language, country_codes, limit):
        """A Nominatim-style structured query (see :meth:`geocode`)."""
        fields = {str(k).lower(): str(v).strip() for k, v in query.items() if v is not None and str(v).strip()}
        if unknown := set(fields) - set(STRUCTURED_FIELDS) - {"street", "postalcode"}:
            raise GeocoderQueryError(f"unknown fields {sorted(unknown)} in a structured query; use "
                                     f"{', '.join(STRUCTURED_FIELDS)}")
        if "street" in fields or "postalcode" in fields:
            raise GeocoderQueryError("the offline gazetteer holds places, not street addresses or postcodes: ask for "
                                     "the city, county, state or country (or pass an online geocoder to "
                                     "fallback_geocoder)")
        level = next((f for f in STRUCTURED_FIELDS if f in fields), None)
        if level is None:
            raise GeocoderQueryError(f"an empty structured query: give one of {', '.join(STRUCTURED_FIELDS)}")
        codes = [country_codes] if isinstance(country_codes, str) else list(country_codes or ())
        if "country" in fields and level != "country":
            country = fields["country"]
            if len(country) == 2 and country.isalpha():
                code = country.upper()
            else:
                found = [p for p in self.gazetteer.lookup(country, limit=10) if p.feature_code.startswith("PCL")]
                if not found:
                    return None if exactly_one else []
                code = found[0].country_code
            if codes and code not in codes:
                return None if exactly_one else []
            codes = [code]
        places = [p for cc in codes or [None] for p in self.gazetteer.lookup(fields[level], country=cc, limit=50)]
        if level == "country":
            places = [p for p in places if p.feature_code.startswith("PCL")]
        if "state" in fields and level in {"city", "county"}:
            states = [p for cc in codes or [None] for p in self.gazetteer.lookup(fields["state"], country=cc, limit=20)
                      if p.feature_code == "ADM1"]
            places = [p for p in places if any(in_division(p, st) for st in states)]
        if "county" in fields and level == "city":
            counties = [p for cc in codes or [None] for p in self.gazetteer.lookup(fields["county"], country=cc,
                                                                                   limit=20)
                        if p.feature_code == "ADM2"]
            places = [p for p in places if any(haversine_km(p.lat, p.lon, c.lat, c.lon) < 80 for c in counties)]
        n = 1 if exactly_one else (limit or 10)
        locations = [self._location(p, language, match="structured", score=100.0) for p in places[:n]]
        if exactly_one:
            return locations[0] if locations else None
        return locations

    def reverse(self, query, *, exactly_one: bool = True, timeout=DEFAULT_SENTINEL, language=False,
                radius_km: float = REVERSE_RADIUS_KM):
        """What is at a point: the nearest populated place, else the admin-1 area, country or sea containing it.

        Parameters
        ----------
        query : geopy.Point, (lat, lon) or "lat, lon"
            The point.
        exactly_one : bool
            Return the most precise Location, or all of them (nearest place, admin-1, country, sea).
        radius_km : float
            How far the nearest populated place may be.

        Examples
        --------
        >>> OfflineGeocoder().reverse((36.2, 37.16)).raw["country"]   # doctest: +SKIP
        'Syria'
        """
        try:
            point = Point(query)
        except (ValueError, TypeError) as err:
            raise GeocoderQueryError(f"not a point: {query!r} ({err}); pass (lat, lon) or 'lat, lon'") from err
        lat, lon = point.latitude, point.longitude
        gaz = self.gazetteer
        areas = gaz.reverse(lat, lon)
        context = {k: (v.name if v is not None else None) for k, v in areas.items() if k != "nearest"}
        near = gaz.nearby(lat, lon, radius_km=radius_km, limit=1)
        found = []
        if near:
            found.append(self._location(near[0][0], language, match="nearest", distance_km=near[0][1], **context))
        for key in ("admin1", "country", "sea"):
            if areas.get(key) is not None:
                found.append(self._location(areas[key], language, match=key, **context))
        if not found:
            return None
        return found[0] if exactly_one else found


class CachedGeocoder:
    """Wrap a geocode callable with a cache, geopy's rate limiter and clear errors.

    Composition, not inheritance: any callable ``func(query, **kwargs)`` works, typically an online geopy
    geocoder's ``geocode``. Answers (``None`` included) are cached by query and options, so a corpus that names
    "Aleppo" a thousand times asks once. The calls that reach ``func`` go through
    :class:`geopy.extra.rate_limiter.RateLimiter`: at most one per ``min_delay_seconds`` (start to start), a failed
    call retried ``max_retries`` times after ``error_wait_seconds`` with a logged warning, and no lock held while the
    network answers. Timeouts and service errors left after the retries become
    :class:`geo_news.exceptions.GeocoderServiceError` with a message that says what to do.

    Parameters
    ----------
    func : callable
        The geocode function, e.g. ``Nominatim(user_agent="my-app").geocode``.
    min_delay_seconds : float
        At least this long between the starts of two calls that reach ``func`` (Nominatim's policy: 1 s).
    max_size : int
        How many answers to keep (least recently used leave first).
    timeout : float, optional
        Passed to ``func`` as ``timeout=``; None leaves the geocoder's own default.
    max_retries : int
        How many times a call that failed with a timeout or a service error is tried again.
    error_wait_seconds : float
        The wait before a retry (at least ``min_delay_seconds``).

    Examples
    --------
    >>> from geopy.geocoders import Nominatim
    >>> geocode = CachedGeocoder(Nominatim(user_agent="my-newsroom").geocode)   # doctest: +SKIP
    >>> geocode("Aleppo").point                                               # doctest: +SKIP
    """

    def __init__(self, func: Callable[..., Any], *, min_delay_seconds: float = 1.0, max_size: int = 4096,
                 timeout: float | None = 10.0, max_retries: int = 2, error_wait_seconds: float = 5.0,
                 clock: Callable[[], float] | None = None, sleep: Callable[[float], None] | None = None) -> None:
        if min_delay_seconds < 0 or max_size < 1 or max_retries < 0:
            raise ValueError("min_delay_seconds must be >= 0, max_size >= 1 and max_retries >= 0")
        from geopy.extra.rate_limiter import RateLimiter

        self.func = func
        self.min_delay_seconds = min_delay_seconds
        self.max_size = max_size
        self.timeout = timeout
        self._limiter = RateLimiter(self._reach, min_delay_seconds=min_delay_seconds, max_retries=max_retries,
                                    error_wait_seconds=max(error_wait_seconds, min_delay_seconds),
                                    swallow_exceptions=False)
        if clock is not None:  # tests drive time by hand
            self._limiter._clock = clock
        if sleep is not None:
            self._limiter._sleep = sleep
        self._cache: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()  # guards the cache only, never held during a call
        self.calls = 0
        """How many calls reached ``func`` (cache misses and their retries)."""

    def _reach(self, query, **kwargs):
        with self._lock:
            self.calls += 1
        return self.func(query, **kwargs)

    def _name(self) -> str:
        owner = getattr(self.func, "__self__", None)
        return type(owner).__name__ if owner is not None else getattr(self.func, "__name__", repr(self.func))

    def _key(self, query, kwargs: dict) -> Hashable:
        def freeze(v):
            if isinstance(v, dict):
                return tuple(sorted((k, freeze(x)) for k, x in v.items()))
            if isinstance(v, (list, tuple, set)):
                return tuple(freeze(x) for x in v)
            return v

        return freeze(query), freeze(kwargs)

    def __call__(self, query, **kwargs):
        key = self._key(query, kwargs)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        if self.timeout is not None:
            kwargs.setdefault("timeout", self.timeout)
        try:
            answer = self._limiter(query, **kwargs)
        except (GeocoderTimedOut, GeocoderUnavailable) as err:
            if not isinstance(err, GeocoderTimedOut) and "timed out" not in str(err).lower():
                raise GeocoderServiceError(
                    f"the online geocoder {self._name()} is unreachable for {query!r}: {err}; check the "
                    f"network and its address, or use the offline gazetteer alone"
                ) from err
            # geopy's requests adapter retries a read timeout, then reports it as "unavailable"
            raise GeocoderServiceError(
                f"the online geocoder {self._name()} did not answer within {kwargs.get('timeout')} s for "
                f"{query!r}; try again later, raise timeout=, or use the offline gazetteer alone"
            ) from err
        except GeopyError as err:
            raise GeocoderServiceError(
                f"the online geocoder {self._name()} failed for {query!r}: {err}; check its address and "
                f"usage policy, or use the offline gazetteer alone"
            ) from err
        with self._lock:
            self._cache[key] = answer
            if len(self._cache) > self.max_size:
                self._cache.popitem(last=False)
        return answer


class FallbackGeocoder:
    """Ask ``primary`` first and ``secondary`` only for queries ``primary`` answered with None.

    Examples
    --------
    >>> geocode = FallbackGeocoder(OfflineGeocoder().geocode, None)   # doctest: +SKIP
    """

    def __init__(self, primary: Callable[..., Any], secondary: Callable[..., Any] | None) -> None:
        self.primary = primary
        self.secondary = secondary

    def __call__(self, query, **kwargs):
        answer = self.primary(query, **kwargs)
        if answer is None and self.secondary is not None:
            log.info("%r is not in the offline gazetteer; asking the online geocoder", query)
            answer = self.secondary(query, **kwargs)
        return answer


def fallback_geocoder(primary: Geocoder | Callable[..., Any] | None = None, secondary: Geocoder | None = None, *,
                      min_delay_seconds: float = 1.0, max_size: int = 4096, timeout: float | None = 10.0,
                      max_retries: int = 2, error_wait_seconds: float = 5.0) -> FallbackGeocoder:
    """A geocode callable: the offline gazetteer first, an online geopy geocoder only if one is passed.

    Parameters
    ----------
    primary : Geocoder or callable, optional
        Asked first; by default an :class:`OfflineGeocoder` over the embedded gazetteer.
    secondary : geopy Geocoder, optional
        The online geocoder (e.g. ``Nominatim(user_agent=...)``), asked only for names ``primary`` did not find,
        through a :class:`CachedGeocoder` (cache, rate limit, clear errors). Without it nothing goes online.
    min_delay_seconds, max_size, timeout, max_retries, error_wait_seconds :
        Passed to :class:`CachedGeocoder`.

    Examples
    --------
    >>> from geopy.geocoders import Nominatim
    >>> geocode = fallback_geocoder(secondary=Nominatim(user_agent="my-newsroom"))   # doctest: +SKIP
    >>> geocode("Ghab Plain").raw["source"]                                        # doctest: +SKIP
    'curated'
    """
    first = primary if primary is not None else OfflineGeocoder()
    first = first.geocode if isinstance(first, Geocoder) else first
    second = None
    if secondary is not None:
        func = secondary.geocode if isinstance(secondary, Geocoder) else secondary
        second = CachedGeocoder(func, min_delay_seconds=min_delay_seconds, max_size=max_size, timeout=timeout,
                                max_retries=max_retries, error_wait_seconds=error_wait_seconds)
    return FallbackGeocoder(first, second)
