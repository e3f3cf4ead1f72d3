"""One-shot analysis of files, with no store: read -> clean -> analyze.

This is the library function behind ``newsdesk analyze``. It runs the ingestor's
reader and analysers (``options.workers`` processes, or this one), so bad inputs
never stop the batch: each becomes a one-line failure naming the file (and line or
record) and the stage, and the caller decides the exit status from how many inputs
succeeded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from newsdesk.ingestor.pool import analysed
from newsdesk.ingestor.reading import Reader, read_paths
from newsdesk.ingestor.records import Failure, IngestProgress, IngestReport
from newsdesk.model import Analysis, Article
from newsdesk.options import Options


@dataclass
class OneShotResult:
    analyses: list[Analysis] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    worker_deaths: list[str] = field(default_factory=list)


def clean_sources(paths: Iterable[str | Path], options: Options, failures: list[str]) -> Iterator[Article]:
    """Cleaned articles from ``paths``; unreadable inputs are appended to ``failures``.

    (``clean`` gives articles that carry no date ``options.published``.)
    """
    reader = Reader(options, IngestProgress(), lambda: None)
    for entry in reader.entries(read_paths(paths, options)):
        if entry.failure is not None:
            failures.append(str(entry.failure))
        elif entry.article is not None:
            yield entry.article


def analyze_paths(
    paths: Iterable[str | Path],
    options: Options,
    on_article: Callable[[Analysis], None] | None = None,
) -> OneShotResult:
    """Analyze every article found under ``paths``, in input order; ``on_article``
    is called after each (the CLI uses it to advance its progress bar)."""
    result = OneShotResult()
    report = IngestReport()
    reader = Reader(options, IngestProgress(), lambda: None)
    for batch in analysed(reader.batches(read_paths(paths, options)), options, report):
        for entry in batch.entries:
            if entry.failure is not None:
                result.failures.append(str(entry.failure))
            elif entry.analysis is not None:
                result.analyses.append(entry.analysis)
                if on_article is not None:
                    on_article(entry.analysis)
    result.worker_deaths = report.worker_deaths
    return result


__all__ = ["Failure", "OneShotResult", "analyze_paths", "clean_sources"]
