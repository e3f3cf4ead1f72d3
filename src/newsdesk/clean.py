"""Cleaning: a RawArticle becomes an Article with a residue-free body.

Scrapes carry page furniture next to the reporting: "READ MORE:" teasers,
comment prompts, aggregator tags, the headline repeated as a kicker, newsletter
and share prompts, link lists, photo credits, cookie notices. Left in, they turn
into fake quotes, fake entities and fake claims downstream, so every such line is
removed here, and kept as a :class:`~newsdesk.model.DroppedLine` with a short
machine-readable reason so that an analyst can audit each cut.

The rules live in ``data/residue.toml`` and :mod:`newsdesk.residue`. A line is
only ever dropped whole and only when a rule says so.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from newsdesk.analyze.bounds import check_article
from newsdesk.config import settings as config_settings
from newsdesk.errors import BadDateError, InputError
from newsdesk.ingest.when import DateRefused, read_date
from newsdesk.model import Article, DroppedLine, RawArticle
from newsdesk.options import Options
from newsdesk.residue import (
    Residue,
    headline_forms,
    is_repeated_headline,
    load_residue,
    matching_rule,
    normalise_line,
    repeats_headline_exactly,
)
from newsdesk.residue import word_count as _words
from newsdesk.safetext import scrub_surrogates

__all__ = ["clean", "clean_all", "detect_standfirst", "guess_language"]

_DATA = Path(__file__).parent / "data"
_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?][\"”’»)]?$")
_OPENING_QUOTE = re.compile(r"^[\"“‘«]")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _stopwords() -> tuple[float, dict[str, frozenset[str]]]:
    data = config_settings("stopwords")
    return data["min_ratio"], {lang: frozenset(words) for lang, words in data["languages"].items()}


def guess_language(text: str) -> str | None:
    """ISO 639-1 code of the language whose function words are most frequent, or None.

    A stopword ratio is crude but needs no model and is right on anything longer
    than a few sentences of prose, which is all an article body is.
    """
    tokens = [t.lower() for t in _WORD.findall(text[:20000])]
    if len(tokens) < 5:
        return None
    min_ratio, languages = _stopwords()
    scores = {lang: sum(t in words for t in tokens) / len(tokens) for lang, words in languages.items()}
    best = max(scores, key=scores.__getitem__)
    return best if scores[best] >= min_ratio else None


@dataclass
class _Line:
    block: int
    text: str
    position: int = 0


def _lines(text: str) -> list[_Line]:
    """Non-blank stripped lines with the index of the blank-line block they sit in."""
    lines: list[_Line] = []
    for block, chunk in enumerate(re.split(r"\n\s*\n", text)):
        for raw in chunk.split("\n"):
            stripped = _SPACES.sub(" ", raw).strip()
            if stripped:
                lines.append(_Line(block, stripped, len(lines)))
    return lines


def _paragraphs(kept: list[_Line]) -> list[str]:
    """Kept lines -> paragraphs. Lines of one block are joined when hard-wrapped
    (previous line does not end a sentence and the next starts in lower case);
    otherwise each line is a paragraph, as scrapes put one paragraph per line."""
    paragraphs: list[str] = []
    previous: _Line | None = None
    for line in kept:
        continues = (
            previous is not None
            and previous.block == line.block
            and not _SENTENCE_END.search(previous.text)
            and line.text[:1].islower()
        )
        if continues:
            paragraphs[-1] += " " + line.text
        else:
            paragraphs.append(line.text)
        previous = line
    return paragraphs


def detect_standfirst(paragraphs: list[str], after_headline: bool, residue: Residue | None = None) -> bool:
    """Whether the first paragraph is a standfirst (the summary under the headline).

    Conservative rule: a lede and a standfirst look alike, so we only call the first
    paragraph a standfirst when the page layout says so: it comes straight after a
    kicker block (partial or reworded headline lines that we dropped; an exact copy
    of the headline, like an HTML ``<h1>``, does not count), it is a short
    prose summary (``standfirst_min_words``..``standfirst_max_words`` words, ends
    like a sentence, does not open with a quote mark) and at least
    ``standfirst_min_following`` body paragraphs follow it. Otherwise the first
    paragraph stays in the body: losing a standfirst into the body costs nothing,
    while cutting a lede out of the body would hide reporting.
    """
    if not after_headline or not paragraphs:
        return False
    settings = (residue or load_residue()).settings
    first = paragraphs[0]
    words = _words(first)
    return (
        settings["standfirst_min_words"] <= words <= settings["standfirst_max_words"]
        and bool(_SENTENCE_END.search(first))
        and not _OPENING_QUOTE.match(first)
        and len(paragraphs) - 1 >= settings["standfirst_min_following"]
    )


def clean(raw: RawArticle, options: Options) -> Article:
    """Remove residue line by line; find title and standfirst; return the Article.

    ``Article.body`` is the kept paragraphs joined by blank lines (without the
    standfirst); ``Article.dropped`` lists the reader's cuts then ours, in order.
    Every source ends here, so this is where lone surrogates become U+FFFD (the
    content id and the store need valid UTF-8) and where a publication date out
    of range (``options.limits``) is refused with a :class:`BadDateError`, and an
    article over the analysis limits with an ``ArticleTooLongError``.
    """
    raw = _scrubbed(raw)
    published = _published(raw, options)
    residue = load_residue()
    settings = residue.settings
    title = _SPACES.sub(" ", raw.title).strip() if raw.title else None
    lines = _lines(raw.text)
    dropped = list(raw.dropped)  # the reader's cuts (HTML page furniture) come first
    forms = set(headline_forms(title, residue))
    kept: list[_Line] = []
    headline_end = -1  # index of the last kicker (reworded/partial headline) dropped near the top
    list_left = 0  # items still allowed in a link list after a "Most read" header
    for index, line in enumerate(lines):
        reason: str | None = None
        if index < settings["headline_zone_lines"] and is_repeated_headline(line.text, title, residue):
            reason = "repeated-headline"
            forms.add(normalise_line(line.text))  # the same kicker again further down goes too
            if default_process(line.text) != default_process(title or ""):
                headline_end = index  # a kicker/subhead, not just the <h1> copy
        elif repeats_headline_exactly(line.text, forms, title, residue):
            reason = "repeated-headline"
        else:
            rule = matching_rule(line.text, index, len(lines), residue)
            if rule is not None:
                reason = rule.reason
                list_left = settings["list_max_items"] if rule.list_follows else 0
            elif not _WORD.search(line.text):
                reason = "empty"
            elif list_left and _is_list_item(line.text, settings):
                reason = "related-links"
                list_left -= 1
            else:
                list_left = 0
        if reason:
            dropped.append(DroppedLine(line.text, reason))
        else:
            kept.append(line)
    paragraphs = _paragraphs(kept)
    after_headline = headline_end >= 0 and bool(kept) and kept[0].position > headline_end
    standfirst = _SPACES.sub(" ", raw.standfirst).strip() if raw.standfirst else None
    if standfirst:
        # The reader found the standfirst in the markup; drop a copy of it left in the body.
        if paragraphs and _same_paragraph(paragraphs[0], standfirst, settings):
            paragraphs = paragraphs[1:]
    elif detect_standfirst(paragraphs, after_headline, residue):
        standfirst, paragraphs = paragraphs[0], paragraphs[1:]
    body = "\n\n".join(paragraphs)
    article = Article(
        id=Article.content_id(title, body),
        source=raw.source,
        body=body,
        outlet=raw.outlet,
        url=raw.url,
        language=raw.language or guess_language(body or raw.text),
        title=title,
        standfirst=standfirst,
        published=published,
        dropped=dropped,
    )
    check_article(article, options.limits)  # refused here, before any model loads
    return article


def _scrubbed(raw: RawArticle) -> RawArticle:
    """``raw`` with lone surrogates replaced in every text field (usually unchanged)."""
    changes: dict[str, Any] = {
        name: scrub_surrogates(value)
        for name in ("source", "text", "title", "outlet", "url", "language", "standfirst")
        if isinstance(value := getattr(raw, name), str) and scrub_surrogates(value) is not value
    }
    if raw.dropped and any(scrub_surrogates(d.text) is not d.text for d in raw.dropped):
        changes["dropped"] = [DroppedLine(scrub_surrogates(d.text), d.reason) for d in raw.dropped]
    return dataclasses.replace(raw, **changes) if changes else raw


def _published(raw: RawArticle, options: Options) -> date | None:
    """The article's date (or the run's fallback), refused when out of range."""
    value = raw.published or options.published
    try:
        return read_date(value, options.limits)
    except DateRefused as exc:
        source, _, record = raw.source.partition("#")  # "feed.jsonl#7" -> "feed.jsonl:7:"
        raise BadDateError(source, f"publication date {exc}", record or None) from None


def _same_paragraph(a: str, b: str, settings: Mapping[str, Any]) -> bool:
    """Fuzzy equality of two paragraphs (rapidfuzz ratio on normalised text)."""
    return fuzz.ratio(normalise_line(a), normalise_line(b)) >= settings["standfirst_match_score"]


def _is_list_item(line: str, settings: Mapping[str, Any]) -> bool:
    """A headline-like link in a list: short and not ending like a sentence."""
    return _words(line) <= settings["list_item_max_words"] and not _SENTENCE_END.search(line)


def clean_all(items: Iterable[RawArticle | InputError], options: Options) -> Iterator[Article | InputError]:
    """``clean`` over a reader's stream: articles come out cleaned, and errors (the
    reader's, or a record ``clean`` refuses) come out as values, so every batch
    (one-shot, ingest, Ray workers) goes on past a bad record the same way."""
    for item in items:
        if isinstance(item, InputError):
            yield item
            continue
        try:
            yield clean(item, options)
        except InputError as error:
            yield error
