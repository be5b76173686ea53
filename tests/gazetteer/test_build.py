import pytest

from geo_news.exceptions import GazetteerBuildError
from geo_news.gazetteer import Gazetteer
from geo_news.gazetteer.build import build_from_rows
from geo_news.gazetteer.sources.natural_earth import load_plain_pickle


def test_failed_build_leaves_no_file(tmp_path):
    target = tmp_path / "gaz.sqlite"
    rows = [dict(id="a", name="A", feature_class="P", feature_code="PPL", lat=1, lon=1),
            dict(id="b", name="B", feature_class="P", feature_code="PPL", lat=999, lon=1)]
    with pytest.raises(GazetteerBuildError, match="out of range"):
        build_from_rows(target, rows)
    assert list(tmp_path.iterdir()) == []


def test_interrupted_build_keeps_the_previous_file(tmp_path):
    target = tmp_path / "gaz.sqlite"
    build_from_rows(target, [dict(id="a", name="Alpha", feature_class="P", feature_code="PPL", lat=1, lon=1)])

    def rows():
        yield dict(id="b", name="Beta", feature_class="P", feature_code="PPL", lat=2, lon=2)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_from_rows(target, rows())
    assert [p.name for p in tmp_path.iterdir()] == ["gaz.sqlite"]
    assert Gazetteer(target).lookup("Alpha")


def test_duplicate_ids_are_refused(tmp_path):
    row = dict(id="a", name="A", feature_class="P", feature_code="PPL", lat=1, lon=1)
    with pytest.raises(GazetteerBuildError, match="duplicate"):
        build_from_rows(tmp_path / "g.sqlite", [row, row])


def test_data_pickles_cannot_run_code():
    import pickle

    class Evil:
        def __reduce__(self):
            return (print, ("owned",))

    with pytest.raises(pickle.UnpicklingError, match="refusing"):
        load_plain_pickle(pickle.dumps(Evil()))
    assert load_plain_pickle(pickle.dumps({"a": [1, 2.5, ("x", None)]})) == {"a": [1, 2.5, ("x", None)]}


def test_duplicate_ids_in_different_batches_are_refused(tmp_path):
    # ids are checked by the UNIQUE constraint, not an in-memory set, so a streamed import stays small
    rows = [dict(id=f"p{i}", name=f"Place {i}", feature_class="P", feature_code="PPL", lat=1, lon=1)
            for i in range(20_001)]
    rows.append(dict(id="p7", name="Again", feature_class="P", feature_code="PPL", lat=1, lon=1))
    with pytest.raises(GazetteerBuildError, match="duplicate place id p7"):
        build_from_rows(tmp_path / "g.sqlite", rows)
    assert list(tmp_path.iterdir()) == []


def test_fuzzy_index_holds_every_distinct_key_of_indexable_length(tmp_path):
    import sqlite3

    rows = [dict(id="a", name="Al-Raqqah", feature_class="P", feature_code="PPL", lat=35.95, lon=39.0,
                 alt_names=["Raqqa", "RQ"]),
            dict(id="b", name="Raqqa", feature_class="A", feature_code="ADM1", lat=36.0, lon=39.0)]
    path = build_from_rows(tmp_path / "g.sqlite", rows)
    con = sqlite3.connect(path)
    keys = sorted(r[0] for r in con.execute("SELECT norm FROM fuzzy_norms"))
    assert keys == ["al raqqah", "raqqa", "raqqah"]  # "rq" is too short to compare by trigrams
    hits = con.execute("SELECT norm FROM fuzzy_trigrams WHERE fuzzy_trigrams MATCH '\"aqq\"'").fetchall()
    assert len(hits) == 3


def test_sqlite_has_the_trigram_tokenizer():
    from geo_news.gazetteer.build import fts5_trigram_available

    assert fts5_trigram_available()


ROW = dict(id="a", name="Alpha", feature_class="P", feature_code="PPL", lat=1, lon=1)


def test_a_killed_builds_partial_file_is_removed_by_the_next_build(tmp_path):
    target = tmp_path / "gaz.sqlite"
    dead = tmp_path / "gaz.sqlite.k1llz0m_.partial"
    dead.write_bytes(b"\0" * 4096)
    users = [tmp_path / n for n in ("gaz.sqlite.notes", "gaz.sqlite.partial", "other.sqlite.abc.partial",
                                    "gaz.sqlite.my-copy.partial")]
    for f in users:
        f.write_text("the user's")
    build_from_rows(target, [ROW])
    assert not dead.exists()
    assert all(f.read_text() == "the user's" for f in users)


