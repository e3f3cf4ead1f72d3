"""Story keys: what an article is about, as weighted keys for story clustering.

Clustering news into stories works on a few strong signals rather than the whole
text: the named entities (after cross-document linking, so ``Kiev`` and ``Kyiv`` are
one key), the content words of the headline and the lead paragraphs (news puts the
event up top; the tail of an article is background shared by unrelated stories) and
the numbers (``1,200 evacuated`` separates two floods in the same city). Keys are
prefixed by family: ``e:place:kyiv``, ``w:evacu`` (a Snowball stem, so *evacuated*
and *evacuation* meet), ``n:1200``.

``extract_keys`` gives raw (term-frequency) weights; IDF is applied at scoring time
with corpus statistics kept by a ``DocFreq`` so a story's stored keys never go stale
as the corpus grows. Every weight comes from ``data/stories.toml``.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

import snowballstemmer
from spacy.lang.en.stop_words import STOP_WORDS

from newsdesk.config import settings as config_settings
from newsdesk.model import Analysis

WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
NUMBER_RE = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w,]\d)|(?<![\w.,])\d+(?:\.\d+)?(?![\w])")
PARAGRAPH_BREAK_RE = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class StoryConfig:
    """The ``[assign]`` and ``[keys]`` tables of ``stories.toml`` as one object."""

    threshold: float
    window_days: int
    query_keys: int
    candidate_limit: int
    max_df_ratio: float
    min_docs_for_df_cut: int
    min_docs_for_idf: int
    merge_threshold: float
    max_headlines: int
    profile_size: int
    idf_power: float
    grace_days: int
    decay_days: float
    event_span_days: int
    headline_weight: float
    local_idf: float
    undated_threshold: float
    lead_paragraphs: int
    min_word_length: int
    entity_weight: float
    word_weight: float
    number_weight: float
    title_boost: float
    lead_boost: float
    body_entity_boost: float
    body_word_boost: float
    entity_labels: frozenset[str]
    stopwords: frozenset[str]


@lru_cache(maxsize=1)
def load_story_config() -> StoryConfig:
    """Read ``data/stories.toml`` once per process."""
    raw = config_settings("stories")
    return config_from_dict(raw)


def config_from_dict(raw: Mapping[str, Any]) -> StoryConfig:
    """Build a config from the TOML tables (tests pass variants of the shipped file)."""
    assign, keys = raw["assign"], raw["keys"]
    stop = {w.lower() for w in STOP_WORDS} | {w.lower() for w in keys.get("extra_stopwords", [])}
    return StoryConfig(
        threshold=float(assign["threshold"]),
        window_days=int(assign["window_days"]),
        query_keys=int(assign["query_keys"]),
        candidate_limit=int(assign["candidate_limit"]),
        max_df_ratio=float(assign["max_df_ratio"]),
        min_docs_for_df_cut=int(assign["min_docs_for_df_cut"]),
        min_docs_for_idf=int(assign["min_docs_for_idf"]),
        merge_threshold=float(assign["merge_threshold"]),
        max_headlines=int(assign["max_headlines"]),
        profile_size=int(assign["profile_size"]),
        idf_power=float(assign["idf_power"]),
        grace_days=int(assign["grace_days"]),
        decay_days=float(assign["decay_days"]),
        event_span_days=int(assign.get("event_span_days", 3650)),
        headline_weight=float(assign.get("headline_weight", 0.0)),
        local_idf=float(assign.get("local_idf", 0.0)),
        undated_threshold=float(assign["undated_threshold"]),
        lead_paragraphs=int(keys["lead_paragraphs"]),
        min_word_length=int(keys["min_word_length"]),
        entity_weight=float(keys["entity_weight"]),
        word_weight=float(keys["word_weight"]),
        number_weight=float(keys["number_weight"]),
        title_boost=float(keys["title_boost"]),
        lead_boost=float(keys["lead_boost"]),
        body_entity_boost=float(keys["body_entity_boost"]),
        body_word_boost=float(keys.get("body_word_boost", 0.0)),
        entity_labels=frozenset(keys["entity_labels"]),
        stopwords=frozenset(stop),
    )


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    return snowballstemmer.stemmer("english")


def _paragraph_starts(text: str) -> list[int]:
    """Start offset of every blank-line-separated paragraph of ``text``."""
    return [0] + [m.end() for m in PARAGRAPH_BREAK_RE.finditer(text)]


def _word_keys(text: str, config: StoryConfig) -> list[str]:
    words = [w.lower().replace("’", "'") for w in WORD_RE.findall(text)]
    words = [w.removesuffix("'s") for w in words]
    kept = [w for w in words if len(w) >= config.min_word_length and w not in config.stopwords]
    return ["w:" + s for s in _stemmer().stemWords(kept)]


def _number_keys(text: str) -> list[str]:
    """Numbers as digits without separators; single digits are too common to tell stories apart."""
    out = []
    for match in NUMBER_RE.finditer(text):
        value = match.group().replace(",", "")
        if len(value.replace(".", "")) >= 2:
            out.append("n:" + value)
    return out


def _lead_text(analysis: Analysis, config: StoryConfig) -> tuple[str, str, int]:
    """(title, lead text, end offset of the lead) of the analysed text."""
    article = analysis.article
    text = article.text
    starts = _paragraph_starts(text)
    title = article.title or ""
    first_lead = 1 if title else 0
    last = first_lead + config.lead_paragraphs
    lead_start = starts[first_lead] if first_lead < len(starts) else len(text)
    lead_end = starts[last] if last < len(starts) else len(text)
    return title, text[lead_start:lead_end], lead_end


def extract_keys(analysis: Analysis, config: StoryConfig | None = None) -> dict[str, float]:
    """Raw weighted keys of one article (before IDF): entities, lead words, numbers.

    Weights are sublinear in frequency (``log1p``) so an entity named twenty times in
    a long article does not drown the headline words.
    """
    config = config or load_story_config()
    title, lead, lead_end = _lead_text(analysis, config)
    counts: dict[str, float] = defaultdict(float)
    for key in _word_keys(title, config):
        counts[key] += config.title_boost * config.word_weight
    for key in _word_keys(lead, config):
        counts[key] += config.lead_boost * config.word_weight
    for key in _number_keys(title):
        counts[key] += config.title_boost * config.number_weight
    for key in _number_keys(lead):
        counts[key] += config.lead_boost * config.number_weight
    if config.body_word_boost:
        body = analysis.article.text[lead_end:]
        for key in _word_keys(body, config):
            counts[key] += config.body_word_boost * config.word_weight
    title_end = len(title)
    for mention in analysis.entities:
        if mention.label not in config.entity_labels or not mention.entity_id:
            continue
        if title and mention.start < title_end:
            boost = config.title_boost
        elif mention.start < lead_end:
            boost = config.lead_boost
        else:
            boost = config.body_entity_boost
        counts[_entity_key(mention.entity_id)] += boost * config.entity_weight
    return {key: round(math.log1p(value), 6) for key, value in sorted(counts.items())}


def _entity_key(entity_id: str) -> str:
    """``e:`` + the entity's name without its class: the small model labels one town
    GPE in one report and ORG in the next, and for telling stories apart the name is
    what matters (``place:brehovar`` and ``org:brehovar`` are one key)."""
    return "e:" + entity_id.split(":", 1)[-1]


def title_keys(analysis: Analysis, config: StoryConfig | None = None) -> dict[str, float]:
    """Keys of the headline alone: used to pick the most central headline of a story."""
    config = config or load_story_config()
    title = analysis.article.title or ""
    counts: dict[str, float] = defaultdict(float)
    for key in _word_keys(title, config):
        counts[key] += config.word_weight
    for key in _number_keys(title):
        counts[key] += config.number_weight
    for mention in analysis.entities:
        if mention.start < len(title) and mention.label in config.entity_labels and mention.entity_id:
            counts[_entity_key(mention.entity_id)] += config.entity_weight
    return {key: round(math.log1p(value), 6) for key, value in sorted(counts.items())}


class DocFreq(Protocol):
    """Document-frequency statistics of story keys, kept incrementally."""

    def total(self) -> int: ...

    def get(self, keys: Iterable[str]) -> dict[str, int]: ...

    def add(self, keys: Iterable[str]) -> None: ...


class MemoryDocFreq:
    """In-memory ``DocFreq`` for one-shot clustering and tests."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.docs = 0

    def total(self) -> int:
        return self.docs

    def get(self, keys: Iterable[str]) -> dict[str, int]:
        return {k: self.counts.get(k, 0) for k in keys}

    def add(self, keys: Iterable[str]) -> None:
        self.docs += 1
        for key in set(keys):
            self.counts[key] = self.counts.get(key, 0) + 1


