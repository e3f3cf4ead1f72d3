"""Divergence only where it is one: the same slot of the same fact (a count, an amount,
a date) given different values by different outlets.

Why so strict: a brief that calls "the last two mid-term elections" and "15.6 million
votes" a disagreement, or that compares a date newsdesk mis-resolved, costs the analyst
more than it gives. So a divergence needs (1) two claims already aligned as the same
fact, (2) a value in each of the same kind (number family; date granularity) that the
other claim does not give, and (3) the same words around both values (what is counted,
what is dated). A date newsdesk resolved itself from relative words ("Thursday",
"last month") is flagged in the finding with the words, since the disagreement may be
newsdesk's own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations

from newsdesk.compare.claim_info import ClaimInfo
from newsdesk.compare.cues import window_stems
from newsdesk.compare.lexicon import load_config, stem, stop_words
from newsdesk.compare.numbers import Number, same_number

_YEAR = re.compile(r"^\d{4}$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


@dataclass
class SlotValue:
    """One outlet's value for a slot, with the claim that gives it."""

    outlet: str
    value: str
    shown: str
    info: ClaimInfo
    resolved: bool = False  # a date newsdesk resolved from relative words


@dataclass
class SlotDivergence:
    """Different values for one slot of one fact."""

    slot: str  # "count", "amount (money)", "date", "year"
    values: list[SlotValue] = field(default_factory=list)

    def why(self) -> str:
        parts: dict[str, list[str]] = {}
        shown: dict[str, str] = {}
        for v in self.values:
            parts.setdefault(v.value, [])
            if v.outlet not in parts[v.value]:
                parts[v.value].append(v.outlet)
            shown.setdefault(v.value, v.shown)
        text = f"{self.slot} differs: " + " vs ".join(f"{shown[k]} ({', '.join(o)})" for k, o in parts.items())
        resolved = [v for v in self.values if v.resolved]
        if resolved:
            words = ", ".join(dict.fromkeys(f"“{v.shown.split(' = ')[0]}”" for v in resolved))
            text += f"; rests on a date newsdesk resolved itself from {words}: check the wording"
        return text


def _cues(info: ClaimInfo, start: int, end: int) -> frozenset[str]:
    return window_stems(info.tokens, start, end)


def _number_slot(a: ClaimInfo, b: ClaimInfo, min_cues: int) -> SlotDivergence | None:
    for family in sorted({n.family for n in a.numbers} & {n.family for n in b.numbers}):
        na = [n for n in a.numbers if n.family == family]
        nb = [n for n in b.numbers if n.family == family]
        only_a = [n for n in na if not any(same_number(n.value, m.value) for m in nb)]
        only_b = [n for n in nb if not any(same_number(n.value, m.value) for m in na)]
        for x in only_a:
            for y in only_b:
                if _compatible_bounds(x, y) or not _same_counted(a, x, b, y):
                    continue
                shared = _cues(a, x.start, x.end) & _cues(b, y.start, y.end)
                if len(shared) >= min_cues:
                    slot = "count" if family == "count" else f"amount ({family})"
                    return SlotDivergence(
                        slot,
                        [
                            SlotValue(a.outlet, f"{x.value:g}", x.label or x.text, a),
                            SlotValue(b.outlet, f"{y.value:g}", y.label or y.text, b),
                        ],
                    )
    return None


_NEXT_WORD = re.compile(r"[\s-]*(?:of\s+)?([A-Za-z][\w'’-]*)")


_AGE_BEFORE = re.compile(
    r"\b(?:aged|ages?(?:\s+of)?)\s+(?:around\s+|about\s+|between\s+)?(?:\d+\s*(?:-|to|and)\s*)?$", re.IGNORECASE
)


