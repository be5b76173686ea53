"""Fitting the resolver's weights: the conditional logit recovers known weights, and weights round-trip."""

import numpy as np
import pytest

from geo_news import ranker
from geo_news.resolve import FEATURES


def _synthetic(true: dict, n: int, seed: int):
    """Mentions with 2-6 candidates whose right answer is drawn from the softmax of ``true`` weights."""
    rng = np.random.default_rng(seed)
    w = np.array([true.get(k, 0.0) for k in FEATURES])
    xs, ys = [], []
    for _ in range(n):
        x = rng.normal(size=(int(rng.integers(2, 7)), len(FEATURES)))
        p = np.exp(x @ w - (x @ w).max())
        xs.append(x)
        ys.append(int(rng.choice(len(x), p=p / p.sum())))
    return xs, ys


def test_fit_recovers_known_weights():
    true = {"prior": 1.5, "support": 1.0, "country": -1.0}
    xs, ys = _synthetic(true, 3000, seed=1)
    fitted = ranker.fit(xs, ys, l2=1e-4)
    for k in FEATURES:
        assert fitted[k] == pytest.approx(true.get(k, 0.0), abs=0.2), k


def test_fit_is_pulled_toward_its_center_when_data_is_thin():
    xs, ys = _synthetic({"prior": 1.0}, 20, seed=2)
    center = {"cue": 3.0}
    fitted = ranker.fit(xs, ys, l2=10.0, center=center)
    assert fitted["cue"] == pytest.approx(3.0, abs=0.3)


def test_fit_without_examples_is_a_clear_error():
    with pytest.raises(ValueError, match="no training examples"):
        ranker.fit([], [])


def test_weights_round_trip_and_unknown_features_are_refused(tmp_path):
    weights = {k: round(0.1 * i, 4) for i, k in enumerate(FEATURES)}
    path = tmp_path / "ranker.csv"
    ranker.save(weights, path, trained_on="test")
    assert ranker.load(path) == weights
    path.write_text("feature,weight\npopularity,1.0\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown features"):
        ranker.load(path)
