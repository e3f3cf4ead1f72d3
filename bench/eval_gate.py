#!/usr/bin/env python3
"""One evaluation gate: every scorer, its pinned floors and the digest of its data.

Why one gate: a floor in a test file, a baseline JSON beside one corpus and an "at
least trafilatura" check each guarded one extractor; attribution, alignment and the
real story stream had none. Here ``bench/gate_baseline.toml`` lists every evaluation
(the script it runs with ``--json``, the data it reads, a SHA-256 digest of that data,
and floors on named metrics). A run fails when a metric falls below its floor, or when
the data changed under a pinned digest (a floor measured on other data means nothing).
Evaluations whose data is absent (``../shared`` is not everywhere) are reported as
skipped, never passed.

    python bench/eval_gate.py            # the fast part (what ``make test`` runs)
    python bench/eval_gate.py --all      # everything (``make eval``)
    python bench/eval_gate.py --pin      # write the current data digests into the baseline

Floors are raised when a change beats them; lowering one needs a CHANGELOG line saying why.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "bench" / "gate_baseline.toml"
RAISE_HINT = 0.02  # a metric this far above its floor: say the floor can be raised


@dataclass(frozen=True)
class Evaluation:
    """One entry of the baseline file."""

    name: str
    command: list[str]
    data: list[str]
    digest: str
    floors: dict[str, float]
    fast: bool
    timeout: int


@dataclass
class Outcome:
    name: str
    status: str  # pass, fail, skip, error
    lines: list[str]


def load_baseline(path: Path = BASELINE) -> list[Evaluation]:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    return [
        Evaluation(
            name=name, command=list(entry["command"]), data=list(entry.get("data", [])),
            digest=str(entry.get("digest", "")), floors={k: float(v) for k, v in entry.get("floors", {}).items()},
            fast=bool(entry.get("fast", False)), timeout=int(entry.get("timeout", 900)),
        )
        for name, entry in raw.items()
    ]


def _files(path: Path) -> Iterator[Path]:
    if path.is_file():
        yield path
    elif path.is_dir():
        yield from sorted(p for p in path.rglob("*") if p.is_file())


def digest_of(paths: list[str]) -> str | None:
    """SHA-256 over the data files (names relative to the repo and contents); None
    when any path is missing."""
    sha = hashlib.sha256()
    for item in paths:
        path = (ROOT / item).resolve()
        if not path.exists():
            return None
        for file in _files(path):
            sha.update(file.name.encode() + b"\0")
            sha.update(file.read_bytes())
    return sha.hexdigest()


def metric(scores: Mapping[str, Any], dotted: str) -> float | None:
    """``"heldout.newsdesk.pair_f1"`` looked up in nested JSON."""
    value: Any = scores
    for part in dotted.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return float(value) if isinstance(value, (int, float)) else None


def run_one(evaluation: Evaluation) -> Outcome:
    digest = digest_of(evaluation.data)
    if digest is None:
        return Outcome(evaluation.name, "skip", [f"data absent: {', '.join(evaluation.data)}"])
    if evaluation.digest and digest != evaluation.digest:
        return Outcome(evaluation.name, "error", [
            f"data changed under the pinned digest ({digest[:12]} != {evaluation.digest[:12]}): "
            "re-measure, set the floors, then --pin"])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    try:
        done = subprocess.run(
            [sys.executable, *evaluation.command], cwd=ROOT, env=env, capture_output=True, text=True,
            timeout=evaluation.timeout, check=False,
        )
    except subprocess.TimeoutExpired:
        return Outcome(evaluation.name, "error", [f"timed out after {evaluation.timeout} s"])
    scores = _scores(done.stdout)
    if not isinstance(scores, dict):
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return Outcome(evaluation.name, "error", [f"exit {done.returncode}, no JSON scores: {tail}"])
    lines, failed = [], False
    for key, floor in evaluation.floors.items():
        value = metric(scores, key)
        if value is None:
            lines.append(f"{key}: missing from the scores (floor {floor:.3f})")
            failed = True
            continue
        verdict = "ok" if value >= floor else "BELOW FLOOR"
        failed |= value < floor
        hint = "  (beats the floor: raise it)" if value >= floor + RAISE_HINT else ""
        lines.append(f"{key}: {value:.3f} (floor {floor:.3f}) {verdict}{hint}")
    return Outcome(evaluation.name, "fail" if failed else "pass", lines)


def _scores(stdout: str) -> Any:
    """The scorer's JSON: the whole output, or else its last line (after progress lines)."""
    text = stdout.strip()
    for candidate in (text, text.splitlines()[-1] if text else ""):
        try:
            return json.loads(candidate)
        except json.JSONDecodeError:
            continue
    return None


def pin(path: Path = BASELINE) -> None:
    """Write the current digest of each evaluation's data into the baseline file."""
    text = path.read_text(encoding="utf-8")
    out: list[str] = []
    section = None
    digests = {e.name: digest_of(e.data) for e in load_baseline(path)}
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("[") and not stripped.startswith("[["):
            section = stripped.strip("[]").split(".")[0]
        if stripped.startswith("digest") and section in digests and digests[section]:
            line = f'digest = "{digests[section]}"'
        out.append(line)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="run every evaluation, not only the fast ones")
    parser.add_argument("--only", action="append", default=[], help="run this evaluation (repeatable)")
    parser.add_argument("--pin", action="store_true", help="write current data digests into the baseline")
    args = parser.parse_args(argv)
    if args.pin:
        pin()
        return 0
    evaluations = load_baseline()
    if args.only:
        chosen = [e for e in evaluations if e.name in args.only]
    else:
        chosen = [e for e in evaluations if args.all or e.fast]
    outcomes = []
    for evaluation in chosen:
        outcome = run_one(evaluation)
        outcomes.append(outcome)
        print(f"[{outcome.status}] {outcome.name}", flush=True)
        for line in outcome.lines:
            print(f"    {line}", flush=True)
    bad = [o.name for o in outcomes if o.status in {"fail", "error"}]
    skipped = sum(o.status == "skip" for o in outcomes)
    print(f"gate: {len(outcomes) - len(bad) - skipped} passed, {len(bad)} failed, {skipped} skipped")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
