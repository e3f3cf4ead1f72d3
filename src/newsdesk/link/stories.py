"""Streaming story clustering: each new article joins an existing story or opens one.

The algorithm is single-pass, like Miranda et al. 2018 ("Multilingual clustering of
streaming news"): an article is compared only with stories that (a) share one of its
strongest keys, found through the store's inverted key index, and (b) were active
within ``window_days``; the best of those joins it when the cosine of TF-IDF
weighted keys (``features.py``) reaches ``threshold``. So the cost of placing one
article depends on how many stories are active and share its keys, not on how many
articles are stored. Thresholds live in ``data/stories.toml``.

``assign_stories`` works on the persistent ``Store`` (or anything with the same
story methods, e.g. ``MemoryStoryIndex``); ``cluster_articles`` runs the same code
on an in-memory index for a folder of files. All clustering state (stories, their
keys, key document frequencies, headlines) lives in that index: with a ``Store`` it
is the store's tables, written through its methods, so inside the store's open
transaction a batch's story assignments commit or roll back with the batch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from newsdesk.link.features import (
    CachedDocFreq,
    DocFreq,
    MemoryDocFreq,
    StoreDocFreq,
    StoryConfig,
    cosine,
    extract_keys,
    load_story_config,
    title_keys,
    weighted,
)
from newsdesk.link.similarity import days_outside, join_threshold, time_factor
from newsdesk.link.storylines import link_storyline
from newsdesk.model import Analysis
from newsdesk.options import Options

__all__ = ["MemoryStoryIndex", "StoryIndex", "assign_stories", "cluster_articles", "story_id_for"]


class StoryIndex(Protocol):
    """The story methods of ``newsdesk.store.Store`` that clustering needs."""

    def story_candidates(
        self, keys: Sequence[str], published: date | None, window_days: int, limit: int = 20
    ) -> list[tuple[str, float]]: ...

    def story_keys(self, story_id: str) -> dict[str, float]: ...

    def story_state(self, story_id: str) -> tuple[date | None, date | None, int]: ...

    def create_story(self, story_id: str, title: str, published: date | None) -> None: ...

    def add_to_story(
        self, story_id: str, article_id: str, keys: Mapping[str, float], published: date | None
    ) -> None: ...

    def set_story_title(self, story_id: str, title: str) -> None: ...

    def merge_stories(self, keep: str, drop: str) -> None: ...

    def article_story(self, article_id: str) -> str | None: ...

    def doc_count(self) -> int: ...

    def key_doc_freqs(self, keys: Iterable[str]) -> dict[str, int]: ...

    def add_key_doc_freqs(self, keys: Iterable[str]) -> None: ...

    def add_story_headline(
        self, story_id: str, article_id: str, title: str, keys: Mapping[str, float], limit: int
    ) -> bool: ...

    def story_headlines(self, story_id: str) -> list[tuple[str, str, dict[str, float]]]: ...

    def set_storyline(self, story_id: str, storyline_id: str) -> None: ...

    def storyline_of(self, story_id: str) -> str | None: ...


@dataclass
class _MemoryStory:
    title: str
    keys: dict[str, float] = field(default_factory=dict)
    article_ids: list[str] = field(default_factory=list)
    first_published: date | None = None
    last_published: date | None = None


class MemoryStoryIndex:
    """An in-memory stand-in for the store's story tables (same method names).

    Used by ``cluster_articles`` (one-shot folders, no database) and by tests. Keys
    accumulate by summing weights, like the store's ``story_keys`` upsert; document
    frequencies and headlines are kept in ``MemoryDocFreq`` / ``MemoryHeadlines``.
    """

    def __init__(self) -> None:
        self.stories: dict[str, _MemoryStory] = {}
        self.postings: dict[str, set[str]] = defaultdict(set)
        self.article_to_story: dict[str, str] = {}
        self.doc_freq = MemoryDocFreq()
        self.headlines = MemoryHeadlines()
        self.storylines: dict[str, str] = {}

    def story_candidates(
        self, keys: Sequence[str], published: date | None, window_days: int, limit: int = 20
    ) -> list[tuple[str, float]]:
        scores: dict[str, float] = defaultdict(float)
        for key in keys:
            for story_id in self.postings.get(key, ()):
                story = self.stories[story_id]
                if not _within_window(story.first_published, story.last_published, published, window_days):
                    continue
                scores[story_id] += story.keys[key]
        return sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]

    def story_keys(self, story_id: str) -> dict[str, float]:
        return dict(self.stories[story_id].keys)

    def story_state(self, story_id: str) -> tuple[date | None, date | None, int]:
        story = self.stories[story_id]
        return story.first_published, story.last_published, len(story.article_ids)

    def create_story(self, story_id: str, title: str, published: date | None) -> None:
        self.stories[story_id] = _MemoryStory(title=title, first_published=published, last_published=published)

    def add_to_story(self, story_id: str, article_id: str, keys: Mapping[str, float], published: date | None) -> None:
        story = self.stories[story_id]
        story.article_ids.append(article_id)
        self.article_to_story[article_id] = story_id
        for key, weight in keys.items():
            story.keys[key] = story.keys.get(key, 0.0) + weight
            self.postings[key].add(story_id)
        if published:
            story.first_published = min(filter(None, (story.first_published, published)))
            story.last_published = max(filter(None, (story.last_published, published)))

    def set_story_title(self, story_id: str, title: str) -> None:
        self.stories[story_id].title = title

    def merge_stories(self, keep: str, drop: str) -> None:
        if keep == drop:
            return
        kept, dropped = self.stories[keep], self.stories.pop(drop)
        for key, weight in dropped.keys.items():
            kept.keys[key] = kept.keys.get(key, 0.0) + weight
            self.postings[key].discard(drop)
            self.postings[key].add(keep)
        for article_id in dropped.article_ids:
            self.article_to_story[article_id] = keep
        kept.article_ids.extend(dropped.article_ids)
        dates = (kept.first_published, kept.last_published, dropped.first_published, dropped.last_published)
        if any(dates):
            kept.first_published = min(filter(None, dates))
            kept.last_published = max(filter(None, dates))
        self.headlines.move(drop, keep)
        self.storylines.pop(drop, None)
        for member, line in list(self.storylines.items()):
            if line == drop:
                self.storylines[member] = keep

    def article_story(self, article_id: str) -> str | None:
        return self.article_to_story.get(article_id)

    def doc_count(self) -> int:
        return self.doc_freq.total()

    def key_doc_freqs(self, keys: Iterable[str]) -> dict[str, int]:
        return self.doc_freq.get(keys)

    def add_key_doc_freqs(self, keys: Iterable[str]) -> None:
        self.doc_freq.add(keys)

    def add_story_headline(
        self, story_id: str, article_id: str, title: str, keys: Mapping[str, float], limit: int
    ) -> bool:
        return self.headlines.add(story_id, article_id, title, dict(keys), limit)

    def story_headlines(self, story_id: str) -> list[tuple[str, str, dict[str, float]]]:
        return self.headlines.get(story_id)

    def set_storyline(self, story_id: str, storyline_id: str) -> None:
        self.storylines[story_id] = storyline_id
        if storyline_id != story_id:
            for member, line in list(self.storylines.items()):
                if line == story_id:
                    self.storylines[member] = storyline_id

    def storyline_of(self, story_id: str) -> str | None:
        return self.storylines.get(story_id)


def _within_window(first: date | None, last: date | None, published: date | None, window_days: int) -> bool:
    """True when ``published`` is no more than ``window_days`` outside the story's dates."""
    if published is None or last is None:
        return True
    first = first or last
    if published > last:
        return (published - last).days <= window_days
    if published < first:
        return (first - published).days <= window_days
    return True