def _counted(info: ClaimInfo, n: Number) -> str:
    """The stem of the noun right after a number ("13 children" -> "children",
    "at least 15 people" -> "peopl"), "age" for an age ("aged 20 to 25", "between the
    ages of 20-24"), "" when a number word, a verb or punctuation follows ("more than
    30 were injured")."""
    if _AGE_BEFORE.search(info.ref.text[max(0, n.start - 40) : n.start]):
        return "age"
    cfg = load_config()
    number_words = set(cfg["numbers"]["units"]) | set(cfg["numbers"]["tens"]) | set(cfg["numbers"]["scales"])
    m = _NEXT_WORD.match(info.ref.text, n.end)
    if not m:
        return ""
    word = m.group(1).lower()
    if word in number_words or word in stop_words() or word in _NON_NOUNS:
        return ""
    return stem(word)


# words that follow a count without naming what it counts
_NON_NOUNS = frozenset({"were", "was", "are", "is", "have", "had", "has", "died", "killed", "percent", "per"})


def _same_counted(a: ClaimInfo, x: Number, b: ClaimInfo, y: Number) -> bool:
    """Both numbers count the same named thing ("13 children" is not the same slot as
    "15 people"); a bare number is never a slot of its own."""
    cx, cy = _counted(a, x), _counted(b, y)
    return bool(cx) and cx == cy


def _compatible_bounds(x: Number, y: Number) -> bool:
    """ "more than 30" and "47" do not conflict; nor "at least 15" and "15"."""
    low = ("more than", "over", "at least", "as many as")
    high = ("fewer than", "less than", "under", "at most", "up to")
    for p, q in ((x, y), (y, x)):
        label = p.label.lower()
        if label.startswith(low) and q.value >= p.value:
            return True
        if label.startswith(high) and q.value <= p.value:
            return True
        rounded = label.startswith(("about", "around", "nearly", "almost", "roughly", "approximately", "some"))
        if rounded and abs(p.value - q.value) <= 0.1 * max(p.value, q.value):
            return True
    return False


def _date_grain(value: str) -> tuple[str, str] | None:
    if m := _DAY.match(value):
        return "date", m.group(0)
    if _YEAR.match(value):
        return "year", value
    return None


def _distance(x: str, y: str) -> int:
    """Days between two day values, years between two years (0 when unparsable)."""
    try:
        if _YEAR.match(x) and _YEAR.match(y):
            return abs(int(x) - int(y))
        return abs((date.fromisoformat(x[:10]) - date.fromisoformat(y[:10])).days)
    except ValueError:
        return 0


def _resolved(info: ClaimInfo, value: str, surface: str) -> bool:
    """Whether newsdesk worked the date out itself: anchored to the publication date and
    written without a year ("Thursday", "last month"), not "5 July 2016"."""
    return any(r.startswith(value) for r in info.resolved_dates) and not re.search(r"\d{4}", surface)


def _inside_quote(text: str, offset: int) -> bool:
    """Whether ``offset`` sits inside quotation marks (an odd number of marks before it)."""
    before = text[:offset]
    straight = before.count('"')
    return straight % 2 == 1 or before.count("“") > before.count("”")


def _date_slot(a: ClaimInfo, b: ClaimInfo, min_cues: int) -> SlotDivergence | None:
    def spans(info: ClaimInfo) -> list[tuple[str, str, str, frozenset[str]]]:
        out = []
        text = info.ref.text
        for value, surface in info.dates.items():
            grain = _date_grain(value)
            if not grain:
                continue
            at = text.find(surface)
            if at < 0 or _inside_quote(text, at):
                continue  # "today" in a quote is dated by when it was said, not the article
            out.append((grain[0], grain[1], surface, _cues(info, at, at + len(surface))))
        return out

    sa, sb = spans(a), spans(b)
    tolerance = int(load_config()["divergence"]["year_tolerance"])
    for grain in ("date", "year"):
        da = {v for g, v, _s, _c in sa if g == grain}
        db = {v for g, v, _s, _c in sb if g == grain}
        if not da or not db or da & db:
            continue
        # the pair of values whose surrounding words agree most is the slot
        # the pair of values whose surrounding words agree most is the slot; on a tie the
        # nearer values (a near-miss is what conflicting reports look like)
        best = max(
            (
                (len(ca & cb), -_distance(va, vb), xa, va, xb, vb)
                for ga, va, xa, ca in sa
                for gb, vb, xb, cb in sb
                if ga == gb == grain and va != vb and (grain != "year" or _distance(va, vb) <= tolerance)
            ),
            default=None,
        )
        if best is None or best[0] < min_cues + 1:
            continue
        _n, _d, xa, va, xb, vb = best
        return SlotDivergence(
            grain,
            [
                SlotValue(a.outlet, va, f"{xa} = {va}", a, _resolved(a, va, xa)),
                SlotValue(b.outlet, vb, f"{xb} = {vb}", b, _resolved(b, vb, xb)),
            ],
        )
    return None


