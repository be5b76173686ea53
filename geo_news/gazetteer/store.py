"""Read-only access to the gazetteer file: lookup by name, nearby, reverse, shapes."""

from __future__ import annotations

import logging
import math
import sqlite3
import threading
from functools import lru_cache
from pathlib import Path

from rapidfuzz.fuzz import ratio

from ..exceptions import GazetteerCorruptError, GazetteerError, GazetteerNotFoundError
from ..geo import haversine_km
from ..model import Place
from ..wordlists import zipf
from .normalize import MAX_NAME_CHARS, consonant_skeleton, normalize
from .schema import FUZZY_MAX_CHARS, FUZZY_MIN_CHARS, NAME_KIND_PENALTY, NAME_KIND_RANK, SCHEMA_VERSION

log = logging.getLogger(__name__)

REBUILD_HINT = "rebuild it with: geo-news gazetteer build --force"

_PLACE_COLUMNS = (
    "row, id, name, lat, lon, feature_class, feature_code, country_code, country_codes, admin1, population, "
    "west, south, east, north, source, note, importance, names_count, scripts"
)
_IMPORTANCE = [c.strip() for c in _PLACE_COLUMNS.split(",")].index("importance")
SALIENT_SOURCES = ("curated", "country", "admin1", "continent", "ne-marine", "alias")
"""Sources whose names are matched in text even when the language model did not tag them."""
SALIENT_MIN_POPULATION = 200_000
"""... and places this populous (with the sources above: the salient places, :meth:`Gazetteer.salient_names`)."""


def salient(place: Place) -> bool:
    """Whether a place is one of the salient ones, whose names are matched in text (see ``SALIENT_SOURCES``)."""
    return place.source in SALIENT_SOURCES or place.population >= SALIENT_MIN_POPULATION


FUZZY_MIN_SCORE = 80.0
"""Default similarity floor (0-100, Indel ratio of the name keys): kharkov/kharkiv is 85.7, alepo/aleppo 90.9."""
FUZZY_POOL = 300
"""How many trigram candidates (best BM25 first) are re-scored by edit similarity."""
FUZZY_MAX_GRAMS = 5
"""Only the rarest trigrams of a long name are searched: they find the same candidates for a fraction of the work."""
FUZZY_KEYS = 25
"""At most this many of the most similar keys are turned into places."""
FUZZY_PRIOR_WEIGHT = 3.0
"""Similarity points one unit of prior (importance) is worth when ranking fuzzy matches of different places."""
SPELLING_MIN_SCORE = 88.0
"""How similar (0-100) a spelling must be to stand for a name the gazetteer does not know as written, in running
text (:meth:`Gazetteer.spellings`): maarat al-numan / ma'arrat an nu'man is 90, kyaukphyu / kyaukpyu 94."""
SPELLING_BAND = 5.0
"""Spellings this much less similar than the closest one are left out."""
SPELLING_MAX_ZIPF = 2.5
"""A name as common in English as this (wordfreq's Zipf scale) is never looked up by its spelling: "Bakery",
"Troop" and "Eagles" are a letter away from towns, and a word that common is almost never a place the gazetteer
spells differently (on LGL every such word that got a reading was wrong)."""


def spelling_distance(similarity: float) -> float:
    """How far a spelling is from the name as written, for the recogniser's and resolver's ``spelling`` feature:
    0.03 for a similarity of 97, 0.12 for 88 (never 0, which means "not a spelling reading")."""
    return max(1e-6, 1.0 - similarity / 100.0)


