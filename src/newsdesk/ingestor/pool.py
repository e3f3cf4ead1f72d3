"""Analysers: turn a stream of read batches into analysed batches, in input order.

:class:`InProcess` parses in the calling process (the web app, library callers,
``workers=0``). :class:`ProcessPool` runs up to N analysis processes, each loading
the model once, and overlaps everything: while they parse, this process reads and
cleans the next batches and the caller writes the finished ones (it consumes the
iterator between our steps). Back-pressure: at most two jobs queued per process
and a bounded window of batches between the oldest unwritten one and the newest
read, so memory does not grow with the corpus. Results come back in any order and
leave in batch order (a reorder buffer keyed by batch number).

A process that dies is reported; the job it was parsing is retried once, then its
articles one by one, and an article that kills a process on its own is a failure
of the analyse stage. Processes start as work arrives (one short file starts one).
"""

from __future__ import annotations

import multiprocessing
import pickle
import sys
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

from newsdesk.errors import ModelError, NewsdeskError
from newsdesk.ingestor.analysis import analyse_batch, settle
from newsdesk.ingestor.records import Batch, Failure, IngestReport
from newsdesk.options import Options

JOBS_PER_WORKER = 2
# Articles per analysis job: a write batch is parsed in several jobs, so the
# processes share the last batches of a run evenly (the writer still writes whole
# batches, whatever the jobs were).
JOB_ARTICLES = 8
MAX_DEATHS_IN_A_ROW = 4


@contextmanager
def _main_script_hidden() -> Iterator[None]:
    """Start a process without it re-running the parent's main script.

    ``spawn`` re-imports the parent's ``__main__`` by path when it has no module
    spec: for the ``newsdesk`` console script that means importing the whole CLI in
    every analysis process, on the start-up path. The worker needs nothing from
    ``__main__`` (its target and arguments live in newsdesk), so the path is hidden
    while the process starts."""
    main = sys.modules.get("__main__")
    if main is None or getattr(main, "__spec__", None) is not None or not hasattr(main, "__file__"):
        yield
        return
    path = main.__file__
    del main.__file__
    try:
        yield
    finally:
        main.__file__ = path


class InProcess:
    """Analyse each batch here, one after the other."""

    def __init__(self, options: Options) -> None:
        self.options = options

    def run(self, batches: Iterator[Batch]) -> Iterator[Batch]:
        for batch in batches:
            yield analyse_batch(batch, self.options) if batch.articles else batch

    def close(self) -> None:
        pass


@dataclass
class _Job:
    key: tuple[int, int]  # (batch seq, part)
    indices: list[int]  # entries of the batch to analyse
    attempt: int = 0


@dataclass
class _Worker:
    process: Any
    jobs: Connection
    results: Connection
    inflight: dict[tuple[int, int], _Job] = field(default_factory=dict)
    started: tuple[int, int] | None = None
    used: bool = False  # was ever sent a job (else it may be stopped at once)


