"""Map helpers: composition, inputs, escaping, routes (HTML level; the browser tests look at the rendering)."""

import folium
import pytest

from geo_news import maps
from geo_news.exceptions import PlaceNotFoundError


def test_helpers_compose_and_accept_every_input(tiny_gazetteer, tiny_geoparser):
    df = tiny_geoparser.parse("Missiles fired from the Caspian Sea flew over Iran and hit Aleppo.")
    m = maps.plot_launches(["Caspian Sea"], gazetteer=tiny_gazetteer)
    assert isinstance(m, folium.Map)
    assert maps.plot_impacts([(36.2, 37.16)], m=m) is m
    assert maps.plot_targets([{"name": "X", "lat": 35.0, "lon": 38.0}], m=m) is m
    assert maps.plot_transits(["Iran"], m=m, gazetteer=tiny_gazetteer) is m
    assert maps.plot_places(df, m=m, gazetteer=tiny_gazetteer) is m
    assert maps.plot_route(["Caspian Sea", "Iran", (35.0, 38.0)], m=m, gazetteer=tiny_gazetteer) is m
    assert maps.plot_areas(["Syria"], m=m, gazetteer=tiny_gazetteer) is m
    html = m.get_root().render()
    assert html.count("gn-launch") >= 2 and "gn-route" in html and "gn-transit" in html


def test_event_map_layers_legend_and_routes(tiny_gazetteer, tiny_geoparser):
    df = tiny_geoparser.parse("Missiles fired from the Caspian Sea flew over Iran and Iraq and hit Aleppo.")
    m = maps.event_map(df, gazetteer=tiny_gazetteer)
    html = m.get_root().render()
    for layer in ("Launch points", "Transits", "Impacts", "Routes"):
        assert f'"{layer}"' in html
    assert "gn-legend" in html and "gn-arrow" in html
    assert "fillOpacity" in html  # areas drawn as shapes


def test_popups_escape_article_text(tiny_gazetteer):
    rec = {"name": "Aleppo <b>", "lat": 36.2, "lon": 37.16, "role": "impact",
           "sentence": "Shells <script>alert(1)</script> hit Aleppo."}
    html = maps.plot_places([rec], gazetteer=tiny_gazetteer).get_root().render()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_unknown_name_is_a_clear_error(tiny_gazetteer):
    with pytest.raises(PlaceNotFoundError, match="Atlantis"):
        maps.plot_launches(["Atlantis"], gazetteer=tiny_gazetteer)
    with pytest.raises(ValueError):
        maps.plot_route([(10.0, 10.0)])
    with pytest.raises(ValueError):
        maps.plot_places([(100.0, 10.0)])


def test_route_across_the_pacific_is_continuous(tiny_gazetteer):
    m = maps.plot_route(["Tokyo", "San Francisco"], gazetteer=tiny_gazetteer)
    line = next(c for c in m._children["feature_group_" + next(
        k.split("_", 2)[2] for k in m._children if k.startswith("feature_group_"))]._children.values()
        if isinstance(c, folium.PolyLine))
    lons = [p[1] for p in line.locations]
    assert all(abs(b - a) < 10 for a, b in zip(lons, lons[1:]))
    assert max(lons) > 180 and min(lons) > 130


def _points(n, *, dated=False):
    import random

    rng = random.Random(7)
    roles = ("launch", "impact", "location")
    return [{"name": f"P{i}", "lat": rng.uniform(-50, 60), "lon": rng.uniform(-170, 170), "role": roles[i % 3],
             **({"date": f"2024-01-{1 + i % 5:02d}"} if dated else {})} for i in range(n)]


def test_clustering_uses_one_compact_layer_per_role_and_a_max_zoom():
    m = maps.plot_places(_points(50), tiles=None, cluster=True)
    html = m.get_root().render()
    assert html.count("L.markerClusterGroup(") == 3  # launch, impact, other places
    # one small script per layer makes every marker from an array; no folium Marker per place
    assert html.count("L.marker(") == html.count("L.marker([r[0], r[1]]") == 3
    assert '"maxZoom": 18' in html  # markercluster refuses a map with no maxZoom (tiles=None has none)
    assert "gn-cluster-launch" in html and "gn-cluster-impact" in html


