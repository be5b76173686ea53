"""Corpus runs on a real Dask LocalCluster of two worker processes: every document once, bad documents in
``errors`` with the rest of their partition kept, a killed worker's partitions retried, an interrupted run resumed
without redoing finished partitions, and GeoParquet that geopandas and dask-geopandas open."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

distributed = pytest.importorskip("distributed")
pytest.importorskip("dask_geopandas")

from geo_news.batch import DONE, MANIFEST, TABLES, BatchError, geoparse_corpus, part_name, read_table  # noqa: E402

pytestmark = pytest.mark.cluster

SENTENCES = [
    "Missiles launched from the Caspian Sea flew over Iran and Iraq before striking targets near Aleppo.",
    "Shelling hit Hama overnight, and residents fled toward Aleppo.",
    "Officials in Athens said the ferry would sail on Tuesday.",
    "A drone launched from Iraq crashed in Syria, near Hama.",
    "Flights from Tokyo to San Francisco were delayed by the storm.",
]


def article(i: int, repeat: int = 1) -> str:
    return " ".join(SENTENCES[(i + k) % len(SENTENCES)] for k in range(3)) + (" Talks went on." * repeat)


def long_corpus(path: Path, docs: int, repeat: int) -> Path:
    """``docs`` articles padded with ``repeat`` sentences each, so that a run lasts long enough to interrupt."""
    with path.open("w", encoding="utf-8") as fh:
        for i in range(docs):
            fh.write(json.dumps({"id": f"d{i}", "text": article(i, repeat=repeat)}) + "\n")
    return path


@pytest.fixture(scope="module")
def client():
    from geo_news.batch import local_cluster

    with local_cluster(2) as cluster, distributed.Client(cluster) as c:  # the cluster geoparse_corpus makes
        yield c


def test_workers_keep_glibcs_own_allocation_thresholds(client):
    """Dask sets MALLOC_TRIM_THRESHOLD_ for its workers, which makes spaCy a fifth slower; ours go without it
    and keep Dask's other settings (one BLAS thread per worker)."""
    import os

    env = client.run(lambda: (os.environ.get("MALLOC_TRIM_THRESHOLD_"), os.environ.get("OMP_NUM_THREADS")))
    assert len(env) == 2 and set(env.values()) == {(None, "1")}


@pytest.fixture()
def corpus(tmp_path) -> Path:
    path = tmp_path / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for i in range(14):
            fh.write(json.dumps({"id": f"a{i}", "text": article(i), "date": f"2024-03-{i + 1:02d}"}) + "\n")
        fh.write(json.dumps({"id": "empty", "text": "   "}) + "\n")
        fh.write(json.dumps({"id": "binary", "text": "PK\x00\x03\x04 zip bytes"}) + "\n")
        fh.write(json.dumps({"id": "one-long-line", "text": "Aleppo " * 2000}) + "\n")
        fh.write("{this line is not JSON\n")
        fh.write(json.dumps({"id": "no-text", "body": "Aleppo was shelled."}) + "\n")
        fh.write(json.dumps({"text": "Shells hit Hama again."}) + "\n")  # no id: gets its line number
        fh.write(json.dumps({"id": "bad-date", "text": "Shells hit Hama.", "date": "soon"}) + "\n")
    return path


def run(source, out, client, gazetteer, **kw):
    kw.setdefault("partition_size", 4)
    return geoparse_corpus(source, out, client=client, gazetteer=gazetteer, progress=False, max_chars=10_000, **kw)


def test_every_document_once_and_bad_ones_in_errors(corpus, tmp_path, client, tiny_gazetteer_path):
    out = tmp_path / "out"
    result = run(corpus, out, client, tiny_gazetteer_path, date_column="date")
    assert result.complete and result.partitions == 6 and sorted(result.written) == [0, 1, 2, 3, 4, 5]
    docs = read_table(out, "documents")
    assert docs["doc_id"].is_unique and len(docs) == 21
    errors = read_table(out, "errors").set_index("doc_id")
    assert set(errors.index) == {"empty", "binary", "one-long-line", "line 18", "no-text", "bad-date"}
    assert "not a date" in errors.loc["bad-date", "message"]
    assert "empty" in errors.loc["empty", "message"]
    assert "binary" in errors.loc["binary", "message"] or "NUL" in errors.loc["binary", "message"]
    assert "max_chars" in errors.loc["one-long-line", "message"]
    assert "not JSON" in errors.loc["line 18", "message"]
    assert (docs.set_index("doc_id").loc[list(errors.index), "status"] == "error").all()
    # the rest of a partition that held bad documents is kept
    ok = docs[docs["status"] == "ok"]
    assert set(ok["doc_id"]) == {f"a{i}" for i in range(14)} | {"line 20"}
    mentions = read_table(out, "mentions")
    assert set(mentions["doc_id"]) == set(ok["doc_id"])
    assert not mentions.duplicated(["doc_id", "start"]).any()
    first = mentions[mentions["doc_id"] == "a0"]
    assert {"Caspian Sea", "Iran", "Iraq", "Aleppo"} <= set(first["name"])
    assert set(first["date"]) == {"2024-03-01"}
    assert (first.loc[first["name"] == "Caspian Sea", "role"] == "launch").all()
    events = read_table(out, "events")
    assert "a0" in set(events["doc_id"])
    assert result.documents == 21 and result.errors == 6 and result.mentions == len(mentions)


