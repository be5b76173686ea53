"""What every map helper shares: role styles and icons, input records, layers, popups, the legend, the view."""

from __future__ import annotations

import html
import json
import math
from collections.abc import Iterable, Sequence
from typing import Any

import folium
from branca.element import MacroElement, Template

from ..exceptions import InputError, PlaceNotFoundError
from ..model import ROLES, Place
from ..textio import without_lone_surrogates

ROLE_STYLE = {
    "launch": {"color": "#c0392b", "label": "Launch", "layer": "Launch points", "shape": "triangle"},
    "transit": {"color": "#e67e22", "label": "Transit", "layer": "Transits", "shape": "diamond"},
    "target": {"color": "#8e44ad", "label": "Target", "layer": "Targets", "shape": "ring"},
    "impact": {"color": "#111111", "label": "Impact", "layer": "Impacts", "shape": "star"},
    "location": {"color": "#2471a3", "label": "Other place", "layer": "Other places", "shape": "circle"},
}
ASSOCIATIVE_LAYER = "Names standing for a state (associative)"
"""The layer of names that stand for a government, army or team ("Moscow insisted"), drawn only on request."""
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


def is_associative(rec: dict) -> bool:
    """A record of a name standing for a government, army or team, with no movement role: not a place where
    anything happened (see :mod:`geo_news.sense`)."""
    return rec.get("sense") == "associative" and (rec.get("role") or "location") == "location"


