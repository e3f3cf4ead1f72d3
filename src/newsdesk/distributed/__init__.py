"""The Ray path of ``newsdesk ingest --engine ray`` (optional extra ``newsdesk[ray]``).

Same stages as the local engine (:func:`newsdesk.corpus.ingest_paths`), spread over
a Ray cluster with Ray Data:

1. the driver lists the input files (directories walked exactly as the local
   readers walk them) into a dataset with one row per file;
2. ``flat_map(expand_file)`` reads and cleans each file on a worker with the same
   readers and cleaner, expanding JSONL dumps and WARC shards to one row per
   article; unreadable inputs become ``error`` rows instead of failing the job;
3. ``map_batches(AnalyzeActor, compute=ActorPoolStrategy(size=num_actors))`` parses and analyses the
   articles in a pool of actors, each loading the spaCy model once;
4. the driver streams the result rows back (``iter_batches``) and stores them in
   batches of ``options.batch_size`` with :func:`newsdesk.corpus.store_batch`, the
   very function the local engine uses, so entity linking and story clustering
   run over the same batches in the same order and the store ends up the same;
   or, with ``output``, the rows are written as Parquet shards for later loading.

Ray is imported here and only here; nothing on the local path imports this package.
Ray Data keeps the input order (``preserve_order``) because story clustering is a
streaming algorithm whose result may depend on arrival order.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import ray

from newsdesk.corpus import IngestReport, store_batch
from newsdesk.distributed.parquet import (
    iter_parquet_rows,
    read_parquet_analyses,
    store_parquet,
)
from newsdesk.distributed.rows import (
    ARTICLE,
    DUPLICATE,
    ERROR,
    RESULT_COLUMNS,
    AnalyzeActor,
    analysis_of,
    expand_file,
)
from newsdesk.errors import ModelError, NewsdeskError
from newsdesk.ingest import walk
from newsdesk.model import Analysis
from newsdesk.options import Options
from newsdesk.store import Store

__all__ = [
    "AnalyzeActor",
    "build_dataset",
    "ingest_ray",
    "input_files",
    "read_parquet_analyses",
    "store_parquet",
    "store_rows",
]


def input_files(paths: Iterable[str | Path]) -> list[str]:
    """Files the local engine would read, in the same order (missing paths kept, so
    the reader reports them as failures exactly as locally)."""
    files: list[str] = []
    for item in paths:
        path = Path(item)
        files.extend(str(f) for f in walk(path)) if path.is_dir() else files.append(str(path))
    return files


def _connect(address: str | None, num_actors: int) -> bool:
    """Join or start a Ray runtime; True when this call started it (and must stop it).

    A local runtime gets a CPU for each actor even on a smaller machine, so the
    requested actor pool can always start.
    """
    if ray.is_initialized():
        return False
    if address is None:
        ray.init(num_cpus=max(os.cpu_count() or 1, num_actors), include_dashboard=False, log_to_driver=False,
                 logging_level=logging.WARNING)
    else:
        ray.init(address=address, log_to_driver=False, logging_level=logging.WARNING)
    return True


def build_dataset(files: list[str], options: Options, num_actors: int, known_ids: frozenset[str] = frozenset()) -> Any:
    """The lazy Ray dataset of result rows (``RESULT_COLUMNS``), in input order."""
    import ray.data

    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True
    # Ray Data reports every operator's progress at INFO; the CLI prints its own summary.
    context.enable_progress_bars = False
    logging.getLogger("ray.data").setLevel(logging.WARNING)
    files_ds = ray.data.from_items([{"path": f} for f in files], override_num_blocks=max(1, min(len(files), 200)))
    # Readers ask for no CPU of their own: reading and cleaning cost a fraction of
    # parsing, and on a small machine (2 CPUs, 2 actors) a reader waiting for a CPU
    # the actors hold would never run. ``concurrency`` still bounds them.
    articles = files_ds.flat_map(
        expand_file,
        fn_kwargs={"options": options, "known_ids": known_ids},
        num_cpus=0,
        compute=ray.data.TaskPoolStrategy(size=max(1, num_actors)),
    )
    return articles.map_batches(
        AnalyzeActor,
        fn_constructor_kwargs={"options": options},
        compute=ray.data.ActorPoolStrategy(size=num_actors),
        batch_size=max(1, options.batch_size),
        batch_format="numpy",
        num_cpus=1,
    )


def _stored_ids(store: Store) -> frozenset[str]:
    """Every article id in the store, so workers skip them before analysis."""
    from sqlalchemy import select

    from newsdesk.store.tables import articles

    with store.engine.connect() as conn:
        return frozenset(conn.execute(select(articles.c.id)).scalars())


def _rows(batches: Iterable[Mapping[str, Any]]) -> Iterator[dict[str, str]]:
    for batch in batches:
        for values in zip(*(batch[name] for name in RESULT_COLUMNS), strict=True):
            yield dict(zip(RESULT_COLUMNS, (str(v) for v in values), strict=True))


def store_rows(rows: Iterable[Mapping[str, str]], store: Store, options: Options, report: IngestReport | None = None) -> IngestReport:
    """Store result rows in order, ``options.batch_size`` analyses per transaction.

    Errors go to ``report.failed``; articles already stored (before the run or
    earlier in it) count as duplicates and are neither linked nor stored again,
    exactly as the local engine skips them.
    """
    report = report or IngestReport()
    size = max(1, options.batch_size)
    batch: list[Analysis] = []
    pending: set[str] = set()
    for row in rows:
        kind = row["kind"]
        if kind == ERROR:
            report.failed.append(row["error"])
        elif kind == DUPLICATE or row["article_id"] in pending or store.has_article(row["article_id"]):
            report.duplicates += 1
        elif kind == ARTICLE:
            batch.append(analysis_of(row))
            pending.add(row["article_id"])
        if len(batch) >= size:
            store_batch(store, batch, options, report)
            batch, pending = [], set()
    if batch:
        store_batch(store, batch, options, report)
    return report


def _write_parquet(dataset: Any, output: str) -> IngestReport:
    """Write the rows as Parquet shards under ``output`` and count what was written."""
    dataset.write_parquet(output)
    report = IngestReport()
    for row in iter_parquet_rows(output, columns=["kind", "error"]):
        if row["kind"] == ERROR:
            report.failed.append(row["error"])
        elif row["kind"] == DUPLICATE:
            report.duplicates += 1
        else:
            report.ingested += 1
    return report


def _check_model(name: str) -> None:
    """Fail on the driver, in one line, when a local runtime's actors could not load
    the model (otherwise each actor dies in ``__init__`` with a Ray traceback)."""
    import spacy.util

    if not (spacy.util.is_package(name) or Path(name).is_dir()):
        raise ModelError(
            f"spaCy model '{name}' is not installed; install it with "
            f"`python -m spacy download {name}` (or pip install its package) "
            "or choose another with --model / NEWSDESK_MODEL"
        )


def _actor_failure(exc: Exception) -> NewsdeskError:
    """A one-line error for an actor that died (model missing on a cluster node, OOM)."""
    first = next((line.strip() for line in str(exc).splitlines() if line.strip()), type(exc).__name__)
    return NewsdeskError(f"the Ray analyser actors failed ({type(exc).__name__}): {first}")


def ingest_ray(
    paths: Iterable[str | Path],
    options: Options,
    address: str | None = None,
    num_actors: int = 2,
    output: str | None = None,
) -> IngestReport:
    """Ingest ``paths`` with Ray Data: into the store at ``options.db``, or, when
    ``output`` is given, into Parquet shards in that directory (no store touched).

    ``address=None`` starts a local Ray runtime for this call; ``"auto"`` or a
    ``ray://`` / ``host:port`` address joins a running cluster, whose workers must
    have newsdesk and the spaCy model installed. A runtime already initialised in
    this process (a notebook, a test) is used as is and left running.
    """
    files = input_files(paths)
    report = IngestReport()
    if address is None:
        _check_model(options.model)
    store = None if output else Store(options.db)  # fail fast, before Ray starts
    started = _connect(address, num_actors)
    try:
        if output:
            return _write_parquet(build_dataset(files, options, num_actors), output)
        assert store is not None
        dataset = build_dataset(files, options, num_actors, _stored_ids(store))
        batches = dataset.iter_batches(batch_size=max(1, options.batch_size), batch_format="numpy")
        return store_rows(_rows(batches), store, options, report)
    except ray.exceptions.RayActorError as exc:
        raise _actor_failure(exc) from exc
    finally:
        if store is not None:
            store.close()
        if started:
            ray.shutdown()
