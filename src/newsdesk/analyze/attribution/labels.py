"""Colon labels: "Sanders: Clinton email story has moved" in a headline, "SMITH: We
will ..." opening a transcript line. The short name before the colon is the source
of what follows it (PolNeAR annotates these with the colon as cue). A headline label
must name someone (a person, organisation or group, a poll or report, or a
capitalised name) and not be a rubric ("Exclusive:", "Watch:"); a body line needs an
upper-case speaker label, the transcript convention."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import tomllib

from newsdesk.analyze.attribution.context import QuoteContext
from newsdesk.model import Article, Quote, Speaker

LABEL = re.compile(r"([^:\n“”\"‘’]{2,60}?):[ \t\xa0]+(\S[^\n]*)")
WORD = re.compile(r"[\w’'&.-]+")


@lru_cache(maxsize=1)
def _rules() -> tuple[int, frozenset[str]]:
    data = tomllib.loads(resources.files("newsdesk.data").joinpath("attribution.toml").read_text(encoding="utf-8"))
    section = data["colon_labels"]
    return int(section["max_words"]), frozenset(r.lower() for r in section["rubrics"])


def _speaker(ctx: QuoteContext, start: int, end: int, label: str, headline: bool) -> Speaker | None:
    """Who the label names, or None when it names no one."""
    max_words, rubrics = _rules()
    words = WORD.findall(label)
    if not words or len(words) > max_words or label.strip().lower() in rubrics:
        return None
    for ent in ctx.entities:
        if start <= ent.start < end and ent.label in ("PERSON", "ORG", "NORP"):
            return Speaker(ent.canonical, ent.start, ent.end, ent.entity_id)
    if headline:
        named = all(w[:1].isupper() or not w[:1].isalpha() for w in words)
        if named or words[-1].lower() in ctx.rules.document_heads:
            return Speaker(label.strip(), start, end, descriptor=not named)
        return None
    if label.isupper() and any(w.isalpha() for w in words):
        return Speaker(label.strip(), start, end)
    return None


def colon_labels(ctx: QuoteContext, article: Article) -> list[tuple[Quote, Speaker]]:
    """The headline's and transcript lines' labelled statements, as reported quotes."""
    text = ctx.text
    out: list[tuple[Quote, Speaker]] = []
    pos = 0
    for line in text.split("\n"):
        start = pos
        pos += len(line) + 1
        m = LABEL.match(line)
        if m is None:
            continue
        headline = article.section_at(start) == "title"
        if not headline and not m.group(1).isupper():
            continue
        speaker = _speaker(ctx, start + m.start(1), start + m.end(1), m.group(1), headline)
        if speaker is None:
            continue
        c_start = start + m.start(2)
        c_end = start + len(line.rstrip())
        content = text[c_start:c_end]
        out.append((Quote(c_start, c_end, content, "reported", speaker, ":"), speaker))
    return out
