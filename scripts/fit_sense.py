"""Fit the sense model (geo_news/sense.py): the slot table from unlabelled text, the logistic weights from our own
sense suite, judged on batches held out of the fit.

1. **Slot table.** Every text of the development corpora (``../shared/eval``: LGL, GeoVirus, WikToR, read at run
   time, never copied) and of our place and role suites is parsed by the spaCy model geo_news uses; for every
   noun, pronoun and entity we count who fills its slot (person/organisation/pronoun, place, or thing). No sense
   labels are used here; the texts of the sense suite are left out.
2. **Weights.** A logistic regression over :data:`geo_news.sense.FEATURES` on the sense suite's batches
   (``tests/sense/*.yaml``). Each batch is scored by weights fitted on the others (leave-one-batch-out) before
   the shipped weights are fitted on all of them.

Usage::

    python scripts/fit_sense.py [--cache DIR] [--no-write] [--train BATCH ...]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo_news.resources import write_model  # noqa: E402
from geo_news.sense import (  # noqa: E402
    FEATURES, SenseModel, animate_nouns, collapse, count_slots, default_path, noun_profiles,
    read_sense,
)

EVAL = ROOT.parent / "shared" / "eval"
MIN_COUNT = 2
"""Slots seen fewer times than this are left out of the table (their parents speak for them)."""


def unlabelled_texts(eval_dir: Path):
    import yaml

    for name in ("LGL", "GeoVirus", "WikToR"):
        path = eval_dir / f"{name}.jsonl"
        if not path.exists():
            print(f"  (no {path}; skipped)")
            continue
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                yield json.loads(line)["text"]
    for path in sorted((ROOT / "tests" / "places").glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            yield item["text"]
    for item in yaml.safe_load((ROOT / "tests" / "roles" / "cases.yaml").read_text(encoding="utf-8")):
        yield item["text"]


def raw_counts(nlp, eval_dir: Path, cache: Path | None):
    """The raw slot counts and who/which relatives of the unlabelled texts (parsed once, kept in ``cache``)."""
    if cache and (cache / "raw.json").exists():
        return json.loads((cache / "raw.json").read_text())
    t0 = time.time()
    texts = list(unlabelled_texts(eval_dir))
    words = sum(len(t.split()) for t in texts)
    raw, relatives = count_slots(nlp.pipe(texts, batch_size=32))
    print(f"slot table: {len(texts)} texts, {words:,} words, {len(raw):,} slots in {time.time() - t0:.0f} s")
    if cache:
        cache.mkdir(parents=True, exist_ok=True)
        (cache / "raw.json").write_text(json.dumps([raw, relatives]))
    return raw, relatives


def slot_table(nlp, eval_dir: Path, cache: Path | None):
    """The slot table, the noun profiles and the people-nouns, from the unlabelled texts."""
    raw, relatives = raw_counts(nlp, eval_dir, cache)
    animate = animate_nouns(relatives, raw)
    print(f"{len(animate)} common nouns read as people (who-relatives), e.g. "
          + ", ".join(sorted(animate, key=lambda n: -relatives.get(n, [0])[0])[:12]))
    return collapse(raw, animate), noun_profiles(raw), animate


def examples(batches, geoparser, tables):
    """(batch, features, label, case id, surface) for every expected mention of every case."""
    from tests.sense.suite import locate

    counts, nouns, animate = tables
    model = SenseModel(counts, {}, 0.0, nouns=nouns, animate=animate)
    rows = []
    for batch, cases in batches.items():
        docs = geoparser.nlp.pipe([c.text for c in cases], batch_size=32)
        for case, doc in zip(cases, docs):
            places = {}
            for _, row in geoparser.parse(case.text).iterrows():
                places[int(row["start"])] = geoparser.gazetteer.get(row["place_id"]) if row["place_id"] else None
            for (surface, sense), (start, end) in zip(case.expect, locate(case)):
                span = doc.char_span(start, end, alignment_mode="expand")
                if span is None:
                    continue
                reading = read_sense(span)
                rows.append((batch, model.features(reading, places.get(start)), sense == "associative",
                             case.id, surface))
    return rows


def fit(rows, c: float):
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    X = np.array([[r[1].get(f, 0.0) for f in FEATURES] for r in rows])
    y = np.array([r[2] for r in rows])
    lr = LogisticRegression(C=c, max_iter=2000).fit(X, y)
    return dict(zip(FEATURES, map(float, lr.coef_[0]))), float(lr.intercept_[0])


def score(rows, weights, bias, threshold=0.5):
    return _rates(*_counts(rows, weights, bias, threshold))


def _rates(tp: int, fp: int, tn: int, fn: int) -> dict:
    n = tp + fp + tn + fn
    lit_p = tn / (tn + fn) if tn + fn else 0.0
    lit_r = tn / (tn + fp) if tn + fp else 0.0
    return {"n": n, "accuracy": (tp + tn) / n if n else 0.0, "literal_precision": lit_p, "literal_recall": lit_r,
            "associative_precision": tp / (tp + fp) if tp + fp else 0.0,
            "associative_recall": tp / (tp + fn) if tp + fn else 0.0}


THRESHOLDS = (0.5, 0.45, 0.4, 0.35, 0.3, 0.25, 0.2)
ACCURACY_SLACK = 0.005


def choose_threshold(held) -> float:
    """The probability from which a mention is ``associative``: of :data:`THRESHOLDS`, the one with the highest
    held-out literal precision (a metonymic capital should rarely reach the event map) among those whose held-out
    accuracy is within :data:`ACCURACY_SLACK` of the best; judged on the leave-one-batch-out predictions pooled."""
    pooled = {t: _rates(*map(sum, zip(*(_counts(test, w, b, t) for test, w, b in held)))) for t in THRESHOLDS}
    best = max(r["accuracy"] for r in pooled.values())
    print("\nthreshold, leave-one-batch-out pooled: accuracy / literal precision / literal recall")
    for t, r in pooled.items():
        print(f"  {t:.2f}  {r['accuracy']:.3f} / {r['literal_precision']:.3f} / {r['literal_recall']:.3f}")
    chosen = max((t for t, r in pooled.items() if r["accuracy"] >= best - ACCURACY_SLACK),
                 key=lambda t: pooled[t]["literal_precision"])
    print(f"  chosen: {chosen}")
    return chosen


def _counts(rows, weights, bias, threshold):
    import math

    tp = fp = tn = fn = 0
    for _, feats, assoc, _, _ in rows:
        z = bias + sum(weights[f] * v for f, v in feats.items())
        pred = 1 / (1 + math.exp(-z)) >= threshold
        tp += pred and assoc
        fp += pred and not assoc
        tn += not pred and not assoc
        fn += not pred and assoc
    return tp, fp, tn, fn


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--eval-dir", type=Path, default=EVAL)
    ap.add_argument("--cache", type=Path, help="keep the slot table here and reuse it")
    ap.add_argument("--no-write", action="store_true", help="report only")
    ap.add_argument("--train", nargs="*", help="fit the shipped weights on these batches only (default: all)")
    ap.add_argument("-C", type=float, default=1.0, help="inverse regularisation strength")
    args = ap.parse_args()

    from geo_news.pipeline import Geoparser
    from tests.sense.suite import load_batches

    geoparser = Geoparser(sense_model=SenseModel({}, {}, 0.0))  # the sense it gives is not used here
    counts, nouns, animate = slot_table(geoparser.nlp, args.eval_dir, args.cache)
    counts = {k: v for k, v in counts.items() if sum(v) >= MIN_COUNT}
    batches = load_batches()
    rows = examples(batches, geoparser, (counts, nouns, animate))
    print(f"{len(rows)} labelled mentions in {len(batches)} batches: "
          + ", ".join(f"{b} {sum(r[0] == b for r in rows)}" for b in batches))

    print("\nleave-one-batch-out (fitted on the other batches, scored on the one named), at threshold 0.5:")
    held = []
    for batch in batches:
        train = [r for r in rows if r[0] != batch]
        test = [r for r in rows if r[0] == batch]
        if not train or not test:
            continue
        w, b = fit(train, args.C)
        held.append((test, w, b))
        s = score(test, w, b)
        print(f"  {batch:<10} n={s['n']:>4}  accuracy {s['accuracy']:.3f}  literal P/R {s['literal_precision']:.3f}/"
              f"{s['literal_recall']:.3f}  associative P/R {s['associative_precision']:.3f}/"
              f"{s['associative_recall']:.3f}")
    threshold = choose_threshold(held)

    train = [r for r in rows if not args.train or r[0] in args.train]
    weights, bias = fit(train, args.C)
    s = score(rows, weights, bias, threshold)
    print(f"\nfitted on {len(train)} mentions; on all batches (in sample, threshold {threshold}): accuracy "
          f"{s['accuracy']:.3f}, literal precision {s['literal_precision']:.3f}")
    for f in FEATURES:
        print(f"  {f:<20} {weights[f]:+.3f}")
    print(f"  {'bias':<20} {bias:+.3f}")
    if not args.no_write:
        path = default_path()
        model = SenseModel(counts, weights, bias, threshold, nouns=nouns, animate=animate)
        write_model(path, model.to_json())
        print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
