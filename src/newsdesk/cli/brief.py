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

from newsdesk.cli.common import err_console, exit_code, parse_date, report_failures
from newsdesk.errors import NewsdeskError
from newsdesk.options import DEFAULT_MODEL, Options
from newsdesk.safetext import escape_controls


class BriefFormat(str, Enum):
    md = "md"
    html = "html"
    json = "json"


def _is_story_id(targets: list[str]) -> bool:
    """One argument that is not an existing path is a story id; anything else must
    be files (a missing file among several is an error, not a story id)."""
    return len(targets) == 1 and not Path(targets[0]).exists()


def brief_command(
    targets: Annotated[
        list[str], typer.Argument(metavar="STORY_ID|FILES...", help="A stored story id, or files/folders to analyse.")
    ],
    format: Annotated[BriefFormat, typer.Option("--format", "-f", help="Output format.")] = BriefFormat.md,
    db: Annotated[str | None, typer.Option("--db", help="Store URL (with a story id); default: the local SQLite file.")] = None,
    output: Annotated[Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout.")] = None,
    published: Annotated[
        str | None, typer.Option(help="Publication date (YYYY-MM-DD) for input files that carry none.")
    ] = None,
    model: Annotated[str, typer.Option(help="spaCy pipeline package to load (files only).")] = DEFAULT_MODEL,
) -> None:
    """Brief of one story: timeline, who said what, corroborated, divergent and related claims."""
    from newsdesk.report.brief import build_story, story_from_store
    from newsdesk.report.html_brief import render_brief_html
    from newsdesk.report.markdown_brief import render_brief_markdown

    failures: list[str] = []
    try:
        if _is_story_id(targets):
            story, analyses = story_from_store(targets[0], db)
        else:
            missing = [t for t in targets if not Path(t).exists()]
            if missing:
                raise NewsdeskError(f"{missing[0]}: no such file or directory")
            from newsdesk.oneshot import analyze_paths

            options = Options(model=model, published=parse_date(published))
            with err_console.status("analysing"):
                result = analyze_paths(targets, options)
            failures = result.failures
            analyses = result.analyses
            if not analyses:
                report_failures(failures)
                raise NewsdeskError("no article could be read from the given files")
            story = build_story(analyses)
    except NewsdeskError as exc:
        err_console.print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    from newsdesk.report.brief_json import render_brief_json

    render = {BriefFormat.html: render_brief_html, BriefFormat.json: render_brief_json}.get(format, render_brief_markdown)
    text = render(story, analyses)
    if output is None:
        typer.echo(escape_controls(text, keep_newlines=True), nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        err_console.print(f"wrote {output}", markup=False, highlight=False, soft_wrap=True)
    report_failures(failures)
    raise typer.Exit(exit_code(len(analyses), failures, False))


def register(app: typer.Typer) -> None:
    app.command("brief")(brief_command)
