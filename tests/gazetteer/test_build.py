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
