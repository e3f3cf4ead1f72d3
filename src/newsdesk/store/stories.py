"""Story methods of the store: the inverted key index streaming clustering reads,
and the clustering state kept beside it (key document frequencies, headlines).

``story_keys`` holds, per (key, story), the summed key weight and a copy of the
story's last publication date, so ``story_candidates`` reads only the index entries
of the keys it is asked about, already restricted to the time window.

Every method goes through ``transaction()`` / ``_read()``, so inside an open write
transaction (``corpus.store_batch``) clustering reads what it has just written and
all of it commits or rolls back with the batch.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, or_, select, update

from newsdesk.errors import StoreError
from newsdesk.store.base import StoreBase
from newsdesk.store.records import StorySummary
from newsdesk.store.tables import (
    DOC_COUNT_KEY,
    articles,
    stories,
    story_articles,
    story_headlines,
    story_key_df,
    story_keys,
    story_storylines,
)

# Keys per ``IN (...)`` list: far below SQLite's bound-parameter limit.
_IN_CHUNK = 500


def _first(values: Iterable[date | None], pick: Any) -> date | None:
    known = [v for v in values if v is not None]
    return pick(known) if known else None


class StoryMethods(StoreBase):
    """Stories: creation, membership, titles and candidate lookup by shared keys."""

    def create_story(self, story_id: str, title: str, published: date | None) -> None:
        """A new, empty story (no-op when the id exists, so a resumed ingest can repeat it)."""
        now = datetime.now(UTC)
        stmt = (
            self._insert(stories)
            .values(
                id=story_id,
                title=title,
                created=now,
                updated=now,
                first_published=published,
                last_published=published,
                article_count=0,
            )
            .on_conflict_do_nothing(index_elements=["id"])
        )
        with self.transaction() as conn:
            conn.execute(stmt)

    def add_to_story(self, story_id: str, article_id: str, keys: Mapping[str, float], published: date | None) -> None:
        """Put an article in a story: counts and dates follow, ``keys`` weights add up
        in the story's inverted index. Idempotent per article; an article already in
        another story moves (the old story's count drops)."""
        with self.transaction() as conn:
            current = conn.execute(
                select(story_articles.c.story_id).where(story_articles.c.article_id == article_id)
            ).scalar()
            if current == story_id:
                return
            if current is not None:
                conn.execute(delete(story_articles).where(story_articles.c.article_id == article_id))
                conn.execute(
                    update(stories).where(stories.c.id == current).values(article_count=stories.c.article_count - 1)
                )
            story = conn.execute(
                select(stories.c.first_published, stories.c.last_published).where(stories.c.id == story_id)
            ).first()
            if story is None:
                raise StoreError(f"store {self.url}: no story {story_id!r} (create_story first)")
            first = _first([story.first_published, published], min)
            last = _first([story.last_published, published], max)
            conn.execute(insert(story_articles).values(article_id=article_id, story_id=story_id))
            conn.execute(
                update(stories)
                .where(stories.c.id == story_id)
                .values(
                    article_count=stories.c.article_count + 1,
                    first_published=first,
                    last_published=last,
                    updated=datetime.now(UTC),
                )
            )
            if keys:
                stmt = self._insert(story_keys).values(
                    [
                        {"key": k, "story_id": story_id, "weight": float(w), "last_published": last}
                        for k, w in keys.items()
                    ]
                )
                conn.execute(
                    stmt.on_conflict_do_update(
                        index_elements=["key", "story_id"], set_={"weight": story_keys.c.weight + stmt.excluded.weight}
                    )
                )
            if last != story.last_published:
                conn.execute(update(story_keys).where(story_keys.c.story_id == story_id).values(last_published=last))

    def merge_stories(self, keep: str, drop: str) -> None:
        """Fold story ``drop`` into ``keep``: its articles, key weights and headlines
        move, counts and dates combine, ``drop`` disappears. Clustering calls this
        when a new report bridges two stories that its first reports opened apart."""
        if keep == drop:
            return
        with self.transaction() as conn:
            both = {
                row.id: row
                for row in conn.execute(
                    select(
                        stories.c.id, stories.c.article_count, stories.c.first_published, stories.c.last_published
                    ).where(stories.c.id.in_([keep, drop]))
                )
            }
            if keep not in both or drop not in both:
                raise StoreError(f"store {self.url}: cannot merge unknown story {drop if keep in both else keep!r}")
            first = _first([both[keep].first_published, both[drop].first_published], min)
            last = _first([both[keep].last_published, both[drop].last_published], max)
            moved = conn.execute(
                select(story_keys.c.key, story_keys.c.weight).where(story_keys.c.story_id == drop)
            ).all()
            if moved:
                stmt = self._insert(story_keys).values(
                    [{"key": r.key, "story_id": keep, "weight": float(r.weight), "last_published": last} for r in moved]
                )
                conn.execute(
                    stmt.on_conflict_do_update(
                        index_elements=["key", "story_id"], set_={"weight": story_keys.c.weight + stmt.excluded.weight}
                    )
                )
            conn.execute(delete(story_keys).where(story_keys.c.story_id == drop))
            conn.execute(update(story_keys).where(story_keys.c.story_id == keep).values(last_published=last))
            conn.execute(update(story_articles).where(story_articles.c.story_id == drop).values(story_id=keep))
            conn.execute(update(story_headlines).where(story_headlines.c.story_id == drop).values(story_id=keep))
            conn.execute(delete(story_storylines).where(story_storylines.c.story_id == drop))
            conn.execute(
                update(story_storylines).where(story_storylines.c.storyline_id == drop).values(storyline_id=keep)
            )
            conn.execute(
                update(stories)
                .where(stories.c.id == keep)
                .values(
                    article_count=both[keep].article_count + both[drop].article_count,
                    first_published=first,
                    last_published=last,
                    updated=datetime.now(UTC),
                )
            )
            conn.execute(delete(stories).where(stories.c.id == drop))

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
            stmt = stmt.where(
                or_(story_keys.c.last_published.is_(None), story_keys.c.last_published >= published - window)
            )
            stmt = stmt.join(stories, stories.c.id == story_keys.c.story_id).where(
                or_(stories.c.first_published.is_(None), stories.c.first_published <= published + window)
            )
        return stmt.group_by(story_keys.c.story_id).order_by(score.desc(), story_keys.c.story_id).limit(limit)

    def story_state(self, story_id: str) -> tuple[date | None, date | None, int]:
        """(first published, last published, article count) of a story: the time
        proximity and the profile cap of clustering read these."""
        with self._read() as conn:
            row = conn.execute(
                select(stories.c.first_published, stories.c.last_published, stories.c.article_count).where(
                    stories.c.id == story_id
                )
            ).first()
        if row is None:
            raise StoreError(f"store {self.url}: no story {story_id!r}")
        return row.first_published, row.last_published, int(row.article_count)

    def story_keys(self, story_id: str) -> dict[str, float]:
        with self._read() as conn:
            rows = conn.execute(select(story_keys.c.key, story_keys.c.weight).where(story_keys.c.story_id == story_id))
            return {row.key: float(row.weight) for row in rows}

    # --- clustering state: key document frequencies and headlines -----------------------

    def doc_count(self) -> int:
        """How many documents ``add_key_doc_freqs`` has counted (the N of IDF)."""
        return self.key_doc_freqs([DOC_COUNT_KEY])[DOC_COUNT_KEY]

    def key_doc_freqs(self, keys: Iterable[str]) -> dict[str, int]:
        """Document frequency of each key (0 when never counted)."""
        wanted = sorted(set(keys))
        found: dict[str, int] = {}
        with self._read() as conn:
            for start in range(0, len(wanted), _IN_CHUNK):
                chunk = wanted[start : start + _IN_CHUNK]
                rows = conn.execute(select(story_key_df.c.key, story_key_df.c.df).where(story_key_df.c.key.in_(chunk)))
                found.update({row.key: int(row.df) for row in rows})
        return {key: found.get(key, 0) for key in wanted}

    def add_key_doc_freqs(self, keys: Iterable[str]) -> None:
        """Count one more document containing ``keys`` (each key once, however often given)."""
        rows = [{"key": key, "df": 1} for key in sorted(set(keys))] + [{"key": DOC_COUNT_KEY, "df": 1}]
        stmt = self._insert(story_key_df)
        stmt = stmt.on_conflict_do_update(index_elements=["key"], set_={"df": story_key_df.c.df + stmt.excluded.df})
        with self.transaction() as conn:
            conn.execute(stmt, rows)

    def add_story_headline(
        self, story_id: str, article_id: str, title: str, keys: Mapping[str, float], limit: int
    ) -> bool:
        """Keep an article's headline (with its keys) among the story's first ``limit``;
        True when kept. Idempotent per article, so a resumed ingest can repeat it."""
        with self.transaction() as conn:
            if conn.execute(
                select(story_headlines.c.article_id).where(story_headlines.c.article_id == article_id)
            ).first():
                return False
            count = conn.execute(
                select(func.count()).select_from(story_headlines).where(story_headlines.c.story_id == story_id)
            ).scalar_one()
            if count >= limit:
                return False
            conn.execute(
                insert(story_headlines).values(
                    article_id=article_id,
                    story_id=story_id,
                    title=title,
                    key_weights=json.dumps(dict(keys), sort_keys=True),
                )
            )
            return True

    def story_headlines(self, story_id: str) -> list[tuple[str, str, dict[str, float]]]:
        """(article id, headline, headline keys) of the story's kept headlines."""
        stmt = (
            select(story_headlines.c.article_id, story_headlines.c.title, story_headlines.c.key_weights)
            .where(story_headlines.c.story_id == story_id)
            .order_by(story_headlines.c.article_id)
        )
        with self._read() as conn:
            return [(row.article_id, row.title, json.loads(row.key_weights)) for row in conn.execute(stmt)]

    # --- storylines ------------------------------------------------------------------

    def set_storyline(self, story_id: str, storyline_id: str) -> None:
        """Put a story (an event) in a storyline; a story is in at most one. Events
        that were in the story's own storyline move with it."""
        stmt = self._insert(story_storylines).values(story_id=story_id, storyline_id=storyline_id)
        with self.transaction() as conn:
            conn.execute(stmt.on_conflict_do_update(index_elements=["story_id"], set_={"storyline_id": storyline_id}))
            if storyline_id != story_id:
                conn.execute(
                    update(story_storylines)
                    .where(story_storylines.c.storyline_id == story_id)
                    .values(storyline_id=storyline_id)
                )

    def storyline_of(self, story_id: str) -> str | None:
        with self._read() as conn:
            return conn.execute(
                select(story_storylines.c.storyline_id).where(story_storylines.c.story_id == story_id)
            ).scalar()

    # --- listing ------------------------------------------------------------------------

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
            line_rows = conn.execute(select(story_storylines.c.story_id, story_storylines.c.storyline_id)).all()
        outlets: dict[str, set[str]] = {}
        for story_id, outlet in outlet_rows:
            outlets.setdefault(story_id, set()).add(outlet)
        line_of = {story_id: line for story_id, line in line_rows}
        events: dict[str, list[Any]] = {}
        for r in rows:
            events.setdefault(line_of.get(r.id, r.id), []).append(r)
        summaries = []
        for r in rows:
            line = line_of.get(r.id, r.id)
            members = events[line]
            # The storyline is named after its largest event (ties: the earliest).
            lead = min(members, key=lambda m: (-m.article_count, m.first_published or date.max, m.id))
            summaries.append(
                StorySummary(
                    r.id,
                    r.title,
                    r.article_count,
                    sorted(outlets.get(r.id, ())),
                    r.first_published,
                    r.last_published,
                    storyline_id=line,
                    storyline_title=lead.title,
                    storyline_events=len(members),
                )
            )
        return summaries

    def storyline_summary(self, story_id: str, summaries: Sequence[StorySummary] | None = None) -> dict[str, Any]:
        """The story's storyline as shown in a brief header: id, title (its largest
        event's) and events oldest first; empty when the story is alone in it.
        ``summaries``: ``list_stories()`` when the caller has it already."""
        summaries = self.list_stories() if summaries is None else summaries
        mine = next((s for s in summaries if s.id == story_id), None)
        if mine is None or mine.storyline_events < 2:
            return {}
        events = sorted(
            (s for s in summaries if s.storyline_id == mine.storyline_id),
            key=lambda s: (s.first_published or date.max, s.id),
        )
        return {
            "id": mine.storyline_id,
            "title": mine.storyline_title,
            "events": [
                {"id": s.id, "title": s.title, "first_published": s.first_published, "article_count": s.article_count}
                for s in events
            ],
        }

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

    def get_story(self, story_id: str) -> tuple[Any, list[Any]] | None:
        """The typed story view (``newsdesk.report.story_view.StoryView``, with its
        storyline) of a stored story and the analyses its renderers read, or None for an
        unknown or empty story: what the brief, the web page and the API render."""
        from newsdesk.report.brief import build_story
        from newsdesk.report.story_view import StorylineView

        ids = self.story_article_ids(story_id)
        if not ids:
            return None
        analyses = list(self.iter_analyses(ids))  # type: ignore[attr-defined]
        summaries = self.list_stories()
        title = next((s.title for s in summaries if s.id == story_id), None)
        story = build_story(analyses, story_id=story_id, title=title)
        story.storyline = StorylineView.from_summary(self.storyline_summary(story_id, summaries))
        return story, analyses

    def article_story(self, article_id: str) -> str | None:
        with self._read() as conn:
            return conn.execute(
                select(story_articles.c.story_id).where(story_articles.c.article_id == article_id)
            ).scalar()
