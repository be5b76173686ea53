"""Fit the resolver's ranker (geo_news/ranker.py) on the development corpora, judged leave-one-corpus-out.

For every mention our extractor finds that matches a gold toponym (the scoring rule's match) and has a
candidate within 161 km of the gold point, the nearest such candidate is the right answer; the conditional logit
maximises the softmax likelihood of the right answers over each mention's candidates, with an L2 pull toward the
hand-set weights (features the corpora rarely show keep their prior weight). The features of a candidate depend on
the ranker (the story's other names are placed with it), so fitting alternates: featurise with the current
weights, refit, ``ROUNDS`` times, starting from the hand-set weights.

Each name of a document is one example, with the evidence of all its mentions as the resolver decides it (one
sense per discourse, ``geo_news.resolve.by_name``); each corpus weighs the same in a fit but WikToR (see ``CORPUS_WEIGHT``). Besides the development corpora, our
place suites are two more (``SUITES``: conflict and world news; namesakes). The folds: each corpus is scored by
weights fitted on all the others (LGL by GeoVirus + WikToR + Conflict + Namesakes, and so on). The shipped weights (``data/ranker/ranker.json``) are the fit on all three; the fold
weights go to ``benchmarks/folds/`` for ``benchmarks/accuracy.py``, which scores every corpus end to end with
the weights fitted without it. WikToR annotates only some toponyms, but those it annotates are right, so its
mentions serve as training examples like the others.

The confidence calibration (``data/calibration/confidence.csv``) is refitted the same way: each corpus' softmax
shares are taken from the fold ranker that did not see it, and the shipped map is the isotonic fit on all of
those; the fold maps (fitted on the other corpora's out-of-fold shares) go beside the fold weights.

Mentions come from the shipped recogniser (``data/recognizer/rescue.json``, fitted on LGL and GeoVirus); which
names a training corpus yields is the only thing the held-out corpus can touch there.

Usage::

    python scripts/fit_ranker.py [--eval-dir ../shared/eval] [--limit N] [--wiktor-limit N] [--no-write] [--no-suites]
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import pickle
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo_news.evaluate import (  # noqa: E402
    ACC_KM, Document, Toponym, expected_calibration_error, fit_calibration, load_corpus, match, reliability_of_pairs,
)
from geo_news.extract import CONTEXT_LABEL  # noqa: E402
from geo_news.geo import haversine_km  # noqa: E402
from geo_news.ranker import Ranker, default_path, hand_set, save  # noqa: E402
from geo_news.resolve import FEATURES, WITHIN, by_name, calibrated, normalize  # noqa: E402

CORPORA = {"LGL": ("LGL.jsonl", True), "GeoVirus": ("GeoVirus.jsonl", False), "WikToR": ("WikToR.jsonl", False)}
L2 = 0.2
"""Strength of the pull toward the hand-set weights (per unit of mean log-likelihood), the same for every fold."""
NEW_FEATURE_PULL = 0.05
"""The pull on features without a hand-set weight (toward 0), relative to ``L2``: with the same pull as the others
they stay near 0 and the fit is the hand-set weights again."""
SUITES = {"Conflict": ("conflict_*.yaml", "world_*.yaml"), "Namesakes": ("namesakes*.yaml",)}
"""Our own place suites (``tests/places/*.yaml``, written blind from a brief) as two more training corpora: conflict
and world news, and famous and lesser namesakes. The three development corpora are US local news, epidemic reports
and Wikipedia passages about lesser namesakes, none of them the world news this toolkit reads. Each listed place is
right within its own tolerance (``km``). Held out like the others, each says whether the rest carry over to it;
batches written after a fit are its out-of-sample test (their first run is recorded in ``benchmarks/places.py``
before they join ``tests/places``)."""
CORPUS_WEIGHT = {"WikToR": 0.3}
"""How much each corpus weighs in a fit (default 1). WikToR is a corpus of lesser namesakes by design (each passage
is about the Paris that is not the capital), unlike the news this toolkit reads, so it counts less.

Both settings were chosen on leave-one-corpus-out ranking accuracy (first 2,000 WikToR documents; LGL / GeoVirus /
WikToR): L2 0.05 and weights 1 / 1 / 1 gave 0.848 / 0.922 / 0.898 (all of WikToR), 0.5 and 1 / 1 / 1 gave
0.863 / 0.946 / 0.864, 0.05 and 1 / 1 / 0.3 gave 0.854 / 0.951 / 0.878, 0.2 and 1 / 1 / 0.3 gave 0.860 / 0.949 /
0.869, 0.2 and 1 / 1 / 0.6 gave 0.859 / 0.946 / 0.869 (all with the same pull on every feature); 0.2 and
1 / 1 / 0.3 with ``NEW_FEATURE_PULL`` 0.05 gave 0.844 / 0.962 / 0.880, with 0.01 0.842 / 0.960 / 0.881: a trade
between news and namesake passages within a point or two. The hand-set weights (tuned while reading LGL and
GeoVirus errors, so in sample there) gave 0.868 / 0.964 / 0.842."""
ROUNDS = 2
WIKTOR_DOCS = 1000
"""How many WikToR passages a fit reads (the first ones). Every round featurises every training corpus again, and
with all 5,000 passages a refit of the five folds took about an hour on two cores against four minutes with
1,000; WikToR weighs ``CORPUS_WEIGHT`` in a fit however many passages it brings. When the fit went from all
passages to 1,000 (together with a change to the area a name is placed in), the leave-one-corpus-out end-to-end
figures of ``benchmarks/accuracy.py`` moved by at most 0.002 on every corpus."""
FOLDS = ROOT / "benchmarks" / "folds"
IDENTITY = [(0.0, 0.0), (1.0, 1.0)]


@dataclass
class Trace:
    """One gold document with the mentions our extractor found in it."""

    doc: Document
    text: str
    mentions: list
    km: dict = field(default_factory=dict)
    """(start, end) of a gold toponym -> its tolerance, where it is not ``ACC_KM`` (the place suites' areas)."""


def collect(docs: Sequence[Document], parser) -> list[Trace]:
    """Run the extractor over the documents once, keeping the mentions (the slow, spaCy part)."""
    parser.resolver.trace = []
    try:
        for _ in parser.parse_many(d.text for d in docs):
            pass
        recorded = parser.resolver.trace
    finally:
        parser.resolver.trace = None
    if len(recorded) != len(docs):
        raise RuntimeError(f"expected one resolver call per document, got {len(recorded)} for {len(docs)}")
    return [Trace(doc, text, mentions) for doc, (text, mentions, _) in zip(docs, recorded)]


def examples(traces: Sequence[Trace], resolver) -> tuple[list[np.ndarray], list[np.ndarray], list[float]]:
    """One example per name of a document that matches gold: the feature matrix (candidates x features) of the
    name, all its mentions' evidence together (as the resolver decides it), which candidates are right (within 161 km of the gold point: for the scoring
    rule a town and its namesake province 20 km away are equally right), and its weight; featurised with the
    resolver's current ranker. Names whose candidates are all right or all wrong teach nothing and are left out."""
    xs, ys, sw = [], [], []
    for t in traces:
        rows = resolver.features(t.text, t.mentions)
        predicted = [Toponym(m.start, m.end, m.text, 0.0, 0.0) for m in t.mentions]
        gold_of = {id(p): g for g, p in match([g for g in t.doc.toponyms if g.lat is not None], predicted)}
        gold: dict[str, Toponym] = {}
        for m, p in zip(t.mentions, predicted):
            if m.label != CONTEXT_LABEL and (g := gold_of.get(id(p))) is not None:
                gold.setdefault(normalize(m.lookup), g)  # the gold points of one name's mentions agree
        # one sense per discourse: a name is decided once, on all its mentions' evidence (resolve.by_name)
        for key, row in by_name(t.mentions, rows).items():
            if key not in gold or len(row) < 2:
                continue
            g = gold[key]
            km = t.km.get((g.start, g.end), ACC_KM)
            right = np.array([haversine_km(g.lat, g.lon, place.lat, place.lon) < km for place, _ in row])
            if right.any() and not right.all():
                xs.append(np.array([[f[k] for k in FEATURES] for _, f in row], dtype=float))
                ys.append(right)
                sw.append(1.0)
    return xs, ys, sw


def fit(xs: Sequence[np.ndarray], ys: Sequence[np.ndarray], sample_weight: Sequence[float], *, l2: float = L2,
        center: dict[str, float] | None = None) -> dict[str, float]:
    """Maximum a-posteriori weights of the conditional logit (L-BFGS), pulled toward ``center`` (default 0): the
    likelihood of an example is the probability the model gives its right candidates together."""
    from scipy.optimize import minimize

    if not xs:
        raise ValueError("no training examples: no mention matched a gold toponym with a candidate near it")
    n, width = len(xs), max(len(x) for x in xs)
    X = np.zeros((n, width, len(FEATURES)))
    mask = np.zeros((n, width), dtype=bool)
    right = np.zeros((n, width), dtype=bool)
    for i, (x, r) in enumerate(zip(xs, ys)):
        X[i, :len(x)] = x
        mask[i, :len(x)] = True
        right[i, :len(x)] = r
    sw = np.asarray(sample_weight, dtype=float)
    sw = sw / sw.sum()
    c = np.array([(center or {}).get(k, 0.0) for k in FEATURES])
    # the hand-set features start from an informed guess and are pulled toward it; the others toward 0, gently
    l2 = np.array([l2 if k in (center or {}) else l2 * NEW_FEATURE_PULL for k in FEATURES])

    def objective(w):
        s = np.where(mask, X @ w, -np.inf)
        s -= s.max(axis=1, keepdims=True)
        p = np.exp(s)
        p /= p.sum(axis=1, keepdims=True)
        p_right = np.where(right, p, 0.0)
        total = p_right.sum(axis=1)
        loglik = np.log(total + 1e-300)
        # d log(sum of right p) / dw = E_right[x] - E_all[x]
        grad = (X * p[..., None]).sum(axis=1) - (X * (p_right / (total[:, None] + 1e-300))[..., None]).sum(axis=1)
        d = w - c
        return -(sw @ loglik) + 0.5 * (l2 * d) @ d, sw @ grad + l2 * d

    res = minimize(objective, c.copy(), jac=True, method="L-BFGS-B")
    return {k: round(float(v), 6) for k, v in zip(FEATURES, res.x) if abs(v) > 1e-9}


def fit_ranker(train: dict[str, list[Trace]], resolver, *, rounds: int = ROUNDS, l2: float = L2) -> Ranker:
    """Alternate featurising with the current ranker and refitting; every corpus weighs the same."""
    center = dict(hand_set().weights)
    ranker = hand_set()
    for _ in range(rounds):
        resolver.ranker = ranker
        xs, ys, sw = [], [], []
        for name, traces in train.items():
            x, y, w = examples(traces, resolver)
            total = sum(w) / CORPUS_WEIGHT.get(name, 1.0)
            xs += x
            ys += y
            sw += [v / total for v in w]
        ranker = Ranker(fit(xs, ys, sw, l2=l2, center=center), tuple(train), "conditional logit, fit_ranker.py")
    return ranker


def ranking_accuracy(traces: Sequence[Trace], resolver) -> float:
    """Share of usable mentions (some candidates right, some wrong) whose best-scored candidate is right."""
    xs, ys, _ = examples(traces, resolver)
    w = np.array([resolver.ranker.weights.get(k, 0.0) for k in FEATURES])
    return float(np.mean([bool(y[int(np.argmax(x @ w))]) for x, y in zip(xs, ys)])) if xs else float("nan")


def tree_accuracy(train: dict[str, list[Trace]], held: Sequence[Trace], resolver) -> float:
    """Held-out ranking accuracy of gradient-boosted trees (scikit-learn's ``HistGradientBoostingClassifier``, one
    row per candidate, labelled right or wrong, the corpora weighted as for the logit), on the features the
    resolver's current ranker gives; the best candidate of a name is the one the trees score highest."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    X, y, w = [], [], []
    for name, traces in train.items():
        xs, ys, sw = examples(traces, resolver)
        total = sum(sw) / CORPUS_WEIGHT.get(name, 1.0)
        for x, right, weight in zip(xs, ys, sw):
            X.append(x)
            y.append(right)
            w.append(np.full(len(x), weight / total / len(x)))
    trees = HistGradientBoostingClassifier(max_iter=300, learning_rate=0.05, max_depth=3, min_samples_leaf=80,
                                           l2_regularization=1.0, random_state=0)
    trees.fit(np.vstack(X), np.concatenate(y), sample_weight=np.concatenate(w) * len(X))
    xs, ys, _ = examples(held, resolver)
    return float(np.mean([bool(r[int(np.argmax(trees.decision_function(x)))]) for x, r in zip(xs, ys)]))


def shares(traces: Sequence[Trace], resolver) -> tuple[list[tuple[float, bool]], list[bool]]:
    """(raw softmax share of the chosen place, chosen place within 161 km of gold) for every matched mention placed
    by one of its own readings, and whether each mention placed in the area around it (``WITHIN``) is right."""
    from geo_news import resolve

    out, within = [], []
    saved, resolve._calibration = resolve._calibration, lambda: ((0.0, 1.0), (0.0, 1.0))
    kept, resolver.ranker = resolver.ranker, dataclasses.replace(resolver.ranker, within_confidence=1.0)
    try:
        for t in traces:
            items = resolver.resolve(t.text, t.mentions)
            predicted = [Toponym(m.start, m.end, m.text, 0.0, 0.0) for m, *_ in items]
            gold_of = {id(p): g for g, p in match([g for g in t.doc.toponyms if g.lat is not None], predicted)}
            for (m, place, share, _), p in zip(items, predicted):
                g = gold_of.get(id(p))
                if g is not None and place is not None and m.label != CONTEXT_LABEL:
                    right = haversine_km(g.lat, g.lon, place.lat, place.lon) < t.km.get((g.start, g.end), ACC_KM)
                    (within.append(right) if place.source == WITHIN else out.append((share, right)))
    finally:
        resolve._calibration, resolver.ranker = saved, kept
    return out, within


def reliability_rows(pairs: Sequence[tuple[float, bool]], knots: Sequence[tuple[float, float]] | None = None):
    """Reliability bins of (share, right) pairs, the shares mapped through ``knots`` first when given."""
    return reliability_of_pairs((calibrated(s, knots) if knots else s, r) for s, r in pairs)


def write_calibration(knots: Sequence[tuple[float, float]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["raw", "calibrated"])
        w.writerows(knots)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    ap.add_argument("--limit", type=int, help="only the first N documents of LGL and GeoVirus")
    ap.add_argument("--wiktor-limit", type=int, default=WIKTOR_DOCS,
                    help=f"only the first N documents of WikToR (default {WIKTOR_DOCS}; 0: all)")
    ap.add_argument("--no-write", action="store_true", help="report only; write no weights or calibration")
    ap.add_argument("--compare-trees", action="store_true",
                    help="also fit gradient-boosted trees (scikit-learn) per fold on the same features and report "
                         "their held-out ranking accuracy beside the conditional logit's")
    ap.add_argument("--cache", type=Path, help="keep the parsed corpora (mentions) here and reuse them on the next "
                                                "run: refitting then takes a minute instead of six")
    ap.add_argument("--no-suites", action="store_true",
                    help="fit on the development corpora only, not on our place suites (tests/places)")
    args = ap.parse_args(argv)
    if not (args.eval_dir / "LGL.jsonl").is_file():
        print(f"no development corpora in {args.eval_dir}; nothing to fit")
        return 0
    from geo_news.pipeline import Geoparser

    started = time.perf_counter()
    parsers = {True: Geoparser(demonyms=True, ranker=hand_set())}
    parsers[False] = Geoparser(nlp=parsers[True].nlp, gazetteer=parsers[True].gazetteer, ranker=hand_set())
    traces = {}
    for name, (file, demonyms) in CORPORA.items():
        if (args.eval_dir / file).is_file():
            limit = (args.wiktor_limit or None) if name == "WikToR" else args.limit
            cached = args.cache / f"traces-{name}-{limit or 'all'}.pickle" if args.cache else None
            if cached is not None and cached.is_file():
                traces[name] = pickle.loads(cached.read_bytes())
            else:
                traces[name] = collect(load_corpus(args.eval_dir / file, limit=limit), parsers[demonyms])
                if cached is not None:
                    cached.parent.mkdir(parents=True, exist_ok=True)
                    cached.write_bytes(pickle.dumps(traces[name]))
            print(f"{name}: {len(traces[name])} documents read ({time.perf_counter() - started:.0f} s)", flush=True)
    for name, patterns in ({} if args.no_suites else SUITES).items():
        from tests.places.suite import documents

        docs, km = [], {}
        for pattern in patterns:
            d, k = documents(pattern)
            docs += d
            km.update(k)
        traces[name] = [dataclasses.replace(t, km=km[t.doc.doc_id]) for t in collect(docs, parsers[False])]
        print(f"{name}: {len(docs)} cases of our place suites read ({time.perf_counter() - started:.0f} s)",
              flush=True)
    resolver = parsers[False].resolver

    print("\n== ranking accuracy, leave one corpus out (mentions matching gold with a candidate within 161 km)")
    print(f"{'held out':10s} {'hand-set':>9s} {'fitted':>9s}  fitted on")
    oof: dict[str, list[tuple[float, bool]]] = {}
    oof_within: dict[str, list[bool]] = {}
    folds: dict[str, Ranker] = {}
    for held in traces:
        train = {n: t for n, t in traces.items() if n != held}
        resolver.ranker = hand_set()
        hand = ranking_accuracy(traces[held], resolver)
        folds[held] = fit_ranker(train, resolver)
        resolver.ranker = folds[held]
        print(f"{held:10s} {hand:9.4f} {ranking_accuracy(traces[held], resolver):9.4f}  {' + '.join(train)}",
              flush=True)
        if args.compare_trees:
            print(f"{'':10s} gradient-boosted trees on the same features: {tree_accuracy(train, traces[held], resolver):.4f}",
                  flush=True)
        oof[held], oof_within[held] = shares(traces[held], resolver)
        w = oof_within[held]
        print(f"{'':10s} placed in the area around them: {len(w)} mentions, {sum(w) / max(1, len(w)):.3f} within "
              "161 km", flush=True)

    print("\n== calibration, leave one corpus out: ECE of each corpus with the map fitted on the others' shares")
    fold_knots, raw_ece, mapped_ece = {}, [], []
    for held in oof:
        pooled = [p for n, ps in oof.items() if n != held for p in ps]
        fold_knots[held] = fit_calibration(reliability_rows(pooled))
        raw_ece.append(expected_calibration_error(reliability_rows(oof[held])))
        mapped_ece.append(expected_calibration_error(reliability_rows(oof[held], fold_knots[held])))
        print(f"{held:10s} raw ECE {raw_ece[-1]:.3f}  calibrated {mapped_ece[-1]:.3f}")
    # a map fitted on some corpora is kept only when it helps the corpora it was not fitted on
    use_map = sum(mapped_ece) < sum(raw_ece)
    print(f"mean held-out ECE: raw {np.mean(raw_ece):.3f}, mapped {np.mean(mapped_ece):.3f} -> "
          f"{'ship the map' if use_map else 'ship the raw share (identity map)'}")
    if not use_map:
        fold_knots = {held: IDENTITY for held in oof}

    def within_rate(names) -> float:
        right = [r for n in names for r in oof_within[n]]
        return round(sum(right) / len(right), 4) if len(right) >= 20 else 0.5

    for held in folds:
        folds[held] = dataclasses.replace(folds[held], within_confidence=within_rate(n for n in oof if n != held))
    every = dataclasses.replace(fit_ranker(traces, resolver), within_confidence=within_rate(oof))
    print("\n== weights fitted on every corpus (log-odds per unit of feature)")
    hand = hand_set().weights
    for k in FEATURES:
        print(f"{k:28s} {every.weights.get(k, 0.0):9.3f}  (hand-set {hand.get(k, 0.0):.3f})")
    if not args.no_write:
        save(every, default_path())
        knots = fit_calibration(reliability_rows([p for ps in oof.values() for p in ps])) if use_map else IDENTITY
        write_calibration(knots, ROOT / "data" / "calibration" / "confidence.csv")
        for held, ranker in folds.items():
            save(ranker, FOLDS / f"ranker-without-{held}.json")
            write_calibration(fold_knots[held], FOLDS / f"confidence-without-{held}.csv")
        print(f"\nwrote {default_path()}, data/calibration/confidence.csv and the folds in {FOLDS}")
    print(f"({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
