"""Geoparse a corpus on Dask: partitioned, resumable, written as GeoParquet.

``pip install "geo-news[dask]"``. The same call runs on a laptop (a :class:`distributed.LocalCluster` of worker
processes, made for you) and on a real cluster (pass a :class:`distributed.Client` connected to its scheduler)::

    from geo_news.batch import geoparse_corpus
    run = geoparse_corpus("articles/", "out/")          # a folder of .txt / .html files
    run = geoparse_corpus("dump.jsonl", "out/", text_column="body", id_column="url", date_column="published")
    run.read("mentions")                                # a GeoDataFrame, EPSG:4326

What ``out/`` holds, one Parquet file per input partition in each folder (``part-00000.parquet`` ...):

``mentions/``
    GeoParquet, one row per place mention: ``doc_id``, ``date``, then the columns of :func:`geo_news.geoparse`.
``events/``
    GeoParquet, one row per event (launch, transits, targets, impacts, route geometry), with ``doc_id``.
``documents/``
    One row per input document: ``doc_id``, ``date``, ``status`` (``ok`` or ``error``), characters, mentions, events.
``errors/``
    One row per document that could not be geoparsed (empty, binary, too long, not decodable, a parse error):
    ``doc_id``, ``partition``, ``error`` (the exception's type) and ``message``. The rest of its partition is kept.
``_manifest.json`` and ``_done/``
    What the run was over (the input's paths, sizes and times, the partitioning) and which partitions are
    complete. A partition is complete when its marker in ``_done/`` exists; its four files are written under
    hidden temporary names and renamed into place first, so a reader of ``mentions/`` (Parquet readers skip
    names starting with ``.`` or ``_``) never sees half a file, and an interrupted run, started again, writes
    only the partitions that have no marker (``resume=True``, the default).

Each worker loads the spaCy pipeline and opens the gazetteer once (:class:`GeoNewsWorkerPlugin`), never per task.
A worker that dies mid-partition has its partitions run again by the scheduler; a partition is written whole
or not at all, so every document is in the output once.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import logging
import os
import threading
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .exceptions import GeoNewsError, InputError
from .frames import COLUMNS, EVENT_COLUMNS

log = logging.getLogger(__name__)

TABLES = ("mentions", "events", "documents", "errors")
TEXT_SUFFIXES = (".txt", ".text", ".html", ".htm")
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
CSV_SUFFIXES = (".csv", ".tsv")
PARQUET_SUFFIXES = (".parquet", ".pq")
PARTITION_SIZE = 200
"""Documents per partition: large enough that a partition's fixed cost (a task, four files) is small beside its
spaCy time, small enough that a killed worker costs little and progress is smooth."""
MAX_CHARS = 1_000_000
"""A document longer than this (spaCy's own default ``max_length``) goes to ``errors``: a megabyte of one line is
a dump or a log, not an article; split it into articles first."""
PLUGIN_NAME = "geo_news"
MANIFEST = "_manifest.json"
DONE = "_done"
STAGING = "_input"
FORMAT_VERSION = 2
"""The layout of the tables a run writes, part of the run's fingerprint: a run written by a geo_news with another
layout (version 1 had no ``waypoints`` column in ``events``) is not resumed into, it is refused with a clear error."""


class BatchError(GeoNewsError):
    """A corpus run that cannot start or go on (unreadable input, an output folder of another run)."""


def _require_dask():
    try:
        import distributed  # noqa: F401
    except ImportError as err:
        raise BatchError('corpus runs on Dask need the dask extra: pip install "geo-news[dask]"') from err


# ---------------------------------------------------------------------------------------------------- the input


@dataclass(frozen=True)
class Partition:
    """One unit of work: which documents of the input it holds (read on the worker, never shipped)."""

    index: int
    kind: str  # "files" | "jsonl" | "parquet"
    path: str = ""
    files: tuple[str, ...] = ()  # kind "files": paths relative to ``path``
    start: int = 0  # jsonl: byte offset; parquet: first row
    stop: int = 0  # jsonl: byte offset (exclusive); parquet: row after the last
    first_row: int = 0  # jsonl: line number of the first line (0-based), for ids and error rows


@dataclass(frozen=True)
class Columns:
    text: str = "text"
    id: str | None = "id"
    date: str | None = None


def _files_of(folder: Path) -> list[str]:
    found = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        for name in sorted(names):
            if name.lower().endswith(TEXT_SUFFIXES) and not name.startswith("."):
                found.append(os.path.relpath(os.path.join(root, name), folder))
    return found


def _jsonl_partitions(path: Path, size: int) -> list[Partition]:
    """Byte ranges of ``size`` lines each, found by reading the file once (no JSON is parsed here)."""
    parts, start, offset, line, first = [], 0, 0, 0, 0
    with path.open("rb") as fh:
        for raw in fh:
            offset += len(raw)
            line += 1
            if line - first == size:
                parts.append(Partition(len(parts), "jsonl", str(path), start=start, stop=offset, first_row=first))
                start, first = offset, line
    if offset > start:
        parts.append(Partition(len(parts), "jsonl", str(path), start=start, stop=offset, first_row=first))
    return parts


def _parquet_partitions(path: Path, size: int, columns: Columns) -> list[Partition]:
    import pyarrow.parquet as pq

    try:
        meta = pq.ParquetFile(path)
    except Exception as err:  # noqa: BLE001 - pyarrow raises several kinds for a file that is not Parquet
        raise BatchError(f"{path} is not a readable Parquet file ({err})") from err
    names = set(meta.schema_arrow.names)
    if columns.text not in names:
        raise BatchError(f"{path} has no text column {columns.text!r} (columns: {', '.join(sorted(names))}); "
                         "say which with text_column= / --text-column")
    for what, col in (("date", columns.date),):
        if col and col not in names:
            raise BatchError(f"{path} has no {what} column {col!r} (columns: {', '.join(sorted(names))})")
    rows = meta.metadata.num_rows
    return [Partition(i, "parquet", str(path), start=lo, stop=min(rows, lo + size))
            for i, lo in enumerate(range(0, rows, size))]


def _stage_csv(path: Path, out: Path, size: int, columns: Columns) -> Path:
    """A CSV file cannot be split by bytes (an article holds newlines inside quotes): read it once, in chunks,
    into one Parquet file under ``out/_input/`` that the workers then read by rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    staged = out / STAGING / (path.stem + ".parquet")
    st = path.stat()
    stamp = staged.with_suffix(".source")
    if staged.is_file() and stamp.is_file() and stamp.read_text() == f"{path.resolve()} {st.st_size} {st.st_mtime_ns}":
        return staged
    staged.parent.mkdir(parents=True, exist_ok=True)
    tmp = staged.with_name(f".{staged.name}.{uuid.uuid4().hex}.tmp")
    sep = "\t" if path.suffix.lower() == ".tsv" else ","
    writer = None
    try:
        reader = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False, chunksize=max(size, 1000),
                             encoding="utf-8", encoding_errors="replace", quoting=csv.QUOTE_MINIMAL)
        for chunk in reader:
            if columns.text not in chunk.columns:
                raise BatchError(f"{path} has no text column {columns.text!r} (columns: "
                                 f"{', '.join(chunk.columns)}); say which with text_column= / --text-column")
            table = pa.Table.from_pandas(chunk, preserve_index=False)
            if writer is None:
                writer = pq.ParquetWriter(tmp, table.schema)
            writer.write_table(table.cast(writer.schema))
    except (pd.errors.ParserError, UnicodeError, ValueError) as err:
        raise BatchError(f"{path} is not a readable CSV file ({err})") from err
    finally:
        if writer is not None:
            writer.close()
    if writer is None:
        raise BatchError(f"{path} holds no rows")
    os.replace(tmp, staged)
    stamp.write_text(f"{path.resolve()} {st.st_size} {st.st_mtime_ns}")
    return staged


