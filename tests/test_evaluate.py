"""The EUPEG scoring rule on hand-made gold/prediction pairs with known answers."""

import json
import math
import subprocess
import sys

import pytest

from geo_news.evaluate import Document, Toponym, auc, format_scores, load_corpus, match, score
from geo_news.exceptions import InputError

PARIS = (48.8566, 2.3522)
LONDON = (51.5074, -0.1278)  # 343.6 km from Paris


def t(start, end, surface, lat=None, lon=None):
    return Toponym(start, end, surface, lat, lon)


def test_match_needs_equal_surface_and_close_midpoints():
    gold = [t(0, 5, "Paris", *PARIS)]
    assert match(gold, [t(0, 5, "PARIS", *PARIS)])                      # case-insensitive
    assert match(gold, [t(9, 14, "Paris", *PARIS)])                     # midpoints 9 apart
    assert not match(gold, [t(10, 15, "Paris", *PARIS)])                # 10 apart: no
    assert not match(gold, [t(0, 5, "Pari", *PARIS)])                   # other surface
    assert not match(gold, [t(0, 5, "Paris")])                          # no coordinates


def test_each_gold_matches_at_most_one_prediction_first_wins():
    gold = [t(0, 5, "Paris", *PARIS)]
    pred = [t(1, 6, "Paris", *LONDON), t(0, 5, "Paris", *PARIS)]
    pairs = match(gold, pred)
    assert len(pairs) == 1 and pairs[0][1] is pred[0]


def test_a_prediction_is_used_once():
    gold = [t(0, 5, "Paris", *PARIS), t(2, 7, "Paris", *PARIS)]
    pairs = match(gold, [t(1, 6, "Paris", *PARIS)])
    assert len(pairs) == 1


def test_scores_with_known_answers():
    docs = [Document("a", "", (t(0, 5, "Paris", *PARIS), t(10, 16, "London", *LONDON),
                               t(20, 25, "Lyon", 45.76, 4.84))),
            Document("b", "", (t(0, 6, "London", *LONDON),))]
    preds = {"a": [t(0, 5, "Paris", *PARIS), t(10, 16, "London", *PARIS), t(30, 35, "Tours", 47.39, 0.69)],
             "b": [t(0, 6, "London", *LONDON), t(8, 12, "Kent")]}  # Kent has no coordinates: not counted
    s = score(docs, preds)
    assert (s.gold, s.predicted, s.matched) == (4, 4, 3)
    assert s.precision == pytest.approx(0.75) and s.recall == pytest.approx(0.75) and s.f1 == pytest.approx(0.75)
    assert s.acc161 == pytest.approx(2 / 3)
    assert s.median_km == pytest.approx(0.0) and s.mean_km == pytest.approx(343.56 / 3, abs=0.5)
    expected_auc = (0 + 0 + 0 + math.log(1 + 343.56) / math.log(20039)) / 2 / 2
    assert s.auc == pytest.approx(expected_auc, abs=1e-3)


def test_auc_definition():
    assert auc([0.0, 0.0]) == 0.0
    assert auc([20038.0, 20038.0]) == pytest.approx(1.0, abs=1e-4)
    three = [0.0, 100.0, 1000.0]
    ys = sorted(math.log(1 + e) / math.log(20039) for e in three)
    assert auc(three) == pytest.approx(((ys[0] + ys[1]) / 2 + (ys[1] + ys[2]) / 2) / 2)


def test_missing_documents_predict_nothing():
    s = score([Document("a", "", (t(0, 5, "Paris", *PARIS),))], {})
    assert (s.precision, s.recall, s.f1) == (0.0, 0.0, 0.0)


def test_bad_corpus_line_names_the_line(tmp_path):
    p = tmp_path / "gold.jsonl"
    p.write_text('{"doc_id": "1", "text": "", "toponyms": []}\nnot json\n')
    with pytest.raises(InputError, match=r"gold.jsonl:2"):
        load_corpus(p)


