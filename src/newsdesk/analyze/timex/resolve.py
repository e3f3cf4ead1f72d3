"""Calendar arithmetic that turns the parts of a time expression into a TIMEX3 value.

Kept apart from the patterns (``timex.rules``) because this is where the conventions
live, and conventions are what a reader of our output must be able to check:

* News is about what happened, so a weekday, a month or a month-day without a year
  resolves to the most recent such date on or before the publication date ("on
  Wednesday" in a Friday article is two days earlier; "March" in a September article
  is this year's March, "December" in a March article last year's), unless the
  sentence carries a future cue ("will", "next", ...), then the nearest one on or after.
* Weeks are ISO 8601 weeks (``2022-W35``), so values sort and compare as in every
  calendar library. "The first week of September" is the ISO week that holds the
  month's first Thursday, ISO's own rule for the first week of a year applied to a
  month.
* Without a publication date nothing relative can be resolved; values keep the
  known parts and put X where they need the anchor (``XXXX-02-24``, ``XXXX-WXX-3``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Anchor:
    """What a relative expression is resolved against.

    ``direction`` is -1 when the sentence reads as past (the news default) and +1 when a
    future cue was seen before the expression.
    """

    dct: date | None
    direction: int = -1


def iso_week(d: date) -> str:
    year, week, _ = d.isocalendar()
    return f"{year}-W{week:02d}"


def add_months(d: date, months: int) -> date:
    """``d`` moved by whole months, the day clamped to the target month's length."""
    total = d.year * 12 + (d.month - 1) + months
    year, month = divmod(total, 12)
    month += 1
    day = min(d.day, _month_length(year, month))
    return date(year, month, day)


def _month_length(year: int, month: int) -> int:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return (nxt - timedelta(days=1)).day


