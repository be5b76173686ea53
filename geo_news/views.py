"""Extension points a lower layer offers and a face fills: how a table shows itself as a map.

``geo_news.frames`` makes the tables and knows no map library; ``geo_news.maps`` draws them and imports the
tables. So that ``GeoParse.explore_map()`` and a notebook's rich display still draw the map, the package's face
(``geo_news/__init__.py``, which Python runs before any submodule) registers the drawer here, and ``frames`` asks
for it when a map is wanted. Nothing here imports anything of geo_news.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

MapView = Callable[..., Any]

_map_view: MapView | None = None


def set_map_view(view: MapView | None) -> MapView | None:
    """Register the function that draws a geoparsed table's map (``view(frame, **kwargs) -> folium.Map``);
    returns the one it replaces. ``geo_news`` registers :func:`geo_news.maps.event_map` on import."""
    global _map_view
    previous, _map_view = _map_view, view
    return previous


def map_view() -> MapView | None:
    """The registered map drawer, or None."""
    return _map_view
