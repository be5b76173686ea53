"""Full mode: importing GeoNames dump files, on small fixture files in the real formats (tests/fixtures/geonames)."""

import shutil
import zipfile
from pathlib import Path

import pytest

from geo_news.exceptions import GazetteerBuildError
from geo_news.gazetteer import Gazetteer
from geo_news.gazetteer.build import build_geonames
from geo_news.gazetteer.sources import geonames_dump
from geo_news.geo import haversine_km

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "geonames"


@pytest.fixture(scope="module")
def dump_gazetteer(tmp_path_factory):
    gaz = Gazetteer(build_geonames(tmp_path_factory.mktemp("dump") / "full.sqlite", FIXTURES))
    yield gaz
    gaz.close()


def test_readers_parse_every_column():
    places = {p.geonameid: p for p in geonames_dump.iter_places(FIXTURES / "allCountries.txt")}
    aleppo = places[170063]
    assert (aleppo.name, aleppo.feature_class, aleppo.feature_code, aleppo.country_code, aleppo.admin1) == \
        ("Aleppo", "P", "PPLA", "SY", "09")
    assert aleppo.population == 1602264 and abs(aleppo.lat - 36.20124) < 1e-9 and "Halab" in aleppo.alternatenames
    alts = list(geonames_dump.iter_alternate_names(FIXTURES / "alternateNamesV2.txt"))
    assert {a.lang for a in alts}.isdisjoint({"link", "post"})  # URLs and postcodes are not names
    kharkov = next(a for a in alts if a.name == "Kharkov")
    assert kharkov.historic and not kharkov.preferred and kharkov.geonameid == 706483
    assert geonames_dump.read_admin1(FIXTURES / "admin1CodesASCII.txt")["SY.09"] == \
        ("Aleppo Governorate", "Aleppo Governorate", 170062)
    countries = geonames_dump.read_country_info(FIXTURES / "countryInfo.txt")
    assert sorted(countries) == ["PL", "SY", "UA"]  # the '#' header lines are skipped
    assert countries["SY"]["geonameid"] == 163843 and countries["SY"]["iso3"] == "SYR"


def test_readers_stream(tmp_path):
    # a malformed last line fails only when reached: rows before it were already yielded, nothing was preloaded
    bad = tmp_path / "allCountries.txt"
    bad.write_text((FIXTURES / "allCountries.txt").read_text(encoding="utf-8") + "123\tcut short\n",
                   encoding="utf-8")
    rows = geonames_dump.iter_places(bad)
    assert next(rows).geonameid == 6255148
    with pytest.raises(GazetteerBuildError, match=r"allCountries.txt:12: expected at least 15 tab-separated"):
        list(rows)


def test_dump_places_resolve(dump_gazetteer):
    gaz = dump_gazetteer
    aleppo = gaz.lookup("Aleppo")[0]
    assert aleppo.id == "gn:170063" and aleppo.source == "geonames" and aleppo.population == 1602264
    assert haversine_km(aleppo.lat, aleppo.lon, 36.2, 37.16) < 2
    assert gaz.lookup("Alepo")[0].id == "gn:170063"            # alternateNamesV2 (es)
    assert gaz.lookup("حلب")[0].id == "gn:170063"               # alternateNamesV2 (ar)
    assert gaz.lookup("Kharkov")[0].id == "gn:706483"           # historic English name
    assert gaz.lookup("Харьков")[0].id == "gn:706483"
    assert gaz.lookup("Raqqah")[0].id == "gn:172955"            # "al-Raqqah" also answers to "Raqqah"
    assert gaz.lookup("Wola Fikcyjna")[0].population == 212     # a village of a few hundred people
    assert gaz.lookup("Tall Fixture Hill")[0].feature_class == "T"


def test_dump_keeps_name_languages_and_kinds(dump_gazetteer):
    names = set(dump_gazetteer.names_of(dump_gazetteer.get("gn:170063")))
    assert {("Aleppo", "en", "official"), ("حلب", "ar", "alternate"), ("Alepo", "es", "alternate")} <= names
    assert not any(n.startswith("http") or n == "21111" for n, _, _ in names)
    # with alternateNamesV2 present, the dump's unlabelled alternatenames column is not used
    assert dump_gazetteer.lookup("Halab") == []
    assert dump_gazetteer.lookup("Nowhere In This Dump") == []


