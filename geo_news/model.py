"""Typed records passed between the pipeline stages.

They are frozen, slotted dataclasses: cheap, hashable, and safe to share. Tables are made from them only at the
edge, in :mod:`geo_news.frames`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .geo import haversine_km

ROLES = ("launch", "transit", "target", "impact", "location")
SENSES = ("literal", "associative")
"""How a place name is used: the place itself, or the government, army, team or people it stands for."""
"""Every role a place mention can play, in route order; ``location`` is a place named in any other way."""

PRECISIONS = ("exact", "near", "admin2", "admin1", "region", "country", "water")
"""Location precision, after UCDP GED ``where_prec`` and ACLED ``geo_precision``, most exact first."""


CONTEXT_LABEL = "CONTEXT"
"""Label of a place named only as context ("Hall County Environmental Health", or a nationality word when the
caller did not ask for demonyms): it helps resolve the other names, and is never output."""
DEMONYM_LABEL = "DEMONYM"
"""Label of a nationality word ("Israeli") standing for its country."""
DEMONYM_SOURCE = "demonym"
"""``Mention.source`` of a nationality word: looked up as the country it names, whatever its label."""


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of the article that names a place.

    ``start``/``end`` are 0-based, end-exclusive character offsets into the article text.
    """

    text: str
    start: int
    end: int
    sentence_index: int = 0
    label: str = ""
    source: str = ""
    name: str = ""
    """The name to look up, where it differs from the surface: "South Sudan" for the hashtag "#SouthSudan"."""

    def __repr__(self) -> str:
        return f"Mention({self.text!r} @{self.start}:{self.end}, {self.label or self.source})"

    @property
    def lookup(self) -> str:
        """The name the gazetteer is asked for."""
        return self.name or self.text


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry."""

    id: str
    name: str
    lat: float
    lon: float
    feature_class: str = ""
    feature_code: str = ""
    country_code: str = ""
    country_codes: tuple[str, ...] = ()
    admin1: str = ""
    population: int = 0
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    source: str = ""
    note: str = ""
    row: int = field(default=0, compare=False, repr=False)
    names: int = field(default=0, compare=False, repr=False)
    """Prominence: how many names (alternate spellings, translations) the gazetteer holds for the place."""
    scripts: int = field(default=0, compare=False, repr=False)
    """Prominence: in how many writing systems those names are written (a place the world names often)."""

    @property
    def country(self) -> str:
        """The country code every table, map and command shows for the place: its own, else (a disputed area
        without one) every administering and claiming country joined by "|" ("RU|UA")."""
        return self.country_code or "|".join(self.country_codes)

    def record(self, **extra) -> dict:
        """The place as a flat record with the field names of the mention tables (``place_id``, ``name``, ``lat``,
        ``lon``, ``feature_class``, ``feature_code``, ``country_code`` — :attr:`country` —, ``population``,
        ``source``), plus ``extra``: what maps, the command line and the geocoder start from."""
        return {"place_id": self.id, "name": self.name, "lat": self.lat, "lon": self.lon,
                "feature_class": self.feature_class, "feature_code": self.feature_code, "country_code": self.country,
                "population": self.population, "source": self.source, **extra}

    def __repr__(self) -> str:
        cc = self.country or "-"
        return (
            f"Place({self.name!r}, {self.lat:.4f}, {self.lon:.4f}, "
            f"{self.feature_class}.{self.feature_code}, {cc}, id={self.id})"
        )

    @property
    def is_area(self) -> bool:
        """True for places that are areas (countries, divisions, seas, regions) rather than points."""
        return self.feature_class in {"A", "H", "L", "T", "V"} and self.feature_code not in {
            "MT", "PK", "PASS", "CAPE", "HLL", "VLC",
        }


@dataclass(frozen=True, slots=True)
class Resolved:
    """A mention with the place chosen for it (``place`` is None when nothing fitted)."""

    mention: Mention
    place: Place | None
    confidence: float = 0.0
    candidates: int = 0
    role: str = "location"
    precision: str = ""
    sentence: str = ""
    cue: str = ""
    attribution: str = ""
    mover: str = ""
    sense: str = "literal"
    """``literal`` (the place itself) or ``associative`` (the name stands for a government, army, team or people:
    "Moscow insisted"); see :mod:`geo_news.sense`."""
    count: int | None = None
    """How many movers the clause of a movement role states ("four cruise missiles"); see
    :mod:`geo_news.attributes`."""
    quantity: str = ""
    """The words of that amount as written ("at least four", "dozens")."""
    when: str = ""
    """The date and time words of the movement's clause ("Tuesday", "overnight")."""
    event_date: str = ""
    """``when`` as an ISO date, reckoned from the article's date; "" when the text names no day."""
    another: bool = False
    """The clause tells of another mover than the story's earlier ones ("a second drone"): it opens an event of its
    own (:func:`geo_news.events.group_events`). Not an output column."""

    def __repr__(self) -> str:
        where = self.place.name if self.place else "unresolved"
        return f"Resolved({self.mention.text!r} -> {where}, role={self.role}, conf={self.confidence:.2f})"


