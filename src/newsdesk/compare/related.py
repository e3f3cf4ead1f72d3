"""Related pairs: claims of different outlets that are not the same statement but
bear on each other (shared entities and a shared semantic field), marked *tension* when
one is negative and the other affirmative."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from newsdesk.compare.align import text_similarity
from newsdesk.compare.claim_info import ClaimInfo
from newsdesk.compare.lexicon import load_config
from newsdesk.model import to_dict


def _idf(infos: list[ClaimInfo], attr: str) -> dict[str, float]:
    df: dict[str, int] = defaultdict(int)
    for info in infos:
        for key in getattr(info, attr):
            df[key] += 1
    n = len(infos)
    # smoothed IDF, never below 1: in a two-claim story a shared key still counts fully
    return {k: 1.0 + math.log((n + 1) / (v + 1)) for k, v in df.items()}


def related_pairs(
    infos: list[ClaimInfo], pairs: Iterable[tuple[int, int]], group_of: list[int], display: dict[str, str]
) -> list[dict[str, Any]]:
    cfg = load_config()["related"]
    ent_idf, field_idf = _idf(infos, "context_entities"), _idf(infos, "fields")
    scored: list[tuple[float, int, int, dict[str, Any]]] = []
    for i, j in pairs:
        a, b = infos[i], infos[j]
        if a.outlet == b.outlet or group_of[i] == group_of[j]:
            continue
        shared_fields = a.fields & b.fields
        shared_ents = a.context_entities & b.context_entities
        if len(shared_fields) < cfg["min_shared_fields"] or len(shared_ents) < cfg["min_shared_entities"]:
            continue
        text = text_similarity(a, b)
        if text >= cfg["max_text"]:
            continue
        in_sentence = a.entities & b.entities
        score = (
            sum(field_idf[f] for f in shared_fields)
            + sum(ent_idf[e] * (1.0 if e in in_sentence else cfg["context_weight"]) for e in shared_ents)
            + text
        )
        if score < cfg["min_score"]:
            continue
        relation = "tension" if a.negative != b.negative else "related"
        names = sorted(display.get(e, e) for e in shared_ents)
        why = f"both about {', '.join(sorted(shared_fields))}; shared entities: {', '.join(names)}"
        if relation == "tension":
            neg, pos = (a, b) if a.negative else (b, a)
            why += f"; “{neg.negator}” in {neg.outlet}, affirmative in {pos.outlet}"
        pair = {
            "relation": relation,
            "why": why,
            "score": round(score, 3),
            "fields": sorted(shared_fields),
            "entities": names,
            "a": to_dict(a.ref),
            "b": to_dict(b.ref),
        }
        scored.append((score, i, j, pair))
    scored.sort(key=lambda t: (-t[0], t[1], t[2]))
    kept: list[dict[str, Any]] = []
    per_claim: dict[int, int] = defaultdict(int)
    for _, i, j, pair in scored:
        if per_claim[i] >= cfg["max_per_claim"] or per_claim[j] >= cfg["max_per_claim"]:
            continue
        per_claim[i] += 1
        per_claim[j] += 1
        kept.append(pair)
        if len(kept) >= cfg["max_pairs"]:
            break
    return kept
