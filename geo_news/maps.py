"""folium maps of launch points, transits, targets, impacts, places and routes.

Every helper takes ``m=None`` and returns the ``folium.Map``, so calls compose::

    m = plot_launches(["Caspian Sea"])
    m = plot_impacts([(34.5, 50.1)], m=m)
    m = plot_route(["Caspian Sea", "Iran", "Iraq", "Syria"], m=m)

Inputs may be place names (geocoded with the offline gazetteer), ``(lat, lon)`` pairs, dict records, gazetteer
``Place`` objects, or a GeoDataFrame from :func:`geo_news.geoparse`. Text shown on the map is always
HTML-escaped. Icons are inline SVG (no icon font from a CDN), so they also render offline.

Dense corpora: ``cluster=True`` groups markers per role (Leaflet.markercluster), :func:`plot_heat` adds a heat-map
layer, and :func:`plot_timeline` a time slider for records with a ``date``. Above :data:`FAST_MARKERS` markers (or
when clustering) a layer's markers are written as one compact JSON array turned into markers by one small script,
not one folium ``Marker`` (a JS variable, an icon and a popup element each) per place, so 10,000 places build, save
and load in seconds.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Iterable, Sequence
from typing import Any

import folium
from branca.element import MacroElement, Template

from .exceptions import InputError, PlaceNotFoundError
from .geo import geodesic_path
from .model import ROLES, Place

ROLE_STYLE = {
    "launch": {"color": "#c0392b", "label": "Launch", "layer": "Launch points", "shape": "triangle"},
    "transit": {"color": "#e67e22", "label": "Transit", "layer": "Transits", "shape": "diamond"},
    "target": {"color": "#8e44ad", "label": "Target", "layer": "Targets", "shape": "ring"},
    "impact": {"color": "#111111", "label": "Impact", "layer": "Impacts", "shape": "star"},
    "location": {"color": "#2471a3", "label": "Other place", "layer": "Other places", "shape": "circle"},
}
ROUTE_COLOR = "#c0392b"
FAST_MARKERS = 300
MAX_ZOOM = 18
AREA_PRECISIONS = {"country", "admin1", "admin2", "region", "water"}
_SVG = {
    "triangle": '<polygon points="10,2 18,17 2,17" />',
    "diamond": '<polygon points="10,1 19,10 10,19 1,10" />',
    "ring": '<circle cx="10" cy="10" r="7" fill="white" stroke-width="4" /><circle cx="10" cy="10" r="2.5" />',
    "star": '<polygon points="10,1 12.6,7 19,7.4 14,11.6 15.6,18.6 10,14.8 4.4,18.6 6,11.6 1,7.4 7.4,7" />',
    "circle": '<circle cx="10" cy="10" r="6" />',
}


def _icon(role: str, size: int = 20) -> folium.DivIcon:
    style = ROLE_STYLE.get(role, ROLE_STYLE["location"])
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 20 20" '
           f'fill="{style["color"]}" stroke="{style["color"]}" stroke-width="1.2">{_SVG[style["shape"]]}</svg>')
    return folium.DivIcon(html=f'<div class="gn-marker gn-{role}">{svg}</div>', icon_size=(size, size),
                          icon_anchor=(size // 2, size // 2), class_name="gn-icon")


def _esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _new_map(m: folium.Map | None, *, tiles: str | None = "OpenStreetMap", **kwargs) -> folium.Map:
    if m is not None:
        return m
    m = folium.Map(location=(30, 20), zoom_start=3, tiles=tiles, max_zoom=MAX_ZOOM, control_scale=True,
                   world_copy_jump=True, **kwargs)
    # folium gives max_zoom to the tile layer only; with tiles=None the map would have none, and marker
    # clusters refuse a map without a maxZoom
    m.options.setdefault("max_zoom", MAX_ZOOM)
    return m


def _gazetteer(gazetteer):
    if gazetteer is not None:
        return gazetteer
    from .gazetteer import open_default

    return open_default()


def _from_place(p: Place, **extra) -> dict:
    return {"name": p.name, "lat": p.lat, "lon": p.lon, "place_id": p.id, "feature_code": p.feature_code,
            "feature_class": p.feature_class, "country_code": p.country_code or "|".join(p.country_codes), **extra}


def as_records(items, *, gazetteer=None, role: str | None = None) -> list[dict]:
    """Normalise names, ``(lat, lon)`` pairs, dicts, ``Place`` objects or a GeoDataFrame into dict records.

    Raises :class:`PlaceNotFoundError` for a name the offline gazetteer does not know.
    """
    import pandas as pd

    if isinstance(items, pd.DataFrame):
        frame = items
        if "lat" not in frame.columns and "geometry" in frame.columns:
            frame = frame.assign(lat=frame.geometry.y, lon=frame.geometry.x)
        rows = [r for r in frame.drop(columns="geometry", errors="ignore").to_dict("records")
                if r.get("lat") is not None and not (isinstance(r["lat"], float) and math.isnan(r["lat"]))]
        return [{**r, "role": role or r.get("role") or "location"} for r in rows]
    if isinstance(items, (str, Place, dict)) or (isinstance(items, tuple) and len(items) == 2
                                                 and all(isinstance(v, (int, float)) for v in items)):
        items = [items]
    out = []
    for item in items:
        if isinstance(item, Place):
            rec = _from_place(item)
        elif isinstance(item, str):
            found = _gazetteer(gazetteer).lookup(item, limit=1)
            if not found:
                raise PlaceNotFoundError(f"no place called {item!r} in the offline gazetteer; pass (lat, lon) instead")
            rec = _from_place(found[0], text=item)
        elif isinstance(item, dict):
            if "lat" not in item or "lon" not in item:
                raise ValueError(f"a record needs 'lat' and 'lon': {item!r}")
            rec = dict(item)
        elif isinstance(item, Sequence) and len(item) == 2:
            lat, lon = float(item[0]), float(item[1])
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise ValueError(f"not a (lat, lon) pair: {item!r}")
            rec = {"name": f"{lat:.4f}, {lon:.4f}", "lat": lat, "lon": lon}
        else:
            raise TypeError(f"cannot place {item!r}: give a name, (lat, lon), a record or a GeoDataFrame")
        rec["role"] = role or rec.get("role") or "location"
        out.append(rec)
    return out


def _group(m: folium.Map, name: str) -> folium.FeatureGroup:
    for child in m._children.values():
        if isinstance(child, folium.FeatureGroup) and getattr(child, "_gn_name", None) == name:
            return child
    fg = folium.FeatureGroup(name=name, show=True)
    fg._gn_name = name
    fg.add_to(m)
    return fg


def _merge(records: Iterable[dict], *, by_date: bool = False) -> list[tuple[dict, list[str]]]:
    """One feature per (place, role) (and date, for a timeline), quoting every sentence that mentions it."""
    merged: dict[tuple, tuple[dict, list[str]]] = {}
    for rec in records:
        key = (rec.get("place_id") or (round(rec["lat"], 5), round(rec["lon"], 5)), rec.get("role"),
               _timestamp(rec) if by_date else None)
        if key not in merged:
            merged[key] = (rec, [])
        s = rec.get("sentence")
        if s and s not in merged[key][1]:
            merged[key][1].append(s)
    return list(merged.values())


def _area_shape(rec: dict, gazetteer):
    if rec.get("precision") not in AREA_PRECISIONS and rec.get("feature_class") not in {"A", "H", "L"}:
        return None
    pid = rec.get("place_id")
    if not pid:
        return None
    gaz = _gazetteer(gazetteer)
    place = gaz.get(pid)
    if place is None or not place.is_area:
        return None
    shape = gaz.shape(place)
    if shape is not None:
        return shape.simplify(0.03, preserve_topology=True)
    if place.bbox is not None:
        from shapely.geometry import box

        w, s, e, n = place.bbox
        return box(w, s, e, n) if w <= e else None
    return None


def _extend(m: folium.Map, lat: float, lon: float, role: str = "location") -> None:
    if not hasattr(m, "_gn_bounds"):
        m._gn_bounds = []
    m._gn_bounds.append((lat, lon, role))


def _fit(m: folium.Map) -> None:
    """Fit the view to what moved (launches, transits, targets, impacts, routes) when there is any, else all."""
    pts = getattr(m, "_gn_bounds", [])
    moving = [p for p in pts if p[2] != "location"]
    pts = moving or pts
    if not pts:
        return
    lats, lons = [p[0] for p in pts], [p[1] for p in pts]
    pad = 1.0
    m.fit_bounds([[min(lats) - pad, min(lons) - pad], [max(lats) + pad, max(lons) + pad]])


def _popup_html(rec: dict, sentences: Sequence[str]) -> str:
    role = rec.get("role", "location")
    rows = [("Role", ROLE_STYLE.get(role, {}).get("label", role)), ("Precision", rec.get("precision")),
            ("Confidence", f"{rec['confidence']:.2f}" if isinstance(rec.get("confidence"), float) else None),
            ("Gazetteer id", rec.get("place_id")), ("Reported by", rec.get("attribution")),
            ("Date", _date_text(rec.get("date"))), ("Coordinates", f"{rec['lat']:.4f}, {rec['lon']:.4f}")]
    table = "".join(f"<tr><th>{_esc(k)}</th><td>{_esc(v)}</td></tr>" for k, v in rows if v not in (None, ""))
    quotes = "".join(f'<blockquote class="gn-quote">{_esc(s)}</blockquote>' for s in sentences[:3])
    more = f"<p>and {len(sentences) - 3} more mentions</p>" if len(sentences) > 3 else ""
    return f'<div class="gn-popup"><h4>{_esc(rec.get("name"))}</h4><table>{table}</table>{quotes}{more}</div>'


def _date_text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    import pandas as pd

    if value is pd.NaT or value is pd.NA:
        return None
    return value.isoformat()[:10] if hasattr(value, "isoformat") else str(value)


def _tooltip(rec: dict, role: str) -> str:
    return f"{_esc(rec.get('name'))} — {_esc(ROLE_STYLE.get(role, ROLE_STYLE['location'])['label'].lower())}"


def _script_json(value: Any) -> str:
    """JSON safe to put inside a ``<script>`` element (no ``</`` or ``<!--`` that would end or confuse it)."""
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            .replace("</", "<\\/").replace("<!--", "<\\!--"))


_POINTS_JS = """
{% macro script(this, kwargs) %}
(function () {
  var html = {{ this.icons }}, icons = {};
  Object.keys(html).forEach(function (role) {
    icons[role] = L.divIcon({html: html[role], iconSize: [20, 20], iconAnchor: [10, 10], className: "gn-icon"});
  });
  var markers = {{ this.rows }}.map(function (r) {
    return L.marker([r[0], r[1]], {icon: icons[r[2]]}).bindTooltip(r[3]).bindPopup(r[4], {maxWidth: 360});
  });
  var parent = {{ this._parent.get_name() }};
  if (parent.addLayers) { parent.addLayers(markers); } else { markers.forEach(function (x) { parent.addLayer(x); }); }
})();
{% endmacro %}
"""


class _PointLayer(MacroElement):
    """Many markers from one compact array ``[lat, lon, role, tooltip, popup]`` (texts already escaped)."""

    def __init__(self, rows: list[tuple[dict, list[str]]]) -> None:
        super().__init__()
        self._name = "GeoNewsPoints"
        roles = sorted({rec.get("role") or "location" for rec, _ in rows})
        self.icons = _script_json({r: _icon(r).options["html"] for r in roles})
        self.rows = _script_json([[round(rec["lat"], 6), round(rec["lon"], 6), rec.get("role") or "location",
                                   _tooltip(rec, rec.get("role") or "location"), _popup_html(rec, sentences)]
                                  for rec, sentences in rows])
        self._template = Template(_POINTS_JS)


_CLUSTER_ICON = """function (cluster) {
  var n = cluster.getChildCount(), d = n < 100 ? 32 : (n < 1000 ? 38 : 44);
  return L.divIcon({html: '<div style="background:%s"><span>' + n + '</span></div>',
                    className: 'gn-cluster gn-cluster-%s', iconSize: L.point(d, d)});
}"""


def _cluster(m: folium.Map, fg: folium.FeatureGroup, role: str) -> folium.Element:
    from folium.plugins import MarkerCluster

    for child in fg._children.values():
        if isinstance(child, MarkerCluster):
            return child
    m.options.setdefault("max_zoom", MAX_ZOOM)  # a user's map made with tiles=None has none
    color = ROLE_STYLE[role]["color"] if role in ROLE_STYLE else "#555555"
    cluster = MarkerCluster(control=False, chunkedLoading=True, showCoverageOnHover=False, maxClusterRadius=50,
                            icon_create_function=_CLUSTER_ICON % (color, _esc(role)))
    cluster.add_to(fg)
    return cluster


def plot_places(items, *, m: folium.Map | None = None, role: str | None = None, gazetteer=None,
                areas: bool = True, group: str | None = None, fit: bool = True, tiles: str | None = "OpenStreetMap",
                cluster: bool = False, points: bool = True) -> folium.Map:
    """Mark places on a map, each with its role's icon, a tooltip and an escaped popup.

    Areas (countries, divisions, seas, regions) are drawn as their outline with a light fill, since a pin at a
    centroid would claim a precision the text does not give.

    Parameters
    ----------
    items : names, ``(lat, lon)`` pairs, records or a GeoDataFrame
        What to mark; see :func:`as_records`.
    role : str, optional
        Give every item this role (else each record's own ``role``, else ``"location"``).
    areas : bool
        Draw areas as outlines (besides their marker).
    group : str, optional
        The layer to draw into (default: the role's layer).
    cluster : bool
        Group nearby markers into clusters (one cluster layer per role), for dense corpora.
    points : bool
        Draw the markers; ``False`` draws only the area outlines.

    Examples
    --------
    >>> m = plot_places(["Aleppo", (35.7, 36.35)])          # doctest: +SKIP
    >>> m = plot_places(corpus_frame, cluster=True)          # doctest: +SKIP
    """
    m = _new_map(m, tiles=tiles)
    _ensure_legend(m)
    merged = _merge(as_records(items, gazetteer=gazetteer, role=role))
    compact = cluster or len(merged) > FAST_MARKERS
    batches: dict[str, list[tuple[dict, list[str]]]] = {}
    for rec, sentences in merged:
        r = rec.get("role") or "location"
        style = ROLE_STYLE.get(r, ROLE_STYLE["location"])
        fg = _group(m, group or style["layer"])
        shape = _area_shape(rec, gazetteer) if areas else None
        if shape is not None:
            folium.GeoJson(
                shape.__geo_interface__, name=_esc(rec.get("name")), tooltip=_tooltip(rec, r),
                popup=folium.Popup(_popup_html(rec, sentences), max_width=360),
                style_function=lambda _f, c=style["color"]: {"color": c, "weight": 1.5, "fillColor": c,
                                                              "fillOpacity": 0.1, "className": "gn-area"},
            ).add_to(fg)
            w, s, e, n = shape.bounds
            if e - w < 300:
                _extend(m, s, w, r)
                _extend(m, n, e, r)
        if not points:
            continue
        if compact:
            batches.setdefault(group or style["layer"], []).append(({**rec, "role": r}, sentences))
        else:
            folium.Marker((rec["lat"], rec["lon"]), icon=_icon(r), tooltip=_tooltip(rec, r),
                          popup=folium.Popup(_popup_html(rec, sentences), max_width=360)).add_to(fg)
        _extend(m, rec["lat"], rec["lon"], r)
    for name, rows in batches.items():
        fg = _group(m, name)
        kinds = {rec["role"] for rec, _ in rows}
        _PointLayer(rows).add_to(_cluster(m, fg, kinds.pop() if len(kinds) == 1 else "mixed") if cluster else fg)
    if fit:
        _fit(m)
    return m


def plot_launches(items, *, m: folium.Map | None = None, **kwargs) -> folium.Map:
    """Mark launch points or areas (where a movement started). See :func:`plot_places`."""
    return plot_places(items, m=m, role="launch", **kwargs)


def plot_targets(items, *, m: folium.Map | None = None, **kwargs) -> folium.Map:
    """Mark targets (what a movement was aimed at). See :func:`plot_places`."""
    return plot_places(items, m=m, role="target", **kwargs)


def plot_impacts(items, *, m: folium.Map | None = None, **kwargs) -> folium.Map:
    """Mark impacts (where something came down). See :func:`plot_places`."""
    return plot_places(items, m=m, role="impact", **kwargs)


def plot_areas(items, *, m: folium.Map | None = None, role: str = "location", **kwargs) -> folium.Map:
    """Draw areas (countries, seas, divisions, regions) as outlines with a light fill."""
    return plot_places(items, m=m, role=role, areas=True, **kwargs)


def _bearing_screen(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Clockwise angle from screen-up of the segment a → b in Web Mercator, in degrees."""
    def merc(lat):
        lat = max(-85.0, min(85.0, lat))
        return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))

    dx, dy = b[1] - a[1], merc(b[0]) - merc(a[0])
    return math.degrees(math.atan2(dx, dy))


