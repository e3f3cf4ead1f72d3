"""The read and clean stages: raw records in, numbered batches of entries out.

Each record is isolated: a reader that raises (instead of yielding an
``InputError``) costs the rest of that one file, a record ``clean`` cannot handle
costs that record, and both become failures that travel in the batch like any
article, so they are reported in input order. Articles already stored, or read
earlier in this run and not yet written, are marked duplicates here, before
anyone spends a parse on them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from newsdesk.clean import clean
from newsdesk.errors import InputError
from newsdesk.ingestor.records import Batch, Entry, Failure, IngestProgress, describe
from newsdesk.model import RawArticle
from newsdesk.options import Options

if TYPE_CHECKING:
    from newsdesk.store import Store

Item = RawArticle | InputError | Failure


def guarded(items: Iterable[RawArticle | InputError], label: str = "input") -> Iterator[Item]:
    """``items`` with any exception the iterator raises turned into a read failure
    (naming the last source it produced, else ``label``); the iterator cannot go on
    after raising, so that failure is its last item."""
    iterator = iter(items)
    last = label
    while True:
        try:
            item = next(iterator)
        except StopIteration:
            return
        except Exception as exc:  # noqa: BLE001 - a reader bug must not cost the other files
            yield Failure(_file_of(last), "read", f"reading failed: {describe(exc)}")
            return
        last = item.source
        yield item


def files_of(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Every file under ``paths`` in the order the readers visit them."""
    from newsdesk.ingest import walk

    for item in paths:
        path = Path(item)
        if path.is_dir():
            yield from walk(path)
        else:
            yield path


def read_paths(paths: Iterable[str | Path], options: Options) -> Iterator[Item]:
    """Raw records of every file under ``paths``, each file guarded on its own."""
    from newsdesk.ingest import read_file

    for file in files_of(paths):
        yield from guarded(read_file(file, options), str(file))


def cut(entries: Iterable[Entry], size: int) -> Iterator[Batch]:
    """Entries in numbered batches: a batch closes at ``size`` articles (or
    analyses), or at four times that many entries when a rerun finds mostly
    duplicates (so progress and memory stay even). The cut depends only on the
    input, never on timing, so every engine writes the same batches."""
    batch = Batch(0)
    articles = 0
    for entry in entries:
        batch.entries.append(entry)
        articles += _is_article(entry)
        if articles >= size or len(batch.entries) >= 4 * size:
            yield batch
            batch, articles = Batch(batch.seq + 1), 0
    if batch.entries:
        yield batch


def _is_article(entry: Entry) -> bool:
    """An entry that was an article when read (analysed or not, or refused by the
    analyser): what batch sizes count, before and after analysis alike."""
    failed_analysis = entry.failure is not None and entry.failure.stage == "analyse"
    return entry.article is not None or entry.analysis is not None or failed_analysis


def _file_of(source: str) -> str:
    """``path#3`` (record 3 of a JSONL/WARC file) -> ``path``."""
    return source.split("#", 1)[0]


class Reader:
    """Cleans records into entries and cuts them into batches of ``batch_size`` articles.

    ``store`` None (one-shot analysis) skips nothing; otherwise an article whose id
    is stored or pending (read this run, its batch not yet written) is a duplicate.
    The writer calls :meth:`written` with the ids it has dealt with."""

    def __init__(
        self, options: Options, state: IngestProgress, notify: Callable[[], None], store: Store | None = None
    ) -> None:
        self.options, self.state, self.notify, self.store = options, state, notify, store
        self.pending: set[str] = set()
        self._last_file: str | None = None

    def batches(self, items: Iterable[RawArticle | InputError | Failure]) -> Iterator[Batch]:
        """Batches in input order, numbered from 0 (see :func:`cut`)."""
        return cut(self.entries(items), max(1, self.options.batch_size))

    def entries(self, items: Iterable[RawArticle | InputError | Failure]) -> Iterator[Entry]:
        for item in guarded(items):  # type: ignore[arg-type]
            entry = self._entry(item)
            self._saw(entry.source)
            if entry.failure is not None:
                self.state.failed += 1
            elif entry.duplicate:
                self.state.skipped += 1
            else:
                self.state.read += 1
            self.notify()
            yield entry

    def _entry(self, item: Item) -> Entry:
        if isinstance(item, Failure):
            return Entry(item.source, failure=item)
        if isinstance(item, InputError):
            failure = Failure.of_input_error(item, "read")
            return Entry(failure.source, failure=failure)
        try:
            article = clean(item, self.options)
        except InputError as error:
            failure = Failure.of_input_error(error, "clean")
            return Entry(failure.source, failure=failure)
        except Exception as exc:  # noqa: BLE001 - one odd record must not stop the batch
            return Entry(item.source, failure=Failure(item.source, "clean", f"cleaning failed: {describe(exc)}"))
        if self.store is not None:
            if article.id in self.pending or self.store.has_article(article.id):
                return Entry(article.source, duplicate=True, article_id=article.id)
            self.pending.add(article.id)
        return Entry(article.source, article=article)

    def written(self, article_ids: Iterable[str]) -> None:
        """The writer is done with these ids (stored, or failed): stop tracking them."""
        self.pending.difference_update(article_ids)

    def _saw(self, source: str) -> None:
        file = _file_of(source)
        if file != self._last_file:
            self.state.files += 1
            self._last_file = file
        self.state.source = source
