"""Tension and related pairs: claims of different outlets that are not the same fact
but bear on each other: with opposite polarity ("Chechens flee the call-up" / "Chechnya
will not take part in the mobilization"), or as the same kind of event named by both
main predicates ("his men are leaving" / "Russians of military age left the country").

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
from newsdesk.compare.lexicon import field_index, load_config, stem
from newsdesk.model import ClaimRef


@dataclass
class ClaimPair:
    """Two claims of different outlets and how they bear on each other."""

    relation: str  # "tension" (one negates what the other affirms) or "related"
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
            shared_fields = a.fields & b.fields
            if ca.negated == cb.negated:
                # same polarity: "related" only when both main predicates name the same
                # kind of event ("men are leaving" / "Russians left the country")
                shared_pred = _predicate_fields(ca.predicates) & _predicate_fields(cb.predicates)
                if not shared_pred:
                    continue
                shared_fields = shared_pred
            shared_ents = (a.entities & b.entities) or (
                (a.entities & b.context_entities) | (b.entities & a.context_entities)
            )
            if len(shared_fields) < cfg["min_shared_fields"] or len(shared_ents) < cfg["min_shared_entities"]:
                continue
            if ca.negated != cb.negated:
                # the negation must bear on the shared topic: "would not [join the mobilisation]"
                scope = _scope_fields((ca if ca.negated else cb).negated_scope)
                if not scope & shared_fields:
                    continue
            sem = float(scores.semantic[i, j])
            total = float(scores.total[i, j])
            if ca.negated == cb.negated:
                floor = cfg["min_semantic_related"]
            elif "title" in (a.section, b.section):  # a headline is short: its cosine runs low
                floor = cfg["min_semantic_headline"]
            else:
                floor = cfg["min_semantic"]
            if sem < floor or total >= same_fact:
                continue
            names = sorted(" ".join(display.get(e, e).split()) for e in shared_ents)
            relation = "tension" if ca.negated != cb.negated else "related"
            if relation == "tension":
                neg, pos = (a, b) if ca.negated else (b, a)
                why = (
                    f"both about {', '.join(sorted(shared_fields))} and {', '.join(names)}; "
                    f"{neg.outlet} negates (“{neg.negator or 'not'}”), {pos.outlet} affirms"
                )
            else:
                why = f"the same kind of event ({', '.join(sorted(shared_fields))}) involving {', '.join(names)}, not the same statement"
            # rank: closeness, plus what an analyst asks about first (a headline's claim,
            # a name in both sentences, several shared fields)
            rank = (
                sem
                + cfg["headline_bonus"] * ("title" in (a.section, b.section))
                + cfg["entity_bonus"] * len(a.entities & b.entities)
                + cfg["field_bonus"] * (len(shared_fields) - 1)
            )
            pair = ClaimPair(relation, why, round(rank, 3), sorted(shared_fields), names, a.ref, b.ref)
            candidates.append((rank, i, j, pair))
    candidates.sort(key=lambda t: (t[3].relation != "tension", -t[0], t[1], t[2]))
    kept: list[ClaimPair] = []
    per_claim: dict[int, int] = defaultdict(int)
    per_relation: dict[str, int] = defaultdict(int)
    for _, i, j, pair in candidates:
        if per_claim[i] >= cfg["max_per_claim"] or per_claim[j] >= cfg["max_per_claim"]:
            continue
        if per_relation[pair.relation] >= cfg["max_pairs"]:
            continue
        per_claim[i] += 1
        per_claim[j] += 1
        per_relation[pair.relation] += 1
        kept.append(pair)
    return sorted(kept, key=lambda p: p.relation != "tension")


def _scope_fields(words: frozenset[str]) -> frozenset[str]:
    fields = field_index()
    return frozenset(fields[stem(w)] for w in words if stem(w) in fields)


def _predicate_fields(predicates: frozenset[str]) -> frozenset[str]:
    """Semantic fields of a clause's main predicates ("leave" -> leaving)."""
    fields = field_index()
    return frozenset(fields[stem(p)] for p in predicates if stem(p) in fields)
