"""The words around a number or a date that say what it is about: the topic field a
count belongs to ("1,500 evacuated"), the event a date is attached to ("the dam gave way
on Tuesday"), and dates that only say when something was *told* ("police said on
Wednesday"). These cues let differently worded claims meet on the same event."""

from __future__ import annotations

import re
from functools import cache

from newsdesk.compare import lexicon
from newsdesk.compare.numbers import unit_index

_DAY_VALUE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def day_of(value: str | None) -> str | None:
    """The calendar day of a TIMEX3 value ("2024-03-05TEV" -> "2024-03-05"), None for
    coarser values: "Tuesday evening" and "Tuesday" are the same day, not a divergence."""
    m = _DAY_VALUE.match(value or "")
    return m.group(0) if m else None


def content_tokens(sentence: str) -> list[tuple[int, int, str]]:
    """(start, end, stem) of the content words of a sentence (no stop words, no digits)."""
    stop, negators = lexicon.stop_words(), lexicon.negator_words()
    out = []
    for m in lexicon.TOKEN.finditer(sentence):
        word = m.group(0).lower()
        if word[0].isdigit():
            out.append((m.start(), m.end(), _NUMBER_MARK))
        elif word in _reporting_verbs():
            out.append((m.start(), m.end(), _REPORTING_MARK))
        elif word not in stop and word not in negators and len(word) > 1:
            out.append((m.start(), m.end(), lexicon.stem(word)))
    return out


_NUMBER_MARK, _REPORTING_MARK = "#", "@"


def _side(words: list[tuple[int, int, str]], start: int, end: int, stop: str) -> list[tuple[int, str]]:
    """(distance, stem) of the content words before and after a span, nearest first,
    each side cut at the first ``stop`` mark (another number, or "said", "according")."""
    width = int(lexicon.load_config()["cues"]["window"])
    out: list[tuple[int, str]] = []
    for side in (
        [(start - e, w) for s, e, w in words if e <= start][::-1],
        [(s - end, w) for s, _e, w in words if s >= end],
    ):
        kept = []
        for dist, w in side:
            if w == stop:
                break
            if w not in (_NUMBER_MARK, _REPORTING_MARK):
                kept.append((dist, w))
            if len(kept) == width:
                break
        out.extend(kept)
    return out


def window_stems(words: list[tuple[int, int, str]], start: int, end: int) -> frozenset[str]:
    """Stems next to a date (``cues.window`` content words each side, cut at "said" or
    "according", unit words left out): what happened that day, not who told it or how
    high a river stood ("reached 6.6 meters on Wednesday, according to the service")."""
    units = unit_index()
    return frozenset(w for _d, w in _side(words, start, end, _REPORTING_MARK) if w not in units)


def nearest_field(words: list[tuple[int, int, str]], start: int, end: int) -> str | None:
    """The topic of the count-field word (``cues.count_fields``) nearest to a number in
    characters, within ``cues.window`` content words each side and not past another
    number: "death toll rises to three as part of evacuation order lifted" counts
    deaths; in "a city of 180,000 people, forcing 1,200 from their homes" only the
    1,200 were forced out."""
    topics = set(lexicon.load_config()["cues"]["count_fields"])
    index = lexicon.field_index()
    near = sorted((d, w) for d, w in _side(words, start, end, _NUMBER_MARK) if index.get(w) in topics)
    return index[near[0][1]] if near else None


@cache
def _reporting_verbs() -> frozenset[str]:
    return frozenset(v.lower() for v in lexicon.load_config()["cues"]["reporting_verbs"])


@cache
def _reporting_date_pattern() -> re.Pattern[str]:
    verbs = "|".join(re.escape(v) for v in lexicon.load_config()["cues"]["reporting_verbs"])
    return re.compile(rf"\b(?:{verbs})\s+(?:\w+\s+)?(?:on|late on|early on)?\s*$", re.IGNORECASE)


def is_reporting_date(sentence: str, offset: int) -> bool:
    """True for the day a statement was made ("police said on Wednesday"): it dates the
    telling, not the event, so two outlets quoting on different days do not diverge."""
    return bool(_reporting_date_pattern().search(sentence[max(0, offset - 40) : offset]))