class MemoryHeadlines:
    """Headlines (with their keys) of each story, to choose the most central one; the
    in-memory counterpart of the store's ``story_headlines`` table."""

    def __init__(self) -> None:
        self.by_story: dict[str, list[tuple[str, str, dict[str, float]]]] = defaultdict(list)
        self.kept: set[str] = set()

    def add(self, story_id: str, article_id: str, title: str, keys: dict[str, float], limit: int) -> bool:
        rows = self.by_story[story_id]
        if article_id in self.kept or len(rows) >= limit:
            return False
        rows.append((article_id, title, keys))
        self.kept.add(article_id)
        return True

    def get(self, story_id: str) -> list[tuple[str, str, dict[str, float]]]:
        return list(self.by_story.get(story_id, []))

    def move(self, source: str, target: str) -> None:
        self.by_story[target].extend(self.by_story.pop(source, []))


def story_id_for(article_id: str) -> str:
    """A story is named after the article that opened it: stable across reruns."""
    return f"s-{article_id}"


def _publication_order(analysis: Analysis) -> tuple[bool, date, str]:
    published = analysis.article.published
    return (published is None, published or date.min, analysis.article.id)


def _query_keys(vector: Mapping[str, float], df: Mapping[str, int], docs: int, config: StoryConfig) -> list[str]:
    """The article's strongest keys that are rare enough to look candidates up with."""
    cut = docs >= config.min_docs_for_df_cut
    usable = [k for k in vector if not (cut and df.get(k, 0) / docs > config.max_df_ratio)]
    usable.sort(key=lambda k: (-vector[k], k))
    return usable[: config.query_keys]


