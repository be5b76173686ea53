"""Robustness figures: time and peak memory of huge articles, and what each family of faults ends in.

* **Huge articles**: one article of 0.1, 1, 5 (and with ``--huge`` 20) MB, made of the sample articles repeated,
  each geoparsed in a fresh process; peak RSS and seconds, and the ratio of the 5 MB time to five times the 1 MB
  time (issue 12: peak under 1.5 GB, ratio within 1.2).
* **Faults**: damaged gazetteer files (zeroed pages in each table and index, truncation), an unreadable file, a
  data dir that is a file, a killed build's leftovers, and damaged text (bad bytes, control characters, lone
  surrogates, zero-width characters, empty and binary input); each case's outcome is counted as ``ok`` (worked),
  ``clear error`` (a ``GeoNewsError`` naming what to do) or ``other exception`` (a bug).

Usage::

    python benchmarks/robustness.py [--sizes 0.1 1 5] [--huge] [--no-faults]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

_ONE = r"""
import json, resource, sys, time
from pathlib import Path
import geo_news
from geo_news.pipeline import default_geoparser
arts = sorted(Path(sys.argv[2]).rglob("*.txt"))
base = "\n\n".join(p.read_text(encoding="utf-8") for p in arts)
size = int(float(sys.argv[1]) * 1e6)
text = ((base + "\n\n") * (size // (len(base) + 2) + 1))[:size]
parser = default_geoparser()
parser.parse("Shells hit Aleppo.")  # the model and gazetteer are loaded before the clock starts
started = time.perf_counter()
frame = parser.parse(text)
print(json.dumps({"mb": float(sys.argv[1]), "seconds": time.perf_counter() - started, "mentions": len(frame),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def huge_articles(sizes: list[float]) -> dict[float, dict]:
    out = {}
    for mb in sizes:
        proc = subprocess.run([sys.executable, "-c", _ONE, str(mb), str(ROOT / "data" / "articles")],
                              capture_output=True, text=True, check=True)
        out[mb] = json.loads(proc.stdout.strip().splitlines()[-1])
        r = out[mb]
        print(f"{mb:>6} MB  {r['seconds']:8.1f} s  peak RSS {r['peak_mb']:7.0f} MB  {r['mentions']:>8} mentions",
              flush=True)
    if 1.0 in out and 5.0 in out:
        ratio = out[5.0]["seconds"] / (5 * out[1.0]["seconds"])
        print(f"5 MB time / five times the 1 MB time: {ratio:.2f} (target <= 1.2)")
    return out


def _outcome(fn) -> str:
    from geo_news.exceptions import GeoNewsError

    try:
        fn()
        return "ok"
    except GeoNewsError:
        return "clear error"
    except Exception as err:  # noqa: BLE001 - counting what escapes is the point
        return f"other exception ({type(err).__name__})"


def faults() -> None:
    import sqlite3

    from geo_news.gazetteer import Gazetteer
    from geo_news.gazetteer.build import build_from_rows
    from geo_news.pipeline import default_geoparser
    from geo_news.textio import decode, prepare_text

    rows = [dict(id=f"p{i}", name=f"Place {i}", feature_class="P", feature_code="PPL", lat=10 + i / 100,
                 lon=20 + i / 100, alt_names=[f"Alias {i}"], population=1000 + i) for i in range(3000)]
    families: dict[str, Counter] = {}
    with tempfile.TemporaryDirectory() as tmp:
        clean = build_from_rows(Path(tmp) / "clean.sqlite", rows)
        con = sqlite3.connect(clean)
        tables = [r[0] for r in con.execute("SELECT DISTINCT name FROM dbstat")]
        page_size = con.execute("PRAGMA page_size").fetchone()[0]
        pages = {t: [r[0] for r in con.execute("SELECT pageno FROM dbstat WHERE name = ?", (t,))] for t in tables}
        con.close()

        def damaged(name: str, table: str):
            path = Path(tmp) / f"{name}.sqlite"
            path.write_bytes(clean.read_bytes())
            with open(path, "r+b") as fh:
                for p in pages[table][: max(1, len(pages[table]) // 2)]:
                    fh.seek((p - 1) * page_size)
                    fh.write(b"\0" * page_size)
            return path

        def use(path):
            gaz = Gazetteer(path)
            gaz.verify()
            for i in range(0, 3000, 30):
                gaz.lookup(f"Place {i}")
                gaz.nearby(10 + i / 100, 20 + i / 100, radius_km=5)

        fam = families.setdefault("zeroed pages (each table and index)", Counter())
        for i, table in enumerate(tables):
            fam[_outcome(lambda t=table, i=i: use(damaged(f"z{i}", t)))] += 1
        fam = families.setdefault("truncated file", Counter())
        for share in (0.1, 0.5, 0.9, 0.999):
            path = Path(tmp) / f"t{share}.sqlite"
            data = clean.read_bytes()
            path.write_bytes(data[: int(len(data) * share)])
            fam[_outcome(lambda p=path: use(p))] += 1
        fam = families.setdefault("not a gazetteer", Counter())
        for body in (b"", b"hello", os.urandom(65536)):
            path = Path(tmp) / "junk.sqlite"
            path.write_bytes(body)
            fam[_outcome(lambda p=path: use(p))] += 1

    parser = default_geoparser()
    texts = {
        "a bad byte in UTF-8": lambda: decode("Shells hit Aleppo \u2014 ".encode() + b"\xff and Homs."),
        "control characters": lambda: decode(b"Rockets hit Aleppo.\x0b\x0c\x1b"),
        "binary": lambda: decode(bytes(range(256)) * 64),
        "empty": lambda: prepare_text("   "),
        "lone surrogate": lambda: parser.parse("Shells hit Aleppo \ud800 on Monday."),
        "zero-width inside a name": lambda: parser.parse("Missiles over the Cas\u200bpian Sea."),
        "HTML with scripts": lambda: parser.parse("<p>Shells hit <b>Aleppo</b></p><script>x()</script>"),
        "not a string": lambda: parser.parse(b"Shells hit Aleppo."),  # type: ignore[arg-type]
    }
    fam = families.setdefault("damaged text", Counter())
    for fn in texts.values():
        fam[_outcome(fn)] += 1
    print("\nfault family                              cases  outcomes")
    for name, counts in families.items():
        print(f"{name:<40}{sum(counts.values()):>7}  " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=float, nargs="*", default=[0.1, 1.0, 5.0])
    ap.add_argument("--huge", action="store_true", help="also a 20 MB article (about twenty minutes)")
    ap.add_argument("--no-faults", action="store_true")
    args = ap.parse_args(argv)
    huge_articles(args.sizes + ([20.0] if args.huge else []))
    if not args.no_faults:
        faults()
    return 0


if __name__ == "__main__":
    sys.exit(main())
