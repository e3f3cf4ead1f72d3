"""``newsdesk ingest``: read, analyse, link and store articles (idempotent, resumable).

Heavy modules (the store, the ingestor, Rich's progress) are imported inside the
command, so ``newsdesk --help`` stays instant.
"""

from __future__ import annotations

import importlib
from collections import Counter
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from newsdesk.cli.common import err_console, exit_code, handles_errors, parse_date, report_failures, say
from newsdesk.cli.options import DbOption, ModelOption, PublishedOption, WorkersOption, default_workers
from newsdesk.options import DEFAULT_MODEL, Options

if TYPE_CHECKING:
    from rich.table import Table

    from newsdesk.ingestor.records import IngestReport


class Engine(str, Enum):
    local = "local"
    ray = "ray"


def count_input_files(paths: list[Path]) -> int:
    """How many files the readers will open (for the files bar; hidden files skipped
    exactly as the readers skip them)."""
    from newsdesk.ingest import walk

    return sum(sum(1 for _ in walk(p)) if p.is_dir() else 1 for p in paths)


def _run_local(paths: list[Path], options: Options) -> IngestReport:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from newsdesk import api
    from newsdesk.ingestor.records import IngestProgress

    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    )
    with progress:
        files = progress.add_task("files", total=count_input_files(paths))
        articles = progress.add_task("articles stored", total=None)

        def update(state: IngestProgress) -> None:
            progress.update(files, completed=state.files)
            progress.update(
                articles,
                completed=state.stored,
                total=max(state.read, state.stored) or None,
                description=f"articles stored ({state.skipped} already stored, {state.failed} failed)",
            )

        return api.ingest(paths, options, progress=update)


def _run_ray(paths: list[Path], options: Options, address: str | None) -> IngestReport:
    try:
        distributed = importlib.import_module("newsdesk.distributed")
    except ImportError as exc:
        raise typer.BadParameter(
            f"--engine ray is not available ({exc}); install newsdesk[ray] or use --engine local",
            param_hint="--engine",
        ) from None
    report: IngestReport = distributed.ingest_ray(paths, options, address, num_actors=max(1, options.workers))
    return report


def summary_table(report: IngestReport, db: str) -> Table:
    from rich.table import Table

    table = Table(title=f"ingest into {db}", show_header=True)
    table.add_column("result")
    table.add_column("articles", justify="right")
    table.add_row("ingested", str(report.ingested))
    table.add_row("near-duplicates (stored, linked to original)", str(report.near_duplicates))
    table.add_row("duplicates (already stored, skipped)", str(report.duplicates))
    table.add_row("failed", str(len(report.failed)))
    for stage, count in sorted(Counter(f.stage for f in report.failures).items()):
        table.add_row(f"  at {stage}", str(count))
    if report.stories:
        table.add_row("stories touched", str(len(set(report.stories.values()))))
    return table


def ingest_command(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders: .txt, .html, .jsonl, .warc(.gz).")],
    db: DbOption = None,
    engine: Annotated[Engine, typer.Option(help="local: this machine; ray: a Ray cluster.")] = Engine.local,
    workers: WorkersOption = None,
    ray_address: Annotated[str | None, typer.Option(help="Ray cluster address (default: start a local one).")] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Articles analysed and stored per transaction.")] = 32,
    published: PublishedOption = None,
    model: ModelOption = DEFAULT_MODEL,
    strict: Annotated[bool, typer.Option(help="Exit non-zero if any input fails.")] = False,
) -> None:
    """Ingest articles into the store: analyse, link entities and stories, skip what is stored."""
    from rich.console import Console

    from newsdesk.store import display_url

    options = Options(
        model=model,
        published=parse_date(published),
        batch_size=batch_size,
        db_url=db,
        strict=strict,
        workers=default_workers() if workers is None else workers,
    )
    report = _run_ray(paths, options, ray_address) if engine is Engine.ray else _run_local(paths, options)
    Console().print(summary_table(report, display_url(options.db)))
    for line in report.worker_deaths:
        say(f"warning: {line}")
    report_failures(report.failed)
    if report.failed:
        say("(kept in the store: `newsdesk failures` lists them)")
    raise typer.Exit(exit_code(report.succeeded, report.failed, strict))


def register(app: typer.Typer) -> None:
    app.command("ingest")(
        handles_errors("interrupted: every batch stored so far is complete; run the same command again to go on")(
            ingest_command
        )
    )
