"""Feed methods of the store: the feeds ``newsdesk follow`` polls and its fetch log.

Why in the store: ``follow`` must resume after Ctrl-C or a crash without
refetching, so its memory (validators, which URLs are done) lives next to the
articles, in the same database and the same kind of short transactions. The
caller decides *when* to write (after the articles are stored); these methods
only read and write rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import func, select, update

from newsdesk.store.base import StoreBase
from newsdesk.store.tables import feeds, fetch_log

FeedHealth = Literal["ok", "failing", "new"]

# URLs per ``IN (...)`` list: far below SQLite's bound-parameter limit.
_IN_CHUNK = 500


@dataclass(frozen=True)
class FeedRecord:
    """One followed feed or sitemap and how its polls went."""

    url: str
    kind: str | None = None
    title: str | None = None
    parent: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_poll: datetime | None = None
    last_ok: datetime | None = None
    last_error: str | None = None
    entry_count: int = 0
    stored_count: int = 0
    failed_count: int = 0
    disallowed_count: int = 0

    @property
    def health(self) -> FeedHealth:
        """``new`` before the first poll, ``failing`` when the last poll had an error."""
        if self.last_poll is None:
            return "new"
        return "failing" if self.last_error else "ok"


@dataclass(frozen=True)
class FetchRecord:
    """One page fetched for good (see ``fetch_log`` in tables.py)."""

    canonical_url: str
    url: str
    status: int
    content_hash: str | None = None
    feed_url: str | None = None
    error: str | None = None
    fetched_at: datetime | None = None


@dataclass(frozen=True)
class PollResult:
    """What one poll of a feed adds to its row. ``etag``/``last_modified`` None keep
    the stored validators (a poll that left work undone must not claim it saw all)."""

    title: str | None = None
    kind: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    entries: int | None = None
    stored: int = 0
    failed: int = 0
    disallowed: int = 0


class FeedMethods(StoreBase):
    """Feeds and the fetch log."""

    def add_feed(self, url: str, title: str | None = None, parent: str | None = None) -> None:
        """Follow ``url`` (no-op when followed; a title given later fills a missing one)."""
        with self.transaction() as conn:
            stmt = (
                self._insert(feeds)
                .values(
                    url=url,
                    title=title,
                    parent=parent,
                    entry_count=0,
                    stored_count=0,
                    failed_count=0,
                    disallowed_count=0,
                )
                .on_conflict_do_nothing(index_elements=["url"])
            )
            conn.execute(stmt)
            if title:
                conn.execute(update(feeds).where(feeds.c.url == url, feeds.c.title.is_(None)).values(title=title))

    def get_feed(self, url: str) -> FeedRecord | None:
        with self._read() as conn:
            row = conn.execute(select(feeds).where(feeds.c.url == url)).first()
        return _feed(row) if row is not None else None

    def list_feeds(self) -> list[FeedRecord]:
        """Every followed feed, top-level ones first, then by URL."""
        with self._read() as conn:
            rows = conn.execute(select(feeds).order_by(feeds.c.parent.is_not(None), feeds.c.url)).all()
        return [_feed(row) for row in rows]

    def record_poll(self, url: str, result: PollResult) -> None:
        """Save one poll: time, error (None clears it), counts added, validators if given."""
        now = datetime.now(UTC)
        values: dict[str, Any] = {
            "last_poll": now,
            "last_error": result.error,
            "stored_count": feeds.c.stored_count + result.stored,
            "failed_count": feeds.c.failed_count + result.failed,
            "disallowed_count": feeds.c.disallowed_count + result.disallowed,
        }
        if result.error is None:
            values["last_ok"] = now
        for name in ("title", "kind", "etag", "last_modified"):
            if getattr(result, name) is not None:
                values[name] = getattr(result, name)
        if result.entries is not None:
            values["entry_count"] = result.entries
        self.add_feed(url)
        with self.transaction() as conn:
            conn.execute(update(feeds).where(feeds.c.url == url).values(**values))

    def known_urls(self, canonical_urls: Iterable[str]) -> set[str]:
        """Those of ``canonical_urls`` already in the fetch log (never fetched again)."""
        wanted = list(dict.fromkeys(canonical_urls))
        found: set[str] = set()
        with self._read() as conn:
            for start in range(0, len(wanted), _IN_CHUNK):
                chunk = wanted[start : start + _IN_CHUNK]
                found.update(
                    conn.execute(
                        select(fetch_log.c.canonical_url).where(fetch_log.c.canonical_url.in_(chunk))
                    ).scalars()
                )
        return found

    def url_with_content(self, content_hash: str) -> str | None:
        """A logged URL whose body had this hash (same page under another URL), or None."""
        with self._read() as conn:
            stmt = (
                select(fetch_log.c.canonical_url)
                .where(fetch_log.c.content_hash == content_hash, fetch_log.c.error.is_(None))
                .limit(1)
            )
            return conn.execute(stmt).scalar()

    def log_fetches(self, records: Sequence[FetchRecord]) -> None:
        """Add pages to the fetch log in one transaction (a URL logged twice keeps its first row)."""
        if not records:
            return
        now = datetime.now(UTC)
        unique = list({r.canonical_url: r for r in reversed(records)}.values())  # the first of each URL
        rows = [
            {
                "canonical_url": r.canonical_url,
                "url": r.url,
                "feed_url": r.feed_url,
                "status": r.status,
                "fetched_at": r.fetched_at or now,
                "content_hash": r.content_hash,
                "error": r.error,
            }
            for r in unique
        ]
        with self.transaction() as conn:
            conn.execute(self._insert(fetch_log).values(rows).on_conflict_do_nothing(index_elements=["canonical_url"]))

    def fetch_log_entries(self, feed_url: str | None = None, limit: int = 1000) -> list[FetchRecord]:
        """The fetch log, newest first (one feed's pages when ``feed_url`` is given)."""
        stmt = select(fetch_log).order_by(fetch_log.c.fetched_at.desc()).limit(limit)
        if feed_url is not None:
            stmt = stmt.where(fetch_log.c.feed_url == feed_url)
        with self._read() as conn:
            return [FetchRecord(**row._mapping) for row in conn.execute(stmt)]

    def count_fetches(self) -> int:
        with self._read() as conn:
            return int(conn.execute(select(func.count()).select_from(fetch_log)).scalar_one())


def _feed(row: Any) -> FeedRecord:
    values = dict(row._mapping)
    for name in ("last_poll", "last_ok"):
        if values[name] is not None and values[name].tzinfo is None:  # SQLite drops the zone
            values[name] = values[name].replace(tzinfo=UTC)
    return FeedRecord(**values)
