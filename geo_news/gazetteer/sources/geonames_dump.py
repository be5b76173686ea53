"""Readers of the GeoNames dump files a user downloaded from https://download.geonames.org/export/dump/.

Every reader streams its file line by line (the big ones are gigabytes) and yields plain typed rows. The formats
are the tab-separated ones the GeoNames download page documents:

- ``allCountries.txt`` / ``cities500.txt`` (and ``cities1000/5000/15000.txt``): 19 columns, geonameid, name,
  asciiname, alternatenames (comma-separated), latitude, longitude, feature class, feature code, country code, cc2,
  admin1..admin4 codes, population, elevation, dem, timezone, modification date.
- ``alternateNamesV2.txt``: 10 columns, alternateNameId, geonameid, isolanguage, alternate name, isPreferredName,
  isShortName, isColloquial, isHistoric, from, to (``alternateNames.txt``, the older layout, has the first 8).
- ``admin1CodesASCII.txt``: ``CC.ADM1`` code, name, ASCII name, geonameid.
- ``countryInfo.txt``: ``#`` comment lines, then ISO, ISO3, ISO-Numeric, fips, Country, Capital, Area, Population,
  Continent, tld, CurrencyCode, CurrencyName, Phone, Postal Code Format, Postal Code Regex, Languages, geonameid,
  neighbours, EquivalentFipsCode.

A ``.zip`` as GeoNames serves it (``allCountries.zip`` holding ``allCountries.txt``) is read without unpacking.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ...exceptions import GazetteerBuildError

MAIN_FILES = ("allCountries", "cities500", "cities1000", "cities5000", "cities15000")
ALTERNATE_FILES = ("alternateNamesV2", "alternateNames")
ADMIN1_FILE = "admin1CodesASCII"
COUNTRY_FILE = "countryInfo"
SKIPPED_LANGUAGES = frozenset({"link", "post", "iata", "icao", "faac", "wkdt", "unlc", "tcid", "fr_1793", "phon",
                               "piny"})
"""Pseudo-languages of alternateNames that are codes or URLs, not names a text would use."""
DOWNLOAD_HINT = ("download allCountries.zip (or cities500.zip), alternateNamesV2.zip, admin1CodesASCII.txt and "
                 "countryInfo.txt from https://download.geonames.org/export/dump/ into that folder")


@dataclass(frozen=True, slots=True)
class DumpPlace:
    """One row of ``allCountries.txt`` / ``citiesN.txt``."""

    geonameid: int
    name: str
    asciiname: str
    alternatenames: tuple[str, ...]
    lat: float
    lon: float
    feature_class: str
    feature_code: str
    country_code: str
    cc2: tuple[str, ...]
    admin1: str
    population: int


@dataclass(frozen=True, slots=True)
class DumpAlternateName:
    """One row of ``alternateNamesV2.txt``."""

    geonameid: int
    name: str
    lang: str
    preferred: bool
    short: bool
    colloquial: bool
    historic: bool


@dataclass(frozen=True, slots=True)
class DumpFiles:
    """The dump files found in a folder (``alternate_names`` may be None)."""

    main: Path
    alternate_names: Path | None
    admin1: Path
    country_info: Path


def _find(directory: Path, stem: str) -> Path | None:
    for candidate in (directory / f"{stem}.txt", directory / f"{stem}.zip"):
        if candidate.is_file():
            return candidate
    return None


def find_files(directory: str | Path) -> DumpFiles:
    """Locate the dump files in ``directory``; raise a clear error naming what is missing.

    Examples
    --------
    >>> find_files("tests/fixtures/geonames").main.name      # doctest: +SKIP
    'allCountries.txt'
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise GazetteerBuildError(f"{directory} is not a folder of GeoNames dump files; {DOWNLOAD_HINT}")
    main = next((p for stem in MAIN_FILES if (p := _find(directory, stem))), None)
    admin1 = _find(directory, ADMIN1_FILE)
    country_info = _find(directory, COUNTRY_FILE)
    missing = [name for name, found in (("allCountries.txt or cities500.txt", main),
                                        (f"{ADMIN1_FILE}.txt", admin1), (f"{COUNTRY_FILE}.txt", country_info))
               if found is None]
    if missing:
        raise GazetteerBuildError(f"{directory} lacks {', '.join(missing)}; {DOWNLOAD_HINT}")
    alternate = next((p for stem in ALTERNATE_FILES if (p := _find(directory, stem))), None)
    return DumpFiles(main=main, alternate_names=alternate, admin1=admin1, country_info=country_info)