def test_a_running_builds_partial_file_is_left_alone(tmp_path):
    import fcntl

    target = tmp_path / "gaz.sqlite"
    running = tmp_path / "gaz.sqlite.run1ng00.partial"
    with open(running, "wb") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)  # as a live builder holds it
        build_from_rows(target, [ROW])
        assert running.exists()
    assert Gazetteer(target).lookup("Alpha")


def test_only_older_versions_of_the_gazetteer_are_removed(tmp_path, monkeypatch):
    from geo_news import gazetteer
    from geo_news.gazetteer.schema import SCHEMA_VERSION

    current = tmp_path / f"gazetteer-v{SCHEMA_VERSION}.sqlite"
    build_from_rows(current, [ROW])
    older = tmp_path / f"gazetteer-v{SCHEMA_VERSION - 1}.sqlite"
    older.write_text("old")
    keep = [tmp_path / n for n in (f"gazetteer-v{SCHEMA_VERSION}-backup.sqlite", f"gazetteer-v{SCHEMA_VERSION}"
                                   "-notes.sqlite", "gazetteer-v1.sqlite.bak", f"gazetteer-v{SCHEMA_VERSION + 1}.sqlite",
                                   "gazetteer-vX.sqlite")]
    for f in keep:
        f.write_text("mine")
    gazetteer._remove_older_versions(current)
    assert not older.exists() and current.exists()
    assert all(f.read_text() == "mine" for f in keep)


@pytest.mark.parametrize(("name", "city", "subd", "short"), [
    ("London Heathrow Airport", "London", "England", ["London Heathrow", "Heathrow"]),
    ("Mitiga Airport", "Tripoli", "Tripoli", ["Mitiga"]),
    ("Hodeidah International Airport", "Hodeida", "Al-Hudaydah", []),  # its short name is the city's
    ("John F Kennedy International Airport", "New York", "New York", []),  # a person's name
    ("Chicago O'Hare International Airport", "Chicago", "Illinois", ["Chicago O'Hare", "O'Hare"]),
])
def test_airport_short_names(name, city, subd, short):
    from geo_news.gazetteer.sources.airports import _short_names

    assert _short_names(name, city, subd) == short


@pytest.mark.parametrize(("alt", "name", "short"), [
    ("Newcastle", "Newcastle upon Tyne", True), ("Stoke", "Stoke-on-Trent", True), ("Frankfurt", "Frankfurt am Main",
                                                                                    True),
    ("Rostov", "Rostov-on-Don", True), ("Ústí", "Ústí nad Labem", True), ("Châlons", "Châlons-sur-Marne", True),
    ("Ma", "Ma On Shan", False), ("New", "New Castle", False), ("Newcastle", "Newcastleton", False),
    ("Tyne", "Newcastle upon Tyne", False),
])
def test_the_town_part_of_a_name_that_adds_its_river_is_a_short_name(alt, name, short):
    from geo_news.gazetteer.build import _is_town_part

    assert _is_town_part(alt, name) is short


def test_a_division_without_an_outline_gets_the_extent_of_its_towns(tmp_path):
    """A first-level division the sources give only as a point is as large as the towns that carry its code (so
    "a village in X Oblast" is judged by the oblast's size); too few towns, or towns whose middle lies far from
    the division's point (a code the sources use for different divisions), leave it a point."""
    from geo_news.model import Place, inside

    towns = [dict(id=f"t{i}", name=f"Town {i}", feature_class="P", feature_code="PPL", lat=46.0 + 0.3 * i,
                  lon=32.0 + 0.5 * i, country_code="UA", admin1="08") for i in range(6)]
    far_towns = [dict(id=f"f{i}", name=f"Far {i}", feature_class="P", feature_code="PPL", lat=60.0 + 0.1 * i,
                      lon=100.0, country_code="RU", admin1="11") for i in range(6)]
    few = [dict(id=f"w{i}", name=f"Few {i}", feature_class="P", feature_code="PPL", lat=10.0, lon=10.0 + 0.1 * i,
                country_code="NG", admin1="27") for i in range(2)]
    divisions = [
        dict(id="kh", name="Kherson Oblast", feature_class="A", feature_code="ADM1", lat=46.7, lon=33.2,
             country_code="UA", admin1="08"),
        dict(id="ru", name="Mismatched Krai", feature_class="A", feature_code="ADM1", lat=45.0, lon=40.0,
             country_code="RU", admin1="11"),
        dict(id="ng", name="Borno", feature_class="A", feature_code="ADM1", lat=10.0, lon=10.0, country_code="NG",
             admin1="27"),
    ]
    gaz = Gazetteer(build_from_rows(tmp_path / "g.sqlite", [*divisions, *towns, *far_towns, *few]))
    kherson = gaz.get("kh")
    west, south, east, north = kherson.bbox
    assert (west, south, east, north) == pytest.approx((31.9, 45.9, 34.6, 47.6))
    assert "6 populated places" in kherson.note
    assert inside(Place("x", "X", 47.0, 33.0), kherson) and not inside(Place("y", "Y", 49.5, 33.0), kherson)
    assert gaz.get("ru").bbox is None and gaz.get("ng").bbox is None


