"""The web UI in-process: pages, JSON twins, search, safety (escaping, body limit,
static paths, headers), upload. The store is filled by ingesting examples/story,
a hostile article and the seeds when ../shared is present."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import EXAMPLES, SEEDS_DIR
from fastapi.testclient import TestClient

from newsdesk.corpus import ingest_paths
from newsdesk.options import Options
from newsdesk.store import Store
from newsdesk.web.app import create_app

BODY_LIMIT = 64 * 1024
SCRIPT = "<script>alert(1)</script>"
ATTR_BREAK = '"><img src=x onerror=alert(1)>'
HOSTILE = {
    "title": f"Harbour crane collapses in Port Velna {SCRIPT}",
    "outlet": f"Velna Post {SCRIPT}",
    "url": "javascript:alert(1)",
    "published": "2024-05-02",
    "text": (
        f"A harbour crane collapsed in Port Velna on Thursday {ATTR_BREAK}, the port authority said.\n\n"
        f"Harbour master Teodor Valk said the crane had been inspected in March. {SCRIPT}\n\n"
        "\"We will find out what went wrong,\" Valk told reporters, adding that nobody was hurt."
    ),
}


@pytest.fixture(scope="module")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("web")
    (folder / "hostile.jsonl").write_text(json.dumps(HOSTILE) + "\n", encoding="utf-8")
    url = f"sqlite:///{folder / 'web.db'}"
    paths: list[Path] = [EXAMPLES / "story", folder / "hostile.jsonl"]
    if SEEDS_DIR.is_dir():
        paths += sorted(SEEDS_DIR.glob("*.txt"))
    report = ingest_paths(paths, Options(db_url=url))
    assert report.stored >= 7 and not report.failed
    return url


@pytest.fixture(scope="module")
def store(store_url: str) -> Store:
    return Store(store_url)


@pytest.fixture(scope="module")
def client(store_url: str, store: Store) -> TestClient:
    return TestClient(create_app(Options(db_url=store_url), store=store, max_body_bytes=BODY_LIMIT), base_url="http://127.0.0.1")


@pytest.fixture(scope="module")
def hostile_id(store: Store) -> str:
    hits = store.search("crane Velna")
    assert hits, "the hostile article was not ingested"
    return hits[0].article_id


class _Elements(HTMLParser):
    """Every start tag with its attributes, as a browser's parser would see them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(html)
    return parser.tags


def assert_inert(html: str) -> None:
    """No live script, image, event handler or javascript: link from article data."""
    for tag, attrs in elements(html):
        if tag == "script":
            assert attrs.get("src") == "/static/app.js", attrs
        assert tag != "img", attrs
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name in ("href", "src", "action", "formaction"):
                assert not (value or "").strip().lower().startswith(("javascript:", "data:")), (tag, name, value)


# --- pages ----------------------------------------------------------------------------


def test_every_page_renders(client: TestClient, store: Store) -> None:
    pages = ["/", "/stories", "/entities", "/upload", "/api", "/?q=dam"]
    pages += [f"/stories/{s.id}" for s in store.list_stories()]
    pages += [f"/articles/{a.id}" for a in store.list_articles(limit=100)]
    pages += [f"/entities/{e.entity_id}" for e in store.get_entities()[:5]]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert response.headers["content-type"].startswith("text/html")
        assert_inert(response.text)


def test_story_list_matches_store(client: TestClient, store: Store) -> None:
    api = client.get("/api/stories").json()
    assert api["count"] == len(store.list_stories()) >= 2
    html = client.get("/stories").text
    for story in api["stories"]:
        assert f'href="/stories/{story["id"]}"' in html


