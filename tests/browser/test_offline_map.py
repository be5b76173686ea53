"""Offline maps in a real headless Chromium with every http(s) request blocked."""

from __future__ import annotations

import pytest

from geo_news import maps

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


def open_page(browser, path, selector=".leaflet-marker-icon"):
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
    page.wait_for_selector(selector, timeout=20000)
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
    # names standing for a government ("Moscow insisted") are left off the map by default
    drawn = df[~((df["role"] == "location") & (df["sense"] == "associative"))]
    merged = drawn.dropna(subset=["name"]).drop_duplicates(["place_id", "role"])
    moving = set(merged[merged["role"] != "location"]["place_id"])
    merged = merged[(merged["role"] != "location") | ~merged["place_id"].isin(moving)]
    for role in ("launch", "transit", "target", "impact", "location"):
        assert count(page, f".leaflet-marker-icon .gn-{role}") == int((merged["role"] == role).sum()), role
    n_routes = sum(1 for g in df.events.geometry if g is not None)
    assert count(page, "path.gn-route") == n_routes
    assert count(page, ".gn-arrow") >= 2 * n_routes
    from geo_news.maps._core import _area_shape

    areas = [r for r in maps.as_records(merged) if _area_shape(r, full_gazetteer) is not None]
    assert count(page, "path.gn-area") == len(areas)
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


def _generated(n, *, seed=3, dated=False):
    import random

    rng = random.Random(seed)
    roles = ("launch", "transit", "target", "impact", "location")
    return [{"name": f"Place {i}", "lat": rng.uniform(-55, 65), "lon": rng.uniform(-170, 170),
             "role": roles[i % 5], "sentence": f"Something happened at Place {i}.",
             **({"date": f"2024-03-{1 + i % 4:02d}"} if dated else {})} for i in range(n)]


def _save(m, tmp_path, name):
    from geo_news.offline import save_offline

    out = tmp_path / name
    save_offline(m, out)
    return out


def test_corpus_map_of_all_sample_articles(browser, offline_assets, full_gazetteer, tmp_path):
    import pandas as pd

    import geo_news

    frames = [geo_news.geoparse(p.read_text(encoding="utf-8")) for p in sorted(ARTICLES.glob("*.txt"))]
    corpus = pd.concat(frames)
    path = _save(geo_news.event_map(corpus, tiles=None, cluster=True, heat=True), tmp_path, "corpus.html")
    page, errors, external, _ = open_page(browser, path)
    assert errors == [] and external == []
    n_routes = sum(1 for f in frames for g in f.events.geometry if g is not None)
    assert count(page, "path.gn-route") == n_routes >= len(frames)
    assert count(page, "canvas.leaflet-heatmap-layer") == 1
    label = page.locator(".leaflet-control-layers-overlays label", has_text="Routes")
    label.locator("input").click()
    assert count(page, "path.gn-route") == 0
    label.locator("input").click()
    assert count(page, "path.gn-route") == n_routes
    page.close()


def test_clustered_map_of_1000_points_holds_every_point(browser, offline_assets, tmp_path):
    path = _save(maps.plot_places(_generated(1000), tiles=None, cluster=True), tmp_path, "cluster.html")
    page, errors, external, _ = open_page(browser, path, ".gn-cluster")
    assert errors == [] and external == []
    shown = """() => [[...document.querySelectorAll('.gn-cluster span')]
                        .reduce((n, el) => n + parseInt(el.textContent, 10), 0),
                      document.querySelectorAll('.leaflet-marker-icon .gn-marker').length]"""
    # while the view zooms to fit, the clusters of both zoom levels are on the page: count once it has settled
    before, after = None, page.evaluate(shown)
    for _ in range(20):
        if before == after:
            break
        page.wait_for_timeout(700)
        before, after = after, page.evaluate(shown)
    clustered, single = after
    assert count(page, ".gn-cluster") > 5
    assert clustered + single == 1000  # the view is fitted to all of them, so every point is in a cluster or shown
    assert count(page, ".gn-cluster-launch") > 0 and count(page, ".gn-cluster-location") > 0
    page.close()


def test_heat_map_loads_offline_and_paints(browser, offline_assets, tmp_path):
    path = _save(maps.plot_heat(_generated(300), tiles=None), tmp_path, "heat.html")
    page, errors, external, _ = open_page(browser, path, "canvas.leaflet-heatmap-layer")
    page.wait_for_timeout(300)
    assert errors == [] and external == []
    painted = page.evaluate("""() => { const c = document.querySelector('canvas.leaflet-heatmap-layer');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }""")
    assert painted > 1000
    page.close()


