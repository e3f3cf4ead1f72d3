"""Small records the store API returns (besides the model's Analysis and Article).

They live here, not in ``newsdesk.model``, because they describe rows of the
store rather than what the pipeline finds in an article.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

AddStatus = Literal["added", "duplicate", "near-duplicate"]


@dataclass(frozen=True)
class AddOutcome:
    """What ``Store.add_analyses`` did with one analysis.

    ``duplicate``: an article with this id was already stored (nothing changed;
    ``duplicate_of`` is that id). ``near-duplicate``: a syndicated copy of a stored
    article; it is stored too, with ``duplicate_of`` naming the original.
    """

    article_id: str
    status: AddStatus
    duplicate_of: str | None = None


@dataclass
class EntityRecord:
    """A real-world thing across the corpus: one id, one canonical name, its aliases.

    ``mentions`` is filled in by ``Store.get_entities`` (ignored on upsert)."""

    entity_id: str
    canonical: str
    label: str
    aliases: list[str] = field(default_factory=list)
    mentions: int = 0


@dataclass(frozen=True)
class SearchHit:
    """One article matching a search. ``snippet`` is plain text; matched terms are
    wrapped in ``SNIPPET_START``/``SNIPPET_END`` (see ``newsdesk.store``)."""

    article_id: str
    title: str | None
    outlet: str | None
    published: date | None
    snippet: str


@dataclass
class StorySummary:
    """A story as listed: counts, outlets and the span of publication dates."""

    id: str
    title: str
    article_count: int
    outlets: list[str] = field(default_factory=list)
    first_published: date | None = None
    last_published: date | None = None
    storyline_id: str | None = None
    storyline_title: str | None = None
    storyline_events: int = 1


@dataclass(frozen=True)
class FailureRecord:
    """An input that could not be stored: where it came from, the stage that refused
    it (read, clean, analyse, link, store), why, when last, and how many runs tried."""

    source: str
    stage: str
    reason: str
    time: datetime | None = None
    attempts: int = 1
