"""HTML reader: trafilatura body + metadata; no article and broken markup fail cleanly."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from newsdesk.errors import InputError, NoArticleError
from newsdesk.ingest.html import declared_charset, parse_html, read_html
from newsdesk.model import RawArticle
from newsdesk.options import Options

DATA = Path(__file__).parent / "data" / "ingest"


def test_article_page_gives_body_and_metadata():
    [raw] = read_html(DATA / "article.html", Options())
    assert isinstance(raw, RawArticle)
    assert raw.title == "Lighthouse keeper's logbooks go on display in Port Carrow"
    assert raw.outlet == "Carrow Chronicle"
    assert raw.url == "https://carrow.example/news/logbooks"
    assert raw.published == date(2021, 9, 17)
    assert raw.language == "en"
    assert raw.format == "html"
    assert "Forty years of handwritten logbooks" in raw.text
    assert "Home" not in raw.text.split("\n\n")  # navigation is not article
    # paragraphs are separated by blank lines, as RawArticle promises
    assert "\n\nMuseum curator Robert Tanaka" in raw.text


def test_page_without_article_is_no_article_error():
    [error] = read_html(DATA / "noarticle.html", Options())
    assert isinstance(error, NoArticleError)
    assert str(error) == f"{DATA / 'noarticle.html'}: no article text found in the HTML page"


def test_broken_html_does_not_crash():
    [item] = read_html(DATA / "broken.html", Options())
    assert isinstance(item, (RawArticle, InputError))
    if isinstance(item, InputError):
        assert str(item).startswith(str(DATA / "broken.html"))


def test_record_number_in_source_and_errors():
    with pytest.raises(NoArticleError, match=r"^crawl\.warc:7: no article"):
        parse_html("<html><body></body></html>", "crawl.warc", record=7)


def test_meta_charset_decodes_cp1251_page(tmp_path: Path):
    body = "".join(
        f"<p>Абзац номер {i}: жители Грозного рассказали журналистам, что всё больше людей выступают против войны.</p>"
        for i in range(5)
    )
    page = f'<html lang="ru"><head><meta charset="windows-1251"><title>Новости</title></head><body><article>{body}</article></body></html>'
    path = tmp_path / "ru.html"
    path.write_bytes(page.encode("cp1251"))
    assert declared_charset(path.read_bytes()) == "windows-1251"
    [raw] = read_html(path, Options())
    assert "жители Грозного" in raw.text
    assert raw.language == "ru"


def test_fallback_date_when_page_has_none():
    html = "<html><body><article>" + "<p>An invented paragraph about a village fete that raised money for the roof.</p>" * 4 + "</article></body></html>"
    raw = parse_html(html, "x.html", published=date(2020, 1, 2))
    assert raw.published == date(2020, 1, 2)
