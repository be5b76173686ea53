"""Airports with an IATA code, from the ``airportsdata`` package (MIT; OurAirports and other public sources).

News names airports by their own name ("Heathrow", "Mitiga airport", "Hodeidah International Airport"), often
without the city the airport's official name starts with. Each airport gets its official name, the name without
its "Airport" words ("London Heathrow"), and that without the leading city or subdivision name ("Heathrow") when
what is left is a name of its own (not "International", nor a person's initials).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...wordlists import census_names, zipf

_AIRPORT_WORDS = re.compile(r"\s+(?:(?:international|intl|regional|national|ntl|municipal|domestic|civil|air|"
                            r"airport|airfield|aerodrome|field|airbase|air base)\b\.?\s*)+$", re.IGNORECASE)
_GENERIC = {"international", "regional", "national", "municipal", "airport", "city", "county", "metropolitan",
            "new", "old", "north", "south", "east", "west", "central", "main", "general", "state", "army", "navy",
            "naval", "metro", "plains", "valley", "university", "college", "field", "memorial", "executive",
            "industrial", "heliport", "base", "station", "island", "lake", "river", "mountain", "county", "downtown"}
_COMMON_ZIPF = 4.0
"""A short name at least this frequent in English (``wordfreq``'s Zipf scale) is a word, not the airport's name."""


def _own_name(short: str) -> bool:
    """A name that can stand for the airport alone: no generic word ("State", "Metro"), not a common English word
    or phrase ("St Louis", "East Texas"), not a person's given name or surname ("Ford", "Smith")."""
    words = short.lower().replace("-", " ").split()
    if not words or any(w in _GENERIC for w in words) or zipf(short) >= _COMMON_ZIPF:
        return False
    return not (len(words) == 1 and (words[0] in census_names("given") or words[0] in census_names("surname")))


def package_version() -> str:
    from importlib.metadata import version

    return version("airportsdata")


def _like(a: str, b: str) -> bool:
    from rapidfuzz import fuzz

    return bool(a and b) and fuzz.ratio(a.lower(), b.lower()) >= 85


def _short_names(name: str, city: str, subd: str) -> list[str]:
    """Shorter names news uses for an airport: without its "Airport" words ("Mitiga"), unless that is the name
    of its city ("Hodeidah International Airport" of Hodeida: the short name is the city's), and without a
    leading city ("London Heathrow" -> "Heathrow")."""
    out = []
    bare = _AIRPORT_WORDS.sub("", name).strip(" -,")
    initials = any(len(w.rstrip(".")) == 1 for w in bare.split())  # "John F Kennedy" is a person's name
    if (bare and bare != name and not initials and not _like(bare, city) and not _like(bare, subd)
            and _own_name(bare)):
        out.append(bare)
    for prefix in (city, subd):
        if prefix and bare.lower().startswith(prefix.lower() + " "):
            rest = bare[len(prefix):].strip(" -,/")
            words = rest.split()
            if (words and len(rest) >= 4 and rest[:1].isupper() and _own_name(rest)
                    and not any(len(w.rstrip(".")) == 1 for w in words)):  # not "John F Kennedy"'s initials
                out.append(rest)
    return list(dict.fromkeys(out))


def iter_airports() -> Iterator[dict]:
    """One dict per airport with an IATA code: id, name, short names, lat, lon, country code."""
    import airportsdata

    for code, a in sorted(airportsdata.load("IATA").items()):
        if not a.get("name") or a.get("lat") is None or a.get("lon") is None:
            continue
        yield {"id": f"iata:{code}", "name": a["name"], "short": _short_names(a["name"], a.get("city") or "",
                                                                             a.get("subd") or ""),
               "lat": float(a["lat"]), "lon": float(a["lon"]), "country_code": a.get("country") or "",
               "code": code}
