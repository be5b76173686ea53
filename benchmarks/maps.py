"""How fast maps of many places are built, saved and loaded, beside a plain-folium baseline.

Usage::

    python benchmarks/maps.py [--sizes 10 1000 10000] [--runs 1]

For each size, generated places (random points over the world, with roles, a sentence and a confidence each) are
drawn by :func:`geo_news.maps.plot_places` without and with clustering, and by plain folium ``CircleMarker`` s with
a text popup (the baseline, built in the same run). Each map is written as self-contained offline HTML
(:func:`geo_news.offline.save_offline`, tiles off, the Natural Earth basemap on) and opened in headless Chromium
(``CHROMIUM``, default /usr/bin/chromium) with every http(s) request blocked. Figures:

- build+save: seconds from the records to the written HTML file;
- HTML size in MB;
- load: seconds from navigation to the first marker or cluster visible on screen.

Targets: 10,000 places build+save < 5 s and load < 5 s with clustering. Needs Playwright, Chromium and the
offline assets (installed on first use with npm).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import folium  # noqa: E402

from geo_news import maps  # noqa: E402
from geo_news.offline import save_offline  # noqa: E402

TARGET_S = 5.0
ROLES = ("launch", "transit", "target", "impact", "location")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
# what each kind of map shows first: our markers and clusters are divIcons; the baseline's are SVG paths
FIRST_VISIBLE = {"geo_news": ".leaflet-marker-icon", "geo_news cluster": ".leaflet-marker-icon",
                 "folium baseline": "path.leaflet-interactive"}


def places(n: int, *, seed: int = 0) -> list[dict]:
    rng = random.Random(seed)
    return [{"name": f"Place {i}", "lat": rng.uniform(-60, 70), "lon": rng.uniform(-179, 179),
             "role": ROLES[i % len(ROLES)], "confidence": round(rng.uniform(0.3, 1.0), 2),
             "sentence": f"Reports said that something happened near Place {i} on the morning of the attack."}
            for i in range(n)]


def baseline(records: list[dict]) -> folium.Map:
    """What a user would write with folium alone: one CircleMarker with a popup per place."""
    m = folium.Map(location=(30, 20), zoom_start=3, tiles=None)
    for rec in records:
        folium.CircleMarker((rec["lat"], rec["lon"]), radius=5, color=maps.ROLE_STYLE[rec["role"]]["color"],
                            fill=True, popup=folium.Popup(f"{rec['name']}: {rec['sentence']}"),
                            tooltip=rec["name"]).add_to(m)
    return m


def build(kind: str, records: list[dict]) -> folium.Map:
    if kind == "folium baseline":
        return baseline(records)
    return maps.plot_places(records, tiles=None, cluster=kind == "geo_news cluster")


def load_time(browser, path: Path, selector: str) -> float:
    page = browser.new_page(viewport={"width": 1100, "height": 700})
    page.route("http://**", lambda route: route.abort())
    page.route("https://**", lambda route: route.abort())
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    t0 = time.perf_counter()
    page.goto(path.as_uri(), wait_until="commit", timeout=120_000)
    page.wait_for_selector(selector, state="visible", timeout=120_000)
    elapsed = time.perf_counter() - t0
    page.close()
    if errors:
        raise RuntimeError(f"{path.name}: page errors {errors[:3]}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10, 1000, 10000])
    ap.add_argument("--runs", type=int, default=1, help="repeat each measurement and keep the best")
    args = ap.parse_args(argv)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("Playwright is not installed (pip install -e '.[test]'); cannot measure load times")
        return 1
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    out = Path(tempfile.mkdtemp(prefix="geo-news-bench-"))
    # the basemap reads the gazetteer once; warm it so the first row does not carry that cost
    save_offline(maps.plot_places(places(1), tiles=None), out / "warm.html")
    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        for n in args.sizes:
            records = places(n)
            for kind in ("folium baseline", "geo_news", "geo_news cluster"):
                path = out / f"{kind.replace(' ', '-')}-{n}.html"
                builds, loads = [], []
                for _ in range(args.runs):
                    t0 = time.perf_counter()
                    save_offline(build(kind, records), path)
                    builds.append(time.perf_counter() - t0)
                    loads.append(load_time(browser, path, FIRST_VISIBLE[kind]))
                rows.append((n, kind, min(builds), path.stat().st_size / 1e6, min(loads)))
        browser.close()

    base = {(n, "build"): b for n, kind, b, _, _ in rows if kind == "folium baseline"}
    base.update({(n, "load"): ld for n, kind, _, _, ld in rows if kind == "folium baseline"})
    print(f"maps benchmark (offline HTML, tiles off, Chromium {chromium}); best of {args.runs}; files in {out}")
    print(f"{'places':>7} {'map':<17} {'build+save s':>12} {'x base':>7} {'HTML MB':>8} {'load s':>7} "
          f"{'x base':>7}  target")
    for n, kind, b, size, ld in rows:
        target = ""
        if kind == "geo_news cluster" and n >= 10000:
            ok = b < TARGET_S and ld < TARGET_S
            target = f"build+save < {TARGET_S:.0f} s and load < {TARGET_S:.0f} s: {'met' if ok else 'NOT MET'}"
        print(f"{n:>7} {kind:<17} {b:>12.2f} {b / base[(n, 'build')]:>7.2f} {size:>8.2f} {ld:>7.2f} "
              f"{ld / base[(n, 'load')]:>7.2f}  {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
