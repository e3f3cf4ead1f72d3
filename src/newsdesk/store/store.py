"""The article store: articles, their analyses and entities (stories in ``stories.py``,
connections and transactions in ``base.py``).

``add_analyses`` stores a batch in one transaction: an article lands with all its
spans, its MinHash bands and its full-text row, or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, and_, func, insert, or_, select

from newsdesk.model import (
    Analysis,
    Article,
    EntityMention,
    analysis_from_dict,
    article_from_dict,
    to_dict,
)
from newsdesk.store import neardup
from newsdesk.store.base import display_url, normalise_url
from newsdesk.store.failures import FailureMethods
from newsdesk.store.feeds import FeedMethods
from newsdesk.store.records import AddOutcome, EntityRecord, SearchHit
from newsdesk.store.search import search_articles
from newsdesk.store.settings import near_duplicate_settings
from newsdesk.store.stories import StoryMethods
from newsdesk.store.tables import (
    FTS_TABLE,
    articles,
    claims,
    entities,
    entity_mentions,
    minhash_bands,
    quotes,
    timexes,
)

__all__ = ["Store", "display_url", "normalise_url"]


class Store(FeedMethods, StoryMethods, FailureMethods):
    """Articles, their analyses, entities, stories, followed feeds and failed inputs in one database.

    ``Store()`` opens the default SQLite file (``Options().db``); ``Store(url)`` any
    SQLAlchemy URL. Pending migrations are applied at open. Raises ``StoreError`` with
    a one-line message when the database cannot be opened.
    """

    # --- articles: writes ---------------------------------------------------------------

    def add_analyses(self, analyses: Sequence[Analysis]) -> list[AddOutcome]:
        """Store a batch in one transaction; see ``AddOutcome`` for the three statuses.

        Idempotent: an article whose id is stored is reported as ``duplicate`` and
        nothing is written for it (also under concurrent writers: the insert itself
        ignores a conflicting id)."""
        outcomes: list[AddOutcome] = []
        with self.transaction() as conn:
            for analysis in analyses:
                outcomes.append(self._add_one(conn, analysis))
        return outcomes

    def _add_one(self, conn: Connection, analysis: Analysis) -> AddOutcome:
        article = analysis.article
        if conn.execute(select(articles.c.id).where(articles.c.id == article.id)).first():
            return AddOutcome(article.id, "duplicate", article.id)
        signature = neardup.signature(article.body)
        bands = neardup.band_hashes(signature) if signature else []
        original = self._near_duplicate_of(conn, signature, bands) if signature else None
        row = {
            "id": article.id,
            "source": article.source,
            "outlet": article.outlet,
            "url": article.url,
            "language": article.language,
            "title": article.title,
            "standfirst": article.standfirst,
            "published": article.published,
            "body": article.body,
            "dropped": to_dict(article.dropped),
            "minhash": signature,
            "ingested_at": datetime.now(UTC),
            "duplicate_of": original,
            "data": to_dict(analysis),
        }
        inserted = conn.execute(self._insert(articles).values(row).on_conflict_do_nothing(index_elements=["id"]))
        if inserted.rowcount == 0:  # another writer stored it since our check
            return AddOutcome(article.id, "duplicate", article.id)
        self._add_children(conn, analysis, bands)
        if original is not None:
            return AddOutcome(article.id, "near-duplicate", original)
        return AddOutcome(article.id, "added")

    def _near_duplicate_of(self, conn: Connection, signature: bytes, bands: list[tuple[int, int]]) -> str | None:
        """The original a new body is a near-copy of: the most similar stored article
        sharing an LSH band, at or over the threshold (followed to its own original)."""
        settings = near_duplicate_settings()
        match_band = or_(*(and_(minhash_bands.c.band == b, minhash_bands.c.hash == h) for b, h in bands))
        candidate_ids = select(minhash_bands.c.article_id).where(match_band).distinct().limit(settings.max_candidates)
        rows = conn.execute(
            select(articles.c.id, articles.c.minhash, articles.c.duplicate_of).where(articles.c.id.in_(candidate_ids))
        ).all()
        best: tuple[float, str] | None = None
        for row in rows:
            if row.minhash is None:
                continue
            score = neardup.similarity(signature, bytes(row.minhash))
            target = row.duplicate_of or row.id
            if score >= settings.threshold and (best is None or (score, target) > best):
                best = (score, target)
        return best[1] if best else None

    def _add_children(self, conn: Connection, analysis: Analysis, bands: list[tuple[int, int]]) -> None:
        article_id = analysis.article.id
        batches: list[tuple[Any, list[dict[str, Any]]]] = [
            (
                entity_mentions,
                [
                    {
                        "article_id": article_id,
                        "start": m.start,
                        "end": m.end,
                        "text": m.text,
                        "label": m.label,
                        "canonical": m.canonical,
                        "entity_id": m.entity_id,
                    }
                    for m in analysis.entities
                ],
            ),
            (
                quotes,
                [
                    {
                        "article_id": article_id,
                        "start": q.start,
                        "end": q.end,
                        "text": q.text,
                        "kind": q.kind,
                        "speaker": q.speaker.name if q.speaker else None,
                        "speaker_entity_id": q.speaker.entity_id if q.speaker else None,
                        "cue": q.cue,
                        "channel": q.channel,
                    }
                    for q in analysis.quotes
                ],
            ),
            (
                timexes,
                [
                    {
                        "article_id": article_id,
                        "start": t.start,
                        "end": t.end,
                        "text": t.text,
                        "type": t.type,
                        "value": t.value,
                        "anchored": t.anchored,
                    }
                    for t in analysis.timexes
                ],
            ),
            (
                claims,
                [
                    {
                        "article_id": article_id,
                        "start": c.start,
                        "end": c.end,
                        "text": c.text,
                        "source": c.source,
                        "source_kind": c.source_kind,
                        "certainty": c.certainty,
                    }
                    for c in analysis.claims
                ],
            ),
            (minhash_bands, [{"band": b, "hash": h, "article_id": article_id} for b, h in bands]),
        ]
        for table, rows in batches:
            if rows:
                conn.execute(insert(table), rows)
        if self.dialect == "sqlite":
            article = analysis.article
            conn.exec_driver_sql(
                f"INSERT INTO {FTS_TABLE} (article_id, title, standfirst, body) VALUES (?, ?, ?, ?)",
                (article_id, article.title or "", article.standfirst or "", article.body),
            )

    # --- articles: reads -------------------------------------------------------------

    def has_article(self, article_id: str) -> bool:
        with self._read() as conn:
            return conn.execute(select(articles.c.id).where(articles.c.id == article_id)).first() is not None

    def article_ids(self) -> frozenset[str]:
        """Every stored article id (the Ray path hands them to its readers, which skip
        those articles before analysis)."""
        with self._read() as conn:
            return frozenset(conn.execute(select(articles.c.id)).scalars())

    def get_analysis(self, article_id: str) -> Analysis | None:
        with self._read() as conn:
            data = conn.execute(select(articles.c.data).where(articles.c.id == article_id)).scalar()
        return analysis_from_dict(data) if data is not None else None

    def iter_analyses(self, ids: Iterable[str] | None = None, batch_size: int = 200) -> Iterator[Analysis]:
        """Stream stored analyses (all in id order, or the given ids in their order,
        skipping unknown ones). Reads ``batch_size`` rows per short read, never holding
        a transaction open while the caller works, so it may write to the store."""
        if ids is None:
            last = ""
            while True:
                with self._read() as conn:
                    rows = conn.execute(
                        select(articles.c.id, articles.c.data)
                        .where(articles.c.id > last)
                        .order_by(articles.c.id)
                        .limit(batch_size)
                    ).all()
                if not rows:
                    return
                for row in rows:
                    yield analysis_from_dict(row.data)
                last = rows[-1].id
        chunk: list[str] = []
        for article_id in ids:
            chunk.append(article_id)
            if len(chunk) >= batch_size:
                yield from self._analyses_for(chunk)
                chunk = []
        if chunk:
            yield from self._analyses_for(chunk)

    def _analyses_for(self, ids: list[str]) -> Iterator[Analysis]:
        with self._read() as conn:
            found = dict(conn.execute(select(articles.c.id, articles.c.data).where(articles.c.id.in_(ids))).all())
        for article_id in ids:
            if article_id in found:
                yield analysis_from_dict(found[article_id])

    def list_articles(self, limit: int = 50, offset: int = 0, outlet: str | None = None) -> list[Article]:
        """Articles newest first (undated last)."""
        stmt = select(*_ARTICLE_COLUMNS).order_by(articles.c.published.desc().nulls_last(), articles.c.id)
        if outlet:
            stmt = stmt.where(func.lower(articles.c.outlet) == outlet.lower())
        with self._read() as conn:
            return [_article(row) for row in conn.execute(stmt.limit(limit).offset(offset))]

    def count_articles(self) -> int:
        with self._read() as conn:
            return int(conn.execute(select(func.count()).select_from(articles)).scalar_one())

    def search(
        self,
        text: str | None = None,
        entity: str | None = None,
        outlet: str | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        limit: int = 50,
    ) -> list[SearchHit]:
        """Full-text search (web-search syntax: words, "phrases", OR, -word) combined
        with filters; ``entity`` is an entity id or a canonical name."""
        with self._read() as conn:
            return search_articles(conn, text, entity, outlet, date_from, date_to, limit)

    def entity_mentions(self, entity_id: str) -> list[tuple[Article, EntityMention]]:
        """Every mention of one entity with its article, newest article first."""
        stmt = (
            select(*_ARTICLE_COLUMNS, *[entity_mentions.c[name] for name in _MENTION_FIELDS])
            .join_from(entity_mentions, articles, entity_mentions.c.article_id == articles.c.id)
            .where(entity_mentions.c.entity_id == entity_id)
            .order_by(articles.c.published.desc().nulls_last(), articles.c.id, entity_mentions.c.start)
        )
        result: list[tuple[Article, EntityMention]] = []
        cache: dict[str, Article] = {}
        with self._read() as conn:
            for row in conn.execute(stmt):
                article = cache.setdefault(row.id, _article(row))
                result.append(
                    (
                        article,
                        EntityMention(**{name: row._mapping[entity_mentions.c[name]] for name in _MENTION_FIELDS}),
                    )
                )
        return result

    # --- entities ---------------------------------------------------------------------

    def upsert_entities(self, records: Sequence[EntityRecord]) -> None:
        """Insert or replace entities by id (the linker owns canonical names and aliases)."""
        if not records:
            return
        rows = {
            r.entity_id: {
                "entity_id": r.entity_id,
                "canonical": r.canonical,
                "label": r.label,
                "aliases": sorted(set(r.aliases)),
            }
            for r in records
        }
        stmt = self._insert(entities).values(list(rows.values()))
        stmt = stmt.on_conflict_do_update(
            index_elements=["entity_id"],
            set_={"canonical": stmt.excluded.canonical, "label": stmt.excluded.label, "aliases": stmt.excluded.aliases},
        )
        with self.transaction() as conn:
            conn.execute(stmt)

    def get_entities(self) -> list[EntityRecord]:
        """All entities with how many mentions each has, most mentioned first."""
        counts = (
            select(entity_mentions.c.entity_id, func.count().label("n"))
            .group_by(entity_mentions.c.entity_id)
            .subquery()
        )
        stmt = (
            select(entities, func.coalesce(counts.c.n, 0).label("n"))
            .outerjoin(counts, counts.c.entity_id == entities.c.entity_id)
            .order_by(func.coalesce(counts.c.n, 0).desc(), entities.c.canonical)
        )
        with self._read() as conn:
            return [
                EntityRecord(r.entity_id, r.canonical, r.label, list(r.aliases or []), int(r.n))
                for r in conn.execute(stmt)
            ]


_ARTICLE_FIELDS = ("id", "source", "body", "outlet", "url", "language", "title", "standfirst", "published", "dropped")
_ARTICLE_COLUMNS = [articles.c[name] for name in _ARTICLE_FIELDS]
_MENTION_FIELDS = ("start", "end", "text", "label", "canonical", "entity_id")


def _article(row: Any) -> Article:
    """An Article from the plain columns (cheaper than decoding the whole analysis)."""
    return article_from_dict({name: row._mapping[articles.c[name]] for name in _ARTICLE_FIELDS})
