"""``newsdesk ingest`` and ``corpus.ingest_paths`` end to end on invented articles and
the seeds: the real readers, cleaner, analyzer, linkers and the SQLite store."""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.corpus import IngestProgress, ingest_paths
from newsdesk.options import Options
from newsdesk.store import Store
from newsdesk.store.tables import entity_mentions, story_articles

PEOPLE = ["Anna Berg", "Tomas Keller", "Maria Lindqvist", "Oskar Hale", "Ines Moreau", "Pavel Novak"]
PLACES = ["Eastbank", "Northport", "Lake Varn", "Grenholm", "Saltmarsh", "Redcliff"]
TOPICS = [
    ("harbour", "rebuild the harbour wall", "storm damage"),
    ("rail", "reopen the coastal railway", "a signalling fault"),
    ("school", "open two new schools", "a shortage of teachers"),
    ("hospital", "expand the regional hospital", "waiting lists"),
    ("bridge", "finish the river bridge", "spring flooding"),
    ("power", "restore power to the valley", "an ice storm"),
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def article_text(index: int, rng: random.Random) -> str:
    """One invented, distinct news report (headline first, as scraped text dumps are)."""
    person, place = rng.choice(PEOPLE), rng.choice(PLACES)
    key, promise, cause = rng.choice(TOPICS)
    day = rng.choice(DAYS)
    surname = person.split()[-1]
    return (
        f"{person} pledges to {promise} in {place} (report {index})\n\n"
        f"{person}, the regional minister, visited {place} on {day} and promised to {promise} "
        f"before the end of the year, officials said. Report number {index} from our correspondent.\n\n"
        f"\"We will not leave {place} behind,\" {surname} told reporters. Local councillors said the "
        f"{key} project had been delayed for {rng.randint(2, 9)} years by {cause}.\n\n"
        f"According to the council, about {rng.randint(100, 9000)} residents are affected. "
        f"The opposition claimed the plan may cost more than announced.\n"
    )


def write_articles(folder: Path, count: int, seed: int = 7) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for index in range(count):
        path = folder / f"report_{index:04d}.txt"
        path.write_text(article_text(index, rng), encoding="utf-8")
        paths.append(path)
    return paths


def summary_number(output: str, label: str) -> int:
    """The count on the summary table row that starts with ``label``."""
    match = re.search(rf"^[^\w\n]*{re.escape(label)}\b[^\n]*?(\d+)\s*\S?\s*$", output, re.MULTILINE)
    assert match, output
    return int(match.group(1))


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    write_articles(folder, 5)
    (folder / "empty.txt").write_text("   \n", encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 20)
    return folder


def test_ingest_command_stores_reports_failures_and_is_idempotent(corpus_dir: Path, store_url: str) -> None:
    db = store_url
    runner = CliRunner()
    first = runner.invoke(app, ["ingest", str(corpus_dir), "--db", db, "--batch-size", "2"])
    assert first.exit_code == 0, first.output
    assert summary_number(first.stdout, "ingested") == 5
    assert summary_number(first.stdout, "failed") == 2
    assert "empty.txt" in first.stderr and "binary.txt" in first.stderr
    with Store(db) as store:
        assert store.count_articles() == 5
        ids = [a.id for a in store.list_articles()]
        analysis = store.get_analysis(ids[0])
        assert analysis is not None and analysis.entities and analysis.sentences
        with store.engine.connect() as conn:
            mentions = conn.execute(select(func.count()).select_from(entity_mentions)).scalar_one()
            in_stories = conn.execute(select(func.count()).select_from(story_articles)).scalar_one()
        assert mentions == sum(len(a.entities) for a in store.iter_analyses())
        assert in_stories == 5
        assert store.get_entities()

    again = runner.invoke(app, ["ingest", str(corpus_dir), "--db", db])
    assert again.exit_code == 0, again.output
    assert summary_number(again.stdout, "ingested") == 0
    assert summary_number(again.stdout, "duplicates") == 5
    with Store(db) as store:
        assert store.count_articles() == 5


def test_strict_fails_on_any_failure_and_nothing_good_fails(corpus_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    db = f"sqlite:///{tmp_path / 'news.db'}"
    strict = runner.invoke(app, ["ingest", str(corpus_dir), "--db", db, "--strict"])
    assert strict.exit_code == 1
    only_bad = runner.invoke(app, ["ingest", str(corpus_dir / "empty.txt"), "--db", f"sqlite:///{tmp_path / 'b.db'}"])
    assert only_bad.exit_code == 1
    assert "empty.txt" in only_bad.stderr


def test_bad_db_url_is_one_line_error(corpus_dir: Path) -> None:
    result = CliRunner().invoke(app, ["ingest", str(corpus_dir), "--db", "postgresql://u:pw@127.0.0.1:1/x"])
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: cannot open store postgresql+psycopg://u:***@127.0.0.1:1/x")


def test_ray_engine_without_ray_installed_says_so(
    corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ray is an optional extra: without it, --engine ray is a one-line usage error."""
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` now raises ImportError
    monkeypatch.delitem(sys.modules, "newsdesk.distributed", raising=False)
    result = CliRunner().invoke(app, ["ingest", str(corpus_dir), "--engine", "ray", "--db", f"sqlite:///{tmp_path / 'r.db'}"])
    assert result.exit_code == 2
    assert "--engine ray is not available" in result.stderr


def test_ingest_paths_reports_progress_and_near_duplicates(tmp_path: Path) -> None:
    folder = tmp_path / "wire"
    [original] = write_articles(folder, 1, seed=3)
    text = original.read_text(encoding="utf-8")
    headline, body = text.split("\n\n", 1)
    (folder / "copy.txt").write_text("Syndicated: " + headline + "\n\n" + body + "\nDistributed by Example Wire.\n", encoding="utf-8")
    states: list[IngestProgress] = []
    options = Options(db_url=f"sqlite:///{tmp_path / 'w.db'}", batch_size=1)
    report = ingest_paths([folder], options, progress=lambda s: states.append(IngestProgress(**vars(s))))
    assert (report.ingested, report.near_duplicates, report.duplicates, report.failed) == (1, 1, 0, [])
    assert states[-1].files == 2 and states[-1].stored == 2
    assert [s.stored for s in states] == sorted(s.stored for s in states)
    assert len(set(report.stories.values())) == 1  # the copy joins the original's story


def test_seeds_ingest_into_one_store(seed_paths: dict[str, Path], tmp_path: Path) -> None:
    options = Options(db_url=f"sqlite:///{tmp_path / 'seeds.db'}")
    report = ingest_paths(list(seed_paths.values()), options)
    assert report.ingested == len(seed_paths) and report.failed == []
    with Store(options.db) as store:
        assert store.count_articles() == len(seed_paths)
        for analysis in store.iter_analyses():
            assert analysis.quotes and analysis.claims and analysis.timexes
        # Both seeds name Kadyrov: one corpus-wide entity id across them.
        kadyrov = [r for r in store.get_entities() if "Kadyrov" in r.canonical and r.label == "PERSON"]
        assert kadyrov
        articles = {article.id for article, _ in store.entity_mentions(kadyrov[0].entity_id)}
        assert len(articles) == len(seed_paths)
