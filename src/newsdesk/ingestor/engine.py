"""``ingest_items``: the one ingest loop behind files, feeds, uploads and Ray rows.

read + clean (this process) -> analyse (``options.workers`` processes, or here when
0) -> link + store (this process, in input order, one transaction per batch).
Records are isolated at every stage (see :mod:`newsdesk.ingestor.reading`,
``analysis`` and ``writer``): one bad record costs only itself, is reported in
``IngestReport.failed`` and lands in the store's failures table.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from newsdesk.errors import InputError
from newsdesk.ingestor.pool import analysed
from newsdesk.ingestor.reading import Reader, read_paths
from newsdesk.ingestor.records import (
    Failure,
    IngestProgress,
    IngestReport,
    ProgressCallback,
)
from newsdesk.ingestor.writer import Writer, warm_up
from newsdesk.model import RawArticle
from newsdesk.options import Options
from newsdesk.store import Store


def ingest_items(
    items: Iterable[RawArticle | InputError | Failure],
    options: Options,
    progress: ProgressCallback | None = None,
    store: Store | None = None,
) -> IngestReport:
    """Ingest raw records from any source (file readers, feeds, uploads): clean,
    skip what is stored, analyse in batches, link and store in input order. Bad
    records are reported, never raised; a ``StoreError`` (database unreachable) or
    ``ModelError`` stops the run, as does Ctrl-C, leaving only whole batches."""
    report, state = IngestReport(), IngestProgress()

    def notify() -> None:
        if progress is not None:
            progress(state)

    target = store if store is not None else Store(options.db)  # fail fast, before any model loads
    try:
        reader = Reader(options, state, notify, target)
        writer = Writer(target, options, report, state, reader.written)
        batches = analysed(reader.batches(items), options, report, on_idle=warm_up)
        try:
            for batch in batches:
                writer.write(batch)
                notify()
        finally:
            batches.close()  # type: ignore[attr-defined]
    finally:
        if store is None:
            target.close()
    return report


def ingest_paths(
    paths: Iterable[str | Path],
    options: Options,
    progress: ProgressCallback | None = None,
    store: Store | None = None,
) -> IngestReport:
    """Ingest every article under ``paths`` into the store at ``options.db`` (or the
    given ``store``); each file is read on its own, so a reader that breaks on one
    costs only that file."""
    return ingest_items(read_paths(paths, options), options, progress, store)
