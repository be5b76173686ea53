"""The ``geo-news`` command line: extract, map, geocode, gazetteer."""

from __future__ import annotations

import argparse
import csv
import io
import json
import logging
import sys
from pathlib import Path

from ._version import __version__
from .exceptions import GeoNewsError

FORMATS = ("jsonl", "geojson", "csv", "table", "parquet")
log = logging.getLogger("geo_news")


def _fail(message: str, code: int = 2) -> int:
    print(f"geo-news: error: {message}", file=sys.stderr)
    return code


def _read(path: str) -> str:
    from .textio import read_article

    if path == "-":
        from .textio import decode, prepare_text

        return prepare_text(decode(sys.stdin.buffer.read(), name="standard input"), name="standard input")
    return read_article(path)


def _table(rows: list[dict], columns: list[str]) -> str:
    cells = [[("" if r.get(c) is None else (f"{r[c]:.4f}" if isinstance(r[c], float) else str(r[c]))) for c in columns]
             for r in rows]
    widths = [min(40, max([len(c)] + [len(row[i]) for row in cells])) for i, c in enumerate(columns)]
    line = lambda vals: "  ".join(v[:w].ljust(w) for v, w in zip(vals, widths))  # noqa: E731
    return "\n".join([line(columns), line(["-" * w for w in widths]), *(line(r) for r in cells)])


def cmd_extract(args) -> int:
    from .pipeline import geoparse

    out = sys.stdout
    if args.format == "parquet" and not args.output:
        return _fail("--format parquet writes a file: give it with -o OUT.parquet")
    from .attributes import article_date, date_from_name

    try:
        given = article_date(args.date)
    except ValueError as err:
        return _fail(f"--date: {err}")
    frames = []
    for path in args.files:
        day = given or (date_from_name(Path(path).name) if path != "-" else None)
        frame = geoparse(_read(path), demonyms=args.demonyms, date=day)
        frames.append((path, frame))
    if args.format == "parquet":
        import geopandas as gpd
        import pandas as pd

        from .frames import CRS

        merged = gpd.GeoDataFrame(pd.concat([pd.DataFrame(f).assign(file=p) for p, f in frames], ignore_index=True),
                                  geometry="geometry", crs=CRS)
        target = Path(args.output)
        partial = target.with_name(target.name + ".partial")
        merged.to_parquet(partial)  # GeoParquet; renamed when complete, so no reader takes half a file for all
        partial.replace(target)
        print(f"wrote {len(merged)} mentions to {target} (GeoParquet, EPSG:4326)", file=sys.stderr)
        return 0
    if args.output:
        out = open(args.output, "w", encoding="utf-8", newline="")  # noqa: SIM115 - closed below
        try:
            return _write_text_formats(args, frames, out)
        finally:
            out.close()
    return _write_text_formats(args, frames, out)


def _write_text_formats(args, frames, out) -> int:
    from .frames import to_geojson, to_records

    if args.format == "geojson":
        import pandas as pd

        if len(frames) == 1:
            out.write(to_geojson(frames[0][1]) + "\n")
        else:
            merged = pd.concat([f.assign(file=p) for p, f in frames], ignore_index=True)
            out.write(to_geojson(merged) + "\n")
        return 0
    records = [{"file": p, **r} for p, f in frames for r in to_records(f)]
    if args.format == "jsonl":
        for r in records:
            out.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")
    elif args.format == "csv":
        buf = io.StringIO()
        if records:
            writer = csv.DictWriter(buf, fieldnames=list(records[0]))
            writer.writeheader()
            writer.writerows({k: csv_cell(v) for k, v in r.items()} for r in records)
        out.write(buf.getvalue())
    else:
        out.write(_table(records, ["text", "start", "name", "lat", "lon", "feature_code", "country_code", "role",
                                   "sense", "precision", "confidence"]) + "\n")
    return 0