def test_many_markers_are_compact_and_escaped_inside_the_script():
    rows = _points(maps.FAST_MARKERS + 1)
    rows[0] = {**rows[0], "name": "A </script><script>alert(1)</script>", "sentence": "<!-- x -->"}
    html = maps.plot_places(rows, tiles=None).get_root().render()
    assert "</script><script>alert(1)" not in html and "<script>alert(1)</script>" not in html
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in html
    assert "<!-- x -->" not in html
    assert html.count("L.marker(") == html.count("L.marker([r[0], r[1]]") == 3  # one script per role layer


def test_event_map_of_a_corpus_draws_every_articles_route(tiny_geoparser):
    import pandas as pd

    a = tiny_geoparser.parse("Missiles fired from the Caspian Sea flew over Iran and Iraq and hit Aleppo.")
    b = tiny_geoparser.parse("A drone launched from Syria flew over Iraq and struck Iran.")
    assert len(a.events) and len(b.events)
    for corpus in (pd.concat([a, b]), pd.concat([a, b], ignore_index=True)):
        html = maps.event_map(corpus, tiles=None, cluster=True, heat=True).get_root().render()
        assert html.count("gn-route") == len(a.events) + len(b.events)
        assert "L.heatLayer(" in html
    plain = pd.DataFrame(a.drop(columns="geometry"))  # no .events, no geometry: routes from the rows
    assert not hasattr(plain, "events")
    assert maps.event_map(plain, tiles=None).get_root().render().count("gn-route") == len(a.events)


def test_time_slider_when_records_carry_dates():
    import pandas as pd

    from geo_news.exceptions import InputError

    frame = pd.DataFrame(_points(12, dated=True))
    html = maps.event_map(frame, tiles=None).get_root().render()
    assert "L.timeDimension(" in html and "gn-time-launch" in html
    assert '"times":["2024-01-01T00:00:00Z"]' in html
    assert "L.timeDimension(" not in maps.event_map(frame, tiles=None, time_slider=False).get_root().render()
    with pytest.raises(InputError, match="date"):
        maps.event_map(pd.DataFrame(_points(3)), tiles=None, time_slider=True)
    evil = {"name": "X</script>", "lat": 1.0, "lon": 2.0, "date": "2024-01-02", "sentence": "<script>alert(1)</script>"}
    html = maps.plot_timeline([evil], tiles=None).get_root().render()
    assert "X</script>" not in html and "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    with pytest.raises(InputError, match="not a date"):
        maps.plot_timeline([{"name": "X", "lat": 1.0, "lon": 2.0, "date": "last Tuesday-ish"}])


def test_animated_route_keeps_the_static_line_and_arrowheads():
    html = maps.plot_route([(35.68, 139.69), (37.77, -122.42)], tiles=None, animate=True).get_root().render()
    assert "L.polyline.antPath(" in html and "gn-route" in html and html.count("gn-arrow-icon") >= 2


def test_offline_page_of_every_dense_option_has_no_external_url(offline_assets, tiny_gazetteer):
    import pandas as pd

    from geo_news.offline import offline_html

    m = maps.event_map(pd.DataFrame(_points(30)), tiles=None, cluster=True, heat=True)
    maps.plot_timeline(_points(10, dated=True), m=m)
    maps.plot_route([(35.68, 139.69), (37.77, -122.42)], m=m, animate=True, markers=False)
    page = offline_html(m, basemap=True, gazetteer=tiny_gazetteer)
    assert "<script src=" not in page and '<link rel="stylesheet"' not in page  # every asset inlined
    for lib in ("leaflet.markercluster.js", "leaflet-heat.js", "leaflet.timedimension.min.js", "moment.min.js",
                "leaflet-ant-path.js"):
        assert lib in page


def test_unknown_remote_file_in_a_stylesheet_fails_loudly(tmp_path):
    from geo_news.offline import OfflineAssetError, _inline_css

    assert "data:," in _inline_css(
        "src: url('//netdna.bootstrapcdn.com/bootstrap/3.0.0/fonts/glyphicons-halflings-regular.woff')", tmp_path)
    with pytest.raises(OfflineAssetError, match="remote file"):
        _inline_css("background: url(https://example.org/x.png)", tmp_path)


