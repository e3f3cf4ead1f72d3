"""Ingest orchestration, kept under its historical name: ``newsdesk.corpus`` is the
ingestor's public face (see :mod:`newsdesk.ingestor` for the stages).

``ingest_paths`` / ``ingest_items`` stream records through read + clean, analysis
(in ``options.workers`` processes, or in this one) and one writer that links and
stores each batch in one transaction, in input order. A process killed at any
point leaves whole batches or none, and the next run picks up where it stopped.
"""

from __future__ import annotations

from newsdesk.ingestor.engine import ingest_items, ingest_paths
from newsdesk.ingestor.records import (
    Failure,
    IngestProgress,
    IngestReport,
    ProgressCallback,
)
from newsdesk.ingestor.writer import Writer, store_batch

__all__ = [
    "Failure",
    "IngestProgress",
    "IngestReport",
    "ProgressCallback",
    "Writer",
    "ingest_items",
    "ingest_paths",
    "store_batch",
]
