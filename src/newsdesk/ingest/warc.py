"""WARC / WARC.gz reader: articles from web-archive crawls (Common Crawl, Heritrix,
browsertrix).

Only ``response`` records with an HTML content type are articles; request,
metadata and non-HTML responses (images, scripts) are skipped silently. The
page's own date wins; ``WARC-Date`` (the capture time) is the fallback since a
page is usually captured soon after it is published. Records are numbered from 1
over every record in the file, so an error points at the record a WARC tool
(``warcio index``) would show. A truncated or corrupt archive yields the records
read so far plus one error naming the record where reading stopped.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeadersParserException

from newsdesk.errors import InputError, InputTooLargeError, MalformedRecordError
from newsdesk.ingest.decode import decode_bytes, read_head
from newsdesk.ingest.html import declared_charset, parse_html
from newsdesk.ingest.when import parse_date
from newsdesk.model import RawArticle
from newsdesk.options import Options

_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)
_HTML_TYPES = ("text/html", "application/xhtml+xml")
# What warcio, gzip and zlib raise on cut or garbled archives (AttributeError:
# warcio on a file that is not WARC at all).
_READ_ERRORS = (
    ArchiveLoadFailed,
    StatusAndHeadersParserException,
    EOFError,
    OSError,
    ValueError,
    zlib.error,
    AttributeError,
)


def _content_type(record) -> str:
    headers = record.http_headers
    value = headers.get_header("Content-Type") if headers else None
    return (value or record.rec_headers.get_header("Content-Type") or "").lower()


def read_warc(path: Path, options: Options) -> Iterator[RawArticle | InputError]:
    """Yield one RawArticle per HTML response record (``path#N``), errors in between.

    ``options.max_bytes`` applies per record: crawl files are gigabytes by design.
    """
    source = str(path)
    number = 0
    if not _starts_like_archive(path):
        yield MalformedRecordError(source, "not a WARC file (it does not start with a WARC/ARC header)", 1)
        return
    try:
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                number += 1
                wanted = record.rec_type == "response" and _content_type(record).startswith(_HTML_TYPES)
                payload = record.content_stream().read(options.max_bytes + 1) if wanted else b""
                _drain(record)
                if getattr(record.raw_stream, "limit", 0) > 0:
                    raise EOFError(f"record ends {record.raw_stream.limit:,} bytes early")
                if wanted:
                    yield _article(record, payload, _content_type(record), source, number, options)
    except _READ_ERRORS as exc:
        if number == 0:
            message = f"not a readable WARC file ({type(exc).__name__}: {exc})"
        else:
            message = f"truncated or corrupt WARC record ({type(exc).__name__}: {exc})"
        yield MalformedRecordError(source, message, max(number, 1))
        return
    if number == 0:
        yield MalformedRecordError(source, "no WARC records found (empty or not a WARC file)", 1)
    elif not _gzip_complete(path):
        yield MalformedRecordError(
            source, "truncated or corrupt WARC record (gzip stream ends early)", number + 1
        )


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


def _gzip_complete(path: Path) -> bool:
    """False when a gzipped WARC stops mid-member.

    warcio silently ends iteration at a cut gzip member, which would hide the loss
    of the last record; one streaming zlib pass over the members tells.
    """
    with path.open("rb") as handle:
        if handle.read(2) != b"\x1f\x8b":
            return True
        handle.seek(0)
        decompressor, fed = zlib.decompressobj(wbits=31), False
        while chunk := handle.read(1 << 20):
            while chunk:
                fed = True
                try:
                    decompressor.decompress(chunk)
                except zlib.error:
                    return False
                chunk = b""
                if decompressor.eof:
                    chunk = decompressor.unused_data
                    decompressor, fed = zlib.decompressobj(wbits=31), False
        return not fed


def _drain(record) -> None:
    """Read the rest of a record so a short (truncated) block shows in its limit."""
    while record.raw_stream.read(1 << 16):
        pass


def _article(
    record, payload: bytes, content_type: str, source: str, number: int, options: Options
) -> RawArticle | InputError:
    """One HTML response record -> RawArticle, or the InputError naming its record."""
    try:
        if len(payload) > options.max_bytes:
            raise InputTooLargeError(
                source, f"record is over the limit of {options.max_bytes:,} bytes", number
            )
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
