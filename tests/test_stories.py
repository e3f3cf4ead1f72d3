"""Streaming story clustering: unit tests on invented articles, plus the evaluation
gate on the labelled corpus (tests/data/stories/corpus.jsonl) with the real analyzer."""

from __future__ import annotations

import json
import random
import re
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from newsdesk.link.stories import MemoryStoryIndex, assign_stories, cluster_articles
from newsdesk.model import Analysis, Article, EntityMention

DATA = Path(__file__).resolve().parent / "data" / "stories"
BENCH = Path(__file__).resolve().parent.parent / "bench"

ENTITIES = {
    "Marlow Bay": ("GPE", "place:marlow-bay"),
    "River Tane": ("LOC", "place:river-tane"),
    "Helen Okafor": ("PERSON", "person:helen-okafor"),
    "Okafor": ("PERSON", "person:helen-okafor"),
    "Marlow Bay Rovers": ("ORG", "org:marlow-bay-rovers"),
    "Port Kessel": ("GPE", "place:port-kessel"),
    "Dockers Union": ("ORG", "org:dockers-union"),
}
NAME_RE = re.compile("|".join(sorted(map(re.escape, ENTITIES), key=len, reverse=True)))


def make(article_id: str, title: str, body: str, published: date, outlet: str = "Gazette") -> Analysis:
    """An Analysis with entity mentions found by name (stands in for the analyzer)."""
    article = Article(id=article_id, source=f"{article_id}.txt", body=body, title=title, outlet=outlet, published=published)
    mentions = []
    for match in NAME_RE.finditer(article.text):
        label, entity_id = ENTITIES[match.group()]
        mentions.append(EntityMention(match.start(), match.end(), match.group(), label, match.group(), entity_id))
    return Analysis(article=article, entities=mentions)


D0 = date(2024, 3, 4)
FLOOD = [
    make("f1", "River Tane bursts banks in Marlow Bay, 1,200 evacuated",
         "Floodwater from the River Tane swept into Marlow Bay overnight and 1,200 residents were evacuated "
         "from low-lying streets.\n\nMayor Helen Okafor said emergency shelters had opened at three schools.",
         D0, "Gazette"),
    make("f2", "Marlow Bay evacuation: thousands leave as Tane flood waters rise",
         "Rescue crews evacuated about 1,200 people in Marlow Bay after the River Tane flooded homes.\n\n"
         "Okafor said the flood defences had been overwhelmed and shelters were full.",
         D0 + timedelta(days=1), "Herald"),
    make("f3", "Flood shelters overwhelmed in Marlow Bay as River Tane keeps rising",
         "More families were evacuated from flooded streets in Marlow Bay as the River Tane rose again.\n\n"
         "Helen Okafor asked for army help with the flood evacuation.",
         D0 + timedelta(days=2), "Courier"),
]
RIOT = [
    make("r1", "Marlow Bay Rovers fans riot after cup defeat, 14 arrested",
         "Police arrested 14 supporters after fans of Marlow Bay Rovers fought with stewards and threw flares "
         "at the stadium in Marlow Bay.\n\nMayor Helen Okafor condemned the football violence.",
         D0 + timedelta(days=4), "Gazette"),
    make("r2", "Football violence: 14 held after Rovers supporters clash with police",
         "Fourteen arrests were made after Marlow Bay Rovers supporters clashed with police outside the "
         "stadium following the cup defeat, with 14 held overnight.\n\nOkafor called the football riot shameful.",
         D0 + timedelta(days=5), "Herald"),
]
STRIKE_JAN = [
    make("s1", "Port Kessel dockers walk out over pay",
         "Dockers at Port Kessel began a strike over pay on Monday, the Dockers Union said, halting "
         "container traffic.\n\nThe union wants a 9 per cent pay rise.",
         date(2024, 1, 8), "Gazette"),
    make("s2", "Strike halts container ships at Port Kessel",
         "Container ships queued outside Port Kessel as the dockers' strike over pay entered its second day.\n\n"
         "The Dockers Union is demanding a 9 per cent rise.",
         date(2024, 1, 9), "Herald"),
]
STRIKE_MAY = [
    make("s3", "Port Kessel dockers strike again over pay",
         "Dockers at Port Kessel went on strike over pay again, the Dockers Union said, stopping container "
         "traffic.\n\nThe union wants a 9 per cent pay rise.",
         date(2024, 5, 20), "Gazette"),
]


