"""The resolver's ranking model: a conditional logit over each mention's candidate places.

The resolver describes every candidate place of a mention by named features (:data:`geo_news.resolve.FEATURES`:
how prominent the place is, relative to the name's other readings; what the words around the name say; how it
fits the story's other places). The ranker scores each candidate as a weighted sum of those features, in
log-odds; the chosen place is the best score, its confidence the softmax share of that score, calibrated.

The shipped weights (``data/ranker/ranker.json``, numbers only) are fitted on the development corpora by
``python scripts/fit_ranker.py``, which also reports every corpus scored by weights fitted without it
(leave-one-corpus-out). The hand-set weights the project started from remain as a documented fallback,
:func:`hand_set` (``Geoparser(ranker=geo_news.ranker.hand_set())``); a missing or damaged weights file is a
:class:`RankerFileError` naming the file and the command that refits it, never silently replaced by them.

Why a linear model: fitted leave-one-corpus-out on the same features (``python scripts/fit_ranker.py
--compare-trees``), gradient-boosted trees (scikit-learn's ``HistGradientBoostingClassifier``, one row per
candidate) ranked the held-out news corpora worse than the conditional logit (LGL 0.834 against 0.851, GeoVirus
0.946 against 0.962) and the held-out Wikipedia passages better (WikToR 0.878 against 0.839): no better on
average, worse on news, which is what this toolkit reads. The logit has one readable weight per feature.

Examples
--------
>>> from geo_news import ranker
>>> r = ranker.hand_set()
>>> round(r.score({"prior": 1.5, "cue": 1.0}), 3)
2.667
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .exceptions import GeoNewsError

REFIT = "python scripts/fit_ranker.py"
POINTS_PER_LOGIT = 1.5
"""The hand-set weights were written in points; this many points make one unit of log-odds."""

HAND_WEIGHTS = {
    "prior": 1.0, "adm1": 1.5, "division_named_after_city": -2.0, "town_with_division_reading": -1.0,
    "qualifier_country": 4.0, "qualifier_admin1": 4.0, "cue": 2.5, "country_shared": 1.0, "country_count": 1.0,
    "proximity": 2.0, "named_elsewhere": 2.5, "support": 1.2, "admin1_shared": 1.0, "admin1_count": 0.5,
}
"""The weights the project started from, set by hand in points while looking at the LGL and GeoVirus errors (so
their scores on those corpora are not out of sample); the fallback, never the default."""


class RankerFileError(GeoNewsError, FileNotFoundError):
    """The ranker's weights file is missing, unreadable or names features this geo_news does not compute."""


@dataclass(frozen=True)
class Ranker:
    """Weights of the conditional logit, in log-odds per unit of each feature.

    Parameters
    ----------
    weights : mapping
        Feature name -> weight; features not named weigh 0.
    fitted_on : tuple of str
        The corpora the weights were fitted on (empty for hand-set weights).
    """

    weights: Mapping[str, float]
    fitted_on: tuple[str, ...] = ()
    note: str = field(default="", compare=False)
    within_confidence: float = 0.5
    """Confidence of a name placed only in the area the text puts it in (``geo_news.resolve.WITHIN``): the share
    of such placements within 161 km of the reference point on the corpora the weights were not fitted on."""

    def score(self, features: Mapping[str, float]) -> float:
        """The candidate's score: the weighted sum of its features, in log-odds."""
        w = self.weights
        return sum(w.get(k, 0.0) * v for k, v in features.items() if v)

    def scores(self, rows: Iterable[Mapping[str, float]]) -> list[float]:
        return [self.score(f) for f in rows]

    def check(self, known: Iterable[str], *, source: str = "the ranker's weights") -> Ranker:
        """Refuse weights for features the resolver does not compute (they would be silently ignored)."""
        if unknown := set(self.weights) - set(known):
            raise RankerFileError(f"{source} name features this geo_news does not compute "
                                  f"({', '.join(sorted(unknown))}); refit them with: {REFIT}")
        return self

    def to_json(self) -> str:
        return json.dumps({"model": "conditional-logit", "weights": {k: round(v, 6) for k, v in self.weights.items()},
                           "fitted_on": list(self.fitted_on), "within_confidence": round(self.within_confidence, 4),
                           "note": self.note}, indent=1) + "\n"


def hand_set() -> Ranker:
    """The hand-set weights (:data:`HAND_WEIGHTS`) as log-odds: the documented fallback."""
    return Ranker({k: v / POINTS_PER_LOGIT for k, v in HAND_WEIGHTS.items()}, (), "hand-set")


def default_path() -> Path:
    from .resources import package_data

    return package_data() / "ranker" / "ranker.json"


def load(path: str | Path | None = None) -> Ranker:
    """Read a weights file written by :func:`save`; a missing or damaged one is a :class:`RankerFileError` naming
    the file and the command that refits it."""
    path = Path(path) if path is not None else default_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if raw.get("model") != "conditional-logit":
            raise ValueError(f"model {raw.get('model')!r} is not 'conditional-logit'")
        weights = {str(k): float(v) for k, v in raw["weights"].items()}
        ranker = Ranker(weights, tuple(str(c) for c in raw.get("fitted_on", ())), str(raw.get("note", "")),
                        float(raw.get("within_confidence", 0.5)))
        if not 0.0 <= ranker.within_confidence <= 1.0:
            raise ValueError(f"within_confidence {ranker.within_confidence} is not a probability")
    except FileNotFoundError as err:
        raise RankerFileError(f"the ranker's weights {path} are missing; refit them with: {REFIT}") from err
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
        raise RankerFileError(f"the ranker's weights {path} are unreadable ({err}); refit them with: {REFIT}") from err
    if not weights or not all(math.isfinite(v) for v in weights.values()):
        raise RankerFileError(f"the ranker's weights {path} are empty or hold non-finite numbers; refit them with: "
                              f"{REFIT}")
    return ranker


def save(ranker: Ranker, path: str | Path) -> None:
    """Write the weights as JSON (numbers only), creating the folder."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(ranker.to_json(), encoding="utf-8")


@lru_cache(maxsize=1)
def default() -> Ranker:
    """The shipped ranker, read once per process."""
    return load()
