"""Accuracy of geo_news on the development corpora, beside the published systems, with an error analysis.

Usage::

    python benchmarks/accuracy.py [--eval-dir ../shared/eval] [--limit N] [--top 15]
    python benchmarks/accuracy.py --fit-calibration      # refit the confidence map on LGL
    python benchmarks/accuracy.py --fit-ranker [OUT.csv] # fit the resolver's weights, compare held out

The corpora (LGL, GeoVirus; GPL-3.0 research data) are read from ``../shared/eval`` at run time and never copied
into the project; when the folder is absent the script says so and exits 0. LGL is scored with demonyms (its gold
counts "Russian" as Russia), GeoVirus without. The peers' rows are their published outputs rescored with the same
rule, as listed in ``../shared/eval/README.md``.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo_news.evaluate import (  # noqa: E402
    expected_calibration_error, fit_calibration, load_corpus, match, predict, reliability, score,
)

CORPORA = (("LGL", "LGL.jsonl", True), ("GeoVirus", "GeoVirus.jsonl", False))
# F1 / Acc@161 / AUC per corpus, as published in ../shared/eval/README.md (same rule, same gold)
PEERS = {
    "StanfordNER + population": ((0.677, 0.590, 0.367), (0.915, 0.655, 0.378)),
    "DBpedia Spotlight": ((0.713, 0.643, 0.361), (0.693, 0.533, 0.406)),
    "CamCoder (Gritta 2018)": ((0.654, 0.717, 0.248), (0.866, 0.770, 0.336)),
    "Edinburgh Geoparser": ((0.501, 0.819, 0.172), (0.678, 0.807, 0.319)),
    "CLAVIN": ((0.573, 0.701, 0.262), (0.750, 0.786, 0.320)),
    "GeoTxt": ((0.601, 0.633, 0.312), (0.786, 0.787, 0.337)),
    "TopoCluster": ((0.657, 0.625, 0.379), (0.844, 0.673, 0.407)),
    "spaCy NER + population": ((0.423, 0.561, 0.381), (0.499, 0.698, 0.367)),
}


def error_analysis(docs, preds, top: int) -> str:
    fp, fn, far = Counter(), Counter(), []
    from geo_news.geo import haversine_km

    for d in docs:
        gold = [t for t in d.toponyms if t.lat is not None]
        pred = [t for t in preds.get(d.doc_id, []) if t.lat is not None]
        pairs = match(gold, pred)
        mg = {id(g) for g, _ in pairs}
        mp = {id(p) for _, p in pairs}
        fn.update(g.surface for g in gold if id(g) not in mg)
        fp.update(p.surface for p in pred if id(p) not in mp)
        for g, p in pairs:
            far.append((haversine_km(g.lat, g.lon, p.lat, p.lon), g.surface, p.name, d.doc_id))
    far.sort(reverse=True)
    lines = [f"  most frequent false positives: {', '.join(f'{k} ({v})' for k, v in fp.most_common(top))}",
             f"  most frequent false negatives: {', '.join(f'{k} ({v})' for k, v in fn.most_common(top))}",
             "  largest distance errors:"]
    lines += [f"    {km:8.0f} km  {s!r} -> {n!r} (doc {doc})" for km, s, n, doc in far[:top]]
    return "\n".join(lines)


def write_calibration(rows) -> None:
    import csv

    path = ROOT / "data" / "calibration" / "confidence.csv"
    knots = fit_calibration(rows)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["raw", "calibrated"])
        w.writerows(knots)
    print(f"  wrote {len(knots)} calibration knots to {path} (re-run without --fit-calibration to see the effect)")


def fit_ranker(args, out: Path | None) -> int:
    """Fit the resolver's weights on each corpus; print each fit's ranking accuracy on both, beside the default
    (hand-set) weights. Ranking accuracy: among mentions that match a gold toponym and have a candidate within
    161 km of it, the share whose best-scored candidate is the nearest such candidate."""
    from geo_news import ranker
    from geo_news.pipeline import default_geoparser
    from geo_news.resolve import hand_weights

    traces = {}
    for name, filename, demonyms in CORPORA:
        path = args.eval_dir / filename
        if path.is_file():
            traces[name] = ranker.collect(load_corpus(path, limit=args.limit), demonyms=demonyms)
    if not traces:
        print("no corpus to fit on")
        return 0
    resolver = default_geoparser(demonyms=True).resolver
    fits = {"hand-set (default)": hand_weights()}
    for name, tr in traces.items():
        resolver.weights = hand_weights()
        fits[f"fitted on {name}"] = ranker.fit_weights(tr, resolver)
    print("\n== ranking accuracy (rows: weights; columns: corpus; a fit's own corpus is in-sample)")
    print(f"{'weights':24s} " + " ".join(f"{n:>10s}" for n in traces))
    for label, weights in fits.items():
        resolver.weights = weights
        print(f"{label:24s} " + " ".join(f"{ranker.accuracy(tr, resolver):10.4f}" for tr in traces.values()))
    print("\n== weights (log-odds per unit of feature)")
    print(f"{'feature':28s} " + " ".join(f"{label[:18]:>18s}" for label in fits))
    for feature in ranker.FEATURES:
        print(f"{feature:28s} " + " ".join(f"{w.get(feature, 0.0):18.3f}" for w in fits.values()))
    if out is not None:
        first = next(iter(traces))
        ranker.save(fits[f"fitted on {first}"], out, trained_on=first)
        print(f"\nwrote the weights fitted on {first} to {out} (use: Geoparser(weights=geo_news.ranker.load(path)))")
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--fit-calibration", action="store_true",
                    help="refit data/calibration/confidence.csv on LGL (the first corpus); GeoVirus stays held out")
    ap.add_argument("--fit-ranker", nargs="?", const="", metavar="OUT.csv",
                    help="fit the resolver's weights on each corpus and compare them with the defaults held out; "
                         "with OUT.csv, also write the weights fitted on LGL there")
    args = ap.parse_args(argv)
    if not args.eval_dir.is_dir():
        print(f"no evaluation corpora at {args.eval_dir}: nothing to measure (they are not part of the project)")
        return 0
    if args.fit_ranker is not None:
        return fit_ranker(args, Path(args.fit_ranker) if args.fit_ranker else None)
    if args.fit_calibration:  # fit on the raw scores, not on an earlier calibration's output
        import geo_news.resolve as resolve

        resolve._calibration = lambda: ((0.0, 1.0), (0.0, 1.0))
    ours = {}
    for i, (name, filename, demonyms) in enumerate(CORPORA):
        path = args.eval_dir / filename
        if not path.is_file():
            print(f"{path} is missing; skipping {name}")
            continue
        docs = load_corpus(path, limit=args.limit)
        preds, seconds = predict(docs, demonyms=demonyms)
        s = score(docs, preds, seconds=seconds)
        ours[name] = s
        print(f"\n== {name} ({'with' if demonyms else 'without'} demonyms): {s.docs} docs, {s.gold} gold toponyms")
        print(f"  P {s.precision:.3f}  R {s.recall:.3f}  F1 {s.f1:.3f}  Acc@161 {s.acc161:.3f}  AUC {s.auc:.3f}  "
              f"mean {s.mean_km:.0f} km  median {s.median_km:.0f} km  {s.docs_per_second:.1f} docs/s")
        print(error_analysis(docs, preds, args.top))
        rows = reliability(docs, preds)
        print(f"  confidence calibration (ECE {expected_calibration_error(rows):.3f}; bin: n, mean confidence, Acc@161):")
        for r in rows:
            print(f"    {r['bin']}: {r['n']:5d}  {r['mean_confidence']:.3f}  {r['acc161']:.3f}")
        if args.fit_calibration and i == 0:
            write_calibration(rows)
    print("\n== F1 / Acc@161 / AUC (lower AUC is better)")
    print(f"{'system':28s} {'LGL':>24s}   {'GeoVirus':>24s}")
    rows = list(PEERS.items())
    for label, (lgl, gv) in rows:
        print(f"{label:28s} {lgl[0]:.3f} / {lgl[1]:.3f} / {lgl[2]:.3f}     {gv[0]:.3f} / {gv[1]:.3f} / {gv[2]:.3f}")
    cells = []
    for name, _, _ in CORPORA:
        s = ours.get(name)
        cells.append(f"{s.f1:.3f} / {s.acc161:.3f} / {s.auc:.3f}" if s else "    (not run)       ")
    print(f"{'geo_news (this run)':28s} {cells[0]}     {cells[1]}")
    for k, (name, _, _) in enumerate(CORPORA):
        s = ours.get(name)
        if not s:
            continue
        best = (max(p[k][0] for p in PEERS.values()), max(p[k][1] for p in PEERS.values()),
                min(p[k][2] for p in PEERS.values()))
        verdict = ["F1 " + ("leads" if s.f1 > best[0] else f"behind best {best[0]:.3f}"),
                   "Acc@161 " + ("leads" if s.acc161 > best[1] else f"behind best {best[1]:.3f}"),
                   "AUC " + ("leads" if s.auc < best[2] else f"behind best {best[2]:.3f}")]
        print(f"  {name}: {'; '.join(verdict)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
