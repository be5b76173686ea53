"""Offline maps in a real headless Chromium with every http(s) request blocked."""

from __future__ import annotations

import pytest

from ..conftest import ARTICLES

pytestmark = pytest.mark.browser

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def browser(chromium_path):
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path, args=ARGS)
        yield b
        b.close()


def open_page(browser, path):
    page = browser.new_page(viewport={"width": 1100, "height": 700})
    errors, external, dialogs = [], [], []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

    def block(route):
        external.append(route.request.url)
        route.abort()

    page.route("http://**", block)
    page.route("https://**", block)
    page.goto(path.resolve().as_uri())
    page.wait_for_selector(".leaflet-marker-icon", timeout=20000)
    page.wait_for_timeout(300)
    return page, errors, external, dialogs


def _offline_map(article, tmp_path, full_gazetteer):
    import geo_news
    from geo_news.offline import save_offline

    df = geo_news.geoparse((ARTICLES / article).read_text(encoding="utf-8"))
    out = tmp_path / (article + ".html")
    save_offline(geo_news.event_map(df, tiles=None, basemap=True), out)
    return df, out


def count(page, selector):
    return page.evaluate(f"document.querySelectorAll('{selector}').length")


@pytest.mark.parametrize("article", sorted(p.name for p in ARTICLES.glob("*.txt")))
def test_offline_map_renders_with_no_network(browser, offline_assets, full_gazetteer, tmp_path, article):
    df, path = _offline_map(article, tmp_path, full_gazetteer)
    page, errors, external, _ = open_page(browser, path)
    assert errors == [] and external == []
    merged = df.dropna(subset=["name"]).drop_duplicates(["place_id", "role"])
    moving = set(merged[merged["role"] != "location"]["place_id"])
    merged = merged[(merged["role"] != "location") | ~merged["place_id"].isin(moving)]
    for role in ("launch", "transit", "target", "impact", "location"):
        assert count(page, f".leaflet-marker-icon .gn-{role}") == int((merged["role"] == role).sum()), role
    n_routes = sum(1 for g in df.events.geometry if g is not None)
    assert count(page, "path.gn-route") == n_routes
    assert count(page, ".gn-arrow") >= 2 * n_routes
    page.close()


def test_caspian_map_layers_areas_and_screenshot(browser, offline_assets, full_gazetteer, tmp_path):
    from io import BytesIO

    import numpy as np
    from PIL import Image

    _, path = _offline_map("caspian-cruise-missiles-2015.txt", tmp_path, full_gazetteer)
    page, errors, external, _ = open_page(browser, path)
    assert errors == [] and external == []
    assert count(page, "path.gn-route") == 1
    assert count(page, "path.gn-area") >= 4  # Caspian Sea, Iran, Iraq, Syria as areas
    launch_before = count(page, ".leaflet-marker-icon .gn-launch")
    assert launch_before >= 1
    label = page.locator(".leaflet-control-layers-overlays label", has_text="Launch points")
    label.locator("input").click()
    assert count(page, ".leaflet-marker-icon .gn-launch") == 0
    label.locator("input").click()
    assert count(page, ".leaflet-marker-icon .gn-launch") == launch_before

    png = page.screenshot()
    img = Image.open(BytesIO(png)).convert("RGB")
    route = page.evaluate("""() => { const r = document.querySelector('path.gn-route').getBoundingClientRect();
                                     return [r.left, r.top, r.right, r.bottom]; }""")
    left, top, right, bottom = (int(v) for v in route)
    box = np.asarray(img.crop((max(0, left), max(0, top), right, bottom))).reshape(-1, 3).astype(int)
    reds = int(((box[:, 0] > 150) & (box[:, 1] < 90) & (box[:, 2] < 90)).sum())
    assert reds > 50, "the route is drawn in the screenshot"
    colours = len({tuple(px) for px in np.asarray(img.resize((220, 140))).reshape(-1, 3)})
    assert colours > 20, "the basemap and areas are drawn, the page is not blank"
    page.close()


def test_popup_with_script_renders_as_text(browser, offline_assets, full_gazetteer, tmp_path):
    import geo_news
    from geo_news.offline import save_offline

    rec = {"name": "Aleppo", "lat": 36.2, "lon": 37.16, "role": "impact",
           "sentence": "Shells <script>alert(1)</script> hit Aleppo."}
    out = tmp_path / "xss.html"
    save_offline(geo_news.plot_impacts([rec], tiles=None), out)
    page, errors, external, dialogs = open_page(browser, out)
    page.locator(".leaflet-marker-icon").first.click()
    page.wait_for_selector(".gn-popup")
    assert "<script>alert(1)</script>" in page.inner_text(".gn-popup")
    assert dialogs == [] and errors == [] and external == []
    page.close()