def plan(source: str | os.PathLike, out: Path, *, columns: Columns, partition_size: int) -> tuple[list[Partition], dict]:
    """The partitions of ``source`` and a fingerprint of it (what a later run checks before resuming)."""
    src = Path(source)
    if not src.exists():
        raise BatchError(f"{src}: no such file or folder")
    if partition_size < 1:
        raise BatchError(f"partition_size must be at least 1, not {partition_size}")
    if src.is_dir():
        files = _files_of(src)
        if not files:
            raise BatchError(f"{src} holds no article files ({', '.join(TEXT_SUFFIXES)})")
        parts = [Partition(i, "files", str(src), files=tuple(files[lo:lo + partition_size]))
                 for i, lo in enumerate(range(0, len(files), partition_size))]
        digest = hashlib.sha256()
        for f in files:
            st = (src / f).stat()
            digest.update(f"{f}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
        ident = {"kind": "folder", "files": len(files), "digest": digest.hexdigest()}
    else:
        suffix = src.suffix.lower()
        st = src.stat()
        ident = {"kind": suffix.lstrip("."), "size": st.st_size, "mtime_ns": st.st_mtime_ns}
        if suffix in JSONL_SUFFIXES:
            parts = _jsonl_partitions(src, partition_size)
        elif suffix in PARQUET_SUFFIXES:
            parts = _parquet_partitions(src, partition_size, columns)
        elif suffix in CSV_SUFFIXES:
            parts = _parquet_partitions(_stage_csv(src, out, partition_size, columns), partition_size, columns)
        elif suffix in TEXT_SUFFIXES:
            raise BatchError(f"{src} is one article; give the folder that holds the articles, or use geo-news "
                             "extract for a single file")
        else:
            raise BatchError(f"{src}: unknown input kind {suffix or '(no suffix)'}; give a folder of .txt/.html "
                             "files, a .jsonl, .csv or .parquet file")
        if not parts:
            raise BatchError(f"{src} holds no documents")
    fingerprint = {"format": FORMAT_VERSION, "source": str(src.resolve()), **ident,
                   "partition_size": partition_size, "text_column": columns.text, "id_column": columns.id,
                   "date_column": columns.date, "partitions": len(parts)}
    return parts, fingerprint


@dataclass
class Doc:
    doc_id: str
    text: str | None = None
    date: str | None = None
    error: tuple[str, str] | None = None  # (type, message) when the record itself is unusable


def _cell(value) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    return str(value)


def read_partition(part: Partition, columns: Columns) -> list[Doc]:
    """The documents of one partition, read where the task runs; a bad record becomes a :class:`Doc` with its
    error, never an exception that would lose the rest of the partition."""
    from .attributes import date_from_name
    from .textio import read_article

    docs: list[Doc] = []
    if part.kind == "files":
        for rel in part.files:
            day = date_from_name(Path(rel).name)
            doc = Doc(rel, date=day.isoformat() if day else None)
            try:
                doc.text = read_article(Path(part.path) / rel)
            except (InputError, OSError) as err:
                doc.error = (type(err).__name__, str(err))
            docs.append(doc)
    elif part.kind == "jsonl":
        with open(part.path, "rb") as fh:
            fh.seek(part.start)
            data = fh.read(part.stop - part.start)
        for n, raw in enumerate(data.splitlines(), start=part.first_row + 1):
            fallback = f"line {n}"
            if not raw.strip():
                docs.append(Doc(fallback, error=("InputError", f"line {n} is blank")))
                continue
            try:
                rec = json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError) as err:
                docs.append(Doc(fallback, error=("InputError", f"line {n} is not JSON: {err}")))
                continue
            if not isinstance(rec, Mapping):
                docs.append(Doc(fallback, error=("InputError", f"line {n} is not a JSON object")))
                continue
            docs.append(_doc_of(rec, columns, fallback))
    else:
        import pyarrow.parquet as pq

        pf = pq.ParquetFile(part.path)
        wanted = [c for c in (columns.text, columns.id, columns.date) if c and c in pf.schema_arrow.names]
        table = pf.read(columns=wanted).slice(part.start, part.stop - part.start)
        for n, rec in enumerate(table.to_pylist(), start=part.start):
            docs.append(_doc_of(rec, columns, f"row {n}"))
    return docs


