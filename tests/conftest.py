"""Shared fixtures: a tiny gazetteer built per session from fixture rows, the real spaCy model, the full
embedded gazetteer (built once into ``.pytest-data/``), and the CI rule that a skipped test is a failed test."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "caspian-missiles-article.txt"
ARTICLES = ROOT / "data" / "articles"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

# Every process of the test run (CLI subprocesses, notebook kernels) shares one data dir, so the full gazetteer
# and the offline map assets are built or installed once, not per test.
os.environ.setdefault("GEO_NEWS_DATA_DIR", str(ROOT / ".pytest-data"))
IN_CI = bool(os.environ.get("CI"))


def pytest_xdist_auto_num_workers(config):
    """``-n auto`` (pyproject's addopts): every core, at most four (each worker loads spaCy and the gazetteer)."""
    return max(1, min(4, os.cpu_count() or 1))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        # In CI nothing may silently not run: browser and notebook tests must run, so a skip is a failure.
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.longrepr = f"skipped under CI=true, which counts as a failure: {reason}"


def _box(w, s, e, n):
    from shapely.geometry import box

    return box(w, s, e, n)


TINY_ROWS = [
    dict(id="t:iran", name="Iran", feature_class="A", feature_code="PCLI", lat=32.0, lon=53.0, country_code="IR",
         population=80_000_000, geometry=_box(44.0, 25.0, 63.0, 39.8), source="country"),
    dict(id="t:iraq", name="Iraq", feature_class="A", feature_code="PCLI", lat=33.0, lon=44.0, country_code="IQ",
         population=38_000_000, geometry=_box(38.8, 29.1, 48.5, 37.4), source="country"),
    dict(id="t:syria", name="Syria", feature_class="A", feature_code="PCLI", lat=35.0, lon=38.0,
         country_code="SY", population=18_000_000, geometry=_box(35.7, 32.3, 42.4, 37.3), source="country"),
    dict(id="t:greece", name="Greece", feature_class="A", feature_code="PCLI", lat=39.0, lon=22.0,
         country_code="GR", population=10_000_000, source="country"),
    dict(id="t:georgia-country", name="Georgia", feature_class="A", feature_code="PCLI", lat=42.0, lon=43.5,
         country_code="GE", population=3_700_000, source="country"),
    dict(id="t:us", name="United States", feature_class="A", feature_code="PCLI", lat=39.8, lon=-98.5,
         country_code="US", population=330_000_000, alt_names=["U.S.", "USA"], source="country"),
    dict(id="t:georgia-state", name="Georgia", feature_class="A", feature_code="ADM1", lat=32.7, lon=-83.4,
         country_code="US", admin1="GA", source="admin1"),
    dict(id="t:caspian", name="Caspian Sea", feature_class="H", feature_code="SEA", lat=41.8, lon=50.5,
         alt_names=["Caspian"], geometry=_box(46.7, 36.6, 54.8, 47.1), source="curated"),
    dict(id="t:ghab", name="Ghab Plain", feature_class="T", feature_code="PLN", lat=35.7, lon=36.35,
         country_code="SY", alt_names=["al-Ghab", "Sahl al-Ghab"], source="curated"),
    dict(id="t:aleppo", name="Aleppo", feature_class="P", feature_code="PPL", lat=36.2, lon=37.16,
         country_code="SY", population=1_600_000, alt_names=["Halab"], alt_kind="alternate", source="geonames"),
    dict(id="t:athens-gr", name="Athens", feature_class="P", feature_code="PPLC", lat=37.98, lon=23.73,
         country_code="GR", population=660_000, source="geonames"),
    dict(id="t:athens-ga", name="Athens", feature_class="P", feature_code="PPL", lat=33.96, lon=-83.38,
         country_code="US", admin1="GA", population=127_000, source="geonames"),
    dict(id="t:hama", name="Hama", feature_class="P", feature_code="PPL", lat=35.13, lon=36.76,
         country_code="SY", population=460_000, source="geonames"),
    dict(id="t:village", name="Kfar Tiny", feature_class="P", feature_code="PPL", lat=35.5, lon=36.5,
         country_code="SY", population=300, source="geonames"),
    dict(id="t:tokyo", name="Tokyo", feature_class="P", feature_code="PPLC", lat=35.68, lon=139.69,
         country_code="JP", population=9_000_000, source="geonames"),
    dict(id="t:sf", name="San Francisco", feature_class="P", feature_code="PPL", lat=37.77, lon=-122.42,
         country_code="US", population=870_000, source="geonames"),
]


@pytest.fixture(scope="session")
def tiny_gazetteer_path(tmp_path_factory) -> Path:
    from geo_news.gazetteer.build import build_from_rows

    return build_from_rows(tmp_path_factory.mktemp("gaz") / "tiny.sqlite", TINY_ROWS)


@pytest.fixture(scope="session")
def tiny_gazetteer(tiny_gazetteer_path):
    from geo_news.gazetteer import Gazetteer

    gaz = Gazetteer(tiny_gazetteer_path)
    yield gaz
    gaz.close()


@pytest.fixture(scope="session")
def nlp():
    from geo_news.nlp import load_model

    return load_model()


@pytest.fixture(scope="session")
def tiny_geoparser(nlp, tiny_gazetteer):
    from geo_news.pipeline import Geoparser

    return Geoparser(nlp=nlp, gazetteer=tiny_gazetteer)


@pytest.fixture(scope="session")
def full_gazetteer():
    """The real embedded gazetteer (built on first use into the shared test data dir)."""
    from geo_news.gazetteer import open_default

    return open_default()


@pytest.fixture(scope="session")
def seed_text() -> str:
    if not SEED.is_file():
        pytest.skip(f"the reference article is not at {SEED} (../shared is absent on this machine)")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: install Debian's chromium (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture(scope="session")
def offline_assets():
    from geo_news.offline import assets_installed, install_assets

    if shutil.which("npm") is None:
        if not assets_installed():
            pytest.skip("offline map assets need npm (apt-get install npm) to install Leaflet once")
    else:
        install_assets()  # under its lock: a parallel test worker's install is waited for, not raced
    return True
