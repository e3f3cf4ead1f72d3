"""JSONL reader: one article per line, as scrapers and news APIs export them.

Recognised keys: ``title``, ``text`` or ``html`` (one is required), ``url``,
``published`` (ISO or any common date shape), ``outlet``, ``language``. When a
record has ``html``, the HTML reader extracts the body and the record's own
fields override what the page says. A broken line yields one error naming the
line number and the remaining lines are still read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from newsdesk.errors import (
    EmptyInputError,
    InputError,
    InputTooLargeError,
    MalformedRecordError,
)
from newsdesk.ingest.decode import decode_bytes
from newsdesk.ingest.html import parse_html
from newsdesk.ingest.when import parse_date
from newsdesk.model import RawArticle
from newsdesk.options import Options

_STRING_FIELDS = ("title", "text", "html", "url", "outlet", "language")


def parse_record(data: Any, source: str, line: int, options: Options) -> RawArticle:
    """Turn one decoded JSON value into a RawArticle (``source#line``)."""
    if not isinstance(data, dict):
        raise MalformedRecordError(source, f"expected a JSON object, got {type(data).__name__}", line)
    for key in _STRING_FIELDS:
        if data.get(key) is not None and not isinstance(data[key], str):
            raise MalformedRecordError(source, f"field '{key}' must be a string", line)
    published = parse_date(data.get("published")) or options.published
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
        for line_number, raw_line in enumerate(handle, start=1):
            if not raw_line.strip():
                continue
            seen += 1
            try:
                if len(raw_line) > options.max_bytes:
                    raise InputTooLargeError(
                        source, f"record is {len(raw_line):,} bytes, over the limit of {options.max_bytes:,}", line_number
                    )
                try:
                    line = decode_bytes(raw_line, source)
                except InputError as exc:
                    raise type(exc)(source, exc.message, line_number) from exc
                try:
                    data = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise MalformedRecordError(source, f"malformed JSON: {exc.msg} (column {exc.colno})", line_number) from exc
                yield parse_record(data, source, line_number, options)
            except InputError as error:
                yield error
    if seen == 0:
        yield EmptyInputError(source, "file is empty")
