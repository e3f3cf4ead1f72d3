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

from newsdesk.model import Analysis
from newsdesk.report.brief import cooccurrence, story_entities, timeline_days
from newsdesk.report.story_view import ArticleView, StoryView

__all__ = ["render_brief_markdown"]

_WS = re.compile(r"\s+")


def md_text(text: str) -> str:
    """One line, with ``<`` escaped (no raw HTML from article bodies)."""
    return _WS.sub(" ", text).strip().replace("<", "&lt;")


def _ref_line(ref: Any, indent: str = "- ") -> str:
    r = ref if isinstance(ref, dict) else vars(ref)
    return (
        f"{indent}**{md_text(r['outlet'] or 'unknown outlet')}**: “{md_text(r['text'])}” "
        f"(`{r['article_id']}` {r['start']}–{r['end']})"
    )


def _pct(x: float) -> str:
    return f"{round(100 * x)}%"


def render_brief_markdown(story: StoryView, analyses: Sequence[Analysis]) -> str:
    """The brief as Markdown, in the order an analyst reads: notes on the inputs, key
    facts (carried by most outlets), disagreements, tension pairs, who said what, the
    timeline, each outlet's single-source claims (ranked, fragments left out), opinion
    pieces apart, each article's sourcing profile, key entities."""
    outlets = list(dict.fromkeys(a.outlet for a in story.articles))
    out = [f"# {md_text(story.title)}", ""]
    out.append(
        f"Story `{story.id}`: {len(story.articles)} article(s) from {len(outlets)} outlet(s): "
        f"{', '.join(md_text(o) for o in outlets)}."
    )
    if story.storyline:
        line_events = story.storyline.events
        out.append("")
        out.append(
            f"Part of the storyline *{md_text(story.storyline.title)}* ({len(line_events)} events): "
            + "; ".join(
                f"{md_text(ev.title)} ({ev.first_published.isoformat() if ev.first_published else 'undated'}"
                f"{', this story' if ev.id == story.id else ''})"
                for ev in line_events
            )
            + "."
        )
    for note in story.notes:
        out += ["", f"> **Note:** {md_text(note)}"]

    out += ["", f"## Key facts ({len(story.key_facts)})", ""]
    out.append("Statements carried by the most outlets (how many outlets; every sentence that states it).")
    out.append("")
    if story.key_facts:
        for k, fact in enumerate(story.key_facts, 1):
            out.append(
                f"{k}. “{md_text(fact.statement.text)}” — {fact.count} outlets: {', '.join(md_text(o) for o in fact.outlets)}"
            )
            out.extend(_ref_line(ref, "   - ") for ref in fact.claims)
    else:
        out.append("None: no statement was found in two or more outlets.")

    out += ["", f"## Disagreements ({len(story.disagreements)})", ""]
    out.append("The same fact with a different count, amount or date in different outlets.")
    out.append("")
    if story.disagreements:
        for d in story.disagreements:
            out.append(f"- {md_text(d.why)}")
            seen = set()
            for v in d.values:
                key = (v.claim.article_id, v.claim.start)
                if key not in seen:
                    seen.add(key)
                    out.append(_ref_line(v.claim, "  - "))
    else:
        out.append("None found.")

    out += ["", f"## Related claims ({len(story.related)})", ""]
    out.append(
        "Claims of different outlets that are not the same statement but bear on each other: *tension* when one negates what the other affirms, *related* when both name the same kind of event."
    )
    out.append("")
    if story.related:
        for pair in story.related:
            out.append(f"- **{pair.relation}**: {md_text(pair.why)}")
            out.append(_ref_line(pair.a, "  - "))
            out.append(_ref_line(pair.b, "  - "))
    else:
        out.append("None.")

    out += ["", "## Who said what", ""]
    if story.who_said_what:
        for sp in story.who_said_what:
            out.append(f"- **{md_text(sp.speaker)}** ({len(sp.quotes)} quote(s), {sp.outlets} outlet(s))")
            for q in sp.quotes:
                via = ", ".join(
                    x
                    for x in (f"via {q.channel}" if q.channel else "", f"to {q.addressee}" if q.addressee else "")
                    if x
                )
                marks = "“{}”" if q.kind != "reported" else "{}"
                out.append(
                    f"  - {md_text(q.outlet)} ({q.kind}{', ' + md_text(via) if via else ''}): "
                    + marks.format(md_text(q.text))
                )
    else:
        out.append("No quotes found.")

    out += ["", "## Timeline", ""]
    days = timeline_days(story.timeline)
    if days:
        out += ["Events dated within the story's window, by day; each outlet's sentence under its date.", ""]
        for heading, events in days:
            out.append(f"- **{md_text(heading)}**")
            out += [f"  - ({md_text(e.timex)}) {_ref_line(e, '')}" for e in events]
    else:
        hint = (
            " Articles carry no publication date: pass --published YYYY-MM-DD."
            if any(not a.published for a in story.articles)
            else ""
        )
        out.append(f"No dated events (no time expression could be resolved to a date).{hint}")
    background = timeline_days(story.timeline, "background")
    if background:
        out += ["", "## Background", "", "Older dated references (not part of the timeline).", ""]
        for heading, events in background:
            out.append(f"- **{md_text(heading)}**: " + " ".join(_ref_line(e, "") for e in events))

    total = sum(len(o.claims) for o in story.single_source)
    out += ["", f"## Single-source claims ({total})", ""]
    out.append("Only one outlet reports these; ranked by lead position, named source and numbers (fragments left out).")
    out.append("")
    for oc in story.single_source:
        out += [f"### {md_text(oc.outlet)}", ""]
        for r in oc.claims:
            why = f" [{md_text('; '.join(r.reasons))}]" if r.reasons else ""
            out.append(_ref_line(r.claim) + why)
        if oc.omitted:
            out.append(f"- ({oc.omitted} more not shown: lower-ranked or fragments)")
        out.append("")

    opinion = [a for a in story.articles if a.opinion]
    out += ["", "## Articles", ""]
    for a in story.articles:
        if a.opinion:
            continue
        out.append(_article_line(a))
    if opinion:
        out += ["", "## Opinion pieces", "", "Kept apart from reporting.", ""]
        out += [_article_line(a) for a in opinion]

    out += [
        "",
        "## Sourcing",
        "",
        "Share of each article's claims: on the record (named), anonymous, second-hand from other media, the outlet's own voice.",
        "",
    ]
    for a in story.articles:
        p = a.sourcing
        out.append(
            f"- **{md_text(a.outlet)}** (`{a.id}`, {p.claims} claims): on record {_pct(p.on_record)}, "
            f"anonymous {_pct(p.anonymous)}, second-hand {_pct(p.second_hand)}, own voice {_pct(p.own_voice)}"
        )

    entities = story_entities(analyses, limit=20)
    if entities:
        out += ["", "## Key entities", ""]
        out.append(", ".join(f"{md_text(n)} ({k} outlet(s), {mm} mention(s))" for n, k, mm in entities))
    names = [n for n, _k, _m in entities[:15]]
    edges = sorted(cooccurrence(analyses, names).items(), key=lambda kv: (-kv[1], kv[0]))[:20]
    if edges:
        out += ["", "## Entities named together", ""]
        out += [f"- {md_text(a)} – {md_text(b)}: {n} sentence(s)" for (a, b), n in edges]
    return "\n".join(out).rstrip() + "\n"


def _article_line(a: ArticleView) -> str:
    meta = ", ".join(x for x in (f"`{a.id}`", a.published.isoformat() if a.published else "no date", a.url or "") if x)
    return f"- **{md_text(a.outlet)}**: {md_text(a.title or '(no title)')} ({meta})"
