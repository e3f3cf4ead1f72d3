"""Numbers and quantities in a claim: "1,200", "1.5 million" and "twelve hundred" as
values, with the unit they count ("6.6 meters", "two neighborhoods") and the qualifier
they were written with ("more than 1,200"), so that outlets' figures can be compared."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from newsdesk.compare.lexicon import WORD, field_index, load_config, stem, stop_words

_DIGITS = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:[,\u00a0\u202f ]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s*(million|billion|thousand|hundred|bn|m|k)\b)?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Number:
    """A number found in a claim: its value and the words it was written with."""

    value: float
    text: str
    start: int
    end: int
    unit: str = "count"  # unit family from [quantities.units] ("count" when none is written)
    label: str = ""  # how the brief shows it: qualifier, number, unit word ("more than 1,200")

    @property
    def family(self) -> str:
        """Counts of people, troops and bare counts compare with each other; a
        measure (metres, euros) only with the same measure."""
        return "count" if self.unit in load_config()["quantities"]["count_units"] else self.unit


def find_numbers(text: str) -> list[Number]:
    """Numbers in ``text``, digits ("1,200", "1.5 million") or words ("twelve hundred"),
    normalised to values so that "1,200", "1 200" and "twelve hundred" compare equal."""
    cfg = load_config()["numbers"]
    scales = {k.lower(): v for k, v in cfg["scales"].items()}
    found: list[Number] = []
    for m in _DIGITS.finditer(text):
        digits = re.sub(r"[,\u00a0\u202f ]", "", m.group(1))
        value = float(digits)
        if m.group(2):
            value *= scales[m.group(2).lower()]
        found.append(Number(value, m.group(0), m.start(), m.end()))
    found.extend(_number_words(text, cfg))
    return sorted(found, key=lambda n: n.start)


def _number_words(text: str, cfg: dict[str, Any]) -> list[Number]:
    """Spelled-out numbers: runs of number words ("three hundred thousand")."""
    units, tens = cfg["units"], cfg["tens"]
    scales = {k: v for k, v in cfg["scales"].items() if len(k) > 2}
    out: list[Number] = []
    words = list(WORD.finditer(text))
    i = 0
    while i < len(words):
        total, current, j, seen = 0, 0, i, False
        while j < len(words):
            parts = words[j].group(0).lower().split("-")
            if all(p in units or p in tens for p in parts):
                current += sum(units.get(p, 0) + tens.get(p, 0) for p in parts)
            elif parts[0] in scales and len(parts) == 1 and (seen or j > i):
                scale = scales[parts[0]]
                if scale == 100:
                    current = max(current, 1) * 100
                else:
                    total += max(current, 1) * scale
                    current = 0
            elif parts[0] == "and" and seen and j + 1 < len(words):
                j += 1
                continue
            else:
                break
            seen = True
            j += 1
        if seen:
            # a lone "one" or "no one" is rarely a count worth comparing
            if not (j - i == 1 and words[i].group(0).lower() in ("one", "a")):
                start, end = words[i].start(), words[j - 1].end()
                out.append(Number(float(total + current), text[start:end], start, end))
            i = j
        else:
            i += 1
    return out


@cache
def unit_index() -> dict[str, str]:
    """Unit word or symbol (stemmed) -> unit family."""
    index: dict[str, str] = {}
    for family, words in load_config()["quantities"]["units"].items():
        for word in words:
            index[word if not word[0].isalpha() else stem(word)] = family
    return index


def _is_counted_noun(word: str) -> bool:
    """A plural noun right after a number ("two neighborhoods") names what it counts;
    a verb or adverb ("1,500 evacuated", "1,200 ordered") leaves it a bare count."""
    low = word.lower()
    return (
        len(low) > 3
        and low.endswith("s")
        and not low.endswith(("ss", "us", "is"))
        and low not in stop_words()
        and stem(low) not in field_index()
    )


def describe_number(sentence: str, number: Number, words: list[tuple[int, int, str]]) -> Number:
    """The number with its unit family (the word right after it, or a currency sign
    before it) and a label with its qualifier ("more than 1,200", "6.6 meters")."""
    cfg = load_config()["quantities"]
    units = unit_index()
    unit, unit_text = "count", ""
    after = re.match(r"\s*([^\W\d_]+)", sentence[number.end :])
    if after and stem(after.group(1)) in units:
        unit, unit_text = units[stem(after.group(1))], after.group(1)
    elif after and _is_counted_noun(after.group(1)):
        # "two neighborhoods" counts neighbourhoods: never compared with "1,500 people"
        unit, unit_text = stem(after.group(1)), after.group(1)
    elif number.start and sentence[number.start - 1] in units:
        unit = units[sentence[number.start - 1]]
        unit_text = sentence[number.start - 1]
    head = sentence[: number.start].lower().rstrip()
    qualifier = next(
        (q for q in sorted(cfg["qualifiers"], key=len, reverse=True) if re.search(rf"\b{re.escape(q)}$", head)),
        "",
    )
    measure = unit not in cfg["count_units"]
    if unit_text and not unit_text[0].isalpha():
        shown = unit_text + number.text
    else:
        shown = f"{number.text} {unit_text}" if measure and unit_text else number.text
    label = f"{qualifier} {shown}" if qualifier else shown
    return replace(number, unit=unit, label=label)


_PARTITIVE = re.compile(r"^\s+of\s+(?:the\s+)?\d")


def is_part_of_another(sentence: str, number: Number) -> bool:
    """ "600 of the 1,500 evacuees": the 600 is a part of the count, not a rival count."""
    return bool(_PARTITIVE.match(sentence[number.end :]))


def same_number(x: float, y: float) -> bool:
    tol = float(load_config()["numbers"]["tolerance"])
    return x == y or abs(x - y) <= tol * max(abs(x), abs(y))
