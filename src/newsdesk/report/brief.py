"""Build the Story record of a brief from a story's analyses.

Why a separate step from rendering: the Markdown brief, the HTML brief, the JSON
export and the web page all show the same story, so the choices (which headline
names the story, which entities matter, which events are dated, how claims align)
are made once here and the renderers only lay them out.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from rapidfuzz import fuzz

from newsdesk.compare import compare_story, entity_keys, load_config, outlet_name
from newsdesk.model import Analysis, Sentence
from newsdesk.report.story_view import (
    ArticleView,
    Disagreement,
    DisagreementValue,
    QuoteLine,
    SpeakerQuotes,
    StoryView,
    TimelineEvent,
    is_opinion,
    key_facts,
    rank_single_source,
    sourcing_profile,
)

__all__ = [
    "build_story",
    "central_title",
    "cooccurrence",
    "quotes_by_speaker",
    "story_entities",
    "story_window",
    "timeline",
    "timeline_days",
    "timex_date",
]

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH_WEEK = re.compile(r"^(\d{4})-(\d{2})-W(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")


def timex_date(value: str | None) -> date | None:
    """The first day a TIMEX3 value covers (2022-09-21, 2022-09, 2022-W36,
    2022-09-W01, 2022), or None for durations, sets and unresolved values."""
    if not value:
        return None
    try:
        if m := _DAY.match(value):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _MONTH_WEEK.match(value):
            first = date(int(m[1]), int(m[2]), 1)
            return first + timedelta(weeks=int(m[3]) - 1)
        if m := _WEEK.match(value):
            return date.fromisocalendar(int(m[1]), int(m[2]), 1)
        if m := _MONTH.match(value):
            return date(int(m[1]), int(m[2]), 1)
        if m := _YEAR.match(value):
            return date(int(m[1]), 1, 1)
    except ValueError:
        return None
    return None


def central_title(analyses: Sequence[Analysis]) -> str | None:
    """The headline most like the others (highest mean token-set similarity): the
    one that best names what every outlet reports; the first one on ties."""
    titles = [a.article.title for a in analyses if a.article.title]
    if len(titles) <= 2:
        return titles[0] if titles else None

    def centrality(t: str) -> float:
        return sum(fuzz.token_set_ratio(t, o) for o in titles if o is not t)

    return max(titles, key=centrality)


def story_entities(analyses: Sequence[Analysis], limit: int | None = None) -> list[tuple[str, int, int]]:
    """(canonical name, outlets mentioning it, mentions) sorted by outlets, then mentions:
    an entity every outlet names is more central than one outlet names often."""
    keys, display = entity_keys(analyses)
    outlets: dict[str, set[str]] = defaultdict(set)
    mentions: Counter[str] = Counter()
    for (i, _s, _e), key in keys.items():
        outlets[key].add(outlet_name(analyses[i]))
        mentions[key] += 1
    ranked = sorted(mentions, key=lambda k: (-len(outlets[k]), -mentions[k], display[k]))
    rows = [(display[k], len(outlets[k]), mentions[k]) for k in ranked]
    return rows[:limit] if limit else rows


def _sentence_at(sentences: list[Sentence], start: int, end: int) -> tuple[int, int] | None:
    for s in sentences:
        if s.start <= start and end <= s.end:
            return s.start, s.end
    return None


def story_window(analyses: Sequence[Analysis]) -> tuple[date, date] | None:
    """The days a story's timeline covers: ``timeline.days_before`` days before the first
    publication date to ``timeline.days_after`` after the last (``compare.toml``); None
    when no article is dated. Older references ("completed in 1974", "since 1968") are
    background: on a chart they would squash the story's days into one point."""
    days = [a.article.published for a in analyses if a.article.published]
    if not days:
        return None
    cfg = load_config()["timeline"]
    return min(days) - timedelta(days=int(cfg["days_before"])), max(days) + timedelta(days=int(cfg["days_after"]))


