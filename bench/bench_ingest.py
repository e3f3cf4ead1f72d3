"""End-to-end ``newsdesk ingest`` against raw spaCy, its scaling with ``--workers``,
start-up against model load, and Ray against the local engine, in one run.

Every figure is a fresh process timed from the outside (wall clock, model load and
imports included, as a user meets them), on the same generated articles
(bench/corpus_gen.py, JSONL shards):

* raw: a process that loads the spaCy model and runs ``nlp.pipe`` over the texts
  (nothing of newsdesk): the baseline words/s;
* ``newsdesk ingest --workers 1`` and ``--workers 2``, each into a fresh SQLite
  store (read, clean, analyse, link, cluster, store), words/s and ratios to raw and
  to each other (issue 12's targets: w1 >= 0.90 x raw, w2 >= 1.6 x w1 on 2 cores);
* start-up: ``newsdesk analyze`` on one short file against a process that only
  loads the model (target <= 1.5x), and ``newsdesk --help``;
* ``--engine ray --workers 2`` (2 actors, Ray's own start included) against local
  ``--workers 2`` (target: no slower); ``--no-ray`` skips it.

    .venv/bin/python bench/bench_ingest.py [--articles 600] [--repeat 1] [--no-ray]

The stores written by every engine must hold the same article ids and story
grouping (checked), so a faster number can never come from doing less work.
Quote figures from an idle machine only: under load every ratio drifts.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_gen import count_words, generate
from machine import describe

from newsdesk.options import DEFAULT_MODEL
from newsdesk.store import Store

RAW = """
import json, sys, spacy
paths, model, batch = sys.argv[1:-2], sys.argv[-2], int(sys.argv[-1])
def texts():
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                yield (record.get("title") or "") + "\\n\\n" + record["text"]
nlp = spacy.load(model)
for _ in nlp.pipe(texts(), batch_size=batch):
    pass
"""
LOAD_ONLY = "import spacy, sys; spacy.load(sys.argv[1])"
SHORT_ARTICLE = (
    "Ferry service resumes after storm\n\n"
    "The ferry between Eastbank and Northport resumed on Tuesday, the operator said.\n\n"
    '"We are glad to be back," captain Ines Moreau told reporters.\n'
)


def timed(command: list[str], env: dict[str, str] | None = None) -> float:
    """Wall seconds of one run; a failing command stops the benchmark."""
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"failed ({result.returncode}): {' '.join(command)}\n{result.stderr[-2000:]}")
    return elapsed


def best(repeat: int, command: list[str], before: object = None) -> float:
    """Fastest of ``repeat`` runs (the least disturbed); ``before`` resets state."""
    times = []
    for _ in range(repeat):
        if callable(before):
            before()
        times.append(timed(command))
    return min(times)


def stored_state(url: str) -> tuple[int, frozenset[frozenset[str]]]:
    with Store(url) as store:
        groups = frozenset(frozenset(store.story_article_ids(s.id)) for s in store.list_stories())
        return store.count_articles(), groups


def ingest_run(label: str, corpus: Path, db: Path, args: argparse.Namespace, extra: list[str]) -> tuple[float, str]:
    url = f"sqlite:///{db}"

    def fresh() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)

    command = [sys.executable, "-m", "newsdesk", "ingest", str(corpus), "--db", url,
               "--batch-size", str(args.batch_size), "--model", args.model, *extra]
    return best(args.repeat, command, fresh), url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=600)
    parser.add_argument("--shards", type=int, default=4)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs per figure")
    parser.add_argument("--startup-repeat", type=int, default=3)
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--no-ray", action="store_true", help="skip the Ray comparison")
    args = parser.parse_args()

    print(describe())
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        paths = generate(args.articles, root / "corpus", per_shard=max(1, -(-args.articles // args.shards)))
        words = count_words(paths)
        print(f"corpus: {args.articles} generated articles in {len(paths)} JSONL files, {words} words")

        raw = best(args.repeat, [sys.executable, "-c", RAW, *map(str, paths), args.model, str(args.batch_size)])
        print(f"raw nlp.pipe (model load included): {raw:6.1f} s  {words / raw:8.0f} words/s")
        runs: dict[str, tuple[float, str]] = {}
        for workers in (1, 2):
            runs[f"w{workers}"] = ingest_run(f"w{workers}", root / "corpus", root / f"w{workers}.db", args,
                                             ["--workers", str(workers)])
            seconds = runs[f"w{workers}"][0]
            print(f"newsdesk ingest --workers {workers}:       {seconds:6.1f} s  {words / seconds:8.0f} words/s"
                  f"  ({raw / seconds:.2f} x raw)")
        w1, w2 = runs["w1"][0], runs["w2"][0]
        print(f"--workers 2 vs --workers 1: {w1 / w2:.2f} x")
        reference = stored_state(runs["w1"][1])
        if stored_state(runs["w2"][1]) != reference:
            sys.exit("--workers 2 stored different articles or stories than --workers 1")

        short = root / "short.txt"
        short.write_text(SHORT_ARTICLE, encoding="utf-8")
        load = best(args.startup_repeat, [sys.executable, "-c", LOAD_ONLY, args.model])
        one = best(args.startup_repeat, [sys.executable, "-m", "newsdesk", "analyze", str(short), "--model", args.model])
        one_inproc = best(args.startup_repeat, [sys.executable, "-m", "newsdesk", "analyze", str(short),
                                                "--model", args.model, "--workers", "0"])
        helps = best(args.startup_repeat, [sys.executable, "-m", "newsdesk", "--help"])
        print(f"start-up: model load only {load:.2f} s; `analyze` one short file {one:.2f} s ({one / load:.2f} x), "
              f"with --workers 0 {one_inproc:.2f} s ({one_inproc / load:.2f} x); `--help` {helps:.2f} s")

        if not args.no_ray:
            ray_s, ray_url = ingest_run("ray", root / "corpus", root / "ray.db", args, ["--engine", "ray", "--workers", "2"])
            print(f"ray, 2 actors (Ray start-up included): {ray_s:6.1f} s  {words / ray_s:8.0f} words/s"
                  f"  ({w2 / ray_s:.2f} x local --workers 2)")
            if stored_state(ray_url) != reference:
                sys.exit("the Ray engine stored different articles or stories than the local engine")
    print(f"loadavg now: {'/'.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
