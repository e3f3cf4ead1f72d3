"""Tension pairs: claims of different outlets that are not the same fact but bear on
each other with opposite polarity ("Chechens flee the call-up" / "Chechnya will not take
part in the mobilization").

Why so few: a list of every sentence pair sharing a name and a "not" buries the one
pair an analyst would ask about. A pair is kept only when both claims name the same
entity (after entity identity), share a semantic field (``[fields]``), are semantically
close (wordllama) yet below the same-fact score, and exactly one main clause is negated
(the parse, not any "not" in the sentence). Both outlets reporting the same criticism
are one fact, not a tension.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from newsdesk.compare.claim_info import ClaimInfo
from newsdesk.compare.facts import PairScores
from newsdesk.compare.lexicon import load_config
from newsdesk.model import ClaimRef


@dataclass
class ClaimPair:
    """Two claims of different outlets and how they bear on each other."""

    relation: str  # "tension"
    why: str
    score: float
    fields: list[str]
    entities: list[str]
    a: ClaimRef
    b: ClaimRef


def related_pairs(
    infos: list[ClaimInfo], scores: PairScores, group_of: list[int], display: dict[str, str]
) -> list[ClaimPair]:
    cfg = load_config()["related"]
    same_fact = float(load_config()["facts"]["same_fact"])
    candidates: list[tuple[float, int, int, ClaimPair]] = []
    n = len(infos)
    for i in range(n):
        for j in range(i + 1, n):
            a, b = infos[i], infos[j]
            if a.outlet == b.outlet or group_of[i] == group_of[j]:
                continue
            ca, cb = scores.clauses[i], scores.clauses[j]
            if ca.negated == cb.negated:
                continue
            shared_fields = a.fields & b.fields
            shared_ents = (a.entities & b.entities) or (
                (a.entities & b.context_entities) | (b.entities & a.context_entities)
            )
            if len(shared_fields) < cfg["min_shared_fields"] or len(shared_ents) < cfg["min_shared_entities"]:
                continue
            sem = float(scores.semantic[i, j])
            total = float(scores.total[i, j])
            if sem < cfg["min_semantic"] or total >= same_fact:
                continue
            neg, pos = (a, b) if ca.negated else (b, a)
            names = sorted(display.get(e, e) for e in shared_ents)
            why = (
                f"both about {', '.join(sorted(shared_fields))} and {', '.join(names)}; "
                f"{neg.outlet} negates (“{neg.negator or 'not'}”), {pos.outlet} affirms"
            )
            pair = ClaimPair("tension", why, round(sem, 3), sorted(shared_fields), names, a.ref, b.ref)
            candidates.append((sem, i, j, pair))
    candidates.sort(key=lambda t: (-t[0], t[1], t[2]))
    kept: list[ClaimPair] = []
    per_claim: dict[int, int] = defaultdict(int)
    for _, i, j, pair in candidates:
        if per_claim[i] >= cfg["max_per_claim"] or per_claim[j] >= cfg["max_per_claim"]:
            continue
        per_claim[i] += 1
        per_claim[j] += 1
        kept.append(pair)
        if len(kept) >= cfg["max_pairs"]:
            break
    return kept
