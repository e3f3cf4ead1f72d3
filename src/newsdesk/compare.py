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
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from itertools import combinations
from pathlib import Path
from typing import Any

import snowballstemmer
import tomllib
from rapidfuzz import fuzz

from newsdesk.model import Analysis, Claim, ClaimGroup, ClaimRef, to_dict
from newsdesk.unionfind import UnionFind

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
    unit: str = "count"  # unit family from [quantities.units] ("count" when none is written)
    label: str = ""  # how the brief shows it: qualifier, number, unit word ("more than 1,200")

    @property
    def family(self) -> str:
        """Counts of people, troops and bare counts compare with each other; a
        measure (metres, euros) only with the same measure."""
        return "count" if self.unit in load_config()["quantities"]["count_units"] else self.unit


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
    # (number family, topic field) pairs: what each number counts ("1,500 evacuated")
    quantity_keys: frozenset[tuple[str, str]] = frozenset()
    quantities: dict[tuple[str, str], list[Number]] = field(default_factory=dict)
    # day value -> content stems next to that date ("dam ... gave way on Tuesday")
    date_cues: dict[str, frozenset[str]] = field(default_factory=dict)
    source_words: frozenset[str] = frozenset()


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
            words_at = _content_tokens(sentence)
            event_timexes = [
                t for t in timexes
                if t.type in ("DATE", "TIME") and t.value and not t.value.startswith("X")
                and not _is_reporting_date(sentence, t.start - start)
            ]
            dates = {t.value: t.text for t in event_timexes}
            date_cues: dict[str, frozenset[str]] = {}
            for t in event_timexes:
                if day := _day_of(t.value):
                    cues = _window_stems(words_at, t.start - start, t.end - start)
                    date_cues[day] = date_cues.get(day, frozenset()) | cues
            date_spans = [(t.start - start, t.end - start) for t in timexes]
            numbers = [
                _describe_number(sentence, n, words_at)
                for n in find_numbers(sentence)
                if not any(s <= n.start < e for s, e in date_spans)
            ]
            quantities: dict[tuple[str, str], list[Number]] = defaultdict(list)
            for n in numbers:
                if _is_part_of_another(sentence, n):
                    continue
                if topic := _nearest_field(words_at, n.start, n.end):
                    quantities[(n.family, topic)].append(n)
            quantity_keys = frozenset(quantities)
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
                    quantity_keys=quantity_keys,
                    quantities=dict(quantities),
                    date_cues=date_cues,
                )
            )
    return infos, display



# --------------------------------------------------------------------------- cues


_DAY_VALUE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _day_of(value: str | None) -> str | None:
    """The calendar day of a TIMEX3 value ("2024-03-05TEV" -> "2024-03-05"), None for
    coarser values: "Tuesday evening" and "Tuesday" are the same day, not a divergence."""
    m = _DAY_VALUE.match(value or "")
    return m.group(0) if m else None


def _content_tokens(sentence: str) -> list[tuple[int, int, str]]:
    """(start, end, stem) of the content words of a sentence (no stop words, no digits)."""
    stop, negators = _stopwords(), _negators()
    out = []
    for m in _TOKEN.finditer(sentence):
        word = m.group(0).lower()
        if word[0].isdigit():
            out.append((m.start(), m.end(), _NUMBER_MARK))
        elif word in _reporting_verbs():
            out.append((m.start(), m.end(), _REPORTING_MARK))
        elif word not in stop and word not in negators and len(word) > 1:
            out.append((m.start(), m.end(), _stem(word)))
    return out


_NUMBER_MARK, _REPORTING_MARK = "#", "@"


def _side(words: list[tuple[int, int, str]], start: int, end: int, stop: str) -> list[tuple[int, str]]:
    """(distance, stem) of the content words before and after a span, nearest first,
    each side cut at the first ``stop`` mark (another number, or "said", "according")."""
    width = int(load_config()["cues"]["window"])
    out: list[tuple[int, str]] = []
    for side in ([(start - e, w) for s, e, w in words if e <= start][::-1],
                 [(s - end, w) for s, _e, w in words if s >= end]):
        kept = []
        for dist, w in side:
            if w == stop:
                break
            if w not in (_NUMBER_MARK, _REPORTING_MARK):
                kept.append((dist, w))
            if len(kept) == width:
                break
        out.extend(kept)
    return out


