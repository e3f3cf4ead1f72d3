"""Cross-outlet claim comparison: which statements several outlets make, which only
one makes, where they disagree, and which claims touch the same thing differently.

Why this shape: an analyst checking a story wants (1) the same statement found in
several reports, with the places they contradict each other called out (numbers,
dates, polarity, who said it), and (2) claims that are *not* the same statement but
bear on each other ("Chechens flee the call-up" vs "Chechnya will not take part in the
mobilization"). (1) is alignment by text similarity after masking the slots that are
allowed to differ; (2) is shared entities (the claim's sentence and its neighbours)
plus a shared semantic field from ``data/compare.toml``.

Pairs are generated from an inverted index (entity, number, content stem, field) so a
large story is not compared all-pairs; every threshold and lexicon is in the TOML.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from itertools import combinations
from pathlib import Path
from typing import Any

import snowballstemmer
from rapidfuzz import fuzz

from newsdesk.model import Analysis, Claim, ClaimGroup, ClaimRef, to_dict

__all__ = ["Comparison", "compare", "compare_story", "entity_keys", "find_numbers", "load_config", "outlet_name"]

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_DIGITS = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:[,\u00a0\u202f ]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s*(million|billion|thousand|hundred|bn|m|k)\b)?",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)


@cache
def load_config() -> dict[str, Any]:
    """The thresholds and lexicons of ``data/compare.toml`` (read once)."""
    text = resources.files("newsdesk.data").joinpath("compare.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@cache
def _stemmer() -> Any:
    return snowballstemmer.stemmer("english")


def _stem(word: str) -> str:
    return _stemmer().stemWord(word.lower().replace("’", "'"))


@cache
def _stopwords() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS  # spaCy's list, no model load

    return frozenset(STOP_WORDS)


@cache
def _field_index() -> dict[str, str]:
    """Stem -> semantic field name."""
    index: dict[str, str] = {}
    for name, words in load_config()["fields"].items():
        for word in words:
            index[_stem(word)] = name
    return index


@cache
def _negators() -> frozenset[str]:
    return frozenset(w.lower() for w in load_config()["polarity"]["negators"])


def outlet_name(analysis: Analysis) -> str:
    """The outlet an article counts for; when unknown, its source file, so that two
    anonymous files still count as two reports (never silently merged)."""
    article = analysis.article
    if article.outlet:
        return article.outlet
    return Path(article.source.split("#", 1)[0]).name or article.id


# --------------------------------------------------------------------------- numbers


@dataclass(frozen=True)
class Number:
    """A number found in a claim: its value and the words it was written with."""

    value: float
    text: str
    start: int
    end: int


def find_numbers(text: str) -> list[Number]:
    """Numbers in ``text``, digits ("1,200", "1.5 million") or words ("twelve hundred"),
    normalised to values so that "1,200", "1 200" and "twelve hundred" compare equal."""
    cfg = load_config()["numbers"]
    scales = {k.lower(): v for k, v in cfg["scales"].items()}
    found: list[Number] = []
    for m in _DIGITS.finditer(text):
        digits = re.sub(r"[,\u00a0\u202f ]", "", m.group(1))
        value = float(digits)
        if m.group(2):
            value *= scales[m.group(2).lower()]
        found.append(Number(value, m.group(0), m.start(), m.end()))
    found.extend(_number_words(text, cfg))
    return sorted(found, key=lambda n: n.start)


def _number_words(text: str, cfg: dict[str, Any]) -> list[Number]:
    """Spelled-out numbers: runs of number words ("three hundred thousand")."""
    units, tens = cfg["units"], cfg["tens"]
    scales = {k: v for k, v in cfg["scales"].items() if len(k) > 2}
    out: list[Number] = []
    words = list(_WORD.finditer(text))
    i = 0
    while i < len(words):
        total, current, j, seen = 0, 0, i, False
        while j < len(words):
            parts = words[j].group(0).lower().split("-")
            if all(p in units or p in tens for p in parts):
                current += sum(units.get(p, 0) + tens.get(p, 0) for p in parts)
            elif parts[0] in scales and len(parts) == 1 and (seen or j > i):
                scale = scales[parts[0]]
                if scale == 100:
                    current = max(current, 1) * 100
                else:
                    total += max(current, 1) * scale
                    current = 0
            elif parts[0] == "and" and seen and j + 1 < len(words):
                j += 1
                continue
            else:
                break
            seen = True
            j += 1
        if seen:
            # a lone "one" or "no one" is rarely a count worth comparing
            if not (j - i == 1 and words[i].group(0).lower() in ("one", "a")):
                start, end = words[i].start(), words[j - 1].end()
                out.append(Number(float(total + current), text[start:end], start, end))
            i = j
        else:
            i += 1
    return out


# --------------------------------------------------------------------------- claims


@dataclass
class ClaimInfo:
    """A claim with what the comparison needs: the features are computed once."""

    ref: ClaimRef
    index: int
    article_index: int
    outlet: str
    source: str
    source_kind: str
    negative: bool
    negator: str | None
    words: frozenset[str]
    masked: str
    entities: frozenset[str]
    context_entities: frozenset[str]
    numbers: list[Number]
    dates: dict[str, str]  # value -> surface text
    fields: frozenset[str]
    section: str = "body"


@dataclass
class Comparison:
    """The result of comparing a story's claims: aligned groups and related pairs."""

    groups: list[ClaimGroup] = field(default_factory=list)
    related: list[dict[str, Any]] = field(default_factory=list)
    entity_names: dict[str, str] = field(default_factory=dict)