def groups_of(analyses: list[Analysis]) -> set[frozenset[str]]:
    return {frozenset(g) for g in cluster_articles(analyses)}


def test_reports_of_one_event_form_one_story() -> None:
    assert groups_of(FLOOD) == {frozenset({"f1", "f2", "f3"})}


def test_near_miss_story_sharing_entities_is_not_merged() -> None:
    assert groups_of(FLOOD + RIOT) == {frozenset({"f1", "f2", "f3"}), frozenset({"r1", "r2"})}


def test_time_window_separates_two_strikes_months_apart() -> None:
    groups = groups_of(STRIKE_JAN + STRIKE_MAY)
    assert groups == {frozenset({"s1", "s2"}), frozenset({"s3"})}


def test_same_strike_within_the_window_joins() -> None:
    late = make("s4", "Port Kessel strike: dockers stay out over pay",
                "The strike by dockers at Port Kessel over pay continued, the Dockers Union said.",
                date(2024, 1, 15), "Courier")
    assert groups_of(STRIKE_JAN + [late]) == {frozenset({"s1", "s2", "s4"})}


def test_syndicated_copy_joins_its_story() -> None:
    original = FLOOD[1]
    body = original.article.body.replace("Rescue crews evacuated", "Emergency teams moved", 1)
    copy = make("f2-syndicated", original.article.title or "", body, original.article.published or D0, "Wire")
    groups = groups_of(FLOOD + RIOT + [copy])
    assert frozenset({"f1", "f2", "f3", "f2-syndicated"}) in groups


def test_clustering_does_not_depend_on_input_order() -> None:
    everything = FLOOD + RIOT + STRIKE_JAN + STRIKE_MAY
    expected = cluster_articles(everything)
    shuffled = list(everything)
    random.Random(7).shuffle(shuffled)
    assert cluster_articles(shuffled) == expected


def test_streaming_in_batches_equals_one_shot() -> None:
    everything = sorted(FLOOD + RIOT + STRIKE_JAN, key=lambda a: (a.article.published, a.article.id))
    index = MemoryStoryIndex()
    assignment: dict[str, str] = {}
    for i in range(0, len(everything), 2):
        assignment.update(assign_stories(index, everything[i : i + 2]))
    streamed: dict[str, set[str]] = {}
    for article_id, story_id in assignment.items():
        streamed.setdefault(story_id, set()).add(article_id)
    assert {frozenset(g) for g in streamed.values()} == groups_of(everything)


def test_rerun_keeps_assignments_and_title_is_a_member_headline() -> None:
    index = MemoryStoryIndex()
    first = assign_stories(index, FLOOD)
    again = assign_stories(index, FLOOD)
    assert first == again
    (story_id,) = set(first.values())
    assert index.stories[story_id].title in {a.article.title for a in FLOOD}
    assert index.stories[story_id].article_ids == ["f1", "f2", "f3"]


def test_candidates_respect_window_and_keys() -> None:
    index = MemoryStoryIndex()
    assign_stories(index, STRIKE_JAN)
    (story_id,) = set(index.article_to_story.values())
    assert [s for s, _ in index.story_candidates(["e:port-kessel"], date(2024, 1, 12), 10)] == [story_id]
    assert index.story_candidates(["e:port-kessel"], date(2024, 3, 1), 10) == []
    assert index.story_candidates(["w:unrelated"], date(2024, 1, 12), 10) == []


# --- the stories command over a real store --------------------------------------------


def test_stories_command_lists_stories_from_the_store(tmp_path: Path) -> None:
    store_module = pytest.importorskip("newsdesk.store")
    from typer.testing import CliRunner

    from newsdesk.cli import app

    url = f"sqlite:///{tmp_path}/stories.db"
    with store_module.Store(url) as store:
        assign_stories(store, FLOOD + RIOT)
        store.add_analyses(FLOOD + RIOT)
    runner = CliRunner()
    listed = runner.invoke(app, ["stories", "--db", url, "--json"])
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.output)
    assert sorted(r["article_count"] for r in rows) == [2, 3]
    flood = next(r for r in rows if r["article_count"] == 3)
    assert flood["outlets"] == ["Courier", "Gazette", "Herald"]
    assert (flood["first_published"], flood["last_published"]) == ("2024-03-04", "2024-03-06")
    assert flood["title"] in {a.article.title for a in FLOOD}
    table = runner.invoke(app, ["stories", "--db", url])
    assert table.exit_code == 0 and "2 stories" in table.output
    bad = runner.invoke(app, ["stories", "--db", "nosuchdb://x"])
    assert bad.exit_code == 2 and "cannot open store" in bad.output