def _doc_of(rec: Mapping, columns: Columns, fallback: str) -> Doc:
    doc_id = _cell(rec.get(columns.id)) if columns.id else None
    doc = Doc(doc_id if doc_id not in (None, "") else fallback,
              date=_cell(rec.get(columns.date)) if columns.date else None)
    text = rec.get(columns.text)
    if text is None:
        doc.error = ("InputError", f"no text (column {columns.text!r} missing or empty)")
    elif not isinstance(text, str):
        doc.error = ("InputError", f"the text column {columns.text!r} holds a {type(text).__name__}, not text")
    else:
        doc.text = text
    return doc


# ---------------------------------------------------------------------------------------------------- the work


try:  # the dask extra; without it this module still imports, and geoparse_corpus says what to install
    from distributed import WorkerPlugin as _WorkerPlugin
except ImportError:  # pragma: no cover - exercised only without the extra
    _WorkerPlugin = object


class GeoNewsWorkerPlugin(_WorkerPlugin):
    """Loads the geo_news pipeline (spaCy model, gazetteer, fitted models) once per Dask worker.

    Registered by :func:`geoparse_corpus` with ``client.register_plugin``; a worker that joins later (or replaces
    a dead one) gets it too. Tasks fetch the pipeline with :func:`worker_geoparser`.
    """

    idempotent = True  # registered again with the same settings (the same name): keep the loaded pipeline

    def __init__(self, *, model: str | None = None, gazetteer: str | None = None, demonyms: bool = False) -> None:
        self.model = model
        self.gazetteer = gazetteer
        self.demonyms = demonyms
        self.geoparser = None
        self.lock = threading.Lock()
        self.loads = 0
        settings = json.dumps([model, gazetteer, demonyms])
        self.name = f"{PLUGIN_NAME}-{hashlib.sha256(settings.encode()).hexdigest()[:12]}"
        """One plugin per set of settings: a second run with the same ones reuses the loaded pipeline."""

    def __getstate__(self):
        return {"model": self.model, "gazetteer": self.gazetteer, "demonyms": self.demonyms}

    def __setstate__(self, state):
        self.__init__(**state)

    def setup(self, worker=None) -> None:
        self.load()

    def teardown(self, worker=None) -> None:
        self.geoparser = None

    def load(self):
        with self.lock:
            if self.geoparser is None:
                from .gazetteer import Gazetteer, open_default
                from .nlp import load_model
                from .pipeline import Geoparser

                gaz = Gazetteer(self.gazetteer) if self.gazetteer else open_default()
                self.geoparser = Geoparser(nlp=load_model(self.model), gazetteer=gaz, demonyms=self.demonyms)
                self.loads += 1
        return self.geoparser


