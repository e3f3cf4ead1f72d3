"""HTML reader: trafilatura finds the article body and its metadata.

We rely on trafilatura (``bare_extraction``) rather than our own boilerplate
removal: it is the best-scoring open extractor on the article-extraction
benchmark. Its output still carries residue (teasers, newsletter blocks, tag
lines); :mod:`newsdesk.clean` removes that line by line and records each cut.
Each line trafilatura returns is a block (paragraph, heading, list item), so we
turn its single newlines into blank lines: the paragraph convention of
:class:`~newsdesk.model.RawArticle`.

What trafilatura leaves out is not silently lost. An analyst auditing a cut needs
the whole record, so every visible text block of the page that is not part of the
extracted text goes into ``RawArticle.dropped``, with a reason read off the
block's semantic containers (``<nav>``, a ``comments`` section, a cookie banner;
the mapping is data in ``data/ingest.toml``). The page's standfirst (a dek
element under the ``<h1>``, or a first paragraph equal to the meta description)
goes to ``RawArticle.standfirst`` rather than the body.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import trafilatura
from lxml import etree
from rapidfuzz import fuzz
from trafilatura.utils import load_html

from newsdesk.config import settings as config_settings
from newsdesk.errors import InputError, MalformedRecordError, NoArticleError
from newsdesk.ingest.decode import decode_bytes, read_bytes
from newsdesk.ingest.when import parse_date
from newsdesk.model import DroppedLine, RawArticle
from newsdesk.options import Options
from newsdesk.residue import drop_reason, headline_forms, normalise_line

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_WORD = re.compile(r"\w+")
_HTML_LANG = re.compile(r"""<html[^>]*?\blang\s*=\s*["']?([A-Za-z]{2,3})\b""", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_TOKEN_ATTRIBUTES = ("class", "id", "role", "aria-label")
_TAG = re.compile(r"<(/?)([A-Za-z][\w:-]*)[^>]*?(/?)>")
_VOID_TAGS = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]
)
# libxml2's HTML parser builds no deeper tree than this (without "huge" mode).
_MAX_PARSER_DEPTH = 255
# Layout containers removed to flatten a pathologically nested page.
_CONTAINER_TAG = re.compile(r"</?(?:div|span|section|font|center|main|aside|article)\b[^>]*>", re.IGNORECASE)


@dataclass(frozen=True)
class _ReasonRule:
    reason: str
    tags: frozenset[str]
    classes: re.Pattern[str] | None


@dataclass(frozen=True)
class _HtmlSettings:
    """The ``[html]`` tables of ``data/ingest.toml``, compiled."""

    min_article_words: int
    block_tags: frozenset[str]
    skip_tags: frozenset[str]
    min_chars: int
    substring_min_words: int
    max_recorded: int
    rules: tuple[_ReasonRule, ...]
    outside_article_only: frozenset[str]
    article_tags: frozenset[str]
    default_reason: str
    dek_classes: re.Pattern[str]
    dek_max_siblings: int
    dek_match_score: int


