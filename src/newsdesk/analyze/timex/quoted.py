""" "Today" and "tomorrow" inside a quotation, dated by when the words were said.

Why: news quotes people days or weeks after they spoke. In "'If changes are not made
today or tomorrow ...', Kadyrov wrote on Telegram in early September", "today" is early
September, not the article's publication day. When the text itself dates the speech (a
reporting verb outside the quotation followed by a date: "told the Guardian in March",
"said on Telegram in early September"), relative days inside the quotation are resolved
against that date, at its granularity: a month-level speech date makes "tomorrow" that
month too, a day-level one shifts by the day's offset. Without such words the
publication date stands.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from functools import lru_cache

from newsdesk.analyze.timex.lexicon import _load_toml
from newsdesk.analyze.timex.rules import Hit

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH_OR_COARSER = re.compile(r"^\d{4}(?:-\d{2})?$")


@lru_cache(maxsize=1)
def _config() -> tuple[dict[str, int], re.Pattern[str]]:
    raw = _load_toml()["quoted_speech"]
    verbs = "|".join(re.escape(v) for v in sorted(raw["verbs"], key=len, reverse=True))
    return {k.lower(): int(v) for k, v in raw["relative_days"].items()}, re.compile(rf"\b(?:{verbs})\b", re.IGNORECASE)


def _quote_span(text: str, offset: int) -> tuple[int, int] | None:
    """(start, end) of the quotation around ``offset`` (curly or straight marks, within
    its paragraph), or None when ``offset`` is not quoted."""
    para_start = text.rfind("\n", 0, offset) + 1
    para_end = text.find("\n", offset)
    para_end = len(text) if para_end < 0 else para_end
    before = text[para_start:offset]
    opening = max(before.rfind("“"), -1)
    if opening >= 0 and before.rfind("”") < opening:
        close = text.find("”", offset, para_end)
        return (para_start + opening, close if close >= 0 else para_end)
    if before.count('"') % 2 == 1:
        close = text.find('"', offset, para_end)
        return (para_start + before.rfind('"'), close if close >= 0 else para_end)
    return None


def _speech_date(text: str, quote: tuple[int, int], hits: list[Hit]) -> Hit | None:
    """A dated hit in the speech frame right after the quotation ("”, Kadyrov wrote on
    Telegram in early September.") or right before it ("He told the Guardian in March:
    “..."), introduced by a reporting verb."""
    _days, verbs = _config()
    sentence_end = re.search(r"[.!?](?:\s|$)", text[quote[1] + 1 :])
    after_end = quote[1] + 1 + (sentence_end.start() if sentence_end else min(160, len(text) - quote[1]))
    line_start = max(text.rfind("\n", 0, quote[0]) + 1, text.rfind(". ", 0, quote[0]) + 2)
    frames = [(quote[1], after_end), (line_start, quote[0])]
    for lo, hi in frames:
        frame = text[lo:hi]
        verb = verbs.search(frame)
        if not verb:
            continue
        for h in hits:
            inside = lo + verb.end() <= h.start and h.end <= hi
            if (
                inside
                and h.value
                and h.anchored
                and h.type == "DATE"
                and (_DAY.match(h.value) or _MONTH_OR_COARSER.match(h.value))
            ):
                return h
    return None


def anchor_quoted_days(text: str, hits: list[Hit]) -> list[Hit]:
    """Re-anchor "today" / "tomorrow" / "yesterday" inside a quotation to the date its
    speech frame gives; every other hit is returned unchanged."""
    days, _verbs = _config()
    out = []
    for h in hits:
        word = text[h.start : h.end].lower()
        quote = _quote_span(text, h.start) if word in days and h.value else None
        said = _speech_date(text, quote, hits) if quote else None
        if said is None or said.value is None:
            out.append(h)
            continue
        if m := _DAY.match(said.value):
            day = date(int(m[1]), int(m[2]), int(m[3])) + timedelta(days=days[word])
            out.append(replace(h, value=day.isoformat(), rule="quoted_speech"))
        else:  # month or coarser: "tomorrow" said in early September is September too
            out.append(replace(h, value=said.value, rule="quoted_speech"))
    return out
