"""The options every command shares, declared once.

Why one place: each command used to declare ``--model`` with ``DEFAULT_MODEL`` as its
default, which overrode ``$NEWSDESK_MODEL``; here each option carries its environment
variable, read by Typer when the command runs (not at import), so the environment is
honoured by every command the same way.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from newsdesk.config import CONFIG_ENV, use_config
from newsdesk.errors import ConfigError

__all__ = [
    "ConfigOption",
    "DbOption",
    "ModelOption",
    "PublishedOption",
    "WorkersOption",
    "apply_config",
    "default_workers",
]

MODEL_ENV = "NEWSDESK_MODEL"
DB_ENV = "NEWSDESK_DB"


def default_workers() -> int:
    """One analysis process per CPU."""
    return os.cpu_count() or 1


def apply_config(value: Path | None) -> Path | None:
    """``--config FILE``: make the file this run's settings override, checked at once
    so a bad file or key fails before any work starts (one callback for every place
    the option appears)."""
    if value is None:
        return None
    try:
        use_config(value)
    except ConfigError as exc:
        raise typer.BadParameter(str(exc), param_hint="--config") from None
    return value


ModelOption = Annotated[
    str,
    typer.Option("--model", envvar=MODEL_ENV, help="spaCy pipeline package to load."),
]
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar=DB_ENV,
        help=f"Database URL or SQLite file (default: ${DB_ENV} or ~/.local/share/newsdesk/newsdesk.db).",
    ),
]
PublishedOption = Annotated[
    str | None, typer.Option("--published", help="Publication date (YYYY-MM-DD) for inputs that carry none.")
]
WorkersOption = Annotated[
    int | None,
    typer.Option("--workers", min=0, help="Analysis processes (default: one per CPU; 0: analyse in this process)."),
]
ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        envvar=CONFIG_ENV,
        callback=apply_config,
        is_eager=True,
        help="Settings override file (TOML, one table per data file; see docs/configuration.md).",
    ),
]
