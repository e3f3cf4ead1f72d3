"""The Ray path gives the same store and the same analyses as the local engine.

The Ray tests share one local Ray runtime (2 CPUs) for the module. The whole module
is skipped when Ray is not installed, unless ``NEWSDESK_REQUIRE_RAY=1`` (CI with the
extra), where a missing Ray fails it. The row/actor tests call the worker-side code
directly, without a runtime; the local-path test runs in a fresh interpreter, since
this module itself has imported Ray.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

try:
    import ray
except ImportError:
    if os.environ.get("NEWSDESK_REQUIRE_RAY") == "1":
        raise
    pytest.skip("ray not installed (pip install 'newsdesk[ray]')", allow_module_level=True)

from newsdesk.analyze.pipeline import analyze, analyze_article
from newsdesk.clean import clean
from newsdesk.corpus import IngestReport, ingest_paths
from newsdesk.distributed.rows import (
    ARTICLE,
    DUPLICATE,
    ERROR,
    AnalyzeActor,
    analysis_of,
    expand_file,
)
from newsdesk.errors import InputError
from newsdesk.ingest import iter_sources
from newsdesk.model import to_dict
from newsdesk.options import Options
from newsdesk.store import Store

pytestmark = pytest.mark.ray

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples" / "story"
OPTIONS = Options(batch_size=4)


def _corpus_gen() -> Any:
    spec = importlib.util.spec_from_file_location("corpus_gen", REPO / "bench" / "corpus_gen.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while defining
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """examples/story, 8 generated articles (2 JSONL shards), a binary file, a broken
    JSONL line and an exact copy of one example (an in-run duplicate)."""
    root = tmp_path_factory.mktemp("corpus")
    shutil.copytree(EXAMPLES, root / "story")
    _corpus_gen().generate(8, root / "generated", per_shard=4, seed=3)
    (root / "bad").mkdir()
    (root / "bad" / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (root / "bad" / "broken.jsonl").write_text('{"title": "Half a record", "text": \n', encoding="utf-8")
    shutil.copy(EXAMPLES / "distractor-ferry-strike.txt", root / "bad" / "zz-copy-of-distractor.txt")
    return root


# --- rows and actor, no Ray needed ---------------------------------------------------


def test_expand_file_yields_articles_errors_and_known_duplicates(corpus: Path) -> None:
    jsonl = EXAMPLES / "balkan-monitor-brehovar.jsonl"
    rows = list(expand_file({"path": str(jsonl)}, OPTIONS))
    expected = [clean(raw, OPTIONS) for raw in iter_sources([jsonl], OPTIONS) if not isinstance(raw, InputError)]
    assert [r["kind"] for r in rows] == [ARTICLE] * len(expected) and len(expected) == 2
    assert [r["article_id"] for r in rows] == [a.id for a in expected]
    assert json.loads(rows[0]["article"]) == to_dict(expected[0])

    known = list(expand_file({"path": str(jsonl)}, OPTIONS, known_ids={expected[1].id}))
    assert [r["kind"] for r in known] == [ARTICLE, DUPLICATE] and known[1]["article"] == ""

    bad = list(expand_file({"path": str(corpus / "bad" / "broken.jsonl")}, OPTIONS))
    assert [r["kind"] for r in bad] == [ERROR]
    assert bad[0]["error"].startswith(str(corpus / "bad" / "broken.jsonl")) and ":1:" in bad[0]["error"]


def test_analyze_actor_matches_analyze_article_and_passes_other_rows_through() -> None:
    path = EXAMPLES / "daily-courier-bregovar-flood.txt"
    row = next(expand_file({"path": str(path)}, OPTIONS))
    error = {"kind": ERROR, "source": "x.txt", "article_id": "", "article": "", "analysis": "", "error": "x.txt: empty"}
    batch = {name: [row[name], error[name]] for name in row}
    out = AnalyzeActor(OPTIONS)(batch)
    assert "article" not in out  # the bulky input column is not shipped back
    assert out["kind"] == [ARTICLE, ERROR] and out["error"] == ["", "x.txt: empty"] and out["analysis"][1] == ""
    article = clean(next(iter_sources([path], OPTIONS)), OPTIONS)  # type: ignore[arg-type]
    expected = analyze_article(article, OPTIONS)
    got = analysis_of({"analysis": out["analysis"][0]})
    assert to_dict(got) == to_dict(expected)
    assert got.quotes and got.entities  # a real analysis, not an empty record


def test_local_path_never_imports_ray(tmp_path: Path) -> None:
    """The CLI, the local engine and a local analyze must work without Ray loaded."""
    code = (
        "import sys\n"
        "import newsdesk.cli, newsdesk.corpus\n"
        "from newsdesk.options import Options\n"
        "from newsdesk.oneshot import analyze_paths\n"
        f"result = analyze_paths([{str(EXAMPLES / 'daily-courier-bregovar-flood.txt')!r}], Options())\n"
        "assert result.analyses and result.analyses[0].quotes\n"
        "from newsdesk.corpus import ingest_paths\n"
        f"report = ingest_paths([{str(EXAMPLES / 'distractor-ferry-strike.txt')!r}], Options(db_url={'sqlite:///' + str(tmp_path / 'x.db')!r}))\n"
        "assert report.ingested == 1, report\n"
        "bad = sorted(m for m in sys.modules if m == 'ray' or m.startswith('ray.'))\n"
        "assert not bad, bad\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith("ok")


# --- the Ray path --------------------------------------------------------------------


@pytest.fixture(scope="module")
def ray_runtime() -> Any:
    """One local runtime for the module: 2 CPUs, no dashboard."""
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


@pytest.fixture(scope="module")
def local_run(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[IngestReport, str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('local') / 'local.db'}"
    return ingest_paths([corpus], Options(batch_size=OPTIONS.batch_size, db_url=url)), url


@pytest.fixture(scope="module")
def ray_run(ray_runtime: Any, corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[IngestReport, str]:
    from newsdesk.distributed import ingest_ray

    url = f"sqlite:///{tmp_path_factory.mktemp('ray') / 'ray.db'}"
    return ingest_ray([corpus], Options(batch_size=OPTIONS.batch_size, db_url=url), num_actors=2), url


def _story_groups(store: Store) -> set[frozenset[str]]:
    return {frozenset(store.story_article_ids(s.id)) for s in store.list_stories()}


def test_ray_report_equals_local(local_run: tuple[IngestReport, str], ray_run: tuple[IngestReport, str], corpus: Path) -> None:
    local, _ = local_run
    remote, _ = ray_run
    assert remote.ingested == local.ingested >= 14
    assert (remote.duplicates, remote.near_duplicates) == (local.duplicates, local.near_duplicates)
    assert local.duplicates == 1  # the copied distractor
    assert remote.failed == local.failed and len(local.failed) == 2
    assert any("image.txt" in line for line in remote.failed) and any("broken.jsonl:1" in line for line in remote.failed)
    assert remote.stories == local.stories


def test_ray_store_equals_local_store(local_run: tuple[IngestReport, str], ray_run: tuple[IngestReport, str]) -> None:
    with Store(local_run[1]) as local, Store(ray_run[1]) as remote:
        ids = {a.id for a in local.list_articles(limit=1000)}
        assert ids == {a.id for a in remote.list_articles(limit=1000)} and len(ids) == local.count_articles()
        for article_id in sorted(ids):
            expected, got = local.get_analysis(article_id), remote.get_analysis(article_id)
            assert expected is not None and got is not None
            assert to_dict(got) == to_dict(expected), article_id
        groups = _story_groups(local)
        assert groups == _story_groups(remote)
        assert len(groups) >= 2  # the flood story and the distractor stay apart
        assert {e.entity_id for e in local.get_entities()} == {e.entity_id for e in remote.get_entities()}


def test_ray_rerun_skips_everything_stored(ray_runtime: Any, ray_run: tuple[IngestReport, str]) -> None:
    from newsdesk.distributed import ingest_ray

    report = ingest_ray([EXAMPLES], Options(batch_size=OPTIONS.batch_size, db_url=ray_run[1]), num_actors=1)
    assert report.ingested == 0 and report.failed == []
    assert report.duplicates == sum(1 for item in iter_sources([EXAMPLES], OPTIONS) if not isinstance(item, InputError))


def test_parquet_output_round_trips(ray_runtime: Any, corpus: Path, tmp_path: Path, local_run: tuple[IngestReport, str]) -> None:
    from newsdesk.distributed import ingest_ray, read_parquet_analyses, store_parquet

    out = tmp_path / "shards"
    report = ingest_ray([corpus / "story", corpus / "bad"], OPTIONS, num_actors=1, output=str(out))
    assert list(out.glob("*.parquet"))
    articles = [clean(raw, OPTIONS) for raw in iter_sources([corpus / "story"], OPTIONS) if not isinstance(raw, InputError)]
    assert len(report.failed) == 2 and report.ingested == len(articles) + 1  # the copy too: no store, no dedup
    expected = {a.article.id: to_dict(a) for a in analyze(articles, OPTIONS)}
    got: dict[str, Any] = {}
    for analysis in read_parquet_analyses(out):  # the copy repeats an id: keep the first
        got.setdefault(analysis.article.id, to_dict(analysis))
    assert got == expected

    url = f"sqlite:///{tmp_path / 'from-parquet.db'}"
    loaded = store_parquet(out, Options(db_url=url, batch_size=OPTIONS.batch_size))
    assert loaded.ingested == len(expected) and loaded.duplicates == 1 and len(loaded.failed) == 2
    with Store(url) as store, Store(local_run[1]) as local:
        for article_id in expected:  # the local run met the distractor's copy first: sources differ
            got_stored, local_stored = to_dict(store.get_analysis(article_id)), to_dict(local.get_analysis(article_id))
            got_stored["article"].pop("source"), local_stored["article"].pop("source")
            assert got_stored == local_stored, article_id


def test_missing_model_is_one_line_error_before_any_work(tmp_path: Path) -> None:
    from newsdesk.distributed import ingest_ray
    from newsdesk.errors import ModelError

    options = Options(model="no_such_spacy_model", db_url=f"sqlite:///{tmp_path / 'x.db'}")
    with pytest.raises(ModelError, match="no_such_spacy_model' is not installed"):
        ingest_ray([EXAMPLES], options)
    assert not (tmp_path / "x.db").exists()  # failed before touching the store or Ray


def test_parquet_reader_names_the_bad_directory(tmp_path: Path) -> None:
    from newsdesk.distributed.parquet import read_parquet_analyses

    with pytest.raises(InputError, match=str(tmp_path)):
        list(read_parquet_analyses(tmp_path))
