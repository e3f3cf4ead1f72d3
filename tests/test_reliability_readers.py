"""Hostile and unlucky inputs to the readers: every one is a one-line InputError
naming the file and record, or an article; none is a traceback. Bad inputs are
generated here in tmp_path (no big files in the repository), with small limits
so that "over the limit" costs milliseconds."""

from __future__ import annotations

import dataclasses
import io
import json
import os
import tracemalloc
import zlib
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsdesk.errors import (
    BadDateError,
    InputError,
    InputTooLargeError,
    MalformedRecordError,
    NoArticleError,
)
from newsdesk.ingest import iter_sources, read_file
from newsdesk.ingest.html import parse_html
from newsdesk.limits import default_limits
from newsdesk.model import RawArticle
from newsdesk.options import Options

SENTENCE = "The harbour master said the north wall would be repaired before the spring storms arrived."
GOOD = {"title": "Harbour wall", "text": " ".join([SENTENCE] * 4)}
PAGE = "<html><head><title>P</title></head><body><article><h1>P</h1>" + f"<p>{SENTENCE}</p>" * 6 + "</article></body></html>"


def small(**limits: int) -> Options:
    return Options(limits=dataclasses.replace(default_limits(), **limits))


def items(path: Path, options: Options | None = None) -> list[RawArticle | InputError]:
    return list(read_file(path, options or Options()))


def errors(found: list[RawArticle | InputError]) -> list[InputError]:
    return [i for i in found if isinstance(i, InputError)]


def one_line(error: InputError) -> None:
    text = str(error)
    assert "\n" not in text and "\x1b" not in text
    assert "Traceback" not in text and "object has no attribute" not in text and "Error:" not in text


def jsonl(tmp_path: Path, lines: list[str], name: str = "batch.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- JSONL ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "kind", "words"),
    [
        ("[" * 100_000 + "]" * 100_000, MalformedRecordError, "nested too deeply"),
        ('{"text": "x", "n": ' + "9" * 5000 + "}", MalformedRecordError, "5,000 digits"),
        (json.dumps({"text": "x y z", "published": "yesterday"}), BadDateError, "relative words"),
        (json.dumps({"text": "x y z", "published": "9999-12-31"}), BadDateError, "outside the accepted range"),
        (json.dumps({"text": "x y z", "published": "0001-01-03"}), BadDateError, "outside the accepted range"),
    ],
    ids=["nested", "bigint", "yesterday", "max-date", "min-date"],
)
def test_bad_jsonl_record_costs_only_itself(tmp_path: Path, bad: str, kind: type, words: str) -> None:
    path = jsonl(tmp_path, [json.dumps(GOOD), bad, json.dumps(GOOD)])
    found = items(path)
    assert [type(i) for i in found] == [RawArticle, kind, RawArticle]
    assert str(found[1]).startswith(f"{path}:2: ") and words in str(found[1])
    one_line(found[1])


def test_lone_surrogate_is_replaced_not_fatal(tmp_path: Path) -> None:
    path = jsonl(tmp_path, ['{"title": "A \\ud800 title", "text": "Body \\udfff text of the article."}'])
    [article] = items(path)
    assert isinstance(article, RawArticle)
    assert "\ufffd" in article.text and "\ufffd" in (article.title or "")
    article.text.encode("utf-8")  # valid UTF-8 now: the content id and the store can take it


def test_oversized_line_is_refused_while_streaming(tmp_path: Path) -> None:
    """A 10 MB line under a 1 MB record limit, read in 64 KB chunks: refused, and
    reading it never holds more than the limit plus one chunk of it."""
    path = tmp_path / "big.jsonl"
    big = json.dumps({"title": "x", "text": "word " * 2_000_000})
    path.write_text(json.dumps(GOOD) + "\n" + big + "\n" + json.dumps(GOOD) + "\n", encoding="utf-8")
    options = dataclasses.replace(small(read_chunk_bytes=65_536), max_bytes=1_000_000)
    tracemalloc.start()
    found = items(path, options)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [type(i) for i in found] == [RawArticle, InputTooLargeError, RawArticle]
    assert str(found[1]).startswith(f"{path}:2: record is 10,000,") and "over the limit of 1,000,000" in str(found[1])
    assert peak < 2_500_000  # not the 10 MB line


