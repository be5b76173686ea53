"""Integration: places conflict reporting names resolve correctly by themselves in the full embedded gazetteer.

Each name is looked up alone (no document context), as ``geo-news geocode NAME`` does, and the best match must lie
within a tolerance of where the place is: a few km for towns, tens of km for divisions (whose point is somewhere
inside), hundreds for seas and regions. Coordinates are the places' well-known positions, rounded.
"""

import pytest

from geo_news.geo import haversine_km

pytestmark = pytest.mark.integration

CITY_KM, DIVISION_KM, STRAIT_KM, SEA_KM, REGION_KM = 10, 80, 150, 400, 200

CITIES = [
    # Syria
    ("Aleppo", 36.20, 37.16), ("Damascus", 33.51, 36.29), ("Homs", 34.73, 36.72), ("Hama", 35.13, 36.75),
    ("Idlib", 35.93, 36.63), ("Raqqa", 35.95, 39.01), ("Deir ez-Zor", 35.34, 40.14), ("Latakia", 35.52, 35.79),
    ("Tartus", 34.89, 35.89), ("Daraa", 32.62, 36.10), ("Kobani", 36.89, 38.35), ("Qamishli", 37.05, 41.23),
    ("Manbij", 36.53, 37.95), ("Douma", 33.57, 36.40), ("Hasakah", 36.50, 40.75),
    # Iraq
    ("Baghdad", 33.34, 44.40), ("Mosul", 36.34, 43.13), ("Basra", 30.51, 47.78), ("Erbil", 36.19, 44.01),
    ("Kirkuk", 35.47, 44.39), ("Fallujah", 33.35, 43.78), ("Ramadi", 33.42, 43.30), ("Tikrit", 34.60, 43.68),
    ("Samarra", 34.20, 43.87), ("Najaf", 32.00, 44.33), ("Karbala", 32.61, 44.02), ("Sinjar", 36.32, 41.88),
    # Ukraine
    ("Kyiv", 50.45, 30.52), ("Kharkiv", 49.99, 36.23), ("Odesa", 46.48, 30.72), ("Mariupol", 47.10, 37.55),
    ("Bakhmut", 48.60, 38.00), ("Avdiivka", 48.14, 37.74), ("Kherson", 46.64, 32.61), ("Zaporizhzhia", 47.84, 35.14),
    ("Donetsk", 48.00, 37.80), ("Luhansk", 48.57, 39.33), ("Dnipro", 48.46, 35.04), ("Mykolaiv", 46.97, 32.00),
    ("Izium", 49.21, 37.26), ("Kramatorsk", 48.72, 37.56), ("Sievierodonetsk", 48.95, 38.49),
    ("Pokrovsk", 48.28, 37.18), ("Vuhledar", 47.78, 37.25), ("Kupiansk", 49.71, 37.62), ("Chasiv Yar", 48.59, 37.84),
    ("Bucha", 50.54, 30.21), ("Irpin", 50.52, 30.25), ("Sevastopol", 44.60, 33.52),
    # Yemen
    ("Sanaa", 15.35, 44.21), ("Aden", 12.78, 45.04), ("Hodeidah", 14.80, 42.95), ("Taiz", 13.58, 44.02),
    ("Mukalla", 14.54, 49.12),
    # Israel / Palestine
    ("Jerusalem", 31.77, 35.21), ("Tel Aviv", 32.08, 34.78), ("Haifa", 32.79, 34.99), ("Gaza City", 31.50, 34.47),
    ("Rafah", 31.28, 34.25), ("Khan Yunis", 31.34, 34.31), ("Jenin", 32.46, 35.30), ("Nablus", 32.22, 35.26),
    ("Hebron", 31.53, 35.10), ("Ramallah", 31.90, 35.20), ("Beersheba", 31.25, 34.79), ("Sderot", 31.52, 34.60),
    ("Ashkelon", 31.67, 34.57), ("Eilat", 29.56, 34.95), ("Jabalia", 31.53, 34.48),
    ("Deir al-Balah", 31.42, 34.35),
    # Libya
    ("Tripoli", 32.89, 13.19), ("Benghazi", 32.12, 20.07), ("Misrata", 32.38, 15.09), ("Sirte", 31.21, 16.59),
    ("Derna", 32.77, 22.64), ("Tobruk", 32.08, 23.96), ("Sabha", 27.04, 14.43),
    # Sudan
    ("Khartoum", 15.55, 32.53), ("Omdurman", 15.64, 32.48), ("El Fasher", 13.63, 25.35), ("Nyala", 12.05, 24.88),
    ("Port Sudan", 19.62, 37.22), ("Wad Madani", 14.40, 33.52), ("El Obeid", 13.18, 30.22), ("Geneina", 13.45, 22.44),
]

