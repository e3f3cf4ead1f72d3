"""The library API: what each ``newsdesk`` command does, as one function each.

Why a module of thin functions: the command line, the web app and a Python user
should get the same behaviour from the same call, so the CLI only parses flags,
calls one of these and turns a :class:`~newsdesk.errors.NewsdeskError` into an
exit code. Every function takes an :class:`~newsdesk.options.Options` (default:
built from the environment, so ``$NEWSDESK_MODEL`` and ``$NEWSDESK_DB`` count).

Analyse the bundled example story (no store)::

    >>> from newsdesk import Options, api
    >>> result = api.analyze(["examples/story/daily-courier-bregovar-flood.txt"], Options())
    >>> len(result.analyses), result.failures
    (1, [])

Ingest it into a store, list the stories, and brief one::

    >>> import tempfile, pathlib
    >>> db = f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'doc.db'}"
    >>> report = api.ingest(["examples/story"], Options(db_url=db))
    >>> report.ingested >= 5, report.failed
    (True, [])
    >>> biggest = max(api.stories(Options(db_url=db)), key=lambda s: s.article_count)
    >>> biggest.article_count >= 4
    True
    >>> api.brief(biggest.id, Options(db_url=db)).text.startswith("# ")
    True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from newsdesk.errors import InputError, NewsdeskError
from newsdesk.model import Analysis
from newsdesk.options import Options

if TYPE_CHECKING:
    from fastapi import FastAPI

    from newsdesk.ingestor.records import IngestProgress, IngestReport
    from newsdesk.oneshot import OneShotResult
    from newsdesk.report.story_view import StoryView
    from newsdesk.store.records import StorySummary

__all__ = ["BriefFormat", "BriefResult", "analyze", "app", "brief", "ingest", "is_story_id", "stories"]

BriefFormat = Literal["md", "html", "json"]


def analyze(
    paths: Iterable[str | Path],
    options: Options | None = None,
    on_article: Callable[[Analysis], None] | None = None,
) -> OneShotResult:
    """Read, clean and analyse every article under ``paths`` (no store).

    Bad inputs never stop the batch: each is a one-line entry of ``failures``."""
    from newsdesk.oneshot import analyze_paths

    return analyze_paths(paths, options or Options(), on_article=on_article)


def ingest(
    paths: Iterable[str | Path],
    options: Options | None = None,
    progress: Callable[[IngestProgress], None] | None = None,
) -> IngestReport:
    """Analyse, link and store every article under ``paths`` in the store at
    ``options.db`` (idempotent: what is stored is skipped; resumable)."""
    from newsdesk.corpus import ingest_paths

    return ingest_paths(paths, options or Options(), progress=progress)


def stories(options: Options | None = None) -> list[StorySummary]:
    """The stories of the store at ``options.db``, most recently active first."""
    from newsdesk.store import Store

    with Store((options or Options()).db) as store:
        return store.list_stories()


@dataclass(frozen=True)
class BriefResult:
    """A rendered brief, the story it renders, and the inputs that could not be read."""

    text: str
    story: StoryView
    analyses: list[Analysis]
    failures: list[str] = field(default_factory=list)


def is_story_id(targets: Sequence[str | Path]) -> bool:
    """One argument that is not an existing path is a story id; anything else must be
    files (a missing file among several is an error, not a story id)."""
    return len(targets) == 1 and not Path(targets[0]).exists()


def brief(
    story_id_or_paths: str | Path | Sequence[str | Path],
    options: Options | None = None,
    format: BriefFormat = "md",
) -> BriefResult:
    """The brief of one story: a stored story's id (read from ``options.db``), or files
    analysed in one shot and treated as one story. ``format``: md, html or json."""
    from newsdesk.report.brief import build_story, story_from_store

    options = options or Options()
    targets = [story_id_or_paths] if isinstance(story_id_or_paths, (str, Path)) else list(story_id_or_paths)
    failures: list[str] = []
    if is_story_id(targets):
        story, analyses = story_from_store(str(targets[0]), options.db)
    else:
        missing = [t for t in targets if not Path(t).exists()]
        if missing:
            raise InputError(str(missing[0]), "no such file or directory")
        result = analyze(targets, options)
        failures, analyses = result.failures, result.analyses
        if not analyses:
            raise NewsdeskError("no article could be read from the given files: " + "; ".join(failures))
        story = build_story(analyses)
    return BriefResult(_render_brief(story, analyses, format), story, analyses, failures)


def _render_brief(story: StoryView, analyses: Sequence[Analysis], format: BriefFormat) -> str:
    from newsdesk.report.brief_json import render_brief_json
    from newsdesk.report.html_brief import render_brief_html
    from newsdesk.report.markdown_brief import render_brief_markdown

    renderers = {"md": render_brief_markdown, "html": render_brief_html, "json": render_brief_json}
    if format not in renderers:
        raise NewsdeskError(f"unknown brief format {format!r} (md, html or json)")
    return renderers[format](story, analyses)


def app(options: Options | None = None, max_body_bytes: int | None = None, allow_hosts: Sequence[str] = ()) -> FastAPI:
    """The web app (FastAPI) over the store at ``options.db``; serve it with any ASGI
    server (``uvicorn.run(api.app())``). Loopback Host names are always served, other
    names only when listed in ``allow_hosts``."""
    from newsdesk.web.app import create_app

    return create_app(options or Options(), max_body_bytes=max_body_bytes, allow_hosts=list(allow_hosts))