@pytest.mark.parametrize("column", [None, "role", "confidence"])
def test_geodataframe_explore_works_on_our_frames_online_and_offline(offline_assets, tiny_geoparser, column):
    from geo_news.offline import offline_html

    df = tiny_geoparser.parse("Missiles fired from the Caspian Sea flew over Iran and Iraq and hit Aleppo.")
    m = df.explore(column=column, tiles=None)
    assert isinstance(m, folium.Map) and "Aleppo" in m.get_root().render()
    assert "<script src=" not in offline_html(m, basemap=False)
    assert isinstance(df.events.explore(m=m), folium.Map)  # the routes too (list columns in the tooltips)


def test_offline_event_map_saves_and_displays_self_contained(offline_assets, tiny_gazetteer, tiny_geoparser,
                                                             tmp_path):
    df = tiny_geoparser.parse("Missiles fired from the Caspian Sea flew over Iran and Iraq and hit Aleppo.")
    m = maps.event_map(df, offline=True, gazetteer=tiny_gazetteer)
    assert isinstance(m, folium.Map)
    m.save(tmp_path / "map.html")
    page = (tmp_path / "map.html").read_text(encoding="utf-8")
    assert "<script src=" not in page and "leaflet/dist/leaflet.js" in page and "Countries (offline basemap)" in page
    assert "tile.openstreetmap.org" not in page
    shown = m._repr_html_()
    assert shown.startswith("<iframe srcdoc=") and "&lt;script src=" not in shown and "gn-route" in shown


def test_escape_text_is_inert_in_html_and_in_a_template_literal():
    from geo_news.maps import escape_text

    out = escape_text("${alert(1)} `x` \\` <b onmouseover='y'>\u2028")
    assert not set(out) & set("`$\\<>'\"\u2028")
    import html

    assert html.unescape(out) == "${alert(1)} `x` \\` <b onmouseover='y'>\u2028"


@pytest.mark.parametrize("text", ["${alert(1)}", "`;alert(1);`", "\\`;alert(1)//", "\\${alert(1)}"])
def test_no_template_literal_breakout_in_popups_tooltips_or_layer_names(tiny_gazetteer, text):
    import re

    rec = {"name": text, "lat": 36.2, "lon": 37.16, "role": "impact", "sentence": text}
    m = maps.plot_places([rec], group=text)
    m = maps.plot_route([rec, (35.0, 38.0)], m=m, label=text)
    html = m.get_root().render()
    # every template literal folium wrote holds no backtick, ${ or backslash of ours
    for literal in re.findall(r"`(.*?)`", html, flags=re.S):
        assert "${" not in literal and "\\" not in literal
    assert "alert(1)" in html  # the text is there, as text


@pytest.mark.parametrize("bad", [[{"lat": 95, "lon": 10}], [{"lat": 10, "lon": 500}], [{"lat": float("nan"), "lon": 1}],
                                 [{"lat": 10, "lon": float("nan")}], [{"lat": "x", "lon": 1}], [(95, 10)], None, 5])
def test_coordinates_outside_epsg4326_are_a_clear_error(bad):
    from geo_news.exceptions import InputError

    with pytest.raises(InputError):
        maps.plot_places(bad, tiles=None)
    if isinstance(bad, list):
        with pytest.raises(InputError):
            maps.plot_route(bad + [(1.0, 1.0)], tiles=None)


def test_frames_with_a_latitude_out_of_range_are_a_clear_error():
    import pandas as pd

    from geo_news.exceptions import InputError

    frame = pd.DataFrame([{"name": "A", "lat": 95.0, "lon": 1.0}, {"name": "B", "lat": None, "lon": None}])
    with pytest.raises(InputError, match="latitude"):
        maps.plot_places(frame, tiles=None)
    assert len(maps.as_records(frame.iloc[1:])) == 0  # an unresolved row is left out, not an error


