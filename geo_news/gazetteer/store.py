"""Read-only access to the gazetteer file: lookup by name, nearby, reverse, shapes."""

from __future__ import annotations

import logging
import math
import sqlite3
import threading
from functools import lru_cache
from pathlib import Path

from ..exceptions import GazetteerCorruptError, GazetteerNotFoundError
from ..geo import haversine_km
from ..model import Place
from .normalize import MAX_NAME_CHARS, normalize
from .schema import NAME_KIND_PENALTY, NAME_KIND_RANK, SCHEMA_VERSION

log = logging.getLogger(__name__)

REBUILD_HINT = "rebuild it with: geo-news gazetteer build --force"

_PLACE_COLUMNS = (
    "row, id, name, lat, lon, feature_class, feature_code, country_code, country_codes, admin1, population, "
    "west, south, east, north, source, note, importance"
)
SALIENT_SOURCES = ("curated", "country", "admin1", "continent", "ne-marine", "alias")
"""Sources whose names are matched in text even when the language model did not tag them."""
SALIENT_MIN_POPULATION = 200_000


def _row_to_place(row: tuple) -> Place:
    (rowid, pid, name, lat, lon, fcl, fcode, cc, ccs, admin1, pop, west, south, east, north, source, note, _imp) = row
    bbox = (west, south, east, north) if west is not None else None
    return Place(
        id=pid, name=name, lat=lat, lon=lon, feature_class=fcl, feature_code=fcode, country_code=cc,
        country_codes=tuple(c for c in ccs.split("|") if c), admin1=admin1, population=pop or 0,
        bbox=bbox, source=source, note=note, row=rowid,
    )


