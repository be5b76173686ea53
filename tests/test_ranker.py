"""The ranker: the shipped weights load once and say what they were fitted on; a missing or damaged weights file
is a clear error naming the file and the refit command; the fitting script's conditional logit recovers known
weights, likes every right candidate of a mention alike, and is pulled toward its centre when data are thin."""

import json
import math

import numpy as np
import pytest

from geo_news import ranker
from geo_news.resolve import FEATURES
from scripts import fit_ranker


def test_the_shipped_ranker_is_fitted_on_the_corpora_and_our_suites_and_knows_only_our_features():
    shipped = ranker.load()
    assert set(shipped.fitted_on) == {"LGL", "GeoVirus", "WikToR", *fit_ranker.SUITES}
    assert set(shipped.weights) <= set(FEATURES)
    assert shipped.weights != ranker.hand_set().weights
    assert ranker.default() is ranker.default()  # read once per process


def test_the_folds_were_fitted_without_the_corpus_they_score():
    every = {"LGL", "GeoVirus", "WikToR", *fit_ranker.SUITES}
    for corpus in every:
        fold = ranker.load(fit_ranker.FOLDS / f"ranker-without-{corpus}.json")
        assert set(fold.fitted_on) == every - {corpus}


@pytest.mark.parametrize("content, why", [
    (None, "missing"),
    ("{not json", "unreadable"),
    (json.dumps({"model": "gradient-boosting", "weights": {"prior": 1.0}}), "unreadable"),
    (json.dumps({"model": "conditional-logit"}), "unreadable"),
    (json.dumps({"model": "conditional-logit", "weights": {"prior": "high"}}), "unreadable"),
    (json.dumps({"model": "conditional-logit", "weights": {}}), "empty"),
    (json.dumps({"model": "conditional-logit", "weights": {"prior": math.inf}}), "non-finite"),
    (b"\xff\xfe\x00binary", "unreadable"),
])
def test_a_damaged_weights_file_is_a_clear_error_never_replaced(tmp_path, content, why):
    path = tmp_path / "ranker.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ranker.RankerFileError) as err:
        ranker.load(path)
    assert isinstance(err.value, FileNotFoundError)  # callers catching the stdlib type still catch it
    message = str(err.value)
    assert str(path) in message and "python scripts/fit_ranker.py" in message and why in message


def test_weights_for_features_we_do_not_compute_are_refused(tmp_path):
    path = tmp_path / "ranker.json"
    ranker.save(ranker.Ranker({"prior": 1.0, "popularity": 2.0}, ("X",)), path)
    loaded = ranker.load(path)
    assert loaded.weights == {"prior": 1.0, "popularity": 2.0} and loaded.fitted_on == ("X",)
    with pytest.raises(ranker.RankerFileError, match="popularity"):
        loaded.check(FEATURES)


def test_the_hand_set_fallback_is_in_log_odds():
    hand = ranker.hand_set()
    assert hand.weights["prior"] == pytest.approx(1.0 / ranker.POINTS_PER_LOGIT)
    assert hand.score({"prior": 3.0, "cue": 1.0}) == pytest.approx((3.0 + 2.5) / ranker.POINTS_PER_LOGIT)


def _synthetic(true: dict, n: int, seed: int):
    """Mentions with 2-6 candidates whose right answer is drawn from the softmax of ``true`` weights."""
    rng = np.random.default_rng(seed)
    w = np.array([true.get(k, 0.0) for k in FEATURES])
    xs, ys = [], []
    for _ in range(n):
        x = rng.normal(size=(int(rng.integers(2, 7)), len(FEATURES)))
        p = np.exp(x @ w - (x @ w).max())
        right = np.zeros(len(x), dtype=bool)
        right[rng.choice(len(x), p=p / p.sum())] = True
        xs.append(x)
        ys.append(right)
    return xs, ys


def test_fit_recovers_known_weights():
    true = {"prior": 1.5, "support": 1.0, "country": -1.0}
    xs, ys = _synthetic(true, 3000, seed=1)
    fitted = fit_ranker.fit(xs, ys, [1.0] * len(xs), l2=1e-4)
    for k in FEATURES:
        assert fitted.get(k, 0.0) == pytest.approx(true.get(k, 0.0), abs=0.2), k


def test_every_right_candidate_counts_not_only_the_nearest():
    # a town (A) and its namesake province 20 km away (B) are both right, a far namesake (C) is wrong: the fit
    # learns what sets the right ones apart from the wrong one, not what sets A apart from B
    def row(**values):
        return [values.get(k, 0.0) for k in FEATURES]

    x = np.array([row(adm1=1.0, town=1.0), row(town=1.0), row(country=1.0)])
    both = fit_ranker.fit([x] * 50, [np.array([True, True, False])] * 50, [1.0] * 50, l2=1e-3)
    nearest_only = fit_ranker.fit([x] * 50, [np.array([True, False, False])] * 50, [1.0] * 50, l2=1e-3)
    assert both["town"] > both["adm1"] and nearest_only["adm1"] > 2 * nearest_only["town"]


def test_fit_is_pulled_toward_its_center_when_data_is_thin():
    xs, ys = _synthetic({"prior": 1.0}, 20, seed=2)
    fitted = fit_ranker.fit(xs, ys, [1.0] * len(xs), l2=10.0, center={"cue": 3.0})
    assert fitted["cue"] == pytest.approx(3.0, abs=0.3)


def test_fit_without_examples_is_a_clear_error():
    with pytest.raises(ValueError, match="no training examples"):
        fit_ranker.fit([], [], [])
