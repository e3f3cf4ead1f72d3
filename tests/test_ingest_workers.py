"""``--workers N``: analysis in N processes, one writer in input order.

The store must not depend on N (same articles, analyses, stories and entity ids
for N = 1 and 2), a process that dies is reported and its batch retried (the run
completes), and an article that kills its process every time is a failure of
that article only."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_ingest_cmd import write_articles

from newsdesk.corpus import IngestReport, ingest_paths
from newsdesk.ingestor import pool
from newsdesk.ingestor.worker import CRASH_MARKER_ENV, CRASH_ONCE_ENV
from newsdesk.model import to_dict
from newsdesk.options import Options
from newsdesk.store import Store

ARTICLES = 10
MARK = "Quillomere"  # invented: the article that kills its analysis process


def _ingest(folder: Path, db: str, workers: int, batch_size: int = 2) -> IngestReport:
    return ingest_paths([folder], Options(db_url=db, batch_size=batch_size, workers=workers))


def _snapshot(db: str) -> tuple[dict[str, object], set[frozenset[str]], set[str]]:
    with Store(db) as store:
        analyses = {a.article.id: to_dict(a) for a in store.iter_analyses()}
        stories = {frozenset(store.story_article_ids(s.id)) for s in store.list_stories()}
        entities = {e.entity_id for e in store.get_entities()}
    return analyses, stories, entities


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    write_articles(folder, ARTICLES, seed=21)
    return folder


def test_one_and_two_workers_give_the_same_store(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    one, two = f"sqlite:///{tmp_path / 'one.db'}", f"sqlite:///{tmp_path / 'two.db'}"
    # two write batches (6 and 4 articles) parsed in jobs of 4 and 2, then 4: results
    # come back out of order within a batch and across batches
    monkeypatch.setattr(pool, "JOB_ARTICLES", 4)
    first, second = _ingest(corpus, one, 1, batch_size=6), _ingest(corpus, two, 2, batch_size=6)
    assert first.ingested + first.near_duplicates == ARTICLES and first.failed == []
    assert (second.ingested, second.near_duplicates, second.failed) == (first.ingested, first.near_duplicates, [])
    assert second.stories == first.stories
    analyses, stories, entities = _snapshot(one)
    assert len(analyses) == ARTICLES and entities
    assert _snapshot(two) == (analyses, stories, entities)
    in_process = f"sqlite:///{tmp_path / 'zero.db'}"
    _ingest(corpus, in_process, 0, batch_size=6)
    assert _snapshot(in_process) == (analyses, stories, entities)


def _with_marked(corpus: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for path in corpus.iterdir():
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "report_0004b.txt").write_text(
        f"{MARK} ferry resumes service\n\nThe {MARK} ferry resumed service on Tuesday, the operator said.\n",
        encoding="utf-8",
    )
    return folder


def test_a_killed_worker_is_reported_and_its_batch_retried(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _with_marked(corpus, tmp_path)
    monkeypatch.setenv(CRASH_MARKER_ENV, MARK)
    monkeypatch.setenv(CRASH_ONCE_ENV, str(tmp_path / "crashed-once"))
    db = f"sqlite:///{tmp_path / 'news.db'}"
    report = _ingest(folder, db, 2)
    assert (tmp_path / "crashed-once").exists()  # a process did die
    assert len(report.worker_deaths) == 1 and "exit code 86" in report.worker_deaths[0]
    assert report.failed == [] and report.stored == ARTICLES + 1
    with Store(db) as store:
        assert store.count_articles() == ARTICLES + 1 and store.list_failures() == []


def test_an_article_that_always_kills_its_worker_fails_alone(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _with_marked(corpus, tmp_path)
    monkeypatch.setenv(CRASH_MARKER_ENV, MARK)
    monkeypatch.delenv(CRASH_ONCE_ENV, raising=False)
    db = f"sqlite:///{tmp_path / 'news.db'}"
    report = _ingest(folder, db, 2)
    assert report.stored == ARTICLES
    [failure] = report.failures
    assert failure.stage == "analyse" and failure.source == str(folder / "report_0004b.txt")
    assert "died" in failure.reason
    assert len(report.worker_deaths) == 3  # the batch, its retry, the article alone
    with Store(db) as store:
        assert [f.source for f in store.list_failures()] == [failure.source]
