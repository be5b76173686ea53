"""Maps built from hostile text run no script, in a real headless Chromium.

Every payload below calls ``__gnHit(n)`` (and some ``alert``) if it ever runs. Each map is loaded with the page's
own Leaflet (a default map's CDN URLs pointed at the installed npm files, so its scripts run too), then every
popup and tooltip the map holds is rendered into the live page — as Leaflet does when one opens — and the test fails
if any hit was recorded, any dialog opened, or the text did not come through as text.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from geo_news import maps
from geo_news.offline import ASSETS, assets_dir, save_offline

from .test_offline_map import ARGS

pytestmark = pytest.mark.browser

PAYLOADS = [
    "${__gnHit(1)}",
    "${alert(document.domain)}",
    "`;__gnHit(2);`",
    "\\`;__gnHit(3);//",
    "\\${__gnHit(4)}",
    "\\\\`+__gnHit(5)+`",
    "`+(__gnHit(6))+`",
    "</script><script>__gnHit(7)</script>",
    "</div></div><script>__gnHit(8)</script>",
    '<img src=x onerror="__gnHit(9)">',
    "<svg onload=__gnHit(10)><circle r=5 /></svg>",
    '<a href="javascript:__gnHit(11)" id="gn-js-link">click</a>',
    '" onmouseover="__gnHit(12)" x="',
    "' onfocus='__gnHit(13)' autofocus='",
    "\u2028__gnHit(14)\u2029",
    "<!--<script>__gnHit(15)//-->",
    '<iframe srcdoc="<script>parent.__gnHit(16)</script>"></iframe>',
    "{{ __gnHit(17) }} {% raw %}",
    "</textarea></title><script>__gnHit(18)</script>",
    "<details open ontoggle=__gnHit(19)>",
    "\\u0060${__gnHit(20)}",
    "<math><mtext><table><mglyph><style><img src=x onerror=__gnHit(21)>",
    "javascript:__gnHit(22)",
    "&#96;${__gnHit(23)}&#96;",
]

INIT = "window.__gnHits = []; window.__gnHit = function (n) { window.__gnHits.push(String(n)); };"

# Render every popup and tooltip of every Leaflet layer on the page into the live document (markers hidden in
# clusters and features of the time dimension included); return the texts they show.
RENDER_ALL = """() => {
  const maps = Object.keys(window).filter(k => /^map_[0-9a-f]+$/.test(k)).map(k => window[k]).filter(m => m);
  const seen = new Set(), contents = [];
  function visit(layer) {
    if (!layer || typeof layer !== 'object' || seen.has(layer)) return;
    seen.add(layer);
    for (const get of ['getPopup', 'getTooltip']) {
      const p = typeof layer[get] === 'function' ? layer[get]() : null;
      if (p) { let c = p.getContent(); if (typeof c === 'function') c = c(layer); contents.push(c); }
    }
    if (typeof layer.eachLayer === 'function') layer.eachLayer(visit);
    for (const k of ['_baseLayer', '_currentLayer']) visit(layer[k]);
  }
  maps.forEach(m => m.eachLayer(visit));
  const box = document.createElement('div');
  box.id = 'gn-rendered';
  document.body.appendChild(box);
  const texts = [];
  for (const c of contents) {
    const holder = document.createElement('div');
    if (typeof c === 'string') holder.innerHTML = c; else if (c && c.nodeType) holder.appendChild(c);
    box.appendChild(holder);
    texts.push(holder.textContent);
  }
  const link = document.getElementById('gn-js-link');
  if (link) link.click();
  return texts;
}"""


@pytest.fixture(scope="module")
def page_for(chromium_path, offline_assets):
    playwright = pytest.importorskip("playwright.sync_api")
    local = {url: (assets_dir() / "node_modules" / rel).as_uri() for url, rel in ASSETS.items() if rel}
    with playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=ARGS)
        pages = []

        def open_map(path):
            page = browser.new_page(viewport={"width": 1000, "height": 650})
            pages.append(page)
            dialogs, errors = [], []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.add_init_script(INIT)
            page.route("http://**", lambda route: route.abort())
            page.route("https://**", lambda route: route.abort())
            source = path.read_text(encoding="utf-8")
            for url, file_uri in local.items():
                source = source.replace(f'"{url}"', f'"{file_uri}"')
            path.write_text(source, encoding="utf-8")
            page.goto(path.resolve().as_uri())
            # Leaflet loaded and the map made (a page whose scripts never ran would pass for the wrong reason)
            page.wait_for_function("Object.keys(window).some(k => /^map_[0-9a-f]+$/.test(k) && window[k] "
                                   "&& window[k].eachLayer)", timeout=20000)
            page.wait_for_timeout(200)
            texts = page.evaluate(RENDER_ALL)
            page.wait_for_timeout(600)  # image errors, SVG onload, toggle events fire asynchronously
            page.mouse.move(500, 325)
            hits = page.evaluate("window.__gnHits")
            html_text = page.evaluate("document.documentElement.innerText")
            return {"hits": hits, "dialogs": dialogs, "errors": errors, "texts": texts, "page_text": html_text}

        yield open_map
        for page in pages:
            page.close()
        browser.close()


def _records(*, dated=False):
    out = []
    for i, payload in enumerate(PAYLOADS):
        out.append({"name": f"P{i} {payload}", "lat": 30 + (i % 6), "lon": 30 + i / 2, "role": "impact",
                    "sentence": f"Shells hit P{i} {payload} on Monday.", "attribution": payload,
                    "precision": payload, "place_id": f"x:{i}{payload}",
                    **({"date": "2024-03-01"} if dated else {})})
    return out


def _assert_inert(result, *, expect_texts=True):
    assert result["hits"] == [], f"injected code ran: payloads {result['hits']}"
    assert result["dialogs"] == [], f"a dialog opened: {result['dialogs']}"
    assert result["errors"] == [], f"the page raised: {result['errors']}"
    if expect_texts:
        shown = "\n".join(result["texts"])
        missing = [p for p in PAYLOADS if p not in shown]
        assert not missing, f"payloads not shown as text in any popup or tooltip: {missing}"


def _save(m, tmp_path, name, *, offline=False):
    out = tmp_path / name
    if offline:
        save_offline(m, out)
    else:
        m.save(str(out))
    return out


@pytest.mark.parametrize("mode", ["default", "offline", "cluster", "compact", "timeline", "route", "heat"])
def test_helpers_with_hostile_records_run_no_script(page_for, tmp_path, mode):
    recs = _records(dated=mode == "timeline")
    if mode in ("default", "offline"):
        m = maps.plot_places(recs, group="Layer " + PAYLOADS[0] + PAYLOADS[9])
    elif mode == "cluster":
        m = maps.plot_places(recs, cluster=True)
    elif mode == "compact":
        filler = [{"name": f"F{i}", "lat": -20 + i / 100, "lon": -40, "role": "location"}
                  for i in range(maps.FAST_MARKERS)]
        m = maps.plot_places(recs + filler)
    elif mode == "timeline":
        m = maps.plot_timeline(recs)
    elif mode == "route":
        m = maps.plot_route(recs[:12], label=" ".join(PAYLOADS), animate=True)
        m = maps.plot_route(recs[12:], m=m)
    else:
        m = maps.plot_heat(recs)
        m = maps.plot_places(recs, m=m)
    result = page_for(_save(m, tmp_path, f"{mode}.html", offline=mode == "offline"))
    _assert_inert(result)


def test_areas_legend_and_title_run_no_script(page_for, full_gazetteer, tmp_path):
    import pandas as pd

    syria = full_gazetteer.lookup("Syria", limit=1)[0]
    rows = [{"name": f"Syria {p}", "lat": syria.lat, "lon": syria.lon, "place_id": syria.id, "precision": "country",
             "feature_class": "A", "role": "target", "start": i,
             "sentence": f"Aimed at Syria {p}. " + " ".join(PAYLOADS)}  # one area: its popup quotes 3 sentences
            for i, p in enumerate(PAYLOADS)]
    m = maps.event_map(pd.DataFrame(rows), gazetteer=full_gazetteer, title=" ".join(PAYLOADS))
    maps.Legend(title=" ".join(PAYLOADS)).add_to(m)
    result = page_for(_save(m, tmp_path, "areas.html"))
    _assert_inert(result)
    assert PAYLOADS[0] in result["page_text"]  # the legend's title, as text


ARTICLE = " ".join(
    f"Rockets hit {place} {payload} on Monday, officials said."
    for place, payload in zip(["Aleppo", "Homs", "Hama", "Idlib", "Damascus", "Latakia", "Raqqa", "Tartus"] * 3,
                              PAYLOADS)
) + " Missiles fired from the Caspian Sea flew over Iran and struck Syria ${__gnHit(99)}."


@pytest.mark.parametrize("options", [{}, {"offline": True}, {"cluster": True}, {"heat": True}, {"animate": True}])
def test_geoparsed_hostile_article_maps_run_no_script(page_for, full_gazetteer, tmp_path, options):
    import geo_news

    df = geo_news.geoparse(ARTICLE)
    assert len(df) >= 10
    m = geo_news.event_map(df, **options)
    result = page_for(_save(m, tmp_path, "article.html", offline=bool(options.get("offline"))))
    _assert_inert(result, expect_texts=False)
    shown = "\n".join(result["texts"])
    # the text holds tags, so it was read as HTML (scripts dropped); what is left is shown as text
    assert "${__gnHit(1)}" in shown and "\\`;__gnHit(3);//" in shown and "{{ __gnHit(17) }}" in shown


@pytest.mark.parametrize("suffix, flags", [(".txt", []), (".html", ["--offline"]), (".txt", ["--heat", "--animate"])])
def test_cli_map_of_hostile_file_runs_no_script(page_for, full_gazetteer, tmp_path, suffix, flags):
    src = tmp_path / f"hostile{suffix}"
    body = ARTICLE if suffix == ".txt" else (
        "<html><head><title>${__gnHit(50)}</title><script>__gnHit(51)</script></head><body><p>"
        + ARTICLE.replace("<", "&lt;") + "</p><p onclick=__gnHit(52)>Shells hit Aleppo `${__gnHit(53)}`.</p>"
        "</body></html>")
    src.write_text(body, encoding="utf-8")
    out = tmp_path / "cli.html"
    proc = subprocess.run([sys.executable, "-m", "geo_news", "map", str(src), "-o", str(out), *flags],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    _assert_inert(page_for(out), expect_texts=False)


def test_random_text_around_the_payloads_runs_no_script(page_for, tmp_path):
    """The property check in a browser, over a fixed-seed sample: arbitrary characters before and after each
    payload (a stray backslash, quote or half a tag must not let the payload out)."""
    import random

    rng = random.Random(20261201)
    alphabet = ["\\", "`", "$", "{", "}", "<", ">", "'", '"', "/", "&", ";", "\u2028", "\n", " ", "a", "é", "ß", "#"]

    def noise():
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6)))

    recs = [{"name": noise() + payload + noise(), "lat": rng.uniform(-60, 60), "lon": rng.uniform(-170, 170),
             "role": rng.choice(["launch", "impact", "location"]), "sentence": noise() + payload + noise()}
            for payload in PAYLOADS * 3]
    m = maps.plot_places(recs, tiles=None)
    m = maps.plot_places(recs, m=m, cluster=True, group="clustered")
    result = page_for(_save(m, tmp_path, "random.html"))
    _assert_inert(result)
