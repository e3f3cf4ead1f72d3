"""Which claims of different outlets state the same fact: a score per pair and
average-linkage grouping.

Why this shape: outlets paraphrase ("no charges are appropriate" / "will not recommend
charges"), so word overlap alone misses most shared facts, while look-alike sentences
(same people, same numbers, plan vs outcome) must stay apart. The pair score adds
semantic similarity (wordllama), IDF-weighted overlap of content stems, shared entity
ids and shared numbers, and subtracts for a different reading of the main clause (plan
vs outcome, negated vs affirmed). Groups grow by average linkage, not single links, so a
chain of loosely similar sentences does not become one "fact". Weights and the
threshold are in ``data/compare.toml`` ``[facts]``, the threshold measured on the dev
gold (bench/eval_alignment.py).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from newsdesk.compare import semantic
from newsdesk.compare.claim_info import ClaimInfo
from newsdesk.compare.clauses import Clause, clauses
from newsdesk.compare.cues import content_tokens
from newsdesk.compare.lexicon import load_config, negator_words, stem, stop_words


@dataclass
class PairScores:
    """The pair score matrix of a story's claims and its parts (for the reader's why)."""

    total: np.ndarray
    semantic: np.ndarray
    lexical: np.ndarray
    clauses: list[Clause]


def _vocabulary(sets: Sequence[frozenset[str]]) -> tuple[dict[str, int], np.ndarray]:
    """Column index of every member, and its smoothed IDF over ``sets``."""
    vocab: dict[str, int] = {}
    df: dict[str, int] = {}
    for s in sets:
        for w in s:
            vocab.setdefault(w, len(vocab))
            df[w] = df.get(w, 0) + 1
    n = len(sets)
    idf = np.zeros(max(1, len(vocab)), dtype=np.float32)
    for w, k in vocab.items():
        idf[k] = math.log((n + 1) / (df[w] + 0.5))
    return vocab, idf


def _indicators(sets: Sequence[frozenset[str]], vocab: dict[str, int]) -> np.ndarray:
    """Rows: 0/1 membership vectors of each set over ``vocab``."""
    m = np.zeros((len(sets), max(1, len(vocab))), dtype=np.float32)
    for i, s in enumerate(sets):
        for w in s:
            m[i, vocab[w]] = 1.0
    return m


def _idf_matrix(sets: Sequence[frozenset[str]]) -> np.ndarray:
    """Rows: unit-length IDF-weighted indicator vectors of each set."""
    vocab, idf = _vocabulary(sets)
    m = _indicators(sets, vocab) * idf
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return m / norms


def _count_matrix(sets: Sequence[frozenset[str]]) -> np.ndarray:
    """Number of shared members for each pair of sets."""
    m = _indicators(sets, _vocabulary(sets)[0])
    return m @ m.T


# verbs that name no event of their own ("is", "has", "said"): sharing them says nothing
_LIGHT_VERBS = frozenset({"be", "have", "do", "say", "tell", "get", "make"})


_QUOTED = re.compile(r"[“\"]([^”\"]{2,160})[”\"]")
_WORDS = re.compile(r"[A-Za-z][A-Za-z'’-]+")


def _quoted_stems(text: str) -> frozenset[str]:
    """Content stems inside the sentence's quotation marks: the words someone is quoted
    saying ("a reckless gamble", "a sham")."""
    drop = stop_words() | negator_words()
    return frozenset(
        stem(w.lower())
        for q in _QUOTED.findall(text)
        for w in _WORDS.findall(q)
        if w.lower() not in drop and len(w) > 2
    )


def _shared_quote_idf(sets: Sequence[frozenset[str]]) -> np.ndarray:
    """Sum of IDF of the quoted stems each pair shares: two outlets quoting the same
    uncommon words report the same statement."""
    vocab, idf = _vocabulary(sets)
    b = _indicators(sets, vocab)
    return (b * idf) @ b.T


def _segment_stems(text: str, span: tuple[int, int]) -> frozenset[str]:
    """Content stems of one clause of a sentence (number and reporting marks left out)."""
    return frozenset(w for s, e, w in content_tokens(text) if s >= span[0] and e <= span[1] and w.isalpha())


def _clause_base(
    texts: Sequence[str], parsed: Sequence[Clause], words: Sequence[frozenset[str]], cfg: dict
) -> np.ndarray | None:
    """Best semantic + lexical score over the clause pairs of each two claims (a clause
    of a long sentence against the other sentence or one of its clauses), or None when
    no sentence has a clause long enough to stand for a fact.

    Why: outlets state the same fact in a clause of differently built sentences ("...,
    who called the handling extremely careless"); the whole sentences' embeddings and
    stems barely meet, the clauses do."""
    min_words = int(cfg["clause_min_words"])
    owner: list[int] = []
    seg_texts: list[str] = []
    seg_words: list[frozenset[str]] = []
    for k, (text, clause) in enumerate(zip(texts, parsed)):
        owner.append(k)
        seg_texts.append(text)
        seg_words.append(words[k])
        for span in clause.segments:
            stems = _segment_stems(text, span)
            if len(stems) >= min_words and len(stems) < len(words[k]):
                owner.append(k)
                seg_texts.append(text[span[0] : span[1]])
                seg_words.append(stems)
    n = len(texts)
    if len(owner) == n:
        return None
    # IDF from the claims, not the clauses (a clause repeats its sentence's words)
    df: dict[str, int] = {}
    for w_set in words:
        for w in w_set:
            df[w] = df.get(w, 0) + 1
    vocab = {w: k for k, w in enumerate(df)}
    m = np.zeros((len(seg_words), max(1, len(vocab))), dtype=np.float32)
    for i, w_set in enumerate(seg_words):
        for w in w_set:
            if w in vocab:
                m[i, vocab[w]] = math.log((n + 1) / (df[w] + 0.5))
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    m /= norms
    base = float(cfg["lexical_weight"]) * (m @ m.T)
    emb = semantic.embed(seg_texts)
    if emb is not None:
        base += float(cfg["semantic_weight"]) * (emb @ emb.T)
    else:
        base *= (float(cfg["semantic_weight"]) + float(cfg["lexical_weight"])) / float(cfg["lexical_weight"])
    own = np.array(owner)
    starts = np.flatnonzero(np.r_[True, own[1:] != own[:-1]])
    per_row = np.maximum.reduceat(base, starts, axis=0)
    best = np.maximum.reduceat(per_row, starts, axis=1)
    return best


def pair_scores(infos: Sequence[ClaimInfo]) -> PairScores:
    """Same-fact score of every pair of claims (a dense matrix: a story's claims number
    in the hundreds; larger stories are compared in the caller's candidate pairs)."""
    cfg = load_config()["facts"]
    texts = [i.ref.text for i in infos]
    emb = semantic.embed(texts)
    lexical = _idf_matrix([i.words for i in infos])
    lex = lexical @ lexical.T
    if emb is not None:
        sem = emb @ emb.T
        total = cfg["semantic_weight"] * sem + cfg["lexical_weight"] * lex
    else:
        sem = np.zeros_like(lex)
        total = (cfg["semantic_weight"] + cfg["lexical_weight"]) * lex
    parsed = clauses(texts)
    if float(cfg.get("clause_weight", 0.0)) > 0:
        best = _clause_base(texts, parsed, [i.words for i in infos], cfg)
        if best is not None:
            base = total.copy()
            total = np.maximum(base, best - float(cfg["clause_penalty"]))
            total = base + float(cfg["clause_weight"]) * (total - base)
    # an entity most claims name (the story's protagonist) says nothing about which fact
    # a claim states: only entities in at most `entity_max_share` of the claims count
    # (or in at most `entity_min_claims`: in a story of a few claims every name repeats)
    seen: dict[str, int] = {}
    for i in infos:
        for e in i.entities:
            seen[e] = seen.get(e, 0) + 1
    cap = max(float(cfg["entity_min_claims"]), float(cfg["entity_max_share"]) * len(infos))
    ents = _count_matrix([frozenset(e for e in i.entities if seen[e] <= cap) for i in infos])
    total += cfg["entity_weight"] * np.minimum(ents, cfg["entity_cap"])
    nums = _count_matrix([frozenset(f"{x.value:g}" for x in i.numbers) for i in infos])
    total += cfg["number_weight"] * np.minimum(nums, 2)
    shared_quote = _shared_quote_idf([_quoted_stems(t) for t in texts])
    total += cfg["quote_weight"] * (shared_quote >= cfg["quote_min_idf"])
    future = np.array([c.future for c in parsed])
    past = np.array([c.past for c in parsed])
    negated = np.array([c.negated for c in parsed])
    plan_vs_outcome = (future[:, None] & past[None, :]) | (past[:, None] & future[None, :])
    total -= cfg["tense_penalty"] * plan_vs_outcome
    total -= cfg["negation_penalty"] * (negated[:, None] != negated[None, :])
    # the same main predicate (lemma, from the parse): the same kind of event
    preds = _count_matrix([c.predicates - _LIGHT_VERBS for c in parsed])
    total += cfg["predicate_weight"] * (preds > 0)
    return PairScores(total=total, semantic=sem, lexical=lex, clauses=parsed)


def fact_groups(infos: Sequence[ClaimInfo], scores: PairScores) -> list[list[int]]:
    """Claims grouped by fact (indices into ``infos``); unaligned claims alone.

    Cross-outlet pairs at or above ``same_fact`` are taken best first; two groups merge
    when the mean score over all their cross-article pairs reaches ``same_fact`` times
    ``linkage``, so a group stays about one fact."""
    cfg = load_config()["facts"]
    threshold = float(cfg["same_fact"])
    link_min = threshold * float(cfg["linkage"])
    n = len(infos)
    total = scores.total
    article = np.array([i.article_index for i in infos])
    outlets = [i.outlet for i in infos]
    cand = [
        (float(total[i, j]), i, j)
        for i in range(n)
        for j in range(i + 1, n)
        if outlets[i] != outlets[j] and total[i, j] >= threshold
    ]
    cand.sort(key=lambda t: (-t[0], t[1], t[2]))
    group_of = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    for _score, i, j in cand:
        gi, gj = group_of[i], group_of[j]
        if gi == gj:
            continue
        a, b = members[gi], members[gj]
        block = total[np.ix_(a, b)]
        cross = article[a][:, None] != article[b][None, :]
        if not cross.any() or float(block[cross].mean()) < link_min:
            continue
        keep, drop = (gi, gj) if len(a) >= len(b) else (gj, gi)
        members[keep] = members[keep] + members.pop(drop)
        for k in members[keep]:
            group_of[k] = keep
    return sorted((sorted(m) for m in members.values()), key=lambda m: m[0])