def worker_geoparser(plugin_name: str):
    """The pipeline of the Dask worker this task runs on (loaded once by :class:`GeoNewsWorkerPlugin`)."""
    from distributed import get_worker

    plugin = get_worker().plugins.get(plugin_name)
    if plugin is None:
        raise BatchError("this Dask worker has no geo_news plugin; run through geo_news.batch.geoparse_corpus")
    return plugin.load()


def _geoparse_docs(parser, docs: Sequence[Doc], max_chars: int, partition: int):
    """Frames of the documents that geoparse, and error rows for those that do not, in input order."""
    from .attributes import article_date
    from .textio import prepare_text

    errors: list[dict] = []
    ready: list[tuple[Doc, str]] = []
    for doc in docs:
        if doc.error is None:
            try:
                text = prepare_text(doc.text, name=f"document {doc.doc_id}")
                if len(text) > max_chars:
                    raise InputError(f"document {doc.doc_id} has {len(text):,} characters, more than max_chars="
                                     f"{max_chars:,}; split it into articles")
                try:
                    article_date(doc.date)
                except ValueError as err:
                    raise InputError(f"document {doc.doc_id}: {err}") from None
                ready.append((doc, text))
                continue
            except InputError as err:
                doc.error = (type(err).__name__, str(err))
        errors.append({"doc_id": doc.doc_id, "partition": partition, "error": doc.error[0], "message": doc.error[1]})
    frames: dict[int, object] = {}
    done = 0
    try:  # in batches through spaCy; on a failure, the rest one by one so only the failing document is lost
        for frame in parser.parse_many((t for _, t in ready), dates=(d.date for d, _ in ready)):
            frames[done] = frame
            done += 1
    except Exception:  # noqa: BLE001 - whatever one document raises, the others are kept
        for i in range(done, len(ready)):
            doc, text = ready[i]
            try:
                frames[i] = parser.parse(text, date=doc.date)
            except Exception as err:  # noqa: BLE001
                doc.error = (type(err).__name__, str(err) or repr(err))
                errors.append({"doc_id": doc.doc_id, "partition": partition, "error": doc.error[0],
                               "message": doc.error[1]})
    return [(doc, text, frames.get(i)) for i, (doc, text) in enumerate(ready)], errors


