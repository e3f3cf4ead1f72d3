"""``newsdesk follow``: follow outlets' feeds and sitemaps into the store, politely.

Modules, one concern each: ``sources`` (what SOURCES name; feeds and sitemaps
parsed), ``urls`` (canonical URLs), ``fetch`` (HTTP with limits, retries,
conditional GET), ``politeness`` (robots.txt, pacing per host), ``archive``
(WARC of every response), ``pages`` (page bytes -> RawArticle), ``poll`` (one
resumable poll of everything into the store), ``settings`` (``data/follow.toml``).
The feed state lives in the store (``Store.list_feeds``, the fetch log).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from newsdesk.follow.archive import WarcArchive
from newsdesk.follow.fetch import Fetcher
from newsdesk.follow.poll import Follower, FollowReport, Say, one_line
from newsdesk.follow.settings import FollowSettings, follow_settings
from newsdesk.follow.sources import read_sources
from newsdesk.options import Options
from newsdesk.store import Store

__all__ = ["FollowReport", "FollowSettings", "follow_once", "follow_rounds", "follow_settings"]


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def follow_once(
    sources: list[str],
    options: Options,
    settings: FollowSettings | None = None,
    archive: Path | WarcArchive | None = None,
    say: Say = _stderr,
    store: Store | None = None,
) -> FollowReport:
    """Poll every source once: new article URLs are fetched, ingested and logged.

    ``sources``: feed/sitemap URLs, OPML files, text files of URLs. ``archive``: a
    folder (or an open ``WarcArchive``) receiving every response as WARC. Problems
    are reported through ``say`` and in ``report.failed``; a ``StoreError`` or
    ``ModelError`` stops the run."""
    settings = settings or follow_settings()
    specs, errors = read_sources(sources)
    target = store if store is not None else Store(options.db)
    warc = WarcArchive(archive) if isinstance(archive, Path) else archive
    try:
        with Fetcher(settings, warc) as fetcher:  # the archive outlives the fetcher
            follower = Follower(options, settings, target, fetcher, say)
            for line in errors:
                follower.say(line)
            return follower.run(specs)
    finally:
        if warc is not None and warc is not archive:
            warc.close()
        if store is None:
            target.close()


def follow_rounds(
    sources: list[str],
    options: Options,
    interval: float,
    settings: FollowSettings | None = None,
    archive: Path | None = None,
    say: Say = _stderr,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[FollowReport]:
    """Poll every ``interval`` seconds, forever (the caller stops on Ctrl-C), one
    report per round; one WARC file for the whole session."""
    warc = WarcArchive(archive) if archive is not None else None
    try:
        with Store(options.db) as store:
            while True:
                started = time.monotonic()
                yield follow_once(sources, options, settings, warc, say, store)
                sleep(max(0.0, interval - (time.monotonic() - started)))
    finally:
        if warc is not None:
            warc.close()


def parse_interval(text: str) -> float:
    """``90``, ``30s``, ``15m``, ``2h``, ``1d`` -> seconds. Raises ValueError."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    value = text.strip().lower()
    factor = units.get(value[-1:], None)
    number = float(value[:-1] if factor else value)
    seconds = number * (factor or 1)
    if seconds <= 0:
        raise ValueError(f"interval must be positive: {text!r}")
    return seconds


__all__ += ["one_line", "parse_interval"]