class _StoryCache:
    """Story profiles, dates and sizes read or written during one ``assign_stories`` call.

    Consecutive articles of a batch hit the same active stories; clustering is the
    only writer of story keys, so the cache is updated on every add instead of
    re-reading the store. A story's profile (its keys in the inverted index) is the
    sum of its first ``profile_size`` articles' keys only: later reports do not
    move it, so an event cannot drift into the neighbouring events of its topic."""

    def __init__(self, store: StoryIndex, config: StoryConfig) -> None:
        self.store = store
        self.config = config
        self.keys: dict[str, dict[str, float]] = {}
        self.titles: dict[str, str] = {}
        self.state: dict[str, tuple[date | None, date | None, int]] = {}
        self.headline_rows: dict[str, list[tuple[str, str, dict[str, float]]]] = {}

    def story_keys(self, story_id: str) -> dict[str, float]:
        if story_id not in self.keys:
            self.keys[story_id] = self.store.story_keys(story_id)
        return self.keys[story_id]

    def story_state(self, story_id: str) -> tuple[date | None, date | None, int]:
        if story_id not in self.state:
            self.state[story_id] = self.store.story_state(story_id)
        return self.state[story_id]

    def create(self, story_id: str, title: str, published: date | None) -> None:
        self.store.create_story(story_id, title, published)
        self.keys[story_id] = {}
        self.titles[story_id] = title
        self.state[story_id] = (published, published, 0)

    def add(self, story_id: str, article_id: str, raw: Mapping[str, float], published: date | None) -> None:
        keys = self.story_keys(story_id)
        first, last, size = self.story_state(story_id)
        profile = raw if size < self.config.profile_size else {}
        self.store.add_to_story(story_id, article_id, profile, published)
        for key, weight in profile.items():
            keys[key] = keys.get(key, 0.0) + weight
        self.state[story_id] = (_earliest(first, published), _latest(last, published), size + 1)

    def merge(self, keep: str, drop: str) -> None:
        keys = self.story_keys(keep)
        for key, weight in self.story_keys(drop).items():
            keys[key] = keys.get(key, 0.0) + weight
        (f1, l1, n1), (f2, l2, n2) = self.story_state(keep), self.story_state(drop)
        self.store.merge_stories(keep, drop)
        self.state[keep] = (_earliest(f1, f2), _latest(l1, l2), n1 + n2)
        self.headline_rows.pop(keep, None)
        for cached in (self.keys, self.titles, self.state, self.headline_rows):
            cached.pop(drop, None)  # type: ignore[attr-defined]

    def headlines(self, story_id: str) -> list[tuple[str, str, dict[str, float]]]:
        if story_id not in self.headline_rows:
            self.headline_rows[story_id] = self.store.story_headlines(story_id)
        return self.headline_rows[story_id]

    def set_title(self, story_id: str, title: str) -> None:
        if self.titles.get(story_id) != title:
            self.store.set_story_title(story_id, title)
            self.titles[story_id] = title


