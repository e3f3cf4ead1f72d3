"""The seed documents against ../shared/gold/seeds.json: entities and quotes.

Seeds are read through the real ingest + cleaning stages, so these tests check what a
user gets from ``newsdesk analyze``. Skipped when ../shared is absent.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from newsdesk.analyze.pipeline import analyze
from newsdesk.clean import clean
from newsdesk.ingest import read_file
from newsdesk.model import Analysis, Quote
from newsdesk.options import Options

GOLD_FILE = Path(__file__).resolve().parent.parent.parent / "shared" / "gold" / "seeds.json"
PLACE_LABELS = {"GPE", "LOC", "FAC"}
LABELS = {"PERSON": {"PERSON"}, "PLACE": PLACE_LABELS, "ORG": {"ORG"}}


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def analyses(seed_paths: dict[str, Path]) -> dict[str, Analysis]:
    """Both seeds analysed once (one model load for the whole module)."""
    options = Options()
    articles = []
    for path in seed_paths.values():
        (raw,) = list(read_file(path, options))
        articles.append(clean(raw, options))
    return {Path(a.article.source).name: a for a in analyze(articles, options)}


def seed_cases(kind: str) -> list[tuple[str, dict]]:
    """(seed name, gold item) pairs for one gold section, read at collection time."""
    if not GOLD_FILE.is_file():
        return []
    gold = json.loads(GOLD_FILE.read_text(encoding="utf-8"))
    cases = []
    for name, doc in gold.items():
        if not name.endswith(".txt"):
            continue
        if kind == "entities":
            cases += [(name, {"label": label, "name": n}) for label, names in doc.get("entities", {}).items() for n in names]
        else:
            cases += [(name, item) for item in doc.get(kind, [])]
    return cases


def ids(cases: list[tuple[str, dict]]) -> list[str]:
    return [f"{name[:3]}-{next(iter(item.values()))!s:.30}" for name, item in cases]


def speaker_matches(quote: Quote, gold_speaker: str) -> bool:
    return quote.speaker is not None and gold_speaker.lower() in quote.speaker.name.lower()


ENTITY_CASES = seed_cases("entities")


@pytest.mark.parametrize("name,item", ENTITY_CASES, ids=ids(ENTITY_CASES))
def test_gold_entity_found_with_right_label_class(analyses, name, item):
    mentions = analyses[name].entities
    hits = [m for m in mentions if item["name"] in (m.text, m.canonical)]
    assert hits, f"{item['name']} not found"
    assert any(m.label in LABELS[item["label"]] for m in hits), [(m.text, m.label) for m in hits]


def test_not_person_and_same_entity(analyses, gold):
    for name, doc in gold.items():
        if not name.endswith(".txt"):
            continue
        mentions = analyses[name].entities
        for text in doc.get("not_person", []):
            assert not [m for m in mentions if m.text == text and m.label == "PERSON"], text
        for a, b in doc.get("same_entity", []):
            ids_a = {m.entity_id for m in mentions if a in (m.text, m.canonical)}
            ids_b = {m.entity_id for m in mentions if b in (m.text, m.canonical)}
            assert len(ids_a) == 1 and ids_a == ids_b, (a, b, ids_a, ids_b)
            canon = {m.canonical for m in mentions if m.entity_id in ids_a}
            assert len(canon) == 1


def test_shared_entities_found_in_both_seeds(analyses, gold):
    """Both seeds mention the shared entities; where both give the same full name the
    entity_id is the same (joining "Putin" to "Vladimir Putin" across documents is the
    link stage's job)."""
    per_doc = [{m.entity_id: m for m in a.entities} for a in analyses.values()]
    for name in gold["cross_document"]["shared_entities"]:
        found = [{i for i, m in doc.items() if name in (m.text, m.canonical)} for doc in per_doc]
        assert all(found), name
    kadyrov = [{i for i, m in doc.items() if m.canonical == "Ramzan Kadyrov"} for doc in per_doc]
    assert kadyrov[0] == kadyrov[1] == {"person:ramzan-kadyrov"}


DIRECT_CASES = seed_cases("direct_quotes")


@pytest.mark.parametrize("name,item", DIRECT_CASES, ids=ids(DIRECT_CASES))
def test_gold_direct_quote(analyses, name, item):
    quotes = [q for q in analyses[name].quotes if q.kind == "direct" and norm(q.text).startswith(norm(item["starts"]))]
    assert len(quotes) == 1, [q.text[:40] for q in analyses[name].quotes]
    quote = quotes[0]
    if "ends" in item:
        assert norm(quote.text).endswith(norm(item["ends"]))
    assert speaker_matches(quote, item["speaker"]), quote.speaker
    assert quote.channel == item.get("channel", quote.channel)
    assert quote.addressee == item.get("addressee", quote.addressee)
    assert quote.paragraphs == item.get("paragraphs", 1)


PARTIAL_CASES = seed_cases("partial_quotes")


@pytest.mark.parametrize("name,item", PARTIAL_CASES, ids=ids(PARTIAL_CASES))
def test_gold_partial_quote(analyses, name, item):
    quotes = [q for q in analyses[name].quotes if q.kind == "partial" and q.text == item["text"]]
    assert len(quotes) == 1
    assert speaker_matches(quotes[0], item["speaker"]), quotes[0].speaker


def test_headline_scare_quote_is_partial_without_speaker(analyses):
    name = "000_9b14b0712235eade.txt"
    if name not in analyses:
        pytest.skip("seed 000 absent")
    article = analyses[name].article
    title_quotes = [q for q in analyses[name].quotes if article.section_at(q.start) == "title"]
    assert [(q.text, q.kind, q.speaker) for q in title_quotes] == [("fleeing country", "partial", None)]


REPORTED_CASES = seed_cases("reported")


@pytest.mark.parametrize("name,item", REPORTED_CASES, ids=ids(REPORTED_CASES))
def test_gold_reported_speech(analyses, name, item):
    quotes = [q for q in analyses[name].quotes if q.kind == "reported" and norm(item["contains"]) in norm(q.text)]
    assert len(quotes) == 1, [q.text[:40] for q in analyses[name].quotes if q.kind == "reported"]
    quote = quotes[0]
    assert speaker_matches(quote, item["source"]), quote.speaker
    assert quote.channel == item.get("channel", quote.channel)
