"""The example story (examples/story) against hand-annotated quotes in
tests/data/examples_gold.json: direct, partial and reported speech with speaker,
channel and addressee.

The articles go through the real ingest, cleaning and analysis stages, so these
tests check what ``newsdesk analyze examples/story`` shows a user. Undated files get
published=2024-03-07, as the README's example command passes.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from newsdesk.analyze.pipeline import analyze_article
from newsdesk.clean import clean
from newsdesk.ingest import read_file
from newsdesk.model import Analysis, Quote
from newsdesk.options import Options

ROOT = Path(__file__).resolve().parent.parent
STORY = ROOT / "examples" / "story"
GOLD = json.loads((ROOT / "tests" / "data" / "examples_gold.json").read_text(encoding="utf-8"))
ARTICLES = {name: doc for name, doc in GOLD.items() if not name.startswith("_")}


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def names(value: str | list[str]) -> list[str]:
    return value if isinstance(value, list) else [value]


def speaker_matches(quote: Quote, gold_speaker: str | list[str]) -> bool:
    return quote.speaker is not None and any(g.lower() in quote.speaker.name.lower() for g in names(gold_speaker))


@pytest.fixture(scope="module")
def analyses() -> dict[str, Analysis]:
    """Every article of the example story, keyed by file name (file#record for JSONL)."""
    options = Options(published=date(2024, 3, 7))
    found: dict[str, Analysis] = {}
    for path in sorted(STORY.iterdir()):
        for raw in read_file(path, options):
            assert not isinstance(raw, Exception), raw
            analysis = analyze_article(clean(raw, options), options)
            found[Path(analysis.article.source).name] = analysis
    return found


def cases(section: str) -> list[tuple[str, dict]]:
    return [(name, item) for name, doc in ARTICLES.items() for item in doc.get(section, [])]


def case_id(case: tuple[str, dict]) -> str:
    name, item = case
    return f"{name.split('-')[0]}{name[-2:] if '#' in name else ''}-{next(iter(item.values()))!s:.30}"


def quotes_of(analyses: dict[str, Analysis], name: str, kind: str) -> list[Quote]:
    assert name in analyses, f"{name} not read from {STORY}"
    return [q for q in analyses[name].quotes if q.kind == kind]


def check_channel_and_addressee(quote: Quote, item: dict) -> None:
    if "channel" in item:
        assert quote.channel == item["channel"], (quote.channel, quote.text)
    if "addressee" in item:
        assert quote.addressee == item["addressee"], (quote.addressee, quote.text)


DIRECT = cases("direct_quotes")


@pytest.mark.parametrize("name,item", DIRECT, ids=[case_id(c) for c in DIRECT])
def test_direct_quote_span_and_speaker(analyses, name, item):
    direct = quotes_of(analyses, name, "direct")
    hits = [q for q in direct if norm(q.text).startswith(norm(item["starts"]))]
    assert len(hits) == 1, [q.text[:50] for q in direct]
    quote = hits[0]
    assert norm(quote.text).endswith(norm(item["ends"])), quote.text
    assert quote.speaker is not None, f"unattributed: {quote.text[:60]}"
    assert speaker_matches(quote, item["speaker"]), quote.speaker
    assert quote.paragraphs == item.get("paragraphs", 1)
    check_channel_and_addressee(quote, item)


PARTIAL = cases("partial_quotes")


@pytest.mark.parametrize("name,item", PARTIAL, ids=[case_id(c) for c in PARTIAL])
def test_partial_quote_and_speaker(analyses, name, item):
    partial = quotes_of(analyses, name, "partial")
    hits = [q for q in partial if norm(q.text) == norm(item["text"])]
    assert len(hits) == 1, [q.text for q in partial]
    if item["speaker"] is None:
        assert hits[0].speaker is None, hits[0].speaker
    else:
        assert speaker_matches(hits[0], item["speaker"]), hits[0].speaker


REPORTED = cases("reported")


@pytest.mark.parametrize("name,item", REPORTED, ids=[case_id(c) for c in REPORTED])
def test_reported_speech_and_source(analyses, name, item):
    reported = quotes_of(analyses, name, "reported")
    hits = [q for q in reported if norm(item["contains"]) in norm(q.text)]
    assert hits, [q.text[:60] for q in reported]
    quote = hits[0]
    assert speaker_matches(quote, item["source"]), quote.speaker
    if "not_contains" in item:
        assert item["not_contains"] not in quote.text, quote.text
    check_channel_and_addressee(quote, item)


@pytest.mark.parametrize("name", sorted(ARTICLES))
def test_no_gold_direct_quote_is_unattributed(analyses, name):
    """Every direct quote the gold gives a speaker has one (none left "unattributed")."""
    direct = quotes_of(analyses, name, "direct")
    for item in ARTICLES[name].get("direct_quotes", []):
        for quote in direct:
            if norm(quote.text).startswith(norm(item["starts"])):
                assert quote.speaker is not None, quote.text[:60]


def test_no_reported_span_cuts_a_pair_of_quotation_marks(analyses):
    """A reported clause that holds a partial quote holds all of it (“...”), or none."""
    for analysis in analyses.values():
        for quote in analysis.quotes:
            if quote.kind == "reported":
                assert quote.text.count("“") == quote.text.count("”"), quote.text
                assert quote.text.count('"') % 2 == 0, quote.text


def test_every_gold_article_was_read(analyses):
    assert set(ARTICLES) <= set(analyses)
