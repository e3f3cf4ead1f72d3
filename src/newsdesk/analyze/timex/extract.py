"""Time expressions: find them in an article and give each a TIMEX3 value.

``extract_timexes(text, published, doc)`` is the whole public surface. It runs the
rule table of ``timex.rules`` (pure regular expressions over a lexicon in
``data/timex.toml``, so it works without a spaCy ``Doc``), keeps the longest
non-overlapping matches, widens a date over a position modifier in front of it
("early 2023", "the end of March"), joins a date and a clock time written together
("Wednesday at 3pm"), and, when a ``Doc`` is given, adds spaCy DATE/TIME entities the
rules missed if the rules can read a value out of them.

Values are resolved against the publication date when there is one (``anchored``
True) and left underspecified otherwise; see ``timex.resolve`` for the conventions
(past preference, ISO weeks) and docs/timex.md for the measured scores.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from newsdesk.analyze.timex.quoted import anchor_quoted_days
from newsdesk.analyze.timex.rules import Hit, find_hits
from newsdesk.model import Timex

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["extract_timexes"]

# A position modifier just before a date: kept inside the extent as TimeML does.
POSITION_PREFIX = re.compile(
    r"(?:(?:the\s+)?(?:very\s+)?(?:beginning|start|end|middle|close|turn|early\s+part|latter\s+part)\s+of\s+"
    r"(?:the\s+)?|(?<![\w-])(?:early|mid|late)(?:-|\s+)|(?<![\w-])mid-?)$",
    re.IGNORECASE,
)
# What may stand between a date and a clock time that belong together.
DATE_TIME_GAP = re.compile(r"^(?:,?\s+at\s+|,\s+|\s+)$", re.IGNORECASE)
WIDENABLE = re.compile(r"^(?:\d{4}|X{4})(?:-(?:\d\d|X\d|SP|SU|FA|WI|W\d\d|Q\d|H\d))?$|^\d{2,3}$")
SPACY_LABELS = ("DATE", "TIME")


def extract_timexes(text: str, published: date | None, doc: Doc | None = None) -> list[Timex]:
    """Time expressions in ``text`` with TIMEX3 type and value, in text order.

    ``published`` anchors relative expressions ("yesterday", "on Wednesday",
    "February 24"); without it their values are underspecified and ``anchored`` False.
    ``doc`` (a spaCy Doc of the same text) is optional: its DATE/TIME entities only add
    candidates the rules can normalise, so output never depends on having a model.
    """
    hits = _select(find_hits(text, published))
    if doc is not None and doc.text == text:
        hits = _select(hits + _spacy_hits(text, published, doc, hits))
    hits = [_widen(text, h) for h in hits]
    hits = _join_date_and_time(text, hits)
    hits = anchor_quoted_days(text, hits)
    return [Timex(h.start, h.end, text[h.start : h.end], h.type, h.value, h.anchored) for h in hits]  # type: ignore[arg-type]


def _select(hits: list[Hit]) -> list[Hit]:
    """Longest hits first; a hit overlapping one already kept is dropped. Ties go to
    the hit with a value, then to the earlier rule (the table's order)."""
    ranked = sorted(enumerate(hits), key=lambda ih: (-(ih[1].end - ih[1].start), ih[1].value is None, ih[0]))
    kept: list[Hit] = []
    for _, h in ranked:
        if all(h.end <= k.start or h.start >= k.end for k in kept):
            kept.append(h)
    return sorted(kept, key=lambda h: h.start)


def _widen(text: str, hit: Hit) -> Hit:
    """Take in "early", "mid-", "the end of" before a month/year/season/week value."""
    if hit.type != "DATE" or hit.value is None or not WIDENABLE.match(hit.value):
        return hit
    m = POSITION_PREFIX.search(text, max(0, hit.start - 40), hit.start)
    if m is None or m.end() != hit.start:
        return hit
    return Hit(m.start(), hit.end, hit.type, hit.value, hit.anchored, hit.rule)


def _join_date_and_time(text: str, hits: list[Hit]) -> list[Hit]:
    """ "Wednesday at 3pm" is one TIME whose day comes from the date part."""
    out: list[Hit] = []
    for h in hits:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.type == "DATE"
            and h.type == "TIME"
            and h.rule in ("time_ampm", "time_24", "time_mil", "noon")
            and prev.value is not None
            and re.fullmatch(r"(?:\d{4}|XXXX)-(?:\d\d|XX|WXX)-(?:\d\d|XX|\d)", prev.value)
            and DATE_TIME_GAP.match(text[prev.end : h.start])
            and h.value is not None
        ):
            clock = h.value.split("T", 1)[1]
            out[-1] = Hit(prev.start, h.end, "TIME", f"{prev.value}T{clock}", prev.anchored or h.anchored, "date_time")
            continue
        out.append(h)
    return out


def _spacy_hits(text: str, published: date | None, doc: Doc, kept: list[Hit]) -> list[Hit]:
    """spaCy DATE/TIME entities not covered by a rule hit, kept when the rules can
    normalise some part of the entity (its value then stands for the whole span)."""
    extra: list[Hit] = []
    for ent in doc.ents:
        if ent.label_ not in SPACY_LABELS:
            continue
        start, end = ent.start_char, ent.end_char
        if any(not (end <= k.start or start >= k.end) for k in kept):
            continue
        inner = [h for h in find_hits(text[start:end], published) if h.value is not None]
        if not inner:
            continue
        best = max(inner, key=lambda h: h.end - h.start)
        extra.append(Hit(start, end, best.type, best.value, best.anchored, "spacy"))
    return extra