# --- clustering state in the store, one transaction per ingest batch ----------------------


def test_store_backed_clustering_matches_the_in_memory_index(tmp_path: Path) -> None:
    from newsdesk.link.stories import story_titles
    from newsdesk.store import Store

    everything = sorted(FLOOD + RIOT + STRIKE_JAN + STRIKE_MAY, key=lambda a: (a.article.published, a.article.id))
    index = MemoryStoryIndex()
    expected = assign_stories(index, everything)
    with Store(f"sqlite:///{tmp_path}/state.db") as store:
        assignment: dict[str, str] = {}
        for i in range(0, len(everything), 3):
            assignment.update(assign_stories(store, everything[i : i + 3]))
        assert assignment == expected
        assert store.doc_count() == index.doc_count() == len(everything)
        assert {s.id: s.title for s in store.list_stories()} == story_titles(index)
        flood = assignment["f1"]
        assert [row[0] for row in store.story_headlines(flood)] == ["f1", "f2", "f3"]


def test_store_batch_lands_whole_or_not_at_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy import func, select

    from newsdesk.corpus import IngestReport, store_batch
    from newsdesk.options import Options
    from newsdesk.store import Store
    from newsdesk.store.tables import (
        entities,
        stories,
        story_articles,
        story_headlines,
        story_key_df,
        story_keys,
    )

    def counts(store: Store) -> dict[str, int]:
        with store.engine.connect() as conn:
            return {
                t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in (entities, stories, story_articles, story_keys, story_key_df, story_headlines)
            }

    with Store(f"sqlite:///{tmp_path}/batch.db") as store:
        def crash(batch: object) -> None:
            raise RuntimeError("killed while storing")

        monkeypatch.setattr(store, "add_analyses", crash)
        report = IngestReport()
        with pytest.raises(RuntimeError):
            store_batch(store, FLOOD, Options(), report)
        assert set(counts(store).values()) == {0}  # linking and stories rolled back with the batch
        assert report.stories == {}

        monkeypatch.undo()
        outcomes = store_batch(store, FLOOD, Options(), report)
        assert [o.status for o in outcomes] == ["added"] * 3
        assert set(report.stories) == {"f1", "f2", "f3"} and len(set(report.stories.values())) == 1
        stored = counts(store)
        assert stored["story_articles"] == 3 and stored["stories"] == 1 and stored["entities"] > 0
        assert store.doc_count() == 3


def test_bundled_example_story_is_one_story_and_the_distractor_another() -> None:
    """Six reports of the invented Bregovar/Brehovar flood from five outlets, two
    spellings of the town and the model labelling it GPE in some and ORG in others,
    form one story; the ferry strike stays apart. (Before class-free entity keys and
    the IDF warm-up, the first reports split into two stories.)"""
    from newsdesk.analyze.pipeline import analyze
    from newsdesk.link.aliases import EntityRegistry, link_entities
    from newsdesk.oneshot import clean_sources
    from newsdesk.options import Options

    options = Options(published=date(2024, 3, 7))
    failures: list[str] = []
    examples = Path(__file__).resolve().parent.parent / "examples" / "story"
    analyses = list(analyze(clean_sources([examples], options, failures), options))
    assert not failures
    link_entities(EntityRegistry(), analyses)
    names = {a.article.id: Path(a.article.source).name for a in analyses}
    clusters = sorted((sorted(names[i] for i in c) for c in cluster_articles(analyses, options)), key=len)
    assert clusters[0] == ["distractor-ferry-strike.txt"]
    assert len(clusters) == 2 and len(clusters[1]) == 6


# --- events vs storylines, time proximity -------------------------------------------------


def test_time_factor_is_flat_within_grace_then_decays() -> None:
    from newsdesk.link.features import load_story_config
    from newsdesk.link.similarity import days_outside, join_threshold, time_factor

    config = load_story_config()
    assert days_outside(date(2024, 1, 5), date(2024, 1, 3), date(2024, 1, 8)) == 0
    assert days_outside(date(2024, 1, 1), date(2024, 1, 3), date(2024, 1, 8)) == 2
    assert days_outside(None, date(2024, 1, 3), None) is None
    # a chain of follow-ups does not stretch the event: its span is capped
    assert days_outside(date(2024, 2, 1), date(2024, 1, 1), date(2024, 1, 31), span_days=2) == 29
    assert time_factor(config.grace_days, config) == 1.0
    assert time_factor(config.grace_days + 7, config) < time_factor(config.grace_days + 1, config) < 1.0
    assert join_threshold(None, config) >= join_threshold(date(2024, 1, 1), config)


