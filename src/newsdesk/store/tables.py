"""Tables of the article store and the named migrations that create them.

Plain columns make rows queryable (search, filters, joins); ``articles.data`` keeps
``model.to_dict(analysis)`` so ``get_analysis`` returns exactly what was stored.
Child rows (mentions, quotes, ...) cascade with their article, so an article is
either stored with everything it found or not at all (one transaction per batch).

Ingest links and stores a batch in one transaction (``corpus.store_batch``): the
story tables (``story_articles``, ``story_keys``, ``story_key_df``,
``story_headlines``) change together with the articles they describe, or not at all.
``story_articles`` still has no foreign key to ``articles``: the story linker places
the batch's articles before ``add_analyses`` inserts them (inside that transaction),
and bulk loaders (``bench/bench_story_cost.py``) fill story tables without articles.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

from newsdesk.store.settings import search_settings

metadata = MetaData()

JsonType = JSON().with_variant(JSONB(), "postgresql")
Id = String(64)


def _article_fk() -> ForeignKey:
    return ForeignKey("articles.id", ondelete="CASCADE")


meta = Table(
    "meta",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("value", Text, nullable=False),
)

articles = Table(
    "articles",
    metadata,
    Column("id", Id, primary_key=True),
    Column("source", Text, nullable=False),
    Column("outlet", Text, index=True),
    Column("url", Text),
    Column("language", String(16)),
    Column("title", Text),
    Column("standfirst", Text),
    Column("published", Date, index=True),
    Column("body", Text, nullable=False),
    Column("dropped", JsonType, nullable=False),
    Column("minhash", LargeBinary),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    Column("duplicate_of", Id, index=True),
    Column("data", JsonType, nullable=False),
)

entity_mentions = Table(
    "entity_mentions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", Id, _article_fk(), nullable=False, index=True),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("label", String(32), nullable=False),
    Column("canonical", Text, nullable=False),
    Column("entity_id", String(200), nullable=False, index=True),
)

quotes = Table(
    "quotes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", Id, _article_fk(), nullable=False, index=True),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("speaker", Text),
    Column("speaker_entity_id", String(200), index=True),
    Column("cue", Text),
    Column("channel", Text),
)

timexes = Table(
    "timexes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", Id, _article_fk(), nullable=False, index=True),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("type", String(16), nullable=False),
    Column("value", Text),
    Column("anchored", Boolean, nullable=False),
)

claims = Table(
    "claims",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", Id, _article_fk(), nullable=False, index=True),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("source_kind", String(16), nullable=False),
    Column("certainty", String(16), nullable=False),
)

minhash_bands = Table(
    "minhash_bands",
    metadata,
    Column("band", Integer, nullable=False),
    Column("hash", BigInteger, nullable=False),
    Column("article_id", Id, _article_fk(), nullable=False, index=True),
    Index("ix_minhash_bands_band_hash", "band", "hash"),
)

entities = Table(
    "entities",
    metadata,
    Column("entity_id", String(200), primary_key=True),
    Column("canonical", Text, nullable=False),
    Column("label", String(32), nullable=False),
    Column("aliases", JsonType, nullable=False),
)

stories = Table(
    "stories",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("title", Text, nullable=False),
    Column("created", DateTime(timezone=True), nullable=False),
    Column("updated", DateTime(timezone=True), nullable=False),
    Column("first_published", Date),
    Column("last_published", Date, index=True),
    Column("article_count", Integer, nullable=False, default=0),
)

story_articles = Table(
    "story_articles",
    metadata,
    Column("article_id", Id, primary_key=True),
    Column("story_id", String(200), ForeignKey("stories.id", ondelete="CASCADE"), nullable=False, index=True),
)

# Storylines: events (stories) about one ongoing matter, linked by shared specific
# entities over a longer window than an event's. One row per story that belongs to a
# storyline; the storyline id is the id of its first event.
story_storylines = Table(
    "story_storylines",
    metadata,
    Column("story_id", String(200), ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Column("storyline_id", String(200), nullable=False, index=True),
)

story_keys = Table(
    "story_keys",
    metadata,
    Column("key", String(300), primary_key=True),
    Column("story_id", String(200), ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Column("weight", Float, nullable=False),
    # The story's last publication date, copied here so candidate lookup filters
    # the time window inside the (key, last_published) index.
    Column("last_published", Date),
    Index("ix_story_keys_key_last_published", "key", "last_published"),
)

# ``story_keys(story_id)`` and the ``last_published`` copy-down in ``add_to_story``
# read one story's rows; the primary key starts with ``key``, so they need their own
# index.
story_keys_by_story = Index("ix_story_keys_story_id", story_keys.c.story_id)

# The row of ``story_key_df`` whose ``df`` counts the documents counted so far.
DOC_COUNT_KEY = "#docs"

story_key_df = Table(
    "story_key_df",
    metadata,
    # Document frequency of each story key (IDF is computed at scoring time), plus
    # the ``DOC_COUNT_KEY`` row.
    Column("key", String(400), primary_key=True),
    Column("df", Integer, nullable=False),
)

story_headlines = Table(
    "story_headlines",
    metadata,
    # The first ``max_headlines`` headlines of each story with their keys (JSON text),
    # from which the story's title, its most central headline, is chosen.
    Column("article_id", Id, primary_key=True),
    Column("story_id", String(200), ForeignKey("stories.id", ondelete="CASCADE"), nullable=False),
    Column("title", Text, nullable=False),
    Column("key_weights", Text, nullable=False),
    Index("ix_story_headlines_story", "story_id"),
)

# --- followed feeds (``newsdesk follow``) -------------------------------------

feeds = Table(
    "feeds",
    metadata,
    # One row per feed, sitemap or sitemap index followed; ``parent`` names the
    # index a child sitemap was found in. ``etag``/``last_modified`` are saved only
    # once every entry of a poll is stored or logged, so a killed run polls again.
    Column("url", Text, primary_key=True),
    Column("kind", String(16)),
    Column("title", Text),
    Column("parent", Text),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("last_poll", DateTime(timezone=True)),
    Column("last_ok", DateTime(timezone=True)),
    Column("last_error", Text),
    Column("entry_count", Integer, nullable=False, default=0),
    Column("stored_count", Integer, nullable=False, default=0),
    Column("failed_count", Integer, nullable=False, default=0),
    Column("disallowed_count", Integer, nullable=False, default=0),
)

fetch_log = Table(
    "fetch_log",
    metadata,
    # One row per canonical page URL fetched for good (stored, or failed for a
    # reason refetching would not fix). Written after the page's article is
    # stored: a URL in here is never fetched again.
    Column("canonical_url", Text, primary_key=True),
    Column("url", Text, nullable=False),
    Column("feed_url", Text),
    Column("status", Integer, nullable=False),
    Column("fetched_at", DateTime(timezone=True), nullable=False),
    Column("content_hash", String(64), index=True),
    Column("error", Text),
)


failures = Table(
    "failures",
    metadata,
    # One row per input that could not be stored (its latest failure): ``source`` is
    # ``file`` or ``file:record``, ``stage`` one of read, clean, analyse, link, store.
    # A rerun that stores the input deletes its row.
    Column("source", Text, primary_key=True),
    Column("stage", String(16), nullable=False),
    Column("reason", Text, nullable=False),
    Column("attempts", Integer, nullable=False, default=1),
    Column("time", DateTime(timezone=True), nullable=False, index=True),
)

# --- full-text search -------------------------------------------------------

FTS_TABLE = "articles_fts"

# PostgreSQL: the expression the GIN index is built on; queries must repeat it.
PG_DOCUMENT = (
    "to_tsvector('{config}'::regconfig, coalesce({t}title, '') || ' ' || "
    "coalesce({t}standfirst, '') || ' ' || coalesce({t}body, ''))"
)


def pg_document(qualified: bool = True) -> str:
    """The tsvector expression of an article (qualified with ``articles.`` in queries)."""
    return PG_DOCUMENT.format(config=search_settings().postgres_config, t="articles." if qualified else "")


def _create_full_text_index(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        tokenizer = search_settings().sqlite_tokenizer
        conn.exec_driver_sql(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
            f"article_id UNINDEXED, title, standfirst, body, tokenize='{tokenizer}')"
        )
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS ix_articles_fts ON articles USING GIN ({pg_document(False)})")


# --- migrations ---------------------------------------------------------------


@dataclass(frozen=True)
class Migration:
    """One named schema step. Applied in order; ``meta.schema_version`` counts them."""

    name: str
    apply: Callable[[Connection], None]


def _initial(conn: Connection) -> None:
    metadata.create_all(conn)
    _create_full_text_index(conn)


def _storylines(conn: Connection) -> None:
    story_storylines.create(conn, checkfirst=True)


def _follow_tables(conn: Connection) -> None:
    """``feeds`` and ``fetch_log`` for stores created before ``newsdesk follow``."""
    for table in (feeds, fetch_log):
        table.create(conn, checkfirst=True)


def _failures(conn: Connection) -> None:
    failures.create(conn, checkfirst=True)


MIGRATIONS: list[Migration] = [
    Migration("0001_initial", _initial),
    Migration("0002_storylines", _storylines),
    Migration("0003_follow", _follow_tables),
    Migration("0004_failures", _failures),
]
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(conn: Connection) -> int:
    """The version recorded in ``meta`` (0 for an empty database)."""
    if not conn.dialect.has_table(conn, "meta"):
        return 0
    value = conn.execute(select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
    return int(value) if value is not None else 0


def migrate(conn: Connection) -> list[str]:
    """Apply the pending migrations inside the caller's transaction; return their names.

    Raises ValueError when the database is newer than this code."""
    if conn.dialect.name == "postgresql":
        # Several workers may open a fresh database at once: one migrates, others wait.
        conn.execute(text("SELECT pg_advisory_xact_lock(7366431)"))
    current = schema_version(conn)
    if current > SCHEMA_VERSION:
        raise ValueError(f"schema version {current} is newer than this newsdesk ({SCHEMA_VERSION}); upgrade newsdesk")
    applied = []
    for migration in MIGRATIONS[current:]:
        migration.apply(conn)
        applied.append(migration.name)
    if applied:
        now = datetime.now(UTC).isoformat()
        conn.execute(meta.delete().where(meta.c.key == "schema_version"))
        conn.execute(
            meta.insert(),
            [{"key": "schema_version", "value": str(SCHEMA_VERSION)}]
            + [{"key": f"migration:{name}", "value": now} for name in applied],
        )
    return applied


def drop_all(conn: Connection) -> None:
    """Remove every newsdesk table (tests and ``--reset``-style tooling)."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    metadata.drop_all(conn)
