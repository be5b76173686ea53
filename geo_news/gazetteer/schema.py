"""The SQLite schema of the gazetteer file."""

from __future__ import annotations

SCHEMA_VERSION = 4
"""2: adds the trigram index of distinct name keys used by fuzzy lookup; 3: adds each place's prominence (how
many names it has, in how many scripts); 4: a country's capital is its largest town of that name, not
every namesake in the country (every "Washington" in the US was a capital), and the curated ancient sites."""

DDL = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sources (
    name TEXT PRIMARY KEY, version TEXT, licence TEXT, attribution TEXT, rows INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE places (
    row INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,          -- stable: 'gn:<geonameid>', 'cur:<key>', 'ne:sea:<slug>', 'csc:<iso3166-2>'
    geonameid INTEGER,
    name TEXT NOT NULL,
    feature_class TEXT NOT NULL,
    feature_code TEXT NOT NULL,
    country_code TEXT NOT NULL DEFAULT '',
    country_codes TEXT NOT NULL DEFAULT '',   -- '|'-joined; more than one for shared or disputed places
    admin1 TEXT NOT NULL DEFAULT '',
    population INTEGER NOT NULL DEFAULT 0,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    west REAL, south REAL, east REAL, north REAL,
    importance REAL NOT NULL DEFAULT 0,       -- prior weight used to rank namesakes
    names_count INTEGER NOT NULL DEFAULT 0,   -- prominence: how many names the place has ...
    scripts INTEGER NOT NULL DEFAULT 0,       -- ... and in how many writing systems (set at the end of the build)
    source TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE TABLE names (
    place INTEGER NOT NULL REFERENCES places(row),
    name TEXT NOT NULL,
    norm TEXT NOT NULL,
    lang TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL                        -- preferred | official | alternate | short | abbr | variant
);
CREATE TABLE shapes (place INTEGER PRIMARY KEY REFERENCES places(row), wkb BLOB NOT NULL);
CREATE VIRTUAL TABLE places_rtree USING rtree(row, min_lon, max_lon, min_lat, max_lat);
"""

FUZZY_MIN_CHARS = 4
FUZZY_MAX_CHARS = 64
"""Name keys of this length range get into the trigram index: shorter ones have too few trigrams to compare."""

FUZZY_DDL = """
CREATE TABLE fuzzy_norms (id INTEGER PRIMARY KEY, norm TEXT NOT NULL);
CREATE VIRTUAL TABLE fuzzy_trigrams USING fts5(
    norm, content='fuzzy_norms', content_rowid='id', tokenize='trigram', detail='none'
);
"""
"""Distinct name keys and an FTS5 trigram index over them (detail=none: only single trigrams are queried)."""

INDEXES = """
CREATE INDEX IF NOT EXISTS names_norm ON names(norm);
CREATE INDEX IF NOT EXISTS names_place ON names(place);
CREATE INDEX IF NOT EXISTS places_geonameid ON places(geonameid);
"""

NAME_KIND_RANK = {"preferred": 0, "official": 0, "short": 1, "abbr": 1, "variant": 2, "alternate": 3}
NAME_KIND_PENALTY = {"preferred": 0.0, "official": 0.0, "short": 0.5, "abbr": 1.0, "variant": 1.0, "alternate": 2.5}
"""Prior penalty for a match through a name of this kind: other spellings are real but less telling."""
