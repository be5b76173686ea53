"""Records ↔ tables: the one place GeoDataFrames and GeoJSON are made (EPSG:4326, ``Point(lon, lat)``)."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from .events import event_route
from .exceptions import GeoNewsError
from .model import Event, Resolved
from .views import map_view

CRS = "EPSG:4326"
COLUMNS = (
    "text", "start", "end", "name", "lat", "lon", "feature_class", "feature_code", "country_code", "role",
    "confidence", "sentence", "precision", "place_id", "sentence_index", "cue", "attribution", "mover", "event",
    "sense", "count", "quantity", "when", "event_date",
)
MAP_REPR_MAX_ROWS = 5000
EVENT_COLUMNS = ("event", "launch", "transits", "targets", "impacts", "waypoints", "sentences", "route_km", "count",
                 "impact_counts", "when", "event_date")
"""``launch`` ... ``impacts`` are the places' names, for reading; ``waypoints`` the route's places in order as
place ids (``place_id`` of the mention rows), which is what maps draw the route from: two places of one name
("Tripoli" in Libya and in Lebanon) stay two."""


class GeoParse(gpd.GeoDataFrame):
    """A geoparsed article: one row per place mention, with ``.events`` (a GeoDataFrame of events and routes)
    and ``.article`` (the text the offsets refer to)."""

    _metadata = ["events", "article"]

    @property
    def _constructor(self):
        return GeoParse

    def explore_map(self, **kwargs):
        """The interactive event map of this result (see :func:`geo_news.maps.event_map`, which the package
        registers as this table's map view: :mod:`geo_news.views`)."""
        view = map_view()
        if view is None:
            raise GeoNewsError("no map view is registered for geoparsed tables; import geo_news (it registers "
                               "geo_news.maps.event_map) or call geo_news.views.set_map_view")
        return view(self, **kwargs)

    def _repr_html_(self) -> str:
        """In a notebook: the event map above the table (the map is left out for very large results)."""
        table = super()._repr_html_() or ""
        if not len(self) or len(self) > MAP_REPR_MAX_ROWS or self["lat"].isna().all():
            hint = (f"<p><em>{len(self):,} rows: call <code>.explore_map(cluster=True)</code> for the map.</em></p>"
                    if len(self) > MAP_REPR_MAX_ROWS else "")
            return hint + table
        try:
            m = self.explore_map()
        except Exception as err:  # a table is still worth showing when the map cannot be drawn
            import logging

            logging.getLogger(__name__).warning("no map for this result: %s", err)
            return table
        return m._repr_html_() + table


def _record(r: Resolved, event_of: dict[int, int]) -> dict:
    p = r.place
    return {
        "text": r.mention.text, "start": r.mention.start, "end": r.mention.end,
        "name": p.name if p else None, "lat": p.lat if p else math.nan, "lon": p.lon if p else math.nan,
        "feature_class": p.feature_class if p else None, "feature_code": p.feature_code if p else None,
        "country_code": p.country if p else None, "role": r.role,
        "confidence": r.confidence, "sentence": r.sentence, "precision": r.precision or None,
        "place_id": p.id if p else None, "sentence_index": r.mention.sentence_index, "cue": r.cue or None,
        "attribution": r.attribution or None, "mover": r.mover or None, "event": event_of.get(id(r)),
        "sense": r.sense, "count": r.count, "quantity": r.quantity or None, "when": r.when or None,
        "event_date": r.event_date or None,
        "geometry": Point(p.lon, p.lat) if p else None,
    }


def mentions_frame(resolved: Sequence[Resolved], events: Sequence[Event] = (), *, article: str = "") -> GeoParse:
    """One row per mention with every contract column (unresolved mentions keep empty coordinates)."""
    event_of = {}
    for e in events:
        for r in (*e.launch, *e.transits, *e.targets, *e.impacts):
            event_of[id(r)] = e.id
    records = [_record(r, event_of) for r in resolved]
    df = pd.DataFrame.from_records(records, columns=[*COLUMNS, "geometry"])
    df["event"] = df["event"].astype("Int64")
    df["count"] = df["count"].astype("Int64")
    frame = GeoParse(df, geometry="geometry", crs=CRS)
    frame.events = events_frame(events)
    frame.article = article
    return frame


def events_frame(events: Sequence[Event]) -> gpd.GeoDataFrame:
    """One row per event: the places by role and the route geometry."""
    from .geo import route_length_km

    rows = []
    for e in events:
        names = lambda rs: [r.place.name for r in rs if r.place]  # noqa: E731
        pts = [(r.place.lat, r.place.lon) for r in e.waypoints]
        rows.append({
            "event": e.id, "launch": names(e.launch), "transits": names(e.transits), "targets": names(e.targets),
            "impacts": names(e.impacts), "waypoints": [r.place.id for r in e.waypoints],
            "sentences": list(e.sentences),
            "route_km": round(route_length_km(pts), 1) if len(pts) > 1 else 0.0,
            "count": e.count, "impact_counts": [r.count for r in e.impacts if r.place],
            "when": e.when or None, "event_date": e.event_date or None,
            "geometry": event_route(e),
        })
    df = pd.DataFrame.from_records(rows, columns=[*EVENT_COLUMNS, "geometry"])
    df["count"] = df["count"].astype("Int64")
    return gpd.GeoDataFrame(df, geometry="geometry", crs=CRS)


def to_records(frame: pd.DataFrame) -> list[dict]:
    """Plain JSON-ready dicts of the contract columns (NaN → None)."""
    out = []
    for rec in frame.drop(columns="geometry", errors="ignore").to_dict(orient="records"):
        out.append({k: (None if (isinstance(v, float) and math.isnan(v)) or v is pd.NA else v)
                    for k, v in rec.items()})
    return out


def to_geojson(frame: gpd.GeoDataFrame) -> str:
    """A GeoJSON FeatureCollection of every mention, one feature each, in text order; a mention the gazetteer
    could not place has a null geometry (RFC 7946, 3.2), so the file keeps what the table keeps."""
    features = []
    for rec, geom in zip(to_records(frame), frame.geometry):
        point = None if geom is None or geom.is_empty else {"type": "Point", "coordinates": [geom.x, geom.y]}
        features.append({"type": "Feature", "geometry": point, "properties": rec})
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, default=str)