def _schemas():
    import pyarrow as pa

    s, f64, i64 = pa.string(), pa.float64(), pa.int64()
    mention_types = {"start": i64, "end": i64, "lat": f64, "lon": f64, "confidence": f64, "sentence_index": i64,
                     "event": i64, "count": i64}
    mentions = pa.schema([("doc_id", s), ("date", s)]
                         + [(c, mention_types.get(c, s)) for c in COLUMNS] + [("geometry", pa.binary())])
    ls = pa.list_(s)
    event_types = {"event": i64, "launch": ls, "transits": ls, "targets": ls, "impacts": ls, "waypoints": ls,
                   "sentences": ls,
                   "route_km": f64, "count": i64, "impact_counts": pa.list_(i64)}
    events = pa.schema([("doc_id", s), ("date", s)]
                       + [(c, event_types.get(c, s)) for c in EVENT_COLUMNS] + [("geometry", pa.binary())])
    documents = pa.schema([("doc_id", s), ("date", s), ("status", s), ("partition", i64), ("chars", i64),
                           ("mentions", i64), ("places", i64), ("events", i64)])
    errors = pa.schema([("doc_id", s), ("partition", i64), ("error", s), ("message", s)])
    return {"mentions": mentions, "events": events, "documents": documents, "errors": errors}


def _geo_table(frame, schema):
    """``frame`` as an Arrow table of the fixed ``schema`` with its GeoParquet metadata: every partition's file has
    the same columns and types whatever its rows hold (an all-empty column is still a string column). geopandas
    writes the GeoParquet encoding and metadata; the columns are then cast to the schema."""
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    buffer.seek(0)
    table = pq.read_table(buffer)
    columns = [table.column(f.name) if f.name in table.column_names else pa.nulls(table.num_rows, f.type)
               for f in schema]
    geo = {b"geo": table.schema.metadata[b"geo"]}
    return pa.Table.from_arrays(columns, names=schema.names).cast(schema.with_metadata(geo))


def _write(table, path: Path) -> Path:
    """Write the Arrow ``table`` to a hidden temporary file beside ``path``; the caller renames it into place."""
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    pq.write_table(table, tmp)
    return tmp


def _atomic_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def part_name(index: int) -> str:
    return f"part-{index:05d}.parquet"


