"""Accuracy of geo_news on the development corpora, beside the published systems, with an error analysis.

The figures beside the peers are **leave-one-corpus-out**: the learned recogniser (``geo_news/recognize.py``) is
refitted for each corpus on the other ones (LGL on GeoVirus, GeoVirus on LGL, WikToR on both, by
``scripts/fit_recognizer.py``'s own functions), so no corpus is scored by weights that saw it. ``--in-sample``
scores the shipped weights instead (fitted on LGL and GeoVirus together). WikToR is scored recall-only on its
first ``--wiktor-limit`` documents. The resolver's weights are the hand-set ones (fitted weights did not beat them
held out: ``--fit-ranker``); the confidence calibration was fitted on LGL, so GeoVirus' and WikToR's ECE are held
out and LGL's is not.

Usage::

    python benchmarks/accuracy.py [--eval-dir ../shared/eval] [--limit N] [--top 15] [--in-sample]
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
WIKTOR = ("WikToR", "WikToR.jsonl", False)
# recall / Acc@161 / AUC on WikToR, recall-only, as published in ../shared/eval/README.md
WIKTOR_PEERS = {
    "StanfordNER + population": (0.540, 0.184, 0.702), "DBpedia Spotlight": (0.604, 0.545, 0.391),
    "CamCoder (Gritta 2018)": (0.424, 0.588, 0.370), "Edinburgh Geoparser": (0.298, 0.591, 0.378),
    "CLAVIN": (0.215, 0.154, 0.702), "GeoTxt": (0.506, 0.179, 0.701), "TopoCluster": (0.470, 0.260, 0.628),
    "spaCy NER + population": (0.518, 0.157, 0.720),
}
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


PROMINENCE = ("log_names", "scripts", "alternate_names", "alternate_scripts")
"""The resolver's prominence features (how often the world names a candidate), fitted alone by
``--fit-ranker --prominence-only`` with every other weight kept at its hand-set value."""


def fit_ranker(args, out: Path | None) -> int:
    """Fit the resolver's weights leave-one-corpus-out: for each corpus, fit on the others and report the ranking
    accuracy on it, beside the hand-set weights. Ranking accuracy: among mentions that match a gold toponym and
    have a candidate within 161 km of it, the share whose best-scored candidate is the nearest such candidate.
    WikToR annotates only some toponyms, but those it annotates are right, so its mentions serve here too (the
    first ``--wiktor-limit`` documents). With OUT, the fit on every corpus is written there."""
    from geo_news import ranker
    from geo_news.pipeline import default_geoparser
    from geo_news.resolve import hand_weights

    traces = {}
    for name, filename, demonyms in (*CORPORA, ("WikToR", "WikToR.jsonl", False)):
        path = args.eval_dir / filename
        if path.is_file():
            limit = args.wiktor_limit if name == "WikToR" else args.limit
            traces[name] = ranker.collect(load_corpus(path, limit=limit), demonyms=demonyms)
    if not traces:
        print("no corpus to fit on")
        return 0
    resolver = default_geoparser(demonyms=True).resolver
    free = PROMINENCE if args.prominence_only else None
    what = "the prominence weights (the others hand-set)" if free else "every weight"
    print(f"\n== ranking accuracy, leave one corpus out: {what} fitted on the others, scored on the one named")
    print(f"{'held out':10s} {'hand-set':>10s} {'fitted':>10s}  fitted on")
    for held in traces:
        train = [t for name, tr in traces.items() if name != held for t in tr]
        if not train:
            continue
        resolver.weights = hand_weights()
        hand = ranker.accuracy(traces[held], resolver)
        fitted = ranker.fit_weights(train, resolver, free=free)
        shown = {k: fitted[k] for k in (free or fitted)}
        print(f"{held:10s} {hand:10.4f} {ranker.accuracy(traces[held], resolver):10.4f}  "
              f"{' + '.join(n for n in traces if n != held)}  {shown}", flush=True)
    resolver.weights = hand_weights()
    every = ranker.fit_weights([t for tr in traces.values() for t in tr], resolver, free=free)
    print("\n== weights fitted on every corpus (log-odds per unit of feature)")
    for feature in ranker.FEATURES:
        print(f"{feature:28s} {every.get(feature, 0.0):10.3f}  (hand-set {hand_weights().get(feature, 0.0):.3f})")
    if out is not None:
        ranker.save(every, out, trained_on="+".join(traces))
        print(f"\nwrote the weights fitted on {' + '.join(traces)} to {out}")
    resolver.weights = hand_weights()
    return 0


def loco_recognizers(docs: dict) -> dict:
    """For each corpus, the recogniser fitted on the other fully annotated ones (WikToR is never fitted on)."""
    from geo_news.pipeline import Geoparser
    from scripts.fit_recognizer import NOTHING, candidates, fit

    parsers = {True: Geoparser(demonyms=True, recognizer=NOTHING)}
    parsers[False] = Geoparser(nlp=parsers[True].nlp, gazetteer=parsers[True].gazetteer, recognizer=NOTHING)
    dem = {name: d for name, _, d in (*CORPORA, WIKTOR)}
    data = {name: candidates(parsers[dem[name]], docs[name]) for name in ("LGL", "GeoVirus") if name in docs}
    out = {}
    for name in docs:
        train = [n for n in data if n != name]
        if train:
            out[name] = (fit([x for n in train for x in data[n][0]], [v for n in train for v in data[n][1]]),
                         " + ".join(train))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--wiktor-limit", type=int, default=1500, help="WikToR documents used by --fit-ranker")
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--prominence-only", action="store_true",
                    help="with --fit-ranker: fit only the prominence weights, the others stay hand-set")
    ap.add_argument("--in-sample", action="store_true",
                    help="score the shipped recogniser (fitted on LGL and GeoVirus) instead of leave-one-corpus-out")
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
    corpora = {}
    for name, filename, demonyms in (*CORPORA, WIKTOR):
        path = args.eval_dir / filename
        if path.is_file():
            corpora[name] = load_corpus(path, limit=args.wiktor_limit if name == "WikToR" else args.limit)
        else:
            print(f"{path} is missing; skipping {name}")
    folds = {} if args.in_sample or args.fit_calibration else loco_recognizers(corpora)
    from geo_news.pipeline import default_geoparser

    for i, (name, filename, demonyms) in enumerate((*CORPORA, WIKTOR)):
        if name not in corpora:
            continue
        docs = corpora[name]
        parser = default_geoparser(demonyms=demonyms)
        shipped = parser.extractor.recognizer
        recognizer, fitted_on = folds.get(name, (shipped, "LGL + GeoVirus (in sample)"))
        parser.extractor.recognizer = recognizer
        try:
            preds, seconds = predict(docs, geoparser=parser)
        finally:
            parser.extractor.recognizer = shipped
        s = score(docs, preds, seconds=seconds, recall_only=name == "WikToR")
        ours[name] = s
        print(f"\n== {name} ({'with' if demonyms else 'without'} demonyms): {s.docs} docs, {s.gold} gold toponyms; "
              f"recogniser fitted on {fitted_on}")
        head = f"  R {s.recall:.3f}" if s.recall_only else f"  P {s.precision:.3f}  R {s.recall:.3f}  F1 {s.f1:.3f}"
        print(f"{head}  Acc@161 {s.acc161:.3f}  AUC {s.auc:.3f}  "
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
    if "WikToR" in ours:
        print("\n== WikToR, recall-only: R / Acc@161 / AUC")
        for label, (r, acc, a) in WIKTOR_PEERS.items():
            print(f"{label:28s} {r:.3f} / {acc:.3f} / {a:.3f}")
        w = ours["WikToR"]
        print(f"{'geo_news (this run)':28s} {w.recall:.3f} / {w.acc161:.3f} / {w.auc:.3f}")
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
