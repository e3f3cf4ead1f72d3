"""The JSON API: one ``/api/...`` twin per page, documented in ``/openapi.json``.

Every response is plain data (pydantic models); article text is returned as
strings, never as markup, so a client decides how to display it.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import (
    APIRouter,
    Depends,
    File,
    Form,
    HTTPException,
    Query,
    Request,
    UploadFile,
)
from fastapi.concurrency import run_in_threadpool

from newsdesk.errors import InputError
from newsdesk.options import Options
from newsdesk.store import Store
from newsdesk.web import upload, views
from newsdesk.web.deps import get_options, get_store
from newsdesk.web.schemas import (
    ArticleDetail,
    EntityDetail,
    EntityListResponse,
    ErrorOut,
    FailureListResponse,
    FailureOut,
    FeedListResponse,
    SearchResponse,
    StoryDetail,
    StoryListResponse,
    UploadResult,
)

router = APIRouter(prefix="/api", tags=["api"])

NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorOut, "description": "Unknown id"}}

StoreDep = Annotated[Store, Depends(get_store)]
OptionsDep = Annotated[Options, Depends(get_options)]


def _missing(exc: views.NotFound) -> HTTPException:
    return HTTPException(status_code=404, detail=str(exc))


@router.get(
    "/search",
    response_model=SearchResponse,
    summary="Search the corpus",
    responses={400: {"model": ErrorOut, "description": "A query the search engine cannot read"}},
)
def api_search(
    store: StoreDep,
    q: Annotated[str | None, Query(description='Words, "phrases", OR, -excluded, prefix*')] = None,
    entity: Annotated[str | None, Query(description="Entity id or canonical name")] = None,
    outlet: Annotated[str | None, Query(description="Outlet name (case-insensitive)")] = None,
    date_from: Annotated[date | None, Query(description="Published on or after (YYYY-MM-DD)")] = None,
    date_to: Annotated[date | None, Query(description="Published on or before (YYYY-MM-DD)")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> SearchResponse:
    try:
        return views.search(store, q, entity, outlet, date_from, date_to, limit)
    except views.BadQuery as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from None


@router.get("/stories", response_model=StoryListResponse, summary="List stories")
def api_stories(store: StoreDep) -> StoryListResponse:
    return views.story_list(store)


@router.get("/stories/{story_id}", response_model=StoryDetail, responses=NOT_FOUND, summary="One story")
def api_story(story_id: str, store: StoreDep, request: Request) -> StoryDetail:
    try:
        return views.story_view(store, story_id, request.app.state.story_cache).detail
    except views.NotFound as exc:
        raise _missing(exc) from None


@router.get(
    "/articles/{article_id}", response_model=ArticleDetail, responses=NOT_FOUND, summary="One article and its analysis"
)
def api_article(article_id: str, store: StoreDep) -> ArticleDetail:
    try:
        return views.article_detail(store, article_id)[0]
    except views.NotFound as exc:
        raise _missing(exc) from None


@router.get("/entities", response_model=EntityListResponse, summary="List entities, most mentioned first")
def api_entities(store: StoreDep) -> EntityListResponse:
    entities = views.entity_list(store)
    return EntityListResponse(count=len(entities), entities=entities)


@router.get("/entities/{entity_id}", response_model=EntityDetail, responses=NOT_FOUND, summary="One entity's mentions")
def api_entity(entity_id: str, store: StoreDep) -> EntityDetail:
    try:
        return views.entity_detail(store, entity_id)
    except views.NotFound as exc:
        raise _missing(exc) from None


@router.get("/feeds", response_model=FeedListResponse, summary="Feeds followed by newsdesk follow, with health")
def api_feeds(store: StoreDep) -> FeedListResponse:
    return views.feed_list(store)


@router.post(
    "/articles",
    response_model=UploadResult,
    status_code=201,
    responses={
        400: {"model": ErrorOut, "description": "Unreadable input"},
        413: {"model": ErrorOut, "description": "Body too large"},
    },
    summary="Upload a file or pasted text: cleaned, analysed, stored, placed in a story",
)
async def api_upload(
    store: StoreDep,
    options: OptionsDep,
    file: Annotated[UploadFile | None, File(description="Text, HTML, JSONL or WARC file")] = None,
    text: Annotated[
        str | None, Form(description="Pasted article text (first line = title unless title is given)")
    ] = None,
    title: Annotated[str | None, Form()] = None,
    outlet: Annotated[str | None, Form()] = None,
    url: Annotated[str | None, Form()] = None,
    published: Annotated[date | None, Form()] = None,
) -> UploadResult:
    meta = upload.UploadMeta(title=title or None, outlet=outlet or None, url=url or None, published=published)
    return await receive_upload(store, options, file, text, meta)


async def receive_upload(
    store: Store, options: Options, file: UploadFile | None, text: str | None, meta: upload.UploadMeta
) -> UploadResult:
    """Shared by the API and the upload form: read the file in memory (the body
    limit already bounds it) and run the blocking pipeline in a worker thread."""
    try:
        if file is not None and file.filename:
            data = await file.read()
            raws = await run_in_threadpool(upload.read_upload, data, file.filename, options, meta)
        elif text and text.strip():
            raws = [upload.pasted_article(text, meta)]
        else:
            raise HTTPException(status_code=400, detail="choose a file or paste some text")
        return await run_in_threadpool(upload.store_articles, store, raws, options)
    except InputError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from None


@router.get("/failures", response_model=FailureListResponse, summary="Inputs ingest could not store, most recent first")
def api_failures(
    store: StoreDep,
    stage: Annotated[str | None, Query(description="Only this stage: read, clean, analyse, link, store")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> FailureListResponse:
    records = store.list_failures(limit=limit, stage=stage)
    return FailureListResponse(
        count=len(records),
        total=store.count_failures(),
        failures=[
            FailureOut(source=r.source, stage=r.stage, reason=r.reason, attempts=r.attempts, time=r.time)
            for r in records
        ],
    )
