"""Server-rendered pages. Each one shows what its ``/api`` twin returns.

Templates get plain strings and records; Jinja2 autoescape (on for every
template) writes article text as text. The only markup inserted verbatim is the
inline SVG from ``report/svg.py``, which escapes every label it draws.
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
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from newsdesk.options import Options
from newsdesk.store import Store
from newsdesk.web import upload, views
from newsdesk.web.deps import get_options, get_store, templates, web_settings
from newsdesk.web.highlight import highlight_article
from newsdesk.web.routes_api import receive_upload
from newsdesk.web.security import safe_href

router = APIRouter(include_in_schema=False)

StoreDep = Annotated[Store, Depends(get_store)]
OptionsDep = Annotated[Options, Depends(get_options)]


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("legend", _legend())
    return templates().TemplateResponse(request, name, context, status_code=status_code)


def _legend() -> list[tuple[str, str]]:
    """(css class, label) pairs of the highlight legend, in display order."""
    groups = dict.fromkeys(str(v) for v in web_settings()["legend"].values())
    names = web_settings()["legend_names"]
    return [(f"ent ent-{g}", names.get(g, g.title())) for g in groups] + [("tx", "Date / time"), ("q", "Quote")]


def _date(value: str | None, name: str = "date") -> date | None:
    """A date field (YYYY-MM-DD, as the date picker sends it); empty is None, and
    anything else is answered 400 with a message rather than silently ignored."""
    if not value or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise HTTPException(status_code=400, detail=f"{name} is not a date (YYYY-MM-DD)") from None


@router.get("/", response_class=HTMLResponse)
def search_page(
    request: Request,
    store: StoreDep,
    q: str | None = None,
    entity: str | None = None,
    outlet: str | None = None,
    date_from: Annotated[str | None, Query()] = None,
    date_to: Annotated[str | None, Query()] = None,
) -> HTMLResponse:
    try:
        result = views.search(store, q, entity, outlet, _date(date_from, "from"), _date(date_to, "to"))
    except views.BadQuery as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from None
    stories = views.story_list(store)
    outlets = sorted({o for s in stories.stories for o in s.outlets}, key=str.lower)
    return render(
        request,
        "search.html.j2",
        result=result,
        stories=stories.stories[:8],
        outlets=outlets,
        entities=views.entity_list(store)[:200],
        articles_total=store.count_articles(),
        searched=any(v for v in (q, entity, outlet, date_from, date_to)),
    )


@router.get("/stories", response_class=HTMLResponse)
def stories_page(request: Request, store: StoreDep) -> HTMLResponse:
    return render(request, "stories.html.j2", stories=views.story_list(store).stories)


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: str, store: StoreDep) -> HTMLResponse:
    try:
        view = views.story_view(store, story_id, request.app.state.story_cache)
    except views.NotFound as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from None
    columns = [
        {"summary": summary, "paragraphs": highlight_article(a), "href": safe_href(a.article.url), "article": a.article}
        for summary, a in zip(view.detail.articles, view.analyses)
    ]
    return render(
        request,
        "story.html.j2",
        story=view.detail,
        columns=columns,
        timeline_svg=Markup(view.timeline_svg),  # every label escaped in report/svg.py
        graph_svg=Markup(view.graph_svg),
    )


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str, store: StoreDep) -> HTMLResponse:
    try:
        detail, analysis = views.article_detail(store, article_id)
    except views.NotFound as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from None
    return render(
        request,
        "article.html.j2",
        detail=detail,
        article=detail.article,
        paragraphs=highlight_article(analysis),
        href=safe_href(detail.article.url),
        uploaded=request.query_params.get("uploaded"),
    )


@router.get("/entities", response_class=HTMLResponse)
def entities_page(request: Request, store: StoreDep) -> HTMLResponse:
    return render(request, "entities.html.j2", entities=views.entity_list(store))


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity_page(request: Request, entity_id: str, store: StoreDep) -> HTMLResponse:
    try:
        detail = views.entity_detail(store, entity_id)
    except views.NotFound as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from None
    return render(request, "entity.html.j2", detail=detail)


@router.get("/feeds", response_class=HTMLResponse)
def feeds_page(request: Request, store: StoreDep) -> HTMLResponse:
    listing = views.feed_list(store)
    rows = [{"feed": f, "href": safe_href(f.url)} for f in listing.feeds]
    return render(request, "feeds.html.j2", listing=listing, rows=rows)


@router.get("/upload", response_class=HTMLResponse)
def upload_form(request: Request) -> HTMLResponse:
    return render(request, "upload.html.j2", error=None, form={})


@router.post("/upload", response_class=HTMLResponse)
async def upload_submit(
    request: Request,
    store: StoreDep,
    options: OptionsDep,
    file: Annotated[UploadFile | None, File()] = None,
    text: Annotated[str | None, Form()] = None,
    title: Annotated[str | None, Form()] = None,
    outlet: Annotated[str | None, Form()] = None,
    url: Annotated[str | None, Form()] = None,
    published: Annotated[str | None, Form()] = None,
) -> Response:
    try:
        meta = upload.UploadMeta(
            title=title or None, outlet=outlet or None, url=url or None, published=_date(published, "published")
        )
        result = await receive_upload(store, options, file, text, meta)
    except HTTPException as exc:
        form = {
            "text": text or "",
            "title": title or "",
            "outlet": outlet or "",
            "url": url or "",
            "published": published or "",
        }
        return render(request, "upload.html.j2", status_code=exc.status_code, error=exc.detail, form=form)
    return RedirectResponse(f"/articles/{result.article_id}?uploaded={result.status}", status_code=303)


@router.get("/api", response_class=HTMLResponse)
def api_page(request: Request) -> HTMLResponse:
    """The API documented from the OpenAPI schema (no CDN-hosted Swagger UI)."""
    schema = request.app.openapi()
    endpoints = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            params = [
                {
                    "name": p["name"],
                    "in": p["in"],
                    "description": p.get("description", ""),
                    "required": p.get("required", False),
                }
                for p in op.get("parameters", [])
            ]
            endpoints.append(
                {"method": method.upper(), "path": path, "summary": op.get("summary", ""), "params": params}
            )
    return render(request, "api.html.j2", endpoints=endpoints)


@router.get("/failures", response_class=HTMLResponse)
def failures_page(request: Request, store: StoreDep) -> HTMLResponse:
    return render(request, "failures.html.j2", failures=store.list_failures(limit=200), total=store.count_failures())
