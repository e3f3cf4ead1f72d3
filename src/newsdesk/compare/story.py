"""A story's comparison: text-aligned groups and event groups merged without
repeating a finding, sorted for the reader, plus the related pairs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from newsdesk.compare.align import candidate_pairs, label_group, same_claim_score
from newsdesk.compare.claim_info import ClaimInfo, claim_infos
from newsdesk.compare.events import event_groups
from newsdesk.compare.lexicon import load_config
from newsdesk.compare.related import related_pairs
from newsdesk.model import Analysis, ClaimGroup
from newsdesk.unionfind import UnionFind


@dataclass
class Comparison:
    """The result of comparing a story's claims: aligned groups and related pairs."""

    groups: list[ClaimGroup] = field(default_factory=list)
    related: list[dict[str, Any]] = field(default_factory=list)
    entity_names: dict[str, str] = field(default_factory=dict)


def _merge_groups(cue_groups: list[ClaimGroup], text_groups: list[ClaimGroup]) -> list[ClaimGroup]:
    """Cue groups and text groups without repeating a finding: an event group inside a
    divergent text group adds nothing, and a divergent or single-source text group
    inside an event group is already shown there (a claim already in a divergent
    event group is not "only X reports this")."""
    def refs(g: ClaimGroup) -> set[tuple[str, int]]:
        return {(r.article_id, r.start) for r in g.claims}

    divergent_text = [refs(g) for g in text_groups if g.status == "divergent"]
    kept_cues = [g for g in cue_groups if not any(refs(g) <= d for d in divergent_text)]
    cue_refs = [refs(g) for g in kept_cues]
    kept_text = [
        g for g in text_groups
        if g.status == "corroborated" or not any(refs(g) <= c for c in cue_refs)
    ]
    return kept_cues + kept_text


_STATUS_ORDER = {"divergent": 0, "corroborated": 1, "single-source": 2}


def compare_story(analyses: Sequence[Analysis]) -> Comparison:
    """Align the claims of ``analyses`` across outlets and find related pairs.

    Groups come sorted divergent, corroborated, single-source (then by number of
    outlets and position). A claim is in one text-aligned group; a claim that also
    reports an event quantity or date other outlets give differently is in that
    divergent event group too (and then not listed as single-source).""" 
    infos, display = claim_infos(analyses)
    if not infos:
        return Comparison(entity_names=display)
    cfg = load_config()["align"]
    pairs = candidate_pairs(infos)
    uf: UnionFind[int] = UnionFind()
    for i, j in sorted(pairs):
        score, text = same_claim_score(infos[i], infos[j])
        if score >= cfg["same_claim"] and text >= cfg["min_text"]:
            uf.union(i, j)
    members: dict[int, list[ClaimInfo]] = defaultdict(list)
    for info in infos:
        members[uf.find(info.index)].append(info)
    group_of = [uf.find(i) for i in range(len(infos))]
    cue_groups = event_groups(infos, sorted(pairs))
    text_groups = [label_group(m) for _, m in sorted(members.items())]
    groups = _merge_groups(cue_groups, text_groups)
    order = {id(g): k for k, g in enumerate(groups)}
    groups.sort(key=lambda g: (_STATUS_ORDER[g.status], -len(g.outlets), order[id(g)]))
    related = related_pairs(infos, sorted(pairs), group_of, display)
    return Comparison(groups=groups, related=related, entity_names=display)


def compare(analyses: Sequence[Analysis]) -> list[ClaimGroup]:
    """Claim groups of a story: corroborated, single-source or divergent (with why)."""
    return compare_story(analyses).groups
