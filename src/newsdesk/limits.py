"""Limits on input size and shape, as settings (``data/limits.toml``), loaded once.

Why settings and not constants: a newsroom ingesting a 2 GB book-length WARC
record on purpose must be able to raise a limit for one run, while the defaults
keep one hostile or broken record (a gzip bomb, a 300 MB JSON line, a 900 KB
sentence) from costing more than about a gigabyte of memory. The limits travel
on :class:`~newsdesk.options.Options` (``options.limits``), so the CLI, the web
app and the Ray workers enforce the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import tomllib

_FILE = Path(__file__).parent / "data" / "limits.toml"


@dataclass(frozen=True)
class Limits:
    """Every bound newsdesk enforces on one input; field docs in ``data/limits.toml``."""

    max_member_bytes: int = 256 * 1024 * 1024
    max_file_bytes: int = 16 * 1024**3
    max_json_depth: int = 64
    max_number_digits: int = 100
    read_chunk_bytes: int = 1024 * 1024
    max_header_line_bytes: int = 65536
    min_year: int = 1800
    max_days_ahead: int = 366
    max_article_chars: int = 200_000
    chunk_chars: int = 50_000
    max_sentence_chars: int = 3_000
    max_quotes: int = 500

    def date_range(self, today: date | None = None) -> tuple[date, date]:
        """The publication dates accepted: 1 Jan of ``min_year`` to today + ``max_days_ahead``."""
        today = today or date.today()
        return date(self.min_year, 1, 1), today + timedelta(days=self.max_days_ahead)


@cache
def default_limits() -> Limits:
    """The limits of ``data/limits.toml`` (read once per process)."""
    data = tomllib.loads(_FILE.read_text("utf-8"))
    values = {key: int(value) for table in data.values() for key, value in table.items()}
    return Limits(**values)
