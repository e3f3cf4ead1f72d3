"""Publication dates from the many shapes metadata comes in.

ISO strings (``2022-09-23``, ``2022-09-23T10:49:00Z``) are parsed directly; other
shapes (``Sep 23, 2022``, RFC 2822 feed dates) go through dateparser, which is
slow, so it is only the fallback.
"""

from __future__ import annotations

from datetime import date, datetime

import dateparser

_SETTINGS = {"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["year", "month"]}


def parse_date(value: object) -> date | None:
    """A date from a string/date/datetime, or None when it cannot be read as one."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    parsed = dateparser.parse(text, settings=_SETTINGS)
    return parsed.date() if parsed else None
