"""Markdown output of ``newsdesk analyze``: what an analyst reads first about each article.

Per article: title and metadata, standfirst, who said what (speaker: quote, channel),
entities by type, dated events, hedged and unattributed claims, the clean body, and
the lines cleaning dropped with their reasons (so nothing disappears silently).
"""

from __future__ import annotations

import re
from collections import defaultdict

from newsdesk.model import Analysis, Claim, Quote, Sentence

ENTITY_GROUPS = {
    "People": ("PERSON",),
    "Places": ("GPE", "LOC", "FAC"),
    "Organisations": ("ORG",),
    "Groups": ("NORP",),
}
_WS = re.compile(r"\s+")


def _one_line(text: str) -> str:
    return _WS.sub(" ", text).strip()


def _quote_line(q: Quote) -> str:
    speaker = q.speaker.name if q.speaker else "unattributed"
    extras = [f"via {q.channel}" if q.channel else "", f"to {q.addressee}" if q.addressee else ""]
    extra = ", ".join(e for e in extras if e)
    marks = "“{}”" if q.kind != "reported" else "{}"
    line = f"- **{speaker}** ({q.kind}{', ' + extra if extra else ''}): {marks.format(_one_line(q.text))}"
    return line


def _sentence_of(sentences: list[Sentence], offset: int) -> Sentence | None:
    for s in sentences:
        if s.start <= offset < s.end:
            return s
    return None


def _claim_line(c: Claim) -> str:
    cues = f" [{', '.join(c.cues)}]" if c.cues else ""
    return f"- *{c.certainty}*, source: {c.source}{cues}: {_one_line(c.text)}"


def render_article_markdown(analysis: Analysis) -> str:
    a = analysis.article
    out: list[str] = [f"## {a.title or '(untitled)'}", ""]
    meta = [
        ("Outlet", a.outlet),
        ("Author", a.author),
        ("Kind", a.kind if a.kind != "news" else None),  # opinion, analysis, wire
        ("Published", a.published.isoformat() if a.published else "unknown"),
        ("URL", a.url),
        ("Source", a.source),
        ("Id", a.id),
    ]
    out += [f"- {k}: {v}" for k, v in meta if v] + [""]
    if a.standfirst:
        out += [f"> {_one_line(a.standfirst)}", ""]

    out += ["### Who said what", ""]
    quotes = sorted(analysis.quotes, key=lambda q: q.start)
    out += [_quote_line(q) for q in quotes] or ["- (no quotes found)"]
    out.append("")

    out += ["### Entities", ""]
    by_group: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for e in analysis.entities:
        for group, labels in ENTITY_GROUPS.items():
            if e.label in labels:
                by_group[group][e.canonical] += 1
    for group in ENTITY_GROUPS:
        names = by_group.get(group)
        if names:
            ranked = sorted(names.items(), key=lambda kv: (-kv[1], kv[0]))
            out.append(f"- {group}: " + ", ".join(f"{n} ({c})" for n, c in ranked))
    if not by_group:
        out.append("- (none)")
    out.append("")

    out += ["### Dated events", ""]
    # Vague references ("now", "recently": PRESENT_REF/PAST_REF) are no events to date.
    dated = [
        t
        for t in sorted(analysis.timexes, key=lambda t: t.start)
        if t.type in ("DATE", "TIME") and not (t.value or "").endswith("_REF")
    ]
    for t in dated:
        sentence = _sentence_of(analysis.sentences, t.start)
        context = _one_line(sentence.text) if sentence else ""
        value = t.value or "?"
        note = "" if t.anchored else " (not anchored)"
        out.append(f"- **{value}**{note} “{t.text}”: {context}")
    if not dated:
        out.append("- (no dates found)")
    out.append("")

    out += ["### Hedged and unattributed claims", ""]
    hedged = [c for c in analysis.claims if c.certainty in ("hedged", "denied") or c.source_kind == "unnamed"]
    out += [_claim_line(c) for c in hedged] or ["- (none)"]
    out.append("")

    out += ["### Text", "", a.body, ""]
    if a.dropped:
        out += ["### Dropped lines", ""]
        out += [f"- `{d.reason}`: {_one_line(d.text)}" for d in a.dropped]
        out.append("")
    return "\n".join(out)


def render_markdown(analyses: list[Analysis], failures: list[str]) -> str:
    parts = ["# newsdesk analysis", ""]
    parts += [render_article_markdown(a) for a in analyses]
    if failures:
        parts += ["## Inputs that could not be read", ""]
        parts += [f"- {f}" for f in failures]
        parts.append("")
    return "\n".join(parts)
