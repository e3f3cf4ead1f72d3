"""The comparison's lexicons, read once from ``data/compare.toml``: thresholds, the
semantic fields, negators, plus the stemmer and stop words every part of the comparison
normalises words with (so that all of them agree on what a "word" is)."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any

import snowballstemmer
import tomllib

TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:['’\-][^\W\d_]+)*")
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)


@cache
def load_config() -> dict[str, Any]:
    """The thresholds and lexicons of ``data/compare.toml`` (read once)."""
    text = resources.files("newsdesk.data").joinpath("compare.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@cache
def _stemmer() -> Any:
    return snowballstemmer.stemmer("english")


def stem(word: str) -> str:
    return _stemmer().stemWord(word.lower().replace("’", "'"))


@cache
def stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS  # spaCy's list, no model load

    return frozenset(STOP_WORDS)


@cache
def field_index() -> dict[str, str]:
    """Stem -> semantic field name."""
    index: dict[str, str] = {}
    for name, words in load_config()["fields"].items():
        for word in words:
            index[stem(word)] = name
    return index


@cache
def negator_words() -> frozenset[str]:
    return frozenset(w.lower() for w in load_config()["polarity"]["negators"])
