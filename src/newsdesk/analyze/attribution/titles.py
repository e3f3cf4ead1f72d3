"""Titles of works, shows and nicknames in quotation marks are names, not speech:
“The Irishman”, “Fox & Friends”, “60 Minutes”, “Crooked Hillary”. A stretch is a
title when a title word stands just before it ("the film", "his book", "dubbed"),
or when it is short, in title case, inside a sentence, and no speech cue hangs on
it (“Make America Great Again,” he said stays a quote). Lower-case scare quotes
stay partial quotes."""

from __future__ import annotations

import re

from newsdesk.analyze.attribution.context import QuoteContext
from newsdesk.analyze.attribution.cues import attribution_after, attribution_before
from newsdesk.analyze.attribution.marks import Marked

WORD = re.compile(r"[\w&'’.-]+")


def _title_case(words: list[str], small: frozenset[str]) -> bool:
    """Every word capitalised (or a digit), except small function words inside."""
    if not words or not (words[0][:1].isupper() or words[0][:1].isdigit()):
        return False
    return all(w[:1].isupper() or w[:1].isdigit() or w.lower() in small or not w[:1].isalnum() for w in words)


def is_title(ctx: QuoteContext, marked: Marked) -> bool:
    """Whether the marked stretch names a work, show or nickname."""
    rules = ctx.rules
    text = ctx.text
    inner = text[marked.start : marked.end]
    words = WORD.findall(inner)
    if not words or len(words) > rules.max_title_words or marked.paragraphs > 1:
        return False
    before = text[max(0, marked.open - 40) : marked.open].lower().split()
    if before and before[-1].strip(",") in rules.title_words:
        return True
    if inner.rstrip()[-1:] in ".?!" or "," in inner:
        return False  # a sentence of its own, or a clause: speech
    lead = text[: marked.open].rstrip(" \t")
    if not lead or lead[-1] in ":\n.?!":
        return False  # introduced or free-standing: speech
    if not _title_case(words, rules.title_small_words):
        return False
    if lead.endswith(("’s", "'s", "s’", "s'")):
        return True  # CNN’s “State of the Union”: a programme of an outlet
    if len(words) == 1 and lead[-1] == ",":
        return False
    return attribution_after(ctx, marked) is None and attribution_before(ctx, marked) is None
