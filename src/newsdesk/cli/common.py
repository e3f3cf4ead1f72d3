"""Helpers shared by the command modules: option parsing and error reporting."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console

from newsdesk.safetext import escape_controls

# soft_wrap: a failure line is one line however narrow the terminal (Rich would
# otherwise wrap at 80 columns when stderr is a file or a pipe, splitting one
# error into lines a script reads as several).
err_console = Console(stderr=True, soft_wrap=True, highlight=False)

P = ParamSpec("P")
R = TypeVar("R")

# Exit statuses: 1 is "the batch failed" (exit_code), 2 a usage or input error,
# 130 an interrupt (as shells report SIGINT).
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130


def say(line: str) -> None:
    """One plain line on stderr (never rich markup: it may carry untrusted text)."""
    err_console.print(line, markup=False, highlight=False, soft_wrap=True)


def handles_errors(interrupted: str = "interrupted") -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Map the library's errors to exit codes in one place: a NewsdeskError is a
    one-line ``error: ...`` and exit 2 (no traceback), Ctrl-C prints ``interrupted``
    (what was kept) and exits 130. Every command is wrapped with it."""
    from newsdesk.errors import NewsdeskError

    def wrap(command: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(command)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return command(*args, **kwargs)
            except NewsdeskError as exc:
                say(f"error: {exc}")
                raise typer.Exit(EXIT_ERROR) from None
            except KeyboardInterrupt:
                say(interrupted)
                raise typer.Exit(EXIT_INTERRUPTED) from None

        return run

    return wrap


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
