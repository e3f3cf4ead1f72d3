"""The two seed scrapes against ../shared/gold/seeds.json (skipped when absent)."""

from __future__ import annotations

import re

import pytest

from newsdesk.clean import clean
from newsdesk.ingest import read_file
from newsdesk.model import Article, RawArticle
from newsdesk.options import Options

pytestmark = pytest.mark.seeds


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def _article(seed_paths, name: str) -> Article:
    [raw] = read_file(seed_paths[name], Options())
    assert isinstance(raw, RawArticle), raw
    return clean(raw, Options())


@pytest.fixture(scope="module", params=["000_9b14b0712235eade.txt", "001_12255b56528e1f34.txt"])
def seed(request, seed_paths, gold):
    return _article(seed_paths, request.param), gold[request.param]


def test_title(seed):
    article, expected = seed
    assert _norm(article.title) == _norm(expected["title"])


def test_dropped_lines_include_gold(seed):
    article, expected = seed
    dropped = [_norm(d.text) for d in article.dropped]
    for line in expected["dropped"] + expected.get("repeated_headline_lines", []):
        assert any(d.startswith(_norm(line)) for d in dropped), line


def test_no_residue_left_in_body(seed):
    article, expected = seed
    body = _norm(article.body)
    for line in expected["dropped"] + expected.get("repeated_headline_lines", []):
        assert _norm(line) not in body


def test_body_start_and_end(seed):
    article, expected = seed
    body = _norm(article.body)
    if "body_starts" in expected:
        assert body.startswith(_norm(expected["body_starts"]))
    assert body.endswith(_norm(expected["body_ends"]))


def test_standfirst(seed):
    article, expected = seed
    if "standfirst_starts" in expected:
        assert _norm(article.standfirst).startswith(_norm(expected["standfirst_starts"]))
        assert _norm(expected["standfirst_starts"]) not in _norm(article.body)
    else:
        assert article.standfirst is None


def test_seed_001_details(seed_paths):
    article = _article(seed_paths, "001_12255b56528e1f34.txt")
    reasons = {_norm(d.text): d.reason for d in article.dropped}
    assert reasons["source site-34"] == "aggregator-tag"
    assert reasons["He does not send his own troops"] == "repeated-headline"
    assert reasons["Kadyrov calls fleeing Russians cowards"] == "repeated-headline"
    # a real subheading stays in the body
    assert "\n\nHardliners put pressure on Putin\n\n" in article.body


def test_seed_000_details(seed_paths):
    article = _article(seed_paths, "000_9b14b0712235eade.txt")
    assert [d.reason for d in article.dropped] == ["read-more-teaser", "comment-prompt", "comment-prompt"]
    assert article.language == "en"
    assert article.id == Article.content_id(article.title, article.body)