def plot_route(waypoints, *, m: folium.Map | None = None, color: str = ROUTE_COLOR, label: str | None = None,
               gazetteer=None, arrows: int = 3, markers: bool = True, fit: bool = True,
               tiles: str | None = "OpenStreetMap", step_km: float = 50.0, animate: bool = False) -> folium.Map:
    """Draw a geodesic route through waypoints, with arrowheads showing its direction.

    The line follows great circles (WGS84 geodesics) and is drawn continuously across the antimeridian: a
    Tokyo → San Francisco route crosses the Pacific, not Eurasia.

    Parameters
    ----------
    waypoints : sequence
        Names, ``(lat, lon)`` pairs, records or a GeoDataFrame, in route order (at least two).
    arrows : int
        Arrowheads along the route, besides the one at the end.
    animate : bool
        Also draw a moving dashed line (Leaflet.AntPath) along the route, flowing in its direction; the static
        line and arrowheads stay, so a screenshot still shows the direction.

    Examples
    --------
    >>> m = plot_route(["Caspian Sea", "Iran", "Iraq", "Syria"])      # doctest: +SKIP
    >>> m = plot_route([(35.68, 139.69), (37.77, -122.42)], animate=True)      # doctest: +SKIP
    """
    m = _new_map(m, tiles=tiles)
    _ensure_legend(m)
    records = as_records(waypoints, gazetteer=gazetteer)
    if len(records) < 2:
        raise ValueError("a route needs at least two waypoints")
    pts = [(r["lat"], r["lon"]) for r in records]
    path = geodesic_path(pts, step_km=step_km)
    names = " → ".join(_esc(r.get("name")) for r in records)
    fg = _group(m, "Routes")
    folium.PolyLine(path, color=color, weight=3, opacity=0.9, tooltip=_esc(label) if label else names,
                    class_name="gn-route").add_to(fg)
    if animate:
        from folium.plugins import AntPath

        AntPath(path, color=color, pulse_color="#ffffff", weight=4, opacity=0.8, delay=800, dash_array=[10, 20],
                interactive=False).add_to(fg)
    # arrowheads along the path, and one at the end (they are markers, so they survive a screenshot)
    n = len(path)
    idx = sorted({int(n * k / (arrows + 1)) for k in range(1, arrows + 1)} | {n - 1})
    for i in idx:
        i = max(1, min(n - 1, i))
        folium.Marker(path[i], icon=_arrow_icon(_bearing_screen(path[i - 1], path[i]), color),
                      interactive=False).add_to(fg)
    for lat, lon in path[:: max(1, n // 20)] + [path[-1]]:
        _extend(m, lat, lon, "route")
    if markers:  # the ends of a hand-made route: where it starts and where it ends
        plot_places([{**records[0], "role": "launch"}, {**records[-1], "role": "target"}], m=m,
                    gazetteer=gazetteer, fit=False)
    if fit:
        _fit(m)
    return m


def _arrow_icon(angle: float, color: str) -> folium.DivIcon:
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="18" height="18" viewBox="0 0 18 18" '
           f'style="transform: rotate({angle:.1f}deg)"><polygon points="9,1 16,16 9,12 2,16" fill="{color}" '
           f'stroke="white" stroke-width="1"/></svg>')
    return folium.DivIcon(html=f'<div class="gn-arrow">{svg}</div>', icon_size=(18, 18), icon_anchor=(9, 9),
                          class_name="gn-arrow-icon")


_LEGEND = """
{% macro header(this, kwargs) %}
<style>
.gn-icon, .gn-arrow-icon, .gn-cluster { background: none; border: none; }
.gn-cluster div { width: 100%; height: 100%; border-radius: 50%; border: 2px solid #fff; opacity: 0.88;
  box-sizing: border-box; display: flex; align-items: center; justify-content: center; color: #fff;
  font: bold 12px system-ui, sans-serif; box-shadow: 0 1px 4px #0006; }
.gn-legend { position: absolute; bottom: 24px; left: 12px; z-index: 1000; background: rgba(255,255,255,0.92);
  padding: 8px 10px; border-radius: 6px; font: 12px/1.4 system-ui, sans-serif; box-shadow: 0 1px 4px #0004; }
.gn-legend h4 { margin: 0 0 4px; font-size: 13px; }
.gn-legend div { display: flex; align-items: center; gap: 6px; }
.gn-popup h4 { margin: 0 0 4px; } .gn-popup th { text-align: left; padding-right: 8px; }
.gn-quote { margin: 6px 0 0; padding-left: 8px; border-left: 3px solid #999; font-style: italic; }
</style>
{% endmacro %}
{% macro html(this, kwargs) %}
<div class="gn-legend" id="gn-legend"><h4>{{ this.title }}</h4>{{ this.rows }}</div>
{% endmacro %}
"""


class Legend(MacroElement):
    """The role legend (one per map)."""

    def __init__(self, title: str = "Roles") -> None:
        super().__init__()
        self._name = "GeoNewsLegend"
        self.title = html.escape(title)
        rows = []
        for role in ROLES:
            style = ROLE_STYLE[role]
            rows.append(f"<div>{_icon(role, 14).options['html']}<span>{style['label']}</span></div>")
        rows.append(f'<div><svg width="22" height="8"><line x1="0" y1="4" x2="22" y2="4" stroke="{ROUTE_COLOR}" '
                    f'stroke-width="3"/></svg><span>Route</span></div>')
        self.rows = "".join(rows)
        self._template = Template(_LEGEND)


def _ensure_legend(m: folium.Map) -> None:
    if not getattr(m, "_gn_legend", False):
        Legend().add_to(m)
        m._gn_legend = True


def plot_heat(items, *, m: folium.Map | None = None, gazetteer=None, name: str = "Density (heat map)",
              radius: int = 18, blur: int = 15, tiles: str | None = "OpenStreetMap", fit: bool = True) -> folium.Map:
    """Add a heat-map layer of where places are mentioned (Leaflet.heat), weighted by confidence when known.

    Examples
    --------
    >>> m = plot_heat(corpus_frame)                       # doctest: +SKIP
    >>> m = plot_heat([(36.2, 37.16), (35.13, 36.76)], m=m)   # doctest: +SKIP
    """
    from folium.plugins import HeatMap

    m = _new_map(m, tiles=tiles)
    records = as_records(items, gazetteer=gazetteer)
    if not records:
        raise InputError("a heat map needs at least one place with coordinates")
    data = []
    for rec in records:
        weight = rec.get("confidence")
        weight = float(weight) if isinstance(weight, (int, float)) and not math.isnan(weight) else 1.0
        data.append([round(rec["lat"], 5), round(rec["lon"], 5), max(0.05, min(1.0, weight))])
        _extend(m, rec["lat"], rec["lon"], "heat")
    HeatMap(data, name=name, radius=radius, blur=blur, min_opacity=0.3, max_zoom=MAX_ZOOM).add_to(m)
    _keep_layer_control_last(m)
    if fit:
        _fit(m)
    return m


def _svg_icon_css(selector: str, shapes: str) -> str:
    from urllib.parse import quote

    svg = f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16" fill="#333">{shapes}</svg>'
    # !important: the plugin's own rules (same specificity) may come later in the page
    return (f'{selector}:before {{ content: "" !important; display: inline-block; width: 14px; height: 14px; '
            f'vertical-align: middle; background: url("data:image/svg+xml,{quote(svg)}") no-repeat center; }}')


# The TimeDimension control draws its buttons with a CDN icon font. Inline SVG needs no font at all, so the
# buttons show offline and in browsers without the symbol glyphs.
TIME_CONTROL_CSS = "<style>" + "\n".join([
    _svg_icon_css(".timecontrol-play", '<polygon points="4,2 14,8 4,14"/>'),
    _svg_icon_css(".timecontrol-play.pause", '<rect x="3" y="2" width="4" height="12"/><rect x="9" y="2" width="4" '
                                             'height="12"/>'),
    _svg_icon_css(".timecontrol-backward", '<rect x="2" y="2" width="2" height="12"/><polygon points="14,2 5,8 14,14"/>'),
    _svg_icon_css(".timecontrol-forward", '<rect x="12" y="2" width="2" height="12"/><polygon points="2,2 11,8 2,14"/>'),
    _svg_icon_css(".timecontrol-stop", '<rect x="3" y="3" width="10" height="10"/>'),
    _svg_icon_css(".timecontrol-loop", '<path d="M8 2a6 6 0 1 0 6 6h-2a4 4 0 1 1-4-4v2l4-3-4-3z"/>'),
    ".timecontrol-speed:before { content: none !important; }",
    _svg_icon_css("a.timecontrol-play.loading, .timecontrol-date.loading", '<circle cx="8" cy="8" r="5" fill="none" '
                  'stroke="#333" stroke-width="2" stroke-dasharray="20 12"/>'),
]) + "</style>"


def _timestamp(rec: dict) -> str | None:
    import pandas as pd

    value = rec.get("date")
    if value is None or value is pd.NaT or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError) as err:
        raise InputError(f"{rec.get('name')!r} has the date {value!r}, which is not a date; give ISO dates "
                         "such as 2015-10-07 or 2015-10-07T06:30") from err
    if ts is pd.NaT:
        return None
    ts = ts.tz_convert("UTC") if ts.tzinfo else ts
    return ts.strftime("%Y-%m-%dT%H:%M:%SZ")