DIVISIONS = [
    ("Aleppo Governorate", 36.2, 37.4, "SY"), ("Idlib Governorate", 35.8, 36.6, "SY"),
    ("Homs Governorate", 34.5, 38.0, "SY"), ("Idlib province", 35.8, 36.6, "SY"),
    ("Nineveh Governorate", 36.0, 42.5, "IQ"), ("Anbar", 33.0, 42.0, "IQ"), ("Diyala", 33.9, 45.0, "IQ"),
    ("Kharkivska Oblast", 49.8, 36.4, "UA"), ("Donetska Oblast", 48.1, 37.7, "UA"),
    ("Marib Governorate", 15.46, 45.32, "YE"), ("North Darfur", 16.0, 26.0, "SD"),
    # two sources give Iran's province codes to different provinces: each must still sit in its own province
    ("Tehran Province", 35.6, 51.5, "IR"), ("Isfahan Province", 33.0, 52.0, "IR"), ("Khuzestan", 31.4, 48.9, "IR"),
    ("Fars Province", 29.5, 53.0, "IR"),
    # English names where the division's source has only the local form (CLDR, data/gazetteer/admin1_names.csv)
    ("South Kivu", -3.0, 28.3, "CD"), ("South Kivu province", -3.0, 28.3, "CD"), ("East Java", -7.7, 112.5, "ID"),
    ("Central Java", -7.3, 110.0, "ID"), ("Metro Manila", 14.6, 121.0, "PH"),
    # English names from Natural Earth, with the division words news uses (data/gazetteer/admin1_points.csv)
    ("Donetsk Oblast", 48.1, 37.7, "UA"), ("Zaporizhzhia Oblast", 47.6, 35.6, "UA"),
    ("Luhansk Oblast", 48.6, 39.3, "UA"), ("Kherson region", 46.7, 33.4, "UA"),
    ("Belgorod region", 50.7, 37.3, "RU"), ("Kursk Oblast", 51.6, 36.1, "RU"), ("Nineveh Province", 36.0, 42.5, "IQ"),
    ("Helmand Province", 31.0, 64.2, "AF"), ("Borno State", 11.9, 13.1, "NG"),
    # a county named in the Irish and British order
    ("County Mayo", 53.9, -9.3, "IE"), ("Co Galway", 53.35, -8.9, "IE"), ("Co. Kerry", 52.15, -9.6, "IE"),
]

WATERS = [
    ("Strait of Hormuz", 26.57, 56.25, STRAIT_KM), ("Bab el-Mandeb", 12.58, 43.33, STRAIT_KM),
    ("Kerch Strait", 45.30, 36.50, STRAIT_KM), ("Bosporus", 41.12, 29.07, STRAIT_KM),
    ("Dardanelles", 40.20, 26.40, STRAIT_KM), ("Suez Canal", 30.50, 32.35, STRAIT_KM),
    ("Taiwan Strait", 24.50, 119.50, STRAIT_KM), ("Luzon Strait", 20.50, 121.00, STRAIT_KM),
    ("Korea Strait", 34.50, 129.00, STRAIT_KM), ("Strait of Malacca", 4.00, 100.50, STRAIT_KM * 2),
    ("Red Sea", 20.0, 38.5, SEA_KM), ("Persian Gulf", 26.9, 51.5, SEA_KM), ("Gulf of Aden", 12.5, 48.0, SEA_KM),
    ("Gulf of Oman", 24.5, 58.5, SEA_KM), ("Arabian Sea", 16.0, 63.0, SEA_KM), ("Gulf of Aqaba", 28.75, 34.75, 100),
    ("Mediterranean Sea", 35.0, 18.0, SEA_KM * 2), ("Black Sea", 43.4, 34.0, SEA_KM), ("Sea of Azov", 46.0, 36.6, 150),
    ("the Caspian", 41.9, 50.7, SEA_KM), ("South China Sea", 12.0, 114.0, SEA_KM * 2),
    ("East China Sea", 29.0, 125.0, SEA_KM), ("Yellow Sea", 35.5, 123.5, SEA_KM), ("Sea of Japan", 40.0, 135.0, SEA_KM),
    ("Philippine Sea", 20.0, 130.0, SEA_KM * 2),
]

REGIONS = [
    ("Donbas", 48.2, 38.3), ("Golan Heights", 33.0, 35.75), ("Gaza Strip", 31.4, 34.38), ("West Bank", 31.95, 35.25),
    ("Sinai", 29.5, 33.8), ("Crimea", 45.3, 34.4), ("Ghab Plain", 35.7, 36.35), ("Darfur", 13.5, 24.5),
    ("Kordofan", 13.0, 29.5), ("Nagorno-Karabakh", 39.8, 46.75), ("Shebaa Farms", 33.3, 35.7),
    ("South Ossetia", 42.3, 44.0), ("Abkhazia", 43.0, 41.0), ("Transnistria", 47.2, 29.4), ("Kashmir", 34.0, 75.5),
    ("Scarborough Shoal", 15.15, 117.76), ("Spratly Islands", 10.0, 114.3), ("Paracel Islands", 16.5, 112.0),
]

