"""The extraction scorer (article-extraction-benchmark token 4-gram definition); its
floors on our residue pages are pinned in bench/gate_baseline.toml (bench/eval_gate.py)."""

from __future__ import annotations

from pathlib import Path

from newsdesk.ingest.evaluate import shingle_counts

EVAL = Path(__file__).parent / "data" / "ingest" / "eval"


def test_shingle_scoring_matches_benchmark_definition():
    assert shingle_counts("a b c d e", "a b c d e") == (1.0, 0.0, 0.0)
    tp, fp, fn = shingle_counts("a b c d e", "a b c d x")
    assert (tp, fp, fn) == (1 / 3, 1 / 3, 1 / 3)
