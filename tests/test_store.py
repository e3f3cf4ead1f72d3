"""The article store on SQLite and PostgreSQL: round trip, idempotence, near-duplicates,
search, entities, stories and the index behind story candidates.

Every test runs on both backends through the ``store`` fixture. PostgreSQL needs
NEWSDESK_TEST_PG_URL (skipped when unset, a failure when NEWSDESK_REQUIRE_PG=1);
each test gets its own schema there and a fresh file on SQLite.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from newsdesk.errors import StoreError
from newsdesk.model import (
    Analysis,
    Article,
    Claim,
    DroppedLine,
    EntityMention,
    Quote,
    Sentence,
    Speaker,
    Timex,
)
from newsdesk.store import SNIPPET_END, SNIPPET_START, EntityRecord, Store
from newsdesk.store.search import fts5_query
from newsdesk.store.tables import (
    MIGRATIONS,
    SCHEMA_VERSION,
    claims,
    entity_mentions,
    meta,
    metadata,
    minhash_bands,
    quotes,
    story_articles,
    story_headlines,
    story_key_df,
    story_keys,
    timexes,
)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store(store_url) as opened:
        yield opened


# --- hand-made records (invented text) ---------------------------------------------

CITY_REPORT = (
    "The regional governor said on Tuesday that the new bridge over the river would open "
    "in March, two years later than first promised. Engineers blamed flooding in the spring "
    "and a shortage of steel for the delay. Residents of Eastbank, who now drive forty minutes "
    "around the estuary, said they had heard such promises before. The transport ministry "
    "declined to comment on the cost, which local newspapers put at twice the original budget. "
    "A spokesman for the contractor, Northline Construction, said the company expected to "
    "finish the deck by the end of the year and that safety inspections would follow."
)

OTHER_REPORT = (
    "Fishermen in the northern harbour reported the largest herring catch in a decade, "
    "according to figures published by the port authority on Friday. Prices at the morning "
    "auction fell sharply as boats returned full, and several buyers said cold storage was "
    "running out. Marine scientists cautioned that one good season does not mean the stock "
    "has recovered, and urged the ministry to keep the quotas agreed last year."
)


def make_analysis(
    body: str = CITY_REPORT,
    title: str | None = "Bridge opening delayed again",
    outlet: str | None = "Example Post",
    published: date | None = date(2024, 3, 5),
    source: str = "example/bridge.txt",
) -> Analysis:
    """A complete analysis of one invented article, with offsets into ``article.text``."""
    article = Article(
        id=Article.content_id(title, body),
        source=source,
        body=body,
        outlet=outlet,
        url=f"https://example.org/{source}",
        language="en",
        title=title,
        standfirst=None,
        published=published,
        dropped=[DroppedLine("Share this article", "share-widget")],
    )
    full = article.text

    def span(needle: str) -> tuple[int, int]:
        start = full.index(needle)
        return start, start + len(needle)

    first_word = body.split()[1]
    start, end = span(first_word)
    mentions = [EntityMention(start, end, first_word, "ORG", first_word.title(), f"org:{first_word.lower()}")]
    if "Northline Construction" in full:
        s, e = span("Northline Construction")
        mentions.append(EntityMention(s, e, "Northline Construction", "ORG", "Northline Construction", "org:northline"))
    sentence_end = full.index(".", article.body_offset) + 1
    s0 = article.body_offset
    return Analysis(
        article=article,
        sentences=[Sentence(s0, sentence_end, full[s0:sentence_end], 1, "body")],
        entities=mentions,
        quotes=[
            Quote(s0 + 4, s0 + 20, full[s0 + 4 : s0 + 20], "reported",
                  Speaker("the regional governor", None, None, None, True), cue="said", channel=None)
        ],
        timexes=[Timex(s0, s0 + 3, full[s0 : s0 + 3], "DATE", "2024-03-05", anchored=True)],
        claims=[Claim(s0, sentence_end, full[s0:sentence_end], "Example Post", "outlet", "asserted", ["said"])],
    )


def row_counts(store: Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in metadata.sorted_tables}


# --- round trip and idempotence --------------------------------------------------------


def test_round_trip_returns_the_same_analysis(store: Store) -> None:
    analysis = make_analysis()
    [outcome] = store.add_analyses([analysis])
    assert (outcome.article_id, outcome.status, outcome.duplicate_of) == (analysis.article.id, "added", None)
    assert store.has_article(analysis.article.id)
    assert store.get_analysis(analysis.article.id) == analysis
    assert list(store.iter_analyses()) == [analysis]
    assert store.get_analysis("no-such-id") is None


def test_child_rows_are_stored_per_span(store: Store) -> None:
    analysis = make_analysis()
    store.add_analyses([analysis])
    with store.engine.connect() as conn:
        for table, expected in ((entity_mentions, 2), (quotes, 1), (timexes, 1), (claims, 1)):
            count = conn.execute(select(func.count()).select_from(table)).scalar_one()
            assert count == expected, table.name
        certainty = conn.execute(select(claims.c.certainty, claims.c.source_kind)).one()
    assert tuple(certainty) == ("asserted", "outlet")


def test_re_adding_changes_nothing(store: Store) -> None:
    first, second = make_analysis(), make_analysis(OTHER_REPORT, "Record herring catch", "Harbour News")
    store.add_analyses([first, second])
    before = row_counts(store)
    outcomes = store.add_analyses([first, second, first])
    assert [o.status for o in outcomes] == ["duplicate", "duplicate", "duplicate"]
    assert outcomes[0].duplicate_of == first.article.id
    assert row_counts(store) == before
    assert store.count_articles() == 2


def test_same_article_twice_in_one_batch_is_stored_once(store: Store) -> None:
    analysis = make_analysis()
    outcomes = store.add_analyses([analysis, analysis])
    assert [o.status for o in outcomes] == ["added", "duplicate"]
    assert store.count_articles() == 1


def test_failed_batch_leaves_nothing(store: Store) -> None:
    good = make_analysis()
    with pytest.raises(RuntimeError), store.transaction():
        store.add_analyses([good])
        raise RuntimeError("linker crashed")
    assert store.count_articles() == 0
    assert row_counts(store)["entity_mentions"] == 0


def test_iter_analyses_streams_in_batches_and_by_ids(store: Store) -> None:
    analyses = [make_analysis(OTHER_REPORT + f" Update number {i}.", f"Catch {i}", source=f"s{i}.txt") for i in range(7)]
    store.add_analyses(analyses)
    streamed = list(store.iter_analyses(batch_size=3))
    assert sorted(a.article.id for a in streamed) == sorted(a.article.id for a in analyses)
    wanted = [analyses[5].article.id, "missing", analyses[1].article.id]
    assert [a.article.id for a in store.iter_analyses(wanted, batch_size=2)] == [wanted[0], wanted[2]]


def test_list_articles_newest_first_and_by_outlet(store: Store) -> None:
    old = make_analysis(published=date(2024, 1, 1))
    new = make_analysis(OTHER_REPORT, "Record herring catch", "Harbour News", date(2024, 2, 1))
    undated = make_analysis(OTHER_REPORT + " Late edition.", "Late", "Harbour News", None)
    store.add_analyses([old, undated, new])
    assert [a.id for a in store.list_articles()] == [new.article.id, old.article.id, undated.article.id]
    assert [a.id for a in store.list_articles(limit=1, offset=1)] == [old.article.id]
    harbour = store.list_articles(outlet="harbour news")
    assert {a.id for a in harbour} == {new.article.id, undated.article.id}
    assert harbour[0] == new.article


# --- near-duplicates ---------------------------------------------------------------------


def test_syndicated_copy_is_a_near_duplicate(store: Store) -> None:
    original = make_analysis()
    copy_body = CITY_REPORT.replace("said on Tuesday", "told reporters on Tuesday") + " Additional reporting by staff."
    copy = make_analysis(copy_body, "Governor: bridge to open in March", "Wire Daily", source="wire/bridge.txt")
    unrelated = make_analysis(OTHER_REPORT, "Record herring catch", "Harbour News")
    outcomes = store.add_analyses([original, copy, unrelated])
    assert [(o.status, o.duplicate_of) for o in outcomes] == [
        ("added", None),
        ("near-duplicate", original.article.id),
        ("added", None),
    ]
    # The copy is stored in full (an analyst wants to see who ran it).
    assert store.get_analysis(copy.article.id) == copy
    assert row_counts(store)["minhash_bands"] == 3 * 9


def test_copy_of_a_copy_points_at_the_original(store: Store) -> None:
    original = make_analysis()
    copy = make_analysis(CITY_REPORT + " Updated.", "Bridge late", "Wire Daily", source="a.txt")
    copy2 = make_analysis(CITY_REPORT + " Updated twice.", "Bridge later", "Other Wire", source="b.txt")
    store.add_analyses([original])
    store.add_analyses([copy])
    [outcome] = store.add_analyses([copy2])
    assert (outcome.status, outcome.duplicate_of) == ("near-duplicate", original.article.id)


def test_rewritten_report_on_same_topic_is_not_a_near_duplicate(store: Store) -> None:
    store.add_analyses([make_analysis()])
    half = " ".join(CITY_REPORT.split()[:45])
    rewrite = half + " Opposition councillors demanded an inquiry into the contract and said the public deserved answers."
    [outcome] = store.add_analyses([make_analysis(rewrite, "Councillors want inquiry", "Eastbank Herald")])
    assert outcome.status == "added"


# --- search ------------------------------------------------------------------------------


@pytest.fixture
def searchable(store: Store) -> Store:
    store.add_analyses([
        make_analysis(published=date(2024, 3, 5)),
        make_analysis(OTHER_REPORT, "Record herring catch", "Harbour News", date(2024, 4, 2), "fish.txt"),
    ])
    return store


def test_search_finds_words_with_stemming_and_marks_snippet(searchable: Store) -> None:
    [hit] = searchable.search("engineer flooded")
    assert hit.title == "Bridge opening delayed again"
    assert hit.outlet == "Example Post"
    assert hit.published == date(2024, 3, 5)
    assert SNIPPET_START in hit.snippet and SNIPPET_END in hit.snippet


def test_search_phrase_or_and_exclusion(searchable: Store) -> None:
    assert [h.title for h in searchable.search('"herring catch"')] == ["Record herring catch"]
    assert searchable.search('"catch herring"') == []
    assert {h.title for h in searchable.search("herring OR bridge")} == {"Record herring catch", "Bridge opening delayed again"}
    assert [h.title for h in searchable.search("ministry -herring")] == ["Bridge opening delayed again"]


def test_search_filters_by_outlet_date_and_entity(searchable: Store) -> None:
    assert [h.title for h in searchable.search("ministry", outlet="harbour news")] == ["Record herring catch"]
    assert [h.title for h in searchable.search(date_from=date(2024, 4, 1))] == ["Record herring catch"]
    assert [h.title for h in searchable.search(date_to=date(2024, 3, 31))] == ["Bridge opening delayed again"]
    assert [h.title for h in searchable.search(entity="org:northline")] == ["Bridge opening delayed again"]
    assert [h.title for h in searchable.search(entity="northline construction")] == ["Bridge opening delayed again"]
    no_text = searchable.search()
    assert [h.title for h in no_text] == ["Record herring catch", "Bridge opening delayed again"]
    assert no_text[0].snippet.startswith("Fishermen in the northern harbour")


@pytest.mark.parametrize("query", ['"unbalanced', "AND OR NOT", "(bridge", "bridge)", "col:umn", "*", "-", "NEAR(a b)"])
def test_search_never_fails_on_user_punctuation(searchable: Store, query: str) -> None:
    searchable.search(query)  # no exception, whatever it matches


def test_fts5_query_translation() -> None:
    assert fts5_query('bridge "river crossing" OR ferry -toll delay*') == (
        '"bridge" AND ("river crossing" OR "ferry") AND "delay" * NOT "toll"'
    )
    assert fts5_query("-only -negative") is None
    assert fts5_query('say "hi""') == '"say" AND "hi"'


# --- entities ------------------------------------------------------------------------------


def test_entity_mentions_and_entity_records(store: Store) -> None:
    bridge = make_analysis()
    store.add_analyses([bridge, make_analysis(OTHER_REPORT, "Record herring catch", "Harbour News")])
    pairs = store.entity_mentions("org:northline")
    assert len(pairs) == 1
    article, mention = pairs[0]
    assert article.id == bridge.article.id
    assert article.text[mention.start : mention.end] == "Northline Construction"
    assert mention == bridge.entities[1]

    store.upsert_entities([EntityRecord("org:northline", "Northline", "ORG", ["Northline"])])
    store.upsert_entities([EntityRecord("org:northline", "Northline Construction", "ORG", ["Northline", "NLC", "NLC"])])
    [record] = store.get_entities()
    assert record == EntityRecord("org:northline", "Northline Construction", "ORG", ["NLC", "Northline"], mentions=1)


# --- stories ---------------------------------------------------------------------------------


def test_stories_counts_dates_keys_and_moves(store: Store) -> None:
    a, b = make_analysis(), make_analysis(OTHER_REPORT, "Record herring catch", "Harbour News", date(2024, 3, 9))
    store.add_analyses([a, b])
    store.create_story("s1", "Bridge delay", date(2024, 3, 5))
    store.create_story("s1", "ignored: already exists", None)
    store.add_to_story("s1", a.article.id, {"bridge": 1.0, "governor": 0.5}, date(2024, 3, 5))
    store.add_to_story("s1", b.article.id, {"bridge": 0.5, "herring": 2.0}, date(2024, 3, 9))
    store.add_to_story("s1", b.article.id, {"bridge": 0.5}, date(2024, 3, 9))  # idempotent
    assert store.story_keys("s1") == {"bridge": 1.5, "governor": 0.5, "herring": 2.0}
    [summary] = store.list_stories()
    assert (summary.title, summary.article_count, summary.outlets) == ("Bridge delay", 2, ["Example Post", "Harbour News"])
    assert (summary.first_published, summary.last_published) == (date(2024, 3, 5), date(2024, 3, 9))
    assert store.story_article_ids("s1") == [a.article.id, b.article.id]
    assert store.article_story(b.article.id) == "s1"

    store.create_story("s2", "Herring", date(2024, 3, 9))
    store.add_to_story("s2", b.article.id, {"herring": 1.0}, date(2024, 3, 9))
    store.set_story_title("s2", "Record herring catch")
    counts = {s.id: (s.title, s.article_count) for s in store.list_stories()}
    assert counts == {"s1": ("Bridge delay", 1), "s2": ("Record herring catch", 1)}
    assert store.article_story(b.article.id) == "s2"
    with pytest.raises(StoreError, match="no story"):
        store.add_to_story("nope", a.article.id, {}, None)


def test_story_candidates_by_shared_keys_within_window(store: Store) -> None:
    for story_id, day, keys in (
        ("march", date(2024, 3, 1), {"bridge": 1.0, "governor": 1.0}),
        ("april", date(2024, 4, 20), {"bridge": 3.0}),
        ("undated", None, {"governor": 0.25}),
        ("fish", date(2024, 3, 2), {"herring": 5.0}),
    ):
        store.create_story(story_id, story_id, day)
        store.add_to_story(story_id, f"article-{story_id}", keys, day)
    assert store.story_candidates(["bridge", "governor"], None, 7) == [
        ("april", 3.0), ("march", 2.0), ("undated", 0.25)
    ]
    assert store.story_candidates(["bridge", "governor"], date(2024, 3, 4), 7) == [("march", 2.0), ("undated", 0.25)]
    assert store.story_candidates(["bridge"], date(2024, 4, 10), 7) == []
    assert store.story_candidates(["bridge"], date(2024, 4, 18), 7, limit=1) == [("april", 3.0)]
    assert store.story_candidates([], None, 7) == []


def test_story_candidates_reads_the_key_index(store: Store) -> None:
    stmt = store._candidates_statement(["bridge", "governor"], date(2024, 3, 4), 7, 20)
    with store.engine.connect() as conn:
        if store.dialect == "sqlite":
            compiled = stmt.compile(conn, compile_kwargs={"literal_binds": True})
            plan = " | ".join(row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}"))
            assert "SEARCH story_keys USING" in plan, plan
            assert "SCAN story_keys" not in plan, plan
        else:
            conn.exec_driver_sql("SET enable_seqscan = off")  # tiny tables: ask which index it can use
            compiled = stmt.compile(conn, compile_kwargs={"literal_binds": True})
            plan = " | ".join(row[0] for row in conn.exec_driver_sql(f"EXPLAIN {compiled}"))
            assert "story_keys" in plan and "Index" in plan, plan
            assert "Seq Scan on story_keys" not in plan, plan


def _plan(store: Store, stmt: object) -> str:
    """The query plan of ``stmt`` (on PostgreSQL with sequential scans discouraged,
    since tiny test tables would otherwise always be scanned)."""
    with store.engine.connect() as conn:
        compiled = stmt.compile(conn, compile_kwargs={"literal_binds": True})  # type: ignore[attr-defined]
        if store.dialect == "sqlite":
            return " | ".join(row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}"))
        conn.exec_driver_sql("SET enable_seqscan = off")
        plan = " | ".join(row[0] for row in conn.exec_driver_sql(f"EXPLAIN {compiled}"))
        conn.rollback()
        return plan


def test_one_storys_keys_are_read_and_updated_through_an_index(store: Store) -> None:
    # Store.story_keys and the last_published copy-down in add_to_story.
    by_story = [
        select(story_keys.c.key, story_keys.c.weight).where(story_keys.c.story_id == "s1"),
        story_keys.update().where(story_keys.c.story_id == "s1").values(last_published=date(2024, 3, 9)),
    ]
    for stmt in by_story:
        plan = _plan(store, stmt)
        if store.dialect == "sqlite":
            assert "ix_story_keys_story_id" in plan and "SCAN story_keys" not in plan, plan
        else:
            assert "ix_story_keys_story_id" in plan and "Seq Scan on story_keys" not in plan, plan


def test_key_doc_freqs_count_documents_and_keys(store: Store) -> None:
    assert store.doc_count() == 0
    assert store.key_doc_freqs(["w:flood"]) == {"w:flood": 0}
    store.add_key_doc_freqs(["w:flood", "e:place:kyiv", "w:flood"])  # a key counts once per document
    store.add_key_doc_freqs(["w:flood", "n:1200"])
    assert store.doc_count() == 2
    assert store.key_doc_freqs(["w:flood", "e:place:kyiv", "n:1200", "w:none"]) == {
        "w:flood": 2, "e:place:kyiv": 1, "n:1200": 1, "w:none": 0
    }
    many = [f"w:k{i}" for i in range(1200)]  # more keys than one IN list takes
    store.add_key_doc_freqs(many)
    assert set(store.key_doc_freqs(many).values()) == {1}


def test_story_headlines_keep_the_first_ones_per_story(store: Store) -> None:
    store.create_story("s1", "Bridge delay", date(2024, 3, 5))
    assert store.add_story_headline("s1", "a1", "Bridge delayed", {"w:bridg": 1.0}, limit=2)
    assert not store.add_story_headline("s1", "a1", "Bridge delayed", {"w:bridg": 1.0}, limit=2)  # idempotent
    assert store.add_story_headline("s1", "a2", "Bridge opening late", {"w:bridg": 0.5, "w:late": 0.7}, limit=2)
    assert not store.add_story_headline("s1", "a3", "Third headline", {}, limit=2)  # over the limit
    assert store.story_headlines("s1") == [
        ("a1", "Bridge delayed", {"w:bridg": 1.0}),
        ("a2", "Bridge opening late", {"w:bridg": 0.5, "w:late": 0.7}),
    ]
    assert store.story_headlines("s2") == []


def test_story_writes_join_the_open_transaction_and_roll_back_with_it(store: Store) -> None:
    analysis = make_analysis()
    with pytest.raises(RuntimeError), store.transaction():
        store.create_story("s1", "Bridge delay", date(2024, 3, 5))
        store.add_to_story("s1", analysis.article.id, {"w:bridg": 1.0}, date(2024, 3, 5))
        store.add_key_doc_freqs(["w:bridg"])
        store.add_story_headline("s1", analysis.article.id, "Bridge delayed", {"w:bridg": 1.0}, limit=5)
        # reads inside the transaction see its writes
        assert store.doc_count() == 1 and store.story_headlines("s1") and store.article_story(analysis.article.id)
        store.add_analyses([analysis])
        raise RuntimeError("killed mid-batch")
    with store.engine.connect() as conn:
        for table in (story_articles, story_keys, story_key_df, story_headlines):
            assert conn.execute(select(func.count()).select_from(table)).scalar_one() == 0, table.name
    assert store.list_stories() == [] and store.count_articles() == 0


# --- opening, errors, migrations ----------------------------------------------------------------


def test_reopening_keeps_data_and_schema_version(store_url: str) -> None:
    with Store(store_url) as first:
        first.add_analyses([make_analysis()])
    with Store(store_url) as again:
        assert again.count_articles() == 1
        with again.engine.connect() as conn:
            version = conn.execute(select(meta.c.value).where(meta.c.key == "schema_version")).scalar_one()
            names = set(conn.execute(select(meta.c.key).where(meta.c.key.like("migration:%"))).scalars())
    assert int(version) == SCHEMA_VERSION
    assert names == {f"migration:{m.name}" for m in MIGRATIONS}


def test_newer_schema_is_refused(store_url: str) -> None:
    with Store(store_url) as opened, opened.transaction() as conn:
        conn.execute(meta.update().where(meta.c.key == "schema_version").values(value=str(SCHEMA_VERSION + 1)))
    with pytest.raises(StoreError, match="newer than this newsdesk"):
        Store(store_url)


def test_sqlite_defaults_wal_and_foreign_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("NEWSDESK_DB", raising=False)
    with Store() as store:
        assert (tmp_path / "data" / "newsdesk" / "newsdesk.db").is_file()
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    with Store(str(tmp_path / "plain-path.db")) as by_path:
        assert by_path.dialect == "sqlite"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("not a url at all://", "cannot open store"),
        ("nosuchdialect://host/db", "cannot open store"),
        ("postgresql://someone:secret@127.0.0.1:1/db", "cannot open store"),
        ("sqlite:////dev/null/sub/store.db", "cannot open store"),
    ],
)
def test_bad_url_is_a_one_line_store_error(url: str, expected: str) -> None:
    with pytest.raises(StoreError) as info:
        Store(url)
    message = str(info.value)
    assert expected in message
    assert "\n" not in message
    assert "secret" not in message


def test_minhash_bands_are_indexed() -> None:
    assert any(ix.name == "ix_minhash_bands_band_hash" for ix in minhash_bands.indexes)


def test_write_transactions_queue_across_connections(store_url: str) -> None:
    """A second writer (another process in real life) waits for the first to commit:
    SQLite's BEGIN IMMEDIATE, PostgreSQL's advisory lock. Without the lock the second
    transaction would start at once and its story writes could interleave."""
    import threading

    first, second = Store(store_url), Store(store_url)
    inside, entered, release = threading.Event(), threading.Event(), threading.Event()

    def hold() -> None:
        with first.transaction():
            inside.set()
            release.wait(10)

    def join() -> None:
        with second.transaction():
            entered.set()

    holder = threading.Thread(target=hold)
    holder.start()
    assert inside.wait(10)
    waiter = threading.Thread(target=join)
    waiter.start()
    assert not entered.wait(1.0), "second writer entered while the first held the write transaction"
    release.set()
    holder.join(10)
    waiter.join(10)
    assert entered.is_set()
    first.close()
    second.close()


def test_merge_stories_moves_articles_keys_and_headlines(store_url: str) -> None:
    """Folding one story into another: membership, summed key weights, headline
    rows, counts and the date range all follow; the dropped story is gone."""
    with Store(store_url) as store:
        store.create_story("s-a", "Dam breaks above Bregovar", date(2024, 3, 6))
        store.add_to_story("s-a", "a1", {"e:bregovar": 1.0, "w:dam": 0.5}, date(2024, 3, 6))
        store.add_story_headline("s-a", "a1", "Dam breaks above Bregovar", {"w:dam": 1.0}, 10)
        store.create_story("s-b", "Brehovar evacuates", date(2024, 3, 5))
        store.add_to_story("s-b", "b1", {"e:bregovar": 2.0, "w:evacu": 1.0}, date(2024, 3, 5))
        store.add_to_story("s-b", "b2", {"w:evacu": 1.0}, date(2024, 3, 8))
        store.add_story_headline("s-b", "b1", "Brehovar evacuates", {"w:evacu": 1.0}, 10)
        store.merge_stories("s-a", "s-b")
        assert [s.id for s in store.list_stories()] == ["s-a"]
        (summary,) = store.list_stories()
        assert summary.article_count == 3
        assert (summary.first_published, summary.last_published) == (date(2024, 3, 5), date(2024, 3, 8))
        assert sorted(store.story_article_ids("s-a")) == ["a1", "b1", "b2"]
        assert store.article_story("b2") == "s-a"
        assert store.story_keys("s-a") == {"e:bregovar": 3.0, "w:dam": 0.5, "w:evacu": 2.0}
        assert store.story_keys("s-b") == {}
        assert [row[0] for row in store.story_headlines("s-a")] == ["a1", "b1"]
        assert [s for s, _ in store.story_candidates(["w:evacu"], date(2024, 3, 9), 10)] == ["s-a"]
