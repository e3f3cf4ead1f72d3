"""``newsdesk serve``: the web UI over a store (a thin wrapper over ``create_app``)."""

from __future__ import annotations

from typing import Annotated

import typer

from newsdesk.cli.common import err_console
from newsdesk.errors import NewsdeskError
from newsdesk.options import DEFAULT_MODEL, Options
from newsdesk.store import display_url

# Bind addresses that are no name a browser would send as Host.
_WILDCARDS = ("0.0.0.0", "::", "")


def serve_command(
    db: Annotated[
        str | None, typer.Option(help="Database URL or SQLite file (default: $NEWSDESK_DB or ~/.local/share/newsdesk/newsdesk.db).")
    ] = None,
    host: Annotated[str, typer.Option(help="Address to bind. Loopback by default: the UI has no login.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    max_body_mb: Annotated[
        float | None, typer.Option(min=0.01, help="Largest request body (uploads) in MiB; larger gets 413 [default: 5].")
    ] = None,
    model: Annotated[str, typer.Option(help="spaCy pipeline package used to analyse uploads.")] = DEFAULT_MODEL,
    allow_host: Annotated[
        list[str] | None,
        typer.Option(help="Also serve requests whose Host header is NAME (repeatable); loopback names always are."),
    ] = None,
) -> None:
    """Serve the web UI: search, stories side by side, articles, entities, upload."""
    import uvicorn

    from newsdesk.web.app import create_app

    options = Options(model=model, db_url=db)
    try:
        hosts = [*(allow_host or []), *([] if host in _WILDCARDS else [host])]
        app = create_app(
            options, max_body_bytes=int(max_body_mb * 1024 * 1024) if max_body_mb else None, allow_hosts=hosts
        )
    except NewsdeskError as exc:
        err_console.print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    if host not in ("127.0.0.1", "localhost", "::1"):
        err_console.print(
            f"warning: serving on {host}: anyone who can reach it can read and add articles (no login); "
            "name the host clients use with --allow-host",
            markup=False,
        )
    err_console.print(f"newsdesk: {display_url(options.db)} on http://{host}:{port}/", markup=False, highlight=False)
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)
