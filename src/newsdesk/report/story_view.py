"""The typed story view: one record of a story that the Markdown brief, the HTML brief,
``newsdesk brief --format json``, the web page and the API all render.

Why one record: the choices an analyst relies on (which facts are key, what counts as
a disagreement, how single-source claims rank, what an article's sourcing looks like)
must be the same on every surface, so they are made once here. Records are dataclasses
(``GroupStatus`` enum, timeline events, claim pairs), never loose dicts; ``to_dict``
gives the JSON shape of ``schema/brief.schema.json``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from newsdesk.compare.lexicon import TOKEN, load_config, stop_words
from newsdesk.compare.related import ClaimPair
from newsdesk.model import Analysis, ClaimGroup, ClaimRef, GroupStatus


@dataclass
class StorylineEvent:
    """One event (story) of the storyline a story belongs to."""

    id: str
    title: str
    first_published: date | None
    article_count: int


@dataclass
class StorylineView:
    """The ongoing matter a story is one event of: its title and its events, oldest first."""

    id: str
    title: str
    events: list[StorylineEvent] = field(default_factory=list)

    @classmethod
    def from_summary(cls, summary: dict[str, Any]) -> StorylineView | None:
        """From ``Store.storyline_summary`` (empty when the story stands alone)."""
        if not summary:
            return None
        return cls(
            id=str(summary["id"]),
            title=str(summary["title"] or ""),
            events=[
                StorylineEvent(str(e["id"]), str(e["title"] or ""), e["first_published"], int(e["article_count"]))
                for e in summary["events"]
            ],
        )


@dataclass
class TimelineEvent:
    """A time expression resolved to a calendar date, with the sentence it sits in."""

    date: str
    value: str | None
    heading: str
    period: str  # "timeline" (inside the story's window) or "background"
    timex: str
    anchored: bool
    text: str
    article_id: str
    outlet: str
    start: int
    end: int

    def __getitem__(self, key: str) -> Any:  # the SVG chart and templates read events by key
        return getattr(self, key)

    def get(self, key: str, default: Any = None) -> Any:
        return getattr(self, key, default)


@dataclass
class SourcingProfile:
    """Where an article's claims come from, as shares of its claims."""

    claims: int
    on_record: float  # a named speaker
    anonymous: float  # an unnamed source ("officials said")
    second_hand: float  # another outlet's reporting ("Reuters reported")
    own_voice: float  # the outlet's own assertion


@dataclass
class ArticleView:
    id: str
    outlet: str
    title: str | None
    url: str | None
    published: date | None
    opinion: bool
    sourcing: SourcingProfile


@dataclass
class KeyFact:
    """A statement most outlets carry: one representative sentence, the outlets that
    state it, and every sentence that does (with links)."""

    statement: ClaimRef
    outlets: list[str]
    count: int
    claims: list[ClaimRef]


@dataclass
class DisagreementValue:
    outlet: str
    value: str
    shown: str
    claim: ClaimRef
    resolved_by_newsdesk: bool = False


@dataclass
class Disagreement:
    """One slot of one fact given different values by different outlets."""

    slot: str
    why: str
    values: list[DisagreementValue]


@dataclass
class QuoteLine:
    outlet: str
    kind: str
    text: str
    article_id: str
    start: int
    end: int
    channel: str | None = None
    addressee: str | None = None


@dataclass
class SpeakerQuotes:
    speaker: str
    outlets: int
    quotes: list[QuoteLine]


@dataclass
class RankedClaim:
    claim: ClaimRef
    score: float
    reasons: list[str]


@dataclass
class OutletClaims:
    """An outlet's single-source claims, best first, with how many were left out."""

    outlet: str
    claims: list[RankedClaim]
    omitted: int = 0


@dataclass
class StoryView:
    id: str
    title: str
    article_ids: list[str]
    articles: list[ArticleView] = field(default_factory=list)
    key_facts: list[KeyFact] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)
    who_said_what: list[SpeakerQuotes] = field(default_factory=list)
    timeline: list[TimelineEvent] = field(default_factory=list)
    single_source: list[OutletClaims] = field(default_factory=list)
    related: list[ClaimPair] = field(default_factory=list)
    groups: list[ClaimGroup] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    storyline: StorylineView | None = None


def _content_words(text: str) -> int:
    stop = stop_words()
    return sum(1 for t in TOKEN.findall(text) if t.lower() not in stop and not t[0].isdigit() and len(t) > 1)