def slot_divergences(
    members: Sequence[ClaimInfo], pair_score: Callable[[ClaimInfo, ClaimInfo], float]
) -> list[SlotDivergence]:
    """Divergences inside one fact group: pairs of different outlets whose ``pair_score``
    reaches ``min_pair_score`` (the same statement), with the same slot valued
    differently. A pair scoring ``strong_pair_score`` or more states one event in near
    the same words, so the same counted noun ("400 soldiers" / "about 300 soldiers")
    needs no further shared cue. Divergences of the same slot merge (each outlet's value
    listed once)."""
    cfg = load_config()["divergence"]
    min_cues = int(cfg["min_shared_cues"])
    min_pair, strong = float(cfg["min_pair_score"]), float(cfg["strong_pair_score"])
    found: dict[str, SlotDivergence] = {}
    for a, b in combinations(members, 2):
        score = pair_score(a, b)
        if a.outlet == b.outlet or score < min_pair:
            continue
        for finder in (_number_slot, _date_slot):
            need = 0 if finder is _number_slot and score >= strong else min_cues
            d = finder(a, b, need)
            if d is None:
                continue
            merged = found.setdefault(d.slot, SlotDivergence(d.slot))
            for v in d.values:
                if not any(w.info is v.info and w.value == v.value for w in merged.values):
                    merged.values.append(v)
    return list(found.values())


def polarity_divergence(
    members: Sequence[ClaimInfo], negated: dict[int, bool], predicates: dict[int, frozenset[str]]
) -> SlotDivergence | None:
    """The same event affirmed by one outlet and negated by another: main clauses with
    a shared predicate, one negated (the parse's "not", not any "not" in the sentence)."""
    for a, b in combinations(members, 2):
        if a.outlet == b.outlet or negated[a.index] == negated[b.index]:
            continue
        if (b if negated[a.index] else a).negative:
            continue  # a "not" the parse missed: no divergence on a misparse
        if not predicates[a.index] & predicates[b.index]:
            continue
        d = SlotDivergence("polarity")
        for info in (a, b):
            key = f"“{info.negator or 'not'}”" if negated[info.index] else "affirmative"
            d.values.append(SlotValue(info.outlet, key, key, info))
        return d
    return None


_AGE_STEMS = frozenset({"age", "aged"})


def _ages(info: ClaimInfo) -> tuple[frozenset[float], str, int, int]:
    """(values, as written, start, end) of the ages a claim gives ("aged 20 to 25")."""
    nums = [n for n in info.numbers if _counted(info, n) == "age"]
    if not nums:
        return frozenset(), "", 0, 0
    start = min(n.start for n in nums)
    end = max(n.end for n in nums)
    head = _AGE_BEFORE.search(info.ref.text[max(0, nums[0].start - 40) : nums[0].start])
    lead = nums[0].start - (len(head.group(0)) if head else 0)
    return frozenset(n.value for n in nums), info.ref.text[lead:end].strip(), start, end


