"""The library API: its documented examples run (on the bundled example story), and
the package root re-exports it."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

import newsdesk
from newsdesk import api
from newsdesk.errors import InputError, NewsdeskError

ROOT = Path(__file__).resolve().parent.parent


def test_docstring_examples_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the examples name examples/story/... relative to the checkout
    monkeypatch.delenv("NEWSDESK_MODEL", raising=False)
    result = doctest.testmod(api, optionflags=doctest.ELLIPSIS, raise_on_error=False)
    assert result.attempted >= 8
    assert result.failed == 0


def test_package_root_exports_the_api() -> None:
    assert newsdesk.api is api and "api" in newsdesk.__all__
    for name in ("stories", "brief", "app"):
        assert getattr(newsdesk, name) is getattr(api, name)
        assert name in newsdesk.__all__
    for name in ("analyze", "ingest", "stories", "brief", "app"):
        assert callable(getattr(newsdesk.api, name))


def test_brief_missing_file_among_files_is_an_input_error(tmp_path: Path) -> None:
    real = tmp_path / "a.txt"
    real.write_text("A title\n\nSome invented body text.", encoding="utf-8")
    with pytest.raises(InputError, match="missing.txt: no such file"):
        api.brief([real, tmp_path / "missing.txt"])


def test_brief_one_unknown_name_is_a_story_id(tmp_path: Path) -> None:
    assert api.is_story_id(["no-such-story"])
    assert not api.is_story_id([str(tmp_path)])
    with pytest.raises(NewsdeskError, match="no story 'no-such-story'"):
        api.brief("no-such-story", newsdesk.Options(db_url=f"sqlite:///{tmp_path / 'empty.db'}"))