def test_cli_scores_a_prediction_file(tmp_path):
    gold = tmp_path / "gold.jsonl"
    pred = tmp_path / "pred.jsonl"
    gold.write_text(json.dumps({"doc_id": "1", "text": "Paris and London.", "toponyms": [
        {"start": 0, "end": 5, "surface": "Paris", "lat": PARIS[0], "lon": PARIS[1]},
        {"start": 10, "end": 16, "surface": "London", "lat": LONDON[0], "lon": LONDON[1]}]}) + "\n")
    pred.write_text(json.dumps({"doc_id": "1", "toponyms": [
        {"start": 0, "end": 5, "surface": "Paris", "lat": PARIS[0], "lon": PARIS[1]}]}) + "\n")
    out = subprocess.run([sys.executable, "-m", "geo_news", "eval", str(gold), "--predictions", str(pred),
                          "--format", "json"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    res = json.loads(out.stdout)
    assert res["P"] == 1.0 and res["R"] == 0.5 and res["Acc@161"] == 1.0


def test_geo_news_runs_on_a_gold_file(tiny_geoparser, tmp_path):
    from geo_news.evaluate import predict

    docs = [Document("1", "Shells hit Aleppo and Hama.", (t(11, 17, "Aleppo", 36.2, 37.16),
                                                           t(22, 26, "Hama", 35.13, 36.76)))]
    preds, seconds = predict(docs, geoparser=tiny_geoparser)
    s = score(docs, preds, seconds=seconds)
    assert s.recall == 1.0 and s.acc161 == 1.0 and s.docs_per_second > 0


def test_reliability_and_calibration_fit():
    from geo_news.evaluate import expected_calibration_error, fit_calibration, reliability

    gold = Document("a", "", tuple(t(i * 20, i * 20 + 5, "Paris", *PARIS) for i in range(4)))
    preds = {"a": [Toponym(0, 5, "Paris", *PARIS, confidence=0.9), Toponym(20, 25, "Paris", *LONDON, confidence=0.9),
                   Toponym(40, 45, "Paris", *PARIS, confidence=0.3), Toponym(60, 65, "Paris", *PARIS, confidence=0.2)]}
    rows = reliability([gold], preds, edges=(0.0, 0.5, 1.0))
    assert [(r["n"], r["acc161"]) for r in rows] == [(2, 1.0), (2, 0.5)]
    assert expected_calibration_error(rows) == pytest.approx((2 * abs(0.25 - 1.0) + 2 * abs(0.9 - 0.5)) / 4)
    knots = fit_calibration(rows)  # the violation (1.0 then 0.5) is pooled into one non-decreasing knot
    assert len(knots) == 1 and knots[0][1] == pytest.approx(0.75)


def test_calibrated_confidence_is_monotone_and_bounded():
    from geo_news.resolve import calibrated

    values = [calibrated(x / 100) for x in range(101)]
    assert all(0.0 <= v <= 1.0 for v in values)
    assert all(b >= a for a, b in zip(values, values[1:]))


def test_written_predictions_are_strict_json_with_unplaced_names(tiny_geoparser, tmp_path):
    """A name the gazetteer cannot place is written with null coordinates and an empty name (not NaN)."""
    import json

    from geo_news.evaluate import load_predictions, predict, write_predictions

    docs = [Document("1", "Fighters moved from Aleppo to the Zorblax Valley.", ())]
    preds, _ = predict(docs, geoparser=tiny_geoparser)
    out = tmp_path / "pred.jsonl"
    write_predictions(preds, out)
    line = out.read_text(encoding="utf-8").strip()
    rows = json.loads(line, parse_constant=lambda c: pytest.fail(f"non-JSON constant {c} in {line}"))["toponyms"]
    assert {r["surface"] for r in rows} >= {"Aleppo"}
    assert all(isinstance(r["name"], str) for r in rows)
    assert load_predictions(out)["1"][0].surface == "Aleppo"


def test_recall_only_ignores_unannotated_predictions():
    docs = [Document("a", "", (t(0, 5, "Paris", *PARIS),))]
    preds = {"a": [t(0, 5, "Paris", *LONDON), t(10, 16, "London", *LONDON), t(20, 24, "Lyon", 45.76, 4.84)]}
    full, partial = score(docs, preds), score(docs, preds, recall_only=True)
    assert full.precision == pytest.approx(1 / 3) and full.recall == 1.0
    assert math.isnan(partial.precision) and math.isnan(partial.f1)
    assert (partial.recall, partial.acc161, partial.auc) == (full.recall, full.acc161, full.auc)
    assert partial.as_dict()["P"] is None and partial.as_dict()["F1"] is None
    assert "recall-only" in format_scores(partial) and "P " not in format_scores(partial)


def test_cli_recall_only(tmp_path):
    gold = tmp_path / "gold.jsonl"
    pred = tmp_path / "pred.jsonl"
    gold.write_text(json.dumps({"doc_id": "1", "text": "Paris and London.", "toponyms": [
        {"start": 0, "end": 5, "surface": "Paris", "lat": PARIS[0], "lon": PARIS[1]}]}) + "\n")
    pred.write_text(json.dumps({"doc_id": "1", "toponyms": [
        {"start": 0, "end": 5, "surface": "Paris", "lat": PARIS[0], "lon": PARIS[1]},
        {"start": 10, "end": 16, "surface": "London", "lat": LONDON[0], "lon": LONDON[1]}]}) + "\n")
    out = subprocess.run([sys.executable, "-m", "geo_news", "eval", str(gold), "--predictions", str(pred),
                          "--recall-only", "--format", "json"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    res = json.loads(out.stdout)
    assert res["P"] is None and res["R"] == 1.0 and res["recall_only"] is True


def test_same_area_tells_a_reference_point_convention_from_a_wrong_reading(tiny_gazetteer):
    from geo_news.evaluate import convention_errors, same_area

    # the corpus puts Syria's point in the east of the country, the gazetteer at 35 N 38 E: 200+ km, one area
    gold_syria, ours_syria = t(0, 5, "Syria", 34.5, 40.2), t(0, 5, "Syria", 35.0, 38.0)
    assert same_area(gold_syria, ours_syria, tiny_gazetteer)
    # a sea's polygon holds the corpus' point too
    assert same_area(t(0, 7, "Caspian", 39.0, 51.5), t(0, 7, "Caspian", 41.8, 50.5), tiny_gazetteer)
    # the country Georgia for a point in Georgia, U.S., is a wrong reading, not a convention
    assert not same_area(t(0, 7, "Georgia", 32.7, -83.4), t(0, 7, "Georgia", 42.0, 43.5), tiny_gazetteer)
    # a town is a point, not an area: a namesake far off is an error
    assert not same_area(t(0, 6, "Athens", 33.96, -83.38), t(0, 6, "Athens", 37.98, 23.73), tiny_gazetteer)
    # an unplaced prediction is no convention
    assert not same_area(gold_syria, t(0, 5, "Syria"), tiny_gazetteer)

    doc = Document("d", "Syria and Georgia.", (gold_syria, t(10, 17, "Georgia", 32.7, -83.4)))
    preds = {"d": [ours_syria, t(10, 17, "Georgia", 42.0, 43.5)]}
    found = convention_errors([doc], preds, tiny_gazetteer)
    assert [(g.surface, p.surface) for _, g, p in found] == [("Syria", "Syria")]
    assert found[0][0] > 161


def test_lost_hemisphere_tells_a_dropped_sign_from_a_wrong_reading():
    from geo_news.evaluate import lost_hemisphere, mirrored_errors

    ours = t(0, 8, "Richmond", 39.28, -93.98)  # Richmond, Missouri
    # the corpus wrote its longitude without the W: a point in China, 11,000 km off, and its mirror is ours
    assert lost_hemisphere(t(0, 8, "Richmond", 39.2775, 93.9758), ours)
    # a sign lost on the latitude too
    assert lost_hemisphere(t(0, 8, "Richmond", -39.2775, 93.9758), ours)
    # a right answer is no lost hemisphere, nor is a namesake far away whose mirror is far from ours
    assert not lost_hemisphere(t(0, 8, "Richmond", 39.3, -94.0), ours)
    assert not lost_hemisphere(t(0, 8, "Richmond", 37.54, -77.44), ours)
    # near the prime meridian a flipped sign moves a point little: within 161 km of ours as written is no error
    assert not lost_hemisphere(t(0, 6, "London", 51.51, 0.13), t(0, 6, "London", 51.51, -0.13))
    assert not lost_hemisphere(t(0, 8, "Richmond", 39.28, 93.98), t(0, 8, "Richmond"))

    doc = Document("d", "Richmond and Richmond.", (t(0, 8, "Richmond", 39.2775, 93.9758),
                                                     t(13, 21, "Richmond", 37.54, -77.44)))
    preds = {"d": [ours, t(13, 21, "Richmond", 39.28, -93.98)]}
    found = mirrored_errors([doc], preds)
    assert [(g.start, round(km, -3)) for km, g, _ in found] == [(0, 11000.0)]