def test_route_end_markers_meet_the_line_across_the_antimeridian(tiny_gazetteer):
    m = maps.plot_route(["Tokyo", "San Francisco"], gazetteer=tiny_gazetteer)
    line = next(c for fg in m._children.values() if isinstance(fg, folium.FeatureGroup)
                for c in fg._children.values() if isinstance(c, folium.PolyLine))
    markers = [c for fg in m._children.values() if isinstance(fg, folium.FeatureGroup)
               for c in fg._children.values() if isinstance(c, folium.Marker) and "gn-icon" in str(c.icon.options)]
    ends = {tuple(round(v, 2) for v in mk.location) for mk in markers}
    assert tuple(round(v, 2) for v in line.locations[0]) in ends
    assert tuple(round(v, 2) for v in line.locations[-1]) in ends
    assert "-122.42" in m.get_root().render()  # the popup still says where San Francisco is


@pytest.mark.parametrize("text", ["{{ 7*7 }}", "{% raw %}", "{{ cycler.__init__.__globals__.os.getpid() }}", "{# x"])
def test_article_text_is_never_compiled_as_a_jinja_template(text):
    # folium compiles a popup's rendered HTML as a template again: braces from an article must stay text
    import html as html_lib

    rec = {"name": "Aleppo", "lat": 36.2, "lon": 37.16, "role": "impact", "sentence": f"Shells hit Aleppo {text}."}
    page = maps.plot_places([rec], tiles=None).get_root().render()
    quotes = [html_lib.unescape(q) for q in __import__("re").findall(r'class="gn-quote">(.*?)</blockquote>', page)]
    assert f"Shells hit Aleppo {text}." in quotes


def test_event_map_of_nothing_is_a_clear_error():
    from geo_news.exceptions import InputError

    with pytest.raises(InputError, match="nothing to map"):
        maps.event_map(None)


def test_without_the_assets_an_offline_map_names_the_install_command_and_runs_no_npm(tmp_path, monkeypatch):
    import subprocess

    from geo_news import offline

    monkeypatch.setenv("GEO_NEWS_ASSETS_DIR", str(tmp_path / "no-assets"))
    ran = []
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: ran.append(a))
    m = maps.plot_impacts([(36.2, 37.16)], tiles=None)
    with pytest.raises(offline.OfflineAssetError, match="run: geo-news assets install"):
        offline.offline_html(m, basemap=False)
    assert not ran and not (tmp_path / "no-assets").exists()


def test_names_standing_for_governments_are_drawn_only_on_request():
    import pandas as pd

    rows = [{"name": "Moscow", "lat": 55.75, "lon": 37.62, "role": "location", "sense": "associative",
             "place_id": "m", "text": "Moscow", "sentence": "Moscow insisted it was striking militants."},
            {"name": "Aleppo", "lat": 36.2, "lon": 37.16, "role": "location", "sense": "literal",
             "place_id": "a", "text": "Aleppo", "sentence": "Fighting went on near Aleppo."},
            {"name": "Kyiv", "lat": 50.45, "lon": 30.52, "role": "impact", "sense": "associative",
             "place_id": "k", "text": "Kyiv", "sentence": "Russia struck Kyiv."}]
    frame = pd.DataFrame(rows)
    html = maps.event_map(frame, tiles=None).get_root().render()
    assert "Aleppo" in html and "Moscow" not in html
    assert "Kyiv" in html  # a movement role is drawn with its event whatever its sense
    assert maps.ASSOCIATIVE_LAYER not in html
    shown = maps.event_map(frame, tiles=None, associative=True).get_root().render()
    assert "Moscow" in shown and f'"{maps.ASSOCIATIVE_LAYER}"' in shown
    assert "Moscow" not in maps.plot_places(frame, tiles=None).get_root().render()
    assert "Moscow" in maps.plot_places(frame, tiles=None, associative=True).get_root().render()


