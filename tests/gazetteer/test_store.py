import multiprocessing
import sqlite3

import pytest

from geo_news.exceptions import GazetteerCorruptError, GazetteerNotFoundError
from geo_news.gazetteer import Gazetteer


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
    assert info["places"] == 16 and info["schema_version"] == 1
    assert {s["name"] for s in info["sources"]} >= {"country", "curated", "geonames"}


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
