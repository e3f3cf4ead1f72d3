"""HTML reader: trafilatura finds the article body and its metadata.

We rely on trafilatura (``bare_extraction``) rather than our own boilerplate
removal: it is the best-scoring open extractor on the article-extraction
benchmark. Its output still carries residue (teasers, newsletter blocks, tag
lines); :mod:`newsdesk.clean` removes that line by line and records each cut.
Each line trafilatura returns is a block (paragraph, heading, list item), so we
turn its single newlines into blank lines: the paragraph convention of
:class:`~newsdesk.model.RawArticle`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from datetime import date
from functools import lru_cache
from pathlib import Path

import trafilatura

from newsdesk.errors import InputError, MalformedRecordError, NoArticleError
from newsdesk.ingest.decode import decode_bytes, read_bytes
from newsdesk.ingest.when import parse_date
from newsdesk.model import RawArticle
from newsdesk.options import Options

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
_WORD = re.compile(r"\w+")
_HTML_LANG = re.compile(r"""<html[^>]*?\blang\s*=\s*["']?([A-Za-z]{2,3})\b""", re.I)


@lru_cache(maxsize=1)
def _min_article_words() -> int:
    settings = tomllib.loads((Path(__file__).parent.parent / "data" / "ingest.toml").read_text("utf-8"))
    return int(settings["html"]["min_article_words"])


def declared_charset(data: bytes) -> str | None:
    """The ``<meta charset>`` (or http-equiv) encoding a page declares in its head."""
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii").lower() if match else None


def parse_html(
    html: str,
    source: str,
    url: str | None = None,
    published: date | None = None,
    record: int | None = None,
) -> RawArticle:
    """Extract the article of one HTML page.

    ``url`` and ``published`` are fallbacks from the container (WARC headers,
    JSONL fields) used when the page itself carries none. Raises NoArticleError
    when trafilatura finds no main text, MalformedRecordError when the markup
    cannot be parsed at all.
    """
    try:
        document = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=True
        )
    except Exception as exc:  # lxml raises a zoo of parser errors on broken markup
        raise MalformedRecordError(source, f"unparseable HTML: {exc}", record) from exc
    text = (getattr(document, "text", None) or "").strip() if document is not None else ""
    if len(_WORD.findall(text)) < _min_article_words():
        raise NoArticleError(source, "no article text found in the HTML page", record)
    paragraphs = [line.strip() for line in text.split("\n") if line.strip()]
    lang = document.language or _html_lang(html)
    return RawArticle(
        source=source if record is None else f"{source}#{record}",
        text="\n\n".join(paragraphs),
        format="html",
        title=(document.title or "").strip() or None,
        outlet=document.sitename or document.hostname or None,
        url=document.url or url,
        language=lang.lower() if lang else None,
        published=parse_date(document.date) or published,
    )


def _html_lang(html: str) -> str | None:
    match = _HTML_LANG.search(html[:4096])
    return match.group(1) if match else None


def read_html(path: Path, options: Options) -> Iterator[RawArticle | InputError]:
    """Yield the one article of an HTML file, or the error that stopped it."""
    source = str(path)
    try:
        data = read_bytes(path, options.max_bytes, source)
        html = decode_bytes(data, source, declared_charset(data))
        yield parse_html(html, source, published=options.published)
    except InputError as error:
        yield error