def _svg_data_uri(role: str) -> str:
    import base64

    svg = _icon(role).options["html"].split(">", 1)[1].rsplit("</div>", 1)[0]  # the <svg> inside the div
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def plot_timeline(items, *, m: folium.Map | None = None, gazetteer=None, period: str | None = None,
                  tiles: str | None = "OpenStreetMap", fit: bool = True, auto_play: bool = False) -> folium.Map:
    """Markers that appear with their ``date`` under a time slider (Leaflet.TimeDimension).

    Every record needs a ``date`` (ISO string, ``datetime`` or pandas Timestamp); each place appears at its date
    and stays (what has happened so far). One time slider per map.

    Parameters
    ----------
    period : str, optional
        The slider's step as an ISO 8601 duration (``"P1D"`` a day, ``"PT1H"`` an hour); by default a day, or
        an hour when the dates carry times of day.

    Examples
    --------
    >>> m = plot_timeline([{"name": "Aleppo", "lat": 36.2, "lon": 37.16, "date": "2015-10-07"}])  # doctest: +SKIP
    """
    from folium.plugins import TimestampedGeoJson

    m = _new_map(m, tiles=tiles)
    if getattr(m, "_gn_timeline", False):
        raise InputError("this map already has a time slider: pass all dated records in one call")
    _ensure_legend(m)
    features = []
    for rec, sentences in _merge(as_records(items, gazetteer=gazetteer), by_date=True):
        when = _timestamp(rec)
        if when is None:
            raise InputError(f"{rec.get('name')!r} has no date: a time slider needs a 'date' on every record")
        role = rec.get("role") or "location"
        features.append({
            "type": "Feature", "geometry": {"type": "Point", "coordinates": [rec["lon"], rec["lat"]]},
            "properties": {"times": [when], "icon": "marker", "tooltip": _tooltip(rec, role),
                           "popup": _popup_html(rec, sentences),
                           "iconstyle": {"iconUrl": _svg_data_uri(role), "iconSize": [20, 20],
                                         "iconAnchor": [10, 10], "className": f"gn-time gn-time-{role}"}}})
        _extend(m, rec["lat"], rec["lon"], role)
    if not features:
        raise InputError("a time slider needs at least one dated place with coordinates")
    if period is None:
        period = "P1D" if all(f["properties"]["times"][0].endswith("T00:00:00Z") for f in features) else "PT1H"
    data = _script_json({"type": "FeatureCollection", "features": features})
    slider = TimestampedGeoJson(data, period=period, add_last_point=False, auto_play=auto_play, loop=False,
                                date_options="YYYY-MM-DD HH:mm" if period.startswith("PT") else "YYYY-MM-DD",
                                transition_time=300)
    slider.options["position"] = "bottomright"  # bottom left is the legend's
    slider.add_to(m)
    m.get_root().header.add_child(folium.Element(TIME_CONTROL_CSS))
    m._gn_timeline = True
    if fit:
        _fit(m)
    return m


