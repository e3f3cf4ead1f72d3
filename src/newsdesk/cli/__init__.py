"""The ``newsdesk`` command line: one Typer app, one module per command.

Each module in this package defines ``register(app)`` that adds its command(s);
every command is a thin wrapper over one library function, so Python users get the
same power and the web app and the Ray path share the code.
"""

from __future__ import annotations

import importlib

import typer

from newsdesk.cli.options import ConfigOption

app = typer.Typer(
    name="newsdesk",
    help="Turn a pile of news reports into a sourced picture of the story they tell.",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def global_options(config: ConfigOption = None) -> None:
    """Turn a pile of news reports into a sourced picture of the story they tell.

    ``--config FILE`` (or ``$NEWSDESK_CONFIG``) overrides settings of the shipped data
    files for this run; its callback applies and checks it before any command runs.
    """


# One entry per command module (src/newsdesk/cli/<name>.py).
COMMAND_MODULES = ["analyze", "ingest", "brief", "stories", "serve", "follow", "failures"]

for _name in COMMAND_MODULES:
    importlib.import_module(f"newsdesk.cli.{_name}").register(app)


def main() -> None:
    app()
