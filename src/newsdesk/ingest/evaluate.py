"""Body-extraction evaluation in the scrapinghub/article-extraction-benchmark format.

A benchmark directory holds ``html/<id>.html.gz`` (or ``.html``) pages and
``ground-truth.json`` mapping ``<id>`` to ``{"articleBody": ...}``. The score is the
benchmark's own: per-document token 4-gram ("shingle") precision and recall,
normalised so every document weighs the same, averaged, then F1 of the averages.
We score trafilatura alone and trafilatura + :func:`newsdesk.clean.clean`, so a
residue rule that cuts real text shows up as a drop.
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import trafilatura

from newsdesk.clean import clean
from newsdesk.errors import InputError
from newsdesk.ingest.html import parse_html
from newsdesk.options import Options

_TOKEN = re.compile(r"\w+")


@dataclass
class Scores:
    precision: float
    recall: float
    f1: float
    documents: int


def _shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def shingle_counts(true: str, pred: str, n: int = 4) -> tuple[float, float, float]:
    """Normalised (tp, fp, fn) over token n-gram shingles, as the benchmark computes them."""
    truth, guess = _shingles(true, n), _shingles(pred, n)
    tp = fp = fn = 0.0
    for key in truth.keys() | guess.keys():
        t, p = truth.get(key, 0), guess.get(key, 0)
        tp += min(t, p)
        fp += max(0, p - t)
        fn += max(0, t - p)
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def score(counts: list[tuple[float, float, float]]) -> Scores:
    """Benchmark-style averaged precision/recall and their F1."""

    def precision(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else (0.0 if tp == fp == 0 else tp / (tp + fp))

    def recall(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else (0.0 if tp == fn == 0 else tp / (tp + fn))

    p = statistics.mean(precision(*c) for c in counts if c[0] + c[1] > 0)
    r = statistics.mean(recall(*c) for c in counts if c[0] + c[2] > 0)
    return Scores(p, r, 2 * p * r / (p + r) if p + r else 0.0, len(counts))


def load_benchmark(directory: Path) -> Iterator[tuple[str, str, str]]:
    """(id, html, true body) for every page of a benchmark directory."""
    truth = json.loads((directory / "ground-truth.json").read_text("utf-8"))
    for key in sorted(truth):
        gz, plain = directory / "html" / f"{key}.html.gz", directory / "html" / f"{key}.html"
        if gz.is_file():
            html = gzip.decompress(gz.read_bytes()).decode("utf-8", errors="replace")
        elif plain.is_file():
            html = plain.read_text("utf-8", errors="replace")
        else:
            continue
        yield key, html, truth[key].get("articleBody", "")


def trafilatura_body(html: str) -> str:
    """What trafilatura alone returns (the benchmark's own settings)."""
    return trafilatura.extract(html, include_comments=False) or ""


def newsdesk_body(html: str, options: Options | None = None) -> str:
    """Standfirst + cleaned body of our HTML path (the benchmark body has no headline)."""
    try:
        article = clean(parse_html(html, "benchmark"), options or Options())
    except InputError:
        return ""
    return "\n\n".join(part for part in (article.standfirst, article.body) if part)


def evaluate(directory: Path) -> tuple[Scores, Scores]:
    """(trafilatura alone, newsdesk) scores on a benchmark directory."""
    alone, ours = [], []
    for _key, html, truth in load_benchmark(directory):
        alone.append(shingle_counts(truth, trafilatura_body(html)))
        ours.append(shingle_counts(truth, newsdesk_body(html)))
    if not alone:
        raise FileNotFoundError(f"{directory}: no pages with ground truth (need html/ and ground-truth.json)")
    return score(alone), score(ours)