def _window_stems(words: list[tuple[int, int, str]], start: int, end: int) -> frozenset[str]:
    """Stems next to a date (``cues.window`` content words each side, cut at "said" or
    "according", unit words left out): what happened that day, not who told it or how
    high a river stood ("reached 6.6 meters on Wednesday, according to the service")."""
    units = _unit_index()
    return frozenset(w for _d, w in _side(words, start, end, _REPORTING_MARK) if w not in units)


_PARTITIVE = re.compile(r"^\s+of\s+(?:the\s+)?\d")


def _is_part_of_another(sentence: str, number: Number) -> bool:
    """"600 of the 1,500 evacuees": the 600 is a part of the count, not a rival count."""
    return bool(_PARTITIVE.match(sentence[number.end:]))


def _nearest_field(words: list[tuple[int, int, str]], start: int, end: int) -> str | None:
    """The topic of the count-field word (``cues.count_fields``) nearest to a number in
    characters, within ``cues.window`` content words each side and not past another
    number: "death toll rises to three as part of evacuation order lifted" counts
    deaths; in "a city of 180,000 people, forcing 1,200 from their homes" only the
    1,200 were forced out."""
    topics = set(load_config()["cues"]["count_fields"])
    index = _field_index()
    near = sorted((d, w) for d, w in _side(words, start, end, _NUMBER_MARK) if index.get(w) in topics)
    return index[near[0][1]] if near else None


@cache
def _reporting_verbs() -> frozenset[str]:
    return frozenset(v.lower() for v in load_config()["cues"]["reporting_verbs"])


@cache
def _reporting_date_pattern() -> re.Pattern[str]:
    verbs = "|".join(re.escape(v) for v in load_config()["cues"]["reporting_verbs"])
    return re.compile(rf"\b(?:{verbs})\s+(?:\w+\s+)?(?:on|late on|early on)?\s*$", re.IGNORECASE)


def _is_reporting_date(sentence: str, offset: int) -> bool:
    """True for the day a statement was made ("police said on Wednesday"): it dates the
    telling, not the event, so two outlets quoting on different days do not diverge."""
    return bool(_reporting_date_pattern().search(sentence[max(0, offset - 40):offset]))


@cache
def _unit_index() -> dict[str, str]:
    """Unit word or symbol (stemmed) -> unit family."""
    index: dict[str, str] = {}
    for family, words in load_config()["quantities"]["units"].items():
        for word in words:
            index[word if not word[0].isalpha() else _stem(word)] = family
    return index


def _is_counted_noun(word: str) -> bool:
    """A plural noun right after a number ("two neighborhoods") names what it counts;
    a verb or adverb ("1,500 evacuated", "1,200 ordered") leaves it a bare count."""
    low = word.lower()
    return (
        len(low) > 3 and low.endswith("s") and not low.endswith(("ss", "us", "is"))
        and low not in _stopwords() and _stem(low) not in _field_index()
    )


def _describe_number(sentence: str, number: Number, words: list[tuple[int, int, str]]) -> Number:
    """The number with its unit family (the word right after it, or a currency sign
    before it) and a label with its qualifier ("more than 1,200", "6.6 meters")."""
    cfg = load_config()["quantities"]
    units = _unit_index()
    unit, unit_text = "count", ""
    after = re.match(r"\s*([^\W\d_]+)", sentence[number.end:])
    if after and _stem(after.group(1)) in units:
        unit, unit_text = units[_stem(after.group(1))], after.group(1)
    elif after and _is_counted_noun(after.group(1)):
        # "two neighborhoods" counts neighbourhoods: never compared with "1,500 people"
        unit, unit_text = _stem(after.group(1)), after.group(1)
    elif number.start and sentence[number.start - 1] in units:
        unit = units[sentence[number.start - 1]]
        unit_text = sentence[number.start - 1]
    head = sentence[:number.start].lower().rstrip()
    qualifier = next(
        (q for q in sorted(cfg["qualifiers"], key=len, reverse=True) if re.search(rf"\b{re.escape(q)}$", head)),
        "",
    )
    measure = unit not in cfg["count_units"]
    if unit_text and not unit_text[0].isalpha():
        shown = unit_text + number.text
    else:
        shown = f"{number.text} {unit_text}" if measure and unit_text else number.text
    label = f"{qualifier} {shown}" if qualifier else shown
    return replace(number, unit=unit, label=label)


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


