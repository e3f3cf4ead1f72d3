"""Ingest orchestration: files -> cleaned articles -> analyses -> linked -> stored.

The library function behind ``newsdesk ingest``. It streams: articles are read and
cleaned one by one, skipped *before* analysis when their id is already stored (so a
rerun after a crash only analyses what is missing), analysed in batches of
``options.batch_size``, and each batch is linked (cross-document entities, then
stories) and stored (``Store.add_analyses``) in one store transaction. A process
killed at any point leaves whole batches (articles with all their spans, entities,
story assignments, key counts and headlines) or none, and the next run picks up
where it stopped.

Linking runs before the batch is stored because it rewrites the mentions' entity
ids that the store keeps. Every store method called meanwhile joins the batch's
transaction, reads included, so the linkers see what they have just written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from newsdesk.clean import clean_all
from newsdesk.errors import InputError
from newsdesk.ingest import iter_sources
from newsdesk.link.aliases import link_entities
from newsdesk.link.stories import assign_stories
from newsdesk.model import Analysis, Article, RawArticle
from newsdesk.options import Options
from newsdesk.store import AddOutcome, Store


@dataclass
class IngestProgress:
    """Running totals handed to the progress callback after every article and batch."""

    files: int = 0
    read: int = 0
    skipped: int = 0
    stored: int = 0
    failed: int = 0
    source: str | None = None


@dataclass
class IngestReport:
    """What one ingest run did.

    ``ingested`` new articles; ``near_duplicates`` syndicated copies, stored too and
    pointing at their original; ``duplicates`` articles already in the store (skipped
    without analysis); ``failed`` one line per input that could not be read;
    ``stories`` article id -> story id for the articles linked in this run."""

    ingested: int = 0
    duplicates: int = 0
    near_duplicates: int = 0
    failed: list[str] = field(default_factory=list)
    stories: dict[str, str] = field(default_factory=dict)

    @property
    def stored(self) -> int:
        return self.ingested + self.near_duplicates

    @property
    def succeeded(self) -> int:
        """Inputs that ended up in the store, now or before (the exit status counts these)."""
        return self.stored + self.duplicates

    def count(self, outcomes: Iterable[AddOutcome]) -> None:
        for outcome in outcomes:
            if outcome.status == "added":
                self.ingested += 1
            elif outcome.status == "near-duplicate":
                self.near_duplicates += 1
            else:
                self.duplicates += 1


ProgressCallback = Callable[[IngestProgress], None]


def _source_file(source: str) -> str:
    """``path#3`` (record 3 of a JSONL/WARC file) -> ``path``."""
    return source.split("#", 1)[0]


class _Reader:
    """Reads and cleans articles, skipping those already stored or already queued."""

    def __init__(self, store: Store, options: Options, report: IngestReport, state: IngestProgress, notify: Callable[[], None]) -> None:
        self.store, self.options, self.report, self.state, self.notify = store, options, report, state, notify
        self.pending: set[str] = set()  # read this run, not yet committed
        self._last_file: str | None = None

    def _saw(self, source: str) -> None:
        file = _source_file(source)
        if file != self._last_file:
            self.state.files += 1
            self._last_file = file
        self.state.source = source

    def articles(self, items: Iterable[RawArticle | InputError]) -> Iterator[Article]:
        for article in clean_all(items, self.options):
            if isinstance(article, InputError):
                self._fail(article)
                continue
            self._saw(article.source)
            if article.id in self.pending or self.store.has_article(article.id):
                self.report.duplicates += 1
                self.state.skipped += 1
                self.notify()
                continue
            self.pending.add(article.id)
            self.state.read += 1
            self.notify()
            yield article

    def _fail(self, error: InputError) -> None:
        self._saw(error.source)
        self.report.failed.append(str(error))
        self.state.failed += 1
        self.notify()


def store_batch(store: Store, batch: Sequence[Analysis], options: Options, report: IngestReport) -> list[AddOutcome]:
    """Link one batch (entities, then stories) and store it, all in one transaction.

    Either everything lands (articles, entity registry, story assignments, key
    counts, headlines) or nothing does: a crash cannot leave a story pointing at an
    article that was never stored. On SQLite the write lock is held for the whole
    step (other writers queue); analysis, the slow part, happens before it. The
    report is updated only after the commit."""
    with store.transaction():
        link_entities(store, batch)
        stories = assign_stories(store, batch, options)
        outcomes = store.add_analyses(batch)
    report.stories.update(stories)
    report.count(outcomes)
    return outcomes


def _batches(analyses: Iterable[Analysis], size: int) -> Iterator[list[Analysis]]:
    batch: list[Analysis] = []
    for analysis in analyses:
        batch.append(analysis)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def ingest_paths(
    paths: Iterable[str | Path],
    options: Options,
    progress: ProgressCallback | None = None,
    store: Store | None = None,
) -> IngestReport:
    """Ingest every article under ``paths`` into the store at ``options.db`` (or the
    given ``store``). Bad inputs become one-line entries of ``report.failed``; a
    ``StoreError`` (database unreachable) stops the run."""
    return ingest_items(iter_sources(paths, options), options, progress, store)


def ingest_items(
    items: Iterable[RawArticle | InputError],
    options: Options,
    progress: ProgressCallback | None = None,
    store: Store | None = None,
) -> IngestReport:
    """Ingest raw records from any source (file readers, feeds, uploads): clean,
    skip what is stored, analyse in batches, link and store. Errors among ``items``
    are reported, never raised, so one bad record costs only itself."""
    report = IngestReport()
    state = IngestProgress()

    def notify() -> None:
        if progress is not None:
            progress(state)

    own_store = store is None
    target = store if store is not None else Store(options.db)  # fail fast, before spaCy loads
    try:
        from newsdesk.analyze.pipeline import analyze

        reader = _Reader(target, options, report, state, notify)
        for batch in _batches(analyze(reader.articles(items), options), max(1, options.batch_size)):
            outcomes = store_batch(target, batch, options, report)
            reader.pending.difference_update(o.article_id for o in outcomes)
            state.stored += sum(o.status != "duplicate" for o in outcomes)
            notify()
    finally:
        if own_store:
            target.close()
    return report
