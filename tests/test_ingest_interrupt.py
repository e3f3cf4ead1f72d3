"""Ctrl-C during ``newsdesk ingest --workers 2``: the run stops with exit status 130
and a one-line message, leaves only whole batches (nothing half-stored), leaves no
analysis process behind, and a rerun stores exactly the rest."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from test_ingest_cmd import summary_number, write_articles
from test_ingest_kill import _check_consistent, _check_stories, _count

ARTICLES = 60
BATCH = 4


def _ingest(folder: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "newsdesk", "ingest", str(folder), "--db", f"sqlite:///{db}",
            "--batch-size", str(BATCH), "--workers", "2"]


def _children(pid: int) -> list[int]:
    """Live child processes of ``pid`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def test_ctrl_c_stops_cleanly_and_a_rerun_finishes(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_articles(folder, ARTICLES, seed=13)
    db = tmp_path / "int.db"
    env = {**os.environ, "COLUMNS": "200"}
    process = subprocess.Popen(_ingest(folder, db), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        deadline = time.monotonic() + 240
        while _count(db) == 0:
            assert process.poll() is None, "ingest ended before its first batch landed"
            assert time.monotonic() < deadline, "no batch landed in time"
            time.sleep(0.02)
        workers = _children(process.pid)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, stderr[-2000:]
    assert "interrupted" in stderr and "Traceback" not in stderr
    time.sleep(0.5)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists() and pid in _children(process.pid)]
    for pid in workers:  # the analysis processes are gone too (not left running)
        stat = Path(f"/proc/{pid}/stat")
        assert not stat.exists() or stat.read_text().rsplit(")", 1)[1].split()[0] == "Z"

    stored = _check_consistent(db)
    assert stored % BATCH == 0 and 0 < stored < ARTICLES  # whole batches only
    _check_stories(db)
    rerun = subprocess.run(_ingest(folder, db), check=False, capture_output=True, text=True, env=env, timeout=540)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert summary_number(rerun.stdout, "duplicates") == stored
    assert _check_consistent(db) == ARTICLES
    _check_stories(db)
