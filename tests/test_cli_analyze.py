"""``newsdesk analyze`` through Typer's CliRunner: exit codes, JSON schema, Markdown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.report.article_json import validate_document

runner = CliRunner()


def _invoke(*args: str):
    return runner.invoke(app, list(args))


def test_analyze_seeds_json_validates_against_schema(seeds_dir: Path) -> None:
    result = _invoke("analyze", str(seeds_dir), "--format", "json", "--published", "2022-09-23")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    validate_document(doc)
    assert len(doc["articles"]) == 2
    for art in doc["articles"]:
        text = "\n\n".join(p for p in (art["article"]["title"], art["article"]["standfirst"], art["article"]["body"]) if p)
        for key in ("sentences", "entities", "quotes", "timexes", "claims"):
            for span in art[key]:
                assert text[span["start"]:span["end"]] == span["text"], (key, span)
        assert art["article"]["published"] == "2022-09-23"


def test_analyze_markdown_shows_who_said_what(seeds_dir: Path) -> None:
    result = _invoke("analyze", str(seeds_dir / "001_12255b56528e1f34.txt"), "--format", "md",
                     "--published", "2022-09-23")
    assert result.exit_code == 0, result.output
    md = result.stdout
    for heading in ("### Who said what", "### Entities", "### Dated events", "### Hedged and unattributed claims",
                    "### Dropped lines"):
        assert heading in md
    assert "Ramzan Kadyrov" in md
    assert "Telegram" in md
    assert "2022-09-21" in md
    assert "source site-34" in md


def test_analyze_examples_folder(tmp_path: Path) -> None:
    examples = Path(__file__).resolve().parent.parent / "examples" / "story"
    out = tmp_path / "out.json"
    result = _invoke("analyze", str(examples), "--format", "json", "--out", str(out))
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    validate_document(doc)
    assert len(doc["articles"]) >= 6
    outlets = {a["article"]["outlet"] for a in doc["articles"] if a["article"]["outlet"]}
    assert len(outlets) >= 3
    assert all(a["quotes"] for a in doc["articles"] if len(a["article"]["body"]) > 800)


def test_batch_goes_on_past_bad_files_and_reports_them(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Mayor opens bridge\n\nThe mayor of Tarnow opened the new bridge on Monday, officials said.\n",
                    encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 64)
    result = _invoke("analyze", str(tmp_path), "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert len(doc["articles"]) == 1
    assert len(doc["failures"]) == 2
    assert any("empty.txt" in f for f in doc["failures"])
    assert any("binary.txt" in f for f in doc["failures"])
    assert "empty.txt" in result.stderr


def test_strict_and_all_failed_exit_non_zero(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    assert _invoke("analyze", str(tmp_path)).exit_code == 1
    good = tmp_path / "good.txt"
    good.write_text("Title\n\nA sentence about the harbour in Varna, the port authority said.\n", encoding="utf-8")
    assert _invoke("analyze", str(tmp_path)).exit_code == 0
    assert _invoke("analyze", str(tmp_path), "--strict").exit_code == 1


def test_bad_published_date_is_a_usage_error(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Title\n\nBody text here.\n", encoding="utf-8")
    result = _invoke("analyze", str(good), "--published", "23/09/2022")
    assert result.exit_code == 2
    assert "ISO date" in result.output


def test_unknown_model_is_one_line_error(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Title\n\nBody text here.\n", encoding="utf-8")
    result = _invoke("analyze", str(good), "--model", "no_such_model_pkg")
    assert result.exit_code == 2
    assert "no_such_model_pkg" in result.stderr


@pytest.mark.parametrize("command", ["analyze"])
def test_every_command_has_help(command: str) -> None:
    result = _invoke(command, "--help")
    assert result.exit_code == 0
    assert "Usage" in result.output
