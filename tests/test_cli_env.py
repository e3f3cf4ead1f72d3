"""``$NEWSDESK_MODEL`` and ``$NEWSDESK_DB`` reach every command that takes them, and
the flags still win; a missing model is a one-line error naming it."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.errors import NewsdeskError
from newsdesk.options import DEFAULT_MODEL, Options

# command -> (module that builds its Options, arguments it needs to get that far)
MODEL_COMMANDS = {
    "analyze": ("analyze", ["x.txt"]),
    "ingest": ("ingest", ["x.txt"]),
    "brief": ("brief", ["x.txt"]),
    "serve": ("serve", []),
    "follow": ("follow", ["https://example.org/feed", "--once"]),
}
DB_COMMANDS = {
    "ingest": ("ingest", ["x.txt"]),
    "brief": ("brief", ["some-story"]),
    "stories": ("stories", []),
    "serve": ("serve", []),
    "follow": ("follow", ["https://example.org/feed", "--once"]),
    "feeds": ("follow", []),
    "failures": ("failures", []),
}


class Stop(NewsdeskError):
    """Raised by the recording Options so no command does real work."""


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> list[Options]:
    """Every Options a command module builds, recorded; building one stops the command."""
    seen: list[Options] = []

    def record(**kwargs: Any) -> Options:
        seen.append(Options(**kwargs))
        raise Stop("stopped by the test")

    for module in {m for m, _ in (*MODEL_COMMANDS.values(), *DB_COMMANDS.values())}:
        monkeypatch.setattr(importlib.import_module(f"newsdesk.cli.{module}"), "Options", record)
    return seen


def _run(command: str, args: list[str], env: dict[str, str]) -> Any:
    result = CliRunner().invoke(app, [command, *args], env=env)
    assert result.exit_code == 2, result.output
    assert "error: stopped by the test" in result.output
    return result


@pytest.mark.parametrize("command", sorted(MODEL_COMMANDS))
def test_model_env_is_honoured(command: str, built: list[Options]) -> None:
    _run(command, MODEL_COMMANDS[command][1], {"NEWSDESK_MODEL": "xx_env_model"})
    assert built[-1].model == "xx_env_model"


@pytest.mark.parametrize("command", sorted(MODEL_COMMANDS))
def test_model_flag_beats_env(command: str, built: list[Options]) -> None:
    _run(command, [*MODEL_COMMANDS[command][1], "--model", "xx_flag"], {"NEWSDESK_MODEL": "xx_env_model"})
    assert built[-1].model == "xx_flag"


@pytest.mark.parametrize("command", sorted(MODEL_COMMANDS))
def test_model_default_without_env(command: str, built: list[Options], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSDESK_MODEL", raising=False)
    _run(command, MODEL_COMMANDS[command][1], {})
    assert built[-1].model == DEFAULT_MODEL


@pytest.mark.parametrize("command", sorted(DB_COMMANDS))
def test_db_env_is_honoured(command: str, built: list[Options], tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'env.db'}"
    _run(command, DB_COMMANDS[command][1], {"NEWSDESK_DB": url})
    assert built[-1].db == url


@pytest.mark.parametrize("command", sorted(DB_COMMANDS))
def test_db_flag_beats_env(command: str, built: list[Options], tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'flag.db'}"
    _run(command, [*DB_COMMANDS[command][1], "--db", url], {"NEWSDESK_DB": "sqlite:///elsewhere.db"})
    assert built[-1].db == url


def test_options_read_the_environment_when_built(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSDESK_MODEL", "xx_later")
    monkeypatch.setenv("NEWSDESK_DB", "sqlite:///later.db")
    assert Options().model == "xx_later"
    assert Options().db == "sqlite:///later.db"


def test_missing_model_is_one_line_naming_it(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("A title\n\nThe council met on Monday and agreed the budget.\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["analyze", str(article), "--workers", "0"], env={"NEWSDESK_MODEL": "xx_no_such_model"}
    )
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "xx_no_such_model" in errors[0]


@pytest.fixture
def clean_config() -> Any:
    """``--config`` sets $NEWSDESK_CONFIG for the process; later tests must not inherit it."""
    from newsdesk.config import use_config

    yield
    use_config(None)


def test_global_config_applies_before_the_command(tmp_path: Path, clean_config: None, built: list[Options]) -> None:
    from newsdesk.config import settings

    override = tmp_path / "run.toml"
    override.write_text("[web.pages]\nsearch_limit = 7\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["--config", str(override), "stories"])
    assert result.exit_code == 2 and "stopped by the test" in result.output
    assert settings("web")["pages"]["search_limit"] == 7


@pytest.mark.parametrize("where", ["flag", "env"])
def test_bad_global_config_names_file_and_key(tmp_path: Path, clean_config: None, where: str) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[web.pages]\nsearch_limt = 7\n", encoding="utf-8")
    args, env = (["--config", str(bad)], {}) if where == "flag" else ([], {"NEWSDESK_CONFIG": str(bad)})
    result = CliRunner().invoke(app, [*args, "stories", "--db", f"sqlite:///{tmp_path / 'x.db'}"], env=env)
    assert result.exit_code == 2
    assert "bad.toml" in result.output and "web.pages.search_limt" in result.output
    assert "Traceback" not in result.output
