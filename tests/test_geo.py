from geo_news.geo import geodesic_path, haversine_km, route_length_km, route_linestring, split_antimeridian


def test_haversine_matches_known_distance():
    assert abs(haversine_km(51.5074, -0.1278, 48.8566, 2.3522) - 343.6) < 1.0  # London - Paris


def test_tokyo_to_san_francisco_crosses_the_pacific():
    path = geodesic_path([(35.68, 139.69), (37.77, -122.42)], step_km=200)
    lons = [lon for _, lon in path]
    assert all(b >= a - 1e-6 for a, b in zip(lons, lons[1:])), "longitudes run east, continuously"
    assert lons[-1] > 180, "unwrapped past the antimeridian"
    assert max(lat for lat, _ in path) > 45, "a great circle bows north over the Pacific"
    assert min(lons) >= 139.0, "never swings west across Eurasia"


def test_split_gives_standard_longitudes_and_no_world_spanning_segment():
    line = route_linestring([(35.68, 139.69), (37.77, -122.42)])
    assert line.geom_type == "MultiLineString"
    for part in line.geoms:
        xs = [x for x, _ in part.coords]
        assert all(-180 <= x <= 180 for x in xs)
        assert all(abs(b - a) < 10 for a, b in zip(xs, xs[1:]))


def test_split_keeps_a_route_that_never_crosses():
    parts = split_antimeridian(geodesic_path([(41.8, 50.5), (32.0, 53.0), (35.0, 38.0)]))
    assert len(parts) == 1


def test_route_length_through_waypoints():
    direct = route_length_km([(41.8, 50.5), (35.0, 38.0)])
    via = route_length_km([(41.8, 50.5), (32.0, 53.0), (35.0, 38.0)])
    assert 1000 < direct < via < 3500


def test_short_legs_of_any_length_are_drawn():
    for step in (5, 10, 20, 30):  # a 21 km leg: 4, 2, 1 and 0 intermediate steps
        path = geodesic_path([(31.50, 34.45), (31.67, 34.57)], step_km=step)
        assert path[0] == (31.50, 34.45) and path[-1] == (31.67, 34.57)
        assert len(path) == len(set(path))


def test_haversine_many_agrees_with_haversine():
    from geo_news.geo import haversine_km, haversine_km_many

    lats, lons = [36.2, -33.9, 51.5, 36.2], [37.16, 151.2, -0.13, -142.84]
    many = haversine_km_many(35.7, 36.35, lats, lons)
    assert [round(float(d), 6) for d in many] == [round(haversine_km(35.7, 36.35, a, b), 6) for a, b in zip(lats, lons)]