def cross_group_divergences(infos: Sequence[ClaimInfo], group_of: Sequence[int]) -> list[SlotDivergence]:
    """Ages and years that outlets state in sentences the alignment kept apart ("the
    hikers, aged 20 to 25" / "hikers between the ages of 20-24"; "mayor since
    2011" / "elected mayor in 2012"): the same slot when the words around the values
    share ``cross_min_cues`` stems and the claims share an entity or those words."""
    cfg = load_config()["divergence"]
    need = int(cfg["cross_min_cues"])
    found: dict[str, SlotDivergence] = {}
    aged = [(i, *_ages(i)) for i in infos]
    aged = [t for t in aged if t[1]]
    for (a, va, sa, a0, a1), (b, vb, sb, b0, b1) in combinations(aged, 2):
        if a.outlet == b.outlet or va == vb:
            continue
        # the words around the ages must meet beyond "age" itself ("hikers"), and the
        # ages must be near-misses: 61 against 20 is two events of a life, not a conflict
        shared = (_cues(a, a0, a1) & _cues(b, b0, b1)) - _AGE_STEMS
        near = max(abs(max(va) - max(vb)), abs(min(va) - min(vb))) <= cfg["age_tolerance"] * max(max(va), max(vb))
        if len(shared) >= need - 1 and near:
            d = found.setdefault("age", SlotDivergence("age"))
            for info, value, shown in ((a, va, sa), (b, vb, sb)):
                key = "-".join(f"{x:g}" for x in sorted(value))
                if not any(w.info is info for w in d.values):
                    d.values.append(SlotValue(info.outlet, key, shown, info))
    for a, b in combinations(infos, 2):
        if a.outlet == b.outlet or group_of[a.index] == group_of[b.index]:
            continue
        if not (a.entities & b.entities):
            continue
        d2 = _date_slot(a, b, need - 1)
        if d2 is not None and d2.slot == "year":
            merged = found.setdefault("year", SlotDivergence("year"))
            for v in d2.values:
                if not any(w.info is v.info and w.value == v.value for w in merged.values):
                    merged.values.append(v)
    for d3 in _cross_group_counts(infos, group_of, float(cfg["count_ratio"])):
        merged = found.setdefault("count", SlotDivergence("count"))
        for v in d3.values:
            if not any(w.info is v.info and w.value == v.value for w in merged.values):
                merged.values.append(v)
    return [d for d in found.values() if len({v.value for v in d.values}) > 1]


def _people_counts(info: ClaimInfo) -> list[tuple[str, Number]]:
    """(topic field, number) of the claim's counts of people ("1,500 evacuated", "2,000
    residents had to leave"), only when the claim gives no other count: a sentence
    with several ("15 killed, including 13 students"; "13 children and two teachers")
    breaks a total down or tells two events."""
    out = []
    for (family, topic), nums in info.quantities.items():
        if family != "count":
            continue
        people = [n for n in nums if n.unit != "count"]
        if len(people) == 1 and sum(1 for n in info.numbers if n.family == "count") == 1:
            out.append((topic, people[0]))
    return out


def _cross_group_counts(infos: Sequence[ClaimInfo], group_of: Sequence[int], ratio: float) -> list[SlotDivergence]:
    """Counts of people of one event in sentences the alignment kept apart ("1,500
    evacuated" / "2,000 residents had to leave"): the same slot when both count the same
    unit (people, troops) in the same topic field, the claims share an entity (in the
    sentence or its neighbours), the qualifiers do not make them compatible, and the
    values are near-misses (at most ``count_ratio`` apart): 15 against 400 are two
    different counts, not one disputed."""
    counted = [(i, _people_counts(i)) for i in infos]
    counted = [(i, c) for i, c in counted if c]
    out = []
    for (a, ca), (b, cb) in combinations(counted, 2):
        if a.outlet == b.outlet or group_of[a.index] == group_of[b.index]:
            continue
        if not (a.context_entities & b.context_entities):
            continue
        for ta, x in ca:
            for tb, y in cb:
                if ta != tb or x.unit != y.unit or same_number(x.value, y.value) or _compatible_bounds(x, y):
                    continue
                if max(x.value, y.value) > ratio * min(x.value, y.value):
                    continue
                out.append(
                    SlotDivergence(
                        "count",
                        [
                            SlotValue(a.outlet, f"{x.value:g}", x.label or x.text, a),
                            SlotValue(b.outlet, f"{y.value:g}", y.label or y.text, b),
                        ],
                    )
                )
    return out
