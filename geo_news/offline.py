"""Self-contained offline HTML for folium maps.

folium pages load Leaflet and plugins from CDNs, and show a blank page with no network. ``save_offline`` rewrites
every known asset URL to the same file from its npm package, inlined into the page, and adds a Natural Earth
country basemap (from the gazetteer's polygons) for when tiles cannot load. The npm packages are installed once, by
``geo-news assets install`` (:func:`install_assets`: ``npm install`` into the geo_news data dir; Node.js is
needed); without them an offline map is an error that names that command. The library never runs npm or downloads
anything itself, and the packages are never committed to the repository.

Every ``<script src>`` / ``<link href>`` in the page must be in :data:`ASSETS`; an unknown URL raises
:class:`OfflineAssetError`, so a folium upgrade cannot silently bring a CDN back.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import folium

try:  # POSIX: one installer at a time across processes
    import fcntl
except ImportError:  # Windows: npm's own cache locking is all there is
    fcntl = None

from .exceptions import GeoNewsError

NPM_PACKAGES = ("leaflet@1.9.3", "jquery@3.7.1", "leaflet.markercluster@1.1.0", "leaflet.heat@0.2.0",
                "leaflet-timedimension@1.1.1", "iso8601-js-period@0.2.1", "moment@2.18.1", "leaflet-ant-path@1.1.2",
                "jquery-ui@1.13.2", "d3@3.5.5")

# URL (as folium writes it) -> file inside node_modules, or None for assets geo_news maps never use
# (bootstrap, Font Awesome, awesome-markers: our icons are inline SVG).
ASSETS: dict[str, str | None] = {
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js": "leaflet/dist/leaflet.js",
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css": "leaflet/dist/leaflet.css",
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/leaflet.markercluster.js":
        "leaflet.markercluster/dist/leaflet.markercluster.js",
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.css":
        "leaflet.markercluster/dist/MarkerCluster.css",
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.Default.css":
        "leaflet.markercluster/dist/MarkerCluster.Default.css",
    "https://cdn.jsdelivr.net/gh/python-visualization/folium@main/folium/templates/leaflet_heat.min.js":
        "leaflet.heat/dist/leaflet-heat.js",
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery/dist/jquery.min.js",  # folium popups use $()
    "https://cdnjs.cloudflare.com/ajax/libs/jquery/3.7.1/jquery.min.js": "jquery/dist/jquery.min.js",
    # the time slider (folium.plugins.TimestampedGeoJson)
    "https://cdn.jsdelivr.net/npm/leaflet-timedimension@1.1.1/dist/leaflet.timedimension.min.js":
        "leaflet-timedimension/dist/leaflet.timedimension.min.js",
    "https://cdn.jsdelivr.net/npm/leaflet-timedimension@1.1.1/dist/leaflet.timedimension.control.css":
        "leaflet-timedimension/dist/leaflet.timedimension.control.css",
    "https://cdn.jsdelivr.net/npm/iso8601-js-period@0.2.1/iso8601.min.js": "iso8601-js-period/iso8601.js",
    "https://cdnjs.cloudflare.com/ajax/libs/moment.js/2.18.1/moment.min.js": "moment/min/moment.min.js",
    # TimeDimension 1.1 needs neither jQuery UI nor highlight.js; folium lists them anyway
    "https://cdnjs.cloudflare.com/ajax/libs/jqueryui/1.10.2/jquery-ui.min.js": None,
    "https://cdnjs.cloudflare.com/ajax/libs/highlight.js/8.4/styles/default.min.css": None,
    # the animated route (folium.plugins.AntPath)
    "https://cdn.jsdelivr.net/npm/leaflet-ant-path@1.1.2/dist/leaflet-ant-path.min.js":
        "leaflet-ant-path/dist/leaflet-ant-path.js",
    # GeoDataFrame.explore(): the draggable category legend (jQuery UI; 1.12.1 has no built file on npm, and the
    # 1.13 draggable is the same API) and branca's colour scale (d3 v3)
    "https://code.jquery.com/ui/1.12.1/jquery-ui.js": "jquery-ui/dist/jquery-ui.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/d3/3.5.5/d3.min.js": "d3/d3.min.js",
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js": None,
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.js": None,
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/css/bootstrap.min.css": None,
    "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css": None,
    "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css": None,
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.css": None,
    "https://cdn.jsdelivr.net/gh/python-visualization/folium/folium/templates/leaflet.awesome.rotate.min.css": None,
}
# Remote files that an installed stylesheet itself refers to, and that offline pages go without: the TimeDimension
# control's Glyphicons font (geo_news maps give its buttons text glyphs instead, see maps.timeline.TIME_CONTROL_CSS).
DROPPED_CSS_URLS = ("//netdna.bootstrapcdn.com/bootstrap/3.0.0/fonts/glyphicons-halflings-regular.",)
BASEMAP_PANE = "gn-basemap"
_TAG = re.compile(r'<script\s+src="([^"]+)"\s*>\s*</script>|<link\s+rel="stylesheet"\s+href="([^"]+)"\s*/?>')
_CSS_URL = re.compile(r'url\((["\']?)([^)"\']+)\1\)')


class OfflineAssetError(GeoNewsError, RuntimeError):
    """An asset of the page is unknown, or the npm packages that provide the assets are missing."""


def assets_dir() -> Path:
    """Where the npm packages live: ``$GEO_NEWS_ASSETS_DIR``, else ``<data dir>/assets``."""
    env = os.environ.get("GEO_NEWS_ASSETS_DIR")
    if env:
        return Path(env).expanduser()
    from .gazetteer import data_dir

    return data_dir() / "assets"


def _node_modules() -> Path:
    return assets_dir() / "node_modules"


def assets_installed() -> bool:
    return all((_node_modules() / rel).is_file() for rel in ASSETS.values() if rel)


def install_assets(*, quiet: bool = True) -> Path:
    """Install the npm packages that provide the map assets into :func:`assets_dir` (needs ``npm``)."""
    npm = shutil.which("npm")
    target = assets_dir()
    if npm is None:
        raise OfflineAssetError(
            "offline maps inline Leaflet from its npm package, and npm is not installed; install Node.js "
            f"(e.g. apt-get install npm), then run: geo-news assets install  (target: {target})"
        )
    target.mkdir(parents=True, exist_ok=True)
    cmd = [npm, "install", "--no-audit", "--no-fund", "--prefix", str(target), *NPM_PACKAGES]
    # two processes installing at once (two notebooks, parallel test workers) would write the same node_modules:
    # the second waits for the first and then finds the packages there
    with open(target / ".install.lock", "w") as lock:
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)
        if assets_installed():
            return target
        proc = subprocess.run(cmd, capture_output=quiet, text=True, check=False)
    if proc.returncode != 0 or not assets_installed():
        raise OfflineAssetError(f"'{' '.join(cmd)}' failed: {(proc.stderr or '').strip()[-500:]}")
    return target


def _inline_css(css: str, base: Path) -> str:
    def repl(match: re.Match) -> str:
        url = match.group(2)
        if url.startswith("data:") or url.startswith("#"):
            return match.group(0)
        if url.startswith(("//", "http://", "https://")):
            if url.startswith(DROPPED_CSS_URLS):
                return 'url("data:,")'  # an empty resource: the browser gives up on it without a request
            raise OfflineAssetError(
                f"the stylesheet in {base} refers to the remote file {url}; geo_news does not know how to serve "
                "it offline (add it to geo_news.offline.DROPPED_CSS_URLS or map it to an npm file)")
        path = (base / url).resolve()
        if not path.is_file():
            raise OfflineAssetError(f"the stylesheet in {base} refers to {url}, which is not installed")
        mime = {"png": "image/png", "svg": "image/svg+xml", "gif": "image/gif"}.get(path.suffix[1:], "application/octet-stream")
        return f'url("data:{mime};base64,{base64.b64encode(path.read_bytes()).decode()}")'

    return _CSS_URL.sub(repl, css)


def inline_assets(page: str) -> str:
    """Replace every known CDN script/stylesheet of a folium page by its inlined npm file.

    The files come from the npm packages ``geo-news assets install`` put in :func:`assets_dir`; without them this
    raises :class:`OfflineAssetError` with that command (the library itself never runs npm or downloads)."""
    if not assets_installed():
        raise OfflineAssetError(f"the offline map assets are not installed in {assets_dir()}; run: "
                                "geo-news assets install")
    modules = _node_modules()
    done: set[str] = set()  # folium plugins ask for jQuery under two URLs: inline each file once

    def repl(match: re.Match) -> str:
        url = match.group(1) or match.group(2)
        if url not in ASSETS:
            raise OfflineAssetError(
                f"unknown asset {url} in the map page: geo_news does not know which npm file provides it "
                "(add it to geo_news.offline.ASSETS)"
            )
        rel = ASSETS[url]
        if rel is None:
            return f"<!-- {url} left out: not used by geo_news maps -->"
        if rel in done:
            return f"<!-- {rel} already inlined above -->"
        done.add(rel)
        path = modules / rel
        text = path.read_text("utf-8")
        if match.group(1):
            text = text.replace("</script", "<\\/script")
            return f"<script>/* {rel} */\n{text}\n</script>"
        return f"<style>/* {rel} */\n{_inline_css(text, path.parent)}\n</style>"

    out = _TAG.sub(repl, page)
    leftover = re.findall(r'<(?:script|img|iframe)[^>]*\ssrc="((?:https?:)?//[^"]+)"'
                          r'|<link[^>]*\shref="((?:https?:)?//[^"]+)"|url\(["\']?((?:https?:)?//[^)"\']+)', out)
    leftover = [u for group in leftover for u in group if u]
    if leftover:
        raise OfflineAssetError(f"the offline map still refers to {leftover[0]}")
    return out


class Basemap(folium.GeoJson):
    """The offline Natural Earth country layer (one per map; see :func:`add_basemap`)."""


def has_basemap(m: folium.Map) -> bool:
    return any(isinstance(child, Basemap) for child in m._children.values())


def keep_layer_control_last(m: folium.Map) -> None:
    """Put the layer control after every layer, in the map and in the page's script.

    A layer control lists the layers that exist when it is rendered, and folium keeps each element's script at
    the place of its first render: once a map was displayed, a layer added later (the offline basemap) would be
    defined after the control that refers to it. Dropping the control's old script puts it back at the end.
    """
    scripts = m.get_root().script._children
    for key, child in list(m._children.items()):
        if isinstance(child, folium.LayerControl):
            m._children.move_to_end(key)
            scripts.pop(child.get_name(), None)


def add_basemap(m: folium.Map, *, gazetteer=None, simplify: float = 0.08) -> folium.Map:
    """Add a light Natural Earth country layer under everything else (shown when tiles cannot load); a map that
    has one already is left as it is."""
    import shapely

    if has_basemap(m):
        return m
    if gazetteer is None:
        from .gazetteer import open_default

        gazetteer = open_default()
    features = []
    for place, geom in gazetteer.country_shapes():
        g = geom.simplify(simplify, preserve_topology=True)
        if not g.is_empty:
            features.append({"type": "Feature", "properties": {"name": place.name},
                             "geometry": json.loads(shapely.to_geojson(shapely.set_precision(g, 0.01)))})
    # its own pane, between tiles (200) and the overlays (400), so it stays under areas and routes
    folium.map.CustomPane(BASEMAP_PANE, z_index=250, pointer_events=False).add_to(m)
    layer = Basemap(
        {"type": "FeatureCollection", "features": features}, name="Countries (offline basemap)",
        style_function=lambda _f: {"color": "#9aa5b1", "weight": 0.6, "fillColor": "#eef1f4", "fillOpacity": 1.0},
        interactive=False, control=True, overlay=True, pane=BASEMAP_PANE,
    )
    layer.add_to(m)
    keep_layer_control_last(m)
    m.get_root().header.add_child(folium.Element(
        "<style>.folium-map.leaflet-container { background: #cfe3f3; }</style>"))
    return m


def offline_html(m: folium.Map, *, basemap: bool = True, gazetteer=None) -> str:
    """The map as one self-contained HTML string with no external URL."""
    if basemap:
        add_basemap(m, gazetteer=gazetteer)
    return inline_assets(m.get_root().render())


def save_offline(m: folium.Map, path: str | os.PathLike, *, basemap: bool = True, gazetteer=None) -> Path:
    """Write the map as one self-contained HTML file that renders with no network."""
    out = Path(path)
    out.write_text(offline_html(m, basemap=basemap, gazetteer=gazetteer), encoding="utf-8")
    return out


def notebook_html(m: folium.Map, *, height: int = 560, basemap: bool = True, gazetteer=None) -> str:
    """The self-contained page of ``m`` in an ``<iframe srcdoc>``, for notebook display with no network."""
    import html

    page = offline_html(m, basemap=basemap, gazetteer=gazetteer)
    return (f'<iframe srcdoc="{html.escape(page, quote=True)}" title="geo_news map" '
            f'style="width: 100%; height: {int(height)}px; border: none;"></iframe>')


class OfflineMap(folium.Map):
    """A folium map whose ``save`` writes one self-contained HTML file and whose notebook display inlines every
    asset (:func:`save_offline`, :func:`notebook_html`); in every other way a ``folium.Map``."""

    def save(self, outfile, close_file: bool = True, **kwargs) -> None:
        if hasattr(outfile, "write"):
            outfile.write(offline_html(self, basemap=False))
            if close_file:
                outfile.close()
            return
        save_offline(self, outfile, basemap=False)

    def _repr_html_(self, **kwargs) -> str:
        return notebook_html(self, basemap=False)


def make_offline(m: folium.Map, *, gazetteer=None) -> folium.Map:
    """Make ``m.save(path)`` write self-contained HTML and notebook display use the inlined assets.

    The map gets the Natural Earth basemap now and becomes an :class:`OfflineMap` (a ``folium.Map`` subclass that
    adds no state, only those two methods), so the usual folium calls work with no network.

    Examples
    --------
    >>> m = make_offline(geo_news.event_map(frame, tiles=None))     # doctest: +SKIP
    >>> m.save("map.html")                                           # doctest: +SKIP
    """
    if not isinstance(m, folium.Map):
        raise TypeError(f"make_offline takes a folium.Map, not {type(m).__name__}")
    add_basemap(m, gazetteer=gazetteer)
    if not isinstance(m, OfflineMap):
        m.__class__ = OfflineMap
    return m
