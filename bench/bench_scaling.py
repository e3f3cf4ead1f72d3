"""Throughput of the analyze stage against raw spaCy, and its scaling with processes.

Prints, in one run, on the same generated texts (bench/corpus_gen.py):

* raw ``nlp.pipe`` words/s (the plain spaCy package, nothing of newsdesk) - the baseline;
* the newsdesk pipeline words/s (``analyze``: paragraph component, parse, then
  entities, quotes, time expressions, claims, sentences per article) and its ratio
  to the baseline (the design's bar: >= 0.80);
* the pipeline with ``n_process`` 1 vs 2 (and more with ``--processes``), as
  speed-ups over n_process=1 measured in the same run.

    .venv/bin/python bench/bench_scaling.py [--articles 400] [--processes 1 2]

Words are whitespace-separated tokens of ``Article.text``. Each measurement is the
best of ``--repeat`` runs, which damps noise from other load on the machine.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_gen import generate
from machine import describe

from newsdesk.analyze.pipeline import analyze, load_model
from newsdesk.clean import clean
from newsdesk.errors import InputError
from newsdesk.ingest import iter_sources
from newsdesk.model import Article
from newsdesk.options import Options


def generated_articles(count: int, seed: int = 7) -> list[Article]:
    """``count`` generated articles, read and cleaned as an ingest would."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = generate(count, Path(tmp), per_shard=max(1, count), seed=seed)
        options = Options()
        return [clean(raw, options) for raw in iter_sources(paths, options) if not isinstance(raw, InputError)]


def words_of(articles: list[Article]) -> int:
    return sum(len(a.text.split()) for a in articles)


def best_seconds(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
    return min(times)


def raw_pipe_seconds(texts: list[str], model: str, batch_size: int, repeat: int) -> float:
    """Plain ``spacy.load(model).pipe``: what spaCy alone costs on these texts."""
    import spacy

    nlp = spacy.load(model)
    list(nlp.pipe(texts[:20]))  # warm-up
    return best_seconds(lambda: [None for _ in nlp.pipe(texts, batch_size=batch_size)], repeat)


def pipeline_seconds(articles: list[Article], options: Options, repeat: int) -> float:
    load_model(options.model)
    list(analyze(articles[:20], Options(model=options.model)))  # warm-up, model in cache
    return best_seconds(lambda: list(analyze(articles, options)), repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()

    print(describe())
    articles = generated_articles(args.articles)
    words = words_of(articles)
    options = Options(batch_size=args.batch_size)
    print(f"corpus: {len(articles)} generated articles, {words} words")

    raw = raw_pipe_seconds([a.text for a in articles], options.model, args.batch_size, args.repeat)
    full = pipeline_seconds(articles, options, args.repeat)
    print(f"raw nlp.pipe        {words / raw:9.0f} words/s  (baseline 1.00)")
    print(f"newsdesk pipeline   {words / full:9.0f} words/s  ratio to raw {raw / full:.2f}")

    base = None
    for n in args.processes:
        seconds = best_seconds(lambda n=n: list(analyze(articles, Options(batch_size=args.batch_size, n_process=n))), args.repeat)
        base = base or seconds
        print(f"pipeline n_process={n} {words / seconds:9.0f} words/s  speed-up {base / seconds:.2f}x")


if __name__ == "__main__":
    main()
