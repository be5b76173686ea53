"""The offline gazetteer: a read-only SQLite file of places, names, shapes and an R*Tree.

``open_default()`` opens the embedded gazetteer, building it on first use from registry packages (cached in the
user's data dir, or ``$GEO_NEWS_DATA_DIR``).
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

try:  # POSIX: one builder at a time across processes
    import fcntl
except ImportError:  # Windows: no advisory lock; the atomic rename still keeps readers safe
    fcntl = None

from ..exceptions import GazetteerCorruptError, GazetteerError, GazetteerNotFoundError
from .normalize import normalize
from .schema import SCHEMA_VERSION
from .store import Gazetteer

__all__ = ["Gazetteer", "data_dir", "default_path", "normalize", "open_default"]

log = logging.getLogger(__name__)
_DEFAULT: dict[str, Gazetteer] = {}


def data_dir() -> Path:
    """The folder geo_news keeps its data in: ``$GEO_NEWS_DATA_DIR``, else the user's data dir."""
    env = os.environ.get("GEO_NEWS_DATA_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("geo-news", appauthor=False))


def default_path() -> Path:
    """Where the embedded gazetteer lives."""
    return data_dir() / f"gazetteer-v{SCHEMA_VERSION}.sqlite"


def _stale(gaz: Gazetteer) -> bool:
    from .build import BUILD_REVISION
    from .sources import curated

    return (gaz.meta.get("curated_fingerprint") != curated.fingerprint()
            or gaz.meta.get("build_revision") != str(BUILD_REVISION))


_VERSIONED = re.compile(r"gazetteer-v(\d+)\.sqlite")


def _remove_older_versions(current: Path) -> None:
    """Gazetteers of older schema versions are never opened again by this geo_news: free their space.

    Only files named exactly as an older geo_news named its gazetteer are removed (``gazetteer-v1.sqlite``);
    a user's ``gazetteer-v2-backup.sqlite`` or any other file in the folder is never touched.
    """
    for old in current.parent.iterdir():
        match = _VERSIONED.fullmatch(old.name)
        if match and int(match.group(1)) < SCHEMA_VERSION and old.is_file():
            try:
                old.unlink()
                log.info("removed the outdated gazetteer %s", old)
            except OSError as err:
                log.warning("could not remove the outdated gazetteer %s: %s", old, err)


def _checked(gaz: Gazetteer) -> Gazetteer:
    """``gaz``, its pages read once per version of the file: ``<name>.verified`` holds the size and time of the
    file as last verified, so later processes skip the half-second check until the file changes."""
    stamp = gaz.path.with_suffix(".verified")
    st = gaz.path.stat()
    seen = f"{st.st_size} {st.st_mtime_ns}"
    try:
        if stamp.read_text(encoding="utf-8").strip() == seen:
            return gaz
    except OSError:
        pass
    try:
        gaz.verify()
    except GazetteerCorruptError:
        gaz.close()
        raise
    try:
        stamp.write_text(seen + "\n", encoding="utf-8")
    except OSError as err:  # a read-only data dir: check again next time
        log.debug("could not record that %s was verified: %s", gaz.path, err)
    return gaz


def _data_dir_ready(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as err:
        raise GazetteerError(f"the geo_news data dir {folder} is not a folder (a file is in the way: {err.filename});"
                             " set GEO_NEWS_DATA_DIR to a folder, or move the file") from err
    except OSError as err:
        raise GazetteerError(f"cannot create the geo_news data dir {folder} ({err.strerror}); set "
                             "GEO_NEWS_DATA_DIR to a folder you can write") from err


def open_default(*, build: bool = True, progress: bool = False) -> Gazetteer:
    """Open the embedded gazetteer once per process, building it first when missing or out of date.

    Every call returns the same :class:`Gazetteer`, shared by the process: ``with open_default() as gaz:`` and
    ``gaz.close()`` leave it open for the others.

    Parameters
    ----------
    build : bool
        Build the file when it is missing or stale (about a minute, offline). With False, raise instead.
    progress : bool
        Show a progress bar while building.
    """
    path = default_path()
    cached = _DEFAULT.get(str(path))
    if cached is not None:
        return cached
    gaz = None
    if path.parent.exists() and not path.parent.is_dir():
        _data_dir_ready(path.parent)
    if path.is_dir():
        raise GazetteerError(f"{path} is a folder, where geo_news keeps its gazetteer file; move it away (geo_news "
                             "never removes what it did not make), then run again to build the gazetteer")
    try:
        gaz = _checked(Gazetteer(path))
        if _stale(gaz) and build:
            log.info("the curated tables or the builder changed since %s was built; rebuilding", path)
            gaz.close()
            gaz = None
    except GazetteerNotFoundError:
        if not build:
            raise
    except GazetteerCorruptError:
        if not build or path.exists() and os.environ.get("GEO_NEWS_NO_AUTO_REBUILD"):
            raise
        log.warning("the gazetteer %s is unusable; rebuilding it", path)
    if gaz is None:
        from .build import build as build_file

        _data_dir_ready(path.parent)
        with open(path.with_suffix(".lock"), "w") as lock:
            if fcntl is not None:
                fcntl.flock(lock, fcntl.LOCK_EX)  # one builder at a time; the others wait and then open its file
            try:
                gaz = _checked(Gazetteer(path))
                if _stale(gaz):
                    gaz.close()
                    raise GazetteerNotFoundError("stale")
            except (GazetteerNotFoundError, GazetteerCorruptError):
                log.info("building the offline gazetteer at %s (first use; about a minute)", path)
                build_file(path, progress=progress)
                gaz = _checked(Gazetteer(path))
                _remove_older_versions(path)
    gaz.shared = True
    _DEFAULT[str(path)] = gaz
    return gaz
