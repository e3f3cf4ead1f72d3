"""``newsdesk analyze``: one-shot analysis of files, printed as JSON or Markdown."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from newsdesk.cli.common import err_console, exit_code, parse_date, report_failures
from newsdesk.cli.ingest import default_workers
from newsdesk.errors import NewsdeskError
from newsdesk.options import DEFAULT_MODEL, Options
from newsdesk.safetext import escape_controls


class OutputFormat(str, Enum):
    json = "json"
    md = "md"


def analyze_command(
    files: Annotated[list[Path], typer.Argument(help="Files or folders: .txt, .html, .jsonl, .warc(.gz).")],
    format: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.json,
    published: Annotated[
        str | None, typer.Option(help="Publication date (YYYY-MM-DD) for inputs that carry none.")
    ] = None,
    model: Annotated[str, typer.Option(help="spaCy pipeline package to load.")] = DEFAULT_MODEL,
    output: Annotated[Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout.")] = None,
    strict: Annotated[bool, typer.Option(help="Exit non-zero if any input fails.")] = False,
    workers: Annotated[
        int | None, typer.Option(min=0, help="Analysis processes (default: one per CPU; 0: analyse in this process).")
    ] = None,
) -> None:
    """Analyze articles (no store): clean text, quotes, entities, dates, claims."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from newsdesk.oneshot import analyze_paths
    from newsdesk.report.article_json import render_json
    from newsdesk.report.article_markdown import render_markdown

    options = Options(
        model=model, published=parse_date(published), strict=strict,
        workers=default_workers() if workers is None else workers,
    )
    progress = Progress(
        TextColumn("analysing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err_console, transient=True,
    )
    try:
        with progress:
            task = progress.add_task("analyse", total=None)
            result = analyze_paths(files, options, on_article=lambda _: progress.advance(task))
    except NewsdeskError as exc:
        err_console.print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        err_console.print("interrupted", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(130) from None
    for line in result.worker_deaths:
        err_console.print(f"warning: {line}", markup=False, highlight=False, soft_wrap=True)
    text = (render_json if format is OutputFormat.json else render_markdown)(result.analyses, result.failures)
    if output is None:  # a terminal must not run escape sequences from an article
        typer.echo(escape_controls(text, keep_newlines=True))
    else:
        output.write_text(text + "\n", encoding="utf-8")
    report_failures(result.failures)
    raise typer.Exit(exit_code(len(result.analyses), result.failures, strict))


def register(app: typer.Typer) -> None:
    app.command("analyze")(analyze_command)
