"""Helpers shared by the command modules: option parsing and error reporting."""

from __future__ import annotations

from datetime import date

import typer
from rich.console import Console

err_console = Console(stderr=True)


def parse_date(value: str | None) -> date | None:
    """``--published`` etc.: ISO dates only, with a clear message otherwise."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"not an ISO date (YYYY-MM-DD): {value!r}") from None


def report_failures(failures: list[str]) -> None:
    """Print the batch's failures at the end, one line each, on stderr."""
    if not failures:
        return
    err_console.print(f"[bold red]{len(failures)} input(s) failed:[/]")
    for line in failures:
        err_console.print(f"  {line}", markup=False, highlight=False)


def exit_code(succeeded: int, failures: list[str], strict: bool) -> int:
    """Non-zero only if nothing succeeded, or with --strict and any failure."""
    if succeeded == 0 or (strict and failures):
        return 1
    return 0