def _cue_groups(infos: list[ClaimInfo], pairs: Iterable[tuple[int, int]]) -> list[ClaimGroup]:
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
            found: dict[str, _Difference] = {}
            for i, j in combinations(members, 2):
                a, b = infos[i], infos[j]
                if a.outlet == b.outlet:
                    continue
                if name.startswith("q:"):
                    family, topic = name[2:].split(":", 1)
                    _number_differences(a, b, a.quantities[(family, topic)], b.quantities[(family, topic)], found)
                else:
                    _date_differences(a, b, involved[name][i], involved[name][j], found)
            if found:
                refs = [infos[i].ref for i in members]
                outlets = list(dict.fromkeys(infos[i].outlet for i in members))
                groups.append(ClaimGroup(refs, outlets, "divergent", "; ".join(d.line() for d in found.values())))
    return groups


# --------------------------------------------------------------------------- divergence


def _same_number(x: float, y: float) -> bool:
    tol = float(load_config()["numbers"]["tolerance"])
    return x == y or abs(x - y) <= tol * max(abs(x), abs(y))


def _days(info: ClaimInfo) -> dict[str, str]:
    """Day value -> surface texts of a claim's event dates (not reporting dates)."""
    days: dict[str, list[str]] = defaultdict(list)
    for value, text in info.dates.items():
        if day := _day_of(value):
            days[day].append(text)
    return {d: ", ".join(t) for d, t in days.items()}


@dataclass
class _Difference:
    """One kind of difference inside a group: each side's value and the outlets giving it."""

    kind: str
    sides: dict[str, list[str]] = field(default_factory=dict)  # value label -> outlets
    shown: dict[str, list[str]] = field(default_factory=dict)  # value label -> surface forms

    def add(self, key: str, outlet: str, surface: str) -> None:
        outlets = self.sides.setdefault(key, [])
        if outlet not in outlets:
            outlets.append(outlet)
        forms = self.shown.setdefault(key, [])
        if surface not in forms:
            forms.append(surface)

    def line(self) -> str:
        parts = [f"{' / '.join(self.shown[k])} ({', '.join(o)})" for k, o in self.sides.items()]
        verb = "differ" if self.kind.endswith("s") else "differs"
        return f"{self.kind} {verb}: " + " vs ".join(parts)


def _number_differences(
    a: ClaimInfo, b: ClaimInfo, na: Sequence[Number], nb: Sequence[Number], found: dict[str, _Difference]
) -> None:
    only_a = [n for n in na if not any(_same_number(n.value, m.value) for m in nb)]
    only_b = [n for n in nb if not any(_same_number(n.value, m.value) for m in na)]
    if only_a and only_b:
        diff = found.setdefault(f"numbers:{na[0].family}", _Difference("numbers"))
        for info, nums in ((a, only_a), (b, only_b)):
            for n in nums:
                diff.add(f"{n.value:g}", info.outlet, n.label)


def _date_differences(
    a: ClaimInfo, b: ClaimInfo, only_days_a: set[str] | None, only_days_b: set[str] | None,
    found: dict[str, _Difference],
) -> None:
    days_a = {d: t for d, t in _days(a).items() if only_days_a is None or d in only_days_a}
    days_b = {d: t for d, t in _days(b).items() if only_days_b is None or d in only_days_b}
    if days_a and days_b and not set(days_a) & set(days_b):
        diff = found.setdefault("dates", _Difference("dates"))
        for info, days in ((a, days_a), (b, days_b)):
            for day, text in days.items():
                diff.add(day, info.outlet, f"{text} = {day}")