VILLAGES = [
    # GeoNames villages of a few hundred people (populations as GeoNames lists them)
    ("Krynky", "UA", 46.73, 33.08), ("Staromaiorske", "UA", 47.75, 36.79), ("Urozhaine", "UA", 47.75, 36.82),
    ("Santok", "PL", 52.74, 15.41), ("Judaydat Yabus", "SY", 33.65, 35.97), ("Meron", "IL", 32.99, 35.44),
    ("Nevatim", "IL", 31.22, 34.88),
]

FUZZY = [
    # spellings with no exact entry: found by fuzzy lookup only
    ("Mariupl", 47.10, 37.55, CITY_KM),
    ("Kramatorks", 48.72, 37.56, CITY_KM), ("Benghazy", 32.12, 20.07, CITY_KM), ("Deir Ezzor", 35.34, 40.14, CITY_KM),
]


def _best(gaz, name, country=None):
    found = gaz.lookup(name, country=country, limit=1)
    assert found, f"{name!r} is not in the gazetteer"
    return found[0]


@pytest.mark.parametrize(("name", "lat", "lon"), CITIES, ids=[c[0] for c in CITIES])
def test_towns(full_gazetteer, name, lat, lon):
    place = _best(full_gazetteer, name)
    assert place.feature_class == "P", place
    assert haversine_km(place.lat, place.lon, lat, lon) < CITY_KM, place


@pytest.mark.parametrize(("name", "lat", "lon", "cc"), DIVISIONS, ids=[d[0] for d in DIVISIONS])
def test_first_level_divisions(full_gazetteer, name, lat, lon, cc):
    place = _best(full_gazetteer, name)
    assert place.feature_code == "ADM1" and place.country_code == cc, place
    assert haversine_km(place.lat, place.lon, lat, lon) < DIVISION_KM, place


@pytest.mark.parametrize(("name", "lat", "lon", "km"), WATERS, ids=[w[0] for w in WATERS])
def test_straits_and_seas(full_gazetteer, name, lat, lon, km):
    place = _best(full_gazetteer, name)
    assert place.feature_class == "H", place
    assert haversine_km(place.lat, place.lon, lat, lon) < km, place


@pytest.mark.parametrize(("name", "lat", "lon"), REGIONS, ids=[r[0] for r in REGIONS])
def test_frontlines_and_regions(full_gazetteer, name, lat, lon):
    place = _best(full_gazetteer, name)
    assert place.feature_class in ("A", "L", "T"), place
    assert haversine_km(place.lat, place.lon, lat, lon) < REGION_KM, place


def test_disputed_areas_name_every_claimant(full_gazetteer):
    assert {"UA", "RU"} <= set(_best(full_gazetteer, "Crimea").country_codes)
    assert {"SY", "IL"} <= set(_best(full_gazetteer, "Golan Heights").country_codes)


@pytest.mark.parametrize(("name", "cc", "lat", "lon"), VILLAGES, ids=[v[0] for v in VILLAGES])
def test_villages_of_a_few_hundred_people(full_gazetteer, name, cc, lat, lon):
    place = _best(full_gazetteer, name, cc)
    assert place.feature_class == "P" and 0 < place.population < 1000, place
    assert haversine_km(place.lat, place.lon, lat, lon) < CITY_KM, place
    # the village's point lies inside its country's Natural Earth polygon (or within a few km of its border)
    country = full_gazetteer.reverse(place.lat, place.lon)["country"]
    assert country is None or country.country_code == cc or haversine_km(place.lat, place.lon, lat, lon) < 5


def test_namesakes_abroad_need_the_country(full_gazetteer):
    # bare "Palmyra" is Palmyra, Pennsylvania by prior; the Syrian site needs its country (or the document)
    palmyra = _best(full_gazetteer, "Palmyra", "SY")
    assert haversine_km(palmyra.lat, palmyra.lon, 34.56, 38.28) < CITY_KM


@pytest.mark.parametrize(("name", "lat", "lon", "km"), FUZZY, ids=[f[0] for f in FUZZY])
def test_spelling_variants_by_fuzzy_lookup(full_gazetteer, name, lat, lon, km):
    assert full_gazetteer.lookup(name) == []
    place = full_gazetteer.lookup(name, fuzzy=True)[0]
    assert haversine_km(place.lat, place.lon, lat, lon) < km, place


def _cli(*args):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "geo_news", *args], capture_output=True, text=True, timeout=300)


