"""The word lists behind the time-expression rules, loaded once from
``newsdesk/data/timex.toml``, plus the regular-expression fragments built from them.

Keeping every spelling in the data file means a new abbreviation ("Sept."), a new
vague quantifier or holiday is a data change that the tests pick up, not a code edit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from newsdesk.config import settings as config_settings


@dataclass(frozen=True)
class Lexicon:
    months: dict[str, int]
    weekdays: dict[str, int]
    numbers: dict[str, int]
    ordinals: dict[str, int]
    vague: tuple[str, ...]
    units: dict[str, tuple[str, bool]]
    plurals: dict[str, str]
    parts_of_day: dict[str, str]
    seasons: dict[str, str]
    relative_days: dict[str, int]
    shifts: dict[str, int]
    position_modifiers: dict[str, str]
    references: dict[str, str]
    sets: dict[str, str]
    holidays: dict[str, str]
    future_cues: tuple[str, ...]
    future_window: int
    not_after_year: frozenset[str]
    not_before_year: tuple[str, ...]

    # words in code before issue 14; defaults keep a hand-built Lexicon working
    reporting_verbs: tuple[str, ...] = ()
    ambiguous_months: frozenset[str] = frozenset()
    month_alone_after: frozenset[str] = frozenset()
    not_set_after: frozenset[str] = frozenset()

    def unit_of(self, word: str) -> str:
        """Singular unit name of a unit word ("weeks" -> "week")."""
        w = word.lower()
        return self.plurals.get(w, w)


def _load_toml() -> Mapping[str, Any]:
    """``data/timex.toml`` (frozen, with this run's overrides; a bad file is a ConfigError)."""
    return config_settings("timex")


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The lexicon, parsed once per process."""
    raw = _load_toml()
    return Lexicon(
        months=dict(raw["months"]),
        weekdays=dict(raw["weekdays"]),
        numbers=dict(raw["numbers"]),
        ordinals=dict(raw["ordinals"]),
        vague=tuple(raw["vague_quantities"]["words"]),
        units={k: (v[0], bool(v[1])) for k, v in raw["units"].items()},
        plurals=dict(raw["units_plural"]),
        parts_of_day=dict(raw["parts_of_day"]),
        seasons=dict(raw["seasons"]),
        relative_days=dict(raw["relative_days"]),
        shifts=dict(raw["shift"]),
        position_modifiers=dict(raw["position_modifiers"]),
        references=dict(raw["references"]),
        sets=dict(raw["sets"]),
        holidays=dict(raw["holidays"]),
        future_cues=tuple(raw["future_cues"]["words"]),
        future_window=int(raw["future_cues"]["window_chars"]),
        not_after_year=frozenset(raw["false_positive_guards"]["not_after_year"]),
        not_before_year=tuple(raw["false_positive_guards"]["not_before_year"]),
        reporting_verbs=tuple(raw["future_cues"]["reporting_verbs"]),
        ambiguous_months=frozenset(raw["month_alone"]["ambiguous"]),
        month_alone_after=frozenset(raw["month_alone"]["after"]),
        not_set_after=frozenset(raw["false_positive_guards"]["not_set_after"]),
    )


def alternation(words: Any) -> str:
    """Regex alternation of phrases, longest first so "a few" wins over "a"; inner
    spaces match any run of whitespace (line breaks inside an expression)."""
    ordered = sorted({w.lower() for w in words}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


@dataclass(frozen=True)
class Fragments:
    """Regex pieces shared by the rules (group names are added by the rules)."""

    month: str
    weekday: str
    weekday_plural: str
    number: str
    vague: str
    unit: str
    unit_singular: str
    unit_plural: str
    ordinal: str
    season: str
    holiday: str
    reference: str
    set_adverb: str
    part_of_day: str


@lru_cache(maxsize=1)
def fragments() -> Fragments:
    lex = load_lexicon()
    full_months = [m for m, _ in lex.months.items() if len(m) > 4 or m in ("may", "june", "july")]
    abbr_months = [m for m in lex.months if m not in full_months]
    month = rf"(?:(?:{alternation(full_months)})(?![\w])|(?:{alternation(abbr_months)})(?![\w])\.?)"
    full_days = [d for d in lex.weekdays if d.endswith("day")]
    abbr_days = [d for d in lex.weekdays if not d.endswith("day")]
    weekday = rf"(?:(?:{alternation(full_days)})(?![\w'])|(?:{alternation(abbr_days)})\.(?=\s))"
    tens = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
    units_words = [
        w for w, v in lex.numbers.items() if 0 < v < 10 and w.isalpha() and w not in ("a", "an", "single", "couple")
    ]
    number = (
        rf"(?:\d+(?:\.\d+)?|(?:{tens})(?:[\s-](?:{'|'.join(units_words)}))?"
        rf"|{alternation(lex.numbers)})"
    )
    singular = list(lex.units)
    plural = list(lex.plurals)
    return Fragments(
        month=month,
        weekday=weekday,
        weekday_plural=rf"(?:{alternation(d + 's' for d in full_days)})(?![\w])",
        number=number,
        vague=alternation(lex.vague),
        unit=rf"(?:{alternation(singular + plural)})(?![\w])",
        unit_singular=rf"(?:{alternation(singular)})(?![\w])",
        unit_plural=rf"(?:{alternation(plural)})(?![\w])",
        ordinal=rf"(?:{alternation(lex.ordinals)}|\d{{1,2}}(?:st|nd|rd|th))",
        season=alternation(lex.seasons),
        holiday=alternation(lex.holidays),
        reference=alternation(lex.references),
        set_adverb=alternation(lex.sets),
        part_of_day=alternation(lex.parts_of_day),
    )


def parse_number(text: str) -> float | None:
    """ "three" -> 3, "twenty-five" -> 25, "1.5" -> 1.5; vague quantifiers -> None."""
    lex = load_lexicon()
    t = re.sub(r"\s+", " ", text.strip().lower())
    if re.fullmatch(r"\d+(?:\.\d+)?", t):
        return float(t)
    if t in lex.numbers:
        return float(lex.numbers[t])
    parts = re.split(r"[\s-]", t)
    if len(parts) == 2 and parts[0] in lex.numbers and parts[1] in lex.numbers:
        return float(lex.numbers[parts[0]] + lex.numbers[parts[1]])
    return None
