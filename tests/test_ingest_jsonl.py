"""JSONL reader: one article per line; a bad line is one error, the rest still read."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from newsdesk.errors import (
    EmptyInputError,
    InputError,
    InputTooLargeError,
    MalformedRecordError,
)
from newsdesk.ingest.jsonl import read_jsonl
from newsdesk.model import RawArticle
from newsdesk.options import Options

FILE = Path(__file__).parent / "data" / "ingest" / "articles.jsonl"


def _items():
    return list(read_jsonl(FILE, Options()))


def test_good_records_are_read_with_metadata():
    first = _items()[0]
    assert isinstance(first, RawArticle)
    assert first.source == f"{FILE}#1"
    assert first.title == "Dam inspection ordered after cracks found"
    assert first.outlet == "Hollin Herald" and first.language == "en"
    assert first.url == "https://example.invalid/dam"
    assert first.published == date(2023, 4, 3)
    assert first.format == "jsonl"


def test_non_iso_date_is_parsed():
    assert _items()[1].published == date(2023, 4, 5)


def test_malformed_line_names_file_and_line_and_reading_goes_on():
    items = _items()
    error = items[2]
    assert isinstance(error, MalformedRecordError)
    assert str(error).startswith(f"{FILE}:3: malformed JSON: ")
    assert "\n" not in str(error)
    assert isinstance(items[3], RawArticle)  # the line after the broken one


def test_html_record_is_extracted_and_record_fields_win():
    page = _items()[3]
    assert page.source == f"{FILE}#4"
    assert page.title == "Page record"  # the record's title overrides the page's
    assert page.outlet == "Coast News"
    assert "voted on Friday to accept a new pay offer" in page.text


def test_non_object_and_textless_records_are_errors():
    items = _items()
    assert isinstance(items[4], MalformedRecordError)
    assert str(items[4]) == f"{FILE}:5: expected a JSON object, got list"
    assert isinstance(items[5], EmptyInputError)
    assert str(items[5]) == f"{FILE}:6: record has no 'text' or 'html'"
    assert len(items) == 6


def test_max_bytes_applies_per_record(tmp_path: Path):
    path = tmp_path / "big.jsonl"
    path.write_text('{"text": "short one"}\n{"text": "' + "x" * 500 + '"}\n', encoding="utf-8")
    items = list(read_jsonl(path, Options(max_bytes=100)))
    assert isinstance(items[0], RawArticle)
    assert isinstance(items[1], InputTooLargeError)
    assert str(items[1]).startswith(f"{path}:2: record is")


def test_empty_file_is_one_error(tmp_path: Path):
    path = tmp_path / "none.jsonl"
    path.write_text("\n\n", encoding="utf-8")
    [error] = read_jsonl(path, Options())
    assert isinstance(error, InputError) and str(error) == f"{path}: file is empty"
