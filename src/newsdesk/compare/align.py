"""Text alignment: which cross-article claim pairs are worth scoring (an inverted
index for a large story), how alike two claims are as the same statement, and the label
of an aligned group: corroborated, single-source or divergent."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from rapidfuzz import fuzz

from newsdesk.compare.claim_info import ClaimInfo
from newsdesk.compare.divergence import Difference, pair_differences
from newsdesk.compare.lexicon import load_config
from newsdesk.model import ClaimGroup


def candidate_pairs(infos: list[ClaimInfo]) -> set[tuple[int, int]]:
    """Cross-article pairs worth scoring: all of them for a small story, else those
    sharing an index key that is not too common."""
    cfg = load_config()["align"]
    n = len(infos)
    if n < int(cfg["all_pairs_below"]):
        return {
            (a.index, b.index)
            for a, b in combinations(infos, 2)
            if a.article_index != b.article_index
        }
    postings: dict[str, list[int]] = defaultdict(list)
    for info in infos:
        keys = {f"e:{k}" for k in info.entities} | {f"w:{w}" for w in info.words}
        keys |= {f"n:{x.value:g}" for x in info.numbers} | {f"f:{f}" for f in info.fields}
        keys |= {f"q:{u}:{f}" for u, f in info.quantity_keys}
        for key in keys:
            postings[key].append(info.index)
    limit = max(2, int(n * float(cfg["max_key_share"])))
    pairs: set[tuple[int, int]] = set()
    for members in postings.values():
        if len(members) > limit:
            continue
        for i, j in combinations(members, 2):
            if infos[i].article_index != infos[j].article_index:
                pairs.add((i, j))
    return pairs


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def text_similarity(a: ClaimInfo, b: ClaimInfo) -> float:
    """Similarity of the masked content words, 0..1 (token-set ratio; token-sort for a
    very short claim, which would otherwise match any sentence containing its words)."""
    shorter = min(len(a.masked.split()), len(b.masked.split()))
    if shorter < int(load_config()["align"]["min_content_words"]):
        return fuzz.token_sort_ratio(a.masked, b.masked) / 100
    return fuzz.token_set_ratio(a.masked, b.masked) / 100


def same_claim_score(a: ClaimInfo, b: ClaimInfo) -> tuple[float, float]:
    """(combined score, text similarity) of two claims as the same statement."""
    cfg = load_config()["align"]
    text = text_similarity(a, b)
    if not a.entities and not b.entities:
        return text, text
    ents = _jaccard(a.entities, b.entities)
    return cfg["text_weight"] * text + cfg["entity_weight"] * ents, text


def label_group(members: list[ClaimInfo]) -> ClaimGroup:
    outlets = list(dict.fromkeys(m.outlet for m in members))
    refs = [m.ref for m in members]
    if len(outlets) == 1:
        n = len({m.article_index for m in members})
        extra = f" ({n} articles)" if n > 1 else ""
        return ClaimGroup(refs, outlets, "single-source", f"only {outlets[0]} reports this{extra}")
    found: dict[str, Difference] = {}
    for a, b in combinations(members, 2):
        if a.outlet != b.outlet:
            pair_differences(a, b, found)
    if found:
        return ClaimGroup(refs, outlets, "divergent", "; ".join(d.line() for d in found.values()))
    return ClaimGroup(refs, outlets, "corroborated", f"reported by {len(outlets)} outlets: {', '.join(outlets)}")
