"""What each page shows, built once for both the HTML page and its JSON twin.

Why one builder per page: the HTML route and the ``/api`` route call the same
function, so the page and the API can never disagree. The builders only call the
store and the report functions (``build_story``, ``story_entities``, the SVG
charts); nothing here re-implements claim comparison or charts.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.exc import DataError, OperationalError, ProgrammingError

from newsdesk.compare import outlet_name
from newsdesk.model import Analysis, ClaimRef
from newsdesk.report.brief import cooccurrence, story_entities
from newsdesk.report.story_view import StoryView as BriefView
from newsdesk.report.svg import entity_graph_svg, timeline_svg
from newsdesk.store import SNIPPET_END, SNIPPET_START, Store
from newsdesk.web.deps import page_limits
from newsdesk.web.highlight import containing_sentence, sentence_anchor, sentence_spans
from newsdesk.web.schemas import (
    ArticleDetail,
    ArticleOut,
    ArticleSummary,
    ClaimGroupOut,
    ClaimRefOut,
    DisagreementOut,
    EntityDetail,
    EntityOut,
    EntityStory,
    FeedListResponse,
    FeedOut,
    KeyFactOut,
    MentionContext,
    QuoteOut,
    RelatedPairOut,
    SearchHitOut,
    SearchResponse,
    SnippetPart,
    StoryDetail,
    StoryEntityOut,
    StoryListResponse,
    StorySummaryOut,
    TimelineEventOut,
)


class NotFound(LookupError):
    """An id the store does not know; routes turn it into a 404."""


def snippet_parts(snippet: str) -> list[SnippetPart]:
    """Split a store snippet at its match markers into plain parts."""
    parts: list[SnippetPart] = []
    rest = snippet
    while rest:
        start = rest.find(SNIPPET_START)
        end = rest.find(SNIPPET_END, start + len(SNIPPET_START)) if start >= 0 else -1
        if start < 0 or end < 0:
            parts.append(SnippetPart(text=rest, match=False))
            break
        if start:
            parts.append(SnippetPart(text=rest[:start], match=False))
        parts.append(SnippetPart(text=rest[start + len(SNIPPET_START) : end], match=True))
        rest = rest[end + len(SNIPPET_END) :]
    return parts


class BadQuery(ValueError):
    """A search the store cannot run; ``str()`` is the message for a 400 answer."""


_QUERY_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_MAX_QUERY_CHARS = 1000


def _query_field(value: str | None, name: str) -> str | None:
    """A search field stripped, or None; control characters (a NUL ends an FTS5
    string early) and absurd lengths are refused with a message."""
    if value is None or not value.strip():
        return None
    if _QUERY_CONTROL.search(value):
        raise BadQuery(f"the {name} contains control characters")
    if len(value) > _MAX_QUERY_CHARS:
        raise BadQuery(f"the {name} is longer than {_MAX_QUERY_CHARS:,} characters")
    return value.strip()


def search(
    store: Store,
    q: str | None,
    entity: str | None,
    outlet: str | None,
    date_from: date | None,
    date_to: date | None,
    limit: int | None = None,
) -> SearchResponse:
    q, entity, outlet = (_query_field(v, n) for v, n in ((q, "query"), (entity, "entity"), (outlet, "outlet")))
    try:
        hits = store.search(q, entity, outlet, date_from, date_to, limit=limit or page_limits().search_limit)
    except (OperationalError, ProgrammingError, DataError) as exc:  # the query text the engine refused
        raise BadQuery("the search text could not be read as a query (check quotes and special characters)") from exc
    out = []
    for h in hits:
        parts = snippet_parts(h.snippet)
        out.append(
            SearchHitOut(
                article_id=h.article_id,
                title=h.title,
                outlet=h.outlet,
                published=h.published,
                snippet="".join(p.text for p in parts),
                parts=parts,
            )
        )
    return SearchResponse(
        q=q, entity=entity, outlet=outlet, date_from=date_from, date_to=date_to, count=len(out), hits=out
    )


def story_list(store: Store) -> StoryListResponse:
    stories = [StorySummaryOut.model_validate(s, from_attributes=True) for s in store.list_stories()]
    return StoryListResponse(count=len(stories), stories=stories)


def feed_list(store: Store) -> FeedListResponse:
    """Every followed feed with its health (the /feeds page and its JSON twin)."""
    feeds = [
        FeedOut(
            url=f.url,
            title=f.title,
            kind=f.kind,
            parent=f.parent,
            health=f.health,
            last_poll=f.last_poll,
            last_ok=f.last_ok,
            last_error=f.last_error,
            entries=f.entry_count,
            stored=f.stored_count,
            failed=f.failed_count,
            disallowed=f.disallowed_count,
        )
        for f in store.list_feeds()
    ]
    return FeedListResponse(count=len(feeds), failing=sum(f.health == "failing" for f in feeds), feeds=feeds)


def article_summary(analysis: Analysis) -> ArticleSummary:
    a = analysis.article
    return ArticleSummary(
        id=a.id, title=a.title, outlet=outlet_name(analysis), published=a.published, url=a.url, source=a.source
    )


@dataclass
class StoryView:
    """A story page: the API record plus what only the HTML page needs."""

    detail: StoryDetail
    analyses: list[Analysis]
    timeline_svg: str
    graph_svg: str


class StoryCache:
    """Built stories by (id, article ids): claim comparison runs once per version
    of a story, not on every page view; an upload that changes the story's
    articles changes the key."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[tuple[str, tuple[str, ...]], StoryView] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, tuple[str, ...]]) -> StoryView | None:
        with self._lock:
            view = self._items.get(key)
            if view is not None:
                self._items.move_to_end(key)
            return view

    def put(self, key: tuple[str, tuple[str, ...]], view: StoryView) -> None:
        with self._lock:
            self._items[key] = view
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


