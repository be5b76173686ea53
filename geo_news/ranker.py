"""Fitting the resolver's weights on an annotated corpus: a conditional logit over each mention's candidates.

The resolver scores a candidate as a weighted sum of named features (:data:`geo_news.resolve.FEATURES`); the
chosen place is the best score. This module learns those weights from gold toponyms: for every mention that
matches a gold toponym (EUPEG rule) and has a candidate within 161 km of the gold point, the nearest such
candidate is the right answer, and the weights maximise the softmax likelihood of the right answers, with a
small L2 penalty. The features of a candidate depend on the weights (anchors and mutual support are decided
with them), so fitting alternates: featurise with the current weights, refit, a few rounds.

Twenty weights, each readable; :func:`save` writes them beside the hand-set defaults, :func:`load` reads them
back for ``Geoparser(weights=...)``.

Examples
--------
>>> from geo_news.ranker import collect, fit_weights          # doctest: +SKIP
>>> traces = collect(load_corpus("LGL.jsonl"), demonyms=True)  # doctest: +SKIP
>>> weights = fit_weights(traces, resolver)                    # doctest: +SKIP
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .evaluate import ACC_KM, Document, Toponym, match
from .extract import CONTEXT_LABEL
from .geo import haversine_km
from .model import Mention
from .resolve import FEATURES, Resolver, hand_weights


@dataclass
class Trace:
    """One gold document with the mentions our extractor found in it."""

    doc: Document
    text: str
    mentions: list[Mention]


def collect(docs: Sequence[Document], *, demonyms: bool, geoparser=None) -> list[Trace]:
    """Run the extractor over the documents once, keeping the mentions (the slow, spaCy part)."""
    from .pipeline import default_geoparser

    parser = geoparser or default_geoparser(demonyms=demonyms)
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


def examples(traces: Sequence[Trace], resolver: Resolver) -> tuple[list[np.ndarray], list[int]]:
    """Feature matrices (candidates × features) and the index of the right candidate, one per usable mention."""
    xs, ys = [], []
    for t in traces:
        rows = resolver.features(t.text, t.mentions)
        as_predicted = [Toponym(m.start, m.end, m.text, 0.0, 0.0) for m in t.mentions]
        gold_of = {id(p): g for g, p in match([g for g in t.doc.toponyms if g.lat is not None], as_predicted)}
        for m, p, row in zip(t.mentions, as_predicted, rows):  # mentions that match gold by the scoring rule
            g = gold_of.get(id(p))
            if g is None or len(row) < 2 or m.label == CONTEXT_LABEL:
                continue
            dists = [haversine_km(g.lat, g.lon, p.lat, p.lon) for p, _ in row]
            best = int(np.argmin(dists))
            if dists[best] >= ACC_KM:
                continue
            xs.append(np.array([[f[k] for k in FEATURES] for _, f in row], dtype=float))
            ys.append(best)
    return xs, ys


def _objective(w: np.ndarray, xs, ys, l2: float, center: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean negative log-likelihood of the right candidates plus ``l2 / 2 * |w - center|^2``, and its gradient."""
    loss, grad = 0.0, np.zeros_like(w)
    for x, y in zip(xs, ys):
        s = x @ w
        p = np.exp(s - s.max())
        p /= p.sum()
        loss -= np.log(p[y] + 1e-300)
        grad += x.T @ p - x[y]
    n = len(xs)
    d = w - center
    return loss / n + 0.5 * l2 * float(d @ d), grad / n + l2 * d


def fit(xs: Sequence[np.ndarray], ys: Sequence[int], *, l2: float = 0.01,
        start: Mapping[str, float] | None = None, center: Mapping[str, float] | None = None,
        free: Sequence[str] | None = None) -> dict[str, float]:
    """Maximum a-posteriori weights of the conditional logit (L-BFGS from ``start``): the L2 penalty pulls them
    toward ``center`` (default zero), so that features the corpus rarely shows keep their prior weight. With
    ``free``, only those weights are fitted and the others keep their ``start`` values."""
    from scipy.optimize import minimize

    if not xs:
        raise ValueError("no training examples: no mention matched a gold toponym with a candidate near it")
    w0 = np.array([(start or {}).get(k, 0.0) for k in FEATURES], dtype=float)
    c = np.array([(center or {}).get(k, 0.0) for k in FEATURES], dtype=float)
    idx = np.array([FEATURES.index(k) for k in (free or FEATURES)])

    def objective(sub):
        w = w0.copy()
        w[idx] = sub
        loss, grad = _objective(w, xs, ys, l2, c)
        return loss, grad[idx]

    res = minimize(objective, w0[idx], jac=True, method="L-BFGS-B")
    w = w0.copy()
    w[idx] = res.x
    return {k: round(float(v), 4) for k, v in zip(FEATURES, w)}


def fit_weights(traces: Sequence[Trace], resolver: Resolver, *, rounds: int = 3, l2: float = 0.05,
                free: Sequence[str] | None = None) -> dict[str, float]:
    """Alternate featurising with the current weights and refitting, pulled toward the resolver's starting
    weights; returns the last weights. With ``free``, only those weights are fitted."""
    weights = dict(resolver.weights)
    center = dict(weights)
    for _ in range(rounds):
        resolver.weights = weights
        xs, ys = examples(traces, resolver)
        weights = fit(xs, ys, l2=l2, start=weights, center=center, free=free)
    resolver.weights = weights
    return weights


def accuracy(traces: Sequence[Trace], resolver: Resolver) -> float:
    """Share of usable mentions whose best-scored candidate is the right one (the ranking accuracy)."""
    xs, ys = examples(traces, resolver)
    w = np.array([resolver.weights.get(k, 0.0) for k in FEATURES])
    return float(np.mean([int(np.argmax(x @ w)) == y for x, y in zip(xs, ys)])) if xs else float("nan")


def save(weights: Mapping[str, float], path: str | Path, *, trained_on: str) -> None:
    """Write the weights, one row per feature, beside the hand-set weight it replaces."""
    hand = hand_weights()
    with Path(path).open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["feature", "weight", "hand_weight", "trained_on"])
        for k in FEATURES:
            w.writerow([k, weights.get(k, 0.0), round(hand.get(k, 0.0), 4), trained_on])


def load(path: str | Path) -> dict[str, float]:
    """Weights written by :func:`save` (unknown feature names are an error: they would be silently ignored)."""
    with Path(path).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    unknown = [r["feature"] for r in rows if r["feature"] not in FEATURES]
    if unknown:
        raise ValueError(f"{path}: unknown features {unknown}; known: {', '.join(FEATURES)}")
    return {r["feature"]: float(r["weight"]) for r in rows}
