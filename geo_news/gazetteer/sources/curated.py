"""The project's own curated tables in ``data/gazetteer``: physical features and regions, country aliases."""

from __future__ import annotations

import csv
import hashlib
from functools import lru_cache
from collections.abc import Iterator
from pathlib import Path

from ...exceptions import GazetteerBuildError
from ..normalize import strip_accents

FEATURE_COLUMNS = (
    "key", "name", "alt_names", "feature_class", "feature_code", "country_codes", "lat", "lon",
    "west", "south", "east", "north", "population", "source", "note",
)


def data_dir() -> Path:
    """Where the curated tables are: packaged with the wheel, or the repository's ``data/`` folder."""
    here = Path(__file__).resolve()
    for candidate in (here.parents[2] / "_data" / "gazetteer", here.parents[3] / "data" / "gazetteer"):
        if candidate.is_dir():
            return candidate
    raise GazetteerBuildError(
        "the curated gazetteer tables (data/gazetteer) are missing from this installation; reinstall geo-news"
    )


def feature_files(directory: Path | None = None) -> list[Path]:
    return sorted((directory or data_dir()).joinpath("features").glob("*.csv"))


def _float(value: str) -> float | None:
    value = (value or "").strip()
    return float(value) if value else None


def iter_features(directory: Path | None = None) -> Iterator[dict]:
    """Rows of every ``features/*.csv``, typed, with ``file`` and ``line`` for error messages."""
    for path in feature_files(directory):
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            if tuple(reader.fieldnames or ()) != FEATURE_COLUMNS:
                raise GazetteerBuildError(f"{path}: header must be {','.join(FEATURE_COLUMNS)}")
            for line, row in enumerate(reader, start=2):
                try:
                    yield {
                        **row,
                        "alt_names": [a.strip() for a in row["alt_names"].split("|") if a.strip()],
                        "country_codes": [c.strip().upper() for c in row["country_codes"].split("|") if c.strip()],
                        "lat": float(row["lat"]),
                        "lon": float(row["lon"]),
                        "bbox": tuple(_float(row[k]) for k in ("west", "south", "east", "north")),
                        "population": int(row["population"] or 0),
                        "file": path.name,
                        "line": line,
                    }
                except (ValueError, TypeError, AttributeError) as err:
                    raise GazetteerBuildError(f"{path}:{line}: bad row ({err})") from err


def iter_country_aliases(directory: Path | None = None) -> Iterator[dict]:
    path = (directory or data_dir()) / "country_aliases.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


def country_points(directory: Path | None = None) -> dict[str, tuple[float, float]]:
    """ISO code → (lat, lon) for countries whose representative point is set by ``country_points.csv``."""
    path = (directory or data_dir()) / "country_points.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        return {r["iso2"]: (float(r["lat"]), float(r["lon"])) for r in csv.DictReader(fh)}


def admin1_points(directory: Path | None = None) -> dict[str, tuple[float, float, str, str]]:
    """ISO 3166-2 code → (lat, lon, GeoNames admin-1 code or "", English name or ""): centroids of Natural Earth
    admin-1 polygons, the code GeoNames gives the division, and Natural Earth's English name of it ("Donetsk" for
    Donetska oblast, "Nineveh" for Ninawa, "Borno State") (``admin1_points.csv``)."""
    path = (directory or data_dir()) / "admin1_points.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        return {r["iso3166_2"]: (float(r["lat"]), float(r["lon"]), r.get("geonames_admin1") or "",
                                 r.get("name_en") or "")
                for r in csv.DictReader(fh)}


def admin1_names(directory: Path | None = None) -> dict[str, list[tuple[str, str]]]:
    """ISO 3166-2 code → [(name, language)]: names of divisions in English where countrystatecity has only another
    form ("East Java" for Jawa Timur), from the Unicode CLDR (``admin1_names.csv``)."""
    out: dict[str, list[tuple[str, str]]] = {}
    path = (directory or data_dir()) / "admin1_names.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            out.setdefault(r["iso3166_2"], []).append((r["name"], r["lang"]))
    return out