def _anchor_for(spans_by_article: dict[str, list[tuple[int, int]]], article_id: str, start: int) -> str:
    span = containing_sentence(spans_by_article.get(article_id, []), start)
    return sentence_anchor(article_id, span[0] if span else start)


def _ref(ref: ClaimRef | dict, spans: dict[str, list[tuple[int, int]]]) -> ClaimRefOut:
    r = ref if isinstance(ref, dict) else vars(ref)
    return ClaimRefOut(
        article_id=r["article_id"],
        outlet=r.get("outlet"),
        start=r["start"],
        end=r["end"],
        text=r["text"],
        anchor=_anchor_for(spans, r["article_id"], r["start"]),
    )


def story_view(store: Store, story_id: str, cache: StoryCache | None = None) -> StoryView:
    """The story page's content; raises NotFound for an unknown or empty story."""
    ids = store.story_article_ids(story_id)
    if not ids:
        raise NotFound(f"no story {story_id!r}")
    key = (story_id, tuple(ids))
    if cache is not None and (hit := cache.get(key)) is not None:
        return hit
    found = store.get_story(story_id)
    if found is None:
        raise NotFound(f"no story {story_id!r}")
    story, analyses = found
    view = _build_story_view(story, analyses)
    if cache is not None:
        cache.put(key, view)
    return view


def _build_story_view(story: BriefView, analyses: Sequence[Analysis]) -> StoryView:
    spans = {a.article.id: sentence_spans(a) for a in analyses}
    groups = [
        ClaimGroupOut(status=g.status, why=g.why, outlets=g.outlets, claims=[_ref(c, spans) for c in g.claims])
        for g in story.groups
    ]
    order = {"divergent": 0, "corroborated": 1, "single-source": 2}
    groups.sort(key=lambda g: (order.get(g.status, 3), -len(g.outlets)))
    related = [
        RelatedPairOut(relation=p.relation, why=p.why, score=p.score, a=_ref(p.a, spans), b=_ref(p.b, spans))
        for p in story.related
    ]
    timeline = [
        TimelineEventOut(
            **{
                k: getattr(e, k)
                for k in ("date", "value", "timex", "anchored", "text", "article_id", "outlet", "start", "end")
            },
            anchor=_anchor_for(spans, e.article_id, e.start),
        )
        for e in story.timeline
    ]
    key_facts = [
        KeyFactOut(
            statement=_ref(f.statement, spans),
            outlets=f.outlets,
            count=f.count,
            claims=[_ref(c, spans) for c in f.claims],
        )
        for f in story.key_facts
    ]
    disagreements = [
        DisagreementOut(slot=d.slot, why=d.why, claims=[_ref(v.claim, spans) for v in d.values])
        for d in story.disagreements
    ]
    quotes = [
        QuoteOut(article_id=a.article.id, outlet=outlet_name(a), speaker=q.speaker.name if q.speaker else None, quote=q)
        for a in analyses
        for q in a.quotes
    ]
    entities = story_entities(analyses)
    detail = StoryDetail(
        id=story.id,
        title=story.title,
        articles=[article_summary(a) for a in analyses],
        entities=[StoryEntityOut(name=n, outlets=k, mentions=m) for n, k, m in entities],
        timeline=timeline,
        groups=groups,
        related=related,
        quotes=quotes,
        key_facts=key_facts,
        disagreements=disagreements,
        notes=story.notes,
    )
    top = entities[:16]
    names = [n for n, _k, _m in top]
    graph = entity_graph_svg([(n, m) for n, _k, m in top], cooccurrence(analyses, names))
    chart = timeline_svg([{**e.model_dump(mode="json"), "anchor": e.anchor} for e in timeline])
    return StoryView(detail=detail, analyses=list(analyses), timeline_svg=chart, graph_svg=graph)


