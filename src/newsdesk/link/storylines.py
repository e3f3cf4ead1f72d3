"""Storylines: events about one ongoing matter, linked by their specific entities.

An event (a story of ``stories.py``) is one happening reported within days; an
ongoing matter (Cheney criticises Trump, then is ousted, then Stefanik replaces her)
is a chain of events weeks apart that share the *specific* people, places and
organisations involved, not the words of each happening. So an event joins the
storyline of the most similar earlier event when the cosine of their IDF-weighted
entity keys (``e:`` keys only, IDF over the whole stream so that ``e:ukraine`` in a
Ukraine-heavy stream counts little) reaches ``[storylines] threshold`` within
``window_days``. Candidates come from the store's inverted key index, like events,
so the cost per event stays flat as the store grows.

The link is decided while the event's profile is still forming (its first
``profile_size`` articles) and may be revised then; afterwards it stays.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, Protocol

from newsdesk.config import settings as config_settings
from newsdesk.link.features import DocFreq, cosine, weighted

ENTITY_PREFIX = "e:"


@dataclass(frozen=True)
class StorylineConfig:
    """The ``[storylines]`` table of ``stories.toml``."""

    threshold: float
    window_days: int
    query_keys: int
    candidate_limit: int
    min_entities: int


@lru_cache(maxsize=1)
def load_storyline_config() -> StorylineConfig:
    raw = config_settings("stories")
    return storyline_config_from_dict(raw)


def storyline_config_from_dict(raw: Mapping[str, Any]) -> StorylineConfig:
    table = raw["storylines"]
    return StorylineConfig(
        threshold=float(table["threshold"]),
        window_days=int(table["window_days"]),
        query_keys=int(table["query_keys"]),
        candidate_limit=int(table["candidate_limit"]),
        min_entities=int(table["min_entities"]),
    )


class StorylineIndex(Protocol):
    """The store methods storyline linking needs (``Store`` and ``MemoryStoryIndex``)."""

    def story_candidates(
        self, keys: list[str], published: date | None, window_days: int, limit: int = 20
    ) -> list[tuple[str, float]]: ...

    def story_keys(self, story_id: str) -> dict[str, float]: ...

    def set_storyline(self, story_id: str, storyline_id: str) -> None: ...

    def storyline_of(self, story_id: str) -> str | None: ...


def entity_vector(keys: Mapping[str, float], doc_freq: DocFreq) -> dict[str, float]:
    """The entity keys of an event profile, IDF-weighted over the stream."""
    entities = {k: w for k, w in keys.items() if k.startswith(ENTITY_PREFIX)}
    return weighted(entities, doc_freq.get(entities), doc_freq.total())


def link_storyline(
    store: StorylineIndex,
    story_id: str,
    keys: Mapping[str, float],
    published: date | None,
    doc_freq: DocFreq,
    config: StorylineConfig | None = None,
    story_keys: Any = None,
) -> str:
    """Put ``story_id`` in the storyline of its closest earlier event, or its own.

    ``story_keys`` (a function story id -> keys) lets the caller serve profiles from
    its cache. Returns the storyline id."""
    config = config or load_storyline_config()
    read_keys = story_keys or store.story_keys
    vector = entity_vector(keys, doc_freq)
    current = store.storyline_of(story_id)
    best_line, best_score = story_id, 0.0
    if len(vector) >= config.min_entities:
        query = sorted(vector, key=lambda k: (-vector[k], k))[: config.query_keys]
        for other, _ in store.story_candidates(query, published, config.window_days, config.candidate_limit):
            if other == story_id:
                continue
            line = store.storyline_of(other) or other
            if line == story_id:
                continue  # an event already linked to this one: keep the chain acyclic
            score = cosine(vector, entity_vector(read_keys(other), doc_freq))
            if score > best_score or (score == best_score and line < best_line):
                best_line, best_score = line, score
    line = best_line if best_score >= config.threshold else story_id
    if line != current:
        store.set_storyline(story_id, line)
    return line