def _heading(value: str, day: date) -> str:
    """How a date group is headed: a day with its weekday (the articles say "Tuesday"),
    a coarser value as written ("2024-W09", "2024-03", "1968")."""
    if _DAY.match(value):
        return f"{day.isoformat()} ({day.strftime('%A')})"
    return value


def timeline(analyses: Sequence[Analysis]) -> list[TimelineEvent]:
    """Dated events: every time expression resolved to a calendar date, with the
    sentence it sits in, sorted by date. Unanchored values ("XXXX-02-24") are left
    out because their year is a guess the analyst has not asked for. Each event has
    ``period`` "timeline" (inside :func:`story_window`) or "background", and a
    ``heading`` shared by events of the same day, so a day reported by several outlets
    reads as one entry with each outlet's sentence under it."""
    window = story_window(analyses)
    events: list[TimelineEvent] = []
    seen: set[tuple[str, str, int]] = set()
    for a in analyses:
        text = a.article.text
        for t in a.timexes:
            day = timex_date(t.value) if t.anchored or (t.value and not t.value.startswith("X")) else None
            if day is None or t.type not in ("DATE", "TIME"):
                continue
            start, end = _sentence_at(a.sentences, t.start, t.end) or (t.start, t.end)
            key = (a.article.id, t.value or "", start)
            if key in seen:
                continue
            seen.add(key)
            inside = window is None or window[0] <= day <= window[1]
            events.append(
                TimelineEvent(
                    date=day.isoformat(),
                    value=t.value,
                    heading=_heading(t.value or "", day),
                    period="timeline" if inside else "background",
                    timex=t.text,
                    anchored=t.anchored,
                    text=text[start:end],
                    article_id=a.article.id,
                    outlet=outlet_name(a),
                    start=start,
                    end=end,
                )
            )
    return sorted(events, key=lambda e: (e.date, len(e.heading), e.heading, e.outlet, e.start))


def timeline_days(events: Sequence[Any], period: str = "timeline") -> list[tuple[str, list[Any]]]:
    """(heading, events) for the events of one ``period``, in date order: one entry per
    day (or coarser value), each outlet's sentence under it."""
    grouped: dict[str, list[Any]] = {}
    for e in events:
        if e.get("period", "timeline") == period:
            grouped.setdefault(e.get("heading") or e["date"], []).append(e)
    return list(grouped.items())


def quotes_by_speaker(analyses: Sequence[Analysis]) -> list[tuple[str, list[dict[str, Any]]]]:
    """(speaker, [{outlet, quote}]) with the speakers quoted by most outlets first, then
    most quotes: who said what across the story, each line with outlet and channel."""
    by_speaker: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for a in analyses:
        for q in a.quotes:
            name = q.speaker.name if q.speaker else "unattributed"
            by_speaker[name].append({"outlet": outlet_name(a), "quote": q})

    def rank(item: tuple[str, list[dict[str, Any]]]) -> tuple[int, int, int, str]:
        name, rows = item
        return (name == "unattributed", -len({r["outlet"] for r in rows}), -len(rows), name.lower())

    return sorted(by_speaker.items(), key=rank)


def cooccurrence(analyses: Sequence[Analysis], names: Sequence[str]) -> dict[tuple[str, str], int]:
    """How many sentences name both entities, for each pair of ``names``."""
    keys, display = entity_keys(analyses)
    wanted = set(names)
    by_sentence: dict[tuple[int, int], set[str]] = defaultdict(set)
    for i, a in enumerate(analyses):
        spans = sorted((s.start, s.end) for s in a.sentences)
        for (ai, start, _end), key in keys.items():
            if ai != i or display[key] not in wanted:
                continue
            for s_start, s_end in spans:
                if s_start <= start < s_end:
                    by_sentence[(i, s_start)].add(display[key])
                    break
    counts: Counter[tuple[str, str]] = Counter()
    for members in by_sentence.values():
        ordered = sorted(members)
        for x in range(len(ordered)):
            for y in range(x + 1, len(ordered)):
                counts[(ordered[x], ordered[y])] += 1
    return dict(counts)


