"""Cleaning: a RawArticle becomes an Article with a residue-free body.

Scrapes carry page furniture next to the reporting: "READ MORE:" teasers,
comment prompts, aggregator tags, the headline repeated as a kicker, newsletter
and share prompts, link lists, photo credits, cookie notices. Left in, they turn
into fake quotes, fake entities and fake claims downstream, so every such line is
removed here, and kept as a :class:`~newsdesk.model.DroppedLine` with a short
machine-readable reason so that an analyst can audit each cut.

The rules live in ``data/residue.toml`` (patterns, length caps, zones). A line is
only ever dropped whole and only when a rule says so; every rule has a word cap so
a long real sentence is never cut because it happens to start with "Share".
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from newsdesk.model import Article, DroppedLine, RawArticle
from newsdesk.options import Options

__all__ = [
    "clean",
    "drop_reason",
    "guess_language",
    "headline_forms",
    "is_repeated_headline",
    "normalise_line",
    "repeats_headline_exactly",
    "load_residue",
    "ResidueRule",
    "Residue",
]

_DATA = Path(__file__).parent / "data"
_WORD = re.compile(r"\w+")
_LONG_WORD = re.compile(r"[^\W\d_]{3,}")
_SENTENCE_END = re.compile(r"[.!?][\"”’»)]?$")
_OPENING_QUOTE = re.compile(r"^[\"“‘«]")
_SPACES = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[^\w\s]+")
# Where a headline splits into a kicker and the rest: "Kicker: rest", "A – B", "A | B".
_HEADLINE_PARTS = re.compile(r"\s*[:|]\s+|\s+[-–—]\s+")


@dataclass(frozen=True)
class ResidueRule:
    """One residue pattern family with the reason it reports and its guards."""

    reason: str
    patterns: tuple[re.Pattern[str], ...]
    unless: tuple[re.Pattern[str], ...] = ()
    max_words: int = 25
    min_words: int = 0
    zone: str = "any"
    list_follows: bool = False

    def matches(self, line: str, words: int) -> bool:
        if words > self.max_words or words < self.min_words:
            return False
        if not any(p.search(line) for p in self.patterns):
            return False
        return not any(p.search(line) for p in self.unless)


@dataclass(frozen=True)
class Residue:
    """The rules and thresholds of ``residue.toml``."""

    rules: tuple[ResidueRule, ...]
    settings: dict[str, Any]


@lru_cache(maxsize=1)
def load_residue() -> Residue:
    """Load ``data/residue.toml`` once per process."""
    data = tomllib.loads((_DATA / "residue.toml").read_text("utf-8"))
    rules = []
    for spec in data["rules"]:
        flags = 0 if spec.get("case_sensitive") else re.IGNORECASE
        rules.append(
            ResidueRule(
                reason=spec["reason"],
                patterns=tuple(re.compile(p, flags) for p in spec["patterns"]),
                unless=tuple(re.compile(p, flags) for p in spec.get("unless", [])),
                max_words=spec.get("max_words", 25),
                min_words=spec.get("min_words", 0),
                zone=spec.get("zone", "any"),
                list_follows=spec.get("list_follows", False),
            )
        )
    return Residue(rules=tuple(rules), settings=data["settings"])


@lru_cache(maxsize=1)
def _stopwords() -> tuple[float, dict[str, frozenset[str]]]:
    data = tomllib.loads((_DATA / "stopwords.toml").read_text("utf-8"))
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


def _words(line: str) -> int:
    return len(_WORD.findall(line))


def is_repeated_headline(line: str, title: str | None, residue: Residue | None = None) -> bool:
    """Whether ``line`` repeats (or paraphrases) the headline, as kickers and subheads do.

    Scrapes often repeat the headline, whole or split over two lines and sometimes
    reworded ("Kadyrov calls fleeing Russians cowards" under "Kadyrov insults
    fleeing Russians as cowards"). A line counts when it is short, does not end
    like a sentence, and both its fuzzy token-set similarity to the title and the
    share of its words found in the title are high. Callers apply it to the first
    few lines only.
    """
    if not title:
        return False
    settings = (residue or load_residue()).settings
    normal_line, normal_title = default_process(line), default_process(title)
    if normal_line == normal_title:
        return True
    if _words(line) > settings["headline_max_words"] or line.rstrip().endswith("."):
        return False
    line_words = [w.lower() for w in _LONG_WORD.findall(line)]
    if len(line_words) < 2:
        return False
    title_words = {w.lower() for w in _LONG_WORD.findall(title)}
    overlap = sum(w in title_words for w in line_words) / len(line_words)
    score = fuzz.token_set_ratio(normal_line, normal_title)
    return overlap >= settings["headline_min_overlap"] and score >= settings["headline_min_score"]


def normalise_line(text: str) -> str:
    """Casefolded words of ``text`` with quotes and punctuation stripped, single-spaced.

    The form in which two renderings of one line compare equal: ``"Water came at
    night"`` and ``Water came at night`` (and ``1,500`` / ``1 500``) alike.
    """
    return _SPACES.sub(" ", _NOT_WORD.sub(" ", text.casefold())).strip()


def headline_forms(title: str | None, residue: Residue | None = None) -> frozenset[str]:
    """The normalised title and its colon/dash/pipe-separated parts of enough words.

    Scrapes repeat a headline whole or in parts (the kicker before the colon, the
    line after it); a line equal to one of these forms is a repeat, not reporting.
    """
    if not title:
        return frozenset()
    min_words = (residue or load_residue()).settings["headline_part_min_words"]
    forms = {normalise_line(title)}
    for part in _HEADLINE_PARTS.split(title):
        normal = normalise_line(part)
        if len(normal.split()) >= min_words:
            forms.add(normal)
    forms.discard("")
    return frozenset(forms)


def repeats_headline_exactly(
    line: str, forms: frozenset[str] | set[str], title: str | None = None, residue: Residue | None = None
) -> bool:
    """Whether a line is, word for word, the title or a part of it (see ``headline_forms``).

    Exact after normalisation, so it is safe anywhere in the text: a real sentence
    that merely shares words with the headline ("The water came at night, without
    any siren.") never matches, and a line ending in a full stop is prose. Parts
    must be short (``headline_repeat_max_words``); a copy of the whole ``title``
    may be as long as the title.
    """
    settings = (residue or load_residue()).settings
    if not forms or line.rstrip().endswith("."):
        return False
    normal = normalise_line(line)
    if title and normal == normalise_line(title):
        return True
    return _words(line) <= settings["headline_repeat_max_words"] and normal in forms


def drop_reason(line: str, position: int = 0, total: int = 1, residue: Residue | None = None) -> str | None:
    """The residue reason for one stripped line at ``position`` of ``total``, or None.

    Covers the pattern rules and lines with no word characters (``empty``); the
    repeated headline and link lists need context and are handled by :func:`clean`.
    """
    rule = _matching_rule(line, position, total, residue or load_residue())
    if rule is not None:
        return rule.reason
    return "empty" if not _WORD.search(line) else None


def _matching_rule(line: str, position: int, total: int, residue: Residue) -> ResidueRule | None:
    zone_lines = residue.settings["zone_lines"]
    words = _words(line)
    for rule in residue.rules:
        if rule.zone == "head" and position >= zone_lines:
            continue
        if rule.zone == "tail" and position < total - zone_lines:
            continue
        if rule.matches(line, words):
            return rule
    return None


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
    """
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
            rule = _matching_rule(line.text, index, len(lines), residue)
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
    return Article(
        id=Article.content_id(title, body),
        source=raw.source,
        body=body,
        outlet=raw.outlet,
        url=raw.url,
        language=raw.language or guess_language(body or raw.text),
        title=title,
        standfirst=standfirst,
        published=raw.published or options.published,
        dropped=dropped,
    )


def _same_paragraph(a: str, b: str, settings: dict[str, Any]) -> bool:
    """Fuzzy equality of two paragraphs (rapidfuzz ratio on normalised text)."""
    return fuzz.ratio(normalise_line(a), normalise_line(b)) >= settings["standfirst_match_score"]


def _is_list_item(line: str, settings: dict[str, Any]) -> bool:
    """A headline-like link in a list: short and not ending like a sentence."""
    return _words(line) <= settings["list_item_max_words"] and not _SENTENCE_END.search(line)
