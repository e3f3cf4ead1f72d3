"""Resident memory of a local ingest stays flat as the corpus grows (it streams).

For each size (``--sizes``) a fresh child process generates that many articles
(bench/corpus_gen.py, JSONL shards of 500), ingests them with ``ingest_paths`` into a
fresh SQLite store and reports its peak RSS (``getrusage``). The baseline, measured
in the same run, is a child that only loads the model and analyses 20 articles:
what any ingest costs before the corpus size can matter. Ratios are against it.

    .venv/bin/python bench/bench_memory.py [--sizes 1000 4000]

At ~10 articles/s (measured here) a 10k-article run takes about 17 minutes on a
2-core machine; ask for it explicitly (``--sizes 1000 10000``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from machine import describe, peak_rss_mib


def child(size: int) -> dict[str, float]:
    """Run in a fresh process: generate, ingest, measure."""
    from corpus_gen import generate

    from newsdesk.analyze.pipeline import analyze
    from newsdesk.clean import clean
    from newsdesk.corpus import ingest_paths
    from newsdesk.ingest import iter_sources
    from newsdesk.options import Options

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        paths = generate(max(size, 20), root / "corpus", per_shard=500)
        t0 = time.perf_counter()
        if size == 0:  # baseline: the model and one small batch, no store
            options = Options()
            articles = [clean(raw, options) for raw in iter_sources(paths[:1], options)][:20]
            list(analyze(articles, options))
            stored = 0
        else:
            report = ingest_paths([root / "corpus"], Options(db_url=f"sqlite:///{root / 'store.db'}"))
            stored = report.stored
        return {"size": size, "stored": stored, "seconds": time.perf_counter() - t0, "peak_rss_mib": peak_rss_mib()}


def measure(size: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(size)], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 4000])
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(child(args.child)))
        return

    print(describe())
    base = measure(0)
    print(f"baseline (model + 20 articles)   peak RSS {base['peak_rss_mib']:6.0f} MiB  (1.00)")
    for size in args.sizes:
        result = measure(size)
        print(
            f"ingest {size:>6} articles ({result['seconds']:5.0f} s)  peak RSS {result['peak_rss_mib']:6.0f} MiB"
            f"  ({result['peak_rss_mib'] / base['peak_rss_mib']:.2f}x baseline)"
        )


if __name__ == "__main__":
    main()
