"""WARC / WARC.gz reader: articles from web-archive crawls (Common Crawl, Heritrix,
browsertrix).

Only ``response`` records with an HTML content type are articles; request,
metadata and non-HTML responses (images, scripts) are skipped silently. The
page's own date wins; ``WARC-Date`` (the capture time) is the fallback since a
page is usually captured soon after it is published. Records are numbered from 1
over every record in the file, so an error points at the record a WARC tool
(``warcio index``) would show. A truncated or corrupt archive yields the records
read so far plus one error naming the record where reading stopped; in a
``.warc.gz`` (one gzip member per record) reading then goes on at the next
member, so a bad record costs only itself.

Gzip'd archives are decompressed by :class:`~newsdesk.ingest.gzipstream.BoundedGzipReader`,
which checks the decompressed size per gzip member and per file *while* it
streams (``options.limits``), so a gzip bomb stops at the limit with a message
instead of taking gigabytes. Errors say what is wrong in words (``malformed
record header``, ``file cut short``), never a Python exception name.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeadersParserException

from newsdesk.errors import InputError, InputTooLargeError, MalformedRecordError
from newsdesk.ingest.decode import decode_bytes, read_head
from newsdesk.ingest.gzipstream import BoundedGzipReader, DecompressedTooLarge, is_gzip
from newsdesk.ingest.html import declared_charset, parse_html
from newsdesk.ingest.when import parse_date
from newsdesk.model import RawArticle
from newsdesk.options import Options

_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_HTML_TYPES = ("text/html", "application/xhtml+xml")
# What a hostile or cut archive makes warcio, gzip and zlib raise, in words.
_REASONS: tuple[tuple[type[BaseException], str], ...] = (
    (EOFError, "file cut short"),
    (zlib.error, "corrupt gzip data"),
    (StatusAndHeadersParserException, "malformed record header"),
    (ArchiveLoadFailed, "not a WARC/ARC record"),
    (UnicodeError, "record header is not text"),
    (OSError, "read error"),
)


class _QuietIterator(ArchiveIterator):
    """warcio's iterator, made safe for hostile archives.

    warcio writes a warning straight to stderr when a record is not followed by
    its blank lines (a wrong Content-Length); we count it (``err_count``) and
    report it as the record's error instead. And its ``readline`` has no bound:
    a header "line" of a gigabyte is gathered whole, by repeated concatenation,
    in memory. Lines are read at most ``max_line`` bytes at a time here, so such
    a line is a malformed header, not an out-of-memory kill.
    """

    INC_RECORD = ""

    def __init__(self, stream: BinaryIO, max_line: int) -> None:
        super().__init__(stream)
        unbounded = self.reader.readline

        def readline(length: int | None = None) -> bytes:
            return unbounded(max_line if not length or length > max_line else length)

        self.reader.readline = readline


class _ShortRecord(Exception):
    """A record whose block is shorter than its Content-Length says."""


def _content_type(record) -> str:  # type: ignore[no-untyped-def]
    headers = record.http_headers
    value = headers.get_header("Content-Type") if headers else None
    return (value or record.rec_headers.get_header("Content-Type") or "").lower()


def read_warc(path: Path, options: Options) -> Iterator[RawArticle | InputError]:
    """Yield one RawArticle per HTML response record (``path#N``), errors in between.

    ``options.max_bytes`` applies per record: crawl files are gigabytes by design.
    """
    source = str(path)
    if not _starts_like_archive(path):
        yield MalformedRecordError(source, "not a WARC file (it does not start with a WARC/ARC header)", 1)
        return
    with path.open("rb") as handle:
        stream: BinaryIO = handle
        if is_gzip(handle):
            limits = options.limits
            stream = BoundedGzipReader(handle, limits.max_member_bytes, limits.max_file_bytes)  # type: ignore[assignment]
        walk = _Walk()
        while True:
            yield from _records(stream, source, options, walk)
            # In a .warc.gz each record is its own gzip member: a bad record (a bomb,
            # a garbled header) costs only itself; skip its member and read on.
            if not (walk.skip_member and isinstance(stream, BoundedGzipReader) and _skipped(stream, source, walk)):
                break
        yield from walk.failed
        if walk.clean_end:
            yield from _end_errors(stream, source, walk.number)


@dataclass
class _Walk:
    """Where a walk over the records stands: records numbered so far, and whether
    it stopped at a bad record whose gzip member can be skipped to read on."""

    number: int = 0
    skip_member: bool = False
    clean_end: bool = False
    failed: list[InputError] = field(default_factory=list)


def _skipped(stream: BoundedGzipReader, source: str, walk: _Walk) -> bool:
    try:
        return stream.skip_member()
    except DecompressedTooLarge as exc:  # the file limit, reached while skipping
        walk.failed.append(InputTooLargeError(source, str(exc), walk.number + 1))
        return False


def _end_errors(stream: BinaryIO, source: str, number: int) -> Iterator[InputError]:
    if getattr(stream, "truncated", False):
        yield MalformedRecordError(source, "truncated or corrupt WARC record (gzip data ends early)", number + 1)
    elif number == 0:
        yield MalformedRecordError(source, "no WARC records found (empty or not a WARC file)", 1)


def _records(stream: BinaryIO, source: str, options: Options, walk: _Walk) -> Iterator[RawArticle | InputError]:
    """Walk the records from ``walk.number``; an error while *finding* record N+1
    is reported as N+1, one while reading record N's block as N."""
    number, inside = walk.number, False
    walk.skip_member = walk.clean_end = False
    try:
        archive = _QuietIterator(stream, options.limits.max_header_line_bytes)
        iterator = iter(archive)
        while True:
            inside = False
            record = next(iterator, None)
            if archive.err_count:
                inside = number > 0  # the record before this point had the wrong length
                raise StatusAndHeadersParserException("record length does not match its Content-Length", "")
            if record is None:
                break
            number, inside = number + 1, True
            if not record.rec_type:
                raise StatusAndHeadersParserException("no WARC-Type", "")
            wanted = record.rec_type == "response" and _content_type(record).startswith(_HTML_TYPES)
            payload = record.content_stream().read(options.max_bytes + 1) if wanted else b""
            _drain(record)
            if wanted:
                yield _article(record, payload, _content_type(record), source, number, options)
    except DecompressedTooLarge as exc:
        walk.number, walk.skip_member = (number if inside else number + 1), exc.member
        yield InputTooLargeError(source, str(exc), walk.number)
        return
    except Exception as exc:  # noqa: BLE001  (warcio raises a zoo on hostile bytes: each is a record error)
        walk.number, walk.skip_member = (number if inside else number + 1), True
        yield MalformedRecordError(source, _reason(exc, number), walk.number)
        return
    walk.number, walk.clean_end = number, True


def _reason(exc: Exception, number: int) -> str:
    """A one-line reason in words; the exception text only where it is ours."""
    if isinstance(exc, _ShortRecord):
        return f"truncated or corrupt WARC record (record ends {exc} bytes early)"
    why = next((words for kind, words in _REASONS if isinstance(exc, kind)), "malformed record header or block")
    if number == 0:
        return f"not a readable WARC file ({why})"
    return f"truncated or corrupt WARC record ({why})"


def _starts_like_archive(path: Path) -> bool:
    """Whether the (decompressed) file starts with a WARC or ARC header.

    warcio reads any text as a lenient ARC record, so a stray text file named
    ``.warc`` would otherwise pass as an archive with nothing in it.
    """
    try:
        head = read_head(path, 64)
    except (OSError, EOFError, zlib.error):
        return False
    return head.lstrip(b"\r\n").startswith((b"WARC/", b"filedesc://"))


def _drain(record) -> None:  # type: ignore[no-untyped-def]
    """Read the rest of a record so a short (truncated) block shows in its limit."""
    while record.raw_stream.read(1 << 16):
        pass
    missing = getattr(record.raw_stream, "limit", 0)
    if missing > 0:
        raise _ShortRecord(f"{missing:,}")


def _article(
    record, payload: bytes, content_type: str, source: str, number: int, options: Options
) -> RawArticle | InputError:
    """One HTML response record -> RawArticle, or the InputError naming its record."""
    try:
        if len(payload) > options.max_bytes:
            raise InputTooLargeError(source, f"record is over the limit of {options.max_bytes:,} bytes", number)
        charset = _CHARSET.search(content_type)
        declared = charset.group(1) if charset else declared_charset(payload)
        try:
            html = decode_bytes(payload, source, declared)
        except InputError as exc:
            raise type(exc)(source, exc.message, number) from exc
        url = record.rec_headers.get_header("WARC-Target-URI")
        captured = parse_date(record.rec_headers.get_header("WARC-Date")) or options.published
        article = parse_html(html, source, url=url, published=captured, record=number)
        article.format = "warc"
        article.url = url or article.url
        return article
    except InputError as error:
        return error
