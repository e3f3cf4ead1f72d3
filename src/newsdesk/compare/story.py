"""A story's comparison: claims grouped by fact, each group corroborated (two or more
outlets) or single-source, divergences found inside corroborated groups, and the few
related pairs precise enough to show."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from newsdesk.compare.claim_info import ClaimInfo, claim_infos
from newsdesk.compare.facts import PairScores, fact_groups, pair_scores
from newsdesk.compare.related import ClaimPair, related_pairs
from newsdesk.compare.slots import (
    SlotDivergence,
    cross_group_divergences,
    polarity_divergence,
    slot_divergences,
)
from newsdesk.model import Analysis, ClaimGroup, GroupStatus


@dataclass
class Comparison:
    """The result of comparing a story's claims: fact groups, divergences, related pairs,
    and each claim's features (for ranking single-source claims and sourcing)."""

    groups: list[ClaimGroup] = field(default_factory=list)
    related: list[ClaimPair] = field(default_factory=list)
    entity_names: dict[str, str] = field(default_factory=dict)
    divergences: list[SlotDivergence] = field(default_factory=list)
    infos: list[ClaimInfo] = field(default_factory=list)
    group_scores: dict[int, float] = field(default_factory=dict)


_STATUS_ORDER = {"divergent": 0, "corroborated": 1, "single-source": 2}


def _label(members: list[ClaimInfo]) -> ClaimGroup:
    outlets = list(dict.fromkeys(m.outlet for m in members))
    refs = [m.ref for m in members]
    if len(outlets) == 1:
        n = len({m.article_index for m in members})
        extra = f" ({n} articles)" if n > 1 else ""
        return ClaimGroup(refs, outlets, GroupStatus.SINGLE_SOURCE, f"only {outlets[0]} reports this{extra}")
    return ClaimGroup(
        refs, outlets, GroupStatus.CORROBORATED, f"reported by {len(outlets)} outlets: {', '.join(outlets)}"
    )


def _divergent_group(d: SlotDivergence) -> ClaimGroup:
    refs, seen = [], set()
    for v in d.values:
        if v.info.index not in seen:
            seen.add(v.info.index)
            refs.append(v.info.ref)
    outlets = list(dict.fromkeys(v.outlet for v in d.values))
    return ClaimGroup(refs, outlets, GroupStatus.DIVERGENT, d.why())


def compare_story(analyses: Sequence[Analysis]) -> Comparison:
    """Group the claims of ``analyses`` by fact across outlets.

    Groups come sorted divergent, corroborated, single-source (then by number of
    outlets and position). Every claim is in exactly one fact group; a divergent group
    repeats the claims of a corroborated group whose outlets give one slot different
    values (the fact is shared, the value is not)."""
    infos, display = claim_infos(analyses)
    if not infos:
        return Comparison(entity_names=display)
    scores: PairScores = pair_scores(infos)
    members = fact_groups(infos, scores)
    groups: list[ClaimGroup] = []
    divergences: list[SlotDivergence] = []
    group_of = [0] * len(infos)
    for k, m in enumerate(members):
        for i in m:
            group_of[i] = k
        group = _label([infos[i] for i in m])
        groups.append(group)
        if group.status == "corroborated":
            found = slot_divergences([infos[i] for i in m], lambda a, b: float(scores.total[a.index, b.index]))
            divergences.extend(found)
            polar = polarity_divergence(
                [infos[i] for i in m],
                {i: scores.clauses[i].negated for i in m},
                {i: scores.clauses[i].predicates for i in m},
            )
            if polar is not None:
                divergences.append(polar)
    divergences.extend(cross_group_divergences(infos, group_of))
    groups.extend(_divergent_group(d) for d in divergences)
    order = {id(g): k for k, g in enumerate(groups)}
    groups.sort(key=lambda g: (_STATUS_ORDER[g.status], -len(g.outlets), order[id(g)]))
    related = related_pairs(infos, scores, group_of, display)
    return Comparison(groups=groups, related=related, entity_names=display, divergences=divergences, infos=infos)


def compare(analyses: Sequence[Analysis]) -> list[ClaimGroup]:
    """Claim groups of a story: corroborated, single-source or divergent (with why)."""
    return compare_story(analyses).groups
