"""Patterns that find time expressions and turn each match into a TIMEX3 type and value.

Each rule is a regular expression (built from the lexicon in ``timex.lexicon``) and a
handler that reads the match and returns a :class:`Hit` or None (a guard said no).
The caller (``timex.extract_timexes``) keeps the longest non-overlapping hits, so the
rules may overlap freely: "Feb. 24, 2022" beats "2022", "two weeks ago" beats "two
weeks". Extents follow TimeML: prepositions ("on", "for", "in") are left out, the
determiner is kept ("the first week of September").
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from newsdesk.analyze.timex import resolve as cal
from newsdesk.analyze.timex.lexicon import (
    Lexicon,
    fragments,
    load_lexicon,
    parse_number,
)


@dataclass
class Hit:
    start: int
    end: int
    type: str
    value: str | None
    anchored: bool = False
    rule: str = ""


@dataclass(frozen=True)
class Context:
    text: str
    dct: date | None
    lex: Lexicon

    def anchor(self, start: int) -> cal.Anchor:
        """Past preference unless a modal or scheduling cue ("will", "'ll", "slated to",
        "all signs pointed to") occurs anywhere earlier in the same sentence, or later in
        the same clause ("Obama, who is expected to endorse Clinton" / "on Thursday,
        Obama will endorse")."""
        before = self.text[max(0, start - self.lex.future_window) : start]
        before = re.split(r"[.!?;]\s|\n", before)[-1].lower()
        after = self.text[start : start + 80]
        after = re.split(r"[.!?;,:]\s|[“”\"]|\n|\s(?:and|but|while|after|before|when|that|because|who|which)\s", after)[
            0
        ].lower()
        cue_ends = [m.end() for c in self.lex.future_cues for m in _future_cue(c).finditer(before)]
        # "told the Guardian in March": a reporting verb after the last modal dates the telling
        told = [m.end() for m in _reported(self.lex.reporting_verbs).finditer(before)]
        if cue_ends and told and max(told) > max(cue_ends):
            cue_ends = []
        future = bool(cue_ends) or any(_future_cue(c).search(after) for c in self.lex.future_cues)
        return cal.Anchor(self.dct, 1 if future else -1)


@lru_cache(maxsize=4)
def _reported(verbs: tuple[str, ...]) -> re.Pattern[str]:
    """Any of the reporting verbs of ``timex.toml`` [future_cues], as whole words."""
    return re.compile(r"\b(?:" + "|".join(map(re.escape, verbs)) + r")\b") if verbs else re.compile(r"(?!x)x")


@lru_cache(maxsize=256)
def _future_cue(cue: str) -> re.Pattern[str]:
    """A cue as a whole word; a clitic ("'ll") attaches to the word before it."""
    body = re.escape(cue.replace("’", "'")).replace("'", "['’]").replace(r"\ ", r"\s+")
    lead = "" if cue.startswith(("'", "’")) else r"(?<![\w'’])"
    return re.compile(rf"{lead}{body}(?![\w])")


Handler = Callable[[re.Match[str], Context], Hit | None]


def _hit(m: re.Match[str], type_: str, value: str | None, anchored: bool, group: int | str = 0) -> Hit:
    return Hit(m.start(group), m.end(group), type_, value, anchored)


def _cap(word: str | None) -> bool:
    return bool(word) and word[0].isupper()  # type: ignore[index]


def _month(ctx: Context, word: str) -> int:
    return ctx.lex.months[word.lower().rstrip(".")]


def _year(text: str | None) -> int | None:
    return int(text) if text else None


def _prev_word(ctx: Context, start: int) -> str:
    before = ctx.text[max(0, start - 30) : start].lower().split()
    return before[-1] if before else ""


# --- handlers -------------------------------------------------------------------------


def h_iso_date(m: re.Match[str], ctx: Context) -> Hit | None:
    y, mo, d = int(m["y"]), int(m["mo"]), int(m["d"])
    return _hit(m, "DATE", cal.date_value(y, mo, d), False) if cal.valid_day(y, mo, d) else None


def h_slash_date(m: re.Match[str], ctx: Context) -> Hit | None:
    a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
    y = y + 2000 if y < 50 else y + 1900 if y < 100 else y
    mo, d = (a, b) if a <= 12 else (b, a)  # US order unless the first part cannot be a month
    return _hit(m, "DATE", cal.date_value(y, mo, d), False) if cal.valid_day(y, mo, d) else None


def h_month_day(m: re.Match[str], ctx: Context) -> Hit | None:
    if not _cap(m["mon"]):
        return None
    month, day, year = _month(ctx, m["mon"]), int(m["day"]), _year(m["year"])
    if not 1 <= day <= 31 or (m["mon"].lower() == "may" and not m["year"] and not re.match(r"\d", m["day"])):
        return None
    anchored = False
    if year is None:
        year = cal.month_year(month, ctx.anchor(m.start()), day)
        anchored = year is not None
    if year is not None and not cal.valid_day(year, month, day):
        return None
    return _hit(m, "DATE", cal.date_value(year, month, day), anchored)


def h_month_year(m: re.Match[str], ctx: Context) -> Hit | None:
    if not _cap(m["mon"]):
        return None
    return _hit(m, "DATE", cal.date_value(int(m["year"]), _month(ctx, m["mon"])), False)


def h_month(m: re.Match[str], ctx: Context) -> Hit | None:
    word = m["mon"]
    if not _cap(word):
        return None
    prev = _prev_word(ctx, m.start()).rstrip(",")
    if word.lower().rstrip(".") in ctx.lex.ambiguous_months and prev not in ctx.lex.month_alone_after:
        return None
    if prev in ("the", "a") or re.match(r"\s+[A-Z][a-z]", ctx.text[m.end() : m.end() + 3]):
        return None  # "the March rally", "March Madness"
    month = _month(ctx, word)
    shift = {"last": -1, "next": 1, "this": 0}.get(prev)
    anchor = ctx.anchor(m.start())
    year = cal.month_year(month, anchor)
    if year is not None and shift is not None and ctx.dct is not None:
        year = ctx.dct.year + (shift if shift and (month >= ctx.dct.month) == (shift < 0) else 0)
        start = m.start() - len(prev) - 1
        return Hit(start, m.end(), "DATE", cal.date_value(year, month), True)
    return _hit(m, "DATE", cal.date_value(year, month), year is not None)


def h_year(m: re.Match[str], ctx: Context) -> Hit | None:
    year = int(m["year"])
    if ctx.dct is not None and year > ctx.dct.year + 30:
        return None
    after = ctx.text[m.end() : m.end() + 20].lower()
    nxt = re.match(r"\s*([%\w]+)", after)
    if nxt and nxt.group(1) in ctx.lex.not_after_year:
        return None
    before = ctx.text[max(0, m.start() - 20) : m.start()].lower().rstrip()
    if any(before.endswith(w) for w in ctx.lex.not_before_year):
        return None
    if re.search(r"[\d,.]$", ctx.text[max(0, m.start() - 1) : m.start()]) or re.match(r"[,.]\d", after):
        return None
    return _hit(m, "DATE", f"{year:04d}", False)


def h_decade(m: re.Match[str], ctx: Context) -> Hit | None:
    if m["cent"]:
        return _hit(m, "DATE", f"{m['cent']}{m['dec']}", False)
    century = "19" if ctx.dct is None or int(m["dec2"]) * 10 > ctx.dct.year % 100 else "20"
    return _hit(m, "DATE", f"{century}{m['dec2']}", False)


def h_century(m: re.Match[str], ctx: Context) -> Hit | None:
    word = m["ord"].lower()
    n = ctx.lex.ordinals.get(word) or int(re.sub(r"\D", "", word) or 0)
    return _hit(m, "DATE", f"{n - 1:02d}", False) if 0 < n < 30 else None


def h_weekday(m: re.Match[str], ctx: Context) -> Hit | None:
    if not _cap(m["wd"]):
        return None
    wd = ctx.lex.weekdays[m["wd"].lower().rstrip(".")]
    shift = m["shift"].lower() if m["shift"] else None
    if shift:
        value = cal.shifted_weekday(wd, ctx.lex.shifts.get(shift, 0), ctx.dct)
    else:
        value = cal.weekday_date(wd, ctx.anchor(m.start()))
    pod = m["pod"]
    if pod:
        code = ctx.lex.parts_of_day[pod.lower()]
        return _hit(m, "TIME", value + ("" if code.startswith("T") else "T") + code, ctx.dct is not None)
    return _hit(m, "DATE", value, ctx.dct is not None)


def h_weekday_set(m: re.Match[str], ctx: Context) -> Hit | None:
    word = re.sub(r"^every\s+", "", m.group(0), flags=re.IGNORECASE).lower().rstrip("s")
    if not _cap(m.group(0).split()[-1]):
        return None
    return _hit(m, "SET", f"XXXX-WXX-{ctx.lex.weekdays[word]}", False)


def h_relative_day(m: re.Match[str], ctx: Context) -> Hit | None:
    word = re.sub(r"\s+", " ", m["rel"].lower())
    offset = ctx.lex.relative_days[word]
    day = (ctx.dct + timedelta(days=offset)).isoformat() if ctx.dct else None
    pod = m["pod"].lower() if m["pod"] else None
    if word == "tonight":
        pod = "night"
    if pod:
        code = ctx.lex.parts_of_day[pod]
        base = day or "XXXX-XX-XX"
        return _hit(m, "TIME", base + ("" if code.startswith("T") else "T") + code, day is not None)
    if day is None:
        return _hit(m, "DATE", "PRESENT_REF" if offset == 0 else "XXXX-XX-XX", False)
    return _hit(m, "DATE", day, True)


def h_shift_pod(m: re.Match[str], ctx: Context) -> Hit | None:
    shift, pod = m["shift"].lower(), m["pod"].lower()
    offset = -1 if shift == "last" else 0
    if shift == "last" and pod != "night" and pod != "evening":
        return None
    code = ctx.lex.parts_of_day[pod]
    day = (ctx.dct + timedelta(days=offset)).isoformat() if ctx.dct else "XXXX-XX-XX"
    return _hit(m, "TIME", f"{day}T{code}", ctx.dct is not None)


def h_shift_unit(m: re.Match[str], ctx: Context) -> Hit | None:
    shift, unit = m["shift"].lower(), ctx.lex.unit_of(m["unit"])
    the = bool(m["the"])
    if unit == "day" or (the and shift in ("next", "following", "previous")):
        return _hit(m, "DATE", None, False)  # relative to the narrative, not the DCT
    if the and shift == "past":
        code, is_time = ctx.lex.units.get(unit, ("Y", False))
        return _hit(m, "DURATION", cal.duration_value(1, unit, code, is_time), False)
    offset = ctx.lex.shifts[shift]
    return _hit(m, "DATE", cal.unit_value(unit, offset, ctx.dct), ctx.dct is not None)


def h_position_unit(m: re.Match[str], ctx: Context) -> Hit | None:
    unit = m["unit"].lower()
    offset = ctx.lex.shifts.get((m["shift"] or "this").lower(), 0)
    return _hit(m, "DATE", cal.unit_value(unit, offset, ctx.dct), ctx.dct is not None)


def h_ago(m: re.Match[str], ctx: Context) -> Hit | None:
    amount = parse_number(m["q"])
    unit = ctx.lex.unit_of(m["unit"])
    direction = m["dir"].lower()
    if direction.startswith("later"):
        # "12 years later" counts from an event, not from the DCT: keep the duration
        code, is_time = ctx.lex.units[unit]
        return Hit(m.start(), m.end("unit"), "DURATION", cal.duration_value(amount, unit, code, is_time), False)
    if "from now" in direction or direction == "hence":
        if amount is None or ctx.dct is None:
            return _hit(m, "DATE", "FUTURE_REF", False)
        return _hit(m, "DATE", cal.unit_value(unit, int(amount), ctx.dct), True)
    value = cal.ago_value(amount, unit, ctx.dct)
    return _hit(m, "DATE", value, ctx.dct is not None and amount is not None)


AGE_AFTER = re.compile(
    r"(?:-|\s)old\b|\s+(?:of\s+age|and\s+(?:older|younger|over|under|up))|\s+(?:younger|older)\b", re.IGNORECASE
)


def h_duration(m: re.Match[str], ctx: Context) -> Hit | None:
    if AGE_AFTER.match(ctx.text, m.end()) or re.search(
        r"\bage[sd]?\s*$", ctx.text[max(0, m.start() - 8) : m.start()], re.IGNORECASE
    ):
        return None
    unit = ctx.lex.unit_of(m["unit"])
    code, is_time = ctx.lex.units[unit]
    amount = parse_number(m["q"])
    if amount is not None and m["half"]:
        amount += 0.5
    if amount is not None and amount != 1 and m["unit"].lower() in ctx.lex.units and not m["hy"]:
        return None  # "two day" without a hyphen is not a duration phrase we trust
    start = m.start("the") if m["the"] else (m.start("adj") if m["adj"] else m.start("q"))
    if m["mere"] and m["mere"].lower().startswith("a"):
        start = m.start("mere")
    return Hit(start, m.end(), "DURATION", cal.duration_value(amount, unit, code, is_time), False)


def h_plural_units(m: re.Match[str], ctx: Context) -> Hit | None:
    unit = ctx.lex.unit_of(m["units"])
    code, is_time = ctx.lex.units[unit]
    start = m.start("lead") if m["lead"] else m.start("units")
    return Hit(start, m.end(), "DURATION", cal.duration_value(None, unit, code, is_time), False)


def h_set_every(m: re.Match[str], ctx: Context) -> Hit | None:
    unit = ctx.lex.unit_of(m["unit"])
    code, is_time = ctx.lex.units[unit]
    n = parse_number(m["q"]) if m["q"] else 1.0
    if m["other"]:
        n = 2.0
    return _hit(m, "SET", cal.duration_value(n, unit, code, is_time), False)


def h_set_adverb(m: re.Match[str], ctx: Context) -> Hit | None:
    if _prev_word(ctx, m.start()) in ctx.lex.not_set_after:
        return None  # "the daily Kommersant": a newspaper, not a frequency
    return _hit(m, "SET", ctx.lex.sets[m.group(0).lower()], False)


def _clock(m: re.Match[str], ctx: Context, hour: int, minute: int) -> Hit | None:
    if not (0 <= hour <= 24 and 0 <= minute < 60):
        return None
    day = ctx.dct.isoformat() if ctx.dct else "XXXX-XX-XX"
    return _hit(m, "TIME", f"{day}T{hour:02d}:{minute:02d}", ctx.dct is not None)


def h_time_ampm(m: re.Match[str], ctx: Context) -> Hit | None:
    hour, minute = int(m["h"]), int(m["mi"] or 0)
    if hour > 12:
        return None
    pm = m["ampm"].lower().startswith("p")
    hour = hour % 12 + (12 if pm else 0)
    return _clock(m, ctx, hour, minute)


def h_time_24(m: re.Match[str], ctx: Context) -> Hit | None:
    return _clock(m, ctx, int(m["h"]), int(m["mi"]))


def h_noon(m: re.Match[str], ctx: Context) -> Hit | None:
    code = ctx.lex.parts_of_day[m["w"].lower()]
    day = ctx.dct.isoformat() if ctx.dct else "XXXX-XX-XX"
    return _hit(m, "TIME", f"{day}{code}", ctx.dct is not None, "w")


def h_season(m: re.Match[str], ctx: Context) -> Hit | None:
    code = ctx.lex.seasons[m["season"].lower()]
    shift = m["shift"].lower() if m["shift"] else None
    year = _year(m["year"])
    if year is None and shift is None and not m["the"]:
        return None
    if m["season"].lower() == "fall" and year is None and shift is None:
        return None  # "the fall of Kabul"
    start = m.start("shift") if m["shift"] else (m.start("the") if m["the"] else m.start("season"))
    if year is not None:
        return Hit(start, m.end(), "DATE", f"{year:04d}-{code}", False)
    if ctx.dct is None:
        return Hit(start, m.end(), "DATE", f"XXXX-{code}", False)
    now = cal.SEASON_ORDER[cal.season_of(ctx.dct)]
    idx = cal.SEASON_ORDER[code]
    y = ctx.dct.year
    if shift in ("last", "past"):
        y = y if idx < now else y - 1
    elif shift in ("next", "coming"):
        y = y if idx > now else y + 1
    elif shift is None:
        y = y if idx <= now else y - 1
    return Hit(start, m.end(), "DATE", f"{y:04d}-{code}", True)


def h_quarter(m: re.Match[str], ctx: Context) -> Hit | None:
    word = m["ord"].lower()
    n = ctx.lex.ordinals.get(word) or int(re.sub(r"\D", "", word) or 0)
    kind = "Q" if m["kind"].lower() == "quarter" else "H"
    last = 4 if kind == "Q" else 2
    n = last if n == -1 else n
    if not 1 <= n <= last:
        return None
    year = _year(m["year"])
    anchored = False
    if year is None and m["yshift"] is not None and ctx.dct:
        year, anchored = ctx.dct.year + ctx.lex.shifts.get(m["yshift"].lower() or "this", 0), True
    elif year is None and kind == "H" and not m["ofyear"]:
        return None
    elif year is None and ctx.dct:
        current = (ctx.dct.month - 1) // (3 if kind == "Q" else 6) + 1
        year, anchored = (ctx.dct.year if n <= current else ctx.dct.year - 1), True
    return _hit(m, "DATE", f"{cal.date_value(year)}-{kind}{n}", anchored)


def h_week_of_month(m: re.Match[str], ctx: Context) -> Hit | None:
    if not _cap(m["mon"]):
        return None
    month = _month(ctx, m["mon"])
    n = ctx.lex.ordinals[m["ord"].lower()]
    year = _year(m["year"])
    anchored = False
    if year is None:
        year = cal.month_year(month, ctx.anchor(m.start()))
        anchored = year is not None
    unit = m["unit"].lower()
    if year is None:
        return _hit(m, "DATE", f"XXXX-{month:02d}", False)
    if unit.startswith("day"):
        return _hit(m, "DATE", cal.date_value(year, month), anchored)
    value = cal.first_week_of_month(year, month, n)
    return _hit(m, "DATE", value + ("-WE" if unit == "weekend" else ""), anchored)


def h_reference(m: re.Match[str], ctx: Context) -> Hit | None:
    phrase = re.sub(r"\s+", " ", m.group(0).lower())
    start = m.start()
    if phrase.startswith("in the "):
        start += 3
    return Hit(start, m.end(), "DATE", ctx.lex.references[phrase], False)


def h_holiday(m: re.Match[str], ctx: Context) -> Hit | None:
    if not _cap(m["hol"]):
        return None
    name = re.sub(r"\s+", " ", m["hol"].lower())
    year = _year(m["year"])
    anchored = False
    if name.startswith("easter") or name == "good friday":
        if year is None and ctx.dct:
            year, anchored = ctx.dct.year, True
        if year is None:
            return _hit(m, "DATE", "XXXX-XX-XX", False)
        d = cal.easter(year) - timedelta(days=2 if name == "good friday" else 0)
        return _hit(m, "DATE", d.isoformat(), anchored)
    mmdd = ctx.lex.holidays[name]
    month, day = int(mmdd[:2]), int(mmdd[3:])
    if year is None:
        year = cal.month_year(month, ctx.anchor(m.start()), day)
        anchored = year is not None
    return _hit(m, "DATE", cal.date_value(year, month, day), anchored)


def h_narrative(m: re.Match[str], ctx: Context) -> Hit | None:
    return _hit(m, "DATE", None, False)


# --- the rule table -------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    handler: Handler


@lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    f = fragments()
    B = r"(?<![\w'-])"  # word start
    year = r"(?P<year>(?:1[6-9]|20)\d\d)(?![\d])"
    day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?![\d:])"
    wd_prefix = rf"(?:{f.weekday},?\s+)?"
    q = rf"(?P<q>{f.vague}|{f.number})"
    tz = r"(?:GMT|UTC|BST|CET|CEST|EET|EEST|EST|EDT|CST|CDT|PST|PDT|MSK|Moscow\s+time|local\s+time|Kyiv\s+time)"
    table: list[tuple[str, str, Handler]] = [
        ("iso_date", rf"{B}(?P<y>\d{{4}})-(?P<mo>\d{{2}})-(?P<d>\d{{2}})(?!\d)", h_iso_date),
        ("slash_date", rf"{B}(?P<a>\d{{1,2}})/(?P<b>\d{{1,2}})/(?P<y>\d{{4}}|\d{{2}})(?![\d/])", h_slash_date),
        ("month_day", rf"{B}{wd_prefix}(?P<mon>{f.month})\s+{day}(?:,?\s+{year})?", h_month_day),
        ("day_month", rf"{B}{wd_prefix}(?:the\s+)?{day}(?:\s+of)?\s+(?P<mon>{f.month})(?:,?\s+{year})?", h_month_day),
        ("month_year", rf"{B}(?P<mon>{f.month})(?:\s+of)?,?\s+{year}", h_month_year),
        ("month", rf"(?<![\w'])(?P<mon>{f.month})", h_month),
        ("year", rf"(?<![\w']){year}", h_year),
        ("decade", rf"{B}(?:the\s+)?(?:(?P<cent>1[5-9]|20)(?P<dec>\d)0'?s|['’](?P<dec2>\d)0s)(?![\w])", h_decade),
        ("century", rf"{B}(?:the\s+)?(?P<ord>{f.ordinal})[\s-]+century(?![\w])", h_century),
        (
            "weekday",
            rf"{B}(?:(?P<shift>last|next|this|coming|past)\s+)?(?P<wd>{f.weekday})"
            rf"(?:\s+(?P<pod>morning|afternoon|evening|night))?",
            h_weekday,
        ),
        ("weekday_set", rf"{B}(?:(?i:every)\s+{f.weekday}|{f.weekday_plural})", h_weekday_set),
        (
            "relative_day",
            rf"{B}(?P<rel>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|today|"
            rf"yesterday|tomorrow|tonight)(?:\s+(?P<pod>morning|afternoon|evening|night))?(?![\w])",
            h_relative_day,
        ),
        ("shift_pod", rf"{B}(?P<shift>last|this)\s+(?P<pod>night|morning|afternoon|evening)(?![\w])", h_shift_pod),
        (
            "shift_unit",
            rf"{B}(?:(?P<pos>earlier|later)\s+)?(?:(?P<the>the)\s+)?(?P<shift>last|past|previous|next|"
            rf"coming|this|current|following)\s+(?P<unit>week|weekend|month|year|quarter|decade|"
            rf"century|fortnight|day)(?![\w])",
            h_shift_unit,
        ),
        (
            "position_unit",
            rf"{B}(?:the\s+)?(?:beginning|start|end|middle|close|turn)\s+of\s+(?:the\s+)?"
            rf"(?:(?P<shift>this|last|next|current|previous)\s+)?(?P<unit>year|month|week|decade)"
            rf"(?![\w])",
            h_position_unit,
        ),
        (
            "ago",
            rf"{B}{q}\s+(?P<unit>{f.unit})\s+(?P<dir>ago|earlier(?!\s+than)|before\s+now|from\s+now|"
            rf"hence|later(?!\s+than))(?![\w])",
            h_ago,
        ),
        (
            "duration",
            rf"{B}(?:(?P<the>the)\s+)?(?:(?P<adj>past|last|next|first|coming|final|previous|initial|"
            rf"remaining|following)\s+)?(?:(?P<mere>a\s+mere|mere|just|only|almost|nearly|about|"
            rf"around|roughly|some|over|more\s+than|less\s+than|at\s+least|up\s+to)\s+)?{q}"
            rf"(?P<half>\s+and\s+a\s+half)?(?:(?P<hy>-)|\s+)(?:(?:more|additional|full|straight|"
            rf"consecutive|long|whole)\s+)?(?P<unit>{f.unit})",
            h_duration,
        ),
        (
            "plural_units",
            rf"{B}(?:(?P<lead>(?:the\s+)?(?:coming|next|past|last|recent|previous|following)"
            rf"(?:\s+few)?)\s+|(?:for|over|within|in)\s+)(?P<units>{f.unit_plural})"
            rf"(?!\s+(?:ago|of|old))",
            h_plural_units,
        ),
        (
            "set_every",
            rf"{B}(?:(?:every|each|per)\s+(?:(?P<other>other)\s+)?(?:(?P<q>{f.number})\s+)?"
            rf"|(?:once|twice|thrice|{f.number}\s+times)\s+(?:a|an|per|each|every)\s+)"
            rf"(?P<unit>{f.unit})",
            h_set_every,
        ),
        ("set_adverb", rf"{B}(?:{f.set_adverb})(?![\w])", h_set_adverb),
        (
            "time_ampm",
            rf"{B}(?P<h>\d{{1,2}})(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ampm>[ap]\.\s?m\.|[ap]m(?![\w])|"
            rf"[ap]\.m(?![\w]))(?:\s+{tz})?",
            h_time_ampm,
        ),
        ("time_24", rf"{B}(?P<h>[01]?\d|2[0-3]):(?P<mi>[0-5]\d)(?![\d:])(?:\s*(?:{tz}|hrs|h\b))?", h_time_24),
        ("time_mil", rf"{B}(?P<h>[01]\d|2[0-3])(?P<mi>[0-5]\d)\s+(?:{tz}|hrs|hours)(?![\w])", h_time_24),
        ("noon", rf"{B}(?:at\s+)?(?P<w>noon|midnight|midday)(?![\w])", h_noon),
        (
            "season",
            rf"{B}(?:(?P<shift>this|last|next|past|coming)\s+|(?P<the>the)\s+)?(?P<season>{f.season})"
            rf"(?![\w])(?:\s+(?:of\s+)?{year})?",
            h_season,
        ),
        (
            "quarter",
            rf"{B}(?:the\s+)?(?P<ord>{f.ordinal})[\s-]+(?P<kind>quarter|half)(?![\w])(?P<ofyear>\s+of\s+"
            rf"(?:(?:fiscal\s+)?{year}|(?:the\s+)?(?P<yshift>this|last|next|current|)\s*year))?",
            h_quarter,
        ),
        (
            "week_of_month",
            rf"{B}(?:the\s+)?(?P<ord>first|second|third|fourth|last|final)\s+(?P<unit>week|weekend|"
            rf"days|fortnight)\s+(?:of|in)\s+(?P<mon>{f.month})(?:,?\s+{year})?",
            h_week_of_month,
        ),
        ("reference", rf"{B}(?:{f.reference})(?![\w])", h_reference),
        ("holiday", rf"{B}(?P<hol>{f.holiday}|easter(?:\s+sunday)?|good\s+friday)(?![\w])(?:\s+{year})?", h_holiday),
        (
            "narrative",
            rf"{B}(?:that|the\s+same|the\s+following|the\s+previous|the\s+preceding)\s+"
            rf"(?:day|morning|evening|night|week|month|year)(?![\w])",
            h_narrative,
        ),
    ]
    # Case-insensitive throughout; handlers that need a capital ("May" the month, not
    # "may" the verb) check the matched text themselves.
    return tuple(Rule(name, re.compile(pattern, re.IGNORECASE), handler) for name, pattern, handler in table)


def find_hits(text: str, dct: date | None) -> list[Hit]:
    """Every hit of every rule (overlapping; the caller chooses)."""
    ctx = Context(text, dct, load_lexicon())
    hits: list[Hit] = []
    for rule in rules():
        for m in rule.pattern.finditer(text):
            hit = _handle(rule, m, ctx)
            if hit is not None and hit.end > hit.start:
                hit.rule = rule.name
                hits.append(hit)
    return hits


def _handle(rule: Rule, m: re.Match[str], ctx: Context) -> Hit | None:
    """The rule's hit; when anchoring leaves the calendar (a date within days of
    0001-01-01 or 9999-12-31: OverflowError/ValueError in date arithmetic) the
    expression is kept unanchored rather than crashing the article."""
    try:
        return rule.handler(m, ctx)
    except (OverflowError, ValueError):
        try:
            return rule.handler(m, dataclasses.replace(ctx, dct=None))
        except (OverflowError, ValueError):
            return None
