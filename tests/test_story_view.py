"""The typed story view behind every brief: key facts, disagreements, ranked
single-source claims, sourcing profiles, opinion pieces, outlet names, input notes and
the JSON document with its schema. Invented sentences only."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from test_compare import ENTS, make_analysis
from typer.testing import CliRunner

from newsdesk.compare import outlet_name
from newsdesk.model import Analysis, Article, GroupStatus
from newsdesk.report.brief import build_story
from newsdesk.report.brief_json import brief_document, brief_schema, validate_brief
from newsdesk.report.story_view import is_opinion, rank_single_source, sourcing_profile


def _story() -> tuple:
    gazette = make_analysis(
        "Gazette",
        "About 1,200 residents were evacuated from Riverton on Sunday. "
        "Heavy rain flooded the Riverton district overnight. It helps.",
        title="Riverton dam bursts after storm",
        entities=ENTS,
        sources={"Heavy rain": ("Jane Doe", "speaker")},
    )
    herald = make_analysis(
        "Herald",
        "About 1,500 residents were evacuated from Riverton on Sunday. "
        "The mayor Jane Doe opened a shelter at Oak School, officials said.",
        title="Riverton dam bursts after storm",
        entities=ENTS,
        sources={"shelter": ("officials", "unnamed")},
    )
    analyses = [gazette, herald]
    return build_story(analyses), analyses


def test_key_facts_disagreements_and_single_source_ranking() -> None:
    story, analyses = _story()
    assert story.key_facts, "the shared headline is a key fact"
    fact = story.key_facts[0]
    assert fact.count == 2 and sorted(fact.outlets) == ["Gazette", "Herald"]
    assert all(analyses[0].article.text[c.start:c.end] == c.text for c in fact.claims if c.article_id == analyses[0].article.id)
    assert [d.slot for d in story.disagreements] == ["count"]
    assert {v.value for v in story.disagreements[0].values} == {"1200", "1500"}
    gazette = next(o for o in story.single_source if o.outlet == "Gazette")
    texts = [r.claim.text for r in gazette.claims]
    assert "It helps." not in texts  # a fragment is left out ...
    assert gazette.omitted >= 1  # ... and counted
    assert all(g.status in set(GroupStatus) for g in story.groups)


def test_sourcing_profile_shares() -> None:
    _, analyses = _story()
    herald = sourcing_profile(analyses[1])
    assert herald.claims == len(analyses[1].claims)
    assert herald.anonymous > 0 and herald.on_record == 0
    assert abs(herald.on_record + herald.anonymous + herald.second_hand + herald.own_voice - 1) < 0.01
    relayed = make_analysis("Post", "The dam failed, Reuters reported.", sources={"dam": ("Reuters", "unnamed")})
    assert sourcing_profile(relayed).second_hand == 1.0


def test_outlet_names_from_metadata_url_or_file() -> None:
    a = Analysis(Article(id="1", source="/x/story.txt", body="b", url="https://www.example-news.org/a/b"))
    assert outlet_name(a) == "example-news.org"
    b = Analysis(Article(id="2", source="/x/story.txt#3", body="b"))
    assert outlet_name(b) == "unknown outlet (story.txt)"
    c = Analysis(Article(id="3", source="s.txt", body="b", outlet="The Herald", url="https://h.example/x"))
    assert outlet_name(c) == "The Herald"


def test_opinion_pieces_by_url_or_title() -> None:
    assert is_opinion(Analysis(Article(id="1", source="s", body="b", url="https://n.example/opinion/2024/x")))
    assert is_opinion(Analysis(Article(id="2", source="s", body="b", title="Opinion: the dam was doomed")))
    assert not is_opinion(Analysis(Article(id="3", source="s", body="b", url="https://n.example/news/opinionated-dam")))


def test_undated_articles_get_a_note() -> None:
    story, _analyses = _story()
    assert any("--published" in n for n in story.notes)


def test_json_document_follows_its_schema() -> None:
    story, analyses = _story()
    document = json.loads(json.dumps(brief_document(story, analyses)))
    validate_brief(document)
    assert document["schema"] == brief_schema()["$id"]
    assert document["groups"][0]["status"] in ("corroborated", "single-source", "divergent")
    broken = dict(document, key_facts=[{"statement": "x"}])
    with pytest.raises(jsonschema.ValidationError):
        validate_brief(broken)


def test_cli_brief_json(tmp_path: Path) -> None:
    pytest.importorskip("spacy")
    from newsdesk.cli import app

    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text("Riverton dam bursts\n\nAbout 1,200 residents were evacuated from Riverton.\n", encoding="utf-8")
    b.write_text("Riverton dam bursts\n\nAbout 1,500 residents were evacuated from Riverton.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["brief", str(a), str(b), "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    validate_brief(document)
    assert [x["outlet"] for x in document["articles"]] == ["unknown outlet (a.txt)", "unknown outlet (b.txt)"]
    assert any("--published" in n for n in document["notes"])


def test_store_get_story(tmp_path: Path) -> None:
    from newsdesk.store import Store

    with Store(f"sqlite:///{tmp_path / 's.db'}") as store:
        assert store.get_story("no-such-story") is None


def test_rank_single_source_prefers_lead_named_source_and_numbers() -> None:
    analysis = make_analysis(
        "Gazette",
        "Riverton voted.\n\nThe council met again on Monday to discuss the old bridge.\n\n"
        "Mayor Jane Doe said 40 families lost their homes in the flood.",
        entities=ENTS,
        sources={"40 families": ("Jane Doe", "speaker")},
    )
    story = build_story([analysis])
    ranked = rank_single_source(story.groups, [analysis], {analysis.article.id: "Gazette"})
    first = ranked[0].claims[0]
    assert "40 families" in first.claim.text
    assert any(r.startswith("named source") for r in first.reasons) and "numbers" in first.reasons
