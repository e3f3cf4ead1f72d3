"""Readers: files and folders in, :class:`~newsdesk.model.RawArticle` records out.

One reader per format (``text``, ``html``, ``jsonl``, ``warc``). The format comes
from the extension and, when that says nothing, from the first bytes. Errors are
*yielded*, never raised, so a batch of ten thousand files goes on past a bad one
and reports every failure at the end; each error names the file and, for
multi-record files, the line or record (``crawl.jsonl:3: malformed JSON: ...``).
"""

from __future__ import annotations

import os
import stat
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from newsdesk.errors import InputError
from newsdesk.ingest.decode import read_head
from newsdesk.ingest.html import read_html
from newsdesk.ingest.jsonl import read_jsonl
from newsdesk.ingest.text import read_text
from newsdesk.ingest.warc import read_warc
from newsdesk.model import RawArticle
from newsdesk.options import Options

__all__ = ["READERS", "detect_format", "iter_sources", "read_file"]

Reader = Callable[[Path, Options], Iterator[RawArticle | InputError]]

READERS: dict[str, Reader] = {
    "text": read_text,
    "html": read_html,
    "jsonl": read_jsonl,
    "warc": read_warc,
}

_EXTENSIONS = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".warc": "warc",
    ".warc.gz": "warc",
    ".arc": "warc",
    ".arc.gz": "warc",
}
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<article", b"<p>", b"<div")


def detect_format(path: Path) -> str:
    """``text``, ``html``, ``jsonl`` or ``warc``: by extension, else by the first bytes.

    Unknown, unreadable or binary files fall back to ``text``; the text reader then
    gives the precise error (binary, empty, encoding).
    """
    name = path.name.lower()
    for suffix in sorted(_EXTENSIONS, key=len, reverse=True):
        if name.endswith(suffix):
            return _EXTENSIONS[suffix]
    return sniff_format(path)


def sniff_format(path: Path) -> str:
    """Guess a format from content: WARC header, gzip'd WARC, JSON object lines, HTML tags."""
    try:
        head = read_head(path, 4096)
    except (OSError, EOFError, zlib.error):
        return "text"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith((b"WARC/", b"filedesc://")):
        return "warc"
    if stripped.startswith(b"{") and b'"' in stripped[:200]:
        return "jsonl"
    lowered = stripped[:1024].lower()
    if lowered.startswith(b"<") and any(marker in lowered for marker in _HTML_MARKERS):
        return "html"
    return "text"


def read_file(path: str | Path, options: Options) -> Iterator[RawArticle | InputError]:
    """Every article (or error) in one file, whatever its format.

    Only regular files are opened: a FIFO would block the run forever, a device
    would stream without end, so they are refused by name with what they are."""
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        yield InputError(str(path), "no such file")
        return
    except OSError as exc:
        yield InputError(str(path), f"cannot read: {_os_reason(exc)}")
        return
    if not stat.S_ISREG(mode):
        yield InputError(str(path), f"not a regular file ({_file_kind(mode)}), skipped")
        return
    try:
        fmt = detect_format(path)
        yield from READERS[fmt](path, options)
    except OSError as exc:  # permission denied, vanished mid-read, I/O error
        yield InputError(str(path), f"cannot read: {_os_reason(exc)}")


def _os_reason(exc: OSError) -> str:
    """The operating system's words for an error (``Permission denied``), no Python repr."""
    return exc.strerror or type(exc).__name__


def _file_kind(mode: int) -> str:
    kinds = (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    )
    return next((name for test, name in kinds if test(mode)), "not a file")


def walk(path: Path, errors: list[InputError] | None = None) -> Iterator[Path]:
    """Files under a directory, sorted, skipping hidden files and folders.

    A sub-folder that cannot be listed (permissions) is not skipped silently: it is
    appended to ``errors`` (when given) as one error naming it."""

    def failed(exc: OSError) -> None:
        if errors is not None:
            errors.append(InputError(str(exc.filename or path), f"cannot read folder: {_os_reason(exc)}"))

    for root, dirs, files in os.walk(path, onerror=failed):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root) / name


def iter_sources(paths: Iterable[str | Path], options: Options) -> Iterator[RawArticle | InputError]:
    """Articles and errors from files and directories (walked recursively, sorted)."""
    for item in paths:
        path = Path(item)
        if path.is_dir():
            errors: list[InputError] = []
            for file in walk(path, errors):
                yield from errors
                errors.clear()
                yield from read_file(file, options)
            yield from errors
        else:
            yield from read_file(path, options)