def _pair_differences(a: ClaimInfo, b: ClaimInfo, found: dict[str, _Difference]) -> None:
    """Record into ``found`` how two aligned claims of different outlets disagree."""
    for family in sorted({n.family for n in a.numbers} & {n.family for n in b.numbers}):
        na = [n for n in a.numbers if n.family == family]
        nb = [n for n in b.numbers if n.family == family]
        _number_differences(a, b, na, nb, found)
    _date_differences(a, b, None, None, found)
    if a.negative != b.negative:
        diff = found.setdefault("polarity", _Difference("polarity"))
        for info in (a, b):
            key = f"“{info.negator}”" if info.negative else "affirmative"
            diff.add(key, info.outlet, key)
    if a.source_kind != "outlet" and b.source_kind != "outlet" and not _same_source(a.source, b.source):
        diff = found.setdefault("attribution", _Difference("attribution"))
        for info in (a, b):
            key = next((k for k in diff.sides if _same_source(k, info.source)), info.source)
            diff.add(key, info.outlet, key)


def divergences(a: ClaimInfo, b: ClaimInfo) -> list[str]:
    """Why two aligned claims disagree, one phrase per kind (empty: consistent)."""
    found: dict[str, _Difference] = {}
    _pair_differences(a, b, found)
    return [d.line() for d in found.values()]


@cache
def _source_stop() -> frozenset[str]:
    return _stopwords() | frozenset(w.lower() for w in load_config()["sources"]["generic_words"])


def _same_source(x: str, y: str) -> bool:
    """Whether two attributions name the same source: the content words of one are
    contained in the other's ("the hydrological service" / "the national hydrological
    service", "Kadyrov" / "Ramzan Kadyrov"), or their token-set ratio is high."""
    x, y = x.lower().strip(), y.lower().strip()
    if x == y:
        return True
    stop = _source_stop()
    wx = {w for w in _WORD.findall(x) if w not in stop}
    wy = {w for w in _WORD.findall(y) if w not in stop}
    if wx and wy and (wx <= wy or wy <= wx):
        return True
    return fuzz.token_set_ratio(x, y) >= float(load_config()["sources"]["same_ratio"]) * 100


def _label_group(members: list[ClaimInfo]) -> ClaimGroup:
    outlets = list(dict.fromkeys(m.outlet for m in members))
    refs = [m.ref for m in members]
    if len(outlets) == 1:
        n = len({m.article_index for m in members})
        extra = f" ({n} articles)" if n > 1 else ""
        return ClaimGroup(refs, outlets, "single-source", f"only {outlets[0]} reports this{extra}")
    found: dict[str, _Difference] = {}
    for a, b in combinations(members, 2):
        if a.outlet != b.outlet:
            _pair_differences(a, b, found)
    if found:
        return ClaimGroup(refs, outlets, "divergent", "; ".join(d.line() for d in found.values()))
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


# --------------------------------------------------------------------------- public API

_STATUS_ORDER = {"divergent": 0, "corroborated": 1, "single-source": 2}


def compare_story(analyses: Sequence[Analysis]) -> Comparison:
    """Align the claims of ``analyses`` across outlets and find related pairs.

    Groups come sorted divergent, corroborated, single-source (then by number of
    outlets and position). A claim is in one text-aligned group; a claim that also
    reports an event quantity or date other outlets give differently is in that
    divergent event group too (and then not listed as single-source).""" 
    infos, display = _claim_infos(analyses)
    if not infos:
        return Comparison(entity_names=display)
    cfg = load_config()["align"]
    pairs = _candidate_pairs(infos)
    uf: UnionFind[int] = UnionFind()
    for i, j in sorted(pairs):
        score, text = same_claim_score(infos[i], infos[j])
        if score >= cfg["same_claim"] and text >= cfg["min_text"]:
            uf.union(i, j)
    members: dict[int, list[ClaimInfo]] = defaultdict(list)
    for info in infos:
        members[uf.find(info.index)].append(info)
    group_of = [uf.find(i) for i in range(len(infos))]
    cue_groups = _cue_groups(infos, sorted(pairs))
    text_groups = [_label_group(m) for _, m in sorted(members.items())]
    groups = _merge_groups(cue_groups, text_groups)
    order = {id(g): k for k, g in enumerate(groups)}
    groups.sort(key=lambda g: (_STATUS_ORDER[g.status], -len(g.outlets), order[id(g)]))
    related = _related_pairs(infos, sorted(pairs), group_of, display)
    return Comparison(groups=groups, related=related, entity_names=display)


def compare(analyses: Sequence[Analysis]) -> list[ClaimGroup]:
    """Claim groups of a story: corroborated, single-source or divergent (with why)."""
    return compare_story(analyses).groups
