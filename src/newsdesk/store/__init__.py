"""The article store (SQLAlchemy 2; SQLite file by default, PostgreSQL by URL).

``Store`` is the one entry point; the web app, the story linker and the Ray path
only use its methods. See docs/store.md for tables and guarantees.
"""

from newsdesk.store.feeds import FeedRecord, FetchRecord, PollResult
from newsdesk.store.records import (
    AddOutcome,
    AddStatus,
    EntityRecord,
    FailureRecord,
    SearchHit,
    StorySummary,
)
from newsdesk.store.settings import search_settings
from newsdesk.store.store import Store, display_url, normalise_url

SNIPPET_START = search_settings().snippet_start
SNIPPET_END = search_settings().snippet_end

__all__ = [
    "SNIPPET_END",
    "SNIPPET_START",
    "AddOutcome",
    "AddStatus",
    "EntityRecord",
    "FeedRecord",
    "FetchRecord",
    "PollResult",
    "FailureRecord",
    "SearchHit",
    "Store",
    "StorySummary",
    "display_url",
    "normalise_url",
]