def test_story_page_columns_badges_and_anchors(client: TestClient, store: Store) -> None:
    biggest = max(store.list_stories(), key=lambda s: s.article_count)
    detail = client.get(f"/api/stories/{biggest.id}").json()
    assert [a["id"] for a in detail["articles"]] == store.story_article_ids(biggest.id)
    html = client.get(f"/stories/{biggest.id}").text
    ids = {attrs.get("id") for _tag, attrs in elements(html)}
    columns = [attrs for tag, attrs in elements(html) if tag == "article" and "column" in (attrs.get("class") or "")]
    assert len(columns) == biggest.article_count
    assert detail["groups"], "a multi-outlet story has claim groups"
    for group in detail["groups"]:
        for claim in group["claims"]:
            assert claim["anchor"] in ids, claim["anchor"]
    badges = [a for t, a in elements(html) if t == "button" and "badge" in (a.get("class") or "")]
    assert {b["class"].split()[1] for b in badges} >= {f"badge-{g['status']}" for g in detail["groups"]}
    assert all(b.get("data-targets") for b in badges)
    assert 'class="legend"' in html and "ent ent-person" in html and 'class="tx"' in html
    assert "<svg" in html and "timeline-chart" in html


def test_article_page_highlights_and_dropped_lines(client: TestClient, store: Store) -> None:
    article = next(a for a in store.list_articles(limit=100) if a.dropped)
    api = client.get(f"/api/articles/{article.id}").json()
    text = api["article"]["text"]
    for mention in api["entities"]:
        assert text[mention["start"] : mention["end"]] == mention["text"]
    html = client.get(f"/articles/{article.id}").text
    assert "<details" in html and article.dropped[0].reason in html
    first = api["sentences"][0]
    assert f'id="s-{article.id}-{first["start"]}"' in html
    entity_links = [a["href"] for t, a in elements(html) if t == "a" and "ent" in (a.get("class") or "").split()]
    assert entity_links and all(h.startswith("/entities/") for h in entity_links)


def test_entity_page_lists_mentions_with_context(client: TestClient, store: Store) -> None:
    entity = store.get_entities()[0]
    api = client.get(f"/api/entities/{entity.entity_id}").json()
    assert api["entity"]["canonical"] == entity.canonical
    assert len(api["mentions"]) == min(entity.mentions, 400)
    for m in api["mentions"]:
        offset = m["start"] - m["sentence_start"]
        assert m["sentence"][offset : offset + len(m["text"])] == m["text"]
    html = client.get(f"/entities/{entity.entity_id}").text
    assert "<mark>" in html and entity.canonical in html


