"""The comparison's lexicons, read once from ``data/compare.toml``: thresholds, the
semantic fields, negators, plus the stemmer and stop words every part of the comparison
normalises words with (so that all of them agree on what a "word" is)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

import snowballstemmer

from newsdesk.config import settings

TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:['’\-][^\W\d_]+)*")
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)


def load_config() -> Mapping[str, Any]:
    """The thresholds and lexicons of ``data/compare.toml`` (frozen, read once by
    newsdesk.config, with this run's overrides)."""
    return settings("compare")


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
