"""Tables at the edge: the GeoParse frame, its notebook display, its exports."""

import json

from geo_news.frames import GeoParse, to_geojson, to_records


def test_frame_keeps_events_and_article_through_operations(tiny_geoparser):
    text = "Missiles fired from the Caspian Sea flew over Iran and hit Aleppo."
    df = tiny_geoparser.parse(text)
    assert isinstance(df, GeoParse) and df.article == text
    sub = df[df["role"] != "location"]
    assert isinstance(sub, GeoParse) and len(sub.events) == 1


def test_notebook_display_shows_map_and_table(tiny_geoparser, tiny_gazetteer, monkeypatch):
    import geo_news.maps._core as maps_core

    df = tiny_geoparser.parse("Missiles fired from the Caspian Sea flew over Iran and hit Aleppo.")
    monkeypatch.setattr(maps_core, "_gazetteer", lambda g: tiny_gazetteer)
    html = df._repr_html_()
    assert "iframe" in html or "leaflet" in html.lower()
    assert "<table" in html and "Caspian Sea" in html


def test_the_map_is_the_view_the_package_registers_and_frames_knows_no_map_library(tiny_geoparser, tiny_gazetteer,
                                                                                    monkeypatch):
    import subprocess
    import sys

    import folium
    import pytest

    import geo_news.maps._core as maps_core
    from geo_news import views
    from geo_news.exceptions import GeoNewsError

    df = tiny_geoparser.parse("Missiles fired from the Caspian Sea flew over Iran and hit Aleppo.")
    monkeypatch.setattr(maps_core, "_gazetteer", lambda g: tiny_gazetteer)
    assert isinstance(df.explore_map(), folium.Map)  # geo_news registered geo_news.maps.event_map on import
    drawn = []
    previous = views.set_map_view(lambda frame, **kw: drawn.append((len(frame), kw)) or "a map")
    try:
        assert df.explore_map(cluster=True) == "a map" and drawn == [(len(df), {"cluster": True})]
        views.set_map_view(None)
        with pytest.raises(GeoNewsError, match="no map view"):
            df.explore_map()
    finally:
        views.set_map_view(previous)
    # a process that imports only the tables' module gets the map view too (the package's face runs first),
    # and does not load folium until a map is drawn
    code = ("import sys, geo_news.frames, geo_news.views as v; "
            "assert v.map_view() is not None; assert 'folium' not in sys.modules; print('ok')")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip() == "ok"


def test_exports_are_plain_json(tiny_geoparser):
    df = tiny_geoparser.parse("Fighting was reported in Zzyzxville Valley and in Aleppo.")
    recs = to_records(df)
    json.dumps(recs)  # no NaN, no numpy types that json cannot write
    fc = json.loads(to_geojson(df))
    assert [f["properties"]["text"] for f in fc["features"]] == [r["text"] for r in recs]
    assert [r["text"] for r in recs] == ["Zzyzxville Valley", "Aleppo"]
    assert fc["features"][0]["geometry"] is None and fc["features"][0]["properties"]["lat"] is None
    assert fc["features"][1]["geometry"]["type"] == "Point"


def test_subsets_stay_geoparse_and_round_trip_through_geoparquet(tiny_geoparser, tmp_path):
    import geopandas

    df = tiny_geoparser.parse("Missiles fired from the Caspian Sea flew over Iran and Iraq and hit Aleppo.")
    launches = df[df["role"] == "launch"]
    assert isinstance(launches, GeoParse) and launches["name"].tolist() == ["Caspian Sea"]
    df.to_parquet(tmp_path / "m.parquet")
    back = geopandas.read_parquet(tmp_path / "m.parquet")
    assert back.crs.to_epsg() == 4326 and back["name"].tolist() == df["name"].tolist()
    assert list(back.columns) == list(df.columns) and back.geometry.equals(df.geometry)