@lru_cache(maxsize=1)
def _settings() -> _HtmlSettings:
    html: Mapping[str, Any] = config_settings("ingest")["html"]
    blocks, dropped, dek = html["blocks"], html["dropped"], html["standfirst"]
    rules = tuple(
        _ReasonRule(
            reason=rule["reason"],
            tags=frozenset(rule.get("tags", [])),
            classes=re.compile(rule["classes"], re.IGNORECASE) if rule.get("classes") else None,
        )
        for rule in dropped["rules"]
    )
    return _HtmlSettings(
        min_article_words=int(html["min_article_words"]),
        block_tags=frozenset(blocks["block_tags"]),
        skip_tags=frozenset(blocks["skip_tags"]),
        min_chars=int(blocks["min_chars"]),
        substring_min_words=int(blocks["substring_min_words"]),
        max_recorded=int(blocks["max_recorded"]),
        rules=rules,
        outside_article_only=frozenset(dropped["outside_article_only"]),
        article_tags=frozenset(dropped["article_tags"]),
        default_reason=dropped["default"],
        dek_classes=re.compile(dek["classes"], re.IGNORECASE),
        dek_max_siblings=int(dek["max_siblings"]),
        dek_match_score=int(dek["match_score"]),
    )


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
    """Extract the article of one HTML page, its standfirst and the record of what was left out.

    ``url`` and ``published`` are fallbacks from the container (WARC headers,
    JSONL fields) used when the page itself carries none. Raises NoArticleError
    when trafilatura finds no main text, MalformedRecordError when the markup
    cannot be parsed at all.
    """
    document, text = _extract(html, url, source, record)
    if len(_WORD.findall(text)) < _settings().min_article_words and nesting_depth(html) > _MAX_PARSER_DEPTH:
        # libxml2 stops building the tree at 256 levels: the text under them is
        # invisible to trafilatura. Flattened, the same page usually extracts.
        html = _CONTAINER_TAG.sub(" ", html)
        document, text = _extract(html, url, source, record)
        if len(_WORD.findall(text)) < _settings().min_article_words:
            raise NoArticleError(
                source,
                f"the page is nested deeper than {_MAX_PARSER_DEPTH} elements; no article text could be extracted",
                record,
            )
    if len(_WORD.findall(text)) < _settings().min_article_words:
        raise NoArticleError(source, "no article text found in the HTML page", record)
    paragraphs = [line.strip() for line in text.split("\n") if line.strip()]
    title = _SPACES.sub(" ", document.title or "").strip() or None
    page = _load_page(html)
    h1 = _first_h1(page) if page is not None else None
    # The <h1> counts as the headline too: a JSONL fragment has no <title> or og:title.
    forms = headline_forms(title) | headline_forms(h1)
    dek = _dek_text(page) if page is not None else None
    standfirst_index = _standfirst_paragraph(paragraphs, forms, (document.description, dek))
    extracted = _ExtractedText(paragraphs)
    standfirst = None
    if standfirst_index is not None:
        standfirst = paragraphs.pop(standfirst_index)
    elif dek and not extracted.contains(normalise_line(dek)):
        standfirst = dek  # shown on the page, left out by trafilatura
    dropped = (
        left_out_blocks(page, extracted, forms, skip={normalise_line(standfirst)} if standfirst else set())
        if page is not None
        else []
    )
    lang = document.language or _html_lang(html)
    return RawArticle(
        source=source if record is None else f"{source}#{record}",
        text="\n\n".join(paragraphs),
        format="html",
        title=title,
        outlet=document.sitename or document.hostname or None,
        url=document.url or url,
        language=lang.lower() if lang else None,
        published=parse_date(document.date) or published,
        dropped=dropped,
        standfirst=standfirst,
    )


def _extract(html: str, url: str | None, source: str, record: int | None) -> tuple[Any, str]:
    """trafilatura's document and its stripped main text ("" when none)."""
    try:
        document = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=True
        )
    except Exception as exc:  # lxml raises a zoo of parser errors on broken markup
        raise MalformedRecordError(source, "unparseable HTML markup", record) from exc
    text = (getattr(document, "text", None) or "").strip() if document is not None else ""
    return document, text


def nesting_depth(html: str) -> int:
    """The deepest element nesting of the markup, from its tags alone (no parse).

    Void elements (``<br>``, ``<img>``) and self-closed tags do not nest. Cheap
    and approximate, enough to tell a pathological page from a normal one."""
    depth = deepest = 0
    for match in _TAG.finditer(html):
        closing, name, selfclosed = match.group(1), match.group(2).lower(), match.group(3)
        if closing:
            depth = max(0, depth - 1)
        elif not selfclosed and name not in _VOID_TAGS:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def _load_page(html: str) -> etree._Element | None:
    """The page's ``<body>`` (or root, for a fragment), or None when lxml cannot read it."""
    try:
        root = load_html(html)
    except Exception:  # the article is already extracted; the record of cuts is best effort
        return None
    if root is None:
        return None
    body = root.find(".//body")
    return body if body is not None else root


