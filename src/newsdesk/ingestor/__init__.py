"""The ingestor: the one path from raw records to the store.

Local files (``ingest_paths``), any stream of raw records (``ingest_items``: feeds,
web uploads) and Ray result rows (``newsdesk.distributed``) all go through the same
reader, analysers and writer. Modules, in pipeline order:

- ``records``: entries, batches, failures, the report;
- ``reading``: read + clean with per-record isolation, dedup, batching;
- ``analysis``: the analyse stage with per-article isolation (also run by workers
  and Ray actors); ``worker`` the analysis process, ``pool`` the analysers;
- ``writer``: link + store in input order, one transaction per batch;
- ``engine``: the loop that joins them.

Names are imported lazily so that an analysis process (which imports
``newsdesk.ingestor.worker``) does not pay for the store and linkers.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "ingest_items": "engine",
    "ingest_paths": "engine",
    "analysed": "pool",
    "store_batch": "writer",
    "Writer": "writer",
    "Reader": "reading",
    "Batch": "records",
    "Entry": "records",
    "Failure": "records",
    "IngestProgress": "records",
    "IngestReport": "records",
    "ProgressCallback": "records",
}

__all__ = [
    "Batch",
    "Entry",
    "Failure",
    "IngestProgress",
    "IngestReport",
    "ProgressCallback",
    "Reader",
    "Writer",
    "analysed",
    "ingest_items",
    "ingest_paths",
    "store_batch",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'newsdesk.ingestor' has no attribute {name!r}")
    return getattr(importlib.import_module(f"newsdesk.ingestor.{module}"), name)
