"""Shared pieces of the web app: settings, the store and options, templates.

Why app.state, not globals: ``create_app`` can be called several times in one
process (tests, a library user serving two stores), so each app carries its own
store and options and routes reach them through these dependencies.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, select_autoescape

from newsdesk.config import settings
from newsdesk.options import Options
from newsdesk.safetext import html_finalize
from newsdesk.store import Store


def web_settings() -> Mapping[str, Any]:
    """``data/web.toml`` with this run's overrides (frozen; read once by newsdesk.config)."""
    return settings("web")


def legend_class(label: str) -> str:
    """The legend colour class of a spaCy entity label (``PERSON`` -> ``person``)."""
    legend = web_settings()["legend"]
    return str(legend.get(label, legend["default"]))


@dataclass(frozen=True)
class PageLimits:
    search_limit: int
    entity_mentions_limit: int
    story_cache_size: int


@cache
def page_limits() -> PageLimits:
    return PageLimits(**web_settings()["pages"])


@cache
def templates() -> Jinja2Templates:
    """Jinja2 templates with autoescape ON for every template, whatever its suffix
    (the ``.html.j2`` names would escape nothing under the default rule)."""
    env = Environment(
        loader=PackageLoader("newsdesk.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=html_finalize,  # no bidi override from an article reaches the page
    )
    return Jinja2Templates(env=env)


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def get_options(request: Request) -> Options:
    options: Options = request.app.state.options
    return options