def test_event_profile_does_not_drift_with_later_reports() -> None:
    from newsdesk.link.features import load_story_config

    cap = load_story_config().profile_size
    index = MemoryStoryIndex()
    base = FLOOD[0]
    copies = [
        make(f"c{i}", base.article.title or "", base.article.body + f"\n\nUpdate {i}: volunteers{i} arrived.",
             D0, "Wire")
        for i in range(cap + 3)
    ]
    assign_stories(index, copies)
    (story_id,) = set(index.article_to_story.values())
    keys = index.story_keys(story_id)
    assert f"w:volunteers{cap + 2}" not in keys  # later reports leave the profile alone
    assert len(index.stories[story_id].article_ids) == cap + 3


def test_follow_up_weeks_later_is_a_new_event_in_the_same_storyline() -> None:
    inquiry = make("q1", "Inquiry opens into River Tane flood defences",
                   "An independent inquiry into why the River Tane defences failed in Marlow Bay opened on Monday.\n\n"
                   "Helen Okafor told the inquiry that warnings had been ignored for years.",
                   D0 + timedelta(days=30), "Gazette")
    index = MemoryStoryIndex()
    assignment = assign_stories(index, FLOOD + STRIKE_JAN + [inquiry])
    flood, strike, follow_up = assignment["f1"], assignment["s1"], assignment["q1"]
    assert follow_up != flood  # a month later: another event
    assert index.storyline_of(follow_up) == index.storyline_of(flood) == flood
    assert index.storyline_of(strike) == strike  # no shared entities, its own storyline


def test_storylines_are_listed_from_the_store(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from newsdesk.cli import app
    from newsdesk.store import Store

    inquiry = make("q1", "Inquiry opens into River Tane flood defences",
                   "An independent inquiry into why the River Tane defences failed in Marlow Bay opened on Monday.\n\n"
                   "Helen Okafor told the inquiry that warnings had been ignored for years.",
                   D0 + timedelta(days=30), "Gazette")
    url = f"sqlite:///{tmp_path}/lines.db"
    with Store(url) as store:
        assignment = assign_stories(store, FLOOD + STRIKE_JAN + [inquiry])
        store.add_analyses(FLOOD + STRIKE_JAN + [inquiry])
        summary = store.storyline_summary(assignment["q1"])
    assert [e["id"] for e in summary["events"]] == [assignment["f1"], assignment["q1"]]
    rows = json.loads(CliRunner().invoke(app, ["stories", "--db", url, "--json"]).output)
    by_id = {r["id"]: r for r in rows}
    assert by_id[assignment["q1"]]["storyline_id"] == assignment["f1"]
    assert by_id[assignment["q1"]]["storyline_events"] == 2
    assert by_id[assignment["s1"]]["storyline_events"] == 1


def test_keys_shared_by_several_candidate_events_weigh_less() -> None:
    from newsdesk.link.stories import _local_weights

    article = {"e:marlow-bay": 1.0, "w:flood": 1.0, "w:evacu": 1.0}
    profiles = [{"e:marlow-bay": 1.0, "w:flood": 1.0}, {"e:marlow-bay": 1.0, "w:evacu": 1.0}, {"e:marlow-bay": 1.0, "w:flood": 1.0}]
    local = _local_weights(article, profiles, 0.5)
    # in all three candidates: 1 / (1 + 0.5 * 2); in two: 1 / 1.5; in one (evacu): untouched
    assert local == {"e:marlow-bay": 0.5, "w:flood": 1.0 / 1.5}
    assert _local_weights(article, profiles[:1], 0.5) == {}  # one candidate: nothing to tell apart
    assert _local_weights(article, profiles, 0.0) == {}  # off


def test_lead_only_eval_keeps_the_first_two_sentences() -> None:
    sys.path.insert(0, str(BENCH))
    try:
        import eval_stories
    finally:
        sys.path.remove(str(BENCH))

    text = "The U.S. Navy closed Port Kessel on Monday. Mr. Okafor said talks resume.\n\nA third sentence. A fourth."
    assert eval_stories.lead_of(text) == "The U.S. Navy closed Port Kessel on Monday. Mr. Okafor said talks resume."
    assert eval_stories.lead_of("One line only") == "One line only"