def test_a_division_without_a_population_gets_that_of_its_towns(tmp_path):
    """A first-level division the sources give without a population counts the people of the towns that carry its
    code (a lower bound, said in its note): the state of Florida then outweighs a municipality of the same name.
    Too few towns, or towns far from the division's point, leave it at 0 (unknown); a population the sources give
    is kept."""
    towns = [dict(id=f"t{i}", name=f"Town {i}", feature_class="P", feature_code="PPL", lat=28.0 + 0.3 * i,
                  lon=-82.0 + 0.2 * i, country_code="US", admin1="FL", population=1000 * (i + 1)) for i in range(5)]
    few = [dict(id=f"w{i}", name=f"Few {i}", feature_class="P", feature_code="PPL", lat=18.4, lon=-66.6 + 0.01 * i,
                country_code="PR", admin1="27", population=9000) for i in range(3)]
    far = [dict(id=f"f{i}", name=f"Far {i}", feature_class="P", feature_code="PPL", lat=60.0, lon=100.0 + 0.1 * i,
                country_code="RU", admin1="11", population=5000) for i in range(6)]
    divisions = [
        dict(id="fl", name="Florida", feature_class="A", feature_code="ADM1", lat=28.5, lon=-81.7,
             country_code="US", admin1="FL"),
        dict(id="pr", name="Florida", feature_class="A", feature_code="ADM1", lat=18.4, lon=-66.57,
             country_code="PR", admin1="27"),
        dict(id="ru", name="Mismatched Krai", feature_class="A", feature_code="ADM1", lat=45.0, lon=40.0,
             country_code="RU", admin1="11"),
        dict(id="kh", name="Kherson Oblast", feature_class="A", feature_code="ADM1", lat=46.7, lon=33.2,
             country_code="UA", admin1="08", population=1_000_000),
        *[dict(id=f"k{i}", name=f"Kh {i}", feature_class="P", feature_code="PPL", lat=46.5, lon=33.0 + 0.1 * i,
               country_code="UA", admin1="08", population=10) for i in range(6)],
    ]
    gaz = Gazetteer(build_from_rows(tmp_path / "g.sqlite", [*divisions, *towns, *few, *far]))
    florida = gaz.get("fl")
    assert florida.population == 15_000 and "population: that of its 5 populated places" in florida.note
    assert gaz.get("pr").population == 0 and gaz.get("ru").population == 0
    assert gaz.get("kh").population == 1_000_000


def test_the_division_outlines_file_is_read_or_named_with_the_command_that_remakes_it(tmp_path):
    """The shipped outlines load (one per ISO 3166-2 code, as shapes); a damaged copy is a build error naming the
    file and the script that writes it, never a silent gazetteer without outlines."""
    import gzip

    from shapely import Point

    from geo_news.gazetteer.sources import curated

    shipped = curated.admin1_shapes()
    assert len(shipped) > 3500 and shipped["SY-HL"].contains(Point(37.16, 36.20))
    (tmp_path / "admin1_shapes.tsv.gz").write_bytes(b"not gzip at all")
    with pytest.raises(GazetteerBuildError, match="admin1_shapes.tsv.gz.*make_admin1_points.py"):
        curated.admin1_shapes(tmp_path)
    with gzip.open(tmp_path / "admin1_shapes.tsv.gz", "wt", encoding="utf-8") as fh:
        fh.write("iso3166_2\twkt\nSY-HL\tPOLYGON ((37 36, 38\n")
    with pytest.raises(GazetteerBuildError, match=":2: bad outline"):
        curated.admin1_shapes(tmp_path)