def run_partition(part: Partition, out: str, columns: Columns, max_chars: int, plugin: str) -> dict:
    """Geoparse one partition on a worker and write its four files and its done marker; returns its counts."""
    import geopandas as gpd
    import pyarrow as pa

    from .frames import CRS

    started = time.perf_counter()
    parser = worker_geoparser(plugin)
    docs = read_partition(part, columns)
    results, errors = _geoparse_docs(parser, docs, max_chars, part.index)
    schemas = _schemas()
    mention_frames, event_frames, doc_rows = [], [], []
    failed = {e["doc_id"] for e in errors}
    for doc, text, frame in results:
        if frame is None:
            continue
        if len(frame):
            m = frame.copy()
            m.insert(0, "date", doc.date)
            m.insert(0, "doc_id", doc.doc_id)
            mention_frames.append(m)
        ev = frame.events
        if len(ev):
            e = ev.copy()
            e.insert(0, "date", doc.date)
            e.insert(0, "doc_id", doc.doc_id)
            event_frames.append(e)
        doc_rows.append({"doc_id": doc.doc_id, "date": doc.date, "status": "ok", "partition": part.index,
                         "chars": len(text), "mentions": len(frame), "places": int(frame["lat"].notna().sum()),
                         "events": len(ev)})
    for doc in docs:
        if doc.doc_id in failed and doc.error is not None:
            doc_rows.append({"doc_id": doc.doc_id, "date": doc.date, "status": "error", "partition": part.index,
                             "chars": len(doc.text) if isinstance(doc.text, str) else 0, "mentions": 0,
                             "places": 0, "events": 0})

    def geo(frames, schema):
        if frames:
            frame = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=CRS)
        else:
            frame = gpd.GeoDataFrame({}, geometry=gpd.GeoSeries([], crs=CRS))
        return _geo_table(frame, schema)

    tables = {
        "mentions": geo(mention_frames, schemas["mentions"]),
        "events": geo(event_frames, schemas["events"]),
        "documents": pa.Table.from_pylist(doc_rows, schema=schemas["documents"]),
        "errors": pa.Table.from_pylist(errors, schema=schemas["errors"]),
    }
    root = Path(out)
    staged = {name: _write(table, root / name / part_name(part.index)) for name, table in tables.items()}
    for name, tmp in staged.items():
        os.replace(tmp, root / name / part_name(part.index))
    counts = {"partition": part.index, "documents": len(docs), "mentions": tables["mentions"].num_rows,
              "events": tables["events"].num_rows, "errors": len(errors),
              "seconds": round(time.perf_counter() - started, 3), "pid": os.getpid(),
              "finished": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
    _atomic_text(root / DONE / f"part-{part.index:05d}.json", json.dumps(counts))
    return counts


# ---------------------------------------------------------------------------------------------------- the run


@dataclass
class BatchResult:
    """What a corpus run did, and readers for what it wrote."""

    out: Path
    partitions: int
    written: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)
    documents: int = 0
    mentions: int = 0
    events: int = 0
    errors: int = 0
    seconds: float = 0.0

    @property
    def complete(self) -> bool:
        return not self.failed and len(self.written) + len(self.skipped) == self.partitions

    def read(self, table: str):
        """One table of the run (``mentions``, ``events``, ``documents``, ``errors``) as a (Geo)DataFrame."""
        return read_table(self.out, table)

    def __str__(self) -> str:
        state = "complete" if self.complete else f"{len(self.failed)} partition(s) failed; run again to retry them"
        return (f"{self.out}: {self.partitions} partitions ({len(self.written)} written, {len(self.skipped)} already "
                f"done), {self.documents:,} documents, {self.mentions:,} mentions, {self.events:,} events, "
                f"{self.errors:,} documents in errors; {self.seconds:.1f} s; {state}")