def test_openapi_documents_the_api(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for path in ("/api/search", "/api/stories", "/api/stories/{story_id}", "/api/articles/{article_id}",
                 "/api/entities", "/api/entities/{entity_id}"):
        assert "get" in paths[path], path
    assert "post" in paths["/api/articles"]
    assert {"StoryDetail", "ArticleDetail", "SearchResponse", "EntityDetail"} <= set(spec["components"]["schemas"])
    assert "/" not in paths and "/stories" not in paths  # pages are not API
    assert client.get("/docs").status_code == 404  # Swagger UI would load from a CDN


# --- search ---------------------------------------------------------------------------


def test_search_by_word_highlights_matches(client: TestClient) -> None:
    api = client.get("/api/search", params={"q": "evacuated"}).json()
    assert api["count"] >= 2
    for hit in api["hits"]:
        matched = [p["text"].lower() for p in hit["parts"] if p["match"]]
        assert matched and all(m.startswith("evacuat") for m in matched)
    html = client.get("/", params={"q": "evacuated"}).text
    assert "<mark>evacuated</mark>" in html.lower() or "<mark>evacuated" in html.lower()


def test_search_by_entity_outlet_and_date(client: TestClient, store: Store) -> None:
    by_entity = client.get("/api/search", params={"entity": "Ilinca Dravec"}).json()["hits"]
    assert by_entity
    for hit in by_entity:
        names = {e["canonical"] for e in client.get(f"/api/articles/{hit['article_id']}").json()["entities"]}
        assert "Ilinca Dravec" in names
    by_outlet = client.get("/api/search", params={"outlet": "balkan monitor"}).json()["hits"]
    assert by_outlet and {h["outlet"] for h in by_outlet} == {"Balkan Monitor"}
    day = client.get("/api/search", params={"date_from": "2024-03-06", "date_to": "2024-03-06"}).json()["hits"]
    assert day and {h["published"] for h in day} == {"2024-03-06"}
    combined = client.get("/api/search", params={"q": "dam", "outlet": "Balkan Monitor", "date_to": "2024-03-05"}).json()
    assert combined["count"] == 0
    assert client.get("/api/search", params={"date_from": "yesterday"}).status_code == 422


# --- safety ---------------------------------------------------------------------------


def test_hostile_article_is_rendered_as_text(client: TestClient, store: Store, hostile_id: str) -> None:
    story_id = store.article_story(hostile_id)
    assert story_id
    pages = [f"/articles/{hostile_id}", f"/stories/{story_id}", "/?q=crane", "/stories", "/entities",
             "/?q=" + SCRIPT, "/?outlet=" + ATTR_BREAK]
    for page in pages:
        html = client.get(page).text
        assert SCRIPT not in html and "<img" not in html, page
        assert_inert(html)
    article_html = client.get(f"/articles/{hostile_id}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in article_html  # shown, as text
    assert "javascript:alert(1)" in article_html  # the URL is shown as text, not linked
    api = client.get(f"/api/articles/{hostile_id}")
    assert api.headers["content-type"] == "application/json"
    data = api.json()["article"]
    assert data["url"] == "javascript:alert(1)" and SCRIPT in data["title"]  # plain data, unchanged


def test_security_headers_on_every_kind_of_response(client: TestClient, hostile_id: str) -> None:
    responses = [client.get("/"), client.get(f"/api/articles/{hostile_id}"), client.get("/nope"),
                 client.post("/api/articles", content=b"x" * (BODY_LIMIT + 1))]
    for response in responses:
        csp = response.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert response.headers["x-content-type-options"] == "nosniff"


def test_body_over_limit_is_refused_with_413(client: TestClient, store: Store) -> None:
    before = store.count_articles()
    big = "word " * (BODY_LIMIT // 4)
    response = client.post("/api/articles", data={"text": "A headline\n\n" + big})
    assert response.status_code == 413 and "limit" in response.json()["detail"]

    def chunks():  # no Content-Length: counted as it streams
        yield b'--b\r\nContent-Disposition: form-data; name="text"\r\n\r\nHeadline\r\n\r\n'
        for _ in range(BODY_LIMIT // 1024 + 2):
            yield b"word " * 200 + b"\r\n"

    streamed = client.post("/api/articles", content=chunks(), headers={"content-type": "multipart/form-data; boundary=b"})
    assert streamed.status_code == 413
    assert client.post("/upload", data={"text": big}).status_code == 413
    assert store.count_articles() == before


@pytest.mark.parametrize(
    "path",
    [
        "/static/../../etc/passwd",
        "/static/%2e%2e/%2e%2e/etc/passwd",
        "/static/..%2f..%2fetc%2fpasswd",
        "/static/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/static/%252e%252e%252fetc%252fpasswd",
        "/static/..%5c..%5cetc%5cpasswd",
        "/static//etc/passwd",
        "/static/%2fetc%2fpasswd",
        "/static/../settings.toml",
        "/static/..%2fsettings.toml",
        "/static/..%2f__init__.py",
    ],
)
def test_static_path_traversal_is_404(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "root:" not in response.text and "max_body_bytes" not in response.text


async def _raw_get(app, raw_path: bytes) -> tuple[int, bytes]:
    """Send a path exactly as given (no client-side normalisation of dot segments)."""
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    path = raw_path.decode("latin-1")
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": path, "raw_path": raw_path, "root_path": "", "query_string": b"", "headers": [],
             "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}
    await app(scope, receive, send)
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return sent[0]["status"], body


def test_unnormalised_traversal_is_404(client: TestClient) -> None:
    import anyio

    for raw in (b"/static/../../etc/passwd", b"/static/../settings.toml", b"/static/./../app.py"):
        status, body = anyio.run(_raw_get, client.app, raw)
        assert status == 404 and b"root:" not in body and b"import" not in body


def test_static_assets_are_served_locally(client: TestClient) -> None:
    css = client.get("/static/style.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert client.get("/static/app.js").status_code == 200
    html = client.get("/").text
    for tag, attrs in elements(html):
        for name in ("href", "src"):
            value = attrs.get(name) or ""
            assert not value.startswith(("http://", "https://", "//")), (tag, value)


@pytest.mark.parametrize("page", ["/stories/no-such-story", "/articles/0000000000000000", "/entities/person:nobody"])
def test_unknown_ids_are_404(client: TestClient, page: str) -> None:
    html = client.get(page)
    assert html.status_code == 404 and "text/html" in html.headers["content-type"]
    api = client.get("/api" + page)
    assert api.status_code == 404 and "no " in api.json()["detail"]


# --- upload ---------------------------------------------------------------------------

PASTED = (
    "Ferry talks resume in Port Aldmere after two-day strike\n\n"
    "Negotiators for the ferry crews and the operator Aldmere Lines met again on Monday, "
    "union spokeswoman Marit Osk said.\n\n"
    "\"We are ready to sign if the pay offer is in writing,\" Osk told the Harbour Courier."
)


def test_paste_upload_redirects_to_analysed_article(client: TestClient, store: Store) -> None:
    response = client.post(
        "/upload", data={"text": PASTED, "outlet": "Harbour Courier", "published": "2024-03-12"}, follow_redirects=False
    )
    assert response.status_code == 303
    location = response.headers["location"]
    assert location.startswith("/articles/") and location.endswith("uploaded=added")
    article_id = location.split("/")[2].split("?")[0]
    analysis = store.get_analysis(article_id)
    assert analysis is not None and analysis.article.outlet == "Harbour Courier"
    assert analysis.sentences and analysis.entities
    page = client.get(location).text
    assert "Article added and analysed" in page
    story_id = store.article_story(article_id)
    assert story_id and f'href="/stories/{story_id}"' in page
    again = client.post("/upload", data={"text": PASTED, "outlet": "Harbour Courier", "published": "2024-03-12"},
                        follow_redirects=False)
    assert again.headers["location"] == f"/articles/{article_id}?uploaded=duplicate"


def test_file_upload_through_api_never_uses_client_path(client: TestClient, store: Store, tmp_path: Path) -> None:
    html = (
        "<html><head><title>Bridge closed in Lenvik</title></head><body><article>"
        "<h1>Bridge closed in Lenvik</h1>"
        "<p>The old bridge in Lenvik was closed on Friday after engineers found cracks in a pillar, the city council said.</p>"
        "<p>Council member Anja Rudd said repairs would take at least three weeks and ferries would run in the meantime.</p>"
        "<p>Residents crossing to the market must now take a detour of twelve kilometres, the council added.</p>"
        "</article></body></html>"
    )
    name = "../../../../tmp/evil-newsdesk.html"
    response = client.post("/api/articles", files={"file": (name, html.encode(), "text/html")})
    assert response.status_code == 201, response.text
    result = response.json()
    assert result["status"] == "added" and result["url"] == f"/articles/{result['article_id']}"
    stored = store.get_analysis(result["article_id"])
    assert stored is not None and stored.article.source == "upload:evil-newsdesk.html"
    assert not Path("/tmp/evil-newsdesk.html").exists()


def test_bad_uploads_get_one_line_errors(client: TestClient) -> None:
    png = client.post("/api/articles", files={"file": ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png")})
    assert png.status_code == 400 and png.json()["detail"].startswith("upload:photo.png")
    assert client.post("/api/articles", data={"text": "   "}).status_code == 400
    form = client.post("/upload", data={"text": ""})
    assert form.status_code == 400 and 'role="alert"' in form.text


def test_serve_binds_loopback_by_default() -> None:
    from typer.testing import CliRunner

    from newsdesk.cli import app

    result = CliRunner().invoke(app, ["serve", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0 and "127.0.0.1" in result.output


@pytest.mark.seeds
def test_seed_story_side_by_side(client: TestClient, store: Store, seeds_dir: Path) -> None:
    seed_ids = {a.id for a in store.list_articles(limit=500) if a.source.startswith(str(seeds_dir))}
    assert len(seed_ids) == 2
    story_ids = {store.article_story(i) for i in seed_ids}
    assert len(story_ids) == 1, "both seed reports tell one story"
    story_id = story_ids.pop()
    detail = client.get(f"/api/stories/{story_id}").json()
    assert {a["id"] for a in detail["articles"]} == seed_ids
    assert detail["quotes"] and detail["groups"]
    html = client.get(f"/stories/{story_id}").text
    for group in detail["groups"]:
        for claim in group["claims"]:
            assert f'id="{claim["anchor"]}"' in html