def test_countries_divisions_continents_and_curated(dump_gazetteer):
    gaz = dump_gazetteer
    syria = gaz.lookup("Syria")[0]
    assert syria.id == "gn:163843" and syria.source == "country" and gaz.shape(syria) is not None
    assert gaz.lookup("SYR")[0].id == "gn:163843" and gaz.lookup("Syrian Arab Republic")[0].id == "gn:163843"
    poland = gaz.lookup("Poland")[0]   # no row of its own in the dump: placed inside its Natural Earth polygon
    assert poland.id == "gn:798544" and gaz.reverse(poland.lat, poland.lon)["country"].id == "gn:798544"
    governorate = gaz.lookup("Aleppo Governorate")[0]
    assert governorate.source == "admin1" and governorate.admin1 == "09" and governorate.feature_code == "ADM1"
    assert gaz.lookup("Europe")[0].source == "continent"   # one continent row, not the dump's copy as well
    assert gaz.lookup("Ghab Plain")[0].source == "curated"
    assert gaz.lookup("the Caspian")[0].feature_code == "SEA"
    assert gaz.reverse(36.2, 37.16)["country"].id == "gn:163843"


def test_info_names_the_dump(dump_gazetteer):
    info = dump_gazetteer.info()
    assert info["mode"] == "geonames" and "allCountries.txt" in info["geonames_files"]
    sources = {s["name"]: s for s in info["sources"]}
    assert sources["geonames"]["version"].startswith("allCountries.txt ") and sources["geonames"]["rows"] == 6
    assert sources["country"]["rows"] == 3 and sources["admin1"]["rows"] == 2 and sources["curated"]["rows"] > 1500
    assert dump_gazetteer.fuzzy_lookup("Kharkiw")[0][0].id == "gn:706483"


def test_cities500_without_alternate_names(tmp_path):
    # citiesN.txt has no country or division rows and may come without alternateNamesV2, zipped
    src = tmp_path / "dump"
    src.mkdir()
    lines = (FIXTURES / "allCountries.txt").read_text(encoding="utf-8").splitlines(keepends=True)
    cities = [line for line in lines if line.split("\t")[6] == "P"]
    with zipfile.ZipFile(src / "cities500.zip", "w") as archive:
        archive.writestr("cities500.txt", "".join(cities))
    for name in ("admin1CodesASCII.txt", "countryInfo.txt"):
        shutil.copy(FIXTURES / name, src / name)
    gaz = Gazetteer(build_geonames(tmp_path / "c.sqlite", src))
    assert gaz.lookup("Halab")[0].id == "gn:170063"          # from the alternatenames column
    assert gaz.lookup("Syria")[0].id == "gn:163843"
    assert gaz.lookup("Kharkivska Oblast")[0].source == "admin1"  # divisions from countrystatecity-countries
    info = gaz.info()
    assert info["geonames_files"] == "cities500.zip, admin1CodesASCII.txt, countryInfo.txt"
    assert {s["name"]: s["licence"] for s in info["sources"]}["admin1"] == "ODbL 1.0"
    gaz.close()


def test_missing_files_are_named(tmp_path):
    shutil.copy(FIXTURES / "countryInfo.txt", tmp_path / "countryInfo.txt")
    with pytest.raises(GazetteerBuildError, match=r"lacks allCountries.txt or cities500.txt, admin1CodesASCII.txt; "
                                                  r"download"):
        build_geonames(tmp_path / "out.sqlite", tmp_path)
    with pytest.raises(GazetteerBuildError, match="is not a folder of GeoNames dump files"):
        build_geonames(tmp_path / "out.sqlite", tmp_path / "absent")
    assert not (tmp_path / "out.sqlite").exists()


def test_corrupt_dump_leaves_no_file(tmp_path):
    src = tmp_path / "dump"
    shutil.copytree(FIXTURES, src)
    with (src / "alternateNamesV2.txt").open("ab") as fh:
        fh.write(b"14\tnot-a-number\ten\tBroken\n")
    target = tmp_path / "out.sqlite"
    with pytest.raises(GazetteerBuildError, match=r"alternateNamesV2.txt:14: bad value"):
        build_geonames(target, src)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dump"]


def test_cli_builds_from_a_dump(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "cli.sqlite"
    run = subprocess.run([sys.executable, "-m", "geo_news", "gazetteer", "build", "--geonames", str(FIXTURES),
                          "--output", str(out), "--quiet"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    info = subprocess.run([sys.executable, "-m", "geo_news", "gazetteer", "info", "--path", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert info.returncode == 0 and "mode     geonames, allCountries.txt" in info.stdout
    assert "fuzzy" in info.stdout and str(out) in info.stdout
    bad = subprocess.run([sys.executable, "-m", "geo_news", "gazetteer", "build", "--geonames", str(tmp_path / "no"),
                          "--output", str(tmp_path / "x.sqlite"), "--quiet"], capture_output=True, text=True,
                         timeout=120)
    assert bad.returncode == 2 and bad.stderr.startswith("geo-news: error:") and "download" in bad.stderr
