"""Plain-text reader (``.txt``, ``.md``): the format the seed scrapes come in.

Convention of scraped text dumps: the first non-empty line is the headline and
the rest is the article, paragraphs separated by blank lines. Nothing is removed
here; residue (teasers, comment prompts, repeated headlines) is the cleaner's job
so that every cut is recorded in one place.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

from newsdesk.errors import EmptyInputError, InputError
from newsdesk.ingest.decode import decode_bytes, read_bytes
from newsdesk.model import RawArticle
from newsdesk.options import Options


def parse_text(text: str, source: str, published_fallback: date | None = None) -> RawArticle:
    """Split ``text`` into headline (first non-empty line) and the rest.

    A Markdown heading marker (``# Title``) on the first line is stripped.
    """
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if line.strip():
            title = line.strip().lstrip("#").strip()
            rest = "\n".join(lines[index + 1 :]).strip("\n")
            break
    else:
        raise EmptyInputError(source, "no text (empty or whitespace only)")
    if not rest.strip():
        raise EmptyInputError(source, "only a title line, no article text")
    return RawArticle(source=source, text=rest, format="text", title=title or None, published=published_fallback)


def read_text(path: Path, options: Options) -> Iterator[RawArticle | InputError]:
    """Yield the one article of a text file, or the error that stopped it."""
    source = str(path)
    try:
        text = decode_bytes(read_bytes(path, options.max_bytes, source), source)
        yield parse_text(text, source, options.published)
    except InputError as error:
        yield error
