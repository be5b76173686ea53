"""geo_news: find the places a news article names, resolve them offline, give each its role, and map them.

Examples
--------
>>> import geo_news
>>> df = geo_news.geoparse(open("data/articles/caspian-cruise-missiles-2015.txt").read())   # doctest: +SKIP
>>> m = geo_news.event_map(df)                                                            # doctest: +SKIP
"""

from __future__ import annotations

from importlib import import_module

from . import views as _views
from ._version import __version__

__all__ = [
    "Gazetteer",
    "GeoNewsError",
    "GeoParse",
    "Geoparser",
    "OfflineGeocoder",
    "__version__",
    "evaluate",
    "event_map",
    "extract_events",
    "geoparse",
    "geoparse_many",
    "make_offline",
    "open_gazetteer",
    "plot_areas",
    "plot_heat",
    "plot_impacts",
    "plot_launches",
    "plot_places",
    "plot_route",
    "plot_targets",
    "plot_transits",
    "plot_timeline",
    "save_offline",
]

# Nothing heavy is imported until used: `import geo_news` stays fast and loads no model or database.
_LAZY = {
    "Gazetteer": ("geo_news.gazetteer", "Gazetteer"),
    "open_gazetteer": ("geo_news.gazetteer", "open_default"),
    "GeoNewsError": ("geo_news.exceptions", "GeoNewsError"),
    "GeoParse": ("geo_news.frames", "GeoParse"),
    "Geoparser": ("geo_news.pipeline", "Geoparser"),
    "geoparse": ("geo_news.pipeline", "geoparse"),
    "geoparse_many": ("geo_news.pipeline", "geoparse_many"),
    "event_map": ("geo_news.maps", "event_map"),
    "plot_areas": ("geo_news.maps", "plot_areas"),
    "plot_impacts": ("geo_news.maps", "plot_impacts"),
    "plot_launches": ("geo_news.maps", "plot_launches"),
    "plot_places": ("geo_news.maps", "plot_places"),
    "plot_route": ("geo_news.maps", "plot_route"),
    "plot_targets": ("geo_news.maps", "plot_targets"),
    "plot_transits": ("geo_news.maps", "plot_transits"),
    "plot_heat": ("geo_news.maps", "plot_heat"),
    "plot_timeline": ("geo_news.maps", "plot_timeline"),
    "make_offline": ("geo_news.offline", "make_offline"),
    "save_offline": ("geo_news.offline", "save_offline"),
    "OfflineGeocoder": ("geo_news.geocoders", "OfflineGeocoder"),
    "extract_events": ("geo_news.pipeline", "extract_events"),
}


def _event_map(frame, **kwargs):
    """A geoparsed table's map (``GeoParse.explore_map``, a notebook's display): the tables' layer knows no map
    library, so the face offers the map to it (:mod:`geo_news.views`); folium is imported when a map is drawn."""
    from .maps import event_map

    return event_map(frame, **kwargs)


_views.set_map_view(_event_map)

_SUBMODULES = frozenset({"evaluate"})
"""Submodules listed in ``__all__``: ``geo_news.evaluate`` works without importing it first."""


def __getattr__(name: str):
    if name in _SUBMODULES:
        value = import_module(f"geo_news.{name}")
        globals()[name] = value
        return value
    if name in _LAZY:
        module, attr = _LAZY[name]
        value = getattr(import_module(module), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'geo_news' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