def test_geoparquet_opens_with_geopandas_and_dask_geopandas(corpus, tmp_path, client, tiny_gazetteer_path):
    import dask_geopandas
    import geopandas as gpd

    out = tmp_path / "out"
    run(corpus, out, client, tiny_gazetteer_path)
    for table in ("mentions", "events"):
        whole = gpd.read_parquet(out / table)
        assert whole.crs.to_epsg() == 4326
        lazy = dask_geopandas.read_parquet(out / table)
        assert lazy.crs.to_epsg() == 4326
        assert lazy.npartitions == 6 and len(lazy.compute()) == len(whole)
    mentions = gpd.read_parquet(out / "mentions")
    placed = mentions[mentions["lat"].notna()]
    assert (placed.geometry.x.round(6) == placed["lon"].round(6)).all()
    assert (placed.geometry.y.round(6) == placed["lat"].round(6)).all()
    # every partition's file has the same columns and types, whatever its rows held
    import pyarrow.parquet as pq

    schemas = {str(pq.read_schema(f).remove_metadata()) for f in (out / "mentions").glob("part-*.parquet")}
    assert len(schemas) == 1


def test_a_killed_worker_loses_and_repeats_nothing(tmp_path, client, tiny_gazetteer_path):
    path = long_corpus(tmp_path / "slow.jsonl", 60, repeat=60)
    out = tmp_path / "out"
    box: dict = {}
    worker = threading.Thread(target=lambda: box.setdefault(
        "result", run(path, out, client, tiny_gazetteer_path, partition_size=3)))
    worker.start()
    deadline = time.monotonic() + 120
    while not list((out / DONE).glob("part-*.json")) and time.monotonic() < deadline:
        time.sleep(0.05)
    done_at_kill = len(list((out / DONE).glob("part-*.json")))
    pids = client.run(os.getpid)
    victim = sorted(pids.values())[0]
    os.kill(victim, signal.SIGKILL)
    worker.join(timeout=300)
    result = box["result"]
    assert 1 <= done_at_kill < 20, "the worker was killed mid-run"
    assert result.complete, result.failed
    docs = read_table(out, "documents")
    assert sorted(docs["doc_id"]) == sorted(f"d{i}" for i in range(60))
    mentions = read_table(out, "mentions")
    assert not mentions.duplicated(["doc_id", "start"]).any()
    assert set(mentions["doc_id"]) == {f"d{i}" for i in range(60)}
    assert victim not in client.run(os.getpid).values(), "the nanny started a new worker process"
    # the pipeline is loaded once per worker process, not per task
    plugin_loads = client.run(lambda dask_worker: {n: p.loads for n, p in dask_worker.plugins.items()
                                                   if n.startswith("geo_news")})
    assert all(v and set(v.values()) == {1} for v in plugin_loads.values())


