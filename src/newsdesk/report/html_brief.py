"""Self-contained HTML story brief: one file, no network, every claim one click from
its source sentence.

Why this shape: a fact-checker opens the brief offline, sometimes from an untrusted
corpus. Jinja2 autoescape is ON (article text can never become markup), CSS is
inline, there is no JavaScript, and charts are inline SVG built in ``svg.py``. Each
claim links to ``#a<N>-<start>-<end>``, a ``<mark>`` around the exact sentence in the
article's own section further down the page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from newsdesk.compare import outlet_name
from newsdesk.model import Analysis, to_dict
from newsdesk.report.brief import (
    cooccurrence,
    quotes_by_speaker,
    story_entities,
    timeline_days,
)
from newsdesk.report.story_view import StoryView
from newsdesk.report.svg import entity_graph_svg, timeline_svg
from newsdesk.safetext import html_finalize

__all__ = ["article_segments", "render_brief_html"]

_STATUS_SECTIONS = (
    ("divergent", "Divergent claims", "Outlets report the same statement differently."),
    ("corroborated", "Corroborated claims", "The same statement in two or more outlets."),
    ("single-source", "Single-source claims", "Only one outlet reports these."),
)


@cache
def _env() -> Environment:
    return Environment(
        loader=PackageLoader("newsdesk.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=html_finalize,  # bidi overrides in article text never reach the page
    )


def mark_id(article_index: int, start: int, end: int) -> str:
    return f"a{article_index}-{start}-{end}"


def article_segments(text: str, marks: Iterable[tuple[int, int]], article_index: int) -> list[list[dict[str, Any]]]:
    """Paragraphs of ``text`` as lists of segments {text, mark_id}; marked spans
    (claim sentences) carry the id the claim links point at. Overlapping marks keep
    the earlier one; a mark crossing a paragraph break continues unlabelled."""
    chosen: list[tuple[int, int]] = []
    for start, end in sorted(set(marks)):
        if start >= end or (chosen and start < chosen[-1][1]):
            continue
        chosen.append((start, end))
    paragraphs: list[list[dict[str, Any]]] = []
    pos = 0
    for para in text.split("\n\n"):
        p_start, p_end = pos, pos + len(para)
        pos = p_end + 2
        segments: list[dict[str, Any]] = []
        cursor = p_start
        for start, end in chosen:
            if end <= p_start or start >= p_end:
                continue
            s, e = max(start, p_start), min(end, p_end)
            if s > cursor:
                segments.append({"text": text[cursor:s], "mark": None, "id": None})
            segments.append(
                {"text": text[s:e], "mark": True, "id": mark_id(article_index, start, end) if s == start else None}
            )
            cursor = e
        if cursor < p_end:
            segments.append({"text": text[cursor:p_end], "mark": None, "id": None})
        paragraphs.append(segments)
    return paragraphs


def render_brief_html(story: StoryView, analyses: Sequence[Analysis]) -> str:
    """The brief as one HTML page (inline CSS and SVG, no scripts, no external assets)."""
    index = {a.article.id: i for i, a in enumerate(analyses, start=1)}
    marks: dict[str, set[tuple[int, int]]] = {a.article.id: set() for a in analyses}

    def link(ref: Any) -> dict[str, Any]:
        r = ref if isinstance(ref, dict) else to_dict(ref)
        n = index.get(r["article_id"])
        if n is not None:
            marks[r["article_id"]].add((r["start"], r["end"]))
        return {**r, "href": f"#{mark_id(n, r['start'], r['end'])}" if n else None, "article_n": n}

    sections = []
    for status, heading, blurb in _STATUS_SECTIONS:
        groups = [
            {"why": g.why, "outlets": g.outlets, "claims": [link(c) for c in g.claims]}
            for g in story.groups
            if g.status == status
        ]
        sections.append({"status": status, "heading": heading, "blurb": blurb, "groups": groups})
    related = [{**to_dict(p), "a": link(p.a), "b": link(p.b)} for p in story.related]
    key_facts = [
        {
            "statement": fact.statement.text,
            "count": fact.count,
            "outlets": fact.outlets,
            "claims": [link(c) for c in fact.claims],
        }
        for fact in story.key_facts
    ]
    disagreements = [{"why": d.why, "claims": [link(v.claim) for v in d.values]} for d in story.disagreements]
    events = []
    for e in story.timeline:
        linked = link(e)
        events.append({**linked, "anchor": linked["href"][1:] if linked["href"] else None})
    days = timeline_days(events)
    background = timeline_days(events, "background")

    entities = story_entities(analyses, limit=16)
    names = [n for n, _k, _m in entities]
    graph = entity_graph_svg([(n, m) for n, _k, m in entities], cooccurrence(analyses, names))
    chart = timeline_svg(events)

    speakers = [
        {"name": name, "rows": rows, "outlets": len({r["outlet"] for r in rows})}
        for name, rows in quotes_by_speaker(analyses)
    ]
    articles = [
        {
            "n": index[a.article.id],
            "article": a.article,
            "outlet": outlet_name(a),
            "paragraphs": article_segments(a.article.text, marks[a.article.id], index[a.article.id]),
        }
        for a in analyses
    ]
    template = _env().get_template("brief.html.j2")
    return template.render(
        story=story,
        outlets=list(dict.fromkeys(outlet_name(a) for a in analyses)),
        articles=articles,
        entities=entities,
        events=events,
        days=days,
        background=background,
        speakers=speakers,
        sections=sections,
        related=related,
        key_facts=key_facts,
        disagreements=disagreements,
        notes=story.notes,
        graph_svg=Markup(graph),  # built from escaped parts in svg.py
        timeline_svg=Markup(chart),
    )