def _earliest(a: date | None, b: date | None) -> date | None:
    return min(a, b) if a and b else a or b


def _latest(a: date | None, b: date | None) -> date | None:
    return max(a, b) if a and b else a or b


def _vector(raw: Mapping[str, float], doc_freq: DocFreq, config: StoryConfig) -> dict[str, float]:
    return weighted(raw, doc_freq.get(raw), doc_freq.total(), config.min_docs_for_idf, config.idf_power)


def _ranked_stories(
    store: StoryIndex,
    cache: _StoryCache,
    vector: Mapping[str, float],
    published: date | None,
    doc_freq: DocFreq,
    config: StoryConfig,
    headline: Mapping[str, float] | None = None,
) -> list[tuple[str, float]]:
    """Candidate stories with their exact scores, best first (ties by story id).

    The score is the cosine of the article's keys with the event profile, blended
    (``headline_weight``) with the best cosine of its headline keys with one of the
    event's kept headlines, times the time factor. Keys that several candidates share
    are first down-weighted on both sides (``_local_weights``, ``local_idf``)."""
    docs = doc_freq.total()
    query = _query_keys(vector, doc_freq.get(vector), docs, config)
    if not query:
        return []
    scored = []
    candidates = [
        sid for sid, _ in store.story_candidates(query, published, config.window_days, config.candidate_limit)
    ]
    profiles = {sid: _vector(cache.story_keys(sid), doc_freq, config) for sid in candidates}
    local = _local_weights(vector, profiles.values(), config.local_idf)
    if local:
        vector = {k: w * local.get(k, 1.0) for k, w in vector.items()}
    for story_id in candidates:
        first, last, _size = cache.story_state(story_id)
        profile = profiles[story_id]
        if local:
            profile = {k: w * local.get(k, 1.0) for k, w in profile.items()}
        similarity = cosine(vector, profile)
        if config.headline_weight and headline:
            best = max(
                (cosine(headline, _vector(keys, doc_freq, config)) for _, _, keys in cache.headlines(story_id)),
                default=0.0,
            )
            similarity = (1 - config.headline_weight) * similarity + config.headline_weight * best
        gap = days_outside(published, first, last, config.event_span_days)
        scored.append((story_id, similarity * time_factor(gap, config)))
    return sorted(scored, key=lambda item: (-item[1], item[0]))


def _local_weights(
    vector: Mapping[str, float], profiles: Iterable[Mapping[str, float]], strength: float
) -> dict[str, float]:
    """Down-weight the article's keys that several candidate events share.

    Stream IDF says how rare a key is overall; in a dense stream of one conflict or
    one campaign, ``Ukraine`` or ``Senate`` is rare overall but carried by every
    active event, so it cannot tell those events apart. A key found in ``c`` of the
    candidate events gets ``1 / (1 + strength * (c - 1))``: 1 when only one candidate
    has it. Only the candidate set (at most ``candidate_limit``) is read: flat cost."""
    if strength <= 0:
        return {}
    counts: dict[str, int] = defaultdict(int)
    for profile in profiles:
        for key in vector:
            if key in profile:
                counts[key] += 1
    return {k: 1.0 / (1.0 + strength * (c - 1)) for k, c in counts.items() if c > 1}


