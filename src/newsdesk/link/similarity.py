"""How close a new article is to an event: key cosine, weighed by time proximity.

An event is one happening reported by several outlets within days, so two reports
that share specific keys (rare entities, numbers, headline words) but are weeks
apart are usually two events of one ongoing matter (a storyline, ``storylines.py``),
not one. The score is the cosine of the IDF-weighted keys times a time factor that
is 1 inside the event's dates plus ``grace_days`` and decays exponentially after.

Undated articles (40-60% of crawled pages) have no time evidence at all: they join
an event only above ``undated_threshold`` (higher than ``threshold``), so one undated
background piece does not glue unrelated events of a topic together.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

from newsdesk.link.features import StoryConfig


def days_outside(published: date | None, first: date | None, last: date | None, span_days: int = 3650) -> int | None:
    """Days between ``published`` and the event's dates (0 inside); None if unknown.

    The event's dates run from its first report to its last, but at most
    ``span_days`` after the first: a chain of follow-ups must not stretch an event
    over weeks (that is a storyline, not an event)."""
    if published is None or (first is None and last is None):
        return None
    first = first or last
    last = last or first
    assert first is not None and last is not None
    last = min(last, first + timedelta(days=span_days))
    if published > last:
        return (published - last).days
    if published < first:
        return (first - published).days
    return 0


def time_factor(gap: int | None, config: StoryConfig) -> float:
    """1 within ``grace_days`` of the event, then ``exp(-(gap - grace) / decay_days)``."""
    if gap is None or gap <= config.grace_days:
        return 1.0
    return math.exp(-(gap - config.grace_days) / config.decay_days)


def join_threshold(published: date | None, config: StoryConfig) -> float:
    """The score an article needs to join an event: higher when it has no date."""
    return config.threshold if published is not None else config.undated_threshold
