"""The store's tunables, read once from ``newsdesk/data/store.toml``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from newsdesk.config import settings
from newsdesk.errors import ConfigError


@dataclass(frozen=True)
class NearDuplicateSettings:
    num_perm: int
    bands: int
    rows: int
    shingle_words: int
    threshold: float
    max_candidates: int


@dataclass(frozen=True)
class SearchSettings:
    snippet_start: str
    snippet_end: str
    snippet_ellipsis: str
    snippet_words: int
    lead_chars: int
    sqlite_tokenizer: str
    postgres_config: str


def _load() -> Mapping[str, Any]:
    return settings("store")


@cache
def near_duplicate_settings() -> NearDuplicateSettings:
    settings = NearDuplicateSettings(**_load()["near_duplicate"])
    if settings.bands * settings.rows > settings.num_perm:
        raise ConfigError("store.toml: near_duplicate.bands * rows must not exceed num_perm")
    return settings


@cache
def search_settings() -> SearchSettings:
    return SearchSettings(**_load()["search"])