def _refresh_title(cache: _StoryCache, story_id: str, doc_freq: DocFreq, config: StoryConfig) -> None:
    """Set the story title to its most representative headline: the one whose keys
    are closest to the story's profile (not the first one seen)."""
    rows = cache.store.story_headlines(story_id)
    if not rows:
        return
    story_vec = _vector(cache.story_keys(story_id), doc_freq, config)

    def centrality(row: tuple[str, str, dict[str, float]]) -> tuple[float, str]:
        _, title, keys = row
        return (-cosine(_vector(keys, doc_freq, config), story_vec), title)

    best = min(rows, key=centrality)
    cache.set_title(story_id, best[1])


def assign_stories(store: StoryIndex, analyses: Sequence[Analysis], options: Options | None = None) -> dict[str, str]:
    """Place each article in a story (existing or new) and return article_id -> story_id.

    Articles are taken in publication order (then id) so a batch gives the same stories
    whatever order it came in. An article already in a story keeps it (reruns are
    idempotent). ``options`` is accepted for symmetry with the other stages; the
    clustering settings are in ``data/stories.toml``.
    """
    config = load_story_config()
    doc_freq = CachedDocFreq(StoreDocFreq(store))
    cache = _StoryCache(store, config)
    assigned: dict[str, str] = {}
    for analysis in sorted(analyses, key=_publication_order):
        article = analysis.article
        existing = assigned.get(article.id) or store.article_story(article.id)
        if existing:
            assigned[article.id] = existing
            continue
        raw = extract_keys(analysis, config)
        vector = _vector(raw, doc_freq, config)
        heads = title_keys(analysis, config) if article.title else {}
        ranked = _ranked_stories(
            store, cache, vector, article.published, doc_freq, config, _vector(heads, doc_freq, config)
        )
        title = article.title or article.body[:80]
        if not ranked or ranked[0][1] < join_threshold(article.published, config):
            story_id = story_id_for(article.id)
            cache.create(story_id, title, article.published)
        else:
            story_id = ranked[0][0]
            # A report very close to two stories shows they are one event whose first
            # reports were told apart: fold the others into the best. Merging needs
            # strong evidence (``merge_threshold`` well above ``threshold``): a
            # wrong merge cannot be undone by later articles.
            for other, score in ranked[1:]:
                if score >= config.merge_threshold and ranked[0][1] >= config.merge_threshold:
                    cache.merge(story_id, other)
                    assigned = {a: story_id if s == other else s for a, s in assigned.items()}
        cache.add(story_id, article.id, raw, article.published)
        doc_freq.add(raw)
        first, _last, size = cache.story_state(story_id)
        if size <= config.profile_size:  # the profile changed: (re)link its storyline
            link_storyline(store, story_id, cache.story_keys(story_id), first, doc_freq, story_keys=cache.story_keys)
        if article.title:
            if store.add_story_headline(story_id, article.id, article.title, heads, config.max_headlines):
                cache.headline_rows.pop(story_id, None)
            _refresh_title(cache, story_id, doc_freq, config)
        assigned[article.id] = story_id
    return assigned


def cluster_articles(analyses: Sequence[Analysis], options: Options | None = None) -> list[list[str]]:
    """One-shot clustering of a folder: the streaming algorithm on an in-memory index,
    in publication order. Returns groups of article ids, each in publication order,
    groups ordered by their first article."""
    index = MemoryStoryIndex()
    assignment = assign_stories(index, analyses, options)
    order = {a.article.id: i for i, a in enumerate(sorted(analyses, key=_publication_order))}
    groups: dict[str, list[str]] = defaultdict(list)
    for article_id in sorted(assignment, key=order.__getitem__):
        groups[assignment[article_id]].append(article_id)
    return sorted(groups.values(), key=lambda ids: order[ids[0]])


def story_titles(index: MemoryStoryIndex) -> dict[str, str]:
    """Story id -> title of an in-memory index (for one-shot reports)."""
    return {sid: story.title for sid, story in index.stories.items()}
