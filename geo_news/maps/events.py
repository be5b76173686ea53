"""The map of a geoparsed article or corpus: every role's layer, areas, routes, heat and time slider."""

from __future__ import annotations

from collections.abc import Sequence

import folium

from ..exceptions import InputError
from ..geo import unwrap_longitudes
from ..model import ROLES, route_order
from ._core import (ASSOCIATIVE_LAYER, _ensure_legend, _fit, _new_map, _timestamp, as_records, escape_text,
                    is_associative, is_continent_size)
from .layers import plot_heat, plot_places, plot_route
from .timeline import plot_timeline


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
        pts: list[dict] = []
        for rec in route_order(by_role["launch"], by_role["transit"], by_role["target"], by_role["impact"]):
            if not pts or (rec.get("place_id"), rec.get("name")) != (pts[-1].get("place_id"), pts[-1].get("name")):
                pts.append(rec)
        if len(pts) >= 2:
            routes.append(pts)
    return routes


def _event_routes(result, records: list[dict]) -> list[tuple[list[dict], str]]:
    """Each event's route as the mention rows of its waypoints, found by place id (never by name: two places of
    one name stay two), with its label; a table without the events' waypoints (a corpus, a user's subset) has its
    routes rebuilt from the rows' event and role."""
    events = getattr(result, "events", None)
    single = len({r.get("_gn_doc", 0) for r in records}) <= 1
    if single and events is not None and len(events) and "waypoints" in events.columns:
        by_id: dict = {}
        for r in records:
            if r.get("place_id") is not None:
                by_id.setdefault(r["place_id"], r)
        out = []
        for waypoints in events["waypoints"]:
            pts = [by_id[i] for i in waypoints if i in by_id]
            if len(pts) >= 2:
                out.append((pts, " → ".join(str(p.get("name")) for p in pts)))
        return out
    return [(pts, " → ".join(str(p.get("name")) for p in pts)) for pts in _record_routes(records)]


def event_map(result, *, m: folium.Map | None = None, roles: Sequence[str] = ROLES, routes: bool = True,
              areas: bool = True, gazetteer=None, tiles: str | None = "OpenStreetMap", title: str | None = None,
              layer_control: bool = True, basemap: bool = False, cluster: bool = False, heat: bool = False,
              time_slider: bool | None = None, animate: bool = False, offline: bool = False,
              associative: bool = False, continents: bool = False) -> folium.Map:
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
    associative : bool
        Also draw, in a layer of their own, the names that stand for a government, army or team ("Moscow
        insisted", ``sense == "associative"``); by default they are left off the map, since nothing happened
        there. A name with a movement role is drawn with its event whatever its sense.
    continents : bool
        Also draw continents and continent-size regions named as a mere ``location`` ("markets across Europe"):
        by default they are left off, since such an area shows nothing; with a movement role they are drawn.

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
        m.get_root().html.add_child(folium.Element(f"<title>{escape_text(title)}</title>"))
    _ensure_legend(m)
    if basemap:
        from ..offline import add_basemap

        add_basemap(m, gazetteer=gazetteer)
    if isinstance(result, pd.DataFrame):
        records = as_records(pd.DataFrame(result).assign(_gn_doc=_doc_keys(result)))
    else:
        records = as_records(result, gazetteer=gazetteer)
    actors = [r for r in records if is_associative(r)]  # names standing for a state: nothing happened there
    records = [r for r in records if not is_associative(r)]
    if not continents:  # "across Europe" as a mere location: nothing a map can show
        records = [r for r in records
                   if r.get("role") not in (None, "location") or not is_continent_size(r, gazetteer)]
    dated = [r for r in records if _timestamp(r) is not None]
    if time_slider is None:
        time_slider = bool(dated)
    if time_slider and not dated:
        raise InputError("time_slider=True needs records with a 'date' column; none has a date")
    timed = {id(r) for r in dated} if time_slider else set()
    drawn_routes = _event_routes(result, records) if routes else []
    shifted: dict = {}  # a route's places are drawn on its side of the antimeridian, where its line ends
    for pts, _ in drawn_routes:
        for rec, lon in zip(pts, unwrap_longitudes(p["lon"] for p in pts)):
            shifted.setdefault((rec.get("_gn_doc"), rec.get("place_id") or rec.get("name")), lon)
    for rec in records:
        lon = shifted.get((rec.get("_gn_doc"), rec.get("place_id") or rec.get("name")))
        if lon is not None and lon != rec["lon"]:
            rec["map_lon"] = lon
    moving = {r.get("place_id") for r in records if r.get("role") not in (None, "location")}
    for role in ROLES:
        if role in roles:
            picked = [r for r in records if r.get("role") == role]
            if role == "location":  # a place already drawn for its movement role is not drawn again
                picked = [r for r in picked if r.get("place_id") not in moving]
                if associative and actors:
                    plot_places(actors, m=m, gazetteer=gazetteer, areas=False, fit=False, cluster=cluster,
                                group=ASSOCIATIVE_LAYER, associative=True)
            undated = [r for r in picked if id(r) not in timed]
            if undated:
                plot_places(undated, m=m, gazetteer=gazetteer, areas=areas, fit=False, cluster=cluster,
                            continents=continents)
            if areas and len(undated) < len(picked):
                plot_places([r for r in picked if id(r) in timed], m=m, gazetteer=gazetteer, fit=False,
                            points=False, continents=continents)
    for pts, label in drawn_routes:
        plot_route(pts, m=m, markers=False, fit=False, label=label, animate=animate, gazetteer=gazetteer)
    if heat:
        plot_heat(records, m=m, fit=False)
    if time_slider:
        plot_timeline([r for r in records if id(r) in timed and r.get("role") in roles], m=m, fit=False)
    if layer_control:
        folium.LayerControl(collapsed=False).add_to(m)
    _fit(m)
    if offline:
        from ..offline import make_offline

        make_offline(m, gazetteer=gazetteer)
    return m
