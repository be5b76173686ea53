"""The files geo_news reads at run time from its own package: the fitted models and the tables the extractor and
resolver consult. Build-time readers of the gazetteer's sources live in ``geo_news/gazetteer/sources``; the run
time never imports them."""

from __future__ import annotations

import csv
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