def valid_day(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= _month_length(year, month)


def weekday_date(iso_weekday: int, anchor: Anchor) -> str:
    """Nearest date with that weekday: on/before the DCT (past) or on/after (future)."""
    if anchor.dct is None:
        return f"XXXX-WXX-{iso_weekday}"
    delta = (anchor.dct.isoweekday() - iso_weekday) % 7
    if anchor.direction > 0:
        delta = -((iso_weekday - anchor.dct.isoweekday()) % 7)
    return (anchor.dct - timedelta(days=delta)).isoformat()


def shifted_weekday(iso_weekday: int, shift: int, dct: date | None) -> str:
    """ "last Friday" / "next Friday" / "this Friday": strictly before / after the DCT
    (for "this", in the DCT's ISO week)."""
    if dct is None:
        return f"XXXX-WXX-{iso_weekday}"
    if shift == 0:
        monday = dct - timedelta(days=dct.isoweekday() - 1)
        return (monday + timedelta(days=iso_weekday - 1)).isoformat()
    if shift < 0:
        delta = (dct.isoweekday() - iso_weekday) % 7 or 7
        return (dct - timedelta(days=delta)).isoformat()
    delta = (iso_weekday - dct.isoweekday()) % 7 or 7
    return (dct + timedelta(days=delta)).isoformat()


def month_year(month: int, anchor: Anchor, day: int | None = None) -> int | None:
    """Year of a month (and day) given without one, by the past/future preference."""
    if anchor.dct is None:
        return None
    dct = anchor.dct
    key = (month, day or 1)
    here = (dct.month, dct.day if day else 1)
    if anchor.direction > 0:
        return dct.year if key >= here else dct.year + 1
    return dct.year if key <= here else dct.year - 1


def date_value(year: int | None, month: int | None = None, day: int | None = None) -> str:
    y = f"{year:04d}" if year is not None else "XXXX"
    if month is None:
        return y
    m = f"{month:02d}"
    if day is None:
        return f"{y}-{m}"
    return f"{y}-{m}-{day:02d}"


def first_week_of_month(year: int, month: int, ordinal: int) -> str:
    """ISO week of the ``ordinal``-th week of a month (-1 = the last week).

    The first week is the one holding the month's first Thursday; the last week the
    one holding its last Thursday.
    """
    if ordinal > 0:
        first = date(year, month, 1)
        thursday = first + timedelta(days=(4 - first.isoweekday()) % 7)
        return iso_week(thursday + timedelta(weeks=ordinal - 1))
    last = date(year, month, _month_length(year, month))
    thursday = last - timedelta(days=(last.isoweekday() - 4) % 7)
    return iso_week(thursday)


SEASON_ORDER = {"WI": 0, "SP": 1, "SU": 2, "FA": 3}


def season_of(d: date) -> str:
    return ["WI", "WI", "SP", "SP", "SP", "SU", "SU", "SU", "FA", "FA", "FA", "WI"][d.month - 1]


def unit_value(unit: str, offset: int, dct: date | None) -> str:
    """Calendar unit shifted by ``offset`` from the DCT at that unit's granularity:
    day -> 2022-09-21, week -> 2022-W37, weekend -> 2022-W37-WE, month -> 2022-08,
    quarter -> 2022-Q3, half -> 2022-H2, year -> 2021, decade -> 202, century -> 20."""
    if dct is None:
        return {
            "day": "XXXX-XX-XX",
            "week": "XXXX-WXX",
            "weekend": "XXXX-WXX-WE",
            "month": "XXXX-XX",
            "quarter": "XXXX-QX",
            "half": "XXXX-HX",
            "year": "XXXX",
            "decade": "XXX",
            "century": "XX",
        }.get(unit, "XXXX")
    if unit in ("day", "night"):
        return (dct + timedelta(days=offset)).isoformat()
    if unit == "week":
        return iso_week(dct + timedelta(weeks=offset))
    if unit == "weekend":
        return iso_week(dct + timedelta(weeks=offset)) + "-WE"
    if unit == "fortnight":
        return iso_week(dct + timedelta(weeks=2 * offset))
    if unit == "month":
        d = add_months(dct, offset)
        return f"{d.year:04d}-{d.month:02d}"
    if unit == "quarter":
        index = dct.year * 4 + (dct.month - 1) // 3 + offset
        return f"{index // 4:04d}-Q{index % 4 + 1}"
    if unit == "half":
        index = dct.year * 2 + (dct.month - 1) // 6 + offset
        return f"{index // 2:04d}-H{index % 2 + 1}"
    if unit == "year":
        return f"{dct.year + offset:04d}"
    if unit == "decade":
        return f"{dct.year // 10 + offset:03d}"
    if unit == "century":
        return f"{dct.year // 100 + offset:02d}"
    if unit in ("hour", "minute", "second"):
        return dct.isoformat()
    return f"{dct.year:04d}"


def duration_value(amount: float | None, unit: str, code: str, is_time: bool) -> str:
    """TIMEX3 duration: P3D, PT24H, PXW (``amount`` None = vague), P10Y for a decade."""
    if code == "DE":
        code, factor = "Y", 10
    elif code == "CE":
        code, factor = "Y", 100
    elif code == "W2":
        code, factor = "W", 2
    elif code == "Q":
        code, factor = "M", 3
    else:
        factor = 1
    prefix = "PT" if is_time else "P"
    if amount is None:
        vague_code = {"Y": {10: "DE", 100: "CE"}.get(factor, "Y")}.get(code, code)
        return f"{prefix}X{vague_code}"
    value = amount * factor
    text = f"{value:g}" if value != int(value) else str(int(value))
    return f"{prefix}{text}{code}"


def ago_value(amount: float | None, unit: str, dct: date | None) -> str:
    """ "two weeks ago" -> the week two weeks before the DCT; vague amounts -> PAST_REF."""
    if amount is None:
        return "PAST_REF"
    n = int(round(amount))
    if unit in ("hour", "minute", "second"):
        return "PAST_REF" if dct is None else dct.isoformat()
    if unit == "decade":
        return unit_value("year", -10 * n, dct)[:3] if dct else "XXX"
    if unit == "century":
        return unit_value("year", -100 * n, dct)[:2] if dct else "XX"
    return unit_value(unit, -n, dct)


def easter(year: int) -> date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)