def test_line_numbers_count_blank_lines(tmp_path: Path) -> None:
    path = jsonl(tmp_path, [json.dumps(GOOD), "", "{broken", json.dumps(GOOD)])
    found = items(path)
    assert str(errors(found)[0]).startswith(f"{path}:3: malformed JSON")
    assert [i.source for i in found if isinstance(i, RawArticle)] == [f"{path}#1", f"{path}#4"]


# --- WARC -------------------------------------------------------------------------


def _response(writer: WARCWriter, n: int, payload: bytes = PAGE.encode()):  # type: ignore[no-untyped-def]
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
    return writer.create_warc_record(f"https://harbour.example/{n}", "response", payload=io.BytesIO(payload), http_headers=headers)


def warc_bytes(n: int, gzip: bool) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzip)
    for i in range(n):
        writer.write_record(_response(writer, i))
    return out.getvalue()


def gzip_member(parts: list[bytes]) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    return b"".join([compressor.compress(p) for p in parts] + [compressor.flush()])


def test_warc_gzip_bomb_stops_at_the_member_limit(tmp_path: Path) -> None:
    """Record 2 is a gzip member of 64 MiB of zeros (64 KB on disk)."""
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
    size = 64 << 20
    head = (
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://harbour.example/bomb\r\n"
        b"Content-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n" % (len(http) + size)
    )
    bomb = gzip_member([head + http] + [b"\0" * (1 << 20)] * (size >> 20))
    path = tmp_path / "bomb.warc.gz"
    path.write_bytes(warc_bytes(1, True) + bomb + warc_bytes(1, True))
    tracemalloc.start()
    found = items(path, small(max_member_bytes=8 << 20))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert isinstance(found[0], RawArticle)
    [error] = errors(found)
    assert isinstance(error, InputTooLargeError)
    assert str(error).startswith(f"{path}:2: gzip member 2 decompresses to over 8,388,608 bytes")
    assert peak < 32 << 20


def test_warc_file_limit_counts_every_member(tmp_path: Path) -> None:
    path = tmp_path / "many.warc.gz"
    path.write_bytes(warc_bytes(6, True))
    found = items(path, small(max_file_bytes=3000))
    error = errors(found)[-1]
    assert isinstance(error, InputTooLargeError) and "file decompresses to over 3,000 bytes" in str(error)


def test_warc_header_line_without_end_is_bounded(tmp_path: Path) -> None:
    path = tmp_path / "line.warc.gz"
    path.write_bytes(warc_bytes(1, True) + gzip_member([b"WARC/1.0\r\nX-Long: "] + [b"a" * (1 << 20)] * 16))
    found = items(path, small(max_member_bytes=4 << 20))
    assert isinstance(found[0], RawArticle)
    assert str(errors(found)[0]).startswith(f"{path}:2: ")


@pytest.mark.parametrize(
    "garbage",
    [os.urandom(2000), b"WARC-Type: response\r\n" + bytes(range(256)) * 4, b"\r\n\r\n\xff\xfe garbage"],
    ids=["random", "binary-header", "blank-garbage"],
)
def test_warc_garbage_after_good_header_is_a_message(tmp_path: Path, garbage: bytes) -> None:
    path = tmp_path / "garbage.warc"
    path.write_bytes(b"WARC/1.0\r\n" + garbage)
    found = items(path)
    assert found and all(isinstance(i, InputError) for i in found)
    for error in found:
        assert str(error).startswith(f"{path}:1: ")
        one_line(error)  # type: ignore[arg-type]


