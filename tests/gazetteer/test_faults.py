"""Fault tests: damaged, unreadable or misplaced gazetteer files end in a working gazetteer or a one-line error
naming the file and what to do, and no file that is not ours is touched."""

from __future__ import annotations

import os
import sqlite3

import pytest

from geo_news import gazetteer as gz
from geo_news.exceptions import GazetteerCorruptError, GazetteerError
from geo_news.gazetteer import Gazetteer
from geo_news.gazetteer.build import build_from_rows

ROWS = [dict(id=f"p{i}", name=f"Place {i}", feature_class="P", feature_code="PPL", lat=10 + i / 100, lon=20 + i / 100,
             alt_names=[f"Alias {i}", f"Other {i}"], population=1000 + i) for i in range(3000)]


@pytest.fixture()
def built(tmp_path):
    return build_from_rows(tmp_path / "g.sqlite", ROWS)


def _pages(path, table):
    con = sqlite3.connect(path)
    try:
        pages = [r[0] for r in con.execute("SELECT pageno FROM dbstat WHERE name = ?", (table,))]
    except sqlite3.OperationalError:
        pytest.skip("this SQLite has no dbstat table")
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    con.close()
    return pages, page_size


def _zero(path, table, share=0.5):
    pages, size = _pages(path, table)
    with open(path, "r+b") as fh:
        for page in pages[: max(1, int(len(pages) * share))]:
            fh.seek((page - 1) * size)
            fh.write(b"\0" * size)


def _exercise(gaz):
    for i in range(0, 3000, 10):
        gaz.lookup(f"Place {i}")
        gaz.nearby(10 + i / 100, 20 + i / 100, radius_km=5)


@pytest.mark.parametrize("table", ["names", "places", "names_norm", "names_place", "places_rtree_node",
                                   "sqlite_autoindex_places_1"])
def test_zeroed_pages_in_any_table_or_index_are_one_clear_error(built, table):
    _zero(built, table)
    with pytest.raises(GazetteerCorruptError, match=str(built).replace("\\", "\\\\") + ".*gazetteer build"):
        gaz = Gazetteer(built)  # the damage may show at open, at the check, or at the first query that reads it
        gaz.verify()
        _exercise(gaz)


def test_truncated_file_is_one_clear_error(built):
    with open(built, "r+b") as fh:
        fh.truncate(os.path.getsize(built) // 2)
    with pytest.raises(GazetteerCorruptError, match="truncated|damaged|corrupted"):
        Gazetteer(built).verify()


def test_unreadable_file_is_not_called_corrupt(built, monkeypatch):
    import builtins

    real_open = builtins.open

    def deny(file, *args, **kwargs):  # as for mode 000 as a user (root reads anything, so simulate it)
        if str(file) == str(built):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", deny)
    with pytest.raises(GazetteerError, match="chmod 644") as err:
        Gazetteer(built)
    assert not isinstance(err.value, GazetteerCorruptError)


@pytest.fixture()
def data_dir(tmp_path, monkeypatch):
    """open_default() over a data dir of its own, building the tiny rows instead of the full gazetteer."""
    from geo_news.gazetteer import build as build_module
    from geo_news.gazetteer.sources import curated

    folder = tmp_path / "data"
    monkeypatch.setenv("GEO_NEWS_DATA_DIR", str(folder))
    monkeypatch.setattr(gz, "_DEFAULT", {})
    monkeypatch.setattr(curated, "fingerprint", lambda: "custom")
    calls = []

    def tiny_build(path, **_):
        calls.append(path)
        return build_from_rows(path, ROWS)

    monkeypatch.setattr(build_module, "build", tiny_build)
    return folder, calls


def test_a_damaged_default_gazetteer_is_rebuilt_and_the_users_files_are_kept(data_dir):
    folder, calls = data_dir
    first = gz.open_default()
    path = first.path
    first.close()
    gz._DEFAULT.clear()
    mine = {name: f"the user's {name}" for name in (path.name.replace(".sqlite", "-backup.sqlite"),
                                                      path.name.replace(".sqlite", "-notes.sqlite"), "notes.txt",
                                                      path.name + ".my.partial")}
    for name, text in mine.items():
        (folder / name).write_text(text)
    _zero(path, "names", share=0.3)
    os.utime(path, ns=(1, 1))  # a changed file is checked again
    gaz = gz.open_default()
    assert gaz.lookup("Place 7") and len(calls) == 2
    assert {name: (folder / name).read_text() for name in mine} == mine


def test_a_gazetteer_built_by_an_older_builder_is_rebuilt_once(data_dir):
    """A cached gazetteer whose builder revision is not this geo_news' (it lacks what the builder now adds, such
    as the divisions' extents) is rebuilt on first use, like one built from older curated tables; then reused."""
    import sqlite3

    folder, calls = data_dir
    first = gz.open_default()
    path = first.path
    first.close()
    gz._DEFAULT.clear()
    with sqlite3.connect(path) as con:
        con.execute("UPDATE meta SET value = '1' WHERE key = 'build_revision'")
    os.utime(path, ns=(1, 1))
    assert gz.open_default().lookup("Place 7") and len(calls) == 2
    gz._DEFAULT.clear()
    assert gz.open_default().lookup("Place 7") and len(calls) == 2


def test_data_dir_that_is_a_file_is_one_clear_error(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setattr(gz, "_DEFAULT", {})
    for where in (blocker, blocker / "below"):
        monkeypatch.setenv("GEO_NEWS_DATA_DIR", str(where))
        with pytest.raises(GazetteerError, match="not a folder|GEO_NEWS_DATA_DIR"):
            gz.open_default()
    assert blocker.read_text() == "x"


def test_a_folder_where_the_gazetteer_file_belongs_is_left_alone_and_named(data_dir):
    folder, calls = data_dir
    from geo_news.gazetteer import default_path

    (default_path() / "mine.txt").parent.mkdir(parents=True)
    (default_path() / "mine.txt").write_text("keep")
    with pytest.raises(GazetteerError, match="is a folder"):
        gz.open_default()
    assert (default_path() / "mine.txt").read_text() == "keep" and calls == []


def test_two_builds_at_once_make_one_gazetteer(data_dir, monkeypatch):
    import threading
    import time

    from geo_news.gazetteer import build as build_module

    folder, calls = data_dir
    inner = build_module.build

    def slow_build(path, **kw):
        time.sleep(0.5)  # both callers are inside open_default before the first build ends
        return inner(path, **kw)

    monkeypatch.setattr(build_module, "build", slow_build)
    results, errors = [], []

    def open_it():
        try:
            results.append(gz.open_default().lookup("Place 3")[0].id)
        except Exception as err:  # noqa: BLE001 - reported below
            errors.append(err)

    threads = [threading.Thread(target=open_it) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and results == ["p3", "p3"] and len(calls) == 1
    assert not list(folder.glob("*.partial"))


def test_leaving_a_with_block_keeps_the_process_wide_gazetteer_open(data_dir):
    with gz.open_default() as gaz:  # the docstring's own example
        assert gaz.lookup("Place 7")
    assert gaz.lookup("Place 8") and gz.open_default() is gaz
    gaz.close()
    assert gaz.lookup("Place 9")


def test_a_closed_gazetteer_of_ones_own_says_it_was_closed(built):
    gaz = Gazetteer(built)
    gaz.close()
    with pytest.raises(GazetteerError, match="was closed") as err:
        gaz.lookup("Place 7")
    assert not isinstance(err.value, GazetteerCorruptError)  # never "damaged, rebuild it"
