"""The store's failures table (SQLite, and PostgreSQL when configured): one row per
source with its latest stage and reason, attempts counted, cleared when stored;
``article_ids`` lists what is stored."""

from __future__ import annotations

from newsdesk.store import FailureRecord, Store


def test_failures_are_kept_per_source_counted_and_cleared(store_url: str) -> None:
    with Store(store_url) as store:
        assert store.list_failures() == [] and store.count_failures() == 0
        store.record_failures([FailureRecord("a.jsonl#3", "read", "malformed JSON"),
                               FailureRecord("b.txt", "analyse", "too long")])
        store.record_failures([FailureRecord("a.jsonl#3", "clean", "no text")])
        by_source = {f.source: f for f in store.list_failures()}
        assert by_source["a.jsonl#3"].stage == "clean" and by_source["a.jsonl#3"].reason == "no text"
        assert by_source["a.jsonl#3"].attempts == 2 and by_source["b.txt"].attempts == 1
        assert all(f.time is not None and f.time.tzinfo is not None for f in by_source.values())
        assert [f.source for f in store.list_failures(stage="analyse")] == ["b.txt"]
        assert len(store.list_failures(limit=1)) == 1
        store.clear_failures(["a.jsonl#3", "never-failed.txt"])
        assert [f.source for f in store.list_failures()] == ["b.txt"] and store.count_failures() == 1
        assert store.article_ids() == frozenset()
