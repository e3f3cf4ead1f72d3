"""What travels through the ingestor and what it reports.

An :class:`Entry` is one input record on its way through the stages: it carries a
cleaned article to analyse, then its analysis, or a :class:`Failure`, or only the
fact that it was already stored. Entries travel in numbered :class:`Batch` es, so
the failures and duplicates of a batch reach the writer in input order together
with its articles, whichever process analysed them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from newsdesk.errors import InputError, NewsdeskError
from newsdesk.model import Analysis, Article

if TYPE_CHECKING:  # the store (SQLAlchemy) is not imported by analysis processes
    from newsdesk.store import AddOutcome

Stage = Literal["read", "clean", "analyse", "link", "store"]
STAGES: tuple[Stage, ...] = ("read", "clean", "analyse", "link", "store")


@dataclass(frozen=True)
class Failure:
    """One input that could not be stored.

    ``source`` is the input's key, as articles carry it (``dump.jsonl#3``: the
    failures table is keyed on it, and storing that source later clears the row);
    messages name it as reader errors do (``dump.jsonl:3``); ``stage`` says which
    step refused it and ``reason`` why. ``str()`` is the one-line report: the
    readers' own messages (read, clean) as they were; later stages name themselves."""

    source: str
    stage: Stage
    reason: str

    @property
    def where(self) -> str:
        return _RECORD.sub(r":\1", self.source)

    def _prefix(self) -> str:
        return f"{self.where}: " if self.stage in ("read", "clean") else f"{self.where}: {self.stage}: "

    def __str__(self) -> str:
        return self._prefix() + self.reason

    @classmethod
    def of_input_error(cls, error: InputError, stage: Stage) -> Failure:
        key = f"{error.source}#{error.record}" if error.record is not None else error.source
        return cls(key, stage, " ".join(error.message.split()))

    @classmethod
    def of_exception(cls, source: str, stage: Stage, exc: BaseException) -> Failure:
        return cls(source, stage, describe(exc))

    @classmethod
    def from_line(cls, source: str, stage: Stage, line: str) -> Failure:
        """The failure whose ``str()`` is ``line`` (rows and shards keep only the line)."""
        failure = cls(source, stage, line)
        prefix = failure._prefix()
        return cls(source, stage, line[len(prefix) :]) if line.startswith(prefix) else failure


# ``path#3`` -> ``path:3``: a record number (or WARC record name) after the last '#'.
_RECORD = re.compile(r"#([\w-]+)$")


@dataclass
class Entry:
    """One input record in a batch: exactly one of ``article`` (to analyse),
    ``analysis`` (analysed), ``failure`` is set, or ``duplicate`` (already stored)."""

    source: str
    article: Article | None = None
    analysis: Analysis | None = None
    failure: Failure | None = None
    duplicate: bool = False
    article_id: str | None = None  # of a duplicate: the stored article it repeats


@dataclass
class Batch:
    """Up to ``batch_size`` articles (plus the failures and duplicates read among
    them), numbered so the writer can put results back in input order."""

    seq: int
    entries: list[Entry] = field(default_factory=list)

    @property
    def articles(self) -> list[Article]:
        return [e.article for e in self.entries if e.article is not None]


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
    without analysis); ``failed`` one line per input that could not be stored (in
    input order), ``failures`` the same as records with their stage; ``stories``
    article id -> story id for the articles linked in this run; ``worker_deaths``
    one line per analysis process that died (its batch was retried)."""

    ingested: int = 0
    duplicates: int = 0
    near_duplicates: int = 0
    failed: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    stories: dict[str, str] = field(default_factory=dict)
    worker_deaths: list[str] = field(default_factory=list)
    outcomes: list[AddOutcome] = field(default_factory=list)

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

    def fail(self, failure: Failure) -> None:
        self.failures.append(failure)
        self.failed.append(str(failure))


ProgressCallback = Callable[[IngestProgress], None]


def describe(exc: BaseException) -> str:
    """A one-line reason: newsdesk's own messages as they are, anything else with
    its type (``RecursionError: maximum recursion depth exceeded``)."""
    if isinstance(exc, InputError):
        text = exc.message
    elif isinstance(exc, NewsdeskError):
        text = str(exc)
    else:
        text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    line = " ".join(text.split())
    return line[:500] or type(exc).__name__