def _keep_layer_control_last(m: folium.Map) -> None:
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


def _doc_keys(frame) -> list:
    """Which article each row comes from: a ``doc_id`` column, the first level of a ``pandas.concat(keys=...)``
    index, else a new article wherever the character offsets (or the index) start again, as they do where
    ``pandas.concat`` joined two geoparse results."""
    import pandas as pd

    for col in ("doc_id", "article_id"):
        if col in frame.columns:
            return list(frame[col])
    if isinstance(frame.index, pd.MultiIndex):
        return list(frame.index.get_level_values(0))
    order = frame["start"] if "start" in frame.columns else pd.Series(frame.index, index=frame.index)
    keys, doc, prev = [], 0, None
    for value in order:
        try:
            value = float(value)
        except (TypeError, ValueError):
            value = None
        if prev is not None and value is not None and value < prev:
            doc += 1
        prev = value if value is not None else prev
        keys.append(doc)
    return keys


def _record_routes(records: list[dict]) -> list[list[dict]]:
    """Routes from the rows' ``event`` and ``role`` (launch, transits, then the first target or impact), per
    article: what :attr:`GeoParse.events` gives for one article, rebuilt for a corpus."""
    import pandas as pd

    events: dict[tuple, list[dict]] = {}
    for rec in records:
        ev = rec.get("event")
        if ev is None or pd.isna(ev):
            continue
        events.setdefault((rec.get("_gn_doc", 0), ev), []).append(rec)
    routes = []
    for rows in events.values():
        by_role = {r: [x for x in rows if x.get("role") == r] for r in ("launch", "transit", "target", "impact")}
        end = by_role["target"][:1] or by_role["impact"][:1]
        pts: list[dict] = []
        for rec in (*by_role["launch"][:1], *by_role["transit"], *end):
            if not pts or (rec.get("place_id"), rec.get("name")) != (pts[-1].get("place_id"), pts[-1].get("name")):
                pts.append(rec)
        if len(pts) >= 2:
            routes.append(pts)
    return routes