def admin1_shapes(directory: Path | None = None) -> dict[str, object]:
    """ISO 3166-2 code → outline (a shapely geometry) of the division, from Natural Earth's admin-1 polygons,
    simplified (``admin1_shapes.tsv.gz``, written with ``admin1_points.csv`` by ``scripts/make_admin1_points.py``)."""
    import gzip

    from shapely import wkt

    path = (directory or data_dir()) / "admin1_shapes.tsv.gz"
    out: dict[str, object] = {}
    try:
        with gzip.open(path, "rt", encoding="utf-8", newline="\n") as fh:
            header = fh.readline().rstrip("\n").split("\t")
            if header != ["iso3166_2", "wkt"]:
                raise GazetteerBuildError(f"{path}: unexpected header {header}")
            for line, text in enumerate(fh, start=2):
                try:
                    code, outline = text.rstrip("\n").split("\t")
                    out[code] = wkt.loads(outline)
                except Exception as err:  # shapely raises its own error types for bad text
                    raise GazetteerBuildError(f"{path}:{line}: bad outline ({err})") from err
    except (OSError, EOFError, UnicodeDecodeError) as err:
        raise GazetteerBuildError(f"{path} is unreadable ({err}); restore it from the repository or remake it "
                                  "with: python scripts/make_admin1_points.py") from err
    return out


def county_key(state: str, name: str) -> tuple[str, str, str]:
    """How a US county is matched across sources: (state, "city" or "county", name without its county word).

    "DeKalb County", "Orleans Parish", "Kenai Peninsula Borough" and the Census' bare "DeKalb" meet; Virginia's
    independent cities ("City of Fairfax") stay apart from the county of the same name ("Fairfax County").
    """
    low = strip_accents(name.lower())  # "Doña Ana"
    low = " ".join(low.replace(".", " ").replace("sainte ", "ste ").replace("saint ", "st ").split())
    kind = "county"
    for prefix in ("city and borough of ", "city of "):
        if low.startswith(prefix):
            low, kind = low[len(prefix):], "city" if prefix == "city of " else "county"
    for word in (" city and borough", " census area", " municipality", " county", " parish", " borough"):
        if low.endswith(word):
            low = low[: -len(word)]
            break
    return state.lower(), kind, low.replace(" ", "").replace("-", "")  # "De Soto" / "DeSoto"


_INDEPENDENT_CITY_STATES = {"24", "29", "32", "51"}
"""FIPS codes of the states with independent cities (numbered from 510): Maryland, Missouri, Nevada, Virginia."""


def county_points(directory: Path | None = None) -> dict[tuple[str, str, str], tuple[float, float]]:
    """:func:`county_key` → (lat, lon): centroids of US counties' Census boundaries (``county_points.csv``).
    Independent cities are keyed as cities; names that two counties of one state
    share are left out rather than guessed."""
    path = (directory or data_dir()) / "county_points.csv"
    out: dict[tuple[str, str, str], tuple[float, float]] = {}
    seen: set[tuple[str, str, str]] = set()
    with path.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            state, _, name = county_key(r["state"], r["county"])
            city = r["fips"][:2] in _INDEPENDENT_CITY_STATES and int(r["fips"][2:]) >= 500
            key = (state, "city" if city else "county", name)
            if key in seen:
                out.pop(key, None)
                continue
            seen.add(key)
            out[key] = (float(r["lat"]), float(r["lon"]))
    return out


def admin1_aliases(directory: Path | None = None) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(ISO code, division name) → [(alias, kind)] from ``admin1_aliases.csv`` (W.Va., NSW, B.C., ...)."""
    out: dict[tuple[str, str], list[tuple[str, str]]] = {}
    path = (directory or data_dir()) / "admin1_aliases.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            out.setdefault((r["iso2"], r["admin1"]), []).append((r["alias"], r["kind"]))
    return out


@lru_cache(maxsize=1)
def fingerprint(directory: Path | None = None) -> str:
    """A hash of every curated file, so a cached gazetteer built from older tables can be detected."""
    digest = hashlib.sha256()
    base = directory or data_dir()
    for path in sorted([*base.rglob("*.csv"), *base.rglob("*.tsv.gz")]):
        digest.update(path.relative_to(base).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
