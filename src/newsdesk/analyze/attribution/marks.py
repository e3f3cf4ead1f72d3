"""Quotation marks on the characters of ``article.text`` (the parser does not model
them), following newspaper conventions: a quote may run over several paragraphs, each
reopening the mark and only the last closing it; single quotes inside a double-quoted
span are nested quotations, not quotes of their own."""

from __future__ import annotations

import re
from dataclasses import dataclass

PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
DOUBLE_MARKS = re.compile(r"[“”\"]")
SINGLE_CURLY = re.compile(r"(?<![\w’'])‘((?:[^‘’\n]|’(?=\w))+?)’(?!\w)")
SINGLE_STRAIGHT = re.compile(r"(?<![\w'])'((?:[^'\n]|'(?=\w))+?)'(?!\w)")
OPENERS_BEFORE_STRAIGHT = " \t\n([{—–-/"
TRAILING_JUNK = " \t\n,;:"


@dataclass
class Marked:
    """A span between quotation marks: ``open``/``close`` are the mark offsets
    (``close`` = paragraph end when never closed), ``start``/``end`` the words."""

    open: int
    close: int
    start: int
    end: int
    paragraphs: int = 1


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each blank-line-separated paragraph, trailing space excluded."""
    bounds, pos = [], 0
    for m in PARAGRAPH_BREAK.finditer(text):
        bounds.append((pos, m.start()))
        pos = m.end()
    bounds.append((pos, len(text.rstrip())))
    return [(s, e) for s, e in bounds if e > s]


def _words(text: str, open_: int, close: int, paragraphs: int) -> Marked | None:
    """The quoted words between two marks, without surrounding space or a trailing comma
    (the comma of “...,” he said belongs to the attribution)."""
    start, end = open_ + 1, close
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1] in TRAILING_JUNK:
        end -= 1
    return Marked(open_, close, start, end, paragraphs) if end > start else None


def _double_marks(text: str, para: tuple[int, int]) -> tuple[list[tuple[int, int]], int | None]:
    """Closed (open, close) pairs of double marks in a paragraph, and the offset of an
    opening mark left unclosed at its end (None when all closed)."""
    pairs: list[tuple[int, int]] = []
    open_: int | None = None
    start, end = para
    for m in DOUBLE_MARKS.finditer(text, start, end):
        ch, pos = m.group(), m.start()
        if ch == "“" or (ch == '"' and open_ is None and (pos == start or text[pos - 1] in OPENERS_BEFORE_STRAIGHT)):
            open_ = pos
        elif open_ is not None:
            pairs.append((open_, pos))
            open_ = None
    return pairs, open_


def find_marked(text: str) -> tuple[list[Marked], list[Marked]]:
    """Double-quoted spans (multi-paragraph aware) and single-quoted spans outside them.

    A paragraph that opens a mark without closing it continues into the next
    paragraph when that one opens with a mark again (the newspaper convention);
    otherwise the quote ends with its paragraph.
    """
    doubles: list[Marked] = []

    def emit(open_: int, close: int, paragraphs: int) -> None:
        marked = _words(text, open_, close, paragraphs)
        if marked:
            doubles.append(marked)

    paras = _paragraphs(text)
    pending: Marked | None = None
    for i, para in enumerate(paras):
        pairs, unclosed = _double_marks(text, para)
        if pending is not None:
            if pairs and pairs[0][0] == para[0]:
                emit(pending.open, pairs.pop(0)[1], pending.paragraphs + 1)
                pending = None
            elif unclosed == para[0]:
                pending.paragraphs += 1
                pending.close = para[1]
                unclosed = None
            else:
                emit(pending.open, pending.close, pending.paragraphs)
                pending = None
        for open_, close in pairs:
            emit(open_, close, 1)
        if unclosed is not None:
            pending = Marked(unclosed, para[1], unclosed + 1, para[1])
        nxt = paras[i + 1][0] if i + 1 < len(paras) else None
        if pending is not None and (nxt is None or text[nxt] not in '“"'):
            emit(pending.open, pending.close, pending.paragraphs)
            pending = None
    singles: list[Marked] = []
    for pattern in (SINGLE_CURLY, SINGLE_STRAIGHT):
        for m in pattern.finditer(text):
            if any(d.open <= m.start() < d.close for d in doubles):
                continue
            marked = _words(text, m.start(), m.end() - 1, 1)
            if marked:
                singles.append(marked)
    return doubles, singles


def opens_sentence(text: str, pos: int) -> bool:
    before = text[:pos].rstrip(" \t\xa0")
    return not before or before[-1] in "\n.?!…"
