"""The files geo_news reads at run time from its own package: the fitted models and the tables the extractor and
resolver consult. Build-time readers of the gazetteer's sources live in ``geo_news/gazetteer/sources``; the run
time never imports them."""

from __future__ import annotations

import csv
import json
from functools import lru_cache
from pathlib import Path

from .exceptions import GazetteerBuildError


def package_data() -> Path:
    """The package's data folder (``data/`` in the repository, ``geo_news/_data`` in an installed wheel)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_data", here.parent / "data"):
        if (candidate / "gazetteer").is_dir():
            return candidate
    raise GazetteerBuildError("the geo_news data files (data/gazetteer, data/ranker, ...) are missing from this "
                              "installation; reinstall geo-news")


@lru_cache(maxsize=1)
def demonym_countries() -> dict[str, tuple[str, str]]:
    """Normalised nationality word ("russian", "palestinians") → (ISO alpha-2 code, country name), read once."""
    from .gazetteer.normalize import normalize

    with (package_data() / "gazetteer" / "demonyms.csv").open(encoding="utf-8", newline="") as fh:
        return {normalize(r["demonym"]): (r["iso2"], r["country"]) for r in csv.DictReader(fh)}


def read_model(path: Path, *, what: str, version: int, error: type[Exception], refit: str) -> dict:
    """The JSON of a fitted model file, checked for its version; a missing, unreadable or outdated file raises
    ``error`` naming the file and the command that refits it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise error(f"{what} {path} is missing; refit it with `{refit}`") from err
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise error(f"{what} {path} is unreadable ({err}); refit it with `{refit}`") from err
    if not isinstance(data, dict) or data.get("version") != version:
        raise error(f"{what} {path} is not version {version}; refit it with `{refit}`")
    return data


def write_model(path: Path, data: dict) -> None:
    """Write a fitted model's JSON (compact, keys sorted, so refits diff cleanly)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
