"""folium maps of launch points, transits, targets, impacts, places and routes.

Every helper takes ``m=None`` and returns the ``folium.Map``, so calls compose::

    m = plot_launches(["Caspian Sea"])
    m = plot_impacts([(34.5, 50.1)], m=m)
    m = plot_route(["Caspian Sea", "Iran", "Iraq", "Syria"], m=m)

Inputs may be place names (geocoded with the offline gazetteer), ``(lat, lon)`` pairs, dict records, gazetteer
``Place`` objects, or a GeoDataFrame from :func:`geo_news.geoparse`. Text shown on the map is always
HTML-escaped. Icons are inline SVG (no icon font from a CDN), so they also render offline.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from typing import Any

import folium
from branca.element import MacroElement, Template

from .exceptions import PlaceNotFoundError
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
    return folium.Map(location=(30, 20), zoom_start=3, tiles=tiles, max_zoom=18, control_scale=True,
                      world_copy_jump=True, **kwargs)


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


def _popup(rec: dict, sentences: Sequence[str]) -> folium.Popup:
    role = rec.get("role", "location")
    rows = [("Role", ROLE_STYLE.get(role, {}).get("label", role)), ("Precision", rec.get("precision")),
            ("Confidence", f"{rec['confidence']:.2f}" if isinstance(rec.get("confidence"), float) else None),
            ("Gazetteer id", rec.get("place_id")), ("Reported by", rec.get("attribution")),
            ("Coordinates", f"{rec['lat']:.4f}, {rec['lon']:.4f}")]
    table = "".join(f"<tr><th>{_esc(k)}</th><td>{_esc(v)}</td></tr>" for k, v in rows if v not in (None, ""))
    quotes = "".join(f'<blockquote class="gn-quote">{_esc(s)}</blockquote>' for s in sentences[:3])
    more = f"<p>and {len(sentences) - 3} more mentions</p>" if len(sentences) > 3 else ""
    body = f'<div class="gn-popup"><h4>{_esc(rec.get("name"))}</h4><table>{table}</table>{quotes}{more}</div>'
    return folium.Popup(body, max_width=360)


def _group(m: folium.Map, name: str) -> folium.FeatureGroup:
    for child in m._children.values():
        if isinstance(child, folium.FeatureGroup) and getattr(child, "_gn_name", None) == name:
            return child
    fg = folium.FeatureGroup(name=name, show=True)
    fg._gn_name = name
    fg.add_to(m)
    return fg


def _merge(records: Iterable[dict]) -> list[tuple[dict, list[str]]]:
    """One feature per (place, role), quoting every sentence that mentions it."""
    merged: dict[tuple, tuple[dict, list[str]]] = {}
    for rec in records:
        key = (rec.get("place_id") or (round(rec["lat"], 5), round(rec["lon"], 5)), rec.get("role"))
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


def plot_places(items, *, m: folium.Map | None = None, role: str | None = None, gazetteer=None,
                areas: bool = True, group: str | None = None, fit: bool = True, tiles: str | None = "OpenStreetMap"
                ) -> folium.Map:
    """Mark places on a map, each with its role's icon, a tooltip and an escaped popup.

    Areas (countries, divisions, seas, regions) are drawn as their outline with a light fill, since a pin at a
    centroid would claim a precision the text does not give.

    Examples
    --------
    >>> m = plot_places(["Aleppo", (35.7, 36.35)])          # doctest: +SKIP
    """
    m = _new_map(m, tiles=tiles)
    _ensure_legend(m)
    records = as_records(items, gazetteer=gazetteer, role=role)
    for rec, sentences in _merge(records):
        r = rec.get("role") or "location"
        style = ROLE_STYLE.get(r, ROLE_STYLE["location"])
        fg = _group(m, group or style["layer"])
        tooltip = f"{_esc(rec.get('name'))} — {_esc(style['label'].lower())}"
        shape = _area_shape(rec, gazetteer) if areas else None
        if shape is not None:
            folium.GeoJson(
                shape.__geo_interface__, name=_esc(rec.get("name")), tooltip=tooltip, popup=_popup(rec, sentences),
                style_function=lambda _f, c=style["color"]: {"color": c, "weight": 1.5, "fillColor": c,
                                                              "fillOpacity": 0.1, "className": "gn-area"},
            ).add_to(fg)
            w, s, e, n = shape.bounds
            if e - w < 300:
                _extend(m, s, w, r)
                _extend(m, n, e, r)
        folium.Marker((rec["lat"], rec["lon"]), icon=_icon(r), tooltip=tooltip, popup=_popup(rec, sentences)
                      ).add_to(fg)
        _extend(m, rec["lat"], rec["lon"], r)
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
               tiles: str | None = "OpenStreetMap", step_km: float = 50.0) -> folium.Map:
    """Draw a geodesic route through waypoints, with arrowheads showing its direction.

    The line follows great circles (WGS84 geodesics) and is drawn continuously across the antimeridian: a
    Tokyo → San Francisco route crosses the Pacific, not Eurasia.

    Parameters
    ----------
    waypoints : sequence
        Names, ``(lat, lon)`` pairs, records or a GeoDataFrame, in route order (at least two).
    arrows : int
        Arrowheads per leg, besides the one at the end.

    Examples
    --------
    >>> m = plot_route(["Caspian Sea", "Iran", "Iraq", "Syria"])      # doctest: +SKIP
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
.gn-icon, .gn-arrow-icon { background: none; border: none; }
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


