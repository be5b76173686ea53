"""geopy geocoders over the gazetteer, and the cached, rate-limited online fallback.

The online path is tested only against HTTP servers this test starts on 127.0.0.1 (a Nominatim-compatible JSON
endpoint), never the internet.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from geopy.exc import GeocoderQueryError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim
from geopy.location import Location

from geo_news.exceptions import GeocoderServiceError, GeoNewsError
from geo_news.gazetteer import Gazetteer
from geo_news.gazetteer.build import build_geonames
from geo_news.geo import haversine_km
from geo_news.geocoders import CachedGeocoder, FallbackGeocoder, OfflineGeocoder, fallback_geocoder

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "geonames"


@pytest.fixture()
def offline(tiny_gazetteer):
    return OfflineGeocoder(tiny_gazetteer)


def test_geocode_returns_a_geopy_location(offline):
    loc = offline.geocode("Aleppo")
    assert isinstance(loc, Location) and loc.address == "Aleppo, SY"
    assert (loc.latitude, loc.longitude) == (36.2, 37.16)
    assert loc.raw["id"] == "t:aleppo" and loc.raw["feature_code"] == "PPL" and loc.raw["match"] == "exact"
    assert offline.geocode("the Caspian").raw["source"] == "curated"
    assert offline.geocode("Qwxzptlandia") is None


def test_geocode_options(offline):
    both = offline.geocode("Athens", exactly_one=False)
    assert [loc.raw["id"] for loc in both] == ["t:athens-gr", "t:athens-ga"]
    assert offline.geocode("Athens", country_codes="us").raw["id"] == "t:athens-ga"
    assert offline.geocode("Athens", country_codes=["JP", "GR"]).raw["id"] == "t:athens-gr"
    assert offline.geocode("Athens", exactly_one=False, limit=1)[0].raw["id"] == "t:athens-gr"
    assert offline.geocode({"city": "Aleppo"}).raw["id"] == "t:aleppo"  # geopy's structured query
    assert offline.geocode("Alepo") is None
    fuzzy = offline.geocode("Alepo", fuzzy=True)
    assert fuzzy.raw["id"] == "t:aleppo" and fuzzy.raw["match"] == "fuzzy" and 80 < fuzzy.raw["score"] < 100
    assert OfflineGeocoder(offline.gazetteer, fuzzy=True).geocode("Ghab Plane").raw["id"] == "t:ghab"
    with pytest.raises(GeocoderQueryError, match="must be a string"):
        offline.geocode(42)


def test_reverse(offline):
    loc = offline.reverse((36.21, 37.15))
    assert loc.raw["id"] == "t:aleppo" and loc.raw["match"] == "nearest" and loc.raw["distance_km"] < 2
    assert loc.raw["country"] == "Syria"
    # far from any place: the country that contains the point
    iraq = offline.reverse("30.0, 40.0")
    assert iraq.raw["id"] == "t:iraq" and iraq.raw["match"] == "country"
    assert [loc.raw["match"] for loc in offline.reverse((36.21, 37.15), exactly_one=False)] == ["nearest", "country"]
    assert offline.reverse((0.0, -150.0)) is None
    with pytest.raises(GeocoderQueryError, match="not a point"):
        offline.reverse("somewhere")


def test_language_picks_the_name_in_that_language(tmp_path_factory):
    gaz = Gazetteer(build_geonames(tmp_path_factory.mktemp("lang") / "g.sqlite", FIXTURES))
    coder = OfflineGeocoder(gaz)
    assert coder.geocode("Aleppo", language="ar").address == "حلب, SY"
    assert coder.geocode("Aleppo", language="es").address == "Alepo, SY"
    assert coder.geocode("Aleppo", language="fi").address == "Aleppo, SY"  # no Finnish name: the preferred one
    gaz.close()


def test_geopandas_geocode_with_offline_provider(tiny_gazetteer):
    import geopandas

    frame = geopandas.tools.geocode(["Aleppo", "Ghab Plain", "Qwxzptlandia", ""], provider=OfflineGeocoder,
                                    gazetteer=tiny_gazetteer)
    assert isinstance(frame, geopandas.GeoDataFrame) and frame.crs.to_epsg() == 4326
    assert list(frame["address"][:2]) == ["Aleppo, SY", "Ghab Plain, SY"]
    assert (round(frame.geometry[0].x, 2), round(frame.geometry[0].y, 2)) == (37.16, 36.2)  # lon, lat
    assert frame.geometry[2].is_empty and frame["address"].isna()[2] and frame.geometry[3].is_empty
    back = geopandas.tools.reverse_geocode(frame.geometry[:1], provider=OfflineGeocoder, gazetteer=tiny_gazetteer)
    assert back["address"][0] == "Aleppo, SY"


def test_rate_limiter_wraps_it(offline):
    geocode = RateLimiter(offline.geocode, min_delay_seconds=0.05)
    started = time.monotonic()
    hits = [geocode(name) for name in ("Aleppo", "Hama", "Tokyo")]
    assert [h.raw["id"] for h in hits] == ["t:aleppo", "t:hama", "t:tokyo"]
    assert time.monotonic() - started >= 0.1  # two waits between three calls


# -- online fallback against a local server ------------------------------------------------------------------


class _Nominatim(BaseHTTPRequestHandler):
    """A Nominatim-compatible /search endpoint; ``server.mode`` makes it answer, sleep or fail."""

    def do_GET(self):  # noqa: N802 - the http.server hook name
        url = urlparse(self.path)
        query = parse_qs(url.query).get("q", [""])[0]
        self.server.queries.append(query)
        if self.server.mode == "sleep":
            time.sleep(1.5)
        if self.server.mode == "error":
            self.send_response(500)
            self.end_headers()
            return
        places = {"Springfield": [{"place_id": 1, "lat": "39.7990", "lon": "-89.6440",
                                   "display_name": "Springfield, Illinois, United States"}]}
        body = json.dumps(places.get(query, []) if url.path == "/search" else []).encode()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
            pass

    def log_message(self, *args):  # keep the test output clean
        pass


@pytest.fixture()
def nominatim(monkeypatch):
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Nominatim)
    server.daemon_threads = True
    server.mode, server.queries = "answer", []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    geocoder = Nominatim(domain=f"127.0.0.1:{server.server_port}", scheme="http", user_agent="geo-news-tests")
    yield server, geocoder
    server.shutdown()
    server.server_close()


def test_fallback_asks_online_only_for_what_is_not_offline(tiny_gazetteer, nominatim):
    server, online = nominatim
    geocode = fallback_geocoder(OfflineGeocoder(tiny_gazetteer), online, min_delay_seconds=0)
    assert geocode("Aleppo").raw["id"] == "t:aleppo"
    assert server.queries == []  # found offline: nothing went online
    spring = geocode("Springfield")
    assert haversine_km(spring.latitude, spring.longitude, 39.799, -89.644) < 0.1
    assert spring.address == "Springfield, Illinois, United States"
    assert geocode("Springfield") is spring and server.queries == ["Springfield"]  # the second answer is cached
    assert geocode("Atlantis") is None and server.queries == ["Springfield", "Atlantis"]
    assert geocode("Atlantis") is None and len(server.queries) == 2  # "not found" is cached too


def test_without_an_online_geocoder_nothing_goes_online(tiny_gazetteer):
    geocode = fallback_geocoder(OfflineGeocoder(tiny_gazetteer))
    assert isinstance(geocode, FallbackGeocoder) and geocode.secondary is None
    assert geocode("Springfield") is None


def test_timeout_gives_a_clear_error(nominatim):
    server, online = nominatim
    server.mode = "sleep"
    geocode = CachedGeocoder(online.geocode, min_delay_seconds=0, timeout=0.3, max_retries=0)
    started = time.monotonic()
    with pytest.raises(GeocoderServiceError, match=r"Nominatim did not answer within 0.3 s for 'Springfield'; "
                                                   r"try again later") as err:
        geocode("Springfield")
    assert time.monotonic() - started < 1.4  # it gave up at the timeout, not when the server answered
    assert isinstance(err.value, GeoNewsError) and isinstance(err.value, ConnectionError)


def test_service_error_gives_a_clear_error(tiny_gazetteer, nominatim):
    server, online = nominatim
    server.mode = "error"
    geocode = fallback_geocoder(OfflineGeocoder(tiny_gazetteer), online, min_delay_seconds=0, max_retries=0)
    assert geocode("Hama").raw["id"] == "t:hama"  # the offline answer does not depend on the service
    with pytest.raises(GeocoderServiceError, match="the online geocoder Nominatim failed for 'Springfield'"):
        geocode("Springfield")


def test_a_failed_call_is_retried_through_geopys_rate_limiter_with_a_logged_warning(nominatim, caplog):
    server, online = nominatim
    server.mode = "error"
    geocode = CachedGeocoder(online.geocode, min_delay_seconds=0, max_retries=2, error_wait_seconds=0.01)
    with caplog.at_level("WARNING"), pytest.raises(GeocoderServiceError, match="failed for 'Springfield'"):
        geocode("Springfield")
    assert server.queries == ["Springfield"] * 3 and geocode.calls == 3
    assert sum("retrying" in r.getMessage() for r in caplog.records) == 2
    server.mode = "answer"
    assert geocode("Springfield") is not None and server.queries[-1] == "Springfield"  # a failure is not cached


def test_cache_and_rate_limit_compose():
    now = [100.0]
    waits = []
    calls = []

    def sleep(seconds):
        waits.append(round(seconds, 3))
        now[0] += seconds

    def answer(query, **kwargs):
        calls.append((query, kwargs))
        now[0] += 0.2  # the service takes a while to answer
        return query.upper()

    geocode = CachedGeocoder(answer, min_delay_seconds=1.0, max_size=2, timeout=5, clock=lambda: now[0],
                             sleep=sleep)
    assert [geocode("a"), geocode("b"), geocode("a"), geocode("b", exactly_one=False)] == ["A", "B", "A", "B"]
    assert calls == [("a", {"timeout": 5}), ("b", {"timeout": 5}), ("b", {"exactly_one": False, "timeout": 5})]
    # one call per second, start to start (the answer took 0.2 s of it), none for the cached one
    assert waits == [0.8, 0.8] and geocode.calls == 3
    geocode("c")  # max_size=2: "a" (least recently used) leaves the cache
    geocode("a")
    assert [c[0] for c in calls][-2:] == ["c", "a"]
    with pytest.raises(ValueError, match="min_delay_seconds"):
        CachedGeocoder(answer, min_delay_seconds=-1)


@pytest.mark.integration
@pytest.mark.parametrize(("query", "lat", "lon", "code"), [
    ({"city": "Athens", "state": "Georgia", "country": "US"}, 33.96, -83.38, "PPL"),
    ({"city": "Athens", "country": "Greece"}, 37.98, 23.73, "PPLC"),
    ({"city": "Paris", "state": "Texas"}, 33.66, -95.56, "PPL"),
    ({"city": "London", "state": "Ontario"}, 42.98, -81.23, "PPL"),
    ({"city": "Tripoli", "country": "LB"}, 34.43, 35.84, "PPL"),
    ({"city": "Springfield", "county": "Sangamon County", "state": "Illinois"}, 39.80, -89.64, "PPL"),
    ({"state": "Georgia", "country": "US"}, 32.7, -83.4, "ADM1"),
    ({"country": "Georgia"}, 42.0, 43.5, "PCLI"),
])
def test_structured_queries_as_nominatim_takes_them(full_gazetteer, query, lat, lon, code):
    loc = OfflineGeocoder(full_gazetteer).geocode(query)
    assert haversine_km(loc.latitude, loc.longitude, lat, lon) < 30 and loc.raw["feature_code"] == code, loc.raw


@pytest.mark.parametrize("query", [{"street": "1 Main Street", "city": "Athens"}, {"postalcode": "30601"},
                                   {"town": "Athens"}, {"city": "  "}])
def test_a_structured_query_the_gazetteer_cannot_answer_is_a_clear_error(offline, query):
    with pytest.raises(GeocoderQueryError):
        offline.geocode(query)


def test_a_structured_query_for_an_unknown_country_finds_nothing(offline):
    assert offline.geocode({"city": "Aleppo", "country": "Atlantis"}) is None
    assert offline.geocode({"city": "Aleppo", "country": "SY"}).raw["id"] == "t:aleppo"


def test_every_layer_shows_a_places_country_by_one_rule():
    """Place -> record has one home (``Place.record``): a disputed area's administering and claiming countries are
    its country code in the geocoder's raw dict, the address, map records and mention rows alike."""
    from geo_news.events import group_events
    from geo_news.frames import mentions_frame
    from geo_news.geocoders import place_to_raw
    from geo_news.maps._core import _from_place
    from geo_news.model import Mention, Place, Resolved

    crimea = Place("cur:crimea", "Crimea", 45.3, 34.4, "L", "RGN", "", ("UA", "RU"), population=2_400_000,
                   source="curated")
    town = Place("gn:1", "Dzhankoi", 45.71, 34.39, "P", "PPL", "UA", population=38_000, source="geonames")
    assert crimea.country == "UA|RU" and town.country == "UA"
    raw = place_to_raw(crimea)
    assert raw["id"] == "cur:crimea" and raw["country_code"] == "UA|RU" and raw["country_codes"] == ["UA", "RU"]
    assert _from_place(crimea, text="Crimea")["country_code"] == "UA|RU"
    rec = crimea.record()
    assert {k: rec[k] for k in ("place_id", "name", "country_code", "population", "source")} == {
        "place_id": "cur:crimea", "name": "Crimea", "country_code": "UA|RU", "population": 2_400_000,
        "source": "curated"}
    text = "Drones hit Dzhankoi in Crimea."
    rows = [Resolved(Mention("Dzhankoi", 11, 19), town, role="impact", sentence=text),
            Resolved(Mention("Crimea", 23, 29), crimea, role="location", sentence=text)]
    df = mentions_frame(rows, group_events(rows), article=text)
    assert list(df["country_code"]) == ["UA", "UA|RU"]
    assert "UA|RU" in repr(crimea)
