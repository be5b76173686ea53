"""Accuracy of geo_news on the development corpora, beside the published systems, with an error analysis.

The figures beside the peers are **leave-one-corpus-out**: every corpus is scored with models that never saw it —

* the learned recogniser (``geo_news/recognize.py``) refitted on the other fully annotated corpora and our place
  suites (LGL on GeoVirus + suites, GeoVirus on LGL + suites, WikToR on all three) by
  ``scripts/fit_recognizer.py``'s own functions;
* the ranker (``geo_news/ranker.py``) and the confidence map fitted without it, read from
  ``benchmarks/folds/ranker-without-<corpus>.json`` and ``confidence-without-<corpus>.csv`` (written by
  ``python scripts/fit_ranker.py``; each file records the corpora it was fitted on, and a fold that names the
  corpus it scores is refused).

``--in-sample`` scores the shipped models instead; ``--hand-set`` uses the hand-set ranker weights (the fallback)
for comparison. WikToR is scored recall-only on its first ``--wiktor-limit`` documents.

Usage::

    python benchmarks/accuracy.py [--eval-dir ../shared/eval] [--limit N] [--top 15] [--in-sample] [--hand-set]

The corpora (LGL, GeoVirus, WikToR; GPL-3.0 research data, Wikipedia text CC BY-SA) are read from
``../shared/eval`` at run time and never copied into the project; when the folder is absent the script says so and
exits 0. LGL is scored with demonyms (its gold counts "Russian" as Russia), GeoVirus and WikToR without. The peers'
rows are their published outputs rescored with the same rule, as listed in ``../shared/eval/README.md``.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo_news.evaluate import (  # noqa: E402
    ACC_KM, convention_errors, expected_calibration_error, load_corpus, match, mirrored_errors, placed_pairs, predict,
    reliability, score,
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


def convention_analysis(docs, preds, gazetteer, top: int) -> str:
    """The distance errors that are one area's two reference points (``geo_news.evaluate.same_area``): the
    corpus puts a country's or a division's point elsewhere than the gazetteer does. They stay in Acc@161 and AUC
    (the figures beside the peers); this says how much of what is left is convention rather than a wrong reading."""
    kms = [km for km, _, _ in placed_pairs(docs, preds)]
    if not kms:
        return "  no matched toponyms"
    beyond = sum(1 for km in kms if km >= ACC_KM)
    same = convention_errors(docs, preds, gazetteer)
    mirrored = mirrored_errors(docs, preds)
    lost = ", ".join(list(dict.fromkeys(f"{g.name or g.surface} at {g.lat:.2f}, {g.lon:.2f}"
                                        for _, g, _ in mirrored))[:min(top, 5)])
    by_area: dict[str, list[float]] = {}
    for km, _, p in same:
        by_area.setdefault(p.name or p.surface, []).append(km)
    biggest = sorted(by_area.items(), key=lambda kv: -len(kv[1]))[:top]
    areas = ", ".join(f"{n} ({len(v)}, {sorted(v)[len(v) // 2]:.0f} km)" for n, v in biggest)
    return "\n".join([
        f"  beyond {ACC_KM:.0f} km: {beyond} of {len(kms)} matched; {len(same)} of them are an area's point where the "
        f"corpus puts the same area's point elsewhere (area, pairs, median km): {areas or 'none'}",
        f"  Acc@161 counting those as right: {(len(kms) - beyond + len(same)) / len(kms):.3f} (for the error "
        "analysis only; the figure beside the peers counts them as errors)",
        f"  {len(mirrored)} more are within {ACC_KM:.0f} km of the corpus' point with a sign flipped (a hemisphere "
        f"lost in its source: {lost or 'none'}); counting both as right: "
        f"{(len(kms) - beyond + len(same) + len(mirrored)) / len(kms):.3f}"])


FOLDS = ROOT / "benchmarks" / "folds"


def fold_models(name: str):
    """The ranker and confidence knots fitted without corpus ``name`` (see ``scripts/fit_ranker.py``)."""
    import csv

    from geo_news import ranker

    path = FOLDS / f"ranker-without-{name}.json"
    fold = ranker.load(path)  # a missing file says which command writes it
    if name in fold.fitted_on or not fold.fitted_on:
        raise SystemExit(f"{path} was fitted on {fold.fitted_on or 'nothing recorded'}, not without {name}; "
                         "refit the folds with: python scripts/fit_ranker.py")
    with (FOLDS / f"confidence-without-{name}.csv").open(encoding="utf-8", newline="") as fh:
        knots = [(float(r["raw"]), float(r["calibrated"])) for r in csv.DictReader(fh)]
    return fold, knots


def loco_recognizers(docs: dict) -> dict:
    """For each corpus, the recogniser fitted on the other fully annotated ones (WikToR is never fitted on)."""
    from geo_news.pipeline import Geoparser
    from scripts.fit_recognizer import NOTHING, SUITES, candidates, fit
    from tests.places.suite import documents

    parsers = {True: Geoparser(demonyms=True, recognizer=NOTHING)}
    parsers[False] = Geoparser(nlp=parsers[True].nlp, gazetteer=parsers[True].gazetteer, recognizer=NOTHING)
    dem = {name: d for name, _, d in (*CORPORA, WIKTOR)}
    data = {name: candidates(parsers[dem[name]], docs[name]) for name in ("LGL", "GeoVirus") if name in docs}
    data[SUITES] = candidates(parsers[False], documents()[0], overlap=True)
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
    ap.add_argument("--wiktor-limit", type=int, default=1000, help="WikToR documents scored (default 1000)")
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--in-sample", action="store_true",
                    help="score the shipped recogniser, ranker and calibration instead of leave-one-corpus-out")
    ap.add_argument("--hand-set", action="store_true", help="rank with the hand-set weights (the fallback)")
    args = ap.parse_args(argv)
    if not args.eval_dir.is_dir():
        print(f"no evaluation corpora at {args.eval_dir}: nothing to measure (they are not part of the project)")
        return 0
    ours = {}
    corpora = {}
    for name, filename, demonyms in (*CORPORA, WIKTOR):
        path = args.eval_dir / filename
        if path.is_file():
            corpora[name] = load_corpus(path, limit=args.wiktor_limit if name == "WikToR" else args.limit)
        else:
            print(f"{path} is missing; skipping {name}")
    folds = {} if args.in_sample else loco_recognizers(corpora)
    from geo_news import ranker as ranking
    from geo_news.pipeline import default_geoparser

    for name, filename, demonyms in (*CORPORA, WIKTOR):
        if name not in corpora:
            continue
        docs = corpora[name]
        parser = default_geoparser(demonyms=demonyms)
        shipped = parser.extractor.recognizer
        recognizer, fitted_on = folds.get(name, (shipped, " + ".join(shipped.fitted_on) + " (in sample)"))
        shipped_ranker = parser.resolver.ranker
        if args.hand_set:
            rank, knots, ranked_on = ranking.hand_set(), None, "hand-set weights"
        elif args.in_sample:
            rank, knots, ranked_on = shipped_ranker, None, " + ".join(shipped_ranker.fitted_on) + " (in sample)"
        else:
            rank, knots = fold_models(name)
            ranked_on = " + ".join(rank.fitted_on)
        parser.extractor.recognizer, parser.resolver.ranker, parser.resolver.calibration = recognizer, rank, knots
        try:
            preds, seconds = predict(docs, geoparser=parser)
        finally:
            parser.extractor.recognizer, parser.resolver.ranker = shipped, shipped_ranker
            parser.resolver.calibration = None
        s = score(docs, preds, seconds=seconds, recall_only=name == "WikToR")
        ours[name] = s
        print(f"\n== {name} ({'with' if demonyms else 'without'} demonyms): {s.docs} docs, {s.gold} gold toponyms; "
              f"recogniser fitted on {fitted_on}; ranker: {ranked_on}")
        head = f"  R {s.recall:.3f}" if s.recall_only else f"  P {s.precision:.3f}  R {s.recall:.3f}  F1 {s.f1:.3f}"
        print(f"{head}  Acc@161 {s.acc161:.3f}  AUC {s.auc:.3f}  "
              f"mean {s.mean_km:.0f} km  median {s.median_km:.0f} km  {s.docs_per_second:.1f} docs/s")
        print(error_analysis(docs, preds, args.top))
        print(convention_analysis(docs, preds, parser.gazetteer, args.top))
        rows = reliability(docs, preds)
        print(f"  confidence calibration (ECE {expected_calibration_error(rows):.3f}; bin: n, mean confidence, Acc@161):")
        for r in rows:
            print(f"    {r['bin']}: {r['n']:5d}  {r['mean_confidence']:.3f}  {r['acc161']:.3f}")
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
