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
4. the driver streams the result rows back (``iter_batches``), cuts them into
   batches of ``options.batch_size`` articles exactly as the local reader does and
   hands them to the ingestor's :class:`~newsdesk.ingestor.writer.Writer`, the very
   writer of the local engine, so entity linking and story clustering run over the
   same batches in the same order, failures are isolated and recorded the same
   way, and the store ends up the same; or, with ``output``, the rows are written
   as Parquet shards for later loading.

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

from newsdesk.distributed.parquet import (
    iter_parquet_rows,
    read_parquet_analyses,
    store_parquet,
)
from newsdesk.distributed.rows import (
    ARTICLE,
    DUPLICATE,
    RESULT_COLUMNS,
    AnalyzeActor,
    analysis_of,
    expand_file,
    failure_of,
    is_failure,
)
from newsdesk.errors import ModelError, NewsdeskError
from newsdesk.ingest import walk
from newsdesk.ingestor.reading import cut
from newsdesk.ingestor.records import Entry, IngestProgress, IngestReport
from newsdesk.ingestor.writer import Writer
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
        ray.init(
            num_cpus=max(os.cpu_count() or 1, num_actors),
            include_dashboard=False,
            log_to_driver=False,
            logging_level=logging.WARNING,
        )
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
        expand_file,  # type: ignore[arg-type]  # Ray's stubs do not model fn_kwargs
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


def _rows(batches: Iterable[Mapping[str, Any]]) -> Iterator[dict[str, str]]:
    for batch in batches:
        for values in zip(*(batch[name] for name in RESULT_COLUMNS), strict=True):
            yield dict(zip(RESULT_COLUMNS, (str(v) for v in values), strict=True))


def _entries(rows: Iterable[Mapping[str, str]], store: Store, pending: set[str]) -> Iterator[Entry]:
    """Result rows as the writer's entries; an article stored before or earlier in
    this run (``pending``) is a duplicate, exactly as the local reader decides."""
    for row in rows:
        kind, source = row["kind"], row["source"]
        if is_failure(kind):
            yield Entry(source, failure=failure_of(row))
        elif kind == DUPLICATE or row["article_id"] in pending or store.has_article(row["article_id"]):
            yield Entry(source, duplicate=True, article_id=row["article_id"])
        elif kind == ARTICLE:
            pending.add(row["article_id"])
            yield Entry(source, analysis=analysis_of(row))


def store_rows(
    rows: Iterable[Mapping[str, str]], store: Store, options: Options, report: IngestReport | None = None
) -> IngestReport:
    """Store result rows in order with the ingestor's writer, ``options.batch_size``
    analyses per transaction; failures are reported and recorded, duplicates
    neither linked nor stored again."""
    report = report or IngestReport()
    pending: set[str] = set()
    writer = Writer(store, options, report, IngestProgress(), pending.difference_update)
    for batch in cut(_entries(rows, store, pending), max(1, options.batch_size)):
        writer.write(batch)
    return report


def _write_parquet(dataset: Any, output: str) -> IngestReport:
    """Write the rows as Parquet shards under ``output`` and count what was written."""
    dataset.write_parquet(output)
    report = IngestReport()
    for row in iter_parquet_rows(output, columns=["kind", "source", "error"]):
        if is_failure(row["kind"]):
            report.fail(failure_of({**row, "source": row.get("source", "")}))
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
        dataset = build_dataset(files, options, num_actors, store.article_ids())
        batches = dataset.iter_batches(batch_size=max(1, options.batch_size), batch_format="numpy")
        return store_rows(_rows(batches), store, options, report)
    except ray.exceptions.RayActorError as exc:
        raise _actor_failure(exc) from exc
    finally:
        if store is not None:
            store.close()
        if started:
            ray.shutdown()
