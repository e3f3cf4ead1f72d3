"""Bounds on what one article may cost the analyzer: refuse, or cut into pieces.

Why: spaCy refuses texts over ``nlp.max_length`` with a traceback (E088), and
even under it a pathological text costs minutes and gigabytes: a 900 KB
"sentence" with no full stop, or an article of ten thousand quotations. So:

* an article over ``limits.max_article_chars`` characters, or with more
  quotations than ``limits.max_quotes``, is refused with an
  :class:`~newsdesk.errors.ArticleTooLongError` naming the record;
* a text longer than ``limits.chunk_chars`` is parsed in pieces cut at
  paragraph breaks, then sentence ends, then spaces, and the pieces are joined
  back into one Doc whose offsets are those of the whole text;
* no sentence runs longer than ``limits.max_sentence_chars``: a run of text
  without a sentence end is given a sentence start at a space every so often,
  which the parser keeps (preset boundaries are constraints for it).
"""

from __future__ import annotations

import re

from newsdesk.errors import ArticleTooLongError
from newsdesk.limits import Limits
from newsdesk.model import Article

__all__ = ["check_article", "forced_starts", "piece_starts"]

_PARAGRAPH = re.compile(r"\n[^\S\n]*\n\s*")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*\s+")
_SPACE = re.compile(r"\s+")


def check_article(article: Article, limits: Limits) -> None:
    """Raise ArticleTooLongError when the article is over the analysis limits."""
    source, _, record = article.source.partition("#")  # "feed.jsonl#7" -> "feed.jsonl:7:"
    length = len(article.text)
    if length > limits.max_article_chars:
        raise ArticleTooLongError(
            source,
            f"article is {length:,} characters, over the limit of {limits.max_article_chars:,} "
            "(split it, or raise limits.max_article_chars)",
            record or None,
        )
    # imported here: the attribution package pulls in spaCy, and clean (which calls
    # this) must stay light so `newsdesk --help` and the readers start fast
    from newsdesk.analyze.attribution.marks import find_marked

    direct, partial = find_marked(article.text)
    quotes = len(direct) + len(partial)
    if quotes > limits.max_quotes:
        raise ArticleTooLongError(
            source,
            f"article has {quotes:,} quotations, over the limit of {limits.max_quotes:,} (raise limits.max_quotes)",
            record or None,
        )


def _cut_before(text: str, start: int, end: int, pattern: re.Pattern[str]) -> int | None:
    """The last offset in (start, end] right after a match of ``pattern``, or None."""
    best = None
    for match in pattern.finditer(text, start, end):
        if start < match.end() <= end:
            best = match.end()
    return best


def piece_starts(text: str, chunk_chars: int) -> list[int]:
    """Offsets where each parse piece starts (always ``[0, ...]``), every piece at
    most ``chunk_chars`` long, cut at the best boundary the window has."""
    starts = [0]
    position = 0
    while len(text) - position > chunk_chars:
        end = position + chunk_chars
        cut = (
            _cut_before(text, position, end, _PARAGRAPH)
            or _cut_before(text, position, end, _SENTENCE_END)
            or _cut_before(text, position, end, _SPACE)
            or end
        )
        starts.append(cut)
        position = cut
    return starts


def forced_starts(text: str, max_sentence_chars: int) -> list[int]:
    """Offsets where a sentence must start so that none passes ``max_sentence_chars``.

    Only runs of text with no sentence end (or paragraph break) longer than the
    bound get one, after the last space inside the bound (a hard cut when there
    is none); ordinary prose gets none, and the parser's own boundaries stand.
    """
    forced: list[int] = []
    run_start = 0
    ends = [m.end() for m in _SENTENCE_END.finditer(text)] + [m.end() for m in _PARAGRAPH.finditer(text)]
    for boundary in sorted(ends) + [len(text)]:
        while boundary - run_start > max_sentence_chars:
            limit = run_start + max_sentence_chars
            cut = _cut_before(text, run_start, limit, _SPACE) or limit
            forced.append(cut)
            run_start = cut
        run_start = max(run_start, boundary)
    return forced