def test_warc_bad_second_record_is_reported_as_record_2(tmp_path: Path) -> None:
    good = warc_bytes(1, False)
    path = tmp_path / "two.warc"
    path.write_bytes(good + b"WARC/1.0\r\nContent-Length: abc\r\n\r\n" + good)
    found = items(path)
    assert isinstance(found[0], RawArticle) and found[0].source == f"{path}#1"
    assert str(errors(found)[0]).startswith(f"{path}:2: ")


def test_cut_gzip_warc_names_the_lost_record(tmp_path: Path) -> None:
    data = warc_bytes(3, True)
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(data[: len(data) - 100])
    found = items(path)
    assert [i.source for i in found if isinstance(i, RawArticle)] == [f"{path}#1", f"{path}#2"]
    assert str(errors(found)[-1]).startswith(f"{path}:3: truncated or corrupt WARC record")


# --- HTML, files and folders -------------------------------------------------------


@pytest.mark.parametrize("wrap", [True, False], ids=["in-p", "bare-text"])
def test_text_under_100k_nested_divs_is_extracted(wrap: bool) -> None:
    body = f"<p>{' '.join([SENTENCE] * 3)}</p>" if wrap else " ".join([SENTENCE] * 3)
    html = "<html><body>" + "<div>" * 100_000 + body + "</div>" * 100_000 + "</body></html>"
    article = parse_html(html, "deep.html")
    assert "harbour master" in article.text


def test_page_without_text_is_still_no_article() -> None:
    with pytest.raises(NoArticleError, match="no article text found"):
        parse_html("<html><body><nav>Home</nav></body></html>", "nav.html")


def test_fifo_is_refused_by_name(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    [error] = list(iter_sources([tmp_path], Options()))
    assert str(error) == f"{fifo}: not a regular file (a named pipe), skipped"


def test_unreadable_subfolder_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "a.txt").write_text("Title\n\n" + SENTENCE, encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    real = os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = list(iter_sources([tmp_path], Options()))
    assert any(isinstance(i, RawArticle) for i in found)
    assert [str(e) for e in errors(found)] == [f"{locked}: cannot read folder: Permission denied"]


def test_file_names_with_newlines_and_escapes_stay_one_line(tmp_path: Path) -> None:
    path = tmp_path / "evil\nname\x1b]0;pwned\x07.txt"
    path.write_bytes(b"")
    [error] = items(path)
    one_line(error)
    assert "evil\\nname\\u001b]0;pwned\\u0007.txt" in str(error)


def _bomb_member(size: int) -> bytes:
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
    head = (
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://harbour.example/bomb\r\n"
        b"Content-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n" % (len(http) + size)
    )
    return gzip_member([head + http] + [b"\0" * (1 << 20)] * (size >> 20))


def test_records_after_a_gzip_bomb_are_still_read(tmp_path: Path) -> None:
    """In a .warc.gz a bad record's member is skipped: the records after it are read."""
    path = tmp_path / "middle.warc.gz"
    path.write_bytes(warc_bytes(1, True) + _bomb_member(16 << 20) + warc_bytes(2, True))
    found = items(path, small(max_member_bytes=4 << 20))
    assert [i.source if isinstance(i, RawArticle) else str(i)[: len(str(path)) + 3] for i in found] == [
        f"{path}#1", f"{path}:2:", f"{path}#3", f"{path}#4",
    ]
    assert "decompresses to over 4,194,304" in str(found[1])


def test_file_limit_holds_while_a_bomb_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "middle.warc.gz"
    path.write_bytes(warc_bytes(1, True) + _bomb_member(16 << 20) + warc_bytes(2, True))
    stopped = items(path, small(max_member_bytes=4 << 20, max_file_bytes=8 << 20))
    assert [type(i).__name__ for i in stopped] == ["RawArticle", "InputTooLargeError", "InputTooLargeError"]
    assert "file decompresses to over 8,388,608 bytes" in str(stopped[2])
