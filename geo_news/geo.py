"""Geodesy: great-circle distances, geodesic routes through waypoints, antimeridian handling."""

from __future__ import annotations

import math
from collections.abc import Sequence

EARTH_RADIUS_KM = 6371.0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km on a sphere of radius 6371 km (the scoring rule's distance).

    Examples
    --------
    >>> round(haversine_km(36.2, 37.16, 35.7, 36.35))
    92
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def haversine_km_many(lat: float, lon: float, lats, lons):
    """:func:`haversine_km` from one point to many at once (numpy arrays of degrees); returns an array of km."""
    import numpy as np

    p1, p2 = math.radians(lat), np.radians(lats)
    dp, dl = p2 - p1, np.radians(np.asarray(lons) - lon)
    a = np.sin(dp / 2) ** 2 + math.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))


def unwrap_longitudes(lons) -> list[float]:
    """Shift each longitude by a multiple of 360° to lie within 180° of the one before it.

    Drawn in these longitudes, a path and the markers at its waypoints meet on the same side of the
    antimeridian (Tokyo at 139.7, San Francisco at 237.6 rather than -122.4).

    Examples
    --------
    >>> [round(lon, 2) for lon in unwrap_longitudes([139.69, -122.42, -74.0])]
    [139.69, 237.58, 286.0]
    """
    out: list[float] = []
    for lon in lons:
        lon = float(lon)
        if out:
            lon += 360.0 * round((out[-1] - lon) / 360.0)
        out.append(lon)
    return out


def geodesic_path(points: Sequence[tuple[float, float]], *, step_km: float = 50.0) -> list[tuple[float, float]]:
    """Densify a route through ``(lat, lon)`` waypoints along WGS84 geodesics.

    Longitudes are *unwrapped*: each one is shifted by ±360° to stay within 180° of the previous one, so a
    Tokyo → San Francisco route runs east across the Pacific (longitudes beyond 180) instead of back across
    Eurasia. Use :func:`split_antimeridian` to get standard longitudes for GeoJSON.

    Examples
    --------
    >>> path = geodesic_path([(35.68, 139.69), (37.77, -122.42)])
    >>> max(lon for _, lon in path) > 180
    True
    """
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    if len(points) < 2:
        return [(float(lat), float(lon)) for lat, lon in points]
    out: list[tuple[float, float]] = [(float(points[0][0]), float(points[0][1]))]
    for (lat1, lon1), (lat2, lon2) in zip(points, points[1:]):
        _, _, dist_m = geod.inv(lon1, lat1, lon2, lat2)
        npts = int(dist_m / 1000.0 / step_km) + 1  # points including both ends
        if npts >= 3:
            r = geod.inv_intermediate(lon1, lat1, lon2, lat2, npts=npts, initial_idx=0, terminus_idx=0,
                                      return_back_azimuth=True)
            seg = list(zip(r.lats, r.lons))[1:-1]
        else:
            seg = []
        for lat, lon in [*seg, (lat2, lon2)]:
            out.append((float(lat), unwrap_longitudes([out[-1][1], lon])[1]))
    return out


def split_antimeridian(path: Sequence[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """Cut an unwrapped ``(lat, lon)`` path where it crosses ±180°, returning parts in standard longitudes."""
    parts: list[list[tuple[float, float]]] = [[]]
    for i, (lat, lon) in enumerate(path):
        wrapped = ((lon + 180.0) % 360.0) - 180.0
        if i and parts[-1]:
            plat, plon = path[i - 1]
            k_prev, k_cur = math.floor((plon + 180.0) / 360.0), math.floor((lon + 180.0) / 360.0)
            if k_prev != k_cur:
                edge = 180.0 + 360.0 * min(k_prev, k_cur)
                t = (edge - plon) / (lon - plon)
                mid_lat = plat + t * (lat - plat)
                sign = 1.0 if lon > plon else -1.0
                parts[-1].append((mid_lat, 180.0 * sign))
                parts.append([(mid_lat, -180.0 * sign)])
        parts[-1].append((lat, wrapped))
    return [p for p in parts if len(p) >= 2]


def route_linestring(points: Sequence[tuple[float, float]], *, step_km: float = 50.0):
    """A shapely (Multi)LineString in EPSG:4326 through the waypoints, split at the antimeridian."""
    from shapely.geometry import LineString, MultiLineString

    parts = split_antimeridian(geodesic_path(points, step_km=step_km))
    lines = [LineString([(lon, lat) for lat, lon in part]) for part in parts]
    if not lines:
        return None
    return lines[0] if len(lines) == 1 else MultiLineString(lines)


def route_length_km(points: Sequence[tuple[float, float]]) -> float:
    """Geodesic length in km of a route through ``(lat, lon)`` waypoints."""
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    return sum(geod.inv(a[1], a[0], b[1], b[0])[2] for a, b in zip(points, points[1:])) / 1000.0