def entity_keys(analyses: Sequence[Analysis]) -> tuple[dict[tuple[int, int, int], str], dict[str, str]]:
    """Map each mention (article index, start, end) to one story-wide entity key.

    Keys are canonical names (lower-cased) so that the same entity in two articles
    meets even if linking gave per-document ids; a demonym (NORP "Chechens") joins the
    place that shares its first letters ("Chechnya"), and a one-word person name joins
    the only longer canonical name ending with it ("Kadyrov" -> "Ramzan Kadyrov")."""
    cfg = load_config()["entities"]
    ignore = set(cfg["ignore_labels"])
    prefix = int(cfg["demonym_prefix"])
    display: dict[str, str] = {}
    labels: dict[str, str] = {}
    for a in analyses:
        for e in a.entities:
            if e.label in ignore:
                continue
            key = (e.canonical or e.text).strip().lower()
            display.setdefault(key, e.canonical or e.text)
            if e.label != "NORP" or key not in labels:
                labels[key] = e.label
    suffixes = tuple(cfg["demonym_suffixes"])

    def demonym_like(key: str) -> bool:
        return labels[key] == "NORP" or (labels[key] in ("GPE", "LOC") and key.endswith(suffixes))

    places = [k for k, lab in labels.items() if lab in ("GPE", "LOC") and not demonym_like(k)]
    people = [k for k, lab in labels.items() if lab == "PERSON"]
    alias: dict[str, str] = {}
    for key, label in labels.items():
        if demonym_like(key):
            best = _best_prefix_match(key, places, prefix)
            if best:
                alias[key] = best
        elif label == "PERSON" and " " not in key:
            longer = [p for p in people if p != key and p.endswith(" " + key)]
            if len(longer) == 1:
                alias[key] = longer[0]
    mention_keys: dict[tuple[int, int, int], str] = {}
    for i, a in enumerate(analyses):
        for e in a.entities:
            if e.label in ignore:
                continue
            key = (e.canonical or e.text).strip().lower()
            mention_keys[(i, e.start, e.end)] = alias.get(key, key)
    return mention_keys, display


def _best_prefix_match(key: str, places: list[str], minimum: int) -> str | None:
    """The place sharing the longest prefix (at least ``minimum``) with a demonym:
    "austrian" -> "austria", not "australia"; None when two tie."""
    def lcp(a: str, b: str) -> int:
        n = 0
        for x, y in zip(a, b):
            if x != y:
                break
            n += 1
        return n

    scored = sorted(((lcp(key, p), p) for p in places), reverse=True)
    if not scored or scored[0][0] < minimum:
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None
    return scored[0][1]


def _title_claims(analysis: Analysis) -> list[Claim]:
    """Headline sentences no claim covers yet: headlines carry the claims outlets are
    most often compared on, and the analyzer may not list them."""
    title = analysis.article.title
    if not title:
        return []
    covered = [(c.start, c.end) for c in analysis.claims]
    end = len(title)
    if any(s < end and e > 0 for s, e in covered):
        return []
    text = analysis.article.text[:end]
    return [Claim(0, end, text, outlet_name(analysis), "outlet", "asserted")]


