"""One-shot analysis of files, with no store: read -> clean -> analyze.

This is the library function behind ``newsdesk analyze``. Bad inputs never stop the
batch: each becomes a one-line failure naming the file (and line or record), and
the caller decides the exit status from how many inputs succeeded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from newsdesk.clean import clean_all
from newsdesk.errors import InputError
from newsdesk.ingest import iter_sources
from newsdesk.model import Analysis, Article
from newsdesk.options import Options


@dataclass
class OneShotResult:
    analyses: list[Analysis] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def clean_sources(
    paths: Iterable[str | Path], options: Options, failures: list[str]
) -> Iterator[Article]:
    """Cleaned articles from ``paths``; unreadable inputs are appended to ``failures``.

    (``clean`` gives articles that carry no date ``options.published``.)
    """
    for item in clean_all(iter_sources(paths, options), options):
        if isinstance(item, InputError):
            failures.append(str(item))
        else:
            yield item


def analyze_paths(
    paths: Iterable[str | Path],
    options: Options,
    on_article: Callable[[Analysis], None] | None = None,
) -> OneShotResult:
    """Analyze every article found under ``paths``; ``on_article`` is called after each
    (the CLI uses it to advance its progress bar)."""
    from newsdesk.analyze.pipeline import (
        analyze_each,  # spaCy loads only when analysing
    )

    result = OneShotResult()
    for analysis in analyze_each(clean_sources(paths, options, result.failures), options):
        if isinstance(analysis, InputError):  # over the analysis limits: refused, reported
            result.failures.append(str(analysis))
            continue
        result.analyses.append(analysis)
        if on_article is not None:
            on_article(analysis)
    return result
