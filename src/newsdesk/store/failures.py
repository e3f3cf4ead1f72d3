"""Failure methods of the store: inputs an ingest could not store, kept so that a
user sees them after the run (``newsdesk failures``, the web UI), not only in the
scroll-back of one terminal.

One row per source (its latest failure). Storing that source later, or finding it
already stored, deletes the row, so the table lists what is still missing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from sqlalchemy import delete, func, select

from newsdesk.store.base import StoreBase
from newsdesk.store.records import FailureRecord
from newsdesk.store.tables import failures

_IN_CHUNK = 500


class FailureMethods(StoreBase):
    """``record_failures`` / ``clear_failures`` (writes, joining any open transaction)
    and ``list_failures`` / ``count_failures`` (reads)."""

    def record_failures(self, records: Sequence[FailureRecord]) -> None:
        """Insert or refresh one row per source; ``attempts`` counts the runs that failed."""
        if not records:
            return
        now = datetime.now(UTC)
        rows = {
            r.source: {"source": r.source, "stage": r.stage, "reason": r.reason, "time": r.time or now, "attempts": 1}
            for r in records
        }
        stmt = self._insert(failures).values(list(rows.values()))
        stmt = stmt.on_conflict_do_update(
            index_elements=["source"],
            set_={
                "stage": stmt.excluded.stage,
                "reason": stmt.excluded.reason,
                "time": stmt.excluded.time,
                "attempts": failures.c.attempts + 1,
            },
        )
        with self.transaction() as conn:
            conn.execute(stmt)

    def clear_failures(self, sources: Iterable[str]) -> None:
        """Forget the failures of sources that are now stored."""
        wanted = sorted(set(sources))
        if not wanted:
            return
        with self.transaction() as conn:
            for i in range(0, len(wanted), _IN_CHUNK):
                conn.execute(delete(failures).where(failures.c.source.in_(wanted[i : i + _IN_CHUNK])))

    def list_failures(self, limit: int = 100, offset: int = 0, stage: str | None = None) -> list[FailureRecord]:
        """Failures, most recent first."""
        stmt = select(failures).order_by(failures.c.time.desc(), failures.c.source)
        if stage:
            stmt = stmt.where(failures.c.stage == stage)
        with self._read() as conn:
            return [
                FailureRecord(r.source, r.stage, r.reason, _aware(r.time), int(r.attempts))
                for r in conn.execute(stmt.limit(limit).offset(offset))
            ]

    def count_failures(self) -> int:
        with self._read() as conn:
            return int(conn.execute(select(func.count()).select_from(failures)).scalar_one())


def _aware(value: datetime | None) -> datetime | None:
    """SQLite hands timestamps back naive; they were written in UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value
