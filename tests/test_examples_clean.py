"""The invented example story, ingested and cleaned, against a hand annotation.

``tests/data/examples_clean_gold.json`` says what a careful reader of each file in
``examples/story/`` expects: title, outlet, date, standfirst, where the body starts
and ends, text that must not be in the body, and the cuts (with reasons) that must
be on record, including the page chrome trafilatura leaves out of HTML pages.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsdesk.clean import clean
from newsdesk.errors import InputError
from newsdesk.ingest import iter_sources
from newsdesk.model import Article
from newsdesk.options import Options

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples" / "story"
GOLD = json.loads((Path(__file__).parent / "data" / "examples_clean_gold.json").read_text("utf-8"))["articles"]


@pytest.fixture(scope="module")
def articles() -> dict[str, Article]:
    options = Options()
    found: dict[str, Article] = {}
    for item in iter_sources([str(EXAMPLES)], options):
        assert not isinstance(item, InputError), str(item)
        article = clean(item, options)
        found[Path(article.source).name] = article
    return found


def test_every_example_article_is_annotated(articles: dict[str, Article]):
    assert sorted(articles) == sorted(GOLD)


@pytest.mark.parametrize("name", sorted(GOLD))
def test_metadata(name: str, articles: dict[str, Article]):
    article, gold = articles[name], GOLD[name]
    assert article.title == gold["title"]
    assert article.outlet == gold["outlet"]
    assert (article.published.isoformat() if article.published else None) == gold["published"]


@pytest.mark.parametrize("name", sorted(GOLD))
def test_standfirst_and_body_bounds(name: str, articles: dict[str, Article]):
    article, gold = articles[name], GOLD[name]
    if gold["standfirst_starts"] is None:
        assert article.standfirst is None
    else:
        assert article.standfirst is not None and article.standfirst.startswith(gold["standfirst_starts"])
        assert not article.body.startswith(article.standfirst[:40])  # moved, not copied
    assert article.body.startswith(gold["body_starts"])
    assert article.body.endswith(gold["body_ends"])
    for text in gold.get("body_excludes", []):
        assert text not in article.body


@pytest.mark.parametrize("name", sorted(GOLD))
def test_every_annotated_cut_is_on_record(name: str, articles: dict[str, Article]):
    unmatched = list(articles[name].dropped)
    for expected in GOLD[name]["dropped"]:
        match = next(
            (d for d in unmatched if expected["text"] in d.text and d.reason == expected["reason"]),
            None,
        )
        recorded = [(d.text[:60], d.reason) for d in articles[name].dropped]
        assert match is not None, f"{expected} not in {recorded}"
        unmatched.remove(match)


def test_no_html_cut_is_left_unexplained(articles: dict[str, Article]):
    """Every block of the example pages sits in a container that says what it is."""
    for name in ("continental-herald-bregovar.html", "northern-gazette-bregovar.html"):
        assert [d.text for d in articles[name].dropped if d.reason == "not-main-content"] == []
