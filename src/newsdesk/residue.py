"""Residue rules: which lines of a scrape are page furniture, and why.

Shared by the HTML reader (to name the reason for each block trafilatura left out)
and by :mod:`newsdesk.clean` (to cut residue from the extracted text), so both
stages report the same reasons. The rules live in ``data/residue.toml`` (patterns,
length caps, zones); every rule has a word cap so a long real sentence is never cut
because it happens to start with "Share".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from newsdesk.config import settings as config_settings

__all__ = [
    "Residue",
    "ResidueRule",
    "drop_reason",
    "headline_forms",
    "is_repeated_headline",
    "load_residue",
    "matching_rule",
    "normalise_line",
    "repeats_headline_exactly",
    "word_count",
]

_DATA = Path(__file__).parent / "data"
_WORD = re.compile(r"\w+")
_LONG_WORD = re.compile(r"[^\W\d_]{3,}")
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
    settings: Mapping[str, Any]


@lru_cache(maxsize=1)
def load_residue() -> Residue:
    """Load ``data/residue.toml`` once per process."""
    data = config_settings("residue")
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
    # a plain dict copy: Residue must pickle (a mappingproxy does not) for worker processes
    return Residue(rules=tuple(rules), settings=dict(data["settings"]))


def word_count(line: str) -> int:
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
    if word_count(line) > settings["headline_max_words"] or line.rstrip().endswith("."):
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
    return word_count(line) <= settings["headline_repeat_max_words"] and normal in forms


def drop_reason(line: str, position: int = 0, total: int = 1, residue: Residue | None = None) -> str | None:
    """The residue reason for one stripped line at ``position`` of ``total``, or None.

    Covers the pattern rules and lines with no word characters (``empty``); the
    repeated headline and link lists need context and are handled by :func:`clean`.
    """
    rule = matching_rule(line, position, total, residue or load_residue())
    if rule is not None:
        return rule.reason
    return "empty" if not _WORD.search(line) else None


def matching_rule(line: str, position: int, total: int, residue: Residue) -> ResidueRule | None:
    zone_lines = residue.settings["zone_lines"]
    words = word_count(line)
    for rule in residue.rules:
        if rule.zone == "head" and position >= zone_lines:
            continue
        if rule.zone == "tail" and position < total - zone_lines:
            continue
        if rule.matches(line, words):
            return rule
    return None
