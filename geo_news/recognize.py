"""A learned second opinion on names the extractor's rules did not take as places.

The small spaCy model tags many towns it has never seen as people or organisations ("pounded Orikhiv" PERSON,
"hit Kupiansk" ORG), and misses others altogether ("Fighting for Toretsk"). The extractor's rules keep a name
only on strong evidence; every name they leave out that the gazetteer knows is scored here by a logistic model
over features that carry over between kinds of news:

* what the model said (its label, or no entity at all) and the name's shape (capitals, length, sentence start, an
  acronym inside an ordinary sentence: "read on IRNA" is an agency, a "KYIV" dateline or an all-capitals headline
  is not an acronym);
* how prominent the gazetteer's best reading is (prior, population, a country or division, a natural feature,
  matched by its own name or only by an alternate spelling, a name worth matching anywhere), and, for a name the
  gazetteer knows only by a close spelling, how far that spelling is (``spelling``: looked up only where the
  grammar wants a place);
* the words around it: a preposition of place, "the town of", a verb whose object is a place ("shelled"), a
  feature word after it ("port", "district"), a sentence that says what it is ("X is a city in", "X, a town
  in"), a place it is listed with, a possessive;
* how people-like it is: a title before it ("President"), a speech verb ("X said"), "X's wife", a common given
  name or surname (US census lists, package ``names``), a common English word (package ``wordfreq``), or the
  first or last name of a person the same story names.

The weights are fitted on the development corpora by ``python scripts/fit_recognizer.py`` and stored as numbers in
``data/recognizer/rescue.json``; leave-one-corpus-out figures are printed by the same script.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .exceptions import GeoNewsError
from .wordlists import census_names, zipf

FEATURES = (
    "label_person", "label_org", "label_norp", "label_other", "label_none",
    "prior", "log_population", "own_name", "alternate_only", "country_or_division", "natural_feature", "salient",
    "candidates",
    "after_place_preposition", "after_of", "place_slot", "described_as_place", "object_of_place_verb",
    "before_feature_word",
    "listed_with_place", "possessive", "after_place_noun",
    "title_before", "speech_subject", "personal_noun_after", "given_name", "surname", "common_word",
    "person_elsewhere",
    "all_caps", "acronym", "sentence_start", "tokens", "spelling",
)
"""What the recogniser knows about a name; see the module docstring."""

REFIT = "python scripts/fit_recognizer.py"
TITLES = {"mr", "mrs", "ms", "dr", "president", "minister", "general", "gen", "sen", "senator", "rep", "gov",
          "governor", "mayor", "secretary", "coach", "judge", "officer", "sgt", "capt", "col", "lt", "prof", "pope",
          "king", "queen", "prince", "princess", "sheikh", "emir", "commander", "spokesman", "spokeswoman",
          "chairman", "director", "chief", "sir", "lord", "lady", "rev", "father", "brother", "sister", "saint"}
"""Words that stand before a person's name ("President Lincoln", "General Taiz" would be a person)."""


class RecognizerFileError(GeoNewsError, FileNotFoundError):
    """The recogniser's weights file is missing or unreadable."""


@dataclass(frozen=True, slots=True)
class Recognizer:
    """A logistic model: the probability that a name the rules left out is a place."""

    weights: dict
    bias: float
    threshold: float
    fitted_on: tuple[str, ...] = ()

    def probability(self, features: dict) -> float:
        z = self.bias + sum(self.weights.get(k, 0.0) * v for k, v in features.items() if v)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def accepts(self, features: dict) -> bool:
        return self.probability(features) >= self.threshold

    def to_json(self) -> str:
        return json.dumps({"features": list(FEATURES), "weights": {k: round(self.weights.get(k, 0.0), 6)
                                                                  for k in FEATURES},
                           "bias": round(self.bias, 6), "threshold": self.threshold,
                           "fitted_on": list(self.fitted_on)}, indent=1) + "\n"


def default_path() -> Path:
    from .resources import package_data

    return package_data() / "recognizer" / "rescue.json"


def load(path: str | Path | None = None) -> Recognizer:
    """Read a weights file; a missing, corrupt or outdated one is a :class:`RecognizerFileError` naming the file
    and the command that refits it (never silently replaced)."""
    path = Path(path) if path is not None else default_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        weights = {str(k): float(v) for k, v in raw["weights"].items()}
        rec = Recognizer(weights, float(raw["bias"]), float(raw["threshold"]), tuple(raw.get("fitted_on", ())))
    except FileNotFoundError as err:
        raise RecognizerFileError(f"the recogniser's weights {path} are missing; refit them with: {REFIT}") from err
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
        raise RecognizerFileError(f"the recogniser's weights {path} are unreadable ({err}); refit them with: "
                                  f"{REFIT}") from err
    if unknown := set(weights) - set(FEATURES):
        raise RecognizerFileError(f"the recogniser's weights {path} name features this geo_news does not compute "
                                  f"({', '.join(sorted(unknown))}); refit them with: {REFIT}")
    if not 0.0 < rec.threshold < 1.0 or not all(math.isfinite(v) for v in (*weights.values(), rec.bias)):
        raise RecognizerFileError(f"the recogniser's weights {path} hold non-finite numbers or a threshold outside "
                                  f"(0, 1); refit them with: {REFIT}")
    return rec


@lru_cache(maxsize=1)
def default() -> Recognizer:
    """The shipped recogniser, read once per process."""
    return load()


def word_features(text: str) -> dict[str, float]:
    """How people-like and how common a name is, from the names lists and word frequencies (given names and
    surnames held by at least 1 in 100,000 people)."""
    words = text.lower().split()
    single = words[0] if len(words) == 1 else ""
    return {"given_name": float(single in census_names("given", 0.001)),
            "surname": float(single in census_names("surname", 0.001)), "common_word": zipf(text) / 7.0}
