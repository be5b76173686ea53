"""Places by role (markers, clusters, area outlines), routes with direction, and the heat map."""

from __future__ import annotations

import math

import folium
from branca.element import MacroElement, Template

from ..exceptions import InputError
from ..geo import geodesic_path, unwrap_longitudes
from ..offline import keep_layer_control_last
from ._core import (FAST_MARKERS, MAX_ZOOM, ROLE_STYLE, ROUTE_COLOR, _area_shape, _ensure_legend, _extend, _fit,
                    _group, _icon, _merge, _new_map, _popup_html, _script_json, _tooltip,
                    as_records, escape_text, is_associative, is_continent_size, map_lon)

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
        self.rows = _script_json([[round(rec["lat"], 6), round(map_lon(rec), 6), rec.get("role") or "location",
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
                            icon_create_function=_CLUSTER_ICON % (color, escape_text(role)))
    cluster.add_to(fg)
    return cluster


def plot_places(items, *, m: folium.Map | None = None, role: str | None = None, gazetteer=None,
                areas: bool = True, group: str | None = None, fit: bool = True, tiles: str | None = "OpenStreetMap",
                cluster: bool = False, points: bool = True, associative: bool = False,
                continents: bool = False) -> folium.Map:
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
    associative : bool
        Also draw names that stand for a government, army or team rather than the place ("Moscow insisted":
        ``sense == "associative"`` with no movement role); by default they are left off, since nothing happened
        there.
    continents : bool
        Also draw continents and continent-size regions named as a mere ``location`` ("talks across Europe");
        with a movement role they are always drawn.

    Examples
    --------
    >>> m = plot_places(["Aleppo", (35.7, 36.35)])          # doctest: +SKIP
    >>> m = plot_places(corpus_frame, cluster=True)          # doctest: +SKIP
    """
    m = _new_map(m, tiles=tiles)
    _ensure_legend(m)
    records = as_records(items, gazetteer=gazetteer, role=role)
    if not associative:
        records = [r for r in records if not is_associative(r)]
    if not continents:
        records = [r for r in records if r.get("role") not in (None, "location")
                   or not is_continent_size(r, gazetteer)]
    merged = _merge(records)
    compact = cluster or len(merged) > FAST_MARKERS
    batches: dict[str, list[tuple[dict, list[str]]]] = {}
    for rec, sentences in merged:
        r = rec.get("role") or "location"
        style = ROLE_STYLE.get(r, ROLE_STYLE["location"])
        fg = _group(m, group or style["layer"])
        found = _area_shape(rec, gazetteer) if areas else None
        if found is not None:
            shape, exact = found
            if exact:
                look = {"color": style["color"], "weight": 1.5, "fillColor": style["color"], "fillOpacity": 0.1,
                        "className": "gn-area"}
                tooltip = _tooltip(rec, r)
            else:  # only the extent is known: a soft outline, not a shape the gazetteer does not have
                look = {"color": style["color"], "weight": 1.2, "dashArray": "6 6", "fill": False,
                        "fillOpacity": 0.0, "className": "gn-area gn-area-approximate"}
                tooltip = f"{_tooltip(rec, r)} (approximate extent)"
            folium.GeoJson(
                shape.__geo_interface__, name=escape_text(rec.get("name")), tooltip=tooltip,
                popup=folium.Popup(_popup_html(rec, sentences), max_width=360),
                style_function=lambda _f, look=look: look,
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
            folium.Marker((rec["lat"], map_lon(rec)), icon=_icon(r), tooltip=_tooltip(rec, r),
                          popup=folium.Popup(_popup_html(rec, sentences), max_width=360)).add_to(fg)
        _extend(m, rec["lat"], map_lon(rec), r)
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


def plot_transits(items, *, m: folium.Map | None = None, **kwargs) -> folium.Map:
    """Mark transits (what a movement passed over or through on its way). See :func:`plot_places`."""
    return plot_places(items, m=m, role="transit", **kwargs)


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
    records = [{**r, "map_lon": lon} for r, lon in zip(records, unwrap_longitudes(lon for _, lon in pts))]
    names = " → ".join(escape_text(r.get("name")) for r in records)
    fg = _group(m, "Routes")
    folium.PolyLine(path, color=color, weight=3, opacity=0.9, tooltip=escape_text(label) if label else names,
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
        data.append([round(rec["lat"], 5), round(map_lon(rec), 5), max(0.05, min(1.0, weight))])
        _extend(m, rec["lat"], map_lon(rec), "heat")
    HeatMap(data, name=name, radius=radius, blur=blur, min_opacity=0.3, max_zoom=MAX_ZOOM).add_to(m)
    keep_layer_control_last(m)
    if fit:
        _fit(m)
    return m