def is_opinion(analysis: Analysis) -> bool:
    """An opinion piece by URL path segment ("/opinion/") or title label ("Opinion:")."""
    cfg = load_config()["opinion"]
    article = analysis.article
    if article.url:
        parts = {p.lower() for p in urlsplit(article.url).path.split("/") if p}
        if parts & set(cfg["url_parts"]):
            return True
    title = (article.title or "").strip().lower()
    return any(title.startswith(label) for label in cfg["title_labels"])


def _is_media(source: str) -> bool:
    media = load_config()["sourcing"]["media"]
    words = " " + " ".join(w.lower() for w in TOKEN.findall(source)) + " "
    return any(f" {m} " in words for m in media)


def sourcing_profile(analysis: Analysis) -> SourcingProfile:
    """Shares of an article's claims by source: named speaker (on the record), unnamed
    source, another outlet (second-hand), the outlet's own voice."""
    counts = {"on_record": 0, "anonymous": 0, "second_hand": 0, "own_voice": 0}
    for c in analysis.claims:
        if c.source_kind != "outlet" and _is_media(c.source or ""):
            counts["second_hand"] += 1
        elif c.source_kind == "speaker":
            counts["on_record"] += 1
        elif c.source_kind == "unnamed":
            counts["anonymous"] += 1
        else:
            counts["own_voice"] += 1
    n = len(analysis.claims)
    share = {k: round(v / n, 3) if n else 0.0 for k, v in counts.items()}
    return SourcingProfile(claims=n, **share)


def _paragraph_of(analysis: Analysis, start: int) -> int:
    for s in analysis.sentences:
        if s.start <= start < s.end:
            return s.paragraph
    return 99


def rank_single_source(
    groups: Sequence[ClaimGroup], analyses: Sequence[Analysis], outlet_of: dict[str, str]
) -> list[OutletClaims]:
    """Each outlet's single-source claims ranked by lead position, a named source and
    numbers; fragments (fewer than ``brief.min_words`` content words) left out."""
    cfg = load_config()["brief"]
    by_id = {a.article.id: a for a in analyses}
    claim_at = {(a.article.id, c.start): c for a in analyses for c in a.claims}
    per_outlet: dict[str, list[RankedClaim]] = {}
    omitted: dict[str, int] = {}
    for g in groups:
        if g.status != GroupStatus.SINGLE_SOURCE:
            continue
        for ref in g.claims:
            outlet = outlet_of.get(ref.article_id, ref.outlet or "")
            if _content_words(ref.text) < int(cfg["min_words"]):
                omitted[outlet] = omitted.get(outlet, 0) + 1
                continue
            analysis = by_id.get(ref.article_id)
            para = _paragraph_of(analysis, ref.start) if analysis else 99
            reasons, score = [], 0.0
            if para <= int(cfg["lead_paragraphs"]):
                score += 2.0 - 0.3 * para
                reasons.append("headline" if para == 0 else "lead")
            claim = claim_at.get((ref.article_id, ref.start))
            if claim is not None and claim.source_kind == "speaker":
                score += 1.0
                reasons.append(f"named source: {claim.source}")
            if any(ch.isdigit() for ch in ref.text):
                score += 0.5
                reasons.append("numbers")
            per_outlet.setdefault(outlet, []).append(RankedClaim(ref, round(score, 2), reasons))
    out = []
    limit = int(cfg["single_source_per_outlet"])
    for outlet in dict.fromkeys(outlet_of.values()):
        ranked = sorted(per_outlet.get(outlet, []), key=lambda r: (-r.score, r.claim.start))
        if ranked or omitted.get(outlet):
            out.append(OutletClaims(outlet, ranked[:limit], omitted.get(outlet, 0) + max(0, len(ranked) - limit)))
    return out


def key_facts(groups: Sequence[ClaimGroup], analyses: Sequence[Analysis]) -> list[KeyFact]:
    """The corroborated facts carried by the most outlets (ties: earliest in the
    articles), each with a representative sentence: the shortest full statement among
    its body sentences, else its headline."""
    limit = int(load_config()["brief"]["key_facts"])
    order = {a.article.id: i for i, a in enumerate(analyses)}
    section = {a.article.id: a.article for a in analyses}
    facts = []
    for g in groups:
        if g.status != GroupStatus.CORROBORATED:
            continue
        first = min((order.get(r.article_id, 0), r.start) for r in g.claims)
        body = [r for r in g.claims if r.article_id in section and section[r.article_id].section_at(r.start) == "body"]
        pool = [r for r in body if _content_words(r.text) >= 5] or body or list(g.claims)
        statement = min(pool, key=lambda r: (len(r.text), r.start))
        facts.append((-len(g.outlets), first[1], KeyFact(statement, list(g.outlets), len(g.outlets), list(g.claims))))
    facts.sort(key=lambda t: (t[0], t[1]))
    return [f for _a, _b, f in facts[:limit]]