def test_cli_geocode_fuzzy_and_country(full_gazetteer):
    import json

    assert _cli("geocode", "Mariupl", "--format", "json").returncode == 1
    out = _cli("geocode", "Mariupl", "--fuzzy", "--format", "json")
    assert out.returncode == 0, out.stderr
    best = json.loads(out.stdout)[0]
    assert best["name"] == "Mariupol" and best["match"] == "fuzzy" and 80 <= best["score"] < 100
    syria = json.loads(_cli("geocode", "Palmyra", "--country", "SY", "--format", "json").stdout)[0]
    assert syria["country_code"] == "SY" and syria["match"] == "exact"
    table = _cli("geocode", "Kramatorks", "--fuzzy")
    assert table.returncode == 0 and "Kramatorsk" in table.stdout and "fuzzy" in table.stdout


def test_cli_gazetteer_info(full_gazetteer):
    import json

    info = json.loads(_cli("gazetteer", "info", "--format", "json").stdout)
    assert info["path"] == str(full_gazetteer.path) and info["size_bytes"] == full_gazetteer.path.stat().st_size
    assert info["mode"] == "embedded" and info["tier"] == "500" and info["fuzzy_keys"] > 500_000
    assert {s["name"] for s in info["sources"]} >= {"admin1", "continent", "country", "curated", "geonames",
                                                     "ne-marine"}
    assert all(s["version"] and s["licence"] and s["rows"] > 0 for s in info["sources"])
    text = _cli("gazetteer", "info").stdout
    assert text.startswith(f"path     {full_gazetteer.path}\n") and "mode     embedded, tier 500" in text


@pytest.mark.parametrize(("name", "lat", "lon"), [("Heathrow", 51.47, -0.46), ("Mitiga Airport", 32.89, 13.28),
                                                  ("Ben Gurion", 32.01, 34.89), ("O'Hare", 41.98, -87.90)])
def test_airports_by_the_names_news_uses(full_gazetteer, name, lat, lon):
    best = full_gazetteer.lookup(name, limit=1)[0]
    assert best.feature_code == "AIRP" and haversine_km(best.lat, best.lon, lat, lon) < 10


def test_a_country_has_one_capital_not_every_namesake_of_it(full_gazetteer):
    capitals = [p for p in full_gazetteer.lookup("Washington", country="US", limit=40) if p.feature_code == "PPLC"]
    assert len(capitals) == 1 and haversine_km(capitals[0].lat, capitals[0].lon, 38.90, -77.04) < CITY_KM


@pytest.mark.parametrize(("name", "lat", "lon"), [("Palmyra", 34.55, 38.27), ("Nimrud", 36.10, 43.33),
                                                  ("Hatra", 35.59, 42.72), ("Leptis Magna", 32.64, 14.29)])
def test_ancient_sites_news_names_apart_from_the_modern_town(full_gazetteer, name, lat, lon):
    place = full_gazetteer.lookup(name)[0]
    assert place.feature_code == "ANS" and haversine_km(place.lat, place.lon, lat, lon) < CITY_KM


# (point, the first-level division that holds it): reverse geocoding names the division from its outline,
# including Iran's, whose ISO codes the two sources give different provinces, and divisions across the antimeridian
HELD_BY = [
    ((36.20, 37.16), "SY-HL"), ((48.00, 37.80), "UA-14"), ((35.70, 51.42), "IR-23"), ((11.85, 13.16), "NG-BO"),
    ((-1.68, 29.22), "CD-NK"), ((51.01, -3.10), "GB-SOM"), ((64.84, -147.72), "US-AK"), ((51.88, -176.64), "US-AK"),
    ((64.9, 176.0), "RU-CHU"),
]


@pytest.mark.parametrize(("point", "code"), HELD_BY, ids=[f"{h[1]} {h[0]}" for h in HELD_BY])
def test_reverse_geocoding_names_the_division_that_holds_a_point(full_gazetteer, point, code):
    found = full_gazetteer.reverse(*point)["admin1"]
    assert found is not None and found.id.startswith(f"csc:{code}:"), found


def test_a_division_across_the_antimeridian_has_an_extent_that_wraps(full_gazetteer):
    """Chukotka spans 170 E to 170 W: its extent wraps over the antimeridian instead of covering every longitude,
    so a town in central Siberia is not "in" it."""
    from geo_news.model import Place, inside

    chukotka = _best(full_gazetteer, "Chukotka", "RU")
    west, south, east, north = chukotka.bbox
    assert west > east and west > 150 and east < -160, chukotka.bbox
    assert inside(Place("a", "Anadyr", 64.73, 177.5), chukotka)
    assert not inside(Place("n", "Norilsk", 69.35, 88.2), chukotka)
