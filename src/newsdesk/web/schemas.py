"""Pydantic response models of the JSON API (they are the OpenAPI schema).

Why models and not raw dicts: every page has a JSON twin, and a documented,
validated shape is what lets a researcher script against the server. Records
that already exist as dataclasses in ``newsdesk.model`` (sentences, entity
mentions, time expressions, claims, quotes) are reused as they are, so the API
and the ``analyze`` JSON output never drift apart. Every string is plain data:
nothing here is HTML.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from newsdesk.model import Claim, DroppedLine, EntityMention, GroupStatus, Quote, Sentence, Timex


class SnippetPart(BaseModel):
    text: str
    match: bool = Field(description="True for a part that matched the search words")


class SearchHitOut(BaseModel):
    article_id: str
    title: str | None
    outlet: str | None
    published: date | None
    snippet: str = Field(description="Plain-text snippet (match markers removed)")
    parts: list[SnippetPart] = Field(description="The snippet split into matched and unmatched parts")


class SearchResponse(BaseModel):
    q: str | None = None
    entity: str | None = None
    outlet: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    count: int
    hits: list[SearchHitOut]


class StorySummaryOut(BaseModel):
    id: str
    title: str
    article_count: int
    outlets: list[str]
    first_published: date | None
    last_published: date | None
    storyline_id: str | None = None
    storyline_title: str | None = None
    storyline_events: int = 1


class StoryListResponse(BaseModel):
    count: int
    stories: list[StorySummaryOut]


class ArticleSummary(BaseModel):
    id: str
    title: str | None
    outlet: str = Field(description="Outlet, or the source file name when the outlet is unknown")
    published: date | None
    url: str | None
    source: str


class ClaimRefOut(BaseModel):
    article_id: str
    outlet: str | None
    start: int
    end: int
    text: str
    anchor: str = Field(description="Element id of the source sentence on the story and article pages")


class ClaimGroupOut(BaseModel):
    status: GroupStatus
    why: str
    outlets: list[str]
    claims: list[ClaimRefOut]


class RelatedPairOut(BaseModel):
    relation: str
    why: str
    score: float | None = None
    a: ClaimRefOut
    b: ClaimRefOut


class TimelineEventOut(BaseModel):
    date: date
    value: str | None
    timex: str
    anchored: bool
    text: str
    article_id: str
    outlet: str
    start: int
    end: int
    anchor: str


class QuoteOut(BaseModel):
    article_id: str
    outlet: str
    speaker: str | None
    quote: Quote


class StoryEntityOut(BaseModel):
    name: str
    outlets: int = Field(description="How many outlets name it")
    mentions: int


class KeyFactOut(BaseModel):
    statement: ClaimRefOut
    outlets: list[str]
    count: int = Field(description="How many outlets state it")
    claims: list[ClaimRefOut]


class DisagreementOut(BaseModel):
    slot: str = Field(description="count, amount (unit), date, year or polarity")
    why: str
    claims: list[ClaimRefOut]


class StoryDetail(BaseModel):
    id: str
    title: str
    articles: list[ArticleSummary]
    entities: list[StoryEntityOut]
    timeline: list[TimelineEventOut]
    groups: list[ClaimGroupOut]
    related: list[RelatedPairOut]
    quotes: list[QuoteOut]
    key_facts: list[KeyFactOut] = Field(default_factory=list, description="Statements carried by the most outlets")
    disagreements: list[DisagreementOut] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list, description="What the reader must know about the inputs")


class ArticleOut(BaseModel):
    id: str
    source: str
    outlet: str | None
    url: str | None
    language: str | None
    title: str | None
    standfirst: str | None
    published: date | None
    body: str
    text: str = Field(description="Title, standfirst and body joined by blank lines; every offset points into it")
    dropped: list[DroppedLine]


class ArticleDetail(BaseModel):
    article: ArticleOut
    story_id: str | None
    story_title: str | None
    sentences: list[Sentence]
    entities: list[EntityMention]
    quotes: list[Quote]
    timexes: list[Timex]
    claims: list[Claim]


class EntityOut(BaseModel):
    entity_id: str
    canonical: str
    label: str
    aliases: list[str]
    mentions: int


class EntityListResponse(BaseModel):
    count: int
    entities: list[EntityOut]


class MentionContext(BaseModel):
    article_id: str
    article_title: str | None
    outlet: str | None
    published: date | None
    story_id: str | None
    start: int
    end: int
    text: str
    sentence: str = Field(description="The sentence the mention sits in")
    sentence_start: int
    anchor: str


class EntityStory(BaseModel):
    id: str
    title: str
    mentions: int


class EntityDetail(BaseModel):
    entity: EntityOut
    stories: list[EntityStory]
    mentions: list[MentionContext]
    truncated: bool = Field(description="True when more mentions exist than are listed")


class UploadResult(BaseModel):
    article_id: str
    story_id: str | None
    status: Literal["added", "near-duplicate", "duplicate"]
    duplicate_of: str | None = None
    url: str = Field(description="Path of the article page")


class ErrorOut(BaseModel):
    detail: str


class FeedOut(BaseModel):
    """A feed or sitemap followed by ``newsdesk follow`` and how its polls went."""

    url: str
    title: str | None
    kind: str | None = Field(description="feed, sitemap or sitemapindex (None before the first poll)")
    parent: str | None = Field(description="The sitemap index this sitemap was found in")
    health: Literal["ok", "failing", "new"]
    last_poll: datetime | None
    last_ok: datetime | None
    last_error: str | None
    entries: int = Field(description="Entries listed at the last poll")
    stored: int = Field(description="Articles stored from this feed, all polls")
    failed: int = Field(description="Pages that failed, all polls")
    disallowed: int = Field(description="Entries robots.txt forbade, all polls")


class FeedListResponse(BaseModel):
    count: int
    failing: int
    feeds: list[FeedOut]


class FailureOut(BaseModel):
    """An input ingest could not store (see ``newsdesk failures``)."""

    source: str
    stage: str
    reason: str
    attempts: int
    time: datetime | None


class FailureListResponse(BaseModel):
    count: int
    total: int
    failures: list[FailureOut]
