"""``newsdesk brief``: a story brief (Markdown, self-contained HTML, or JSON per
schema/brief.schema.json).

``newsdesk brief STORY_ID`` reads a stored story; ``newsdesk brief FILES...`` reads,
cleans and analyses the files in one shot (no store) and treats them as one story.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from newsdesk.cli.common import err_console, exit_code, handles_errors, parse_date, report_failures, say
from newsdesk.cli.options import DbOption, ModelOption, PublishedOption
from newsdesk.options import DEFAULT_MODEL, Options
from newsdesk.safetext import escape_controls


class BriefFormat(str, Enum):
    md = "md"
    html = "html"
    json = "json"


def brief_command(
    targets: Annotated[
        list[str], typer.Argument(metavar="STORY_ID|FILES...", help="A stored story id, or files/folders to analyse.")
    ],
    format: Annotated[BriefFormat, typer.Option("--format", "-f", help="Output format.")] = BriefFormat.md,
    db: DbOption = None,
    output: Annotated[Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout.")] = None,
    published: PublishedOption = None,
    model: ModelOption = DEFAULT_MODEL,
) -> None:
    """Brief of one story: timeline, who said what, corroborated, divergent and related claims."""
    from newsdesk import api

    options = Options(model=model, published=parse_date(published), db_url=db)
    with err_console.status("analysing"):
        result = api.brief(targets, options, format.value)
    text = result.text
    if output is None:
        typer.echo(escape_controls(text, keep_newlines=True), nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        say(f"wrote {output}")
    report_failures(result.failures)
    raise typer.Exit(exit_code(len(result.analyses), result.failures, False))


def register(app: typer.Typer) -> None:
    app.command("brief")(handles_errors()(brief_command))
