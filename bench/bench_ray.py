"""The Ray engine against the local engine on the same generated corpus.

One run prints the local engine (``ingest_paths``, one process) as the baseline,
then ``ingest_ray`` with 1 and 2 actors (``--actors``), each into its own fresh
SQLite store, as wall-clock ratios against the baseline. One local Ray runtime
(``--cpus``, default all cores) is started before timing and shared, so Ray's own
start-up (~15 s here) is not counted; each run does include its actors loading the
spaCy model, as a real ``newsdesk ingest --engine ray`` would.

    .venv/bin/python bench/bench_ray.py [--articles 300] [--actors 1 2]

Every run ends with the same stored article ids and story grouping, which is
checked, so a faster number can never come from doing less work.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_gen import count_words, generate
from machine import describe

from newsdesk.corpus import ingest_paths
from newsdesk.options import Options
from newsdesk.store import Store


def stored_state(url: str) -> tuple[int, frozenset[frozenset[str]]]:
    with Store(url) as store:
        groups = frozenset(frozenset(store.story_article_ids(s.id)) for s in store.list_stories())
        return store.count_articles(), groups


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--shards", type=int, default=8, help="JSONL files the corpus is split into")
    parser.add_argument("--actors", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--cpus", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()

    import ray

    from newsdesk.distributed import ingest_ray

    print(describe())
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        paths = generate(args.articles, root / "corpus", per_shard=max(1, -(-args.articles // args.shards)))
        words = count_words(paths)
        print(f"corpus: {args.articles} generated articles in {len(paths)} JSONL files, {words} words")

        url = f"sqlite:///{root / 'local.db'}"
        t0 = time.perf_counter()
        ingest_paths([root / "corpus"], Options(batch_size=args.batch_size, db_url=url))
        base = time.perf_counter() - t0
        expected = stored_state(url)
        print(f"local engine          {base:7.1f} s  {words / base:7.0f} words/s  (baseline 1.00)")

        ray.init(num_cpus=args.cpus, include_dashboard=False, log_to_driver=False)
        ray.data.DataContext.get_current().enable_progress_bars = False
        try:
            for actors in args.actors:
                url = f"sqlite:///{root / f'ray{actors}.db'}"
                t0 = time.perf_counter()
                ingest_ray([root / "corpus"], Options(batch_size=args.batch_size, db_url=url), num_actors=actors)
                seconds = time.perf_counter() - t0
                same = stored_state(url) == expected
                print(
                    f"ray, {actors} actor{'s' if actors > 1 else ' '}        {seconds:7.1f} s  {words / seconds:7.0f} words/s"
                    f"  speed-up vs local {base / seconds:.2f}x  same store: {same}"
                )
        finally:
            ray.shutdown()


if __name__ == "__main__":
    main()
