"""``newsdesk follow`` and ``newsdesk feeds`` as a user runs them, and a real
``python -m newsdesk follow`` killed with SIGKILL mid-run, then rerun."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from follow_site import Site, running_site
from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.config import use_config

SETTINGS = """
[follow.http]
contact = "tests@example.invalid"
read_timeout = 2.0
total_timeout = 5.0
[follow.retry]
max_wait = 0.05
[follow.politeness]
min_delay = 0.0
[follow.ingest]
batch_pages = 2
"""


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    with running_site() as running:
        yield running


@pytest.fixture(autouse=True)
def _no_leftover_config() -> Iterator[None]:
    """``--config`` sets $NEWSDESK_CONFIG for the process; later tests must not inherit it."""
    yield
    use_config(None)


@pytest.fixture
def settings_file(tmp_path: Path) -> Path:
    path = tmp_path / "follow-test.toml"
    path.write_text(SETTINGS, encoding="utf-8")
    return path


def test_follow_once_then_feeds_lists_health(site: Site, tmp_path: Path, settings_file: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    sources = tmp_path / "feeds.txt"
    sources.write_text(f"{site.base}/feeds/world.rss\n{site.base}/feeds/broken.rss\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["follow", str(sources), "--once", "--db", db, "--config", str(settings_file)])
    assert result.exit_code == 0, result.output
    assert "articles stored" in result.output
    assert f"{site.base}/feeds/broken.rss: malformed feed" in result.output

    listed = CliRunner().invoke(app, ["feeds", "--db", db, "--json"])
    assert listed.exit_code == 0, listed.output
    rows = {row["url"]: row for row in json.loads(listed.output)}
    assert rows[f"{site.base}/feeds/world.rss"]["health"] == "ok"
    assert rows[f"{site.base}/feeds/world.rss"]["stored"] == 3
    assert rows[f"{site.base}/feeds/broken.rss"]["health"] == "failing"

    table = CliRunner().invoke(app, ["feeds", "--db", db], env={"COLUMNS": "200"})
    assert table.exit_code == 0 and "The Invented Gazette: World" in table.output and "failing" in table.output


def test_follow_refuses_bad_settings_and_intervals(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[follow.politeness]\nmin_dleay = 1\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["follow", "http://127.0.0.1:9/f", "--once", "--config", str(bad), "--db", f"sqlite:///{tmp_path / 'x.db'}"])
    assert result.exit_code == 2 and "follow.politeness.min_dleay" in result.output
    use_config(None)
    bad.write_text("[follow.politeness]\nworkers = 0\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["follow", "http://127.0.0.1:9/f", "--once", "--config", str(bad), "--db", f"sqlite:///{tmp_path / 'x.db'}"])
    assert result.exit_code == 2 and "must be at least 1" in result.output
    result = CliRunner().invoke(app, ["follow", "http://127.0.0.1:9/f", "--interval", "soon", "--db", f"sqlite:///{tmp_path / 'x.db'}"])
    assert result.exit_code == 2 and "not a duration" in result.output


def test_follow_with_no_readable_source_exits_1(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["follow", str(tmp_path / "nothing.opml"), "--once", "--db", f"sqlite:///{tmp_path / 'x.db'}"])
    assert result.exit_code == 1
    assert "neither an http(s) URL nor a readable file" in result.output


def test_feeds_escapes_markup_in_titles(tmp_path: Path) -> None:
    from newsdesk.store import Store

    db = f"sqlite:///{tmp_path / 'esc.db'}"
    with Store(db) as store:
        store.add_feed("http://127.0.0.1:9/f", "[red]Loud[/red] \x1b[31mtitle")
    result = CliRunner().invoke(app, ["feeds", "--db", db], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "[red]Loud[/red]" in result.output and "new" in result.output
    assert "\x1b" not in result.output


# --- kill and resume ---------------------------------------------------------------


def _rows(db: Path, sql: str) -> list[tuple]:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute(sql).fetchall()
    except sqlite3.Error:  # not created yet, or the schema is being written
        return []


def test_kill_mid_run_loses_nothing_and_the_rerun_finishes(site: Site, tmp_path: Path, settings_file: Path) -> None:
    db = tmp_path / "kill.db"
    feed = f"{site.base}/feeds/many.rss"
    command = [sys.executable, "-m", "newsdesk", "follow", feed, "--once", "--db", f"sqlite:///{db}", "--config", str(settings_file)]
    site.clear()
    site.page_delay = 0.4
    try:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=os.environ.copy())
        deadline = time.monotonic() + 240
        while len(_rows(db, "SELECT canonical_url FROM fetch_log")) < 2:
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
            assert time.monotonic() < deadline, "follow stored nothing in time"
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        site.page_delay = 0.0
    logged = {row[0] for row in _rows(db, "SELECT canonical_url FROM fetch_log")}
    stored = {row[0] for row in _rows(db, "SELECT url FROM articles")}
    assert 2 <= len(logged) < 8, "the kill came too late to test anything"
    assert logged <= stored  # the log never runs ahead of the store
    assert _rows(db, f"SELECT etag FROM feeds WHERE url = '{feed}'") in ([], [(None,)])  # validators not saved yet

    site.clear()
    rerun = subprocess.run(command, check=False, capture_output=True, text=True, timeout=300, env=os.environ.copy())
    assert rerun.returncode == 0, rerun.stderr
    wanted = {f"{site.base}/news/k{i}" for i in range(1, 9)}
    urls = [row[0] for row in _rows(db, "SELECT url FROM articles")]
    assert sorted(urls) == sorted(wanted)  # every article, exactly once
    assert {row[0] for row in _rows(db, "SELECT canonical_url FROM fetch_log")} == wanted
    refetched = {f"{site.base}{p}" for p in site.paths("/news/")}
    assert not refetched & logged  # what was logged before the kill was not fetched again
    assert _rows(db, f"SELECT etag IS NOT NULL FROM feeds WHERE url = '{feed}'") == [(1,)]
