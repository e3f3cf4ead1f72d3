"""Markdown story brief: what a journalist pastes into a note or a ticket.

Every claim line carries the outlet, the exact sentence in quotes, the article id
and the character offsets, so any line can be checked against its source without
the tool. Article text is one-lined and ``<`` is escaped so that a sentence never
turns into live HTML in a Markdown viewer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from newsdesk.compare import outlet_name
from newsdesk.model import Analysis, ClaimGroup, ClaimRef, Story
from newsdesk.report.brief import (
    cooccurrence,
    quotes_by_speaker,
    story_entities,
    timeline_days,
)

__all__ = ["render_brief_markdown"]

_WS = re.compile(r"\s+")
_STATUS_TITLES = (
    ("divergent", "Divergent claims", "Outlets report the same statement differently."),
    ("corroborated", "Corroborated claims", "The same statement in two or more outlets."),
)


def md_text(text: str) -> str:
    """One line, with ``<`` escaped (no raw HTML from article bodies)."""
    return _WS.sub(" ", text).strip().replace("<", "&lt;")


def _ref_line(ref: ClaimRef | dict[str, Any], indent: str = "- ") -> str:
    r = ref if isinstance(ref, dict) else ref.__dict__
    return (
        f"{indent}**{md_text(r['outlet'] or 'unknown outlet')}**: “{md_text(r['text'])}” "
        f"(`{r['article_id']}` {r['start']}–{r['end']})"
    )


def _group_lines(groups: list[ClaimGroup]) -> list[str]:
    lines: list[str] = []
    for g in groups:
        lines.append(f"- {md_text(g.why)}")
        lines.extend(_ref_line(ref, "  - ") for ref in g.claims)
    return lines


def render_brief_markdown(story: Story, analyses: Sequence[Analysis]) -> str:
    """The brief as Markdown, in the order a fact-checker works: articles, divergent,
    corroborated, single-source and related claims, then the timeline (by day) and
    background dates, who said what (by speaker), key and co-occurring entities."""
    outlets = list(dict.fromkeys(outlet_name(a) for a in analyses))
    out = [f"# {md_text(story.title)}", ""]
    out.append(
        f"Story `{story.id}`: {len(analyses)} article(s) from {len(outlets)} outlet(s): "
        f"{', '.join(md_text(o) for o in outlets)}."
    )
    if story.storyline:
        events = story.storyline["events"]
        out.append("")
        out.append(
            f"Part of the storyline *{md_text(story.storyline['title'])}* ({len(events)} events): "
            + "; ".join(
                f"{md_text(e['title'])} ({e['first_published'].isoformat() if e['first_published'] else 'undated'}"
                f"{', this story' if e['id'] == story.id else ''})"
                for e in events
            )
            + "."
        )
    out += ["", "## Articles", ""]
    for a in analyses:
        art = a.article
        meta = ", ".join(
            x for x in (f"`{art.id}`", art.published.isoformat() if art.published else "", art.url or "") if x
        )
        out.append(f"- **{md_text(outlet_name(a))}**: {md_text(art.title or '(no title)')} ({meta})")

    entities = story_entities(analyses, limit=20)

    for status, heading, blurb in _STATUS_TITLES:
        groups = [g for g in story.groups if g.status == status]
        out += ["", f"## {heading} ({len(groups)})", "", blurb, ""]
        out += _group_lines(groups) or ["None."]

    singles = [g for g in story.groups if g.status == "single-source"]
    out += ["", f"## Single-source claims ({len(singles)})", "", "Only one outlet reports these.", ""]
    for outlet in outlets:
        refs = [r for g in singles if g.outlets == [outlet] for r in g.claims]
        if refs:
            out += [f"### {md_text(outlet)}", ""]
            out += [_ref_line(r) for r in refs]
            out.append("")

    out += ["", f"## Related claims ({len(story.related)})", ""]
    out.append("Claims from different outlets about the same entities and topic that are not the same statement.")
    out.append("")
    if story.related:
        for pair in story.related:
            out.append(f"- **{pair['relation']}**: {md_text(pair['why'])}")
            out.append(_ref_line(pair["a"], "  - "))
            out.append(_ref_line(pair["b"], "  - "))
    else:
        out.append("None.")

    out += ["", "## Timeline", ""]
    days = timeline_days(story.timeline)
    if days:
        out += ["Events dated within the story's window, by day; each outlet's sentence under its date.", ""]
        for heading, events in days:
            out.append(f"- **{md_text(heading)}**")
            out += [f"  - ({md_text(e.get('timex', ''))}) {_ref_line(e, '')}" for e in events]
    else:
        out.append("No dated events (no time expression could be resolved to a date).")
    background = timeline_days(story.timeline, "background")
    if background:
        out += ["", "## Background", "", "Older dated references (not part of the timeline).", ""]
        for heading, events in background:
            out.append(f"- **{md_text(heading)}**: " + " ".join(_ref_line(e, "") for e in events))

    out += ["", "## Who said what", ""]
    speakers = quotes_by_speaker(analyses)
    if speakers:
        for speaker, rows in speakers:
            n_outlets = len({r["outlet"] for r in rows})
            out.append(f"- **{md_text(speaker)}** ({len(rows)} quote(s), {n_outlets} outlet(s))")
            for r in rows:
                q = r["quote"]
                via = ", ".join(x for x in (f"via {q.channel}" if q.channel else "", f"to {q.addressee}" if q.addressee else "") if x)
                marks = "“{}”" if q.kind != "reported" else "{}"
                out.append(
                    f"  - {md_text(r['outlet'])} ({q.kind}{', ' + md_text(via) if via else ''}): "
                    + marks.format(md_text(q.text))
                )
    else:
        out.append("No quotes found.")

    if entities:
        out += ["", "## Key entities", ""]
        out.append(", ".join(f"{md_text(n)} ({k} outlet(s), {mm} mention(s))" for n, k, mm in entities))

    names = [n for n, _k, _m in entities[:15]]
    edges = sorted(cooccurrence(analyses, names).items(), key=lambda kv: (-kv[1], kv[0]))[:20]
    if edges:
        out += ["", "## Entities named together", ""]
        out += [f"- {md_text(a)} – {md_text(b)}: {n} sentence(s)" for (a, b), n in edges]
    return "\n".join(out).rstrip() + "\n"
