"""Places that appear at their date under a time slider (Leaflet.TimeDimension)."""

from __future__ import annotations

import folium

from ..exceptions import InputError
from ._core import (_ensure_legend, _extend, _fit, _icon, _merge, _new_map, _popup_html, _script_json, _timestamp,
                    _tooltip, as_records, map_lon)


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
    if any(isinstance(child, TimestampedGeoJson) for child in m._children.values()):
        raise InputError("this map already has a time slider: pass all dated records in one call")
    _ensure_legend(m)
    features = []
    for rec, sentences in _merge(as_records(items, gazetteer=gazetteer), by_date=True):
        when = _timestamp(rec)
        if when is None:
            raise InputError(f"{rec.get('name')!r} has no date: a time slider needs a 'date' on every record")
        role = rec.get("role") or "location"
        features.append({
            "type": "Feature", "geometry": {"type": "Point", "coordinates": [map_lon(rec), rec["lat"]]},
            "properties": {"times": [when], "icon": "marker", "tooltip": _tooltip(rec, role),
                           "popup": _popup_html(rec, sentences),
                           "iconstyle": {"iconUrl": _svg_data_uri(role), "iconSize": [20, 20],
                                         "iconAnchor": [10, 10], "className": f"gn-time gn-time-{role}"}}})
        _extend(m, rec["lat"], map_lon(rec), role)
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
    if fit:
        _fit(m)
    return m