class ProcessPool:
    """Up to ``size`` analysis processes (``spawn`` start method: safe with threads
    and on every platform)."""

    def __init__(
        self, options: Options, size: int, report: IngestReport | None = None, on_idle: Callable[[], None] | None = None
    ) -> None:
        self.options, self.size = options, max(1, size)
        self.on_idle = on_idle  # called once, the first time we would wait for results
        self.report = report if report is not None else IngestReport()
        self.context = multiprocessing.get_context("spawn")
        self.workers: list[_Worker] = []
        self.todo: deque[_Job] = deque()
        self.open: dict[int, Batch] = {}  # read and dispatched, not complete
        self.missing: dict[int, int] = {}  # seq -> article entries still to analyse
        self.ready: dict[int, Batch] = {}
        self.parts: dict[int, int] = {}  # seq -> next part number
        self.deaths_in_a_row = 0
        self.next_out = 0

    # --- the loop -----------------------------------------------------------------

    def run(self, batches: Iterator[Batch]) -> Iterator[Batch]:
        """Analysed batches in input order. Between two of our steps the caller
        writes the batch we yielded while the processes go on parsing."""
        next_in, exhausted = 0, False
        window = 2 * JOBS_PER_WORKER * self.size + 2
        if not self.workers:
            self._start()  # the model loads while this process reads the first batch
        while True:
            while True:  # read while some process can take more work
                self._dispatch()
                yield from self._in_order()
                if self.todo or exhausted or next_in - self.next_out >= window:
                    break
                batch = next(batches, None)
                if batch is None:
                    exhausted = True
                else:
                    self._admit(batch)
                    next_in += 1
            if exhausted and self.next_out == next_in:
                return
            if not (self.todo and not self.workers):  # else every process died: start anew
                idle, self.on_idle = self.on_idle, None
                if idle is not None:
                    idle()
                self._wait()

    def _in_order(self) -> Iterator[Batch]:
        while self.next_out in self.ready:
            batch = self.ready.pop(self.next_out)
            self.next_out += 1
            yield batch

    def _admit(self, batch: Batch) -> None:
        indices = [i for i, entry in enumerate(batch.entries) if entry.article is not None]
        if not indices:
            self.ready[batch.seq] = batch
            return
        self.open[batch.seq] = batch
        self.missing[batch.seq] = len(indices)
        chunks = [indices[i : i + JOB_ARTICLES] for i in range(0, len(indices), JOB_ARTICLES)]
        self.parts[batch.seq] = len(chunks)
        self.todo.extend(_Job((batch.seq, part), chunk) for part, chunk in enumerate(chunks))

    def _dispatch(self) -> None:
        while self.todo:
            worker = self._free_worker()
            if worker is None:
                return
            job = self.todo.popleft()
            worker.inflight[job.key] = job
            worker.used = True
            articles = [self.open[job.key[0]].entries[i].article for i in job.indices]
            try:
                worker.jobs.send((job.key, articles))
            except (OSError, ValueError):
                pass  # it died: its sentinel says so, and the job goes back unharmed

    def _free_worker(self) -> _Worker | None:
        idle = [w for w in self.workers if len(w.inflight) < JOBS_PER_WORKER]
        least = min(idle, key=lambda w: len(w.inflight), default=None)
        if (least is None or least.inflight) and len(self.workers) < self.size:
            return self._start()
        return least

    def _start(self) -> _Worker:
        from newsdesk.ingestor.worker import worker_main

        jobs_out, jobs_in = self.context.Pipe(duplex=False)
        results_out, results_in = self.context.Pipe(duplex=False)
        process = self.context.Process(
            target=worker_main, args=(jobs_out, results_in, self.options), daemon=True, name="newsdesk-analyse"
        )
        with _main_script_hidden():
            process.start()
        jobs_out.close()
        results_in.close()
        worker = _Worker(process, jobs_in, results_out)
        self.workers.append(worker)
        return worker

    def _wait(self) -> None:
        by_handle: dict[Any, _Worker] = {}
        for worker in self.workers:
            by_handle[worker.results] = worker
            by_handle[worker.process.sentinel] = worker
        for handle in wait(list(by_handle)):
            worker = by_handle[handle]
            if worker not in self.workers:
                continue
            if handle is worker.results:
                self._drain(worker)
            elif not worker.process.is_alive():
                self._drain(worker)
                self._died(worker)

    # --- messages and deaths ----------------------------------------------------------

    def _drain(self, worker: _Worker) -> None:
        try:
            while worker.results.poll():
                self._message(worker, worker.results.recv())
        except (EOFError, OSError, pickle.UnpicklingError):  # it died, maybe mid-message
            pass

    def _message(self, worker: _Worker, message: tuple[Any, ...]) -> None:
        kind = message[0]
        if kind == "fatal":
            raise ModelError(message[1])
        if kind == "start":
            worker.started = message[1]
            return
        _, key, results = message
        job = worker.inflight.pop(key)
        worker.started = None
        self.deaths_in_a_row = 0
        batch = self.open[key[0]]
        for index, result in zip(job.indices, results, strict=True):
            settle(batch.entries[index], result)
        self._resolved(key[0], len(job.indices))

    def _resolved(self, seq: int, count: int) -> None:
        self.missing[seq] -= count
        if self.missing[seq] == 0:
            del self.missing[seq], self.parts[seq]
            self.ready[seq] = self.open.pop(seq)

    def _died(self, worker: _Worker) -> None:
        self.workers.remove(worker)
        worker.process.join(timeout=5)
        code = worker.process.exitcode
        for conn in (worker.jobs, worker.results):
            conn.close()
        self.deaths_in_a_row += 1
        # The job it had started is to blame; when its "start" never arrived, every
        # job it held is (an innocent one is then only retried once more).
        started = worker.inflight.pop(worker.started, None) if worker.started else None
        culprits = [started] if started else list(worker.inflight.values())
        batches = ", ".join(str(job.key[0] + 1) for job in culprits)
        where = f" while analysing batch {batches}" if culprits else ""
        self.report.worker_deaths.append(f"analysis process {worker.process.pid} died (exit code {code}){where}")
        if started:
            self.todo.extendleft(reversed(list(worker.inflight.values())))  # not started: unharmed
        for job in reversed(culprits):
            self._retry(job, code)
        if self.deaths_in_a_row > MAX_DEATHS_IN_A_ROW + self.size:
            raise NewsdeskError(
                f"analysis processes keep dying ({self.deaths_in_a_row} in a row, last exit code {code}); "
                "see the messages above, or try --workers 0"
            )

    def _retry(self, job: _Job, code: int | None) -> None:
        """Once as it was; then article by article; an article alone that kills its
        process again is a failure."""
        seq = job.key[0]
        if job.attempt == 0:
            self.todo.appendleft(_Job(job.key, job.indices, 1))
        elif len(job.indices) > 1:
            singles = []
            for index in job.indices:
                singles.append(_Job((seq, self.parts[seq]), [index], 1))
                self.parts[seq] += 1
            self.todo.extendleft(reversed(singles))
        else:
            entry = self.open[seq].entries[job.indices[0]]
            reason = f"the analysis process died (exit code {code}) on this article, twice"
            settle(entry, Failure(entry.source, "analyse", reason))
            self._resolved(seq, 1)

    def close(self) -> None:
        """Stop every process once the run is done. Every result is in by then, so
        nothing is lost by not waiting for an interpreter holding a model to tear
        itself down (over a second): each is asked to stop, given a moment, then
        terminated."""
        for worker in self.workers:
            try:
                worker.jobs.send(None)
            except (OSError, ValueError):
                pass
        for worker in self.workers:
            worker.process.join(timeout=0.2 if worker.used else 0)
            if worker.process.is_alive():
                worker.process.terminate()
                worker.process.join(timeout=5)
            for conn in (worker.jobs, worker.results):
                conn.close()
        self.workers.clear()

    def kill(self) -> None:
        """Stop every process now (Ctrl-C, an error): their jobs are simply lost,
        nothing of theirs is stored."""
        for worker in self.workers:
            if worker.process.is_alive():
                worker.process.terminate()
        for worker in self.workers:
            worker.process.join(timeout=5)
        self.workers.clear()


def analyser(
    options: Options, report: IngestReport, on_idle: Callable[[], None] | None = None
) -> InProcess | ProcessPool:
    """Analysis here (``workers`` 0) or in a pool of ``workers`` processes."""
    workers = options.workers
    if workers is None or workers < 0:
        raise ValueError(f"workers must be 0 or more, not {workers}")
    return ProcessPool(options, workers, report, on_idle) if workers > 0 else InProcess(options)


def analysed(
    batches: Iterator[Batch], options: Options, report: IngestReport, on_idle: Callable[[], None] | None = None
) -> Iterator[Batch]:
    """``batches`` analysed, in order; the processes stop when the caller is done
    (normally, on an error, or on Ctrl-C, without waiting for their jobs).
    ``on_idle`` runs once while this process first waits on the analysers."""
    engine = analyser(options, report, on_idle)
    try:
        yield from engine.run(batches)
    except BaseException:
        if isinstance(engine, ProcessPool):
            engine.kill()
        raise
    engine.close()
