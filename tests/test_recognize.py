"""The recogniser: its weights file, and what it learned (fitted by scripts/fit_recognizer.py)."""

import json

import pytest

from geo_news import recognize
from geo_news.recognize import FEATURES, Recognizer, RecognizerFileError, load


def test_shipped_weights_load_and_name_only_known_features():
    rec = recognize.default()
    assert set(rec.weights) <= set(FEATURES) and 0 < rec.threshold < 1
    assert "LGL" in rec.fitted_on and "GeoVirus" in rec.fitted_on


@pytest.mark.parametrize("content", [None, "", "{not json", json.dumps({"weights": {"nonsense": 1}, "bias": 0,
                                                                         "threshold": 0.5}),
                                     json.dumps({"weights": {"prior": "x"}, "bias": 0, "threshold": 0.5}),
                                     json.dumps({"weights": {}, "bias": 0, "threshold": 7}),
                                     json.dumps({"weights": {}, "threshold": 0.5})])
def test_a_missing_or_broken_weights_file_names_the_file_and_the_refit_command(tmp_path, content):
    path = tmp_path / "rescue.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(RecognizerFileError) as err:
        load(path)
    assert str(path) in str(err.value) and "python scripts/fit_recognizer.py" in str(err.value)
    assert isinstance(err.value, FileNotFoundError)


def test_round_trip(tmp_path):
    rec = Recognizer({"prior": 1.5, "given_name": -2.0}, -0.5, 0.4, ("LGL",))
    path = tmp_path / "w.json"
    path.write_text(rec.to_json())
    back = load(path)
    assert back.weights["prior"] == 1.5 and back.bias == -0.5 and back.threshold == 0.4
    assert back.probability({"prior": 1.0}) == pytest.approx(rec.probability({"prior": 1.0}))


def test_people_like_words_lower_the_probability_and_place_cues_raise_it():
    rec = recognize.default()
    base = dict.fromkeys(FEATURES, 0.0) | {"label_person": 1.0, "own_name": 1.0, "prior": 0.5,
                                           "log_population": 0.6, "tokens": 1 / 3}
    assert rec.probability(base | {"person_elsewhere": 1.0}) < rec.probability(base)
    assert rec.probability(base | {"speech_subject": 1.0}) < rec.probability(base)
    assert rec.probability(base | {"after_of": 1.0, "after_place_noun": 1.0}) > rec.probability(base)


def test_word_features():
    f = recognize.word_features("Jones")
    assert f["surname"] == 1.0 and f["common_word"] > 0.4
    g = recognize.word_features("Orikhiv")
    assert g["surname"] == g["given_name"] == 0.0 and g["common_word"] == 0.0