# A spreadsheet runs a cell that starts with one of these as a formula ("=HYPERLINK(...)" in a scraped sentence)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A CSV value that a spreadsheet shows as text: text starting like a formula gets a leading apostrophe
    (OWASP's advice for CSV injection); numbers are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def cmd_map(args) -> int:
    from .maps import event_map
    from .pipeline import geoparse

    if Path(args.file).is_dir():  # the output folder of geo-news batch
        from .batch import read_table

        frame = read_table(args.file, "mentions")
        if not len(frame):
            return _fail(f"{args.file}: the run has no place mentions to map")
        m = event_map(frame, title=Path(args.file).name, offline=args.offline, cluster=True,
                      heat=True if args.heat is None else args.heat, animate=args.animate)
        m.save(str(args.output))
        print(f"wrote {args.output}: {len(frame):,} place mentions from {frame['doc_id'].nunique():,} documents",
              file=sys.stderr)
        return 0
    frame = geoparse(_read(args.file), demonyms=args.demonyms)
    m = event_map(frame, title=Path(args.file).name, offline=args.offline, cluster=args.cluster,
                  heat=bool(args.heat), animate=args.animate)
    m.save(str(args.output))
    roles = frame["role"].value_counts().to_dict()
    print(f"wrote {args.output}: {len(frame)} place mentions "
          f"({', '.join(f'{k} {v}' for k, v in sorted(roles.items()))}), {len(frame.events)} events",
          file=sys.stderr)
    return 0


def cmd_batch(args) -> int:
    from .batch import MAX_CHARS, PARTITION_SIZE, geoparse_corpus

    if args.workers < 1:
        return _fail("--workers must be at least 1")
    result = geoparse_corpus(
        args.input, args.output, workers=args.workers, scheduler=args.scheduler, text_column=args.text_column,
        id_column=args.id_column, date_column=args.date_column,
        partition_size=PARTITION_SIZE if args.partition_size is None else args.partition_size, resume=args.resume,
        demonyms=args.demonyms, gazetteer=args.gazetteer,
        max_chars=MAX_CHARS if args.max_chars is None else args.max_chars, progress=args.progress)
    print(result, file=sys.stderr)
    for index, message in sorted(result.failed.items()):
        print(f"partition {index} failed: {message}", file=sys.stderr)
    return 0 if result.complete else 1


def cmd_geocode(args) -> int:
    from .gazetteer import open_default

    gaz = open_default(progress=sys.stderr.isatty())
    found = [(p, "exact", 100.0) for p in gaz.lookup(args.name, country=args.country, limit=args.limit)]
    if not found and args.fuzzy:
        found = [(p, "fuzzy", s) for p, s in gaz.fuzzy_lookup(args.name, country=args.country, limit=args.limit)]
    rows = []
    for p, match, score in found:
        rec = p.record(match=match, score=round(score, 1))
        rows.append({"id": rec.pop("place_id"), **rec})
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        columns = ["name", "lat", "lon", "feature_code", "country_code", "population", "id"]
        print(_table(rows, columns + (["match", "score"] if args.fuzzy else [])))
    if not rows:
        shown = args.name if len(args.name) <= 80 else args.name[:80] + "..."
        print(f"geo-news: no place called {shown!r} in the offline gazetteer", file=sys.stderr)
        return 1
    return 0


_GAZETTEER_OPTIONS = {"build": ("force", "output", "tier", "geonames"), "info": ("path", "format")}
"""The options of ``geo-news gazetteer`` that only one of its actions reads."""


def cmd_gazetteer(args) -> int:
    from .gazetteer import Gazetteer, default_path, open_default

    other = "info" if args.action == "build" else "build"
    if wrong := [f"--{o}" for o in _GAZETTEER_OPTIONS[other] if getattr(args, o) not in (None, False)]:
        return _fail(f"gazetteer {args.action}: {', '.join(wrong)} only applies to 'geo-news gazetteer {other}'")
    if args.action == "build":
        from .gazetteer.build import build

        path = Path(args.output) if args.output else default_path()
        if path.exists() and not args.force and not args.output:
            print(f"{path} exists; use --force to rebuild", file=sys.stderr)
            return 0
        if args.geonames:
            from .gazetteer.build import build_geonames

            build_geonames(path, args.geonames, progress=not args.quiet)
        else:
            build(path, tier=args.tier or 500, progress=not args.quiet)
        print(f"built {path}", file=sys.stderr)
        return 0
    gaz = Gazetteer(args.path) if args.path else open_default(progress=sys.stderr.isatty())
    info = gaz.info()
    if args.format == "json":
        print(json.dumps(info, indent=2))
    else:
        mode = info["mode"] + (f", tier {info['tier']}" if info["tier"] else "") + (
            f", {info['geonames_files']}" if info["geonames_files"] else "")
        print(f"path     {info['path']}\nsize     {info['size_bytes'] / 1e6:.1f} MB\nmode     {mode}\n"
              f"built    {info['built']} in {info['build_seconds']:.1f} s "
              f"(geo_news {info['geo_news_version']}, schema {info['schema_version']}, "
              f"SQLite {info['sqlite_version']})\n"
              f"places   {info['places']:,}\nnames    {info['names']:,}\nshapes   {info['shapes']:,}\n"
              f"fuzzy    {info['fuzzy_keys']:,} name keys in the trigram index\nsources:")
        print(_table(info["sources"], ["name", "version", "rows", "licence"]))
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="geo-news",
        description="Find the places a news article names, resolve them offline, give each its role "
                    "(launch, transit, target, impact, location) and map them.",
    )
    p.add_argument("--version", action="version", version=f"geo-news {__version__}")
    p.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    e = sub.add_parser("extract", help="list the place mentions of articles",
                       description="Geoparse article files (plain text or HTML; '-' reads standard input) and "
                                   "write one record per place mention. An HTML page is reduced to its article's "
                                   "text (headline, body, captions; menus, sidebars and footers dropped): start "
                                   "and end are offsets into that text, which the 'sentence' column quotes.")
    e.add_argument("files", nargs="+", metavar="FILE")
    e.add_argument("--format", choices=FORMATS, default="table",
                   help="output format (default: table); parquet writes GeoParquet (EPSG:4326) and needs -o")
    e.add_argument("-o", "--output", metavar="OUT", help="write to this file instead of standard output")
    e.add_argument("--demonyms", action="store_true", help="also report nationality words as their country")
    e.add_argument("--date", metavar="YYYY-MM-DD",
                   help="the articles' date, against which 'on Tuesday' and 'yesterday' are read (event_date "
                        "column); by default a date in each file's name (2024-03-02-kharkiv.txt), else none")
    e.set_defaults(func=cmd_extract)

    mp = sub.add_parser("map", help="write the interactive map of an article",
                        description="Geoparse one article and write its map (places by role, areas, routes) "
                                    "as an HTML file; or map the output folder of 'geo-news batch' (clustered "
                                    "markers, a heat layer, and a time slider when the documents have dates).")
    mp.add_argument("file", metavar="FILE|OUT/")
    mp.add_argument("-o", "--output", required=True, type=Path, help="the HTML file to write")
    mp.add_argument("--offline", action="store_true",
                    help="inline every script and style so the page renders with no network")
    mp.add_argument("--demonyms", action="store_true", help="also map nationality words as their country")
    mp.add_argument("--cluster", action="store_true", help="cluster markers (for long texts with many places)")
    mp.add_argument("--heat", action=argparse.BooleanOptionalAction, default=None,
                    help="add a heat-map layer of mention density (on by default for a batch result)")
    mp.add_argument("--animate", action="store_true", help="animate the routes (the arrowheads stay)")
    mp.set_defaults(func=cmd_map)

    b = sub.add_parser("batch", help="geoparse a corpus on Dask (resumable; GeoParquet output)",
                       description="Geoparse every document of INPUT (a folder of .txt/.html files, or a JSON "
                                   "Lines, CSV or Parquet file) on a Dask cluster and write partitioned GeoParquet "
                                   "tables (mentions, events) and documents / errors tables to OUT/. Run it again "
                                   "to resume: complete partitions are skipped. Needs: pip install "
                                   "'geo-news[dask]'.")
    b.add_argument("input", metavar="INPUT")
    b.add_argument("-o", "--output", required=True, metavar="OUT/", help="the output folder")
    b.add_argument("--workers", type=int, default=2, help="worker processes of the local cluster (default 2)")
    b.add_argument("--scheduler", metavar="ADDRESS", help="run on this Dask scheduler (tcp://host:8786) instead")
    b.add_argument("--text-column", default="text", metavar="C", help="the text column of a table (default text)")
    b.add_argument("--id-column", default="id", metavar="C",
                   help="the id column of a table (default id; rows without one get 'line N' / 'row N')")
    b.add_argument("--date-column", metavar="C", help="the date column of a table (YYYY-MM-DD)")
    b.add_argument("--partition-size", type=int, default=None, metavar="N",
                   help="documents per partition (default 200)")
    b.add_argument("--no-resume", dest="resume", action="store_false",
                   help="start over instead of skipping the partitions a previous run completed")
    b.add_argument("--demonyms", action="store_true", help="also report nationality words as their country")
    b.add_argument("--gazetteer", metavar="FILE", help="a gazetteer file (default: the embedded one)")
    b.add_argument("--max-chars", type=int, default=None, metavar="N",
                   help="longer documents go to the errors table (default 1,000,000)")
    b.add_argument("--no-progress", dest="progress", action="store_false", help="no progress bar")
    b.set_defaults(func=cmd_batch)

    g = sub.add_parser("geocode", help="look a place name up in the offline gazetteer",
                       description="Best matches for a place name, most likely first.")
    g.add_argument("name")
    g.add_argument("--country", help="ISO 3166-1 alpha-2 code to restrict to")
    g.add_argument("--limit", type=int, default=5)
    g.add_argument("--format", choices=("json", "table"), default="table")
    g.add_argument("--fuzzy", action="store_true",
                   help="when nothing matches exactly, list spelling variants (e.g. 'Kharkov' -> Kharkiv)")
    g.set_defaults(func=cmd_geocode)

    gz = sub.add_parser("gazetteer", help="build or describe the offline gazetteer",
                        description="'build' makes the embedded gazetteer from installed packages (offline); "
                                    "'info' prints its sources, versions, counts, size and path.")
    gz.add_argument("action", choices=("build", "info"))
    gz.add_argument("--force", action="store_true", help="(build) rebuild even if the file exists")
    gz.add_argument("--output", help="(build) write to this path instead of the default location")
    gz.add_argument("--path", help="(info) the gazetteer file to describe")
    gz.add_argument("--tier", type=int, choices=(500, 1000, 5000, 15000),
                    help="(build) smallest GeoNames population tier to include (default 500)")
    gz.add_argument("--geonames", metavar="DIR",
                    help="(build) import GeoNames dump files from DIR: allCountries.txt or cities500.txt, "
                         "alternateNamesV2.txt, admin1CodesASCII.txt, countryInfo.txt (full mode)")
    gz.add_argument("--quiet", action="store_true", help="no progress bar")
    gz.add_argument("--format", choices=("json", "table"), help="(info) output format (default table)")
    gz.set_defaults(func=cmd_gazetteer)
    ev = sub.add_parser("eval", help="score geoparsing on an annotated corpus",
                        description="Score geo_news (or a prediction file) on a gold JSONL corpus with the EUPEG "
                                    "rule: P, R, F1, Acc@161, AUC, mean/median km, docs/s.")
    ev.add_argument("gold", metavar="GOLD.jsonl")
    ev.add_argument("--predictions", metavar="PRED.jsonl", help="score this file instead of running geo_news")
    dem = ev.add_mutually_exclusive_group()
    dem.add_argument("--demonyms", dest="demonyms", action="store_true",
                     help="count nationality words as toponyms of their country (LGL convention)")
    dem.add_argument("--no-demonyms", dest="demonyms", action="store_false",
                     help="do not (GeoVirus convention; the default)")
    ev.add_argument("--recall-only", action="store_true",
                    help="the corpus annotates only some toponyms (WikToR): unmatched predictions are not false "
                         "positives; report recall and distances, no precision or F1")
    ev.add_argument("--limit", type=int, help="only the first N documents")
    ev.add_argument("--write-predictions", metavar="OUT.jsonl", help="write our predictions here")
    ev.add_argument("--format", choices=("text", "json"), default="text")
    ev.set_defaults(func=cmd_eval, demonyms=False)

    a = sub.add_parser("assets", help="install the map assets used by offline maps",
                       description="Install Leaflet and its plugins from the npm registry into the geo_news data "
                                   "dir, for 'geo-news map --offline' (needs npm).")
    a.add_argument("action", choices=("install", "path"))
    a.set_defaults(func=cmd_assets)
    return p


def cmd_eval(args) -> int:
    from .evaluate import evaluate, format_scores

    scores, _ = evaluate(args.gold, predictions_path=args.predictions, demonyms=args.demonyms, limit=args.limit,
                         write_to=args.write_predictions, progress=sys.stderr.isatty(),
                         recall_only=args.recall_only)
    if args.format == "json":
        print(json.dumps(scores.as_dict(), indent=2))
    else:
        print(format_scores(scores, label=Path(args.gold).name))
    return 0


def cmd_assets(args) -> int:
    from .offline import assets_dir, assets_installed, install_assets

    if args.action == "path":
        print(assets_dir())
        return 0 if assets_installed() else 1
    print(f"installed map assets in {install_assets()}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s")
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except GeoNewsError as err:
        return _fail(str(err))
    except FileNotFoundError as err:
        return _fail(f"{err.filename or err}: no such file")
    except (IsADirectoryError, PermissionError, UnicodeError) as err:
        return _fail(str(err))
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return _fail("interrupted", 130)


if __name__ == "__main__":
    sys.exit(main())
