"""How two claims of different outlets disagree: numbers of the same unit family,
event days, polarity, attribution. Each kind is one ``Difference`` that becomes one
phrase of a divergent group's ``why``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from rapidfuzz import fuzz

from newsdesk.compare.claim_info import ClaimInfo
from newsdesk.compare.cues import day_of
from newsdesk.compare.lexicon import WORD, load_config, stop_words
from newsdesk.compare.numbers import Number, same_number


def _days(info: ClaimInfo) -> dict[str, str]:
    """Day value -> surface texts of a claim's event dates (not reporting dates)."""
    days: dict[str, list[str]] = defaultdict(list)
    for value, text in info.dates.items():
        if day := day_of(value):
            days[day].append(text)
    return {d: ", ".join(t) for d, t in days.items()}


@dataclass
class Difference:
    """One kind of difference inside a group: each side's value and the outlets giving it."""

    kind: str
    sides: dict[str, list[str]] = field(default_factory=dict)  # value label -> outlets
    shown: dict[str, list[str]] = field(default_factory=dict)  # value label -> surface forms

    def add(self, key: str, outlet: str, surface: str) -> None:
        outlets = self.sides.setdefault(key, [])
        if outlet not in outlets:
            outlets.append(outlet)
        forms = self.shown.setdefault(key, [])
        if surface not in forms:
            forms.append(surface)

    def line(self) -> str:
        parts = [f"{' / '.join(self.shown[k])} ({', '.join(o)})" for k, o in self.sides.items()]
        verb = "differ" if self.kind.endswith("s") else "differs"
        return f"{self.kind} {verb}: " + " vs ".join(parts)


def number_differences(
    a: ClaimInfo, b: ClaimInfo, na: Sequence[Number], nb: Sequence[Number], found: dict[str, Difference]
) -> None:
    only_a = [n for n in na if not any(same_number(n.value, m.value) for m in nb)]
    only_b = [n for n in nb if not any(same_number(n.value, m.value) for m in na)]
    if only_a and only_b:
        diff = found.setdefault(f"numbers:{na[0].family}", Difference("numbers"))
        for info, nums in ((a, only_a), (b, only_b)):
            for n in nums:
                diff.add(f"{n.value:g}", info.outlet, n.label)


def date_differences(
    a: ClaimInfo, b: ClaimInfo, only_days_a: set[str] | None, only_days_b: set[str] | None,
    found: dict[str, Difference],
) -> None:
    days_a = {d: t for d, t in _days(a).items() if only_days_a is None or d in only_days_a}
    days_b = {d: t for d, t in _days(b).items() if only_days_b is None or d in only_days_b}
    if days_a and days_b and not set(days_a) & set(days_b):
        diff = found.setdefault("dates", Difference("dates"))
        for info, days in ((a, days_a), (b, days_b)):
            for day, text in days.items():
                diff.add(day, info.outlet, f"{text} = {day}")


def pair_differences(a: ClaimInfo, b: ClaimInfo, found: dict[str, Difference]) -> None:
    """Record into ``found`` how two aligned claims of different outlets disagree."""
    for family in sorted({n.family for n in a.numbers} & {n.family for n in b.numbers}):
        na = [n for n in a.numbers if n.family == family]
        nb = [n for n in b.numbers if n.family == family]
        number_differences(a, b, na, nb, found)
    date_differences(a, b, None, None, found)
    if a.negative != b.negative:
        diff = found.setdefault("polarity", Difference("polarity"))
        for info in (a, b):
            key = f"“{info.negator}”" if info.negative else "affirmative"
            diff.add(key, info.outlet, key)
    if a.source_kind != "outlet" and b.source_kind != "outlet" and not _same_source(a.source, b.source):
        diff = found.setdefault("attribution", Difference("attribution"))
        for info in (a, b):
            key = next((k for k in diff.sides if _same_source(k, info.source)), info.source)
            diff.add(key, info.outlet, key)


def divergences(a: ClaimInfo, b: ClaimInfo) -> list[str]:
    """Why two aligned claims disagree, one phrase per kind (empty: consistent)."""
    found: dict[str, Difference] = {}
    pair_differences(a, b, found)
    return [d.line() for d in found.values()]


@cache
def _source_stop() -> frozenset[str]:
    return stop_words() | frozenset(w.lower() for w in load_config()["sources"]["generic_words"])


def _same_source(x: str, y: str) -> bool:
    """Whether two attributions name the same source: the content words of one are
    contained in the other's ("the hydrological service" / "the national hydrological
    service", "Kadyrov" / "Ramzan Kadyrov"), or their token-set ratio is high."""
    x, y = x.lower().strip(), y.lower().strip()
    if x == y:
        return True
    stop = _source_stop()
    wx = {w for w in WORD.findall(x) if w not in stop}
    wy = {w for w in WORD.findall(y) if w not in stop}
    if wx and wy and (wx <= wy or wy <= wx):
        return True
    return fuzz.token_set_ratio(x, y) >= float(load_config()["sources"]["same_ratio"]) * 100
