"""JSONL reader: one article per line, as scrapers and news APIs export them.

Recognised keys: ``title``, ``text`` or ``html`` (one is required), ``url``,
``published`` (ISO or any common date shape), ``outlet``, ``language``. When a
record has ``html``, the HTML reader extracts the body and the record's own
fields override what the page says. A broken line yields one error naming the
line number and the remaining lines are still read.

Hostile lines cost only themselves: a line is read in bounded chunks and refused
as soon as it passes ``options.max_bytes`` (the rest of it is skipped unread into
memory), JSON nested too deep or holding a number of thousands of digits is a
record error, lone surrogates (``"\ud800"``) become U+FFFD, and a ``published``
value that is not a real date in range is refused with the reason.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from newsdesk.errors import (
    BadDateError,
    EmptyInputError,
    InputError,
    InputTooLargeError,
    MalformedRecordError,
)
from newsdesk.ingest.decode import decode_bytes
from newsdesk.ingest.html import parse_html
from newsdesk.ingest.when import DateRefused, read_date
from newsdesk.model import RawArticle
from newsdesk.options import Options
from newsdesk.safetext import scrub_surrogates

_STRING_FIELDS = ("title", "text", "html", "url", "outlet", "language")


def parse_record(data: Any, source: str, line: int, options: Options) -> RawArticle:
    """Turn one decoded JSON value into a RawArticle (``source#line``)."""
    if not isinstance(data, dict):
        raise MalformedRecordError(source, f"expected a JSON object, got {type(data).__name__}", line)
    for key in _STRING_FIELDS:
        if data.get(key) is not None and not isinstance(data[key], str):
            raise MalformedRecordError(source, f"field '{key}' must be a string", line)
        if isinstance(data.get(key), str):
            data[key] = scrub_surrogates(data[key])
    try:
        published = read_date(data.get("published"), options.limits) or options.published
    except DateRefused as exc:
        raise BadDateError(source, f"field 'published': {exc}", line) from None
    text, html = (data.get("text") or "").strip(), (data.get("html") or "").strip()
    if text:
        article = RawArticle(source=f"{source}#{line}", text=text, format="jsonl", published=published)
    elif html:
        article = parse_html(html, source, url=data.get("url"), published=published, record=line)
        article.format = "jsonl"
    else:
        raise EmptyInputError(source, "record has no 'text' or 'html'", line)
    article.title = (data.get("title") or "").strip() or article.title
    article.url = data.get("url") or article.url
    article.outlet = data.get("outlet") or article.outlet
    article.language = data.get("language") or article.language
    return article


def read_jsonl(path: Path, options: Options) -> Iterator[RawArticle | InputError]:
    """Stream a JSONL file line by line; ``options.max_bytes`` caps each line.

    A JSONL dump of a crawl is routinely bigger than any single article, so the
    size limit applies per record rather than to the whole file.
    """
    source = str(path)
    seen = 0
    with path.open("rb") as handle:
        for line_number, raw_line, size in _lines(handle, options):
            if raw_line is not None and not raw_line.strip():
                continue
            seen += 1
            try:
                if raw_line is None:
                    raise InputTooLargeError(
                        source, f"record is {size:,} bytes, over the limit of {options.max_bytes:,}", line_number
                    )
                yield parse_record(_load(raw_line, source, line_number, options), source, line_number, options)
            except InputError as error:
                yield error
    if seen == 0:
        yield EmptyInputError(source, "file is empty")


def _lines(handle: IO[bytes], options: Options) -> Iterator[tuple[int, bytes | None, int]]:
    """(line number, bytes or None when over the limit, size) for every line.

    Reads at most ``read_chunk_bytes`` at a time: a line over ``max_bytes`` is
    counted through to its end but never held, so a 300 MB line costs one chunk.
    """
    chunk = max(1, options.limits.read_chunk_bytes)
    number = 0
    while True:
        part = handle.readline(chunk)
        if not part:
            return
        number += 1
        parts, size = [part], len(part)
        while not part.endswith(b"\n"):
            part = handle.readline(chunk)
            if not part:
                break
            size += len(part)
            if size > options.max_bytes:
                parts.clear()
            else:
                parts.append(part)
        yield number, (b"".join(parts) if size <= options.max_bytes else None), size


def _load(raw_line: bytes, source: str, line_number: int, options: Options) -> Any:
    """Decode and parse one line; deep nesting and huge numbers are record errors."""
    try:
        line = decode_bytes(raw_line, source)
    except InputError as exc:
        raise type(exc)(source, exc.message, line_number) from exc
    digits = options.limits.max_number_digits

    def parse_int(text: str) -> int:
        if len(text.lstrip("-")) > digits:
            raise ValueError(f"a number of {len(text):,} digits (limit {digits:,})")
        return int(text)

    try:
        return json.loads(line, parse_int=parse_int)
    except json.JSONDecodeError as exc:
        raise MalformedRecordError(source, f"malformed JSON: {exc.msg} (column {exc.colno})", line_number) from None
    except RecursionError:
        raise MalformedRecordError(source, "malformed JSON: nested too deeply", line_number) from None
    except ValueError as exc:  # parse_int above, or Python's own digit limit on floats
        raise MalformedRecordError(source, f"malformed JSON: {exc}", line_number) from None
