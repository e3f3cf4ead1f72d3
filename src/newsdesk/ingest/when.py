"""Publication dates from the many shapes metadata comes in.

ISO strings (``2022-09-23``, ``2022-09-23T10:49:00Z``) are parsed directly; other
shapes (``Sep 23, 2022``, RFC 2822 feed dates) go through dateparser, which is
slow, so it is only the fallback.

Only a real calendar date inside the accepted range (``data/limits.toml``:
1800-01-01 to today + a year) is a publication date. Relative words
("yesterday", "3 days ago") are never resolved: read against the clock of the
machine doing the ingest they would give a date that depends on when the ingest
ran, silently wrong for an archive. :func:`read_date` says why a value is refused;
:func:`parse_date` is its lenient twin for dates found in markup or headers,
where a bad value only means "no date".
"""

from __future__ import annotations

from datetime import date, datetime

import dateparser

from newsdesk.limits import Limits, default_limits

# No "relative-time" parser: "yesterday" must not become a date.
_SETTINGS = {
    "PREFER_DAY_OF_MONTH": "first",
    "REQUIRE_PARTS": ["year", "month"],
    "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
}
_MAX_CHARS = 100  # a date string longer than this is not a date (and dateparser is slow)


class DateRefused(ValueError):
    """Why a value is not accepted as a publication date (one short sentence)."""


def read_date(value: object, limits: Limits | None = None) -> date | None:
    """A publication date, None when ``value`` is empty; raises DateRefused otherwise.

    Strings must name a calendar date (ISO or a common written form); dates and
    datetimes are taken as they are. Either way the date must be inside
    ``limits.date_range()``.
    """
    if value is None or value == "":
        return None
    found = _as_date(value)
    low, high = (limits or default_limits()).date_range()
    if not low <= found <= high:
        raise DateRefused(f"{found.isoformat()} is outside the accepted range {low.isoformat()} to {high.isoformat()}")
    return found


def parse_date(value: object, limits: Limits | None = None) -> date | None:
    """A date from a string/date/datetime, or None when it is not a real date in range."""
    try:
        return read_date(value, limits)
    except DateRefused:
        return None


def _as_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise DateRefused(f"expected a date string, got {type(value).__name__}")
    text = value.strip()
    if len(text) > _MAX_CHARS:
        raise DateRefused(f"not a date (a {len(text):,}-character string)")
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    try:
        parsed = dateparser.parse(text, settings=_SETTINGS)  # type: ignore[arg-type]
    except (ValueError, OverflowError, OSError):  # out-of-range timestamps, odd calendars
        parsed = None
    if parsed is None:
        raise DateRefused(
            f"not a calendar date: {text[:40]!r} (give a date such as 2024-05-31; "
            "relative words like 'yesterday' are not read against today's clock)"
        )
    return parsed.date()