class _ExtractedText:
    """Normalised extracted lines for a fast "is this block part of the article" test.

    A block counts as extracted when its normalised text is one of the lines (or a
    table cell of one: trafilatura writes rows as ``a | b``), which is a counted
    set lookup: a headline that sits on the page twice but was extracted once
    leaves one copy to record. Only a block of ``substring_min_words`` or more
    words also counts when it sits inside the extracted text (trafilatura merged
    it into a longer line). Short labels ("World", "News") are not looked up as
    substrings: they occur in any article and would hide the navigation they came
    from.
    """

    def __init__(self, paragraphs: list[str]) -> None:
        normal = [normalise_line(p) for p in paragraphs]
        self.lines = Counter(normal)
        for paragraph in paragraphs:
            if "|" in paragraph:
                self.lines.update(normalise_line(cell) for cell in paragraph.split("|"))
        self.joined = " " + " \n ".join(normal) + " "

    def contains(self, normal: str, consume: bool = False) -> bool:
        """Whether a normalised block is in the extracted text; ``consume`` uses up an exact line."""
        if normal in self.lines:  # a whole line: only as many copies as were extracted
            if self.lines[normal] <= 0:
                return False
            if consume:
                self.lines[normal] -= 1
            return True
        return len(normal.split()) >= _settings().substring_min_words and f" {normal} " in self.joined


def _standfirst_paragraph(
    paragraphs: list[str], forms: frozenset[str], candidates: tuple[str | None, ...]
) -> int | None:
    """Index of the first non-headline paragraph when it is the page's description or dek.

    The meta description (or the dek element) repeated as the first paragraph is
    the standfirst, not the lede: it is the summary the page shows under the
    headline. Fuzzy (rapidfuzz ratio on normalised text) because descriptions are
    often lightly edited copies.
    """
    first = next((i for i, p in enumerate(paragraphs) if normalise_line(p) not in forms), None)
    if first is None:
        return None
    normal = normalise_line(paragraphs[first])
    score = _settings().dek_match_score
    for candidate in candidates:
        if candidate and fuzz.ratio(normal, normalise_line(candidate)) >= score:
            return first
    return None


def _first_h1(page: etree._Element) -> str | None:
    h1 = next(page.iter("h1"), None)
    return _SPACES.sub(" ", h1.text_content()).strip() or None if h1 is not None else None


def _dek_text(page: etree._Element) -> str | None:
    """Text of a summary/dek/standfirst-classed element right after the first ``<h1>``."""
    settings = _settings()
    h1 = next(page.iter("h1"), None)
    if h1 is None:
        return None
    for anchor in (h1, h1.getparent()):
        if anchor is None:
            continue
        for sibling in list(anchor.itersiblings())[: settings.dek_max_siblings]:
            if not isinstance(sibling.tag, str) or _is_hidden(sibling):
                continue
            if any(settings.dek_classes.search(token) for token in _tokens(sibling)):
                text = _SPACES.sub(" ", sibling.text_content()).strip()
                if len(_WORD.findall(text)) >= 3:
                    return text
    return None


