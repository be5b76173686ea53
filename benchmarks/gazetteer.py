"""Benchmark the offline gazetteer: build, size, open, exact / fuzzy / reverse lookups, peak memory.

Run from the repository root::

    python benchmarks/gazetteer.py                     # builds the embedded gazetteer into a temp dir first
    python benchmarks/gazetteer.py --path FILE         # measures an existing file (no build)
    python benchmarks/gazetteer.py --compare-fuzzy     # also rapidfuzz scan vs the FTS5 trigram index

Names and points are drawn at random (``--seed``) from the gazetteer itself; fuzzy queries are those names with one
letter dropped, so they need the fuzzy path. Each figure is printed beside its target.
"""

from __future__ import annotations

import argparse
import random
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from geo_news.gazetteer import Gazetteer, normalize
from geo_news.gazetteer.build import build

TARGETS = {"build_s": 120.0, "open_s": 0.2, "exact_p50_us": 50.0, "reverse_p50_ms": 1.0}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _timed(fn, items) -> list[float]:
    out = []
    for item in items:
        t = time.perf_counter_ns()
        fn(item)
        out.append((time.perf_counter_ns() - t) / 1e3)  # µs
    return out


def _pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1]


def _row(label: str, value: str, target: str = "", ok: bool | None = None) -> None:
    mark = "" if ok is None else ("ok" if ok else "MISSED")
    print(f"{label:<34} {value:>18}   {target:<14} {mark}")


def _sample(path: Path, n: int, seed: int):
    con = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    names = [r[0] for r in con.execute("SELECT name FROM names")]
    points = con.execute("SELECT lat, lon FROM places WHERE west IS NULL").fetchall()
    con.close()
    rng = random.Random(seed)
    names = rng.sample(names, min(n, len(names)))
    points = [(lat + rng.uniform(-0.05, 0.05), lon + rng.uniform(-0.05, 0.05))
              for lat, lon in rng.sample(points, min(n, len(points)))]
    return names, points, rng


def _misspell(name: str, rng: random.Random) -> str:
    if len(name) < 6:
        return name
    i = rng.randrange(1, len(name) - 1)
    return name[:i] + name[i + 1:]