def article_detail(store: Store, article_id: str) -> tuple[ArticleDetail, Analysis]:
    analysis = store.get_analysis(article_id)
    if analysis is None:
        raise NotFound(f"no article {article_id!r}")
    a = analysis.article
    story_id = store.article_story(article_id)
    story_title = next((s.title for s in store.list_stories() if s.id == story_id), None) if story_id else None
    article = ArticleOut(
        id=a.id,
        source=a.source,
        outlet=a.outlet,
        url=a.url,
        language=a.language,
        title=a.title,
        standfirst=a.standfirst,
        published=a.published,
        body=a.body,
        text=a.text,
        dropped=a.dropped,
    )
    detail = ArticleDetail(
        article=article,
        story_id=story_id,
        story_title=story_title,
        sentences=analysis.sentences,
        entities=analysis.entities,
        quotes=analysis.quotes,
        timexes=analysis.timexes,
        claims=analysis.claims,
    )
    return detail, analysis


def entity_list(store: Store) -> list[EntityOut]:
    return [EntityOut.model_validate(e, from_attributes=True) for e in store.get_entities()]


def entity_detail(store: Store, entity_id: str) -> EntityDetail:
    """Every mention of an entity with its sentence, grouped by story."""
    record = next((e for e in store.get_entities() if e.entity_id == entity_id), None)
    pairs = store.entity_mentions(entity_id)
    if record is None and not pairs:
        raise NotFound(f"no entity {entity_id!r}")
    if record is None:
        first = pairs[0][1]
        entity = EntityOut(
            entity_id=entity_id, canonical=first.canonical, label=first.label, aliases=[], mentions=len(pairs)
        )
    else:
        entity = EntityOut.model_validate(record, from_attributes=True)
    limit = page_limits().entity_mentions_limit
    shown = pairs[:limit]
    article_ids = list(dict.fromkeys(article.id for article, _m in shown))
    sentences = {a.article.id: a.sentences for a in store.iter_analyses(article_ids)}
    story_of = {aid: store.article_story(aid) for aid in article_ids}
    titles = {s.id: s.title for s in store.list_stories()}
    mentions: list[MentionContext] = []
    per_story: dict[str, int] = {}
    for article, m in shown:
        sentence = next((s for s in sentences.get(article.id, []) if s.start <= m.start < s.end), None)
        s_start, s_text = (sentence.start, sentence.text) if sentence else (m.start, m.text)
        story_id = story_of.get(article.id)
        if story_id:
            per_story[story_id] = per_story.get(story_id, 0) + 1
        mentions.append(
            MentionContext(
                article_id=article.id,
                article_title=article.title,
                outlet=article.outlet,
                published=article.published,
                story_id=story_id,
                start=m.start,
                end=m.end,
                text=m.text,
                sentence=s_text,
                sentence_start=s_start,
                anchor=sentence_anchor(article.id, s_start),
            )
        )
    stories = [
        EntityStory(id=sid, title=titles.get(sid, sid), mentions=n)
        for sid, n in sorted(per_story.items(), key=lambda kv: -kv[1])
    ]
    return EntityDetail(entity=entity, stories=stories, mentions=mentions, truncated=len(pairs) > len(shown))
