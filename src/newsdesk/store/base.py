"""Opening a store and running its transactions (the part every store method shares).

Writes go through ``StoreBase.transaction()``: one short transaction (``BEGIN
IMMEDIATE`` on SQLite, so two writers queue instead of failing half-way) in which
every write method of the store joins. Reads open their own short transactions, or
join the current write transaction so a linker sees what it has just written.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from newsdesk.errors import StoreError
from newsdesk.options import Options
from newsdesk.store.tables import migrate

_WRITE = "newsdesk_write"
# Advisory lock key that serialises newsdesk writers on one PostgreSQL database.
_PG_WRITE_LOCK = 0x6E657773


def normalise_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` mean psycopg 3 (the driver we ship with);
    a bare file path means a SQLite file."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser()}"
    return url


def display_url(url: str) -> str:
    """A URL safe to print: normalised, password replaced by ``***``."""
    normalised = normalise_url(url)
    try:
        return make_url(normalised).render_as_string(hide_password=True)
    except ArgumentError:
        return normalised


def _one_line(exc: BaseException) -> str:
    """The first line of a driver error, without SQLAlchemy's background links."""
    message = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return message[0] if message else type(exc).__name__


class StoreBase:
    """An open database with the schema migrated: engine, transactions, closing.

    ``url`` None means the default SQLite file (``Options().db``). Raises
    ``StoreError`` with a one-line message when the database cannot be opened.
    """

    def __init__(self, url: str | None = None) -> None:
        raw = normalise_url(url or Options().db)
        try:
            parsed = make_url(raw)
        except ArgumentError:
            raise StoreError(f"cannot open store {raw!r}: not a database URL") from None
        self.url = parsed.render_as_string(hide_password=True)
        self._local = threading.local()
        try:
            if parsed.get_backend_name() == "sqlite":
                self.engine = self._sqlite_engine(raw)
            else:
                self.engine = create_engine(raw, pool_pre_ping=True)
            with self.engine.connect() as conn:
                conn = conn.execution_options(**{_WRITE: True})
                with conn.begin():
                    migrate(conn)
        except (SQLAlchemyError, ValueError, OSError, ImportError) as exc:
            raise StoreError(f"cannot open store {self.url}: {_one_line(exc)}") from None

    # --- connections and transactions -------------------------------------------------

    def _sqlite_engine(self, raw: str) -> Engine:
        database = make_url(raw).database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(raw, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            # Let SQLAlchemy's "begin" event, not pysqlite, decide how to BEGIN.
            dbapi_conn.isolation_level = None
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            # Writers take the lock up front: no deadlocked upgrade from a read lock.
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")

        return engine

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One write transaction; nested calls (and every write method) join it.

        Commits when the outermost block ends, rolls back on any error. Writers
        queue rather than interleave: SQLite takes its write lock at ``BEGIN
        IMMEDIATE``; on PostgreSQL a transaction-scoped advisory lock does the same,
        so two concurrent ingest batches cannot deadlock or open duplicate stories."""
        active: Connection | None = getattr(self._local, "conn", None)
        if active is not None:
            yield active
            return
        try:
            with self.engine.connect() as conn:
                conn = conn.execution_options(**{_WRITE: True})
                with conn.begin():
                    if conn.dialect.name == "postgresql":
                        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_WRITE_LOCK})
                    self._local.conn = conn
                    try:
                        yield conn
                    finally:
                        self._local.conn = None
        except SQLAlchemyError as exc:
            raise StoreError(f"store {self.url}: {_one_line(exc)}") from None

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        active: Connection | None = getattr(self._local, "conn", None)
        if active is not None:
            yield active
            return
        try:
            with self.engine.connect() as conn:
                yield conn
                conn.rollback()
        except SQLAlchemyError as exc:
            raise StoreError(f"store {self.url}: {_one_line(exc)}") from None

    def _insert(self, table: Any) -> Any:
        """An INSERT that can take ON CONFLICT clauses on either backend."""
        return (postgresql.insert if self.dialect == "postgresql" else sqlite.insert)(table)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