@dataclass(frozen=True, slots=True)
class Event:
    """A movement told by the article: where it started, what it crossed, what it aimed at, where it came down."""

    id: int
    launch: tuple[Resolved, ...] = ()
    transits: tuple[Resolved, ...] = ()
    targets: tuple[Resolved, ...] = ()
    impacts: tuple[Resolved, ...] = ()
    sentences: tuple[int, ...] = ()

    def _stated(self, attr: str, roles=("launch", "transits", "targets", "impacts")):
        for role in roles:
            for r in getattr(self, role):
                value = getattr(r, attr)
                if value not in (None, ""):
                    return value
        return None

    @property
    def count(self) -> int | None:
        """How many movers the text says were launched or sent (stated on a launch, transit or target mention),
        else the first count stated where they came down; None when the text states none."""
        return self._stated("count")

    @property
    def when(self) -> str:
        """The first date or time words stated for the event's movement ("Tuesday"), or ""."""
        return self._stated("when") or ""

    @property
    def event_date(self) -> str:
        """The first ISO date the event's mentions state (see :attr:`Resolved.event_date`), or ""."""
        return self._stated("event_date") or ""

    @property
    def waypoints(self) -> tuple[Resolved, ...]:
        """The route's places in order (:func:`route_order`)."""
        return tuple(r for r in route_order(self.launch, self.transits, self.targets, self.impacts)
                     if r.place is not None)

    def __repr__(self) -> str:
        names = " -> ".join(r.place.name for r in self.waypoints if r.place)
        return f"Event({self.id}: {names or 'no route'}, impacts={len(self.impacts)})"


def route_order(launch: Sequence, transits: Sequence, targets: Sequence, impacts: Sequence) -> list:
    """The route rule, for mentions or table rows alike: the first launch, every transit in order, then the first
    target, else the first impact."""
    return [*launch[:1], *transits, *(targets[:1] or impacts[:1])]


def in_division(place: Place, division: Place) -> bool:
    """Whether a place lies in a first-level division: the same GeoNames admin-1 code, or within 600 km of the
    division's point — 150 km when both carry codes and they differ ("Cairo, Illinois" is not the Cairo of Ohio,
    440 km from Illinois' point; but an English town carries England's code, not its county's, so a town near
    "Essex" is still in Essex)."""
    if place.admin1 and place.admin1 == division.admin1:
        return True
    km = haversine_km(division.lat, division.lon, place.lat, place.lon)
    return km < (150 if place.admin1 and division.admin1 and place.feature_class == "P" else 600)


INSIDE_KM = {"within_town": 30.0, "within_admin2": 80.0, "within_admin1": 400.0, "within_country": 1500.0}
"""How far from an area's point a place may lie and still be in it, by the area's kind (a county is some 50 km
across; a first-level division or a country is judged by its extent when it has one)."""


def within_level(place: Place) -> str:
    """The kind of area a place is, for :data:`INSIDE_KM`."""
    if place.feature_code == "ADM2":
        return "within_admin2"
    if place.feature_code.startswith("PCL"):
        return "within_country"
    if place.feature_class == "P":
        return "within_town"
    return "within_admin1"


def inside(place: Place, area: Place) -> bool:
    """Whether ``place`` lies in ``area``: inside its extent where the gazetteer has one, else near its point."""
    if area.bbox is not None and area.feature_class == "A":
        west, south, east, north = area.bbox
        if south <= place.lat <= north and (west <= place.lon <= east if west <= east
                                              else place.lon >= west or place.lon <= east):
            return True
        if area.feature_code != "ADM2":
            return False
    return haversine_km(place.lat, place.lon, area.lat, area.lon) <= INSIDE_KM[within_level(area)]


def in_administrative_area(place: Place, area: Place, *, division: bool = False) -> bool:
    """Whether the gazetteer puts ``place`` in ``area``, an administrative area: its country, its first-level
    division, or inside the division's extent — not the nearness :func:`inside` allows an area without an extent,
    and not a sea or a desert a place lies in ("across Hainan and the Gulf of Tonkin"). ``division``: ``area`` is
    a town that stands for the first-level division named after it ("the Donetsk region"), which holds the places
    of the same country with the same first-level code."""
    if division and area.feature_class == "P":
        return (bool(area.admin1) and place.country_code == area.country_code and place.admin1 == area.admin1
                and place.feature_code != "ADM1" and not place.feature_code.startswith("PCL"))
    if area.feature_code.startswith("PCL"):
        return (bool(area.country_code) and place.country_code == area.country_code
                and not place.feature_code.startswith("PCL"))
    if area.feature_code == "ADM1" and area.admin1 and place.admin1:
        return (place.country_code == area.country_code and place.admin1 == area.admin1
                and place.feature_code != "ADM1")
    return (area.feature_class == "A" and area.bbox is not None and inside(place, area)
            and not (place.bbox is not None and inside(area, place)))