def compare_fuzzy(gaz: Gazetteer, pairs: list[tuple[str, str]]) -> None:
    """rapidfuzz over every name key in memory vs the FTS5 trigram index plus re-scoring.

    ``pairs`` are ``(original, misspelled)``; a method "finds" a query when the original's key is among its ten
    best answers (keys for the scan, places' names for the index).
    """
    from rapidfuzz import fuzz, process

    import tracemalloc

    tracemalloc.start()
    t = time.perf_counter()
    keys = [r[0] for r in gaz._query("SELECT norm FROM fuzzy_norms")]
    load_s = time.perf_counter() - t
    keys_mb = tracemalloc.get_traced_memory()[0] / 1e6
    tracemalloc.stop()
    queries = [normalize(q) for _, q in pairs]
    t = time.perf_counter()
    scan = [process.extract(q, keys, scorer=fuzz.ratio, score_cutoff=80, limit=10) for q in queries]
    scan_ms = (time.perf_counter() - t) / len(queries) * 1e3
    gaz._fuzzy.cache_clear()  # the main run already answered these queries
    t = time.perf_counter()
    fts = [gaz.fuzzy_lookup(q, limit=10) for _, q in pairs]
    fts_ms = (time.perf_counter() - t) / len(queries) * 1e3
    originals = [normalize(o) for o, _ in pairs]
    scan_found = sum(1 for o, hits in zip(originals, scan) if o in {k for k, _, _ in hits})
    fts_found = sum(1 for o, hits in zip(originals, fts)
                    if o in {normalize(n) for p, _ in hits for n, _, _ in gaz.names_of(p)})
    print(f"\nfuzzy: rapidfuzz scan vs FTS5 trigram index ({len(queries)} misspelled names, {len(keys):,} keys)")
    _row("rapidfuzz scan, per query", f"{scan_ms:.1f} ms")
    _row("rapidfuzz: load keys / their memory", f"{load_s:.2f} s / {keys_mb:.0f} MB")
    _row("rapidfuzz: original in top 10", f"{scan_found}/{len(queries)}")
    _row("FTS5 trigram + re-score, per query", f"{fts_ms:.1f} ms")
    _row("FTS5: original in top 10", f"{fts_found}/{len(queries)}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--path", type=Path, help="measure this gazetteer file instead of building one")
    ap.add_argument("--tier", type=int, default=500, help="GeoNames tier of the build (default 500)")
    ap.add_argument("-n", type=int, default=10_000, help="names and points to look up (default 10,000)")
    ap.add_argument("--fuzzy-n", type=int, default=1_000, help="fuzzy queries (default 1,000; each takes ms)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--compare-fuzzy", action="store_true", help="also time a rapidfuzz scan over every key")
    args = ap.parse_args(argv)

    print(f"Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}")
    print(f"{'metric':<34} {'value':>18}   {'target':<14}")
    with tempfile.TemporaryDirectory() as tmp:
        path = args.path
        if path is None:
            path = Path(tmp) / "gazetteer.sqlite"
            t = time.perf_counter()
            build(path, tier=args.tier)
            took = time.perf_counter() - t
            _row("build", f"{took:.1f} s", f"< {TARGETS['build_s']:.0f} s", took < TARGETS["build_s"])
            _row("peak memory after build", f"{_peak_mb():.0f} MB")
        _row("file size", f"{path.stat().st_size / 1e6:.1f} MB")

        opens = []
        for _ in range(5):
            t = time.perf_counter()
            Gazetteer(path).close()
            opens.append(time.perf_counter() - t)
        open_s = statistics.median(opens)
        _row("open (median of 5)", f"{open_s * 1e3:.1f} ms", f"< {TARGETS['open_s'] * 1e3:.0f} ms",
             open_s < TARGETS["open_s"])

        names, points, rng = _sample(path, args.n, args.seed)
        gaz = Gazetteer(path)
        lat_us = _timed(gaz.lookup, names)
        p50 = statistics.median(lat_us)
        _row(f"exact lookup ({len(names):,} names)", f"{len(names) / (sum(lat_us) / 1e6):,.0f} /s")
        _row("exact lookup p50", f"{p50:.1f} µs", f"< {TARGETS['exact_p50_us']:.0f} µs",
             p50 < TARGETS["exact_p50_us"])
        _row("exact lookup p95", f"{_pct(lat_us, 95):.1f} µs")
        hits = sum(1 for name in names if gaz.lookup(name))
        _row("exact lookup found", f"{hits:,}/{len(names):,}")
        cached = _timed(gaz.lookup, names[:1000])
        _row("exact lookup p50, repeated names", f"{statistics.median(cached):.1f} µs")

        fuzzy_names = [_misspell(n, rng) for n in names[: args.fuzzy_n]]
        fz_us = _timed(gaz.fuzzy_lookup, fuzzy_names)
        _row(f"fuzzy lookup ({len(fuzzy_names):,} misspelled)", f"{len(fz_us) / (sum(fz_us) / 1e6):,.1f} /s")
        _row("fuzzy lookup p50", f"{statistics.median(fz_us) / 1e3:.2f} ms")
        _row("fuzzy lookup p95", f"{_pct(fz_us, 95) / 1e3:.2f} ms")

        rev_us = _timed(lambda pt: gaz.reverse(*pt), points)
        rp50 = statistics.median(rev_us) / 1e3
        _row(f"reverse lookup ({len(points):,} points)", f"{len(points) / (sum(rev_us) / 1e6):,.0f} /s")
        _row("reverse lookup p50", f"{rp50:.3f} ms", f"< {TARGETS['reverse_p50_ms']:.0f} ms",
             rp50 < TARGETS["reverse_p50_ms"])
        _row("reverse lookup p95", f"{_pct(rev_us, 95) / 1e3:.3f} ms")
        if args.compare_fuzzy:
            compare_fuzzy(gaz, list(zip(names, fuzzy_names))[:200])
        gaz.close()
        _row("peak memory (ru_maxrss)", f"{_peak_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
