"""The writer: the one place that links entities, assigns stories and stores.

It runs in the process that owns the store and takes analysed batches strictly in
input order (whoever analysed them), so the store is the same for any number of
analysis processes, local or on Ray. A batch is one transaction: its articles, the
entity registry, story assignments, clustering state and the batch's recorded
failures commit together or not at all (a Ctrl-C or kill -9 leaves whole batches).

Isolation: when a batch fails to link or store, the transaction is rolled back,
the store is checked (a store that cannot be written stops the run: that is no
one record's fault), each article is tried alone in a transaction that is rolled
back, and the batch is stored again without the ones that fail, which are
recorded with their stage. Linking rewrites the mentions in place, so every retry
starts from a pickled copy taken before the first attempt.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from newsdesk.errors import StoreError
from newsdesk.ingestor.records import (
    Batch,
    Failure,
    IngestProgress,
    IngestReport,
    Stage,
)
from newsdesk.model import Analysis
from newsdesk.options import Options
from newsdesk.store import AddOutcome, FailureRecord, Store


class _StageError(Exception):
    """What failed inside a batch transaction, and in which stage."""

    def __init__(self, stage: Stage, error: BaseException) -> None:
        super().__init__(str(error))
        self.stage, self.error = stage, error


class _Rollback(Exception):
    """Raised at the end of a trial transaction so that it is rolled back."""


@dataclass
class _Committed:
    outcomes: list[AddOutcome]
    stories: dict[str, str]


def store_batch(store: Store, batch: Sequence[Analysis], options: Options, report: IngestReport) -> list[AddOutcome]:
    """Link one batch (entities, then stories) and store it, all in one transaction,
    with no isolation: any error propagates after the rollback. The report is
    updated only after the commit (the writer's building block, kept public for
    callers that store analyses they made themselves)."""
    try:
        done = _commit(store, batch, options)
    except _StageError as exc:
        raise exc.error from None  # the stage's own error, not its wrapper
    report.stories.update(done.stories)
    report.count(done.outcomes)
    return done.outcomes


def _commit(
    store: Store,
    analyses: Sequence[Analysis],
    options: Options,
    failures: Sequence[Failure] = (),
    cleared: Iterable[str] = (),
    trial: bool = False,
) -> _Committed:
    from newsdesk.link.aliases import link_entities
    from newsdesk.link.stories import assign_stories

    with store.transaction():
        stage: Stage = "link"
        try:
            link_entities(store, analyses)
            stories = assign_stories(store, analyses, options)
            stage = "store"
            outcomes = store.add_analyses(analyses)
            store.clear_failures([*cleared, *(a.article.source for a in analyses)])
            store.record_failures([_record(f) for f in failures])
        except StoreError:
            raise
        except Exception as exc:
            raise _StageError(stage, exc) from exc
        if trial:
            raise _Rollback
    return _Committed(outcomes, stories)


def warm_up() -> None:
    """Load the linkers' data (alias rules, gazetteer, story settings) now: the
    engine calls this while the analysis processes load their model, so the first
    batch is not kept waiting for it."""
    from newsdesk.link import aliases, stories

    aliases.load_alias_config()
    stories.load_story_config()
    for private in ("_gazetteer", "_geonames_alternates"):  # present in this version
        loader = getattr(aliases, private, None)
        if callable(loader):
            loader()
    import datasketch  # type: ignore[import-untyped]  # noqa: F401 - near-duplicate signatures; imports SciPy (a second)


def _record(failure: Failure) -> FailureRecord:
    """A failure as a row; text that cannot be encoded (lone surrogates) escaped."""
    return FailureRecord(_safe(failure.source), failure.stage, _safe(failure.reason))


def _safe(text: str) -> str:
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


class Writer:
    """Writes analysed batches in order into ``store``, updating ``report`` and
    ``state``; ``written`` is told which article ids are dealt with."""

    def __init__(
        self,
        store: Store,
        options: Options,
        report: IngestReport,
        state: IngestProgress,
        written: Callable[[Iterable[str]], None] = lambda ids: None,
    ) -> None:
        self.store, self.options, self.report, self.state, self.written = store, options, report, state, written

    def write(self, batch: Batch) -> None:
        analyses = [e.analysis for e in batch.entries if e.analysis is not None]
        failures = [e.failure for e in batch.entries if e.failure is not None]
        duplicates = [e.source for e in batch.entries if e.duplicate]
        for failure in failures:
            self.report.fail(failure)
            self.state.failed += failure.stage == "analyse"  # read and clean: counted when read
        self.report.duplicates += len(duplicates)
        done = self._store(analyses, failures, duplicates)
        self.report.stories.update(done.stories)
        self.report.count(done.outcomes)
        self.state.stored += sum(o.status != "duplicate" for o in done.outcomes)
        self.written(a.article.id for a in analyses)
        self._keep_outcomes(batch, done.outcomes)

    def _keep_outcomes(self, batch: Batch, outcomes: list[AddOutcome]) -> None:
        by_id = {o.article_id: o for o in outcomes}
        for entry in batch.entries:
            if entry.duplicate and entry.article_id:
                self.report.outcomes.append(AddOutcome(entry.article_id, "duplicate", entry.article_id))
            elif entry.analysis is not None and entry.analysis.article.id in by_id:
                self.report.outcomes.append(by_id[entry.analysis.article.id])

    def _store(self, analyses: list[Analysis], failures: list[Failure], duplicates: list[str]) -> _Committed:
        copies = [pickle.dumps(a, pickle.HIGHEST_PROTOCOL) for a in analyses] if analyses else []
        try:
            return _commit(self.store, analyses, self.options, failures, duplicates)
        except _StageError as exc:
            first = exc
        self._check_store()
        bad: dict[int, _StageError] = {}
        if len(copies) == 1:
            bad[0] = first
        else:
            for i, copy in enumerate(copies):
                try:
                    _commit(self.store, [pickle.loads(copy)], self.options, trial=True)
                except _Rollback:
                    pass
                except _StageError as exc:
                    bad[i] = exc
        return self._store_without(copies, bad, failures, duplicates)

    def _store_without(
        self, copies: list[bytes], bad: dict[int, _StageError], failures: list[Failure], duplicates: list[str]
    ) -> _Committed:
        """Store the batch without the articles in ``bad`` (recorded as failures);
        one by one when even that fails (two articles that only fail together)."""
        lost = [self._lose(pickle.loads(copies[i]), error) for i, error in sorted(bad.items())]
        good = [pickle.loads(copy) for i, copy in enumerate(copies) if i not in bad]
        try:
            return _commit(self.store, good, self.options, [*failures, *lost], duplicates)
        except _StageError:
            pass
        done = _commit(self.store, [], self.options, [*failures, *lost], duplicates)
        for copy in (pickle.loads(c) for i, c in enumerate(copies) if i not in bad):
            try:
                one = _commit(self.store, [copy], self.options)
            except _StageError as exc:
                _commit(self.store, [], self.options, [self._lose(copy, exc)])
                continue
            done.outcomes.extend(one.outcomes)
            done.stories.update(one.stories)
        return done

    def _lose(self, analysis: Analysis, error: _StageError) -> Failure:
        failure = Failure.of_exception(analysis.article.source, error.stage, error.error)
        self.report.fail(failure)
        self.state.failed += 1
        return failure

    def _check_store(self) -> None:
        """Raise StoreError when the store itself cannot take a write."""
        with self.store.transaction():
            pass
