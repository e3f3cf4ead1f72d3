"""Put one uploaded file or pasted text into the store, exactly as ``ingest`` would.

Why a temporary directory: the readers (text, HTML, JSONL, WARC) read paths, and
reusing them keeps format detection, decoding and extraction identical to
``newsdesk ingest``. The client never chooses that path: the file is written as
``upload<suffix>`` in a fresh private temporary directory (the suffix comes from
an allow-list, or none, in which case the readers sniff the bytes), and the
directory is removed before the response is sent. The client's file name only
survives as a label in the article's ``source``.
"""

from __future__ import annotations

import dataclasses
import re
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from newsdesk.errors import EmptyInputError, InputError
from newsdesk.ingest import read_file
from newsdesk.ingest.text import parse_text
from newsdesk.model import RawArticle
from newsdesk.options import Options
from newsdesk.store import Store
from newsdesk.web.deps import web_settings
from newsdesk.web.schemas import UploadResult

_UNSAFE = re.compile(r"[^\w.\- ]+")


@dataclass(frozen=True)
class UploadMeta:
    """Metadata typed into the form; each one overrides what the file says."""

    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: date | None = None


def display_name(filename: str | None) -> str:
    """The client's file name reduced to a harmless label (no folders, no odd bytes)."""
    if not filename:
        return "upload"
    base = PureWindowsPath(PurePosixPath(filename).name).name
    label = _UNSAFE.sub("_", base).strip(" ._") or "upload"
    return label[: int(web_settings()["upload"]["max_filename_chars"])]


def allowed_suffix(filename: str | None) -> str:
    """The file's extension when it is one the readers know, else '' (sniffed)."""
    name = (filename or "").lower()
    for suffix in sorted(web_settings()["upload"]["extensions"], key=len, reverse=True):
        if name.endswith(suffix):
            return str(suffix)
    return ""


def _apply_meta(raw: RawArticle, source: str, meta: UploadMeta) -> RawArticle:
    changes: dict[str, Any] = {"source": source}
    for name in ("title", "outlet", "url", "published"):
        value = getattr(meta, name)
        if value:
            changes[name] = value
    return dataclasses.replace(raw, **changes)


def _relabel(error: InputError, label: str) -> InputError:
    """The reader's error, naming the upload instead of the temporary path."""
    return type(error)(label, error.message, error.record)


def read_upload(data: bytes, filename: str | None, options: Options, meta: UploadMeta) -> list[RawArticle]:
    """The articles in an uploaded file (several for JSONL/WARC). Raises InputError
    naming the upload when none can be read."""
    label = f"upload:{display_name(filename)}"
    if not data.strip():
        raise EmptyInputError(label, "the uploaded file is empty")
    raws: list[RawArticle] = []
    first_error: InputError | None = None
    with tempfile.TemporaryDirectory(prefix="newsdesk-upload-") as folder:
        path = Path(folder) / f"upload{allowed_suffix(filename)}"
        path.write_bytes(data)
        for item in read_file(path, options):
            if isinstance(item, InputError):
                first_error = first_error or _relabel(item, label)
                continue
            record = item.source.split("#", 1)[1] if "#" in item.source else None
            raws.append(_apply_meta(item, f"{label}#{record}" if record else label, meta))
    if not raws:
        raise first_error or EmptyInputError(label, "no article found in the upload")
    return raws


def pasted_article(text: str, meta: UploadMeta) -> RawArticle:
    """Pasted text as a raw article: the typed title, or else the first line."""
    label = "paste"
    if not text.strip():
        raise EmptyInputError(label, "no text pasted")
    if meta.title:
        raw = RawArticle(source=label, text=text.strip(), format="text")
    else:
        raw = parse_text(text, label)
    return _apply_meta(raw, label, meta)


def store_articles(store: Store, raws: list[RawArticle], options: Options) -> UploadResult:
    """Clean, analyse, link and store the articles with the ingestor (in this
    process: the server keeps its model loaded); the result names the first.

    An article already stored is not analysed again (same id -> ``duplicate``).
    When none could be stored, the first failure is raised as an InputError (the
    route answers 400 with it), naming the upload, the stage and the reason."""
    from newsdesk.ingestor.engine import ingest_items

    report = ingest_items(raws, dataclasses.replace(options, workers=0), store=store)
    if not report.outcomes:
        failure = report.failures[0] if report.failures else None
        if failure is None:
            raise EmptyInputError(raws[0].source if raws else "upload", "no article found in the upload")
        where = failure.where
        message = failure.reason if failure.stage in ("read", "clean") else f"{failure.stage}: {failure.reason}"
        raise InputError(where, message)
    first = report.outcomes[0]
    return _result(store, first.article_id, first.status, first.duplicate_of)


def _result(store: Store, article_id: str, status: str, duplicate_of: str | None) -> UploadResult:
    return UploadResult(
        article_id=article_id,
        story_id=store.article_story(article_id),
        status=status,  # type: ignore[arg-type]
        duplicate_of=duplicate_of,
        url=f"/articles/{article_id}",
    )
