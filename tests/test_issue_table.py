"""The table of issue 13, as a new user tried it: sentences of our own, the real model and the full embedded
gazetteer. Each named place must be found and lie in the right country, within 50 km of where it is."""

import pytest

from geo_news.geo import haversine_km

pytestmark = pytest.mark.integration

TABLE = [
    ("Israeli airstrikes hit Gaza overnight.", [("Gaza", 31.50, 34.47)]),
    ("Rockets were fired from Gaza at Tel Aviv.", [("Gaza", 31.50, 34.47), ("Tel Aviv", 32.08, 34.78)]),
    ("Flights from Heathrow were cancelled.", [("Heathrow", 51.47, -0.45)]),
    ("Fighting in Bakhmut, Avdiivka and Vuhledar continued.",
     [("Bakhmut", 48.60, 38.00), ("Avdiivka", 48.14, 37.74), ("Vuhledar", 47.78, 37.25)]),
    ("The boat set off from Zuwara bound for Lampedusa.", [("Zuwara", 32.93, 12.08), ("Lampedusa", 35.51, 12.60)]),
    ("Thousands fled in the days after Azerbaijan's offensive.", [("Azerbaijan", 40.5, 47.5)]),
    ("Shells hit the port of Eilat.", [("Eilat", 29.56, 34.95)]),
]


@pytest.fixture(scope="module")
def parser(nlp, full_gazetteer):
    from geo_news.pipeline import Geoparser

    return Geoparser(nlp=nlp, gazetteer=full_gazetteer)


@pytest.mark.parametrize(("text", "expected"), TABLE, ids=[t for t, _ in TABLE])
def test_every_row_of_the_table_is_found_and_placed(parser, text, expected):
    df = parser.parse(text)
    assert df["text"].tolist() == [name for name, _, _ in expected]
    for (name, lat, lon), row in zip(expected, df.itertuples()):
        assert haversine_km(lat, lon, row.lat, row.lon) < 50, (name, row.name, row.lat, row.lon)


def test_geocoding_palmyra_gives_the_ancient_city_in_syria(full_gazetteer):
    from geo_news.geocoders import OfflineGeocoder

    location = OfflineGeocoder(gazetteer=full_gazetteer).geocode("Palmyra")
    assert haversine_km(34.55, 38.27, location.latitude, location.longitude) < 10
