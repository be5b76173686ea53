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
    assert maps.plot_places(df, m=m, gazetteer=tiny_gazetteer) is m
    assert maps.plot_route(["Caspian Sea", "Iran", (35.0, 38.0)], m=m, gazetteer=tiny_gazetteer) is m
    assert maps.plot_areas(["Syria"], m=m, gazetteer=tiny_gazetteer) is m
    html = m.get_root().render()
    assert html.count("gn-launch") >= 2 and "gn-route" in html


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
