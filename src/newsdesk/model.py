"""Plain records that flow between pipeline stages.

Every stage takes and returns these dataclasses (never spaCy objects), so the
store, the Ray path and the renderers only ever see plain data. Every span
carries character offsets into ``Article.text``, the analysed text: title,
standfirst and cleaned body joined by blank lines, so ``article.text[start:end]``
is the span's text. (DESIGN.md says "offsets into the body"; we include the title
and standfirst because headlines carry claims analysts compare across outlets.) ``to_dict``/``from_dict`` give the JSON shape documented in
``schema/article.schema.json``.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any, Literal

QuoteKind = Literal["direct", "partial", "reported"]
TimexType = Literal["DATE", "TIME", "DURATION", "SET"]
Certainty = Literal["asserted", "hedged", "reported", "denied"]
SourceKind = Literal["outlet", "speaker", "unnamed", "author"]
ArticleKind = Literal["news", "opinion", "analysis", "wire"]
# How an attribution is made: quoted words (direct, partial, mixed: quote marks inside
# a paraphrase), a paraphrase after a verb (indirect), a noun cue ("X's claim that"),
# a belief/intention/feeling ("X fears that"), a question ("X asked whether"), or an
# embedded post (the account is the source), or a stance with an object as content
# ("X criticized the plan": no words reported, never a quote). The cue span tells
# "said" from "according to".
AttributionKind = Literal[
    "direct", "partial", "mixed", "indirect", "nominal", "cognition", "question", "post", "stance"
]


class GroupStatus(str, Enum):
    """How outlets stand on a fact: two or more state it, one does, or they give one of
    its slots different values. A str enum, so it compares equal to (and serialises as)
    its value."""

    CORROBORATED = "corroborated"
    SINGLE_SOURCE = "single-source"
    DIVERGENT = "divergent"

    def __str__(self) -> str:
        return self.value


@dataclass
class RawArticle:
    """What a reader yields before cleaning: text plus whatever metadata the format had.

    ``text`` is plain text with paragraphs separated by blank lines (HTML readers
    have already extracted the main content). ``source`` names the file, plus
    ``#N`` for the N-th record of a multi-record file (JSONL line, WARC record).
    ``dropped`` holds lines a reader already removed (e.g. HTML boilerplate).
    ``standfirst`` is the summary under the headline when the format marks one
    (an HTML dek element or a body paragraph matching the page description); it
    is not part of ``text``.
    """

    source: str
    text: str
    format: str = "text"
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    language: str | None = None
    published: date | None = None
    dropped: list[DroppedLine] = field(default_factory=list)
    standfirst: str | None = None


@dataclass
class DroppedLine:
    """A line removed by cleaning, kept so an analyst can audit what was cut and why."""

    text: str
    reason: str


@dataclass
class Article:
    """A cleaned article. ``id`` is a content hash of the cleaned body and title."""

    id: str
    source: str
    body: str
    outlet: str | None = None
    url: str | None = None
    language: str | None = None
    title: str | None = None
    standfirst: str | None = None
    published: date | None = None
    dropped: list[DroppedLine] = field(default_factory=list)
    # Byline and kind (news, opinion, analysis, wire) where the source marks them; the
    # author of an opinion piece is the source of its unattributed claims.
    author: str | None = None
    kind: ArticleKind = "news"

    @property
    def text(self) -> str:
        """Title, standfirst and body joined by blank lines: what the analyzer reads."""
        return "\n\n".join(part for part in (self.title, self.standfirst, self.body) if part)

    @property
    def body_offset(self) -> int:
        """Offset of ``body`` inside ``text``."""
        return len(self.text) - len(self.body)

    def section_at(self, offset: int) -> str:
        """Which part of ``text`` an offset falls in: title, standfirst or body."""
        if offset >= self.body_offset:
            return "body"
        if self.title and offset < len(self.title):
            return "title"
        return "standfirst"

    @staticmethod
    def content_id(title: str | None, body: str) -> str:
        """Stable id: the same cleaned text always gets the same id (idempotent ingest)."""
        digest = hashlib.sha256(((title or "") + "\n\n" + body).encode("utf-8"))
        return digest.hexdigest()[:16]


@dataclass
class Sentence:
    """A sentence of ``Article.text``; ``paragraph`` counts blank-line-separated
    paragraphs from 0 (the title), ``section`` is title, standfirst or body."""

    start: int
    end: int
    text: str
    paragraph: int
    section: str = "body"


@dataclass
class EntityMention:
    """A named-entity mention. ``canonical`` is the one name used for the real thing
    (``Kadyrov`` -> ``Ramzan Kadyrov``); ``entity_id`` is shared by every mention of it.
    ``label`` uses spaCy's scheme (PERSON, ORG, GPE, LOC, NORP, ...)."""

    start: int
    end: int
    text: str
    label: str
    canonical: str
    entity_id: str


@dataclass
class Speaker:
    """Who a quote is attributed to: a named entity or a descriptor ("one woman in Grozny").

    ``start``/``end`` point at the mention the attribution was resolved to (for a
    pronoun, its antecedent), or are None when there is no span to point at."""

    name: str
    start: int | None = None
    end: int | None = None
    entity_id: str | None = None
    descriptor: bool = False


@dataclass
class Quote:
    """Quoted or reported speech. ``start``/``end`` cover the quoted words only
    (without the marks); a quote may run over several paragraphs."""

    start: int
    end: int
    text: str
    kind: QuoteKind
    speaker: Speaker | None = None
    cue: str | None = None
    channel: str | None = None
    addressee: str | None = None
    paragraphs: int = 1