def test_time_slider_shows_places_as_their_dates_come(browser, offline_assets, tmp_path):
    import pandas as pd

    import geo_news

    rows = _generated(40, dated=True)
    path = _save(geo_news.event_map(pd.DataFrame(rows), tiles=None), tmp_path, "time.html")
    page, errors, external, _ = open_page(browser, path, ".leaflet-bar-timecontrol")
    page.wait_for_timeout(500)
    assert errors == [] and external == []
    first = sum(1 for r in rows if r["date"] == "2024-03-01")
    assert count(page, "img.gn-time") == first
    assert "2024-03-01" in page.inner_text(".timecontrol-date")
    page.locator(".timecontrol-forward").click()
    page.wait_for_timeout(800)
    assert count(page, "img.gn-time") == sum(1 for r in rows if r["date"] <= "2024-03-02") > first
    assert "2024-03-02" in page.inner_text(".timecontrol-date")
    page.close()


def test_tokyo_to_san_francisco_crosses_the_pacific(browser, offline_assets, full_gazetteer, tmp_path):
    m = maps.plot_route(["Tokyo", "San Francisco"], tiles=None, animate=True, gazetteer=full_gazetteer)
    path = _save(m, tmp_path, "pacific.html")
    page, errors, external, _ = open_page(browser, path)
    assert errors == [] and external == []
    ends = page.evaluate("""() => { const m = Object.values(window).find(v => v instanceof L.Map);
        const a = m.latLngToContainerPoint([35.68, 139.69]), b = m.latLngToContainerPoint([37.77, 237.58]);
        const r = document.querySelector('path.gn-route').getBoundingClientRect();
        return {tokyo: a.x, sf: b.x, left: r.left, right: r.right, width: window.innerWidth}; }""")
    # the line starts at Tokyo and runs east to San Francisco: nothing of it west of Tokyo (over Eurasia)
    assert ends["tokyo"] < ends["sf"]
    assert ends["left"] >= ends["tokyo"] - 12 and ends["right"] <= ends["sf"] + 12
    assert ends["right"] - ends["left"] < 0.8 * ends["width"], "no line across the whole map"
    assert count(page, "path.leaflet-ant-path") >= 1 and count(page, ".gn-arrow") >= 2
    page.close()


def test_compact_clustered_popup_with_script_renders_as_text(browser, offline_assets, tmp_path):
    rec = {"name": "Aleppo</script>", "lat": 36.2, "lon": 37.16, "role": "impact",
           "sentence": "Shells <script>alert(1)</script> hit Aleppo."}
    path = _save(maps.plot_places([rec], tiles=None, cluster=True), tmp_path, "xss-cluster.html")
    page, errors, external, dialogs = open_page(browser, path)
    page.locator(".leaflet-marker-icon").first.click()
    page.wait_for_selector(".gn-popup")
    assert "<script>alert(1)</script>" in page.inner_text(".gn-popup")
    assert "Aleppo</script>" in page.inner_text(".gn-popup h4")
    assert dialogs == [] and errors == [] and external == []
    page.close()


@pytest.mark.parametrize("column", ["role", "confidence"])
def test_geodataframe_explore_of_our_frame_renders_offline(browser, offline_assets, full_gazetteer, tmp_path,
                                                           column):
    import geo_news

    df = geo_news.geoparse((ARTICLES / "caspian-cruise-missiles-2015.txt").read_text(encoding="utf-8"))
    path = _save(df.explore(column=column, tiles=None), tmp_path, f"explore-{column}.html")
    page, errors, external, _ = open_page(browser, path, "path.leaflet-interactive")
    assert errors == [] and external == []
    assert count(page, "path.leaflet-interactive") == int(df.geometry.notna().sum())  # one circle per mention
    assert count(page, ".maplegend, .legend") >= 1  # the category legend (jQuery UI) or the colour scale (d3)
    page.close()


def test_a_map_displayed_first_still_saves_offline(browser, offline_assets, full_gazetteer, tmp_path):
    import geo_news
    from geo_news.offline import save_offline

    df = geo_news.geoparse((ARTICLES / "caspian-cruise-missiles-2015.txt").read_text(encoding="utf-8"))
    m = geo_news.event_map(df)
    m._repr_html_()  # shown in a notebook before being saved
    out = tmp_path / "shown-then-saved.html"
    save_offline(m, out)
    page, errors, external, _ = open_page(browser, out)
    assert errors == [] and external == []
    assert count(page, ".leaflet-control-layers-overlays label") >= 5
    page.close()
