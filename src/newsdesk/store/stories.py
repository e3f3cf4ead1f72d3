"""Story methods of the store: the inverted key index streaming clustering reads.

``story_keys`` holds, per (key, story), the summed key weight and a copy of the
story's last publication date, so ``story_candidates`` reads only the index entries
of the keys it is asked about, already restricted to the time window.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, or_, select, update

from newsdesk.errors import StoreError
from newsdesk.store.base import StoreBase
from newsdesk.store.records import StorySummary
from newsdesk.store.tables import articles, stories, story_articles, story_keys


def _first(values: Iterable[date | None], pick: Any) -> date | None:
    known = [v for v in values if v is not None]
    return pick(known) if known else None


class StoryMethods(StoreBase):
    """Stories: creation, membership, titles and candidate lookup by shared keys."""

    def create_story(self, story_id: str, title: str, published: date | None) -> None:
        """A new, empty story (no-op when the id exists, so a resumed ingest can repeat it)."""
        now = datetime.now(UTC)
        stmt = self._insert(stories).values(
            id=story_id, title=title, created=now, updated=now,
            first_published=published, last_published=published, article_count=0,
        ).on_conflict_do_nothing(index_elements=["id"])
        with self.transaction() as conn:
            conn.execute(stmt)

    def add_to_story(self, story_id: str, article_id: str, keys: Mapping[str, float], published: date | None) -> None:
        """Put an article in a story: counts and dates follow, ``keys`` weights add up
        in the story's inverted index. Idempotent per article; an article already in
        another story moves (the old story's count drops)."""
        with self.transaction() as conn:
            current = conn.execute(select(story_articles.c.story_id).where(story_articles.c.article_id == article_id)).scalar()
            if current == story_id:
                return
            if current is not None:
                conn.execute(delete(story_articles).where(story_articles.c.article_id == article_id))
                conn.execute(update(stories).where(stories.c.id == current).values(article_count=stories.c.article_count - 1))
            story = conn.execute(select(stories.c.first_published, stories.c.last_published).where(stories.c.id == story_id)).first()
            if story is None:
                raise StoreError(f"store {self.url}: no story {story_id!r} (create_story first)")
            first = _first([story.first_published, published], min)
            last = _first([story.last_published, published], max)
            conn.execute(insert(story_articles).values(article_id=article_id, story_id=story_id))
            conn.execute(
                update(stories)
                .where(stories.c.id == story_id)
                .values(article_count=stories.c.article_count + 1, first_published=first,
                        last_published=last, updated=datetime.now(UTC))
            )
            if keys:
                stmt = self._insert(story_keys).values(
                    [{"key": k, "story_id": story_id, "weight": float(w), "last_published": last} for k, w in keys.items()]
                )
                conn.execute(stmt.on_conflict_do_update(
                    index_elements=["key", "story_id"], set_={"weight": story_keys.c.weight + stmt.excluded.weight}
                ))
            if last != story.last_published:
                conn.execute(update(story_keys).where(story_keys.c.story_id == story_id).values(last_published=last))

    def set_story_title(self, story_id: str, title: str) -> None:
        with self.transaction() as conn:
            conn.execute(update(stories).where(stories.c.id == story_id).values(title=title, updated=datetime.now(UTC)))

    def story_candidates(
        self, keys: Sequence[str], published: date | None, window_days: int, limit: int = 20
    ) -> list[tuple[str, float]]:
        """Stories sharing any of ``keys``, by summed key weight (best first).

        Reads only the index entries of the given keys (cost does not grow with the
        corpus); with a date, only stories active within ``window_days`` of it."""
        if not keys:
            return []
        stmt = self._candidates_statement(list(dict.fromkeys(keys)), published, window_days, limit)
        with self._read() as conn:
            return [(row.story_id, float(row.score)) for row in conn.execute(stmt)]

    def _candidates_statement(self, keys: list[str], published: date | None, window_days: int, limit: int) -> Any:
        score = func.sum(story_keys.c.weight).label("score")
        stmt = select(story_keys.c.story_id, score).where(story_keys.c.key.in_(keys))
        if published is not None:
            window = timedelta(days=window_days)
            stmt = stmt.where(or_(story_keys.c.last_published.is_(None), story_keys.c.last_published >= published - window))
            stmt = stmt.join(stories, stories.c.id == story_keys.c.story_id).where(
                or_(stories.c.first_published.is_(None), stories.c.first_published <= published + window)
            )
        return stmt.group_by(story_keys.c.story_id).order_by(score.desc(), story_keys.c.story_id).limit(limit)

    def story_keys(self, story_id: str) -> dict[str, float]:
        with self._read() as conn:
            rows = conn.execute(select(story_keys.c.key, story_keys.c.weight).where(story_keys.c.story_id == story_id))
            return {row.key: float(row.weight) for row in rows}

    def list_stories(self) -> list[StorySummary]:
        """Stories, most recently active first, with the outlets that covered them."""
        with self._read() as conn:
            rows = conn.execute(
                select(stories).order_by(stories.c.last_published.desc().nulls_last(), stories.c.id)
            ).all()
            outlet_rows = conn.execute(
                select(story_articles.c.story_id, articles.c.outlet)
                .join_from(story_articles, articles, articles.c.id == story_articles.c.article_id)
                .where(articles.c.outlet.is_not(None))
                .distinct()
            ).all()
        outlets: dict[str, set[str]] = {}
        for story_id, outlet in outlet_rows:
            outlets.setdefault(story_id, set()).add(outlet)
        return [
            StorySummary(r.id, r.title, r.article_count, sorted(outlets.get(r.id, ())), r.first_published, r.last_published)
            for r in rows
        ]

    def story_article_ids(self, story_id: str) -> list[str]:
        """The story's articles in publication order (undated last)."""
        stmt = (
            select(story_articles.c.article_id)
            .outerjoin(articles, articles.c.id == story_articles.c.article_id)
            .where(story_articles.c.story_id == story_id)
            .order_by(articles.c.published.asc().nulls_last(), story_articles.c.article_id)
        )
        with self._read() as conn:
            return list(conn.execute(stmt).scalars())

    def article_story(self, article_id: str) -> str | None:
        with self._read() as conn:
            return conn.execute(select(story_articles.c.story_id).where(story_articles.c.article_id == article_id)).scalar()
