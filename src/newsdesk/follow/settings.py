"""The follower's tunables, read once from ``data/follow.toml``.

One frozen object, so a run (or a test) overrides a value with
``dataclasses.replace(settings, min_delay=0.01)`` instead of patching globals.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import tomllib

import newsdesk


@dataclass(frozen=True)
class FollowSettings:
    """Every value of ``data/follow.toml``, flattened (the file's comments explain them)."""

    contact: str
    connect_timeout: float
    read_timeout: float
    total_timeout: float
    max_redirects: int
    max_page_bytes: int
    max_listing_bytes: int
    retry_statuses: frozenset[int]
    max_retries: int
    max_wait: float
    backoff_base: float
    obey_robots: bool
    min_delay: float
    per_host_concurrency: int
    workers: int
    robots_unreachable_blocks: bool
    page_types: frozenset[str]
    listing_types: frozenset[str]
    sitemap_max_depth: int
    sitemap_max_children: int
    strip_params: frozenset[str]
    batch_pages: int

    @property
    def user_agent(self) -> str:
        """``newsdesk/<version> (+<contact>)``: who is crawling and how to reach them."""
        return f"newsdesk/{newsdesk.__version__} (+{self.contact})"

    def replace(self, **changes: Any) -> FollowSettings:
        return dataclasses.replace(self, **changes)


def _flatten(data: dict[str, Any]) -> dict[str, Any]:
    http, retry, polite = data["http"], data["retry"], data["politeness"]
    return {
        **http,
        "retry_statuses": frozenset(int(s) for s in retry["statuses"]),
        "max_retries": int(retry["max_retries"]),
        "max_wait": float(retry["max_wait"]),
        "backoff_base": float(retry["backoff_base"]),
        **polite,
        "page_types": frozenset(data["content"]["page_types"]),
        "listing_types": frozenset(data["content"]["listing_types"]),
        "sitemap_max_depth": int(data["sitemaps"]["max_depth"]),
        "sitemap_max_children": int(data["sitemaps"]["max_children"]),
        "strip_params": frozenset(p.lower() for p in data["urls"]["strip_params"]),
        "batch_pages": int(data["ingest"]["batch_pages"]),
    }


@cache
def _defaults() -> dict[str, Any]:
    return tomllib.loads(resources.files("newsdesk").joinpath("data/follow.toml").read_text(encoding="utf-8"))


def _validated(settings: FollowSettings, where: str) -> FollowSettings:
    if settings.per_host_concurrency < 1 or settings.workers < 1 or settings.batch_pages < 1:
        raise ValueError(f"{where}: per_host_concurrency, workers and batch_pages must be at least 1")
    if min(settings.connect_timeout, settings.read_timeout, settings.total_timeout) <= 0:
        raise ValueError(f"{where}: timeouts must be positive")
    return settings


@cache
def follow_settings() -> FollowSettings:
    """``data/follow.toml`` as a validated ``FollowSettings`` (read once per process)."""
    return _validated(FollowSettings(**_flatten(_defaults())), "follow.toml")


def load_settings(path: Path) -> FollowSettings:
    """The defaults with the tables of a user's TOML file laid over them
    (``[politeness] min_delay = 5`` changes that one value). Raises ValueError
    naming the file for unknown tables or keys, or an unreadable file."""
    try:
        override = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{path}: {exc}") from None
    merged = {table: dict(values) for table, values in _defaults().items()}
    for table, values in override.items():
        if table not in merged or not isinstance(values, dict):
            raise ValueError(f"{path}: unknown table [{table}]")
        unknown = set(values) - set(merged[table])
        if unknown:
            raise ValueError(f"{path}: unknown key(s) in [{table}]: {', '.join(sorted(unknown))}")
        merged[table].update(values)
    return _validated(FollowSettings(**_flatten(merged)), str(path))
