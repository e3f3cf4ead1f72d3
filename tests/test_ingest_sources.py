"""iter_sources / read_file: walking, format detection, errors yielded per file."""

from __future__ import annotations

import shutil
from pathlib import Path

from newsdesk.errors import (
    BinaryInputError,
    EmptyInputError,
    InputError,
    InputTooLargeError,
)
from newsdesk.ingest import detect_format, iter_sources, read_file
from newsdesk.model import RawArticle
from newsdesk.options import Options

DATA = Path(__file__).parent / "data" / "ingest"
STORY = "Harbour wall repairs to start in May\n\nThe harbour board said on Monday that repairs to the north wall would start in May and last until the autumn."


def test_directory_is_walked_sorted_skipping_hidden(tmp_path: Path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "b" / "2.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "1.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / ".git" / "x.txt").write_text(STORY, encoding="utf-8")
    sources = [item.source for item in iter_sources([tmp_path], Options())]
    assert sources == [str(tmp_path / "1.txt"), str(tmp_path / "b" / "2.txt")]


def test_a_bad_file_does_not_stop_the_batch(tmp_path: Path):
    (tmp_path / "a_empty.txt").touch()
    (tmp_path / "b_image.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / "c_good.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "d_huge.txt").write_text(STORY * 50, encoding="utf-8")
    items = list(iter_sources([tmp_path], Options(max_bytes=2000)))
    assert [type(i) for i in items] == [EmptyInputError, BinaryInputError, RawArticle, InputTooLargeError]
    for item in items:
        if isinstance(item, InputError):
            assert str(item).startswith(str(tmp_path))
            assert "\n" not in str(item)


def test_missing_path_is_an_error_naming_it(tmp_path: Path):
    [error] = read_file(tmp_path / "nope.txt", Options())
    assert str(error) == f"{tmp_path / 'nope.txt'}: no such file"


def test_mixed_formats_in_one_folder(tmp_path: Path):
    shutil.copy(DATA / "article.html", tmp_path / "page.htm")
    shutil.copy(DATA / "articles.jsonl", tmp_path / "feed.ndjson")
    items = list(iter_sources([tmp_path], Options()))
    formats = [i.format for i in items if isinstance(i, RawArticle)]
    assert formats == ["jsonl", "jsonl", "jsonl", "html"]


def test_format_by_extension():
    for name, fmt in [("a.txt", "text"), ("a.md", "text"), ("a.HTML", "html"), ("a.htm", "html"),
                      ("a.jsonl", "jsonl"), ("a.ndjson", "jsonl"), ("a.warc", "warc"), ("a.warc.gz", "warc")]:
        assert detect_format(Path(name)) == fmt, name


def test_format_by_content_when_extension_says_nothing(tmp_path: Path):
    cases = {
        "page": b"<!DOCTYPE html><html><body><p>x</p></body></html>",
        "feed": b'{"title": "t", "text": "x"}\n',
        "crawl": b"WARC/1.0\r\nWARC-Type: warcinfo\r\n",
        "notes": b"Just a headline\n\nAnd some text.",
    }
    expected = {"page": "html", "feed": "jsonl", "crawl": "warc", "notes": "text"}
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        assert detect_format(tmp_path / name) == expected[name], name
