"""Per-record isolation (issue 13): 50 good JSONL records and one bad one in the
middle; whatever stage the bad one fails in (read, clean, analyse, link, store),
the 50 are stored, the bad one is reported with its file and line, kept in the
failures table, and a rerun goes past it (and stores it once it is fixed)."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_ingest_cmd import article_text
from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.corpus import IngestReport, ingest_paths
from newsdesk.options import Options
from newsdesk.store import Store

GOOD = 50
BAD_LINE = 26  # 25 good records before it, 25 after
MARK = "Zorbulax"  # an invented word that marks the bad record


def _records(bad: dict[str, Any]) -> Iterator[dict[str, Any]]:
    rng = random.Random(5)
    for index in range(GOOD):
        if index == BAD_LINE - 1:
            yield bad
        yield {"title": f"Report {index}", "text": article_text(index, rng), "outlet": "Test Wire", "published": "2024-05-02"}


def write_dump(path: Path, bad: dict[str, Any] | str) -> Path:
    """A JSONL dump with the bad record (a dict, or a raw line) on line ``BAD_LINE``."""
    lines = []
    for record in _records({"bad": True}):
        if record.get("bad"):
            lines.append(bad if isinstance(bad, str) else json.dumps(bad))
        else:
            lines.append(json.dumps(record))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _marked_record() -> dict[str, Any]:
    text = f"{MARK} council approves the harbour plan\n\nThe {MARK} council approved the plan on Monday, officials said."
    return {"title": f"{MARK} plan", "text": text, "outlet": "Test Wire", "published": "2024-05-03"}


def _has_mark(analyses: Any) -> bool:
    return any(MARK in a.article.body for a in analyses)


def _break(stage: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``stage`` raise on the marked record only (in this process: workers=0)."""
    if stage == "clean":
        from newsdesk.ingestor import reading

        real_clean = reading.clean

        def clean(raw: Any, options: Options) -> Any:
            if MARK in raw.text:
                raise KeyError("a cleaning bug")
            return real_clean(raw, options)

        monkeypatch.setattr(reading, "clean", clean)
    elif stage == "analyse":
        from newsdesk.analyze import pipeline

        real_doc = pipeline.analyze_doc

        def analyze_doc(doc: Any, article: Any) -> Any:
            if MARK in article.text:
                raise OverflowError("date value out of range")
            return real_doc(doc, article)

        monkeypatch.setattr(pipeline, "analyze_doc", analyze_doc)
    elif stage == "link":
        from newsdesk.link import aliases

        real_link = aliases.link_entities

        def link_entities(registry: Any, analyses: Any) -> None:
            if _has_mark(analyses):
                raise RecursionError("maximum recursion depth exceeded")
            real_link(registry, analyses)

        monkeypatch.setattr(aliases, "link_entities", link_entities)
    elif stage == "store":
        real_add = Store.add_analyses

        def add_analyses(self: Store, analyses: Any) -> Any:
            outcomes = real_add(self, analyses)  # written, then the transaction must roll back
            if _has_mark(analyses):
                raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")
            return outcomes

        monkeypatch.setattr(Store, "add_analyses", add_analyses)


def _ingest(dump: Path, db: str) -> IngestReport:
    return ingest_paths([dump], Options(db_url=db, batch_size=8, workers=0))


