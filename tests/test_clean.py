"""clean(): title, repeated headline, standfirst, link lists, paragraphs, language, id."""

from __future__ import annotations

from datetime import date

from newsdesk.clean import clean, detect_standfirst, guess_language
from newsdesk.ingest.html import parse_html
from newsdesk.model import Article, RawArticle
from newsdesk.options import Options

TITLE = "River Elm bursts its banks as Millbrook evacuates 400 homes"
SUMMARY = "Hundreds of families spent the night in a school hall after the worst flooding in fifty years. Officials say the river will peak on Wednesday."
P1 = "Emergency crews evacuated more than 400 homes in Millbrook on Tuesday after the River Elm burst its banks."
P2 = "The county fire service said water levels rose by almost two metres overnight."
P3 = "“We have never seen the water come up this quickly,” said Hannah Reyes."


def _clean(text: str, title: str | None = TITLE, **kw) -> Article:
    return clean(RawArticle(source="t.txt", text=text, title=title, **kw), Options())


def test_kicker_lines_then_standfirst():
    article = _clean(f"River Elm bursts its banks\nMillbrook evacuates homes\n\n{SUMMARY}\n\n{P1}\n\n{P2}\n\n{P3}")
    assert [d.reason for d in article.dropped] == ["repeated-headline", "repeated-headline"]
    assert article.standfirst == SUMMARY
    assert article.body == "\n\n".join([P1, P2, P3])


def test_no_kicker_means_no_standfirst():
    article = _clean(f"{SUMMARY}\n\n{P1}\n\n{P2}\n\n{P3}")
    assert article.standfirst is None
    assert article.body.startswith(SUMMARY)


def test_standfirst_needs_following_body_and_prose():
    assert not detect_standfirst([SUMMARY, P1], after_headline=True)  # only one paragraph after
    assert not detect_standfirst([P3, P1, P2], after_headline=True)  # opens with a quote
    assert not detect_standfirst(["Too short to summarise."] + [P1, P2], after_headline=True)
    assert detect_standfirst([SUMMARY, P1, P2], after_headline=True)


def test_headline_repeated_far_down_is_kept():
    text = f"{P1}\n\n{P2}\n\n{P3}\n\n{P2}\n\nRiver Elm bursts its banks"
    assert "River Elm bursts its banks" in _clean(text).body


def test_html_title_repeated_as_first_line_is_dropped():
    html = (
        f"<html><head><title>{TITLE}</title></head><body><article><h1>{TITLE}</h1>"
        f"<p>{P1}</p><p>{P2}</p><p>{P3}</p></article></body></html>"
    )
    article = clean(parse_html(html, "page.html"), Options())
    assert article.title == TITLE
    assert [(d.text, d.reason) for d in article.dropped] == [(TITLE, "repeated-headline")]
    assert article.body.startswith(P1)


def test_link_list_after_header_goes_with_it():
    text = f"{P1}\n\n{P2}\n\nMost read\n\nFerry fares to rise from April\n\nLifeboat crew rescue two kayakers\n\n{P3}"
    article = _clean(text)
    assert [d.reason for d in article.dropped] == ["related-links"] * 3
    assert article.body == "\n\n".join([P1, P2, P3])


def test_hard_wrapped_lines_are_rejoined():
    text = "The harbour board said on Monday that repairs to the\nnorth wall would start in May.\nA second paragraph on its own line."
    article = _clean(text, title="Harbour")
    assert article.body == (
        "The harbour board said on Monday that repairs to the north wall would start in May."
        "\n\nA second paragraph on its own line."
    )


def test_id_is_content_hash_and_metadata_passes_through():
    article = _clean(f"{P1}\n\n{P2}", outlet="Courier", url="https://x.example/a", published=date(2023, 3, 14))
    assert article.id == Article.content_id(TITLE, article.body)
    assert (article.outlet, article.url, article.published) == ("Courier", "https://x.example/a", date(2023, 3, 14))
    assert _clean(f"{P1}\n\n{P2}").id == article.id  # idempotent


def test_options_published_is_the_fallback_date():
    raw = RawArticle(source="t.txt", text=P1, title=TITLE)
    assert clean(raw, Options(published=date(2022, 9, 23))).published == date(2022, 9, 23)


def test_language_from_metadata_wins_else_guessed():
    assert _clean(f"{P1}\n\n{P2}", language="en-GB").language == "en-GB"
    assert _clean(f"{P1}\n\n{P2}").language == "en"
    assert guess_language("Глава Чечни заявил, что отказ от службы — это лишь отговорки, и он не отправит новых бойцов на фронт.") == "ru"
    assert guess_language("Der Bürgermeister sagte, dass die Stadt mit dem Bau der neuen Brücke im Frühjahr beginnen wird.") == "de"
    assert guess_language("12 34 56 78 90") is None


def test_reader_drops_are_kept_first():
    from newsdesk.model import DroppedLine

    raw = RawArticle(source="t.txt", text=f"{P1}\n\nAdvertisement", title=TITLE, dropped=[DroppedLine("nav", "boilerplate")])
    assert [d.reason for d in clean(raw, Options()).dropped] == ["boilerplate", "advertisement"]