def _mask_spans(text: str, spans: Iterable[tuple[int, int, str]]) -> str:
    pieces, last = [], 0
    for start, end, token in sorted(spans):
        if start < last:
            continue
        pieces.append(text[last:start])
        pieces.append(f" {token} ")
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def _claim_infos(analyses: Sequence[Analysis]) -> tuple[list[ClaimInfo], dict[str, str]]:
    cfg = load_config()
    window = int(cfg["related"]["context_window"])
    mention_keys, display = entity_keys(analyses)
    by_article: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for (i, s, e), key in mention_keys.items():
        by_article[i].append((s, e, key))
    stop, negators, fields = _stopwords(), _negators(), _field_index()
    infos: list[ClaimInfo] = []
    for ai, analysis in enumerate(analyses):
        article = analysis.article
        text = article.text
        outlet = outlet_name(analysis)
        sentences = sorted(analysis.sentences, key=lambda s: s.start)
        claims = sorted(_title_claims(analysis) + list(analysis.claims), key=lambda c: c.start)
        mentions = by_article[ai]
        for claim in claims:
            start, end = claim.start, claim.end
            sentence = text[start:end]
            ents = frozenset(key for s, e, key in mentions if s < end and e > start)
            # context: the sentences around the claim (pronouns point back)
            idx = [k for k, s in enumerate(sentences) if s.start < end and s.end > start]
            if idx and window:
                lo = sentences[max(0, idx[0] - window)].start
                hi = sentences[min(len(sentences) - 1, idx[-1] + window)].end
            else:
                lo, hi = start, end
            context = frozenset(key for s, e, key in mentions if s < hi and e > lo)
            timexes = [t for t in analysis.timexes if t.start >= start and t.end <= end]
            dates = {
                t.value: t.text
                for t in timexes
                if t.type in ("DATE", "TIME") and t.value and not t.value.startswith("X")
            }
            date_spans = [(t.start - start, t.end - start) for t in timexes]
            numbers = [
                n
                for n in find_numbers(sentence)
                if not any(s <= n.start < e for s, e in date_spans)
            ]
            masked = _mask_spans(
                sentence,
                [(s, e, "DATE") for s, e in date_spans] + [(n.start, n.end, "NUM") for n in numbers],
            )
            tokens = [t.lower() for t in _TOKEN.findall(masked)]
            neg = [t for t in tokens if t in negators or t.endswith("n't") or t.endswith("n’t")]
            if not neg and claim.certainty == "denied":
                neg = ["denied"]
            content = [
                t for t in tokens
                if t not in stop and t not in negators and t not in ("date", "num") and len(t) > 1
            ]
            stems = [_stem(t) for t in content]
            kept_masked = " ".join(t for t in tokens if t not in negators and t not in stop)
            infos.append(
                ClaimInfo(
                    ref=ClaimRef(article.id, outlet, start, end, sentence),
                    index=len(infos),
                    article_index=ai,
                    outlet=outlet,
                    source=(claim.source or outlet).strip(),
                    source_kind=claim.source_kind,
                    negative=bool(neg),
                    negator=neg[0] if neg else None,
                    words=frozenset(stems),
                    masked=kept_masked,
                    entities=ents,
                    context_entities=context | ents,
                    numbers=numbers,
                    dates=dates,
                    fields=frozenset(fields[s] for s in stems if s in fields),
                    section=article.section_at(start),
                )
            )
    return infos, display


# --------------------------------------------------------------------------- pairs


def _candidate_pairs(infos: list[ClaimInfo]) -> set[tuple[int, int]]:
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


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


# --------------------------------------------------------------------------- divergence


def _same_number(x: float, y: float) -> bool:
    tol = float(load_config()["numbers"]["tolerance"])
    return x == y or abs(x - y) <= tol * max(abs(x), abs(y))