def _row_to_place(row: tuple) -> Place:
    (rowid, pid, name, lat, lon, fcl, fcode, cc, ccs, admin1, pop, west, south, east, north, source, note, _imp,
     n_names, scripts) = row
    bbox = (west, south, east, north) if west is not None else None
    return Place(
        id=pid, name=name, lat=lat, lon=lon, feature_class=fcl, feature_code=fcode, country_code=cc,
        country_codes=tuple(c for c in ccs.split("|") if c), admin1=admin1, population=pop or 0,
        bbox=bbox, source=source, note=note, row=rowid, names=n_names or 0, scripts=scripts or 0,
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
            with open(self.path, "rb"):
                pass
        except OSError as err:  # not a damaged file: one we may not read, which a rebuild must not replace
            raise GazetteerError(f"cannot read the gazetteer file {self.path} ({err.strerror}); give your user read "
                                 f"access (chmod 644 {self.path}) or remove it so geo_news builds a new one") from err
        try:
            self._con = sqlite3.connect(
                f"file:{self.path.resolve().as_posix()}?mode=ro&immutable=1", uri=True, check_same_thread=False
            )
            self.meta = self._check()
        except GazetteerCorruptError:
            raise
        except sqlite3.Error as err:
            raise GazetteerCorruptError(
                f"the gazetteer file {self.path} is corrupted or not a gazetteer ({err}); {REBUILD_HINT}"
            ) from err
        self._candidates = lru_cache(maxsize=65536)(self._candidates_uncached)
        self._shape = lru_cache(maxsize=512)(self._shape_uncached)
        self._fuzzy = lru_cache(maxsize=4096)(self._fuzzy_uncached)
        self._gram_docs = lru_cache(maxsize=65536)(self._gram_docs_uncached)
        self._vocab_ready = False
        self._ratio = ratio  # rapidfuzz is a dependency: the Indel ratio of two name keys, 0-100
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

    shared = False
    """True for the process-wide gazetteer of :func:`geo_news.gazetteer.open_default`: every geoparser of the
    process uses it, so :meth:`close` (and leaving a ``with`` block) leaves it open."""

    def close(self) -> None:
        """Close the file (not the process-wide one of ``open_default``, which others are using)."""
        if not self.shared:
            self._con.close()

    def __enter__(self) -> Gazetteer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Gazetteer({str(self.path)!r}, places={self.meta.get('places', '?')})"

    def _query(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self._lock:
            try:
                return self._con.execute(sql, params).fetchall()
            except sqlite3.ProgrammingError as err:  # used after close(): the caller's mistake, not the file's
                raise GazetteerError(f"the gazetteer {self.path} was closed ({err}); open it again with "
                                     "geo_news.gazetteer.Gazetteer(path)") from err
            except sqlite3.DatabaseError as err:  # a page damaged after the file was opened or checked
                raise GazetteerCorruptError(f"the gazetteer file {self.path} is damaged "
                                            f"({' '.join(str(err).split())}); {REBUILD_HINT}") from err

    def verify(self) -> None:
        """Read every page of the file (``PRAGMA quick_check``, about half a second for the embedded gazetteer);
        raise :class:`GazetteerCorruptError` when any table or index is damaged."""
        result = self._query("PRAGMA quick_check")
        if result != [("ok",)]:
            detail = " ".join(" ".join(str(r[0]) for r in result[:3]).split())[:200]  # one line
            raise GazetteerCorruptError(f"the gazetteer file {self.path} is damaged ({detail}); {REBUILD_HINT}")

    # -- lookup ------------------------------------------------------------------------------------------------
    def _candidates_uncached(self, norm: str) -> tuple[tuple[Place, str, float], ...]:
        rows = self._query(
            f"SELECT {', '.join('p.' + c.strip() for c in _PLACE_COLUMNS.split(','))}, n.kind "
            "FROM names n JOIN places p ON p.row = n.place WHERE n.norm = ?",
            (norm,),
        )
        best: dict[int, tuple[Place, str, float]] = {}
        for row in rows:
            place, kind, importance = _row_to_place(row[:-1]), row[-1], row[_IMPORTANCE]
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

    def lookup(self, name: str, *, country: str | None = None, limit: int = 10, fuzzy: bool = False) -> list[Place]:
        """Places called ``name``, most likely first (importance, population, preferred names first).

        Parameters
        ----------
        name : str
            Any spelling: "Aleppo", "Halab", "the Caspian", "Al-Raqqah".
        country : str, optional
            ISO alpha-2 code; only places in (or shared with) that country.
        limit : int
            At most this many places.
        fuzzy : bool
            When no name matches exactly, fall back to :meth:`fuzzy_lookup` (spelling variants).

        Examples
        --------
        >>> gaz.lookup("Ghab Plain")[0].country_code     # doctest: +SKIP
        'SY'
        >>> gaz.lookup("Kharkov", fuzzy=True)[0].name     # doctest: +SKIP
        'Kharkiv'
        """
        found = _city_before_namesake_division(_in_country([p for p, _, _ in self.candidates(name)], country))
        if not found and fuzzy:
            return [p for p, _ in self.fuzzy_lookup(name, country=country, limit=limit)]
        return found[:limit]

    def _fuzzy_uncached(self, norm: str, min_score: float) -> tuple[tuple[Place, float, str, float, str], ...]:
        # Candidate keys come from the FTS5 trigram index (any of the name's rarest trigrams, best BM25 first),
        # then are re-scored by edit similarity. benchmarks/gazetteer.py --compare-fuzzy measured this against a
        # rapidfuzz scan over every key: nearly the same recall, about three times faster, and no list of a
        # million keys held in every process.
        grams = sorted({norm[i:i + 3] for i in range(len(norm) - 2)})
        counted = sorted((self._gram_docs(g), g) for g in grams)
        grams = [g for n, g in counted if n][:FUZZY_MAX_GRAMS]
        if not grams:
            return ()
        expr = " OR ".join('"' + g.replace('"', '""') + '"' for g in grams)
        keys = self._query(
            "SELECT norm FROM fuzzy_trigrams WHERE fuzzy_trigrams MATCH ? ORDER BY rank LIMIT ?", (expr, FUZZY_POOL)
        )
        scored = sorted(((self._ratio(norm, key), key) for (key,) in keys), reverse=True)
        best: dict[int, tuple[Place, float, float, str, float, str]] = {}
        for score, key in scored[:FUZZY_KEYS]:
            if score < min_score:
                break
            for place, kind, importance in self._candidates(key):
                rank = score + FUZZY_PRIOR_WEIGHT * prior_score(place, kind, importance)
                seen = best.get(place.row)
                if seen is None or rank > seen[2]:
                    best[place.row] = (place, score, rank, kind, importance, key)
        ordered = sorted(best.values(), key=lambda t: (-t[2], t[0].row))
        return tuple((place, score, kind, importance, key) for place, score, _, kind, importance, key in ordered)

    def _gram_docs_uncached(self, gram: str) -> int:
        """How many name keys contain this trigram (from the index's own vocabulary)."""
        with self._lock:
            if not self._vocab_ready:
                # a temp-schema view of the index vocabulary: the file itself stays read-only
                self._query(
                    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.fuzzy_vocab USING fts5vocab(main, 'fuzzy_trigrams', 'row')"
                )
                self._vocab_ready = True
            rows = self._query("SELECT doc FROM temp.fuzzy_vocab WHERE term = ?", (gram,))
        return rows[0][0] if rows else 0

    def fuzzy_lookup(self, name: str, *, country: str | None = None, limit: int = 10,
                     min_score: float = FUZZY_MIN_SCORE) -> list[tuple[Place, float]]:
        """Places whose names are spelled like ``name``, as ``(place, similarity 0-100)``, most likely first.

        For spelling variants and typos the exact lookup misses ("Kharkov" for a gazetteer that only knows
        "Kharkiv", "Mariupl"). Similarity is the Indel ratio of the normalised keys; places are ranked by
        similarity plus their prior (importance), so a city beats a hamlet spelled a little closer.

        Parameters
        ----------
        name : str
            The name as written.
        country : str, optional
            ISO alpha-2 code; only places in (or shared with) that country.
        limit : int
            At most this many places.
        min_score : float
            Leave out names less similar than this (0-100).

        Examples
        --------
        >>> place, score = gaz.fuzzy_lookup("Zaporizhia")[0]      # doctest: +SKIP
        >>> place.name, round(score)                              # doctest: +SKIP
        ('Zaporizhzhia', 91)
        """
        if not isinstance(name, str) or len(name) > MAX_NAME_CHARS:
            return []
        norm = normalize(name)
        if not FUZZY_MIN_CHARS <= len(norm) <= FUZZY_MAX_CHARS:
            return []
        found = self._fuzzy(norm, float(min_score))
        if country:
            keep = {p.row for p in _in_country([t[0] for t in found], country)}
            found = tuple(t for t in found if t[0].row in keep)
        return [(place, score) for place, score, *_ in found[:limit]]

    @staticmethod
    def worth_spelling(name: str) -> bool:
        """Whether a name in running text that the gazetteer does not know as written may be a place it spells
        differently: written as a name (not an acronym or an abbreviation) and rare in English ("Maarat al-Numan",
        "Kyaukphyu"; not "Bakery")."""
        if not isinstance(name, str) or len(name) > MAX_NAME_CHARS:
            return False
        text = name.strip()
        return not (text.isupper() and len(text) <= 4 or "." in text) and zipf(text) < SPELLING_MAX_ZIPF

    def spellings(self, name: str, *, min_score: float = SPELLING_MIN_SCORE, band: float = SPELLING_BAND,
                  limit: int = 20) -> list[tuple[Place, str, float, float]]:
        """Places whose names are other romanisations of a name in running text that the gazetteer does not know
        as written (only a name :meth:`worth_spelling`), as ``(place, name_kind, importance, similarity 0-100)``:
        spelled alike (at least ``min_score``, within ``band`` of the closest) **and** with the same consonants
        (:func:`consonant_skeleton`: "Maarat al-Numan" for Ma'arrat an Nu'man, not "Harwinton" for Harrington), most
        similar first, then by prior. :meth:`fuzzy_lookup` with what :meth:`candidates` tells of each match, for a
        recogniser and resolver that weigh them themselves (:func:`spelling_distance`)."""
        if not self.worth_spelling(name):
            return []
        norm = normalize(name)
        skeleton = consonant_skeleton(norm)
        if not FUZZY_MIN_CHARS <= len(norm) <= FUZZY_MAX_CHARS or len(skeleton) < 2:
            return []
        found = sorted((t for t in self._fuzzy(norm, float(min_score)) if consonant_skeleton(t[4]) == skeleton),
                       key=lambda t: -t[1])  # stable: prior order kept among equals
        return [(place, kind, importance, score) for place, score, kind, importance, _ in found[:limit]
                if score >= found[0][1] - band]

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
            # read the few salient places' names by the place index; no DISTINCT (a sort of every name: 1.4 s
            # against 0.2 s on the embedded gazetteer, paid by every process that starts)
            rows = self._query(
                f"SELECT n.norm FROM places p CROSS JOIN names n ON n.place = p.row "
                f"WHERE (p.source IN ({marks}) OR p.population >= ?) AND n.kind != 'alternate' "
                f"AND length(n.norm) > 2",
                (*SALIENT_SOURCES, SALIENT_MIN_POPULATION),
            )
            self._salient = frozenset(r[0] for r in rows)
        return self._salient

    # -- space -------------------------------------------------------------------------------------------------
    def nearby(self, lat: float, lon: float, *, radius_km: float = 50.0, limit: int = 10) -> list[tuple[Place, float]]:
        """Places within ``radius_km`` of a point, nearest first, as ``(place, km)``."""
        # Search growing boxes: in a dense region the full radius holds thousands of villages, while the nearest
        # few are usually within a few km. Everything within r lies inside the box of r, so stopping early is exact.
        for r in (radius_km / 16, radius_km / 4, radius_km):
            found = self._nearby_box(lat, lon, r)
            if len(found) >= limit or r == radius_km:
                return found[:limit]
        return []

    def _nearby_box(self, lat: float, lon: float, radius_km: float) -> list[tuple[Place, float]]:
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
        return out

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
            # seas with a polygon: Natural Earth's own, or a curated sea that took over its polygon
            "sea": next((p for p in hits if p.feature_class == "H"), None),
            "nearest": near[0][0] if near else None,
        }

    def _shape_uncached(self, row: int):
        from shapely import wkb

        import shapely

        rows = self._query("SELECT wkb FROM shapes WHERE place = ?", (row,))
        if not rows:
            return None
        geom = wkb.loads(rows[0][0])
        shapely.prepare(geom)  # point-in-polygon tests on a prepared shape are many times faster
        return geom

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
            "mode": self.meta.get("mode", ""),
            "tier": self.meta.get("tier", ""),
            "geonames_files": self.meta.get("geonames_files", ""),
            "built": self.meta.get("built", ""),
            "build_seconds": float(self.meta.get("build_seconds") or 0),
            "geo_news_version": self.meta.get("geo_news_version", ""),
            "sqlite_version": sqlite3.sqlite_version,
            "places": self._query("SELECT count(*) FROM places")[0][0],
            "names": self._query("SELECT count(*) FROM names")[0][0],
            "shapes": self._query("SELECT count(*) FROM shapes")[0][0],
            "fuzzy_keys": self._query("SELECT count(*) FROM fuzzy_norms")[0][0],
            "sources": sources,
        }