def test_an_interrupted_run_resumes_with_only_the_missing_partitions(tmp_path, client, tiny_gazetteer_path):
    path = long_corpus(tmp_path / "corpus.jsonl", 40, repeat=40)
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "geo_news", "batch", str(path), "-o", str(out), "--workers", "1",
           "--partition-size", "2", "--gazetteer", str(tiny_gazetteer_path), "--max-chars", "10000",
           "--no-progress"]
    proc = subprocess.Popen(cmd, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 180
    while len(list((out / DONE).glob("part-*.json"))) < 2 and time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read().decode()
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the run and its cluster, as a power cut would
    proc.wait()
    time.sleep(0.5)
    done = sorted(int(p.stem.split("-")[1]) for p in (out / DONE).glob("part-*.json"))
    assert 2 <= len(done) < 20, "the run was interrupted half way"
    stamps = {i: (out / "mentions" / part_name(i)).stat().st_mtime_ns for i in done}
    # what a reader sees of an interrupted run is only complete partitions
    partial = read_table(out, "documents")
    assert sorted(partial["partition"].unique()) == done

    result = run(path, out, client, tiny_gazetteer_path, partition_size=2)
    assert result.skipped == done
    assert sorted(result.written) == sorted(set(range(20)) - set(done))
    assert {i: (out / "mentions" / part_name(i)).stat().st_mtime_ns for i in done} == stamps
    assert not [p for t in (*TABLES, DONE) for p in (out / t).glob(".*.tmp")]
    docs = read_table(out, "documents")
    assert sorted(docs["doc_id"]) == sorted(f"d{i}" for i in range(40))
    again = run(path, out, client, tiny_gazetteer_path, partition_size=2)
    assert again.written == [] and len(again.skipped) == 20


def test_other_input_in_the_same_folder_is_refused(corpus, tmp_path, client, tiny_gazetteer_path):
    out = tmp_path / "out"
    run(corpus, out, client, tiny_gazetteer_path)
    with pytest.raises(BatchError, match="partition_size"):
        run(corpus, out, client, tiny_gazetteer_path, partition_size=3)
    fresh = run(corpus, out, client, tiny_gazetteer_path, partition_size=3, resume=False)
    assert fresh.partitions == 7 and len(fresh.written) == 7 and fresh.skipped == []
    assert len(read_table(out, "documents")) == 21
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.md").write_text("mine")
    with pytest.raises(BatchError, match="not empty"):
        run(corpus, tmp_path / "other", client, tiny_gazetteer_path)
    assert json.loads((out / MANIFEST).read_text())["input"]["partitions"] == 7
    # a run written by a geo_news whose tables had another layout is not resumed into (its events lack columns)
    manifest = json.loads((out / MANIFEST).read_text())
    manifest["input"]["format"] = 1
    (out / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(BatchError, match="format"):
        run(corpus, out, client, tiny_gazetteer_path, partition_size=3)


def test_a_folder_of_articles_csv_and_parquet(tmp_path, client, tiny_gazetteer_path):
    folder = tmp_path / "articles"
    (folder / "sub").mkdir(parents=True)
    (folder / "2024-03-02-aleppo.txt").write_text(article(0), encoding="utf-8")
    (folder / "sub" / "hama.html").write_text(
        "<html><body><nav>Home</nav><article><h1>Hama</h1><p>Shelling hit Hama overnight.</p>"
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; was posted from Aleppo.</p></article></body></html>",
        encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (folder / "notes.md").write_text("not an article")
    out = tmp_path / "from-folder"
    result = run(folder, out, client, tiny_gazetteer_path, partition_size=2)
    docs = read_table(out, "documents").set_index("doc_id")
    assert set(docs.index) == {"2024-03-02-aleppo.txt", "sub/hama.html", "empty.txt", "image.txt"}
    assert docs.loc["2024-03-02-aleppo.txt", "date"] == "2024-03-02"
    assert set(read_table(out, "errors")["doc_id"]) == {"empty.txt", "image.txt"}
    mentions = read_table(out, "mentions")
    assert {"Hama", "Aleppo"} <= set(mentions.loc[mentions["doc_id"] == "sub/hama.html", "name"])
    assert result.errors == 2

    table = pd.DataFrame({"url": [f"u{i}" for i in range(6)],
                          "body": [article(i) + "\nSecond paragraph, with a comma, in Hama." for i in range(6)],
                          "published": ["2024-01-0%d" % (i + 1) for i in range(6)]})
    table.to_csv(tmp_path / "c.csv", index=False)
    table.to_parquet(tmp_path / "c.parquet", index=False)
    for name in ("c.csv", "c.parquet"):
        out = tmp_path / f"from-{name}"
        result = run(tmp_path / name, out, client, tiny_gazetteer_path, text_column="body", id_column="url",
                     date_column="published")
        assert result.complete and result.partitions == 2, name
        mentions = read_table(out, "mentions")
        assert set(mentions["doc_id"]) == {f"u{i}" for i in range(6)}, name
        assert set(mentions.loc[mentions["doc_id"] == "u3", "date"]) == {"2024-01-04"}, name
    with pytest.raises(BatchError, match="no text column 'text'"):
        run(tmp_path / "c.parquet", tmp_path / "bad", client, tiny_gazetteer_path)


def test_cli_map_of_a_batch_result(corpus, tmp_path, client, tiny_gazetteer_path):
    out = tmp_path / "out"
    run(corpus, out, client, tiny_gazetteer_path, date_column="date")
    html = tmp_path / "map.html"
    proc = subprocess.run([sys.executable, "-m", "geo_news", "map", str(out), "-o", str(html)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    page = html.read_text(encoding="utf-8")
    assert "MarkerCluster" in page or "markerClusterGroup" in page
    assert "HeatMap" in page or "heatLayer" in page
    assert "TimestampedGeoJson" in page or "timeDimension" in page
    bad = subprocess.run([sys.executable, "-m", "geo_news", "batch", str(tmp_path / "nope.jsonl"), "-o",
                          str(tmp_path / "x")], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "no such file" in bad.stderr