@dataclass
class Span:
    """A stretch of ``Article.text``."""

    start: int
    end: int
    text: str


@dataclass
class Attribution:
    """Who said (or believes, wants, found) what: the source, the cue and the content,
    each a span of ``Article.text``, made once per article by the attribution step and
    read by both quotes and claims, so a sentence's claim and its quote always name the
    same source. ``speaker`` is the resolved source (a pronoun's antecedent, a
    canonical name, a descriptor); ``source`` is where the text names it, as written
    (appositions included; a quote continuing the previous speaker's points at where
    that speaker was named; None when no mention is found).
    ``anonymous`` marks unnamed sources ("officials", "a person familiar with");
    ``channel`` (the medium: "on Twitter", "told Fox News"), ``addressee`` (who was
    told) and ``affiliation`` (the source's employer: "a fellow at the Council") are
    kept apart. ``negated``: "refused to concede that ..." reports no statement of the
    content, it is kept so a reader sees what was refused."""

    kind: AttributionKind
    content: Span
    cue: Span | None = None
    source: Span | None = None
    speaker: Speaker | None = None
    anonymous: bool = False
    channel: str | None = None
    addressee: str | None = None
    affiliation: str | None = None
    negated: bool = False
    # A discontinuous content ("“We will win,” she said. “And we will govern.”") lists
    # its quoted pieces here; ``content`` then covers them all, trailer included.
    content_parts: list[Span] = field(default_factory=list)


@dataclass
class Timex:
    """A time expression with a TIMEX3-style value (``2022-09-21``, ``XXXX-02-24``,
    ``2022-09-W01``, ``P3D``). ``anchored`` is True when the value was resolved
    against the publication date."""

    start: int
    end: int
    text: str
    type: TimexType
    value: str | None
    anchored: bool = False


@dataclass
class Claim:
    """A sentence-level claim with who stands behind it and how firmly."""

    start: int
    end: int
    text: str
    source: str
    source_kind: SourceKind
    certainty: Certainty
    cues: list[str] = field(default_factory=list)
    summary: str | None = None


@dataclass
class Analysis:
    """Everything the analyze stage found in one article."""

    article: Article
    sentences: list[Sentence] = field(default_factory=list)
    entities: list[EntityMention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    timexes: list[Timex] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)


@dataclass
class ClaimRef:
    """A claim inside a story, pointing back at its exact source sentence."""

    article_id: str
    outlet: str | None
    start: int
    end: int
    text: str


@dataclass
class ClaimGroup:
    claims: list[ClaimRef]
    outlets: list[str]
    status: GroupStatus
    why: str


@dataclass
class Story:
    id: str
    title: str
    article_ids: list[str]
    entities: list[str] = field(default_factory=list)
    timeline: list[dict[str, Any]] = field(default_factory=list)
    groups: list[ClaimGroup] = field(default_factory=list)
    # Pairs of claims from different outlets that share entities and a topic but are
    # not the same statement: {"relation": "tension" | "related", "why", "score", "a", "b"}
    # with "a"/"b" ClaimRef dicts (added by compare; optional, defaults to empty).
    related: list[dict[str, Any]] = field(default_factory=list)
    # The storyline the story (an event) belongs to, when it has other events:
    # {"id", "title", "events": [{"id", "title", "first_published", "article_count"}]}.
    storyline: dict[str, Any] = field(default_factory=dict)


def to_dict(record: Any) -> Any:
    """JSON-ready dict of a record (dates as ISO strings)."""
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        return {f.name: to_dict(getattr(record, f.name)) for f in dataclasses.fields(record)}
    if isinstance(record, list | tuple):
        return [to_dict(x) for x in record]
    if isinstance(record, dict):
        return {k: to_dict(v) for k, v in record.items()}
    if isinstance(record, date):
        return record.isoformat()
    if isinstance(record, Enum):
        return record.value
    return record


def article_from_dict(data: dict[str, Any]) -> Article:
    """Inverse of ``to_dict`` for an Article (used by the store and the Ray path)."""
    fields = dict(data)
    fields["dropped"] = [DroppedLine(**d) for d in fields.get("dropped", [])]
    if fields.get("published"):
        fields["published"] = date.fromisoformat(str(fields["published"])[:10])
    return Article(**fields)


def analysis_from_dict(data: dict[str, Any]) -> Analysis:
    """Inverse of ``to_dict`` for an Analysis."""

    def quote(q: dict[str, Any]) -> Quote:
        q = dict(q)
        q["speaker"] = Speaker(**q["speaker"]) if q.get("speaker") else None
        return Quote(**q)

    return Analysis(
        article=article_from_dict(data["article"]),
        sentences=[Sentence(**s) for s in data.get("sentences", [])],
        entities=[EntityMention(**e) for e in data.get("entities", [])],
        quotes=[quote(q) for q in data.get("quotes", [])],
        timexes=[Timex(**t) for t in data.get("timexes", [])],
        claims=[Claim(**c) for c in data.get("claims", [])],
        attributions=[attribution_from_dict(a) for a in data.get("attributions", [])],
    )


def attribution_from_dict(data: dict[str, Any]) -> Attribution:
    """Inverse of ``to_dict`` for an Attribution."""
    fields = dict(data)
    for key in ("content", "cue", "source"):
        if fields.get(key) is not None:
            fields[key] = Span(**fields[key])
    fields["content_parts"] = [Span(**p) for p in fields.get("content_parts", [])]
    fields["speaker"] = Speaker(**fields["speaker"]) if fields.get("speaker") else None
    return Attribution(**fields)
