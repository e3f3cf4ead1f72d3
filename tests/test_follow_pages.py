"""A fetched page becomes a RawArticle with the feed's metadata; its date is the
entry's, else one the page declares, never one guessed from the text."""

from __future__ import annotations

from datetime import date

import httpx

from newsdesk.follow.fetch import Response
from newsdesk.follow.pages import declared_date, page_article
from newsdesk.follow.sources import Entry

BODY = (
    "<p>The harbour board of Eastbank met on a wet morning to decide the future of the old sea wall, "
    "which was first built in 1911 and last repaired in 2010 after a storm.</p>"
    "<p>Members voted to rebuild the wall before winter, the board's chair said after the meeting, "
    "and asked the council for a loan to cover the cost of the work.</p>"
)


def _page(head: str = "") -> bytes:
    return f"<html><head><title>Eastbank votes to rebuild sea wall</title>{head}</head><body><article><h1>Eastbank votes to rebuild sea wall</h1>{BODY}</article></body></html>".encode()


def _response(body: bytes, url: str = "http://127.0.0.1:9/news/wall") -> Response:
    return Response(url, 200, httpx.Headers({"content-type": "text/html; charset=utf-8"}), body)


def test_entry_metadata_fills_the_article() -> None:
    entry = Entry("http://127.0.0.1:9/news/wall", "Wall vote", date(2026, 9, 3), ("Local",))
    raw = page_article(_response(_page()), entry, "Eastbank Courier")
    assert (raw.source, raw.url, raw.outlet, raw.published) == (entry.url, entry.url, "Eastbank Courier", date(2026, 9, 3))
    assert raw.title == "Eastbank votes to rebuild sea wall" and "sea wall" in raw.text


def test_without_feed_title_the_domain_names_the_outlet() -> None:
    raw = page_article(_response(_page(), "http://www.courier.example/w"), Entry("http://www.courier.example/w"), None)
    assert raw.outlet == "courier.example"


def test_years_in_the_text_are_not_a_publication_date() -> None:
    assert declared_date(_page(), "http://127.0.0.1:9/news/wall") is None
    raw = page_article(_response(_page()), Entry("http://127.0.0.1:9/news/wall"), None)
    assert raw.published is None


def test_a_date_the_page_declares_is_used_when_the_entry_has_none() -> None:
    head = '<meta property="article:published_time" content="2026-08-30T07:00:00Z">'
    assert declared_date(_page(head), "http://127.0.0.1:9/news/wall") == date(2026, 8, 30)
    raw = page_article(_response(_page(head)), Entry("http://127.0.0.1:9/news/wall"), None)
    assert raw.published == date(2026, 8, 30)
