"""Split an article's text into escaped-by-the-template segments for highlighting.

Why segments, not HTML: article text is untrusted. Highlights are computed as
character intervals from the Analysis offsets (sentences, entities, time
expressions, quotes) and handed to the template as plain strings with class
names; Jinja2's autoescape writes every character of article text as text, so
no span boundary, however odd, can ever create markup.

Every sentence becomes an element with id ``s-{article_id}-{start}``: claim
badges on the story page point at these ids.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from urllib.parse import quote

from newsdesk.model import Analysis
from newsdesk.web.deps import legend_class


@dataclass
class Segment:
    """A run of text with the same highlights; ``href`` links an entity mention."""

    text: str
    classes: list[str] = field(default_factory=list)
    tip: str | None = None
    href: str | None = None


@dataclass
class Block:
    """A sentence (``id`` set) or the text between sentences (``id`` None)."""

    id: str | None
    classes: list[str]
    segments: list[Segment]


@dataclass
class Paragraph:
    section: str
    blocks: list[Block]


@dataclass(frozen=True)
class _Mark:
    start: int
    end: int
    kind: str  # ent | tx | q
    classes: tuple[str, ...]
    tip: str
    href: str | None = None


def sentence_anchor(article_id: str, start: int) -> str:
    """The element id of the sentence starting at ``start``."""
    return f"s-{article_id}-{start}"


def entity_href(entity_id: str) -> str:
    return "/entities/" + quote(entity_id, safe=":")


def sentence_spans(analysis: Analysis) -> list[tuple[int, int]]:
    """Non-overlapping sentence spans, plus claim spans no sentence covers
    (so every claim has an anchor to jump to)."""
    spans: list[tuple[int, int]] = []
    for s in sorted(analysis.sentences, key=lambda s: (s.start, -s.end)):
        if s.start < s.end and (not spans or s.start >= spans[-1][1]):
            spans.append((s.start, s.end))
    for c in sorted(analysis.claims, key=lambda c: c.start):
        if containing_sentence(spans, c.start) is None:
            overlaps = any(a < c.end and c.start < b for a, b in spans)
            if not overlaps and c.start < c.end:
                spans.append((c.start, c.end))
                spans.sort()
    return spans


def containing_sentence(spans: list[tuple[int, int]], offset: int) -> tuple[int, int] | None:
    """The span of ``spans`` (sorted) that contains ``offset``."""
    i = bisect_right(spans, (offset, float("inf"))) - 1
    if i >= 0 and spans[i][0] <= offset < spans[i][1]:
        return spans[i]
    return None


def _marks(analysis: Analysis) -> list[_Mark]:
    marks: list[_Mark] = []
    for e in analysis.entities:
        group = legend_class(e.label)
        marks.append(
            _Mark(e.start, e.end, "ent", ("ent", f"ent-{group}"), f"{e.label}: {e.canonical}", entity_href(e.entity_id))
        )
    for t in analysis.timexes:
        marks.append(_Mark(t.start, t.end, "tx", ("tx",), f"{t.type} {t.value or '?'}"))
    for q in analysis.quotes:
        who = q.speaker.name if q.speaker else "unattributed"
        marks.append(_Mark(q.start, q.end, "q", ("q", f"q-{q.kind}"), f"{q.kind} quote: {who}"))
    return [m for m in marks if m.start < m.end]


def highlight_article(analysis: Analysis) -> list[Paragraph]:
    """The article's text as paragraphs of sentence blocks of highlighted segments."""
    article = analysis.article
    text = article.text
    spans = sentence_spans(analysis)
    claim_at: dict[tuple[int, int], str] = {}
    for c in analysis.claims:
        span = containing_sentence(spans, c.start)
        if span is not None:
            claim_at.setdefault(span, c.certainty)
    marks = _marks(analysis)
    cuts = {0, len(text)}
    for a, b in spans:
        cuts.update((a, b))
    for m in marks:
        cuts.update((m.start, m.end))
    paragraphs: list[Paragraph] = []
    pos = 0
    for raw in text.split("\n\n"):
        p_start, p_end = pos, pos + len(raw)
        pos = p_end + 2
        if not raw.strip():
            continue
        points = sorted({p_start, p_end, *(c for c in cuts if p_start < c < p_end)})
        blocks: list[Block] = []
        current: tuple[int, int] | None | str = "start"
        for a, b in zip(points, points[1:]):
            span = containing_sentence(spans, a)
            segment = _segment(text, a, b, marks)
            if blocks and span == current:
                blocks[-1].segments.append(segment)
                continue
            current = span
            classes = ["sent"] if span else []
            if span and span in claim_at:
                classes += ["claim", f"claim-{claim_at[span]}"]
            # A sentence crossing a paragraph break keeps its id on its first part only.
            block_id = sentence_anchor(article.id, span[0]) if span and span[0] >= p_start else None
            blocks.append(Block(block_id, classes, [segment]))
        paragraphs.append(Paragraph(article.section_at(p_start), blocks))
    return paragraphs


def _segment(text: str, a: int, b: int, marks: list[_Mark]) -> Segment:
    """The segment [a, b): classes of every mark covering it, the first entity's link."""
    classes: list[str] = []
    tips: list[str] = []
    href = None
    seen_kinds: set[str] = set()
    for m in marks:
        if m.start <= a and b <= m.end and m.kind not in seen_kinds:
            seen_kinds.add(m.kind)
            classes.extend(m.classes)
            tips.append(m.tip)
            if m.href and href is None:
                href = m.href
    return Segment(text[a:b], classes, "; ".join(tips) or None, href)