def test_an_area_known_only_by_its_extent_is_an_outline_not_a_box_and_continents_stay_off(tmp_path):
    """An area the gazetteer has no outline for is drawn as a soft, unfilled ellipse in its extent (labelled
    approximate), not as a rectangle that claims corners; a continent named as a mere location is left off unless
    asked for, and drawn when it has a movement role."""
    import pandas as pd

    from geo_news.gazetteer import Gazetteer
    from geo_news.gazetteer.build import build_from_rows

    gaz = Gazetteer(build_from_rows(tmp_path / "g.sqlite", [
        dict(id="crimea", name="Crimea", feature_class="A", feature_code="TERR", lat=45.3, lon=34.4,
             bbox=(32.45, 44.38, 36.7, 46.25)),
        dict(id="europe", name="Europe", feature_class="L", feature_code="CONT", lat=48.7, lon=9.1,
             bbox=(-24.5, 27.6, 41.7, 80.8)),
        dict(id="latam", name="Latin America", feature_class="L", feature_code="RGN", lat=-8.0, lon=-70.0,
             bbox=(-118.5, -56.0, -34.0, 32.7)),
    ]))

    def rec(pid, name, role="location"):
        return {"name": name, "lat": 0.0, "lon": 0.0, "place_id": pid, "role": role, "feature_class": "A",
                "precision": "region", "text": name, "sentence": f"Talks on {name} went on."}

    crimea = gaz.get("crimea")
    frame = pd.DataFrame([{**rec("crimea", "Crimea"), "lat": crimea.lat, "lon": crimea.lon}])
    html = maps.plot_places(frame, tiles=None, gazetteer=gaz).get_root().render()
    assert "gn-area-approximate" in html and "(approximate extent)" in html
    shape, exact = maps._core._area_shape(rec("crimea", "Crimea"), gaz)
    assert not exact and len(shape.exterior.coords) > 40  # an ellipse, not a box's five corners
    west, south, east, north = shape.bounds
    assert abs(west - 32.45) < 0.05 and abs(north - 46.25) < 0.05
    assert not shape.contains(__import__("shapely").geometry.Point(32.5, 44.4))  # the box's corner is outside

    places = pd.DataFrame([rec("europe", "Europe"), rec("latam", "Latin America"),
                           {**rec("crimea", "Crimea"), "lat": crimea.lat, "lon": crimea.lon}])
    for draw in (lambda **kw: maps.event_map(places, tiles=None, gazetteer=gaz, **kw),
                 lambda **kw: maps.plot_places(places, tiles=None, gazetteer=gaz, **kw)):
        html = draw().get_root().render()
        assert "Europe" not in html and "Latin America" not in html and "Crimea" in html
        html = draw(continents=True).get_root().render()
        assert "Europe" in html and "Latin America" in html
    launched = pd.DataFrame([rec("europe", "Europe", role="launch")])
    assert "Europe" in maps.event_map(launched, tiles=None, gazetteer=gaz).get_root().render()


def test_a_route_between_two_places_of_one_name_is_drawn_between_both(tiny_gazetteer):
    """The events table carries its waypoints as place ids and the map draws the route from them: a route from
    Tripoli (Libya) to Tripoli (Lebanon) is not a line from one Tripoli to itself."""
    from geo_news.events import group_events
    from geo_news.frames import events_frame, mentions_frame
    from geo_news.model import Mention, Place, Resolved

    libya = Place("gn:libya-tripoli", "Tripoli", 32.89, 13.19, "P", "PPLC", "LY")
    lebanon = Place("gn:lebanon-tripoli", "Tripoli", 34.44, 35.85, "P", "PPL", "LB")
    text = "The ship sailed from Tripoli to Tripoli."
    recs = [Resolved(Mention("Tripoli", 21, 28), libya, role="launch", sentence=text),
            Resolved(Mention("Tripoli", 32, 39), lebanon, role="target", sentence=text)]
    events = group_events(recs)
    df = mentions_frame(recs, events, article=text)
    assert list(events_frame(events)["waypoints"]) == [["gn:libya-tripoli", "gn:lebanon-tripoli"]]
    m = maps.event_map(df, tiles=None, gazetteer=tiny_gazetteer)
    lines = [c for c in m._children.values() for c in [c, *c._children.values()] if isinstance(c, folium.PolyLine)]
    ends = {(round(p[0], 2), round(p[1], 2)) for line in lines for p in (line.locations[0], line.locations[-1])}
    assert (32.89, 13.19) in ends and (34.44, 35.85) in ends