@pytest.mark.parametrize("stage", ["clean", "analyse", "link", "store"])
def test_one_bad_record_costs_only_itself(stage: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dump = write_dump(tmp_path / "dump.jsonl", _marked_record())
    db = f"sqlite:///{tmp_path / 'news.db'}"
    with monkeypatch.context() as patch:
        _break(stage, patch)
        first = _ingest(dump, db)
        assert first.stored == GOOD
        [failure] = first.failures
        assert (failure.stage, failure.source) == (stage, f"{dump}#{BAD_LINE}")
        said = "cleaning failed" if stage == "clean" else stage  # the readers' stages name no stage
        assert first.failed[0].startswith(f"{dump}:{BAD_LINE}: {said}: ")
        with Store(db) as store:
            assert store.count_articles() == GOOD
            [kept] = store.list_failures()
            assert (kept.source, kept.stage, kept.attempts) == (f"{dump}#{BAD_LINE}", stage, 1)
            assert not any(MARK in a.article.body for a in store.iter_analyses())

        rerun = _ingest(dump, db)  # still broken: goes past it, counts the attempt
        assert (rerun.ingested, rerun.duplicates, len(rerun.failures)) == (0, GOOD, 1)
        with Store(db) as store:
            assert store.list_failures()[0].attempts == 2

    fixed = _ingest(dump, db)  # the bug is gone: the record is stored, its failure forgotten
    assert (fixed.ingested + fixed.near_duplicates, fixed.duplicates, fixed.failed) == (1, GOOD, [])
    with Store(db) as store:
        assert store.count_articles() == GOOD + 1 and store.list_failures() == []


@pytest.mark.parametrize(
    ("bad", "stage"),
    [
        ('{"title": "Half a record", "text": ', "read"),  # broken JSON
        # 1.1 MB: over the characters-per-article limit, refused before the model loads
        ({"title": "Huge", "text": ("The council met again. " * 48_000)}, "clean"),
    ],
)
def test_real_bad_records_cost_only_themselves(bad: Any, stage: str, tmp_path: Path) -> None:
    dump = write_dump(tmp_path / "dump.jsonl", bad)
    db = f"sqlite:///{tmp_path / 'news.db'}"
    report = _ingest(dump, db)
    assert report.stored == GOOD
    [failure] = report.failures
    assert failure.source == f"{dump}#{BAD_LINE}" and failure.stage == stage
    assert "\n" not in str(failure)
    again = _ingest(dump, db)
    assert (again.ingested, again.duplicates, len(again.failures)) == (0, GOOD, 1)
    with Store(db) as store:
        assert store.count_articles() == GOOD
        [kept] = store.list_failures()
        assert kept.attempts == 2 and kept.stage == stage


def test_failures_command_lists_them_one_line_each(tmp_path: Path) -> None:
    dump = write_dump(tmp_path / "dump.jsonl", '{"title": "broken\u202e", "text": ')
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'news.db'}"
    ingest_paths([tmp_path / "empty.txt", dump], Options(db_url=db, batch_size=16, workers=0))
    result = CliRunner().invoke(app, ["failures", "--db", db], env={"COLUMNS": "40"})
    assert result.exit_code == 0, result.output
    header, *lines = result.stdout.strip().splitlines()
    assert header.startswith("2 failure(s) in sqlite:///")
    assert len(lines) == 2  # never wrapped, even at 40 columns
    assert all("  read     " in line for line in lines)
    assert any(f"{dump}#{BAD_LINE}: malformed JSON" in line for line in lines)
    assert any(line.endswith(f"{tmp_path / 'empty.txt'}: no text (empty or whitespace only)") for line in lines)
    as_json = CliRunner().invoke(app, ["failures", "--db", db, "--json", "--stage", "read"])
    rows = json.loads(as_json.stdout)
    assert {r["source"] for r in rows} == {f"{dump}#{BAD_LINE}", str(tmp_path / "empty.txt")}
    assert CliRunner().invoke(app, ["failures", "--db", db, "--stage", "nope"]).exit_code == 2


def test_ingest_output_shows_failures_by_stage(tmp_path: Path) -> None:
    dump = write_dump(tmp_path / "dump.jsonl", '{"text": ')
    db = f"sqlite:///{tmp_path / 'news.db'}"
    result = CliRunner().invoke(app, ["ingest", str(dump), "--db", db, "--workers", "0"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "at read" in result.stdout
    assert f"{dump}:{BAD_LINE}: malformed JSON" in result.stderr
    assert "newsdesk failures" in result.stderr


def test_lone_surrogate_record_is_stored_with_a_replacement_character(tmp_path: Path) -> None:
    """A JSON escape for half a UTF-16 pair (``\\ud800``) used to fail the content id;
    the reader replaces it, so the record and its neighbours are all stored."""
    dump = write_dump(tmp_path / "dump.jsonl", {"title": "Odd", "text": "A lone surrogate \ud800 in an otherwise fine report about the harbour."})
    db = f"sqlite:///{tmp_path / 'news.db'}"
    report = _ingest(dump, db)
    assert (report.stored, report.failures) == (GOOD + 1, [])
    with Store(db) as store:
        bodies = [a.article.body for a in store.iter_analyses() if "lone surrogate" in a.article.body]
    assert len(bodies) == 1 and "\ufffd" in bodies[0]
