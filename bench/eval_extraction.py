#!/usr/bin/env python3
"""HTML body extraction: trafilatura alone vs newsdesk (trafilatura + residue cleaning).

Usage::

    python bench/eval_extraction.py PATH/article-extraction-benchmark
    python bench/eval_extraction.py tests/data/ingest/eval      # our small residue set

PATH holds ``html/*.html.gz`` (or ``*.html``) and ``ground-truth.json`` as in
https://github.com/scrapinghub/article-extraction-benchmark. Prints token 4-gram
precision/recall/F1 of both and the F1 difference; exits 1 when newsdesk scores
below trafilatura alone (our cleaning must never cost recall it does not repay).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from newsdesk.ingest.evaluate import evaluate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("benchmark", type=Path, help="directory with html/ and ground-truth.json")
    parser.add_argument("--json", action="store_true", help="print the scores as one JSON object")
    args = parser.parse_args(argv)
    alone, ours = evaluate(args.benchmark)
    if args.json:
        scores: dict[str, object] = {
            name: {"precision": s.precision, "recall": s.recall, "f1": s.f1, "documents": s.documents}
            for name, s in (("trafilatura", alone), ("newsdesk", ours))
        }
        scores["f1_gain"] = ours.f1 - alone.f1
        print(json.dumps(scores))
        return 0 if ours.f1 >= alone.f1 else 1
    for name, s in (("trafilatura", alone), ("newsdesk", ours)):
        print(f"{name:<12} precision={s.precision:.3f} recall={s.recall:.3f} F1={s.f1:.3f} (n={s.documents})")
    print(f"difference   F1={ours.f1 - alone.f1:+.4f}")
    return 0 if ours.f1 >= alone.f1 else 1


if __name__ == "__main__":
    sys.exit(main())