def divergences(a: ClaimInfo, b: ClaimInfo) -> list[str]:
    """Why two aligned claims disagree, one phrase per kind (empty: consistent)."""
    reasons: list[str] = []
    if a.numbers and b.numbers:
        only_a = [n for n in a.numbers if not any(_same_number(n.value, m.value) for m in b.numbers)]
        only_b = [n for n in b.numbers if not any(_same_number(n.value, m.value) for m in a.numbers)]
        if only_a and only_b:
            reasons.append(
                f"numbers differ: {', '.join(n.text for n in only_a)} ({a.outlet}) "
                f"vs {', '.join(n.text for n in only_b)} ({b.outlet})"
            )
    if a.dates and b.dates and not set(a.dates) & set(b.dates):
        da = ", ".join(f"{t} = {v}" for v, t in a.dates.items())
        db = ", ".join(f"{t} = {v}" for v, t in b.dates.items())
        reasons.append(f"dates differ: {da} ({a.outlet}) vs {db} ({b.outlet})")
    if a.negative != b.negative:
        neg, pos = (a, b) if a.negative else (b, a)
        reasons.append(f"polarity differs: “{neg.negator}” in {neg.outlet}, affirmative in {pos.outlet}")
    if a.source_kind != "outlet" and b.source_kind != "outlet" and not _same_source(a.source, b.source):
        reasons.append(f"attribution differs: {a.source} ({a.outlet}) vs {b.source} ({b.outlet})")
    return reasons


def _same_source(x: str, y: str) -> bool:
    x, y = x.lower().strip(), y.lower().strip()
    return x == y or x.endswith(" " + y) or y.endswith(" " + x) or x in y.split() or y in x.split()


def _label_group(members: list[ClaimInfo]) -> ClaimGroup:
    outlets = list(dict.fromkeys(m.outlet for m in members))
    refs = [m.ref for m in members]
    if len(outlets) == 1:
        n = len({m.article_index for m in members})
        extra = f" ({n} articles)" if n > 1 else ""
        return ClaimGroup(refs, outlets, "single-source", f"only {outlets[0]} reports this{extra}")
    reasons: list[str] = []
    for a, b in combinations(members, 2):
        if a.outlet == b.outlet:
            continue
        for r in divergences(a, b):
            if r not in reasons:
                reasons.append(r)
    if reasons:
        return ClaimGroup(refs, outlets, "divergent", "; ".join(reasons))
    return ClaimGroup(refs, outlets, "corroborated", f"reported by {len(outlets)} outlets: {', '.join(outlets)}")


# --------------------------------------------------------------------------- related


def _idf(infos: list[ClaimInfo], attr: str) -> dict[str, float]:
    df: dict[str, int] = defaultdict(int)
    for info in infos:
        for key in getattr(info, attr):
            df[key] += 1
    n = len(infos)
    # smoothed IDF, never below 1: in a two-claim story a shared key still counts fully
    return {k: 1.0 + math.log((n + 1) / (v + 1)) for k, v in df.items()}


def _related_pairs(
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


# --------------------------------------------------------------------------- public API

_STATUS_ORDER = {"divergent": 0, "corroborated": 1, "single-source": 2}


def compare_story(analyses: Sequence[Analysis]) -> Comparison:
    """Align the claims of ``analyses`` across outlets and find related pairs.

    Groups come sorted divergent, corroborated, single-source (then by number of
    outlets and position), each claim in exactly one group."""
    infos, display = _claim_infos(analyses)
    if not infos:
        return Comparison(entity_names=display)
    cfg = load_config()["align"]
    pairs = _candidate_pairs(infos)
    uf = _UnionFind(len(infos))
    for i, j in sorted(pairs):
        score, text = same_claim_score(infos[i], infos[j])
        if score >= cfg["same_claim"] and text >= cfg["min_text"]:
            uf.union(i, j)
    members: dict[int, list[ClaimInfo]] = defaultdict(list)
    for info in infos:
        members[uf.find(info.index)].append(info)
    group_of = [uf.find(i) for i in range(len(infos))]
    groups = [_label_group(m) for _, m in sorted(members.items())]
    order = {id(g): k for k, g in enumerate(groups)}
    groups.sort(key=lambda g: (_STATUS_ORDER[g.status], -len(g.outlets), order[id(g)]))
    related = _related_pairs(infos, sorted(pairs), group_of, display)
    return Comparison(groups=groups, related=related, entity_names=display)


def compare(analyses: Sequence[Analysis]) -> list[ClaimGroup]:
    """Claim groups of a story: corroborated, single-source or divergent (with why)."""
    return compare_story(analyses).groups
