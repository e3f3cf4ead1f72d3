"""The store's feed tables and methods (SQLite, and PostgreSQL when configured),
and the ``0003_follow`` migration on a store created before it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, inspect, text

from newsdesk.store import FetchRecord, PollResult, Store

FEED = "http://127.0.0.1:9/feed.rss"


def test_polls_accumulate_counts_and_keep_validators_unless_given(store_url: str) -> None:
    with Store(store_url) as store:
        store.add_feed(FEED)
        store.add_feed(FEED, "Gazette")  # a later title fills the missing one
        assert store.get_feed(FEED).health == "new"  # type: ignore[union-attr]
        store.record_poll(FEED, PollResult(kind="feed", etag='"v1"', last_modified="Tue, 01 Sep 2026 10:00:00 GMT", entries=5, stored=3))
        store.record_poll(FEED, PollResult(error=f"{FEED}: HTTP 503", failed=1, entries=5, stored=1))
        feed = store.get_feed(FEED)
        assert feed is not None
        assert (feed.title, feed.kind, feed.etag, feed.entry_count, feed.stored_count, feed.failed_count) == ("Gazette", "feed", '"v1"', 5, 4, 1)
        assert feed.health == "failing" and feed.last_error == f"{FEED}: HTTP 503"
        assert feed.last_ok is not None and feed.last_poll is not None and feed.last_poll >= feed.last_ok
        store.record_poll(FEED, PollResult())
        assert store.get_feed(FEED).health == "ok"  # type: ignore[union-attr]
        assert [f.url for f in store.list_feeds()] == [FEED]


def test_fetch_log_marks_urls_known_and_finds_same_content(store_url: str) -> None:
    a, b = "http://127.0.0.1:9/a", "http://127.0.0.1:9/b"
    with Store(store_url) as store:
        assert store.known_urls([a, b]) == set()
        store.log_fetches([FetchRecord(a, a, 200, "h1", FEED), FetchRecord(b, b, 404, None, FEED, "HTTP 404")])
        store.log_fetches([FetchRecord(a, a, 500, "other", FEED)])  # a URL logged twice keeps its first row
        c = "http://127.0.0.1:9/c"
        store.log_fetches([FetchRecord(c, c, 200, "h3", FEED), FetchRecord(c, a, 301, "h4", FEED)])  # twice in one call
        assert store.known_urls([a, b, c, "http://127.0.0.1:9/d"]) == {a, b, c}
        assert store.url_with_content("h1") == a and store.url_with_content("other") is None
        rows = {r.canonical_url: r for r in store.fetch_log_entries(FEED)}
        assert rows[a].status == 200 and rows[b].error == "HTTP 404"
        assert store.count_fetches() == 3 and store.url_with_content("h3") == c


def test_store_from_before_follow_gets_the_tables(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    Store(url).close()
    engine = create_engine(url)
    with engine.begin() as conn:  # make it look like a store made before migration 0003
        conn.execute(text("DROP TABLE feeds"))
        conn.execute(text("DROP TABLE fetch_log"))
        conn.execute(text("DROP TABLE failures"))
        conn.execute(text("UPDATE meta SET value = '2' WHERE key = 'schema_version'"))
        conn.execute(text("DELETE FROM meta WHERE key IN ('migration:0003_follow', 'migration:0004_failures')"))
    with Store(url) as store:
        store.add_feed(FEED)
        assert [f.url for f in store.list_feeds()] == [FEED]
    with engine.connect() as conn:
        assert {"feeds", "fetch_log", "failures"} <= set(inspect(conn).get_table_names())
        assert conn.execute(text("SELECT value FROM meta WHERE key = 'schema_version'")).scalar() == "4"
    engine.dispose()
