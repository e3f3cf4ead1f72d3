"""The plain rows that travel through the Ray Data pipeline, and the per-row work.

Nothing here imports Ray: these are the functions Ray runs on its workers
(``expand_file`` inside ``flat_map``, :class:`AnalyzeActor` inside ``map_batches``),
kept importable and testable without a cluster. Rows are flat dicts of strings
(JSON text for records) because Arrow blocks want one stable column type; an empty
string stands for "none" so a block of only errors has the same schema as a block
of only articles.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Mapping, Sequence
from typing import Any

from newsdesk.ingest import read_file
from newsdesk.ingestor.reading import Reader, guarded
from newsdesk.ingestor.records import STAGES, Failure, IngestProgress
from newsdesk.model import (
    Analysis,
    Article,
    analysis_from_dict,
    article_from_dict,
    to_dict,
)
from newsdesk.options import Options

ARTICLE = "article"  # a cleaned article, to be analysed
ERROR = "error"  # an input that could not be read
DUPLICATE = "duplicate"  # already in the store when the run started: not analysed
# A record refused by a later stage: ``error:clean``, ``error:analyse``.
FAILED_PREFIX = "error:"

COLUMNS = ("kind", "source", "article_id", "article", "analysis", "error")
RESULT_COLUMNS = ("kind", "source", "article_id", "analysis", "error")


def _row(kind: str, source: str, article_id: str = "", article: str = "", error: str = "") -> dict[str, str]:
    return {
        "kind": kind,
        "source": source,
        "article_id": article_id,
        "article": article,
        "analysis": "",
        "error": error,
    }


def dumps(record: Any) -> str:
    """JSON text of a record (``to_dict``), compact: rows cross process boundaries."""
    return json.dumps(to_dict(record), ensure_ascii=False, separators=(",", ":"))


def failure_row(failure: Failure) -> dict[str, str]:
    """The row of a failed record: its source key, its stage in ``kind`` and the
    one-line message in ``error`` (the writer rebuilds the Failure from them)."""
    kind = ERROR if failure.stage == "read" else FAILED_PREFIX + failure.stage
    return _row(kind, failure.source, error=str(failure))


def failure_of(row: Mapping[str, Any]) -> Failure:
    """The Failure of an ``error`` or ``error:<stage>`` row."""
    kind = str(row["kind"])
    stage = "read" if kind == ERROR else kind[len(FAILED_PREFIX) :]
    if stage not in STAGES:
        stage = "read"
    return Failure.from_line(str(row["source"]), stage, str(row["error"]))  # type: ignore[arg-type]


def is_failure(kind: str) -> bool:
    return kind == ERROR or kind.startswith(FAILED_PREFIX)


def expand_file(row: Mapping[str, Any], options: Options, known_ids: Collection[str] = ()) -> Iterator[dict[str, str]]:
    """One input file -> one row per article (or error) in it, in file order.

    Uses the very readers and reader stage of the local ingestor (each record
    isolated), so a JSONL dump or a WARC shard expands to the same articles and
    failures here as there. ``known_ids`` (ids stored before the run) are emitted
    as ``duplicate`` rows instead of being analysed again, which is what makes a
    resumed Ray ingest cheap.
    """
    reader = Reader(options, IngestProgress(), lambda: None)
    path = str(row["path"])
    for entry in reader.entries(guarded(read_file(path, options), path)):
        if entry.failure is not None:
            yield failure_row(entry.failure)
        elif entry.article is not None:
            article = entry.article
            if article.id in known_ids:
                yield _row(DUPLICATE, article.source, article.id)
            else:
                yield _row(ARTICLE, article.source, article.id, article=dumps(article))


class AnalyzeActor:
    """A Ray Data callable class: the spaCy model is loaded once per actor.

    ``__init__`` runs once when Ray starts the actor, so each worker process pays for
    ``load_model`` once and then parses batch after batch; the model itself never
    enters the object store (it is large and not meant to be pickled). ``__call__``
    takes a batch of rows and returns the same rows with ``analysis`` filled in (the
    ``to_dict`` JSON of :func:`~newsdesk.analyze.pipeline.analyze_doc`, the function
    the local engine runs) and the bulky ``article`` column dropped.
    """

    def __init__(self, options: Options) -> None:
        from newsdesk.analyze.pipeline import load_model

        self.options = options
        self.nlp = load_model(options.model)

    def analyze(self, articles: Sequence[Article]) -> list[Analysis | Failure]:
        """The ingestor's analyse stage: ``nlp.pipe`` over the batch, article by
        article when something in it fails."""
        from newsdesk.ingestor.analysis import analyse_articles

        return analyse_articles(articles, self.options)

    def __call__(self, batch: Mapping[str, Sequence[Any]]) -> dict[str, list[str]]:
        kinds = [str(k) for k in batch["kind"]]
        wanted = [i for i, kind in enumerate(kinds) if kind == ARTICLE]
        articles = [article_from_dict(json.loads(batch["article"][i])) for i in wanted]
        out = {name: [str(v) for v in batch[name]] for name in RESULT_COLUMNS if name != "analysis"}
        analyses = [""] * len(kinds)
        for i, result in zip(wanted, self.analyze(articles), strict=True):
            if isinstance(result, Failure):
                failed = failure_row(result)
                out["kind"][i], out["error"][i] = failed["kind"], failed["error"]
            else:
                analyses[i] = dumps(result)
        out["analysis"] = analyses
        return out


def analysis_of(row: Mapping[str, Any]) -> Analysis:
    """The Analysis record of an ``article`` result row."""
    return analysis_from_dict(json.loads(row["analysis"]))
