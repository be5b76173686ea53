"""The geo-news command line, run as a real subprocess."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ARTICLES

SAMPLE = ARTICLES / "caspian-cruise-missiles-2015.txt"


def run(*args, stdin=None, timeout=300):
    return subprocess.run([sys.executable, "-m", "geo_news", *map(str, args)], capture_output=True, text=True,
                          input=stdin, timeout=timeout)


def test_version_and_help():
    out = run("--version")
    assert out.returncode == 0 and out.stdout.startswith("geo-news ")
    for cmd in ("extract", "map", "geocode", "gazetteer", "assets"):
        h = run(cmd, "--help")
        assert h.returncode == 0 and "usage: geo-news " + cmd in h.stdout


@pytest.mark.parametrize("fmt", ["jsonl", "geojson", "csv", "table"])
def test_extract_formats(full_gazetteer, fmt):
    out = run("extract", SAMPLE, "--format", fmt)
    assert out.returncode == 0, out.stderr
    if fmt == "jsonl":
        recs = [json.loads(line) for line in out.stdout.splitlines()]
        assert {"text", "start", "end", "name", "lat", "lon", "role", "confidence", "precision"} <= set(recs[0])
        assert any(r["name"] == "Caspian Sea" and r["role"] == "launch" for r in recs)
    elif fmt == "geojson":
        fc = json.loads(out.stdout)
        assert fc["type"] == "FeatureCollection" and len(fc["features"]) > 10
        lon, lat = next(f["geometry"] for f in fc["features"] if f["geometry"])["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out.stdout)))
        assert rows and rows[0]["file"].endswith(".txt")
    else:
        assert out.stdout.splitlines()[0].split()[:3] == ["text", "start", "name"]


def test_map_writes_html(full_gazetteer, tmp_path):
    out = run("map", SAMPLE, "-o", tmp_path / "m.html")
    assert out.returncode == 0, out.stderr
    page = (tmp_path / "m.html").read_text(encoding="utf-8")
    assert "Caspian Sea" in page and "gn-route" in page


@pytest.mark.parametrize(("name", "lat", "lon", "km"), [("Ghab Plain", 35.7, 36.35, 40),
                                                         ("the Caspian", 41.9, 50.7, 400),
                                                         ("Aleppo", 36.2, 37.16, 30)])
def test_geocode_json(full_gazetteer, name, lat, lon, km):
    from geo_news.geo import haversine_km

    out = run("geocode", name, "--format", "json")
    assert out.returncode == 0, out.stderr
    best = json.loads(out.stdout)[0]
    assert {"name", "lat", "lon", "feature_code", "country_code"} <= set(best)
    assert haversine_km(best["lat"], best["lon"], lat, lon) < km


def test_geocode_unknown_name(full_gazetteer):
    out = run("geocode", "Qwxzptlandia", "--format", "json")
    assert out.returncode == 1 and json.loads(out.stdout) == [] and "no place called" in out.stderr


def _one_line_error(out):
    assert out.returncode != 0
    assert "Traceback" not in out.stderr
    lines = [line for line in out.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("geo-news: error:"), out.stderr


def test_empty_file_is_one_line_error(tmp_path):
    f = tmp_path / "empty.txt"
    f.write_text("  \n")
    _one_line_error(run("extract", f))


def test_binary_file_is_one_line_error(tmp_path):
    f = tmp_path / "image.png"
    f.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    _one_line_error(run("extract", f))


def test_missing_file_is_one_line_error(tmp_path):
    _one_line_error(run("extract", tmp_path / "nope.txt"))
    _one_line_error(run("map", tmp_path / "nope.txt", "-o", tmp_path / "x.html"))


def test_odd_encodings_are_read(full_gazetteer, tmp_path):
    text = "Shells hit Aleppo and Homs; residents fled toward Türkiye."
    files = []
    for enc in ("utf-16", "cp1252", "utf-8-sig"):
        files.append(tmp_path / f"a-{enc}.txt")
        files[-1].write_bytes(text.encode(enc, errors="replace"))
    out = run("extract", *files, "--format", "jsonl")  # one process: the model loads once
    assert out.returncode == 0, out.stderr
    rows = [json.loads(x) for x in out.stdout.splitlines()]
    for f in files:
        assert "Aleppo" in {r["text"] for r in rows if Path(r["file"]).name == f.name}, f.name


def test_stdin_is_read(full_gazetteer):
    out = run("extract", "-", "--format", "jsonl", stdin="Rockets were fired from Gaza toward Ashkelon.")
    assert out.returncode == 0, out.stderr
    roles = {json.loads(x)["text"]: json.loads(x)["role"] for x in out.stdout.splitlines()}
    assert roles == {"Gaza": "launch", "Ashkelon": "target"}


def test_csv_never_starts_a_cell_with_a_formula(full_gazetteer, tmp_path):
    src = tmp_path / "formula.txt"
    src.write_text("=Aleppo was shelled again on Monday.\n\n=HYPERLINK(\"http://127.0.0.1/x\",\"Homs\") Shells hit "
                   "Homs.\n\n+1 Rockets hit Hama.\n\n-2 Missiles hit Idlib.\n\n@SUM(1) Drones hit Idlib.\n",
                   encoding="utf-8")
    out = run("extract", src, "--format", "csv")
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert len(rows) >= 2
    cells = [v for r in rows for v in r.values() if v]
    assert not [c for c in cells if c[0] in "=+@\t\r" or (c[0] == "-" and not c[1:2].isdigit())]
    assert any(r["sentence"].startswith("'=Aleppo") for r in rows)
    assert all(float(r["lat"]) == float(r["lat"]) for r in rows if r["lat"])  # numbers stay numbers


def test_csv_cell_rule():
    from geo_news.cli import csv_cell

    assert [csv_cell(v) for v in ("=1+1", "+7", "-x", "@a", "\tq", "plain", -33.5, 4, None)] == [
        "'=1+1", "'+7", "'-x", "'@a", "'\tq", "plain", -33.5, 4, None]


def test_geocode_of_a_huge_unknown_name_does_not_echo_it_all(full_gazetteer):
    out = run("geocode", "Q" * 10_000)
    assert out.returncode != 0 and len(out.stderr) < 400 and "QQQ" in out.stderr


@pytest.mark.parametrize("args, wrong", [(("info", "--geonames", "/no/such/dir"), "--geonames"),
                                         (("info", "--tier", "1000"), "--tier"),
                                         (("build", "--format", "json"), "--format"),
                                         (("build", "--path", "x.sqlite"), "--path")])
def test_an_option_of_the_other_gazetteer_action_is_refused(args, wrong, tmp_path):
    out = run("gazetteer", *args)
    assert out.returncode == 2 and wrong in out.stderr and "only applies" in out.stderr
    assert not list(tmp_path.iterdir())


def test_extract_writes_geoparquet(full_gazetteer, tmp_path):
    import geopandas

    target = tmp_path / "mentions.parquet"
    out = run("extract", SAMPLE, "--format", "parquet", "-o", target)
    assert out.returncode == 0, out.stderr
    frame = geopandas.read_parquet(target)
    lines = run("extract", SAMPLE, "--format", "jsonl").stdout.splitlines()
    assert frame.crs.to_epsg() == 4326 and len(frame) == len(lines) and set(frame["file"]) == {str(SAMPLE)}
    assert "Caspian Sea" in set(frame["name"]) and not list(tmp_path.glob("*.partial"))
    refused = run("extract", SAMPLE, "--format", "parquet")
    assert refused.returncode == 2 and "-o" in refused.stderr


def test_extract_to_a_file(full_gazetteer, tmp_path):
    target = tmp_path / "mentions.csv"
    assert run("extract", SAMPLE, "--format", "csv", "-o", target).returncode == 0
    assert target.read_text(encoding="utf-8") == run("extract", SAMPLE, "--format", "csv").stdout


def test_extract_reads_dates_from_file_names_and_date_option(full_gazetteer, tmp_path):
    article = tmp_path / "2024-03-02-shelling.txt"
    article.write_text("Artillery fired from Belgorod struck homes in Kharkiv early on Saturday, officials said.",
                       encoding="utf-8")
    out = run("extract", article, "--format", "jsonl")
    assert out.returncode == 0, out.stderr
    recs = [json.loads(line) for line in out.stdout.splitlines()]
    assert {"sense", "count", "quantity", "when", "event_date"} <= set(recs[0])
    moving = [r for r in recs if r["role"] != "location"]
    assert moving and {r["event_date"] for r in moving} - {None} == {"2024-03-02"}
    # --date wins over the file name: the Saturday before Wednesday 2024-03-13
    out = run("extract", article, "--format", "jsonl", "--date", "2024-03-13")
    recs = [json.loads(line) for line in out.stdout.splitlines()]
    assert {r["event_date"] for r in recs if r["role"] != "location"} - {None} == {"2024-03-09"}
    bad = run("extract", article, "--date", "13/03/2024")
    assert bad.returncode == 2 and "--date" in bad.stderr and "not a date" in bad.stderr
