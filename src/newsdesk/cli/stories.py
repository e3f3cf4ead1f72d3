"""``newsdesk stories``: list the stories in the store, most recently active first."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from newsdesk.cli.common import handles_errors
from newsdesk.cli.options import DbOption
from newsdesk.model import to_dict
from newsdesk.options import Options
from newsdesk.safetext import escape_controls


def _cell(value: str | None) -> Text:
    """Untrusted text as a plain Rich cell: controls escaped, never read as markup."""
    return Text(escape_controls(value or ""))


def stories_table(summaries: list, db: str) -> Table:
    """One row per story: id (for ``newsdesk brief``), title, articles, outlets, dates."""
    table = Table(title=Text(f"{len(summaries)} stories in {escape_controls(db)}"), show_header=True)
    table.add_column("story")
    table.add_column("title", overflow="fold")
    table.add_column("storyline", overflow="fold")
    table.add_column("articles", justify="right")
    table.add_column("outlets", overflow="fold")
    table.add_column("from")
    table.add_column("to")
    for s in summaries:
        table.add_row(
            _cell(s.id),
            _cell(s.title),
            _cell(f"{s.storyline_title} ({s.storyline_events} events)") if s.storyline_events > 1 else "-",
            str(s.article_count),
            _cell(", ".join(o or "" for o in s.outlets)),
            s.first_published.isoformat() if s.first_published else "-",
            s.last_published.isoformat() if s.last_published else "-",
        )
    return table


def stories_command(
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the stories as JSON instead of a table.")] = False,
    limit: Annotated[int | None, typer.Option(min=1, help="Show only the N most recently active stories.")] = None,
) -> None:
    """List stories with their article counts, outlets and date range."""
    from newsdesk import api
    from newsdesk.store import display_url

    options = Options(db_url=db)
    summaries = api.stories(options)
    summaries = summaries[:limit] if limit else summaries
    if as_json:
        # json escapes C0 controls itself; C1 and bidi controls become \uXXXX here (still JSON)
        typer.echo(escape_controls(json.dumps(to_dict(summaries), ensure_ascii=False, indent=2), keep_newlines=True))
    else:
        Console().print(stories_table(summaries, display_url(options.db)))


def register(app: typer.Typer) -> None:
    app.command("stories")(handles_errors()(stories_command))
