"""folium maps of launch points, transits, targets, impacts, places and routes.

Every helper takes ``m=None`` and returns the ``folium.Map``, so calls compose::

    m = plot_launches(["Caspian Sea"])
    m = plot_impacts([(34.5, 50.1)], m=m)
    m = plot_route(["Caspian Sea", "Iran", "Iraq", "Syria"], m=m)

Inputs may be place names (geocoded with the offline gazetteer), ``(lat, lon)`` pairs, dict records, gazetteer
``Place`` objects, or a GeoDataFrame from :func:`geo_news.geoparse`. Every string shown on the map goes through
:func:`escape_text`: HTML-escaped, and inert inside the JavaScript template literals folium writes popups and
tooltips into. Icons are inline SVG (no icon font from a CDN), so they also render offline.

Dense corpora: ``cluster=True`` groups markers per role (Leaflet.markercluster), :func:`plot_heat` adds a heat-map
layer, and :func:`plot_timeline` a time slider for records with a ``date``. Above :data:`FAST_MARKERS` markers (or
when clustering) a layer's markers are written as one compact JSON array turned into markers by one small script,
not one folium ``Marker`` (a JS variable, an icon and a popup element each) per place, so 10,000 places build, save
and load in seconds.
"""

from __future__ import annotations

from ._core import (ASSOCIATIVE_LAYER, AREA_PRECISIONS, FAST_MARKERS, MAX_ZOOM, ROLE_STYLE, ROUTE_COLOR, Legend,
                    as_records, escape_text)
from .events import event_map
from .layers import (
    plot_areas, plot_heat, plot_impacts, plot_launches, plot_places, plot_route, plot_targets, plot_transits,
)
from .timeline import TIME_CONTROL_CSS, plot_timeline

__all__ = [
    "ASSOCIATIVE_LAYER", "AREA_PRECISIONS", "FAST_MARKERS", "MAX_ZOOM", "ROLE_STYLE", "ROUTE_COLOR", "TIME_CONTROL_CSS", "Legend",
    "as_records", "escape_text", "event_map", "plot_areas", "plot_heat", "plot_impacts", "plot_launches", "plot_places",
    "plot_route", "plot_targets", "plot_timeline", "plot_transits",
]