def idf(df: int, docs: int) -> float:
    """Smoothed IDF (scikit-learn's ``smooth_idf``): never zero, so shared keys always count."""
    return math.log((docs + 1) / (df + 1)) + 1.0


def weighted(
    raw: Mapping[str, float], df: Mapping[str, int], docs: int, min_docs: int = 0, power: float = 1.0
) -> dict[str, float]:
    """TF-IDF vector from raw key weights, IDF raised to ``power``.

    A power above 1 makes specificity count more: in a stream where every report is
    about Ukraine, ``e:ukraine`` is near-worthless and ``e:odesa`` or ``n:298`` are
    the evidence. Below ``min_docs`` documents the frequencies say nothing yet (in a
    corpus of five reports of one flood every key is "common"), and IDF would push
    the first reports of a story apart; the raw weights are used until then."""
    if docs < min_docs:
        return dict(raw)
    return {k: w * idf(df.get(k, 0), docs) ** power for k, w in raw.items()}


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Cosine similarity of two sparse vectors."""
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b[k] for k, w in a.items() if k in b)
    if not dot:
        return 0.0
    norm = math.sqrt(sum(w * w for w in a.values())) * math.sqrt(sum(w * w for w in b.values()))
    return dot / norm if norm else 0.0


class DocFreqIndex(Protocol):
    """The document-frequency methods of ``Store`` (and ``MemoryStoryIndex``)."""

    def doc_count(self) -> int: ...

    def key_doc_freqs(self, keys: Iterable[str]) -> dict[str, int]: ...

    def add_key_doc_freqs(self, keys: Iterable[str]) -> None: ...


class StoreDocFreq:
    """``DocFreq`` over a story index's own counts: the store's ``story_key_df`` table.

    The store's methods join its open write transaction, so the counts an ingest
    batch adds commit or roll back with the batch's articles and stories."""

    def __init__(self, index: DocFreqIndex) -> None:
        self.index = index

    def total(self) -> int:
        return self.index.doc_count()

    def get(self, keys: Iterable[str]) -> dict[str, int]:
        return self.index.key_doc_freqs(keys)

    def add(self, keys: Iterable[str]) -> None:
        self.index.add_key_doc_freqs(keys)


class CachedDocFreq:
    """Write-through cache over another ``DocFreq`` for one clustering call: the same
    keys come back for every candidate story, so each is read from the table once."""

    def __init__(self, inner: DocFreq) -> None:
        self.inner = inner
        self.cache: dict[str, int] = {}
        self.docs = inner.total()

    def total(self) -> int:
        return self.docs

    def get(self, keys: Iterable[str]) -> dict[str, int]:
        keys = list(keys)
        missing = [k for k in keys if k not in self.cache]
        if missing:
            self.cache.update(self.inner.get(missing))
        return {k: self.cache[k] for k in keys}

    def add(self, keys: Iterable[str]) -> None:
        keys = sorted(set(keys))
        self.get(keys)  # cache the counts before the increment, then add 1 locally
        self.inner.add(keys)
        for key in keys:
            self.cache[key] += 1
        self.docs += 1
