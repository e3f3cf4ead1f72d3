"""Dates: only real calendar dates in range are publication dates, relative words
are refused (never read against the clock), timex arithmetic never overflows."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from newsdesk.analyze.timex import extract_timexes
from newsdesk.clean import clean
from newsdesk.errors import BadDateError
from newsdesk.ingest.when import DateRefused, parse_date, read_date
from newsdesk.limits import default_limits
from newsdesk.model import RawArticle
from newsdesk.options import Options


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2022-09-23", date(2022, 9, 23)), ("2022-09-23T10:49:00Z", date(2022, 9, 23)), ("Sep 23, 2022", date(2022, 9, 23)),
     ("Fri, 23 Sep 2022 10:00:00 GMT", date(2022, 9, 23)), (date(1999, 1, 2), date(1999, 1, 2)), ("", None), (None, None)],
)
def test_real_dates_are_read(value: object, expected: date | None) -> None:
    assert read_date(value) == expected


@pytest.mark.parametrize("word", ["yesterday", "today", "3 days ago", "next week", "Monday", "last month"])
def test_relative_words_are_refused_with_a_reason(word: str) -> None:
    with pytest.raises(DateRefused, match="not read against today's clock"):
        read_date(word)
    assert parse_date(word) is None


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "1799-12-31", date(9999, 12, 25)])
def test_dates_out_of_range_are_refused(value: object) -> None:
    with pytest.raises(DateRefused, match="outside the accepted range"):
        read_date(value)


def test_range_is_a_setting() -> None:
    limits = dataclasses.replace(default_limits(), min_year=1700, max_days_ahead=0)
    assert read_date("1750-06-01", limits) == date(1750, 6, 1)
    with pytest.raises(DateRefused):
        read_date((date.today() + timedelta(days=1)).isoformat(), limits)


@pytest.mark.parametrize("published", [date(9999, 12, 31), date(1, 1, 1)])
def test_clean_refuses_an_out_of_range_date(published: date) -> None:
    raw = RawArticle(source="a.txt", text="Body of the article.", title="T", published=published)
    with pytest.raises(BadDateError, match="a.txt: publication date"):
        clean(raw, Options())
    with pytest.raises(BadDateError):
        clean(dataclasses.replace(raw, published=None), Options(published=published))


TEXT = (
    "Yesterday and tomorrow, next week, last month, next year, the following day, on Monday, "
    "3 days ago, in two weeks, next quarter, at Easter, this weekend, last Christmas, in 5 years, "
    "on December 31, a fortnight from now, the next decade."
)


@pytest.mark.parametrize(
    "anchor", [date(1, 1, 1), date(1, 1, 3), date(1, 1, 8), date(9999, 12, 31), date(9999, 12, 27), date(9999, 12, 24)]
)
def test_timex_near_the_ends_of_the_calendar_does_not_overflow(anchor: date) -> None:
    found = extract_timexes(TEXT, anchor)
    assert {t.text.lower() for t in found} >= {"yesterday", "tomorrow", "next week"}
    ordinary = {t.text: t.value for t in extract_timexes(TEXT, date(2024, 5, 15))}
    assert ordinary["tomorrow"] == "2024-05-16"