def event_map(result, *, m: folium.Map | None = None, roles: Sequence[str] = ROLES, routes: bool = True,
              areas: bool = True, gazetteer=None, tiles: str | None = "OpenStreetMap", title: str | None = None,
              layer_control: bool = True, basemap: bool = False) -> folium.Map:
    """The map of a geoparsed article: places by role (one layer each), areas, routes with direction.

    Parameters
    ----------
    result : GeoParse or GeoDataFrame
        The output of :func:`geo_news.geoparse` (its ``.events`` give the routes).
    roles : sequence of str
        Which roles to draw.
    routes, areas : bool
        Draw event routes; draw areas as outlines.
    tiles : str or None
        A folium tile name, or None for no tile layer.
    basemap : bool
        Add the offline Natural Earth country layer (for maps that must render with no network).

    Examples
    --------
    >>> import geo_news
    >>> m = geo_news.event_map(geo_news.geoparse(text))      # doctest: +SKIP
    >>> m.save("map.html")                                     # doctest: +SKIP
    """
    m = _new_map(m, tiles=tiles)
    if title:
        m.get_root().html.add_child(folium.Element(f"<title>{_esc(title)}</title>"))
    _ensure_legend(m)
    if basemap:
        from .offline import add_basemap

        add_basemap(m, gazetteer=gazetteer)
        m._gn_basemap = True
    records = as_records(result)
    moving = {r.get("place_id") for r in records if r.get("role") not in (None, "location")}
    for role in ROLES:
        if role in roles:
            picked = [r for r in records if r.get("role") == role]
            if role == "location":  # a place already drawn for its movement role is not drawn again
                picked = [r for r in picked if r.get("place_id") not in moving]
            if picked:
                plot_places(picked, m=m, gazetteer=gazetteer, areas=areas, fit=False)
    events = getattr(result, "events", None)
    if routes and events is not None and len(events):
        by_name = {}
        for r in records:
            by_name.setdefault(r.get("name"), r)
        for _, ev in events.iterrows():
            ends = list(ev["targets"][:1]) or list(ev["impacts"][:1])
            names = [*ev["launch"][:1], *ev["transits"], *ends]
            pts = [by_name[n] for n in names if n in by_name]
            if len(pts) >= 2:
                plot_route(pts, m=m, markers=False, fit=False, label=" → ".join(names))
    if layer_control:
        folium.LayerControl(collapsed=False).add_to(m)
    _fit(m)
    return m
