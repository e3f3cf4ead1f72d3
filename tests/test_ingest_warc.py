"""WARC reader: HTML responses become articles; truncation yields what was read + one error."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsdesk.errors import MalformedRecordError, NoArticleError
from newsdesk.ingest.warc import read_warc
from newsdesk.model import RawArticle
from newsdesk.options import Options

PAGE = (
    "<html><head><title>Harbour page {n}</title></head><body><article><h1>Harbour page {n}</h1>"
    + "".join(
        f"<p>Paragraph {i} of invented story {{n}}: the harbour master said repairs to the north wall would take until spring.</p>"
        for i in range(6)
    )
    + "</article></body></html>"
)


def _write_warc(path: Path, gzip: bool) -> None:
    """Records: warcinfo, 3 HTML responses, a request, an image, a page with no article."""
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=gzip)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "newsdesk tests"}))
        for n in range(3):
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            payload = io.BytesIO(PAGE.format(n=n).encode("utf-8"))
            record = writer.create_warc_record(
                f"https://harbour.example/{n}", "response", payload=payload, http_headers=headers,
                warc_headers_dict={"WARC-Date": "2023-02-0{}T12:00:00Z".format(n + 1)},
            )
            writer.write_record(record)
        writer.write_record(writer.create_warc_record("https://harbour.example/0", "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
        image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record("https://harbour.example/a.png", "response", payload=io.BytesIO(b"\x89PNG...."), http_headers=image))
        empty = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record("https://harbour.example/nav", "response", payload=io.BytesIO(b"<html><body><nav>Home</nav></body></html>"), http_headers=empty))


@pytest.fixture(params=[False, True], ids=["warc", "warc.gz"])
def warc_path(request, tmp_path: Path) -> Path:
    path = tmp_path / ("crawl.warc.gz" if request.param else "crawl.warc")
    _write_warc(path, gzip=request.param)
    return path


def test_html_responses_are_articles(warc_path: Path):
    items = list(read_warc(warc_path, Options()))
    articles = [i for i in items if isinstance(i, RawArticle)]
    assert [a.url for a in articles] == [f"https://harbour.example/{n}" for n in range(3)]
    assert [a.source for a in articles] == [f"{warc_path}#{n}" for n in (2, 3, 4)]
    assert articles[0].title == "Harbour page 0" and articles[0].format == "warc"
    # no date in the page: the capture date (WARC-Date) is the fallback
    assert [a.published for a in articles] == [date(2023, 2, n) for n in (1, 2, 3)]
    # request and image records are skipped silently; the navigation-only page is an error
    [error] = [i for i in items if not isinstance(i, RawArticle)]
    assert isinstance(error, NoArticleError)
    assert str(error) == f"{warc_path}:7: no article text found in the HTML page"


def _record_spans(path: Path) -> list[tuple[int, int]]:
    """(offset, length) of every record, to cut a file in the middle of one."""
    with path.open("rb") as handle:
        iterator = ArchiveIterator(handle)
        spans = []
        for record in iterator:
            record.content_stream().read()
            spans.append((iterator.get_record_offset(), iterator.get_record_length()))
    return spans


@pytest.mark.parametrize("cut_in", [2, 3])
def test_truncated_warc_yields_records_so_far_and_one_error(warc_path: Path, cut_in: int):
    """Cut the file halfway through record ``cut_in + 1`` (1-based numbering)."""
    offset, length = _record_spans(warc_path)[cut_in]
    warc_path.write_bytes(warc_path.read_bytes()[: offset + length // 2])
    items = list(read_warc(warc_path, Options()))
    assert [i.source for i in items[:-1]] == [f"{warc_path}#{n}" for n in range(2, cut_in + 1)]
    error = items[-1]
    assert isinstance(error, MalformedRecordError)
    assert str(error).startswith(f"{warc_path}:{cut_in + 1}: truncated or corrupt WARC record")


def test_not_a_warc_is_one_error(tmp_path: Path):
    path = tmp_path / "fake.warc"
    path.write_text("this is not an archive at all\n", encoding="utf-8")
    [error] = read_warc(path, Options())
    assert isinstance(error, MalformedRecordError)
    assert str(error).startswith(f"{path}:1: ")