def visible_blocks(page: etree._Element) -> Iterator[tuple[str, etree._Element]]:
    """Each visible text block of a page with the element its text starts in.

    A block is the run of text between two block-level tags (``data/ingest.toml``
    lists them), whitespace collapsed; script/style/template/svg and hidden
    elements (``hidden``, ``aria-hidden``, ``display:none``) contribute nothing.
    Iterative, so a deeply nested page cannot hit the recursion limit.
    """
    settings = _settings()
    parts: list[str] = []
    owner: etree._Element | None = None

    def add(text: str | None, element: etree._Element | None) -> None:
        nonlocal owner
        if not text:
            return
        parts.append(text)  # whitespace too: it separates inline words ("<b>A</b> <i>B</i>")
        if owner is None and text.strip():
            owner = element

    def flush() -> tuple[str, etree._Element] | None:
        nonlocal owner
        block = _SPACES.sub(" ", "".join(parts)).strip()
        found = (block, owner) if len(block) >= settings.min_chars and owner is not None else None
        parts.clear()
        owner = None
        return found

    stack: list[tuple[bool, etree._Element]] = [(True, page)]
    while stack:
        entering, element = stack.pop()
        tag = _tag(element)
        is_block = tag in settings.block_tags
        if entering:
            if tag is None or tag in settings.skip_tags or _is_hidden(element):
                if element is not page:
                    add(element.tail, element.getparent())
                continue
            if is_block and (found := flush()):
                yield found
            add(element.text, element)
            stack.append((False, element))
            stack.extend((True, child) for child in reversed(element))
        else:
            if is_block and (found := flush()):
                yield found
            if element is not page:
                add(element.tail, element.getparent())
    if found := flush():
        yield found


def left_out_blocks(
    page: etree._Element, extracted: _ExtractedText, forms: frozenset[str], skip: set[str] | None = None
) -> list[DroppedLine]:
    """The visible blocks of ``page`` that are not in the extracted text, with reasons.

    Bounded: after ``max_recorded`` lines the rest is counted in one
    ``truncated-record`` line, so a page with thousands of links stays cheap.
    """
    settings = _settings()
    recorded: list[DroppedLine] = []
    more = 0
    skip = skip or set()
    for text, element in visible_blocks(page):
        normal = normalise_line(text)
        if not normal or normal in skip or extracted.contains(normal, consume=True):
            continue
        if len(recorded) >= settings.max_recorded:
            more += 1
            continue
        recorded.append(DroppedLine(text, block_reason(text, element, forms)))
    if more:
        recorded.append(DroppedLine(f"… {more} more lines", "truncated-record"))
    return recorded


def block_reason(text: str, element: etree._Element, forms: frozenset[str] = frozenset()) -> str:
    """Why a left-out block is not article text, from where it sits on the page.

    The headline (or a kicker part of it) is ``repeated-headline``. Otherwise the
    first rule of ``[html.dropped]`` that matches the element or any ancestor wins
    (rules are ordered from whole regions to details). A block with no telling
    container falls back to our residue rules on its text, then to
    ``not-main-content``.
    """
    settings = _settings()
    if normalise_line(text) in forms:
        return "repeated-headline"
    chain = [element, *element.iterancestors()]
    in_article = [any(_tag(a) in settings.article_tags for a in chain[i + 1 :]) for i in range(len(chain))]
    best: int | None = None
    for node, inside in zip(chain, in_article):
        tag = _tag(node)
        tokens = _tokens(node)
        for index, rule in enumerate(settings.rules[: best if best is not None else None]):
            tag_hit = tag in rule.tags and not (inside and tag in settings.outside_article_only)
            class_hit = rule.classes is not None and any(rule.classes.search(t) for t in tokens)
            if tag_hit or class_hit:
                best = index
                break
    if best is not None:
        return settings.rules[best].reason
    return drop_reason(text) or settings.default_reason


def _tag(element: etree._Element) -> str | None:
    """Lower-case local tag name, None for comments and processing instructions."""
    if not isinstance(element.tag, str):
        return None
    return etree.QName(element).localname.lower()


def _tokens(element: etree._Element) -> list[str]:
    return [token for attribute in _TOKEN_ATTRIBUTES for token in (element.get(attribute) or "").split()]


def _is_hidden(element: etree._Element) -> bool:
    return (
        element.get("hidden") is not None
        or (element.get("aria-hidden") or "").lower() == "true"
        or (element.get("type") or "").lower() == "hidden"
        or bool(_HIDDEN_STYLE.search(element.get("style") or ""))
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