def _who_said_what(analyses: Sequence[Analysis]) -> list[SpeakerQuotes]:
    out = []
    for name, rows in quotes_by_speaker(analyses):
        lines = []
        for r in rows:
            q = r["quote"]
            aid = next((a.article.id for a in analyses if outlet_name(a) == r["outlet"] and q in a.quotes), "")
            lines.append(QuoteLine(r["outlet"], q.kind, q.text, aid, q.start, q.end, q.channel, q.addressee))
        out.append(SpeakerQuotes(name, len({r["outlet"] for r in rows}), lines))
    return out


def _notes(analyses: Sequence[Analysis]) -> list[str]:
    """What the reader must know about the inputs: undated articles, unknown outlets."""
    notes = []
    undated = [a for a in analyses if not a.article.published]
    if undated:
        names = ", ".join(outlet_name(a) for a in undated[:5]) + (" ..." if len(undated) > 5 else "")
        notes.append(
            f"{len(undated)} of {len(analyses)} article(s) carry no publication date ({names}): "
            'relative dates in them ("Tuesday", "last month") could not be resolved, so the '
            "timeline and date comparisons miss them; pass --published YYYY-MM-DD."
        )
    unknown = [outlet_name(a) for a in analyses if outlet_name(a).startswith("unknown outlet")]
    if unknown:
        notes.append(f"{len(unknown)} article(s) name no outlet (no metadata, no URL); each counts as its own source.")
    return notes


def _disagreements(comparison: Any) -> list[Disagreement]:
    out = []
    for d in comparison.divergences:
        values = [DisagreementValue(v.outlet, v.value, v.shown, v.info.ref, v.resolved) for v in d.values]
        out.append(Disagreement(d.slot, d.why(), values))
    return out


def build_story(analyses: Sequence[Analysis], story_id: str | None = None, title: str | None = None) -> StoryView:
    """The typed story view of a brief: articles with their sourcing, key facts,
    disagreements, who said what, timeline, ranked single-source claims, tension pairs,
    every claim group, and notes on the inputs."""
    ids = [a.article.id for a in analyses]
    if story_id is None:
        story_id = hashlib.sha256("\n".join(sorted(ids)).encode()).hexdigest()[:12]
    comparison = compare_story(analyses)
    outlet_of = {a.article.id: outlet_name(a) for a in analyses}
    articles = [
        ArticleView(
            a.article.id,
            outlet_name(a),
            a.article.title,
            a.article.url,
            a.article.published,
            is_opinion(a),
            sourcing_profile(a),
        )
        for a in analyses
    ]
    return StoryView(
        id=story_id,
        title=title or central_title(analyses) or f"Story {story_id}",
        article_ids=ids,
        articles=articles,
        key_facts=key_facts(comparison.groups, analyses),
        disagreements=_disagreements(comparison),
        who_said_what=_who_said_what(analyses),
        timeline=timeline(analyses),
        single_source=rank_single_source(comparison.groups, analyses, outlet_of),
        related=comparison.related,
        groups=comparison.groups,
        entities=[name for name, _outlets, _n in story_entities(analyses)],
        notes=_notes(analyses),
    )


def story_from_store(story_id: str, db_url: str | None = None) -> tuple[StoryView, list[Analysis]]:
    """A stored story's Story record and analyses (for ``newsdesk brief STORY_ID``).

    Raises NewsdeskError naming the story and the database when the id is unknown."""
    from newsdesk.errors import NewsdeskError
    from newsdesk.store import Store

    with Store(db_url) as store:
        found = store.get_story(story_id)
        if found is None:
            raise NewsdeskError(f"no story {story_id!r} in {store.url} (list stories with `newsdesk stories`)")
    story, analyses = found
    return story, analyses
