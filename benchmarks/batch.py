"""Corpus runs on Dask beside single-process ``geoparse_many``, in the same run.

The development corpora's texts (LGL, GeoVirus, WikToR from ``../shared/eval``, read at run time, never copied)
repeated to ``--docs`` documents (20,000 by default) in a temporary JSON Lines file, geoparsed

1. in this process with ``geo_news.geoparse_many`` (the baseline),
2. by ``geo_news.batch.geoparse_corpus`` on a ``LocalCluster`` of 1 worker process, then of 2,
3. by ``geo-news batch`` with 2 workers killed (the process group, as a power cut would) once half the partitions
   are done, then resumed: the time to plan and skip the done half, and the time to finish.

Printed: words/s of each, the scaling ratio (2 workers / 1 worker, and each against the baseline), peak RSS of
the baseline process and of each worker, and the resume times. The cluster figures include starting the cluster
and loading the pipeline in every worker, as a user's run does. ``--dask-environ`` adds a 1-worker run with Dask's
default worker environment, whose ``MALLOC_TRIM_THRESHOLD_`` the clusters geo_news makes leave out.

Usage::

    python benchmarks/batch.py [--docs 20000] [--partition-size 200] [--eval-dir ../shared/eval] [--skip-single]
                               [--dask-environ] [--skip-resume]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CORPORA = ("LGL.jsonl", "GeoVirus.jsonl", "WikToR.jsonl")


def write_corpus(eval_dir: Path, docs: int, path: Path) -> int:
    """The corpora's texts, round-robin, repeated until ``docs`` documents; returns the number of words."""
    texts = []
    for name in CORPORA:
        with (eval_dir / name).open(encoding="utf-8") as fh:
            texts.extend((f"{name.split('.')[0]}-{json.loads(line)['doc_id']}", json.loads(line)["text"])
                         for line in fh)
    words = 0
    with path.open("w", encoding="utf-8") as fh:
        for i in range(docs):
            doc_id, text = texts[i % len(texts)]
            fh.write(json.dumps({"id": f"{doc_id}-{i // len(texts)}", "text": text}) + "\n")
            words += len(text.split())
    return words


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def single(path: Path) -> float:
    from geo_news.pipeline import default_geoparser

    texts = [json.loads(line)["text"] for line in path.open(encoding="utf-8")]
    parser = default_geoparser()
    parser.parse("Warm-up in Paris.")
    started = time.perf_counter()
    for _ in parser.parse_many(texts):
        pass
    return time.perf_counter() - started


def on_cluster(path: Path, out: Path, workers: int, partition_size: int, dask_environ: bool = False
               ) -> tuple[float, list[float], object]:
    """A run on the cluster geoparse_corpus makes (``local_cluster``), or with ``dask_environ`` on a LocalCluster
    with Dask's default worker environment (``MALLOC_TRIM_THRESHOLD_`` set)."""
    from distributed import Client, LocalCluster

    from geo_news.batch import geoparse_corpus, local_cluster

    started = time.perf_counter()
    cluster = (LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                            silence_logs=40) if dask_environ else local_cluster(workers))
    with cluster, Client(cluster) as client:
        result = geoparse_corpus(path, out, client=client, partition_size=partition_size, progress=False)
        seconds = time.perf_counter() - started
        rss = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return seconds, sorted(rss.values()), result


def killed_and_resumed(path: Path, out: Path, workers: int, partition_size: int, partitions: int
                       ) -> tuple[float, int, float, float, object]:
    from geo_news.batch import DONE, geoparse_corpus

    cmd = [sys.executable, "-m", "geo_news", "batch", str(path), "-o", str(out), "--workers", str(workers),
           "--partition-size", str(partition_size), "--no-progress"]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while len(list((out / DONE).glob("part-*.json"))) < partitions // 2:
        if proc.poll() is not None:
            raise SystemExit(f"the run ended before it could be killed (exit {proc.returncode})")
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    killed_after = time.perf_counter() - started
    done = len(list((out / DONE).glob("part-*.json")))
    t0 = time.perf_counter()
    result = geoparse_corpus(path, out, workers=workers, partition_size=partition_size, progress=False)
    return killed_after, done, time.perf_counter() - t0, result.seconds, result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    ap.add_argument("--docs", type=int, default=20_000)
    ap.add_argument("--partition-size", type=int, default=200)
    ap.add_argument("--skip-single", action="store_true", help="leave out the single-process baseline")
    ap.add_argument("--dask-environ", action="store_true",
                    help="also 1 worker with Dask's default worker environment (MALLOC_TRIM_THRESHOLD_ set)")
    ap.add_argument("--skip-resume", action="store_true", help="leave out the killed-and-resumed run")
    args = ap.parse_args()
    if not all((args.eval_dir / c).is_file() for c in CORPORA):
        print(f"the development corpora are not in {args.eval_dir}; nothing to measure")
        return 0
    from geo_news.gazetteer import open_default

    open_default()
    work = Path(tempfile.mkdtemp(prefix="geo_news_batch_bench_"))
    path = work / "corpus.jsonl"
    words = write_corpus(args.eval_dir, args.docs, path)
    partitions = -(-args.docs // args.partition_size)
    print(f"{args.docs:,} documents, {words:,} words, {partitions} partitions of {args.partition_size} "
          f"({os.cpu_count()} cores)", flush=True)

    rows = []
    if not args.skip_single:
        seconds = single(path)
        rows.append(("geoparse_many, this process", seconds, [peak_rss_mb()]))
        print(f"  single process: {seconds:.0f} s", flush=True)
    for workers in (1, 2):
        seconds, rss, result = on_cluster(path, work / f"out-{workers}", workers, args.partition_size)
        assert result.complete and result.documents == args.docs, result
        rows.append((f"LocalCluster, {workers} worker{'s' if workers > 1 else ''}", seconds, rss))
        print(f"  {workers} worker(s): {seconds:.0f} s", flush=True)
    if args.dask_environ:
        seconds, rss, result = on_cluster(path, work / "out-dask-environ", 1, args.partition_size, True)
        assert result.complete and result.documents == args.docs, result
        rows.append(("1 worker, Dask's default environ", seconds, rss))
        print(f"  1 worker with Dask's default environment: {seconds:.0f} s", flush=True)

    print(f"\n{'run':32} {'seconds':>8} {'words/s':>9}  peak RSS MB (per process)")
    for label, seconds, rss in rows:
        print(f"{label:32} {seconds:8.0f} {words / seconds:9,.0f}  {', '.join(f'{r:.0f}' for r in rss)}")
    by = {label: seconds for label, seconds, _ in rows}
    one, two = by["LocalCluster, 1 worker"], by["LocalCluster, 2 workers"]
    print(f"scaling, 2 workers / 1 worker: {one / two:.2f}x")
    if "geoparse_many, this process" in by:
        base = by["geoparse_many, this process"]
        print(f"against geoparse_many: 1 worker {base / one:.2f}x, 2 workers {base / two:.2f}x")

    if args.skip_resume:
        return 0
    killed_after, done, resumed, _, result = killed_and_resumed(path, work / "out-killed", 2, args.partition_size,
                                                                partitions)
    assert result.complete and result.documents == args.docs, result
    print(f"\nkilled after {killed_after:.0f} s with {done} of {partitions} partitions done; the resumed run skipped "
          f"{len(result.skipped)} and wrote {len(result.written)} in {resumed:.0f} s "
          f"(a full 2-worker run: {two:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
