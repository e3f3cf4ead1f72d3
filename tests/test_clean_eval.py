"""Evaluation gate: on our residue pages, trafilatura + clean must score at least
trafilatura alone (token 4-gram F1, article-extraction-benchmark scoring)."""

from __future__ import annotations

from pathlib import Path

from newsdesk.ingest.evaluate import evaluate, shingle_counts

EVAL = Path(__file__).parent / "data" / "ingest" / "eval"


def test_shingle_scoring_matches_benchmark_definition():
    assert shingle_counts("a b c d e", "a b c d e") == (1.0, 0.0, 0.0)
    tp, fp, fn = shingle_counts("a b c d e", "a b c d x")
    assert (tp, fp, fn) == (1 / 3, 1 / 3, 1 / 3)


def test_newsdesk_scores_at_least_trafilatura_alone():
    alone, ours = evaluate(EVAL)
    assert alone.documents == ours.documents == 5
    assert ours.f1 >= alone.f1
    assert ours.precision > alone.precision  # the residue rules do remove residue
    assert ours.recall >= alone.recall - 1e-9  # ... and never cost real text here