def read_table(out: str | os.PathLike, table: str = "mentions"):
    """Read one table of a corpus run: GeoParquet tables as a GeoDataFrame (EPSG:4326), the others as a DataFrame.
    Only complete partitions are read (those with a done marker)."""
    import geopandas as gpd
    import pyarrow.parquet as pq

    if table not in TABLES:
        raise BatchError(f"no table {table!r}; the tables are {', '.join(TABLES)}")
    root = Path(out)
    if not (root / MANIFEST).is_file():
        raise BatchError(f"{root} is not the output of a geo_news corpus run (no {MANIFEST})")
    done = sorted(p.stem for p in (root / DONE).glob("part-*.json"))
    files = [root / table / f"{stem}.parquet" for stem in done if (root / table / f"{stem}.parquet").is_file()]
    if not files:
        schema = _schemas()[table]
        empty = schema.empty_table().to_pandas()
        if "geometry" in schema.names:
            return gpd.GeoDataFrame(empty.drop(columns="geometry"), geometry=gpd.GeoSeries([], crs="EPSG:4326"))
        return empty
    if table in ("mentions", "events"):
        frames = [gpd.read_parquet(f) for f in files]
        return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=frames[0].crs)
    return pq.read_table([str(f) for f in files]).to_pandas()


def _check_out(out: Path, fingerprint: dict, resume: bool) -> None:
    manifest = out / MANIFEST
    if out.exists() and not out.is_dir():
        raise BatchError(f"{out} is a file; give a folder for the run's output")
    if manifest.is_file():
        try:
            seen = json.loads(manifest.read_text(encoding="utf-8")).get("input", {})
        except (OSError, json.JSONDecodeError) as err:
            raise BatchError(f"{manifest} is unreadable ({err}); move the folder away or give another") from err
        if resume and seen != fingerprint:
            changed = sorted(k for k in set(seen) | set(fingerprint) if seen.get(k) != fingerprint.get(k))
            raise BatchError(f"{out} holds a run over other input or settings ({', '.join(changed)} differ); give "
                             "another output folder, or resume=False / --no-resume to start it over")
        if not resume:
            for name in (*TABLES, DONE):
                folder = out / name
                if folder.is_dir():
                    for f in folder.iterdir():
                        if f.name.startswith(("part-", ".part-")):
                            f.unlink()
    elif out.is_dir() and any(p.name not in (STAGING,) for p in out.iterdir()):
        raise BatchError(f"{out} is not empty and holds no geo_news run; give an empty or new folder")
    for name in (*TABLES, DONE):  # temporary files an interrupted run left behind
        folder = out / name
        if folder.is_dir():
            for f in folder.glob(".part-*.tmp"):
                f.unlink(missing_ok=True)


def _done(out: Path) -> set[int]:
    """Partitions whose marker and four files all exist."""
    have = set()
    for marker in (out / DONE).glob("part-*.json"):
        index = int(marker.stem.split("-")[1])
        if all((out / t / part_name(index)).is_file() for t in TABLES):
            have.add(index)
    return have


WORKER_ENVIRON_DROPPED = ("MALLOC_TRIM_THRESHOLD_",)
"""Variables Dask's nanny sets for its workers by default (``distributed.nanny.pre-spawn-environ``) that a cluster
made here leaves out. ``MALLOC_TRIM_THRESHOLD_`` fixes glibc's allocation thresholds, so every large array spaCy
allocates is mapped and unmapped again: geoparsing runs about a fifth slower (``benchmarks/batch.py``). On a cluster
of your own, drop it from that setting for geo_news's workers."""


def local_cluster(workers: int):
    """A :class:`distributed.LocalCluster` of ``workers`` processes of one thread each, without the environment
    variables of :data:`WORKER_ENVIRON_DROPPED`."""
    import dask
    from distributed import LocalCluster

    environ = {k: v for k, v in dask.config.get("distributed.nanny.pre-spawn-environ", {}).items()
               if k not in WORKER_ENVIRON_DROPPED}
    with dask.config.set({"distributed.nanny.pre-spawn-environ": environ}):
        return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                            silence_logs=logging.ERROR)


