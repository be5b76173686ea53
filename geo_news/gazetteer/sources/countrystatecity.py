"""Country points and first-level divisions from the ``countrystatecity-countries`` PyPI package (ODbL 1.0)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib import resources
from importlib.metadata import PackageNotFoundError, version

PACKAGE = "countrystatecity-countries"
_MODULE = "countrystatecity_countries"


def package_version() -> str:
    try:
        return version(PACKAGE)
    except PackageNotFoundError:
        return ""


def available() -> bool:
    try:
        return resources.files(_MODULE).joinpath("data", "countries.json").is_file()
    except ModuleNotFoundError:
        return False


def countries() -> dict[str, dict]:
    data = json.loads(resources.files(_MODULE).joinpath("data", "countries.json").read_text("utf-8"))
    return {c["iso2"]: c for c in data if c.get("iso2")}


def iter_states() -> Iterator[dict]:
    """Every first-level division with ``country_code``, ``name``, ``native``, ``type``, lat/lon, ISO 3166-2."""
    base = resources.files(_MODULE).joinpath("data", "by-country")
    for country_dir in sorted(base.iterdir(), key=lambda p: p.name):
        states = country_dir.joinpath("states.json")
        if states.is_file():
            yield from json.loads(states.read_text("utf-8"))
