"""The user's reference case (../shared/seed) and our own sample article, with the real model and gazetteer."""

import json
import subprocess
import sys

import pytest

from geo_news.geo import haversine_km

from .conftest import ARTICLES, SEED

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def seed_records(seed_text, full_gazetteer):
    out = subprocess.run([sys.executable, "-m", "geo_news", "extract", str(SEED), "--format", "jsonl"],
                         capture_output=True, text=True, timeout=300, check=True)
    return [json.loads(line) for line in out.stdout.splitlines()]


def _where(records, **cond):
    return [r for r in records if all(r.get(k) == v for k, v in cond.items())]


def test_caspian_is_the_launch_area(seed_records):
    launches = [r for r in seed_records if r["text"] in ("Caspian", "Caspian Sea") and r["role"] == "launch"]
    assert launches and all(r["name"] == "Caspian Sea" for r in launches)
    assert all(haversine_km(r["lat"], r["lon"], 41.9, 50.7) < 400 for r in launches)


def test_iran_and_iraq_are_transits_of_the_flight(seed_records):
    flight = [r for r in seed_records if "traveled" in r["sentence"] and "Caspian" in r["sentence"]]
    assert {r["name"]: r["role"] for r in flight if r["name"] in ("Iran", "Iraq")} == {"Iran": "transit",
                                                                                      "Iraq": "transit"}


def test_syria_is_the_target(seed_records):
    aimed = [r for r in seed_records if "aimed" in r["sentence"] and r["name"] == "Syria"]
    assert [r["role"] for r in aimed] == ["target"]


def test_iran_is_a_reported_impact(seed_records):
    impacts = [r for r in seed_records if r["name"] == "Iran" and r["role"] == "impact"]
    assert any("crashed" in r["sentence"] for r in impacts)
    assert any("landed" in r["sentence"] and "rural" in r["sentence"] for r in impacts)
    assert all(r["precision"] == "country" for r in impacts)


@pytest.mark.parametrize(("surface", "lat", "lon", "km"), [
    ("Aleppo", 36.20, 37.16, 30), ("Ghab Plain", 35.7, 36.35, 40), ("Moscow", 55.75, 37.62, 30),
    ("Ankara", 39.93, 32.86, 30), ("Crimea", 45.3, 34.4, 150), ("South China Sea", 12.0, 113.0, 600),
])
def test_places_located_correctly(seed_records, surface, lat, lon, km):
    found = _where(seed_records, text=surface)
    assert found, f"{surface} not found"
    for r in found:
        assert r["lat"] is not None and haversine_km(r["lat"], r["lon"], lat, lon) < km, r


@pytest.mark.parametrize(("surface", "cc"), [("Ukraine", "UA"), ("Turkey", "TR"), ("France", "FR"),
                                             ("Iraq", "IQ"), ("Syria", "SY"), ("Iran", "IR")])
def test_countries_resolved(seed_records, surface, cc):
    found = _where(seed_records, text=surface)
    assert found and all(r["country_code"] == cc and r["feature_code"] == "PCLI" for r in found)


@pytest.mark.parametrize("word", ["Tom", "Reuters", "ISIS", "Russian", "Turkish", "Daesh", "Assad", "IRNA"])
def test_no_person_organisation_or_nationality(seed_records, word):
    assert not [r for r in seed_records if r["text"] == word]


def test_contradicting_accounts_keep_who_said_it(seed_records):
    crash = [r for r in seed_records if r["name"] == "Iran" and r["role"] == "impact" and "crashed" in r["sentence"]]
    assert crash and "official" in (crash[0]["attribution"] or "")


def test_sample_article_tells_the_same_story(full_gazetteer):
    import geo_news

    df = geo_news.geoparse((ARTICLES / "caspian-cruise-missiles-2015.txt").read_text(encoding="utf-8"))
    pairs = set(zip(df["name"], df["role"]))
    assert {("Caspian Sea", "launch"), ("Iran", "transit"), ("Iraq", "transit"), ("Syria", "target"),
            ("Iran", "impact")} <= pairs
    ev = df.events
    assert len(ev) == 1
    assert ev.iloc[0]["launch"] == ["Caspian Sea"] and ev.iloc[0]["transits"] == ["Iran", "Iraq"]
    assert ev.iloc[0]["targets"][0] == "Syria" and "Iran" in ev.iloc[0]["impacts"]
    ghab = df[df["text"] == "Ghab Plain"].iloc[0]
    assert haversine_km(ghab["lat"], ghab["lon"], 35.7, 36.35) < 40
    for name in ("Crimea", "South China Sea", "Turkey", "France"):
        assert not set(df[df["name"] == name]["role"]) & {"launch", "impact"}


def test_names_standing_for_governments_are_associative(seed_records):
    insisted = [r for r in seed_records if "Moscow has insisted" in r["sentence"] and r["text"] == "Moscow"]
    assert insisted and {r["sense"] for r in insisted} == {"associative"}
    for name in ("Ghab Plain", "Caspian", "Caspian Sea"):
        assert {r["sense"] for r in seed_records if r["text"] == name} == {"literal"}, name
    # every place of the event is literal, and "the outskirts of Aleppo" is a place
    assert {r["sense"] for r in seed_records if r["role"] != "location"} == {"literal"}
    assert "literal" in {r["sense"] for r in seed_records if r["text"] == "Aleppo"}


def test_the_four_missiles_that_came_down_in_iran_are_counted_on_the_impact(seed_records):
    crashed = [r for r in seed_records if r["role"] == "impact" and "crashed in Iran" in r["sentence"]]
    assert crashed and all(r["count"] == 4 and r["quantity"].lower() == "four" for r in crashed)
    assert len({r["event"] for r in seed_records if r["role"] != "location"} - {None}) == 1
