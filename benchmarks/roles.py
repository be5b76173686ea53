"""Precision, recall and F1 per role over the role-labelling suite (tests/roles/cases.yaml).

Three views of the same cases, real spaCy model and embedded gazetteer:

* **labeller**: ``role_of`` on every expected place, located in the parsed text (roles alone);
* **pipeline, found places**: ``geoparse`` on each text, scored on the places it returned;
* **pipeline, end to end**: the same, where a place the extractor missed counts as a recall miss.

It also prints the confusion pairs (expected -> predicted), attributions not found, extraction misses and each
case that went wrong.

How far the figures generalise: the suite's first 86 cases were written and the labeller tuned on them; three
later batches (ids ``ho-``, ``ho2-``, ``ho3-``) were written afterwards and run *unseen* once before any fix they
prompted. Their first-run labeller figures (precision / recall):

=========  ==========  ==========  ==========  ==========
batch      launch      transit     target      impact
=========  ==========  ==========  ==========  ==========
ho- (20)   0.89/1.00   1.00/0.75   1.00/1.00   1.00/0.86
ho2- (22)  1.00/0.88   1.00/0.83   0.70/0.78   1.00/0.67
ho3- (22)  1.00/1.00   1.00/0.80   1.00/0.86   1.00/1.00
=========  ==========  ==========  ==========  ==========

Expect figures on new text nearer those rows than the suite's overall table. Write the next batch before
looking at the labeller's output on it.

Usage::

    python benchmarks/roles.py [--quiet]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.roles.suite import (  # noqa: E402
    ROLES, THRESHOLDS, align, attribution_misses, label_gold, load_cases, missed, promoted_without_movement,
    run_case, score,
)


def _table(title: str, table: dict) -> None:
    print(f"\n{title}")
    print(f"{'role':<10}{'P':>7}{'R':>7}{'F1':>7}{'tp':>5}{'fp':>5}{'fn':>5}  threshold")
    for role in ROLES:
        row = table[role]
        need = THRESHOLDS.get(role)
        flag = "" if need is None else (f"  >= {need}" + ("" if min(row["precision"], row["recall"]) >= need
                                                            else "  BELOW"))
        print(f"{role:<10}{row['precision']:>7.3f}{row['recall']:>7.3f}{row['f1']:>7.3f}"
              f"{row['tp']:>5}{row['fp']:>5}{row['fn']:>5}{flag}")


def _confusion(confusion) -> None:
    print("confusion (expected -> predicted), errors only:")
    for (want, got), n in sorted(confusion.items(), key=lambda kv: -kv[1]):
        if want != got:
            print(f"  {want or '(not listed)':>12} -> {got or '(not found)':<12} {n}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quiet", action="store_true", help="only the per-role tables")
    args = ap.parse_args(argv)

    from geo_news.pipeline import default_geoparser

    cases = load_cases()
    parser = default_geoparser()
    t0 = time.perf_counter()
    gold = [label_gold(c, parser.nlp) for c in cases]
    outcomes = [run_case(c, parser) for c in cases]
    elapsed = time.perf_counter() - t0

    print(f"role suite: {len(cases)} cases, {sum(len(c.expect) for c in cases)} expected mentions, "
          f"{len({c.domain for c in cases})} domains, {elapsed:.1f} s")
    gold_table, gold_conf = score(gold)
    found_table, found_conf = score(outcomes, found_only=True)
    e2e_table, _ = score(outcomes)
    _table("labeller (role_of on the expected places)", gold_table)
    _table("pipeline, found places (geoparse)", found_table)
    _table("pipeline, end to end (extraction misses count)", e2e_table)
    if args.quiet:
        return 0
    print("\nlabeller ", end="")
    _confusion(gold_conf)
    print("pipeline ", end="")
    _confusion(found_conf)
    promoted = promoted_without_movement(outcomes)
    print(f"\nmovement roles in texts without movement: {len(promoted)}")
    for item in promoted:
        print("  ", item)
    print("\nattributions not found (labeller | pipeline):")
    for g, o in zip(gold, outcomes):
        for miss in attribution_misses(g):
            print(f"  labeller {g.case.id}: {miss}")
        for miss in attribution_misses(o):
            print(f"  pipeline {o.case.id}: {miss}")
    lost = missed(outcomes)
    print(f"\nplaces the extractor did not return: {len(lost)}")
    for item in lost:
        print("  ", item)
    print("\ncases with role errors:")
    for g, o in zip(gold, outcomes):
        wrong = [("labeller", s, w, r) for s, w, r in align(g) if w != r]
        wrong += [("pipeline", s, w, r) for s, w, r in align(o) if w != r and r is not None]
        ev_wrong = o.case.events is not None and o.case.events != o.events
        if wrong or ev_wrong:
            print(f"  {o.case.id}: {o.case.text}")
            for view, s, w, r in wrong:
                print(f"      {view}: {s}: expected {w}, got {r}")
            if ev_wrong:
                print(f"      events: expected {o.case.events}, got {o.events}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
