"""Helpers shared by the command modules: option parsing and error reporting."""

from __future__ import annotations

from datetime import date

import typer
from rich.console import Console

from newsdesk.safetext import escape_controls

# soft_wrap: a failure line is one line however narrow the terminal (Rich would
# otherwise wrap at 80 columns when stderr is a file or a pipe, splitting one
# error into lines a script reads as several).
err_console = Console(stderr=True, soft_wrap=True, highlight=False)


def parse_date(value: str | None) -> date | None:
    """``--published`` etc.: ISO dates only, with a clear message otherwise."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"not an ISO date (YYYY-MM-DD): {escape_controls(value)!r}") from None


def report_failures(failures: list[str]) -> None:
    """Print the batch's failures at the end, one line each, on stderr."""
    if not failures:
        return
    err_console.print(f"[bold red]{len(failures)} input(s) failed:[/]")
    for line in failures:
        err_console.print(f"  {escape_controls(line)}", markup=False, highlight=False, soft_wrap=True)


def exit_code(succeeded: int, failures: list[str], strict: bool) -> int:
    """Non-zero only if nothing succeeded, or with --strict and any failure."""
    if succeeded == 0 or (strict and failures):
        return 1
    return 0