def _event_routes(result, records: list[dict]) -> list[tuple[list[dict], str]]:
    events = getattr(result, "events", None)
    single = len({r.get("_gn_doc", 0) for r in records}) <= 1
    if single and events is not None and len(events) and {"launch", "transits"} <= set(events.columns):
        by_name: dict = {}
        for r in records:
            by_name.setdefault(r.get("name"), r)
        out = []
        for _, ev in events.iterrows():
            ends = list(ev["targets"][:1]) or list(ev["impacts"][:1])
            names = [*ev["launch"][:1], *ev["transits"], *ends]
            pts = [by_name[n] for n in names if n in by_name]
            if len(pts) >= 2:
                out.append((pts, " → ".join(names)))
        return out
    return [(pts, " → ".join(str(p.get("name")) for p in pts)) for pts in _record_routes(records)]


def event_map(result, *, m: folium.Map | None = None, roles: Sequence[str] = ROLES, routes: bool = True,
              areas: bool = True, gazetteer=None, tiles: str | None = "OpenStreetMap", title: str | None = None,
              layer_control: bool = True, basemap: bool = False, cluster: bool = False, heat: bool = False,
              time_slider: bool | None = None, animate: bool = False, offline: bool = False) -> folium.Map:
    """The map of a geoparsed article or corpus: places by role (one layer each), areas, routes with direction.

    Parameters
    ----------
    result : GeoParse or GeoDataFrame
        The output of :func:`geo_news.geoparse` (its ``.events`` give the routes), or a corpus: several results
        joined with ``pandas.concat`` (routes are then rebuilt per article from the ``event`` and ``role``
        columns; articles are told apart by a ``doc_id`` column, else where the offsets start again).
    roles : sequence of str
        Which roles to draw.
    routes, areas : bool
        Draw event routes; draw areas as outlines.
    tiles : str or None
        A folium tile name, or None for no tile layer.
    basemap : bool
        Add the offline Natural Earth country layer (for maps that must render with no network).
    cluster : bool
        Cluster the markers of each role (for dense corpora).
    heat : bool
        Add a heat-map layer of all mentions.
    time_slider : bool, optional
        Show dated places (a ``date`` column) under a time slider, each appearing at its date; by default on
        when any row has a date. Dated places then leave the role layers (their areas stay).
    animate : bool
        Animate the routes (a moving dashed line over the static one).
    offline : bool
        Make a map that needs no network: no tiles, the Natural Earth basemap, and ``m.save(path)`` and notebook
        display with Leaflet and the plugins inlined (see :func:`geo_news.offline.make_offline`).

    Examples
    --------
    >>> import geo_news, pandas
    >>> m = geo_news.event_map(geo_news.geoparse(text))      # doctest: +SKIP
    >>> m.save("map.html")                                     # doctest: +SKIP
    >>> corpus = pandas.concat([geo_news.geoparse(t) for t in texts])       # doctest: +SKIP
    >>> m = geo_news.event_map(corpus, cluster=True, heat=True)               # doctest: +SKIP
    >>> geo_news.event_map(frame, offline=True).save("map.html")             # doctest: +SKIP
    """
    import pandas as pd

    m = _new_map(m, tiles=None if offline else tiles)
    basemap = basemap or offline
    if title:
        m.get_root().html.add_child(folium.Element(f"<title>{_esc(title)}</title>"))
    _ensure_legend(m)
    if basemap:
        from .offline import add_basemap

        add_basemap(m, gazetteer=gazetteer)
        m._gn_basemap = True
    if isinstance(result, pd.DataFrame):
        records = as_records(pd.DataFrame(result).assign(_gn_doc=_doc_keys(result)))
    else:
        records = as_records(result, gazetteer=gazetteer)
    dated = [r for r in records if _timestamp(r) is not None]
    if time_slider is None:
        time_slider = bool(dated)
    if time_slider and not dated:
        raise InputError("time_slider=True needs records with a 'date' column; none has a date")
    timed = {id(r) for r in dated} if time_slider else set()
    moving = {r.get("place_id") for r in records if r.get("role") not in (None, "location")}
    for role in ROLES:
        if role in roles:
            picked = [r for r in records if r.get("role") == role]
            if role == "location":  # a place already drawn for its movement role is not drawn again
                picked = [r for r in picked if r.get("place_id") not in moving]
            undated = [r for r in picked if id(r) not in timed]
            if undated:
                plot_places(undated, m=m, gazetteer=gazetteer, areas=areas, fit=False, cluster=cluster)
            if areas and len(undated) < len(picked):
                plot_places([r for r in picked if id(r) in timed], m=m, gazetteer=gazetteer, fit=False,
                            points=False)
    if routes:
        for pts, label in _event_routes(result, records):
            plot_route(pts, m=m, markers=False, fit=False, label=label, animate=animate, gazetteer=gazetteer)
    if heat:
        plot_heat(records, m=m, fit=False)
    if time_slider:
        plot_timeline([r for r in records if id(r) in timed and r.get("role") in roles], m=m, fit=False)
    if layer_control:
        folium.LayerControl(collapsed=False).add_to(m)
    _fit(m)
    if offline:
        from .offline import make_offline

        make_offline(m, gazetteer=gazetteer)
    return m
