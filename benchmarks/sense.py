"""Sense of place mentions (literal / associative) on the sense suite (tests/sense), through the whole pipeline.

Each batch is a file of sentences written from a brief by a writer who had not read ``geo_news/sense.py``.
The shipped model is fitted by ``python scripts/fit_sense.py`` on some batches; the figure that matters is a
batch's **first run**, scored before it was ever fitted on or looked at:

==========  =======  ==========  ========  ============================  ===============================
batch       commit   fitted on   accuracy  literal precision / recall    associative precision / recall
==========  =======  ==========  ========  ============================  ===============================
sense_b     4352ecf  sense_a     0.878     0.887 / 0.855                 0.870 / 0.899
sense_c     c8775af  a + b       0.881     0.864 / 0.890                 0.897 / 0.873
sense_d     0d0a6ea  a + b + c   0.861     0.902 / 0.800                 0.831 / 0.919
==========  =======  ==========  ========  ============================  ===============================

After that first run a feature was added (the noun a compound name modifies: "Aleppo *city*", "a senior Iran
*commander*") and the model refitted on both batches. Leave-one-batch-out on that code (``python
scripts/fit_sense.py``): sense_a 0.826 (literal P 0.845), sense_b 0.883 (literal P 0.888) — below the issue's
0.90 / 0.95; in sample on both, 0.919. Then a second noun feature (how often the noun a name hangs on is
somewhere: "along the *coast*") raised leave-one-batch-out to sense_a 0.897, sense_b 0.887 before sense_c, written
to stress headlines, trade, sport and "from X" of both kinds, had its first run above, and sense_d (possessives
and "from"/"with" of both kinds, countries as subjects of weather and economics) after it. Leave-one-batch-out
with all four: 0.933 / 0.883 / 0.858 / 0.862.

Usage::

    python benchmarks/sense.py [--batch NAME ...] [--errors]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.sense.suite import figures, load_batches, run  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--batch", nargs="*", help="only these batches (file stems in tests/sense)")
    ap.add_argument("--errors", action="store_true", help="list every wrong sense")
    args = ap.parse_args(argv)
    batches = load_batches()
    if args.batch:
        unknown = set(args.batch) - set(batches)
        if unknown:
            ap.error(f"no batch {sorted(unknown)}; batches: {sorted(batches)}")
        batches = {k: v for k, v in batches.items() if k in args.batch}
    total = {"tp": 0, "fp": 0, "tn": 0, "fn": 0, "missed": 0, "n": 0}
    print(f"{'batch':<10}{'names':>6}{'found':>7}{'accuracy':>10}{'lit P':>8}{'lit R':>8}{'assoc P':>9}"
          f"{'assoc R':>9}")
    wrong = []
    t0 = time.perf_counter()
    for name, cases in batches.items():
        r = run(cases)
        for k in total:
            total[k] += r[k]
        wrong += r["wrong"]
        print(f"{name:<10}{r['n']:>6}{r['found']:>7.3f}{r['accuracy']:>10.3f}{r['literal_precision']:>8.3f}"
              f"{r['literal_recall']:>8.3f}{r['associative_precision']:>9.3f}{r['associative_recall']:>9.3f}")
    t = figures(total)
    print(f"{'all':<10}{total['n']:>6}{t['found']:>7.3f}{t['accuracy']:>10.3f}{t['literal_precision']:>8.3f}"
          f"{t['literal_recall']:>8.3f}{t['associative_precision']:>9.3f}{t['associative_recall']:>9.3f}"
          f"   ({time.perf_counter() - t0:.1f} s)")
    if args.errors:
        print("\nwrong senses (case, name, expected, got):")
        for cid, surface, gold, pred, text in wrong:
            print(f"  {cid}: {surface}: expected {gold}, got {pred} | {text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