def geoparse_corpus(source: str | os.PathLike, out: str | os.PathLike, *, client=None, workers: int = 2,
                    scheduler: str | None = None, text_column: str = "text", id_column: str | None = "id",
                    date_column: str | None = None, partition_size: int = PARTITION_SIZE, resume: bool = True,
                    demonyms: bool = False, model: str | None = None, gazetteer: str | os.PathLike | None = None,
                    max_chars: int = MAX_CHARS, progress: bool = True) -> BatchResult:
    """Geoparse every document of ``source`` on Dask and write the tables to ``out`` (see the module docstring).

    Parameters
    ----------
    source : path
        A folder of ``.txt`` / ``.html`` files (ids: paths relative to it; dates: a date in the file name), or a
        JSON Lines, CSV/TSV or Parquet file with a text column, an id column and optionally a date column.
    out : path
        The output folder (new, empty, or a previous run over the same input, which is resumed).
    client : distributed.Client, optional
        Run on this client's cluster. Default: a client of ``scheduler`` when given, else a new
        :class:`distributed.LocalCluster` of ``workers`` processes (one thread each), closed at the end.
    text_column, id_column, date_column : str
        Columns of a table input. A record without an id gets ``line N`` / ``row N``.
    partition_size : int
        Documents per partition (the unit that is written, skipped on resume and retried).
    resume : bool
        Skip the partitions a previous run over the same input completed (default); False starts over.
    demonyms, model, gazetteer
        As for :class:`geo_news.Geoparser`: nationality words as places, the spaCy pipeline's name or path, a
        gazetteer file (default: the embedded one, built once before the workers start).
    max_chars : int
        Longer documents go to ``errors``.
    progress : bool
        Dask's progress bar (a text bar in a terminal, a widget in Jupyter).
    """
    _require_dask()
    from distributed import Client, as_completed

    started = time.perf_counter()
    out = Path(out)
    columns = Columns(text_column, id_column or None, date_column or None)
    parts, fingerprint = plan(source, out, columns=columns, partition_size=partition_size)
    _check_out(out, fingerprint, resume)
    out.mkdir(parents=True, exist_ok=True)
    _atomic_text(out / MANIFEST, json.dumps({"input": fingerprint, "tables": list(TABLES),
                                             "written_by": "geo_news.batch"}, indent=1))
    have = _done(out) if resume else set()
    todo = [p for p in parts if p.index not in have]
    result = BatchResult(out, len(parts), skipped=sorted(have))

    if gazetteer is None and client is None and scheduler is None and todo:
        from .gazetteer import open_default

        gazetteer = open_default().path  # built here once, not by every worker at the same time
    own_cluster = None
    if client is None and todo:
        if scheduler:
            client = Client(scheduler)
        else:
            own_cluster = local_cluster(workers)
            client = Client(own_cluster)
    try:
        if todo:
            plugin = GeoNewsWorkerPlugin(model=model, gazetteer=str(gazetteer) if gazetteer else None,
                                         demonyms=demonyms)
            client.register_plugin(plugin, name=plugin.name)
            futures = client.map(run_partition, todo, out=str(out.resolve()), columns=columns,
                                 max_chars=max_chars, plugin=plugin.name, pure=False,
                                 key=[f"geo-news-partition-{p.index}-{uuid.uuid4().hex[:8]}" for p in todo])
            if progress:
                from distributed import progress as dask_progress

                try:  # a widget in Jupyter, a text bar in a terminal
                    dask_progress(futures)
                except ImportError:  # Jupyter without ipywidgets: the text bar
                    dask_progress(futures, notebook=False)
            index_of = {f.key: p.index for f, p in zip(futures, todo)}
            for future in as_completed(futures):
                index = index_of[future.key]
                try:
                    counts = future.result()
                except Exception as err:  # noqa: BLE001 - one partition's failure does not stop the run
                    result.failed[index] = f"{type(err).__name__}: {err}"
                    log.error("partition %d failed: %s", index, err)
                    continue
                result.written.append(index)
        result.written.sort()
    finally:
        if own_cluster is not None:
            client.close()
            own_cluster.close()
    for marker in (out / DONE).glob("part-*.json"):
        counts = json.loads(marker.read_text(encoding="utf-8"))
        result.documents += counts["documents"]
        result.mentions += counts["mentions"]
        result.events += counts["events"]
        result.errors += counts["errors"]
    result.seconds = time.perf_counter() - started
    return result

