"""Event-count and event-date divergence: differently worded claims of different
outlets that report the same quantity or the same day's event, grouped when the outlets
give it differently."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations

from newsdesk.compare.claim_info import ClaimInfo
from newsdesk.compare.divergence import Difference, date_differences, number_differences
from newsdesk.compare.lexicon import load_config
from newsdesk.model import ClaimGroup
from newsdesk.unionfind import UnionFind


def _entities_compatible(a: ClaimInfo, b: ClaimInfo) -> bool:
    return not (a.context_entities and b.context_entities and not a.context_entities & b.context_entities)


def _linked_days(a: ClaimInfo, b: ClaimInfo) -> tuple[set[str], set[str]]:
    """The days of ``a`` and of ``b`` whose neighbouring words overlap enough to be the
    same event ("the dam ... gave way on Tuesday" / "gave way early on Wednesday")."""
    minimum = int(load_config()["cues"]["min_shared_date_cues"])
    days_a: set[str] = set()
    days_b: set[str] = set()
    for day_a, cues_a in a.date_cues.items():
        for day_b, cues_b in b.date_cues.items():
            if len(cues_a & cues_b) >= minimum:
                days_a.add(day_a)
                days_b.add(day_b)
    return days_a, days_b


def event_groups(infos: list[ClaimInfo], pairs: Iterable[tuple[int, int]]) -> list[ClaimGroup]:
    """Divergent groups of differently worded claims about one event quantity or date.

    Outlets word a lead sentence their own way ("1,500 evacuated as Olta bursts its
    banks" vs "Around 2,000 residents had to leave their homes"), so text similarity
    misses exactly the claims a fact-checker compares. Two claims meet here when a
    number in each counts the same kind of thing in the same topic field (count family
    + field of the words next to it), or a date in each sits next to the same words;
    they must also share an entity of their sentences or neighbours. Each key is its
    own group and its ``why`` names only that quantity or date, so the evacuation count
    and the death toll of the same lead sentences stay two findings. Only groups whose
    outlets disagree are returned: agreement is already what the text groups show."""
    by_key: dict[str, UnionFind[int]] = {}
    involved: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    for i, j in pairs:
        a, b = infos[i], infos[j]
        if a.outlet == b.outlet or not _entities_compatible(a, b):
            continue
        for key in a.quantity_keys & b.quantity_keys:
            name = f"q:{key[0]}:{key[1]}"
            by_key.setdefault(name, UnionFind()).union(i, j)
            involved[name][i].add("*")
            involved[name][j].add("*")
        days_a, days_b = _linked_days(a, b)
        if days_a:
            by_key.setdefault("d", UnionFind()).union(i, j)
            involved["d"][i] |= days_a
            involved["d"][j] |= days_b
    groups: list[ClaimGroup] = []
    for name, uf in sorted(by_key.items()):
        components: dict[int, list[int]] = defaultdict(list)
        for i in sorted(involved[name]):
            components[uf.find(i)].append(i)
        for members in components.values():
            found: dict[str, Difference] = {}
            for i, j in combinations(members, 2):
                a, b = infos[i], infos[j]
                if a.outlet == b.outlet:
                    continue
                if name.startswith("q:"):
                    family, topic = name[2:].split(":", 1)
                    number_differences(a, b, a.quantities[(family, topic)], b.quantities[(family, topic)], found)
                else:
                    date_differences(a, b, involved[name][i], involved[name][j], found)
            if found:
                refs = [infos[i].ref for i in members]
                outlets = list(dict.fromkeys(infos[i].outlet for i in members))
                groups.append(ClaimGroup(refs, outlets, "divergent", "; ".join(d.line() for d in found.values())))
    return groups
