"""The evaluation gate: floors, digests and missing data, on a scorer written here."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))
import eval_gate  # noqa: E402

sys.path.remove(str(BENCH))

SCORER = """import json, sys
print("progress line")
print(json.dumps({"part": {"f1": float(sys.argv[1])}}))
"""


def _evaluation(tmp_path: Path, value: str, floor: float, digest: str = "", data: str | None = None) -> eval_gate.Evaluation:
    scorer = tmp_path / "scorer.py"
    scorer.write_text(SCORER, encoding="utf-8")
    data_file = tmp_path / "data.txt"
    data_file.write_text("labelled data", encoding="utf-8")
    return eval_gate.Evaluation(
        name="toy", command=[str(scorer), value], data=[data or str(data_file)], digest=digest,
        floors={"part.f1": floor}, fast=True, timeout=60,
    )


def test_metric_reads_dotted_paths() -> None:
    assert eval_gate.metric({"a": {"b": 0.5}}, "a.b") == 0.5
    assert eval_gate.metric({"a": {"b": "x"}}, "a.b") is None
    assert eval_gate.metric({"a": 1}, "a.b") is None


def test_score_at_or_above_the_floor_passes(tmp_path: Path) -> None:
    outcome = eval_gate.run_one(_evaluation(tmp_path, "0.8", 0.8))
    assert outcome.status == "pass"
    assert "part.f1: 0.800 (floor 0.800) ok" in outcome.lines[0]


def test_score_below_the_floor_fails(tmp_path: Path) -> None:
    outcome = eval_gate.run_one(_evaluation(tmp_path, "0.79", 0.8))
    assert outcome.status == "fail"
    assert "BELOW FLOOR" in outcome.lines[0]


def test_changed_data_under_a_pinned_digest_is_an_error(tmp_path: Path) -> None:
    outcome = eval_gate.run_one(_evaluation(tmp_path, "0.9", 0.8, digest="0" * 64))
    assert outcome.status == "error"
    assert "data changed" in outcome.lines[0]


def test_matching_digest_runs(tmp_path: Path) -> None:
    evaluation = _evaluation(tmp_path, "0.9", 0.8)
    digest = eval_gate.digest_of(evaluation.data)
    assert digest is not None
    pinned = eval_gate.Evaluation(**{**evaluation.__dict__, "digest": digest})
    assert eval_gate.run_one(pinned).status == "pass"


def test_absent_data_is_skipped_not_passed(tmp_path: Path) -> None:
    outcome = eval_gate.run_one(_evaluation(tmp_path, "0.9", 0.8, data=str(tmp_path / "absent")))
    assert outcome.status == "skip"


def test_scorer_without_json_is_an_error(tmp_path: Path) -> None:
    evaluation = _evaluation(tmp_path, "not-a-number", 0.8)
    assert eval_gate.run_one(evaluation).status == "error"


@pytest.mark.parametrize("evaluation", eval_gate.load_baseline(), ids=lambda e: e.name)
def test_baseline_entries_are_complete(evaluation: eval_gate.Evaluation) -> None:
    assert evaluation.floors, f"{evaluation.name}: no floors"
    assert len(evaluation.digest) == 64, f"{evaluation.name}: digest not pinned"
    assert (BENCH.parent / evaluation.command[0]).is_file()