def _icon(role: str, size: int = 20) -> folium.DivIcon:
    style = ROLE_STYLE.get(role, ROLE_STYLE["location"])
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 20 20" '
           f'fill="{style["color"]}" stroke="{style["color"]}" stroke-width="1.2">{_SVG[style["shape"]]}</svg>')
    return folium.DivIcon(html=f'<div class="gn-marker gn-{role}">{svg}</div>', icon_size=(size, size),
                          icon_anchor=(size // 2, size // 2), class_name="gn-icon")


# Characters that HTML escaping leaves alone but that mean something where folium puts our HTML:
# * inside a JavaScript template literal (`...`), a backtick ends the literal, ``${`` starts code and a backslash
#   escapes the next character; U+2028/U+2029 end lines in older engines;
# * folium renders a popup's HTML and then compiles the result as a Jinja template again (``Popup.render``), so
#   ``{{ ... }}`` or ``{% ... %}`` in an article would run as Python in the process that saves the map.
# As character references they are plain text to the HTML parser that reads the literal's value, and nothing at
# all to JavaScript or Jinja.
_TEMPLATE_SAFE = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;", "{": "&#123;", "}": "&#125;",
                                "\u2028": "&#8232;", "\u2029": "&#8233;"})


def escape_text(value: Any) -> str:
    """Text to put in a popup, tooltip, legend, layer name or title: HTML-escaped, and inert in the templates
    folium puts it through.

    Escaping ``<>&"'`` is not enough for folium's output: popups and tooltips are JavaScript template literals,
    where a backtick, ``${`` or a backslash in an article would run as code when the map opens, and a popup's
    HTML is compiled again as a Jinja template, where ``{{ ... }}`` would run as Python when the map is saved.
    This is the one function every string from outside (article text, place names, labels, titles) goes
    through on its way to a map.

    Examples
    --------
    >>> escape_text("${alert(1)} <b>`x`</b> {{ 7*7 }}")
    '&#36;&#123;alert(1)&#125; &lt;b&gt;&#96;x&#96;&lt;/b&gt; &#123;&#123; 7*7 &#125;&#125;'
    """
    text = without_lone_surrogates("" if value is None else str(value))  # a page must encode as UTF-8
    return html.escape(text, quote=True).translate(_TEMPLATE_SAFE)



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
    from ..gazetteer import open_default

    return open_default()


def _from_place(p: Place, **extra) -> dict:
    return p.record(**extra)


def _number(value: Any) -> float | None:
    """A coordinate as a float; None when it is missing (None, NaN, pandas' NA)."""
    if value is None or isinstance(value, bool):
        return None if value is None else float("nan")
    try:
        number = float(value)
    except (TypeError, ValueError):
        return float("nan")
    return None if math.isnan(number) and not isinstance(value, str) else number


def _checked(rec: dict, what: Any) -> dict:
    """``rec`` with float ``lat``/``lon`` inside EPSG:4326's range, or an :class:`InputError` saying which item."""
    lat, lon = _number(rec.get("lat")), _number(rec.get("lon"))
    if lat is None or lon is None:
        raise InputError(f"{_short(what)} has no coordinates (lat={rec.get('lat')!r}, lon={rec.get('lon')!r}); "
                         "drop unresolved places or give numbers")
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise InputError(f"{_short(what)} has lat={rec.get('lat')!r}, lon={rec.get('lon')!r}: a latitude must be a "
                         "number from -90 to 90 and a longitude one from -180 to 180 (EPSG:4326 degrees)")
    out = {**rec, "lat": lat, "lon": lon}
    if out.get("map_lon") is not None:
        shown = _number(out["map_lon"])
        turns = (shown - lon) / 360.0 if shown is not None and math.isfinite(shown) else 0.5
        if abs(turns - round(turns)) > 1e-9:
            raise InputError(f"{_short(what)} has map_lon={out['map_lon']!r}, which is not its longitude "
                             f"{lon} shifted by a multiple of 360")
        out["map_lon"] = shown
    return out


def map_lon(rec: dict) -> float:
    """The longitude to draw a record at: its own, or ``map_lon`` (the same meridian, on a route's side of the
    antimeridian, so a Tokyo → San Francisco line and the San Francisco marker meet)."""
    return rec["map_lon"] if rec.get("map_lon") is not None else rec["lon"]


def _short(item: Any, limit: int = 80) -> str:
    text = repr(item)
    return text if len(text) <= limit else text[:limit] + "...'"


def as_records(items, *, gazetteer=None, role: str | None = None) -> list[dict]:
    """Normalise names, ``(lat, lon)`` pairs, dicts, ``Place`` objects or a GeoDataFrame into dict records.

    A record may carry ``map_lon``, its longitude shifted by a multiple of 360° to be drawn beside a route that
    crosses the antimeridian (:func:`geo_news.geo.unwrap_longitudes`); popups still give the true longitude.

    Rows of a frame without coordinates (unresolved mentions) are left out; any other item without valid
    coordinates is an :class:`InputError`. Raises :class:`PlaceNotFoundError` for a name the offline gazetteer
    does not know.
    """
    import pandas as pd

    if items is None:
        raise InputError("nothing to map: give place names, (lat, lon) pairs, records or a GeoDataFrame, not None")
    if isinstance(items, pd.DataFrame):
        frame = items
        if "lat" not in frame.columns and "geometry" in frame.columns:
            frame = frame.assign(lat=frame.geometry.y, lon=frame.geometry.x)
        if "lat" not in frame.columns or "lon" not in frame.columns:
            raise InputError("a frame to map needs 'lat' and 'lon' columns or point geometries; it has "
                             f"{_short(list(frame.columns))}")
        rows = [r for r in frame.drop(columns="geometry", errors="ignore").to_dict("records")
                if _number(r.get("lat")) is not None and _number(r.get("lon")) is not None]
        return [_checked({**r, "role": role or r.get("role") or "location"}, r.get("name", r)) for r in rows]
    if isinstance(items, (str, Place, dict)) or (isinstance(items, tuple) and len(items) == 2
                                                 and all(isinstance(v, (int, float)) for v in items)):
        items = [items]
    try:
        items = list(items)
    except TypeError as err:
        raise InputError(f"cannot map {_short(items)}: give place names, (lat, lon) pairs, records or a "
                         "GeoDataFrame") from err
    out = []
    for item in items:
        if isinstance(item, Place):
            rec = _from_place(item)
        elif isinstance(item, str):
            found = _gazetteer(gazetteer).lookup(item, limit=1)
            if not found:
                raise PlaceNotFoundError(f"no place called {_short(item)} in the offline gazetteer; pass (lat, lon) "
                                         "instead")
            rec = _from_place(found[0], text=item)
        elif isinstance(item, dict):
            if "lat" not in item or "lon" not in item:
                raise InputError(f"a record needs 'lat' and 'lon': {_short(item)}")
            rec = dict(item)
        elif isinstance(item, Sequence) and len(item) == 2:
            rec = _checked({"lat": item[0], "lon": item[1]}, item)
            rec["name"] = f"{rec['lat']:.4f}, {rec['lon']:.4f}"
        else:
            raise InputError(f"cannot place {_short(item)}: give a name, (lat, lon), a record or a GeoDataFrame")
        rec = _checked(rec, item)
        rec["role"] = role or rec.get("role") or "location"
        out.append(rec)
    return out


class RoleLayer(folium.FeatureGroup):
    """A layer of one kind of feature (a role, routes, areas), found again by its ``key`` when another helper adds
    to the same map (``plot_launches(..., m=m)`` after ``event_map``)."""

    def __init__(self, key: str) -> None:
        super().__init__(name=escape_text(key), show=True)  # the layer control shows the name as HTML
        self.key = key


def _children(m: folium.Map, kind: type) -> list:
    return [child for child in m._children.values() if isinstance(child, kind)]


def _group(m: folium.Map, name: str) -> folium.FeatureGroup:
    found = [layer for layer in _children(m, RoleLayer) if layer.key == name]
    return found[0] if found else RoleLayer(name).add_to(m)


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


CONTINENT_EXTENT = (40.0, 30.0)
"""Degrees of longitude and latitude from which an area counts as continent-size (with feature code CONT)."""


def _area_place(rec: dict, gazetteer):
    if rec.get("precision") not in AREA_PRECISIONS and rec.get("feature_class") not in {"A", "H", "L"}:
        return None
    pid = rec.get("place_id")
    if not pid:
        return None
    place = _gazetteer(gazetteer).get(pid)
    return place if place is not None and place.is_area else None


def _width(west: float, east: float) -> float:
    return east - west if west <= east else east + 360.0 - west


def is_continent_size(rec: dict, gazetteer=None) -> bool:
    """A continent, or a region as large as one ("Europe", "Latin America"): as a mere ``location`` it says
    nothing a map can show, so maps leave it off unless asked (``continents=True``)."""
    if rec.get("feature_code") == "CONT":
        return True
    place = _area_place(rec, gazetteer)
    if place is not None and place.feature_code == "CONT":
        return True
    if place is None or place.bbox is None or place.feature_code.startswith("PCL") or place.feature_class == "H":
        return False  # countries and seas are drawn as what they are, however large
    west, south, east, north = place.bbox
    return _width(west, east) >= CONTINENT_EXTENT[0] and north - south >= CONTINENT_EXTENT[1]


def _area_shape(rec: dict, gazetteer):
    """``(geometry, exact)`` of an area: its outline from the gazetteer, else, when only its extent is known, an
    ellipse inscribed in that extent (``exact`` False: drawn as a soft, unfilled, labelled uncertainty outline,
    never as a box that claims corners); None for a place that is not an area."""
    place = _area_place(rec, gazetteer)
    if place is None:
        return None
    shape = _gazetteer(gazetteer).shape(place)
    if shape is not None:
        return shape.simplify(0.03, preserve_topology=True), True
    if place.bbox is not None:
        from shapely import affinity
        from shapely.geometry import Point

        west, south, east, north = place.bbox
        width = _width(west, east)
        centre = Point(west + width / 2, (south + north) / 2)
        return affinity.scale(centre.buffer(1.0, quad_segs=24), width / 2, (north - south) / 2), False
    return None


class ViewPoints(MacroElement):
    """The points the helpers drew, with their roles: what the view is fitted to (renders nothing)."""

    _template = Template("")

    def __init__(self) -> None:
        super().__init__()
        self._name = "GeoNewsViewPoints"
        self.points: list[tuple[float, float, str]] = []


def _view_points(m: folium.Map) -> ViewPoints:
    found = _children(m, ViewPoints)
    return found[0] if found else ViewPoints().add_to(m)


def _extend(m: folium.Map, lat: float, lon: float, role: str = "location") -> None:
    _view_points(m).points.append((lat, lon, role))


def _fit(m: folium.Map) -> None:
    """Fit the view to what moved (launches, transits, targets, impacts, routes) when there is any, else all."""
    pts = _view_points(m).points
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
    table = "".join(f"<tr><th>{escape_text(k)}</th><td>{escape_text(v)}</td></tr>"
                    for k, v in rows if v not in (None, ""))
    quotes = "".join(f'<blockquote class="gn-quote">{escape_text(s)}</blockquote>' for s in sentences[:3])
    more = f"<p>and {len(sentences) - 3} more mentions</p>" if len(sentences) > 3 else ""
    return (f'<div class="gn-popup"><h4>{escape_text(rec.get("name"))}</h4><table>{table}</table>'
            f'{quotes}{more}</div>')


def _date_text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    import pandas as pd

    if value is pd.NaT or value is pd.NA:
        return None
    return value.isoformat()[:10] if hasattr(value, "isoformat") else str(value)


def _tooltip(rec: dict, role: str) -> str:
    label = ROLE_STYLE.get(role, ROLE_STYLE["location"])["label"].lower()
    return f"{escape_text(rec.get('name'))} — {escape_text(label)}"


def _script_json(value: Any) -> str:
    """JSON safe to put inside a ``<script>`` element (no ``</`` or ``<!--`` that would end or confuse it)."""
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            .replace("</", "<\\/").replace("<!--", "<\\!--")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


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
        self.title = escape_text(title)
        rows = []
        for role in ROLES:
            style = ROLE_STYLE[role]
            rows.append(f"<div>{_icon(role, 14).options['html']}<span>{style['label']}</span></div>")
        rows.append(f'<div><svg width="22" height="8"><line x1="0" y1="4" x2="22" y2="4" stroke="{ROUTE_COLOR}" '
                    f'stroke-width="3"/></svg><span>Route</span></div>')
        self.rows = "".join(rows)
        self._template = Template(_LEGEND)


def _ensure_legend(m: folium.Map) -> None:
    if not _children(m, Legend):
        Legend().add_to(m)