CITY_OVER_DIVISION_KM = 400.0
CITY_OVER_DIVISION_MIN_POPULATION = 10_000


def _city_before_namesake_division(places: list[Place]) -> list[Place]:
    """Put a town before the first-level division named after it ("Hama", "Daraa", "Misrata").

    Divisions outrank towns by prior, and a town often matches only through an alternate spelling ("Hama" for
    Ḩamāh), but a bare name in the news means the town: "Hama province" is what a reporter writes for the area.
    """
    if not places or places[0].feature_code != "ADM1":
        return places
    town = namesake_town(places[0], places[1:])
    return places if town is None else [town, *(p for p in places if p is not town)]


def namesake_town(division: Place, places, *, min_population: int = CITY_OVER_DIVISION_MIN_POPULATION
                  ) -> Place | None:
    """The largest town among ``places`` that a first-level division is named after (same country, within
    ``CITY_OVER_DIVISION_KM``), or None."""
    towns = [p for p in places if p.feature_class == "P" and p.population >= min_population
             and p.country_code == division.country_code
             and haversine_km(p.lat, p.lon, division.lat, division.lon) <= CITY_OVER_DIVISION_KM]
    return max(towns, key=lambda p: p.population) if towns else None


def _in_country(places: list[Place], country: str | None) -> list[Place]:
    if not country:
        return places
    cc = country.upper()
    return [p for p in places if p.country_code == cc or cc in p.country_codes]


def prior_score(place: Place, kind: str, importance: float) -> float:
    """Context-free plausibility of a place being meant by a name of this kind."""
    return importance - NAME_KIND_PENALTY.get(kind, 2.5)
