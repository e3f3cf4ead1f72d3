"""A real ``python -m newsdesk ingest`` killed with SIGKILL mid-run leaves a consistent
database (no partial article, no story state for an article that was not stored),
and a rerun finishes with every article exactly once."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from test_ingest_cmd import summary_number, write_articles

ARTICLES = 120
BATCH = 4


def _count(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:  # not created yet, or schema still being written
        return 0


def _ingest(folder: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "newsdesk", "ingest", str(folder), "--db", f"sqlite:///{db}", "--batch-size", str(BATCH)]


def _check_consistent(db: Path) -> int:
    """Every stored article has exactly the child rows its stored analysis lists."""
    import json

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        rows = conn.execute("SELECT id, data FROM articles").fetchall()
        for article_id, data in rows:
            analysis = json.loads(data)
            for table, key in (("entity_mentions", "entities"), ("quotes", "quotes"), ("timexes", "timexes"), ("claims", "claims")):
                stored = conn.execute(f"SELECT count(*) FROM {table} WHERE article_id = ?", (article_id,)).fetchone()[0]
                assert stored == len(analysis[key]), (article_id, table)
            fts = conn.execute("SELECT count(*) FROM articles_fts WHERE article_id = ?", (article_id,)).fetchone()[0]
            assert fts == 1, article_id
        orphans = conn.execute(
            "SELECT count(*) FROM entity_mentions WHERE article_id NOT IN (SELECT id FROM articles)"
        ).fetchone()[0]
        assert orphans == 0
        return len(rows)


def _check_stories(db: Path) -> None:
    """Story state went in with its batch: every placed article is stored (and every
    stored one placed), each story's count is its membership, and the clustering
    state counted exactly the placed articles."""
    with sqlite3.connect(db) as conn:
        stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        placed = conn.execute("SELECT count(*) FROM story_articles").fetchone()[0]
        dangling = conn.execute(
            "SELECT count(*) FROM story_articles WHERE article_id NOT IN (SELECT id FROM articles)"
        ).fetchone()[0]
        miscounted = conn.execute(
            "SELECT s.id, s.article_count, count(sa.article_id) FROM stories s "
            "LEFT JOIN story_articles sa ON sa.story_id = s.id GROUP BY s.id "
            "HAVING s.article_count != count(sa.article_id)"
        ).fetchall()
        empty = conn.execute("SELECT count(*) FROM stories WHERE article_count = 0").fetchone()[0]
        docs = conn.execute("SELECT coalesce(max(df), 0) FROM story_key_df WHERE key = '#docs'").fetchone()[0]
        stray_headlines = conn.execute(
            "SELECT count(*) FROM story_headlines WHERE article_id NOT IN (SELECT id FROM articles)"
        ).fetchone()[0]
    assert dangling == 0, "story_articles rows for articles that were never stored"
    assert placed == stored
    assert miscounted == []
    assert empty == 0
    assert docs == placed
    assert stray_headlines == 0


def test_sigkill_mid_ingest_then_resume(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_articles(folder, ARTICLES, seed=11)
    db = tmp_path / "kill.db"
    env = {**os.environ, "COLUMNS": "200"}

    process = subprocess.Popen(_ingest(folder, db), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        deadline = time.monotonic() + 240
        while _count(db) == 0:
            assert process.poll() is None, "ingest ended before its first batch landed"
            assert time.monotonic() < deadline, "no batch landed in time"
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL

    stored_at_kill = _check_consistent(db)
    assert 0 < stored_at_kill < ARTICLES, "the kill must land mid-ingest"
    _check_stories(db)

    resumed = subprocess.run(_ingest(folder, db), capture_output=True, text=True, env=env, timeout=540)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert summary_number(resumed.stdout, "duplicates") == stored_at_kill
    assert summary_number(resumed.stdout, "ingested") + summary_number(resumed.stdout, "near-duplicates") == (
        ARTICLES - stored_at_kill
    )

    assert _check_consistent(db) == ARTICLES
    _check_stories(db)
    with sqlite3.connect(db) as conn:
        sources = [row[0] for row in conn.execute("SELECT source FROM articles")]
        assert sorted(sources) == sorted(str(p) for p in folder.iterdir())
        in_stories = conn.execute("SELECT count(*) FROM story_articles WHERE article_id IN (SELECT id FROM articles)").fetchone()[0]
        placed = conn.execute("SELECT count(*) FROM story_articles").fetchone()[0]
        counted = conn.execute("SELECT coalesce(sum(article_count), 0) FROM stories").fetchone()[0]
    assert in_stories == ARTICLES  # every article placed in exactly one story (article_id is the key)
    assert counted == placed  # story counts agree with membership after the kill and the rerun
