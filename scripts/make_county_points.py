"""Write data/gazetteer/county_points.csv: the centroid of every US county (and parish, borough, independent
city), from the Census Bureau's cartographic boundaries as shipped in the npm package ``us-atlas`` (ISC).

The gazetteer otherwise places a county at the mean of its GeoNames towns of 1,000 or more, which sits off its
centre wherever the towns cluster on one side (switching to these centroids took LGL's AUC from 0.181 to 0.173 in
``benchmarks/accuracy.py``). We keep only the derived fact — one representative point per county FIPS code — as our
own data.

Usage::

    npm install --prefix /tmp/usa us-atlas@3
    python scripts/make_county_points.py /tmp/usa/node_modules/us-atlas
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

from shapely.geometry import MultiPolygon, Polygon

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "gazetteer" / "county_points.csv"


def _arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Decode the topology's delta-encoded, quantised arcs into lon/lat positions."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    out = []
    for arc in topology["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        out.append(pts)
    return out


def _ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[tuple[float, float]]:
    ring: list[tuple[float, float]] = []
    for i in indexes:
        pts = arcs[i] if i >= 0 else arcs[~i][::-1]
        ring.extend(pts if not ring else pts[1:])  # consecutive arcs share their joining point
    return ring


def _polygon(arcs, rings_arcs: list[list[int]]) -> Polygon | None:
    rings = [r for r in (_ring(arcs, a) for a in rings_arcs) if len(r) >= 4]  # simplified away: drop
    return Polygon(rings[0], rings[1:]) if rings else None


def _geometry(arcs, geom: dict):
    parts = [geom["arcs"]] if geom["type"] == "Polygon" else geom["arcs"] if geom["type"] == "MultiPolygon" else []
    polys = [p for p in (_polygon(arcs, a) for a in parts) if p is not None]
    return MultiPolygon(polys) if polys else None


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    package = Path(argv[0])
    version = json.loads((package / "package.json").read_text())["version"]
    topology = json.loads((package / "counties-10m.json").read_text(encoding="utf-8"))
    arcs = _arcs(topology)
    states = {g["id"]: g["properties"]["name"] for g in topology["objects"]["states"]["geometries"]}
    rows = []
    for g in topology["objects"]["counties"]["geometries"]:
        geom = _geometry(arcs, g)
        if geom is None or geom.is_empty:
            continue
        if not geom.is_valid:
            geom = geom.buffer(0)
        point = geom.centroid if geom.contains(geom.centroid) else geom.representative_point()
        fips = g["id"]
        rows.append((fips, states.get(fips[:2], ""), g["properties"]["name"], round(point.y, 4), round(point.x, 4)))
    rows.sort()
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["fips", "state", "county", "lat", "lon", "source"])
        source = f"centroid of the Census cartographic boundary (us-atlas {version})"
        w.writerows((*r, source) for r in rows)
    print(f"wrote {len(rows)} county points to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
