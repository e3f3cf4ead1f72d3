"""Reading back the Parquet shards written by ``ingest_ray(..., output=DIR)``.

Parquet output lets a cluster analyse a crawl without reaching the newsroom's
database: the shards are copied over and :func:`store_parquet` loads them with the
same linking and storing code as any ingest. Uses pyarrow only (no Ray needed).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from newsdesk.corpus import IngestReport
from newsdesk.errors import InputError
from newsdesk.model import Analysis
from newsdesk.options import Options
from newsdesk.store import Store


def _shards(directory: str | Path) -> list[Path]:
    root = Path(directory)
    shards = sorted(root.rglob("*.parquet"))
    if not shards:
        raise InputError(str(root), "no Parquet shards (*.parquet) found")
    return shards


def iter_parquet_rows(directory: str | Path, columns: Sequence[str] | None = None) -> Iterator[dict[str, str]]:
    """Rows of every shard under ``directory``, shard by shard (sorted by name)."""
    import pyarrow.parquet as pq

    for shard in _shards(directory):
        try:
            table_file = pq.ParquetFile(shard)
            for batch in table_file.iter_batches(columns=list(columns) if columns else None):
                yield from batch.to_pylist()
        except Exception as exc:  # pyarrow raises its own ArrowInvalid / OSError mix
            raise InputError(str(shard), f"not a readable Parquet shard ({exc})") from exc


def read_parquet_analyses(directory: str | Path) -> Iterator[Analysis]:
    """The analyses stored in Parquet shards (error and duplicate rows skipped)."""
    from newsdesk.distributed.rows import ARTICLE, analysis_of

    for row in iter_parquet_rows(directory):
        if row["kind"] == ARTICLE:
            yield analysis_of(row)


def store_parquet(directory: str | Path, options: Options, store: Store | None = None) -> IngestReport:
    """Load Parquet shards into the store (linking and clustering as a local ingest)."""
    from newsdesk.distributed import store_rows

    own = store is None
    target = store if store is not None else Store(options.db)
    try:
        return store_rows(iter_parquet_rows(directory), target, options)
    finally:
        if own:
            target.close()
