"""The follower's tunables: ``data/follow.toml`` read through ``newsdesk.config``.

So the one override file of a run (``--config`` / ``$NEWSDESK_CONFIG``) reaches them
like every other setting (``[follow.politeness] min_delay = 5``), with the same checks.
One frozen object, so a library user or a test overrides a value with
``settings.replace(min_delay=0.01)`` instead of patching globals.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import newsdesk
from newsdesk.config import override_path, settings
from newsdesk.errors import ConfigError


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


def _flatten(data: Mapping[str, Any]) -> dict[str, Any]:
    http, retry, polite = data["http"], data["retry"], data["politeness"]
    return {
        **dict(http),
        "retry_statuses": frozenset(int(s) for s in retry["statuses"]),
        "max_retries": int(retry["max_retries"]),
        "max_wait": float(retry["max_wait"]),
        "backoff_base": float(retry["backoff_base"]),
        **dict(polite),
        "page_types": frozenset(data["content"]["page_types"]),
        "listing_types": frozenset(data["content"]["listing_types"]),
        "sitemap_max_depth": int(data["sitemaps"]["max_depth"]),
        "sitemap_max_children": int(data["sitemaps"]["max_children"]),
        "strip_params": frozenset(p.lower() for p in data["urls"]["strip_params"]),
        "batch_pages": int(data["ingest"]["batch_pages"]),
    }


def _validated(settings: FollowSettings) -> FollowSettings:
    if settings.per_host_concurrency < 1 or settings.workers < 1 or settings.batch_pages < 1:
        raise ConfigError("follow settings: per_host_concurrency, workers and batch_pages must be at least 1")
    if min(settings.connect_timeout, settings.read_timeout, settings.total_timeout) <= 0:
        raise ConfigError("follow settings: timeouts must be positive")
    return settings


@cache
def _build(override: Path | None) -> FollowSettings:
    return _validated(FollowSettings(**_flatten(settings("follow"))))


def follow_settings() -> FollowSettings:
    """``data/follow.toml`` with this run's overrides (``[follow.politeness]`` tables of
    the ``--config`` / ``$NEWSDESK_CONFIG`` file, checked by ``newsdesk.config``), as a
    validated ``FollowSettings``. Raises ConfigError naming a wrong file or key."""
    return _build(override_path())
