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


_PARAGRAPHS = "".join(
    f"<p>Paragraph {i} of the invented report says the harbour wall was repaired before the winter storms.</p>"
    for i in range(5)
)


def _page(body: str, head: str = "") -> str:
    return f"<html><head><title>Harbour wall repaired in time</title>{head}</head><body>{body}</body></html>"


def test_page_chrome_left_out_by_trafilatura_is_recorded_with_reasons():
    html = _page(
        '<div class="cookie-banner">We use cookies to improve your visit.</div>'
        '<nav><a href="/">News</a> <a href="/sport">Sport</a></nav>'
        "<main><article><h1>Harbour wall repaired in time</h1>"
        f"<p class='byline'>By Ana Ruiz</p>{_PARAGRAPHS}</article>"
        "<aside class='related-links'><h3>More stories</h3><ul><li>Ferry fares to rise in spring</li></ul></aside>"
        "<aside><p>Weather for the week ahead in the bay</p></aside>"
        '<section class="comments"><p>Great news for the town.</p></section></main>'
        "<footer><p>© 2024 Bay Times</p></footer>"
        '<script>var x = "never text";</script><div hidden>Hidden promo text here</div>'
        '<div style="display: none">Invisible too</div>'
    )
    raw = parse_html(html, "x.html")
    reasons = {d.text: d.reason for d in raw.dropped}
    assert reasons["We use cookies to improve your visit."] == "cookie-notice"
    assert reasons["News Sport"] == "page-navigation"
    assert reasons["By Ana Ruiz"] == "byline"
    assert reasons["More stories"] == reasons["Ferry fares to rise in spring"] == "related-links"
    assert reasons["Weather for the week ahead in the bay"] == "sidebar"
    assert reasons["Great news for the town."] == "comments"
    assert reasons["© 2024 Bay Times"] == "page-footer"
    assert not any("never text" in t or "Hidden promo" in t or "Invisible" in t for t in reasons)
    assert not any(t.startswith("Paragraph") for t in reasons)  # article text is not "dropped"
    assert "Paragraph 4 of the invented report" in raw.text  # and the body is unchanged


def test_block_without_a_telling_container_is_not_main_content():
    html = _page(f"<article>{_PARAGRAPHS}</article><div><div>Weekly puzzle answers for the bay area</div></div>")
    raw = parse_html(html, "x.html")
    assert [(d.text, d.reason) for d in raw.dropped] == [("Weekly puzzle answers for the bay area", "not-main-content")]


def test_header_inside_article_is_not_site_navigation():
    html = _page(
        '<header class="site"><a href="/">Bay Times home</a></header>'
        "<article><header><span>Filed from the harbour office</span></header>"
        f"{_PARAGRAPHS}</article>"
    )
    reasons = {d.text: d.reason for d in parse_html(html, "x.html").dropped}
    assert reasons["Bay Times home"] == "page-navigation"
    assert reasons["Filed from the harbour office"] == "not-main-content"


def test_headline_copies_beyond_the_extracted_one_are_repeated_headline():
    html = _page(
        "<article><p class='kicker'>Harbour wall</p><h1>Harbour wall repaired in time</h1>"
        f"<p>Harbour wall repaired in time</p>{_PARAGRAPHS}</article>"
    )
    raw = parse_html(html, "x.html")
    headline = [d.text for d in raw.dropped if d.reason == "repeated-headline"]
    # one copy is in the text (clean drops and records it); the other is recorded here
    assert raw.text.split("\n\n").count("Harbour wall repaired in time") + len(headline) == 2


def test_record_of_a_huge_page_is_bounded():
    links = "".join(f"<li><a href='/{i}'>Archive link number {i}</a></li>" for i in range(1200))
    raw = parse_html(_page(f"<article>{_PARAGRAPHS}</article><nav><ul>{links}</ul></nav>"), "x.html")
    assert len(raw.dropped) == 501
    assert raw.dropped[-1].reason == "truncated-record"
    assert raw.dropped[-1].text == "… 700 more lines"


def test_dek_after_h1_becomes_standfirst_when_trafilatura_left_it_out():
    page = (DATA.parent.parent.parent / "examples" / "story" / "northern-gazette-bregovar.html").read_text("utf-8")
    raw = parse_html(page, "gazette.html")
    assert raw.standfirst is not None and raw.standfirst.startswith("Families from two riverside districts")
    assert raw.standfirst.endswith("seen by the Gazette.")  # the visible dek, not the shorter meta description
    assert all("Families from two" not in d.text for d in raw.dropped)


def test_dek_in_body_moves_to_standfirst():
    page = (DATA.parent.parent.parent / "examples" / "story" / "continental-herald-bregovar.html").read_text("utf-8")
    raw = parse_html(page, "herald.html")
    assert raw.standfirst is not None and raw.standfirst.startswith("Officials ordered two neighborhoods cleared")
    assert "Officials ordered" not in raw.text


def test_first_paragraph_equal_to_meta_description_is_the_standfirst():
    summary = "Council engineers finished the harbour wall two days before the first winter storm arrived."
    html = _page(
        f"<article><h1>Harbour wall repaired in time</h1><p>{summary}</p>{_PARAGRAPHS}</article>",
        head=f'<meta name="description" content="{summary[:-1]}">',
    )
    raw = parse_html(html, "x.html")
    assert raw.standfirst == summary
    assert summary not in raw.text


def test_first_paragraph_unlike_the_description_stays_in_body():
    lede = "Council engineers finished the harbour wall two days before the first winter storm arrived."
    html = _page(
        f"<article><h1>Harbour wall repaired in time</h1><p>{lede}</p>{_PARAGRAPHS}</article>",
        head='<meta name="description" content="The town celebrates as the new sea defences open to walkers.">',
    )
    raw = parse_html(html, "x.html")
    assert raw.standfirst is None  # a description nobody sees on the page is not used
    assert lede in raw.text