class Gazetteer:
    """A gazetteer file opened read-only.

    Safe to open from several processes at once (the file is opened immutable) and to share between threads.

    Parameters
    ----------
    path : str or Path
        The SQLite file, as written by :func:`geo_news.gazetteer.build.build`.

    Examples
    --------
    >>> from geo_news.gazetteer import open_default
    >>> with open_default() as gaz:                       # doctest: +SKIP
    ...     gaz.lookup("Ghab Plain")[0].name
    'Ghab Plain'
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise GazetteerNotFoundError(f"no gazetteer file at {self.path}; {REBUILD_HINT}")
        self._lock = threading.RLock()
        try:
            self._con = sqlite3.connect(
                f"file:{self.path.resolve().as_posix()}?mode=ro&immutable=1", uri=True, check_same_thread=False
            )
            self.meta = self._check()
        except sqlite3.Error as err:
            raise GazetteerCorruptError(
                f"the gazetteer file {self.path} is corrupted or not a gazetteer ({err}); {REBUILD_HINT}"
            ) from err
        self._candidates = lru_cache(maxsize=65536)(self._candidates_uncached)
        self._shape = lru_cache(maxsize=512)(self._shape_uncached)
        self._salient: frozenset[str] | None = None

    # -- opening -----------------------------------------------------------------------------------------------
    def _check(self) -> dict[str, str]:
        page_size = self._con.execute("PRAGMA page_size").fetchone()[0]
        page_count = self._con.execute("PRAGMA page_count").fetchone()[0]
        if page_size * page_count > self.path.stat().st_size:
            raise GazetteerCorruptError(f"the gazetteer file {self.path} is truncated; {REBUILD_HINT}")
        meta = dict(self._con.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("complete") != "1":
            raise GazetteerCorruptError(f"the gazetteer file {self.path} was not completely built; {REBUILD_HINT}")
        if meta.get("schema_version") != str(SCHEMA_VERSION):
            raise GazetteerCorruptError(
                f"the gazetteer file {self.path} has schema version {meta.get('schema_version')}, "
                f"this geo_news needs {SCHEMA_VERSION}; {REBUILD_HINT}"
            )
        return meta

    def close(self) -> None:
        """Close the file."""
        self._con.close()

    def __enter__(self) -> Gazetteer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Gazetteer({str(self.path)!r}, places={self.meta.get('places', '?')})"

    def _query(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self._lock:
            return self._con.execute(sql, params).fetchall()

    # -- lookup ------------------------------------------------------------------------------------------------
    def _candidates_uncached(self, norm: str) -> tuple[tuple[Place, str, float], ...]:
        rows = self._query(
            f"SELECT {', '.join('p.' + c.strip() for c in _PLACE_COLUMNS.split(','))}, n.kind "
            "FROM names n JOIN places p ON p.row = n.place WHERE n.norm = ?",
            (norm,),
        )
        best: dict[int, tuple[Place, str, float]] = {}
        for row in rows:
            place, kind, importance = _row_to_place(row[:-1]), row[-1], row[-2]
            seen = best.get(place.row)
            if seen is None or NAME_KIND_RANK[kind] < NAME_KIND_RANK[seen[1]]:
                best[place.row] = (place, kind, importance)
        return tuple(sorted(best.values(), key=lambda c: -prior_score(c[0], c[1], c[2])))

    def candidates(self, name: str) -> tuple[tuple[Place, str, float], ...]:
        """Every place called ``name`` as ``(place, name_kind, importance)``, best prior first."""
        if not isinstance(name, str) or len(name) > MAX_NAME_CHARS:
            return ()
        norm = normalize(name)
        return self._candidates(norm) if norm else ()

    def lookup(self, name: str, *, country: str | None = None, limit: int = 10) -> list[Place]:
        """Places called ``name``, most likely first (importance, population, preferred names first).

        Parameters
        ----------
        name : str
            Any spelling: "Aleppo", "Halab", "the Caspian", "Al-Raqqah".
        country : str, optional
            ISO alpha-2 code; only places in (or shared with) that country.
        limit : int
            At most this many places.

        Examples
        --------
        >>> gaz.lookup("Ghab Plain")[0].country_code     # doctest: +SKIP
        'SY'
        """
        found = [p for p, _, _ in self.candidates(name)]
        if country:
            cc = country.upper()
            found = [p for p in found if p.country_code == cc or cc in p.country_codes]
        return found[:limit]

    def get(self, place_id: str) -> Place | None:
        """The place with this stable id (``gn:170063``, ``cur:ghab-plain``...), or None."""
        rows = self._query(f"SELECT {_PLACE_COLUMNS} FROM places WHERE id = ?", (place_id,))
        return _row_to_place(rows[0]) if rows else None

    def names_of(self, place: Place) -> list[tuple[str, str, str]]:
        """All names of a place as ``(name, lang, kind)``."""
        return self._query("SELECT name, lang, kind FROM names WHERE place = ?", (place.row,))

    def salient_names(self) -> frozenset[str]:
        """Normalised names worth matching in running text: features, countries, divisions, big cities."""
        if self._salient is None:
            marks = ",".join("?" * len(SALIENT_SOURCES))
            rows = self._query(
                f"SELECT DISTINCT n.norm FROM names n JOIN places p ON p.row = n.place "
                f"WHERE (p.source IN ({marks}) OR p.population >= ?) AND n.kind != 'alternate' "
                f"AND length(n.norm) > 2",
                (*SALIENT_SOURCES, SALIENT_MIN_POPULATION),
            )
            self._salient = frozenset(r[0] for r in rows)
        return self._salient

    # -- space -------------------------------------------------------------------------------------------------
    def nearby(self, lat: float, lon: float, *, radius_km: float = 50.0, limit: int = 10) -> list[tuple[Place, float]]:
        """Places within ``radius_km`` of a point, nearest first, as ``(place, km)``."""
        dlat = radius_km / 111.0
        dlon = radius_km / max(1e-6, 111.0 * math.cos(math.radians(min(89.0, abs(lat)))))
        rows = self._query(
            f"SELECT {', '.join('p.' + c.strip() for c in _PLACE_COLUMNS.split(','))} FROM places_rtree r "
            "JOIN places p ON p.row = r.row WHERE r.min_lon <= ? AND r.max_lon >= ? AND r.min_lat <= ? "
            "AND r.max_lat >= ? AND p.west IS NULL",
            (lon + dlon, lon - dlon, lat + dlat, lat - dlat),
        )
        out = []
        for row in rows:
            place = _row_to_place(row)
            km = haversine_km(lat, lon, place.lat, place.lon)
            if km <= radius_km:
                out.append((place, km))
        out.sort(key=lambda t: t[1])
        return out[:limit]

    def containing(self, lat: float, lon: float) -> list[Place]:
        """Areas with a shape that contains the point (countries, divisions, seas), largest first."""
        from shapely import Point

        rows = self._query(
            f"SELECT {', '.join('p.' + c.strip() for c in _PLACE_COLUMNS.split(','))} FROM places_rtree r "
            "JOIN places p ON p.row = r.row JOIN shapes s ON s.place = p.row "
            "WHERE r.min_lon <= ? AND r.max_lon >= ? AND r.min_lat <= ? AND r.max_lat >= ?",
            (lon, lon, lat, lat),
        )
        pt = Point(lon, lat)
        hits = [p for p in map(_row_to_place, rows) if self.shape(p) is not None and self.shape(p).covers(pt)]
        order = {"continent": 0, "country": 1, "ne-marine": 1, "curated": 2, "admin1": 3}
        return sorted(hits, key=lambda p: order.get(p.source, 4))

    def reverse(self, lat: float, lon: float) -> dict[str, Place | None]:
        """Which country, first-level division and sea contain a point, and the nearest populated place.

        Examples
        --------
        >>> gaz.reverse(36.2, 37.16)["country"].name       # doctest: +SKIP
        'Syria'
        """
        hits = self.containing(lat, lon)
        near = self.nearby(lat, lon, radius_km=50.0, limit=1)
        pick = lambda src: next((p for p in hits if p.source == src), None)  # noqa: E731
        return {
            "country": pick("country"),
            "admin1": pick("admin1"),
            "sea": pick("ne-marine"),
            "nearest": near[0][0] if near else None,
        }

    def _shape_uncached(self, row: int):
        from shapely import wkb

        rows = self._query("SELECT wkb FROM shapes WHERE place = ?", (row,))
        return wkb.loads(rows[0][0]) if rows else None

    def shape(self, place: Place):
        """The polygon of an area as a shapely geometry, or None for points and areas without a shape."""
        return self._shape(place.row)

    def country_shapes(self):
        """``(place, polygon)`` for every country with a shape (for basemaps)."""
        from shapely import wkb

        rows = self._query(
            f"SELECT {', '.join('p.' + c.strip() for c in _PLACE_COLUMNS.split(','))}, s.wkb FROM places p "
            "JOIN shapes s ON s.place = p.row WHERE p.source = 'country' ORDER BY p.name"
        )
        return [(_row_to_place(r[:-1]), wkb.loads(r[-1])) for r in rows]

    def info(self) -> dict:
        """Sources, versions, counts, size and path of this file."""
        sources = [
            dict(zip(("name", "version", "licence", "attribution", "rows"), r))
            for r in self._query("SELECT name, version, licence, attribution, rows FROM sources ORDER BY name")
        ]
        return {
            "path": str(self.path),
            "size_bytes": self.path.stat().st_size,
            "schema_version": int(self.meta["schema_version"]),
            "built": self.meta.get("built", ""),
            "geo_news_version": self.meta.get("geo_news_version", ""),
            "places": self._query("SELECT count(*) FROM places")[0][0],
            "names": self._query("SELECT count(*) FROM names")[0][0],
            "shapes": self._query("SELECT count(*) FROM shapes")[0][0],
            "sources": sources,
        }


def prior_score(place: Place, kind: str, importance: float) -> float:
    """Context-free plausibility of a place being meant by a name of this kind."""
    return importance - NAME_KIND_PENALTY.get(kind, 2.5)
