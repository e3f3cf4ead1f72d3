"""``newsdesk failures``: the inputs ingest could not store, as kept in the store.

One line per failure, never wrapped (grep and cut work on it), with control and
bidi characters escaped: a reason may quote a hostile input.
"""

from __future__ import annotations

import json
import re
from typing import Annotated

import typer

from newsdesk.cli.common import handles_errors
from newsdesk.cli.options import DbOption
from newsdesk.options import Options

STAGES = ("read", "clean", "analyse", "link", "store")
# C0 and C1 controls (tab kept out too: it would break columns), bidi controls.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with every control or direction-changing character as ``\\xNN`` / ``\\uNNNN``."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def failures_command(
    db: DbOption = None,
    stage: Annotated[str | None, typer.Option(help=f"Only this stage: {', '.join(STAGES)}.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="Show at most N failures, most recent first.")] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="Print the failures as JSON.")] = False,
) -> None:
    """List inputs that could not be stored: source, stage, reason, time. A rerun that
    stores one removes it."""
    from newsdesk.store import Store, display_url

    if stage is not None and stage not in STAGES:
        raise typer.BadParameter(f"one of {', '.join(STAGES)}", param_hint="--stage")
    options = Options(db_url=db)
    with Store(options.db) as store:
        records = store.list_failures(limit=limit, stage=stage)
        total = store.count_failures()
    if as_json:
        rows = [
            {
                "source": r.source,
                "stage": r.stage,
                "reason": r.reason,
                "attempts": r.attempts,
                "time": r.time.isoformat() if r.time else None,
            }
            for r in records
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    typer.echo(
        f"{total} failure(s) in {printable(display_url(options.db))}"
        + (f", showing {len(records)}" if len(records) < total else "")
    )
    for r in records:
        when = r.time.strftime("%Y-%m-%d %H:%M:%S") if r.time else "-"
        tries = f" (x{r.attempts})" if r.attempts > 1 else ""
        typer.echo(f"{when}  {r.stage:<7}  {printable(r.source)}: {printable(r.reason)}{tries}")


def register(app: typer.Typer) -> None:
    app.command("failures")(handles_errors()(failures_command))
