"""``newsdesk follow`` (poll feeds and sitemaps into the store) and ``newsdesk feeds``
(what is followed and how healthy each feed is)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from newsdesk.cli.common import err_console, handles_errors
from newsdesk.cli.options import ConfigOption, DbOption, ModelOption
from newsdesk.options import DEFAULT_MODEL, Options
from newsdesk.safetext import escape_controls

if TYPE_CHECKING:  # the crawler and the store load when a command runs, not for --help
    from newsdesk.follow import FollowReport
    from newsdesk.store import FeedRecord


def _say(line: str) -> None:
    err_console.print(line, markup=False, highlight=False, soft_wrap=True)


def summary_table(report: FollowReport, db: str) -> Table:
    table = Table(title=f"follow into {db}", show_header=True)
    table.add_column("result")
    table.add_column("count", justify="right")
    for label, value in (
        ("feeds and sitemaps polled", report.feeds),
        ("not modified (304)", report.not_modified),
        ("entries listed", report.entries),
        ("already fetched (skipped)", report.known),
        ("disallowed by robots.txt", report.disallowed),
        ("pages fetched", report.fetched),
        ("articles stored", report.stored),
        ("same content already stored", report.duplicates),
        ("problems", len(report.failed)),
        ("HTTP requests", report.requests),
    ):
        table.add_row(label, str(value))
    return table


def follow_command(
    sources: Annotated[list[str], typer.Argument(help="Feed or sitemap URLs, OPML files, text files of URLs.")],
    db: DbOption = None,
    once: Annotated[bool, typer.Option("--once", help="Poll once and exit (default: poll every --interval).")] = False,
    interval: Annotated[str, typer.Option(help="Time between polls: 90s, 15m, 2h.")] = "15m",
    archive: Annotated[Path | None, typer.Option(help="Folder receiving every fetched response as WARC.")] = None,
    contact: Annotated[
        str | None, typer.Option(help="URL or e-mail put in the User-Agent (default from data/follow.toml).")
    ] = None,
    config: ConfigOption = None,
    model: ModelOption = DEFAULT_MODEL,
    strict: Annotated[bool, typer.Option(help="Exit non-zero if anything failed.")] = False,
) -> None:
    """Follow outlets: poll feeds and sitemaps, fetch new articles politely, ingest them."""
    from newsdesk.follow import follow_once, follow_rounds, follow_settings, parse_interval
    from newsdesk.store import display_url

    try:
        seconds = parse_interval(interval)
    except ValueError:
        raise typer.BadParameter(f"not a duration (90s, 15m, 2h): {interval!r}", param_hint="--interval") from None
    options = Options(model=model, db_url=db, strict=strict)
    settings = follow_settings()  # --config was applied (and checked) by its callback
    if contact:
        settings = settings.replace(contact=contact)
    if once:
        report = follow_once(sources, options, settings, archive, _say)
        Console().print(summary_table(report, display_url(options.db)))
        raise typer.Exit(_exit_code(report, strict))
    for report in follow_rounds(sources, options, seconds, settings, archive, _say):
        Console().print(summary_table(report, display_url(options.db)))
        err_console.print(f"next poll in {interval}; Ctrl-C to stop", markup=False, highlight=False)


def _exit_code(report: FollowReport, strict: bool) -> int:
    """1 when no source could be polled at all, or with --strict and any problem."""
    if report.feeds == report.feeds_failed or (strict and report.failed):
        return 1
    return 0


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "never"


def _feed_json(feed: FeedRecord) -> dict[str, object]:
    return {
        "url": feed.url,
        "title": feed.title,
        "kind": feed.kind,
        "parent": feed.parent,
        "health": feed.health,
        "last_poll": feed.last_poll.isoformat() if feed.last_poll else None,
        "last_ok": feed.last_ok.isoformat() if feed.last_ok else None,
        "last_error": feed.last_error,
        "entries": feed.entry_count,
        "stored": feed.stored_count,
        "failed": feed.failed_count,
        "disallowed": feed.disallowed_count,
    }


def feeds_command(
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON array instead of a table.")] = False,
) -> None:
    """List followed feeds and sitemaps with their health, counts and last error."""
    from newsdesk.store import Store, display_url

    options = Options(db_url=db)
    with Store(options.db) as store:
        feeds = store.list_feeds()
    if as_json:
        typer.echo(json.dumps([_feed_json(f) for f in feeds], indent=2))
        return
    Console().print(feeds_table(feeds, display_url(options.db)))
    for feed in feeds:
        if feed.last_error:
            _say(escape_controls(f"{feed.url}: last error: {feed.last_error}"))
    if not feeds:
        _say("no feeds yet: run newsdesk follow URL")


def feeds_table(feeds: list[FeedRecord], db: str) -> Table:
    """One row per feed; cells are ``Text``, so a feed's title is never read as markup."""
    table = Table(title=f"feeds in {db}", show_header=True)
    table.add_column("feed", overflow="fold")
    table.add_column("health")
    table.add_column("last poll")
    for column in ("entries", "stored", "failed", "robots"):
        table.add_column(column, justify="right")
    for feed in feeds:
        name = Text(
            f"{escape_controls(feed.title)}\n{escape_controls(feed.url)}" if feed.title else escape_controls(feed.url)
        )
        health = Text(feed.health, style={"ok": "green", "failing": "red"}.get(feed.health, ""))
        table.add_row(
            name,
            health,
            _when(feed.last_poll),
            str(feed.entry_count),
            str(feed.stored_count),
            str(feed.failed_count),
            str(feed.disallowed_count),
        )
    return table


def register(app: typer.Typer) -> None:
    app.command("follow")(handles_errors("stopped; what was stored is kept, the next run resumes")(follow_command))
    app.command("feeds")(handles_errors()(feeds_command))
