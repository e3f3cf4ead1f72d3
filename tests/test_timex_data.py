"""The time-expression word lists that used to be literals in rules.py are read from
data/timex.toml, so a run's --config changes them (invented sentences)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from newsdesk.analyze.timex import lexicon, rules
from newsdesk.analyze.timex.extract import extract_timexes
from newsdesk.config import use_config

DCT = date(2024, 6, 12)


@pytest.fixture
def fresh() -> Iterator[None]:
    """Drop the cached lexicon and compiled rules around a test that overrides settings."""
    lexicon.load_lexicon.cache_clear()
    rules.rules.cache_clear()
    yield
    use_config(None)
    lexicon.load_lexicon.cache_clear()
    rules.rules.cache_clear()


def _values(text: str) -> list[tuple[str, str | None]]:
    return [(t.text, t.value) for t in extract_timexes(text, DCT)]


def test_shipped_lists_are_loaded() -> None:
    lex = lexicon.load_lexicon()
    assert "may" in lex.ambiguous_months and "in" in lex.month_alone_after
    assert "told" in lex.reporting_verbs and "the" in lex.not_set_after


def test_frequency_word_after_a_determiner_is_a_name() -> None:
    assert not any(value == "P1D" for _, value in _values("She edits the daily Harbour Gazette."))
    assert ("daily", "P1D") in _values("The ferry now sails daily.")


def test_ambiguous_month_needs_a_preposition() -> None:
    assert ("May", "2024-05") in _values("The vote took place in May.")
    assert not any(text == "May" for text, _ in _values("May the council reconsider, asked Ms Orlo."))


def test_override_changes_the_list(tmp_path: Path, fresh: None) -> None:
    override = tmp_path / "run.toml"
    override.write_text("[timex.false_positive_guards]\nnot_set_after = []\n", encoding="utf-8")
    use_config(override)
    assert ("daily", "P1D") in _values("She edits the daily Harbour Gazette.")