@contextmanager
def _open_text(path: Path) -> Iterator[io.TextIOBase]:
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            member = path.stem + ".txt"
            if member not in archive.namelist():
                raise GazetteerBuildError(f"{path} does not contain {member}; {DOWNLOAD_HINT}")
            with archive.open(member) as raw:
                yield io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
    else:
        with path.open(encoding="utf-8", newline="\n") as fh:
            yield fh


def _rows(path: Path, *, min_columns: int) -> Iterator[tuple[int, list[str]]]:
    """``(line number, columns)`` of every data line, with an error naming the line for a malformed one."""
    with _open_text(path) as fh:
        try:
            for number, line in enumerate(fh, start=1):
                line = line.rstrip("\r\n")
                if not line or line.startswith("#"):
                    continue
                cols = line.split("\t")
                if len(cols) < min_columns:
                    raise GazetteerBuildError(
                        f"{path}:{number}: expected at least {min_columns} tab-separated columns, found {len(cols)}; "
                        f"is this the GeoNames file it is named after?"
                    )
                yield number, cols
        except UnicodeDecodeError as err:
            raise GazetteerBuildError(f"{path}: not UTF-8 text ({err}); {DOWNLOAD_HINT}") from err


def _int(value: str, default: int = 0) -> int:
    value = value.strip()
    return int(value) if value else default


def iter_places(path: str | Path) -> Iterator[DumpPlace]:
    """Every row of ``allCountries.txt`` or ``citiesN.txt``, streamed."""
    path = Path(path)
    for number, c in _rows(path, min_columns=15):
        try:
            yield DumpPlace(
                geonameid=int(c[0]), name=c[1], asciiname=c[2],
                alternatenames=tuple(a for a in c[3].split(",") if a), lat=float(c[4]), lon=float(c[5]),
                feature_class=c[6], feature_code=c[7], country_code=c[8],
                cc2=tuple(x for x in c[9].split(",") if x), admin1=c[10], population=_int(c[14]),
            )
        except ValueError as err:
            raise GazetteerBuildError(f"{path}:{number}: bad value ({err})") from err


def iter_alternate_names(path: str | Path) -> Iterator[DumpAlternateName]:
    """Rows of ``alternateNamesV2.txt`` that are names (codes, links and postcodes are left out), streamed."""
    path = Path(path)
    for number, c in _rows(path, min_columns=4):
        lang = c[2]
        if lang in SKIPPED_LANGUAGES or not c[3]:
            continue
        flag = lambda i: len(c) > i and c[i] == "1"  # noqa: E731 - the flag columns may be empty or absent
        try:
            yield DumpAlternateName(geonameid=int(c[1]), name=c[3], lang=lang, preferred=flag(4), short=flag(5),
                                    colloquial=flag(6), historic=flag(7))
        except ValueError as err:
            raise GazetteerBuildError(f"{path}:{number}: bad value ({err})") from err


def read_admin1(path: str | Path) -> dict[str, tuple[str, str, int]]:
    """``{"SY.09": (name, asciiname, geonameid)}`` (a few thousand rows, small enough for a dict)."""
    path = Path(path)
    out = {}
    for number, c in _rows(path, min_columns=4):
        try:
            out[c[0]] = (c[1], c[2], int(c[3]))
        except ValueError as err:
            raise GazetteerBuildError(f"{path}:{number}: bad geonameid ({err})") from err
    return out


def read_country_info(path: str | Path) -> dict[str, dict]:
    """``{"SY": {"iso3", "name", "capital", "population", "continent", "geonameid"}}`` (about 250 rows)."""
    path = Path(path)
    out = {}
    for number, c in _rows(path, min_columns=17):
        try:
            out[c[0]] = {"iso3": c[1], "name": c[4], "capital": c[5], "population": _int(c[7]),
                         "continent": c[8], "geonameid": int(c[16])}
        except ValueError as err:
            raise GazetteerBuildError(f"{path}:{number}: bad value ({err})") from err
    return out
