"""Plain-text reader: first line is the headline, the rest the article."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from newsdesk.errors import EmptyInputError
from newsdesk.ingest.text import parse_text, read_text
from newsdesk.options import Options


def test_first_line_is_title_rest_is_text():
    raw = parse_text("\n\nA headline here\n\nFirst paragraph.\n\nSecond paragraph.\n", "a.txt")
    assert raw.title == "A headline here"
    assert raw.text == "First paragraph.\n\nSecond paragraph."
    assert raw.format == "text" and raw.source == "a.txt"


def test_markdown_heading_marker_is_stripped():
    assert parse_text("# Markdown title\n\nBody text.", "a.md").title == "Markdown title"


def test_title_only_file_is_an_empty_article():
    with pytest.raises(EmptyInputError, match="^t.txt: only a title line"):
        parse_text("Just a headline\n\n", "t.txt")


def test_read_text_yields_article_with_fallback_date(tmp_path: Path):
    path = tmp_path / "story.txt"
    path.write_text("Title\n\nBody sentence here.", encoding="utf-8")
    [raw] = read_text(path, Options(published=date(2022, 9, 23)))
    assert raw.title == "Title" and raw.published == date(2022, 9, 23)


def test_cp1251_file_is_read(tmp_path: Path):
    path = tmp_path / "ru.txt"
    text = "Кадыров назвал трусами уехавших россиян\n\nГлава Чечни заявил, что отказ от службы — это лишь отговорки, и пообещал не отправлять новых бойцов."
    path.write_bytes(text.encode("cp1251"))
    [raw] = read_text(path, Options())
    assert raw.title == "Кадыров назвал трусами уехавших россиян"
    assert raw.text.startswith("Глава Чечни заявил")


def test_errors_are_yielded_not_raised(tmp_path: Path):
    path = tmp_path / "bin.txt"
    path.write_bytes(b"\x00\x01\x02binary\x00")
    [error] = read_text(path, Options())
    assert str(error).startswith(f"{path}: binary content")
