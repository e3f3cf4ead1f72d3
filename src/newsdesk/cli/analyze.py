"""``newsdesk analyze``: one-shot analysis of files, printed as JSON or Markdown."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from newsdesk.cli.common import err_console, exit_code, handles_errors, parse_date, report_failures, say
from newsdesk.cli.options import ModelOption, PublishedOption, WorkersOption, default_workers
from newsdesk.options import DEFAULT_MODEL, Options
from newsdesk.safetext import escape_controls


class OutputFormat(str, Enum):
    json = "json"
    md = "md"


def analyze_command(
    files: Annotated[list[Path], typer.Argument(help="Files or folders: .txt, .html, .jsonl, .warc(.gz).")],
    format: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.json,
    published: PublishedOption = None,
    model: ModelOption = DEFAULT_MODEL,
    output: Annotated[Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout.")] = None,
    strict: Annotated[bool, typer.Option(help="Exit non-zero if any input fails.")] = False,
    workers: WorkersOption = None,
) -> None:
    """Analyze articles (no store): clean text, quotes, entities, dates, claims."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from newsdesk import api
    from newsdesk.report.article_json import render_json
    from newsdesk.report.article_markdown import render_markdown

    options = Options(
        model=model,
        published=parse_date(published),
        strict=strict,
        workers=default_workers() if workers is None else workers,
    )
    progress = Progress(
        TextColumn("analysing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    )
    with progress:
        task = progress.add_task("analyse", total=None)
        result = api.analyze(files, options, on_article=lambda _: progress.advance(task))
    for line in result.worker_deaths:
        say(f"warning: {line}")
    text = (render_json if format is OutputFormat.json else render_markdown)(result.analyses, result.failures)
    if output is None:  # a terminal must not run escape sequences from an article
        typer.echo(escape_controls(text, keep_newlines=True))
    else:
        output.write_text(text + "\n", encoding="utf-8")
    report_failures(result.failures)
    raise typer.Exit(exit_code(len(result.analyses), result.failures, strict))


def register(app: typer.Typer) -> None:
    app.command("analyze")(handles_errors()(analyze_command))
