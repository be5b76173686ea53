"""Render a map HTML file in headless Chromium and save a PNG (the README picture is made with this).

Usage::

    python scripts/screenshot.py [MAP.html] [-o docs/caspian-map.png]
    python scripts/screenshot.py --corpus -o docs/corpus-map.png

With no MAP, the offline map of the Caspian sample article is generated first; with ``--corpus``, the clustered
map (with a heat-map layer) of all the sample articles in ``data/articles``. Needs Playwright (the `test` extra)
and Chromium at /usr/bin/chromium (Debian: apt-get install chromium), or CHROMIUM=/path/to/chrome.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "articles" / "caspian-cruise-missiles-2015.txt"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def render(html_path: Path, png_path: Path, *, width: int = 1100, height: int = 700) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                                     args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        page.route("http*://**", lambda route: route.abort())  # offline: nothing leaves the machine
        page.goto(html_path.resolve().as_uri())
        page.wait_for_selector(".leaflet-marker-icon", timeout=20000)
        page.wait_for_timeout(1000)  # let the fit-to-bounds zoom and the cluster animation finish
        page.screenshot(path=str(png_path))
        browser.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("map", nargs="?", type=Path)
    ap.add_argument("-o", "--output", type=Path, default=ROOT / "docs" / "caspian-map.png")
    ap.add_argument("--corpus", action="store_true", help="map all the sample articles, clustered, with a heat map")
    args = ap.parse_args(argv)
    html_path = args.map
    if html_path is None:
        sys.path.insert(0, str(ROOT))
        import geo_news
        from geo_news.offline import save_offline

        html_path = Path(tempfile.mkdtemp()) / "map.html"
        if args.corpus:
            import pandas as pd

            frame = pd.concat([geo_news.geoparse(p.read_text(encoding="utf-8"))
                               for p in sorted(SAMPLE.parent.glob("*.txt"))])
            m = geo_news.event_map(frame, tiles=None, cluster=True, heat=True)
        else:
            m = geo_news.event_map(geo_news.geoparse(SAMPLE.read_text(encoding="utf-8")), tiles=None)
        save_offline(m, html_path)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    render(html_path, args.output)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
