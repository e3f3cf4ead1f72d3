"""The web UI under hostile requests: foreign Host headers, cross-origin writes,
queries that break FTS, bad dates and hostile uploads get a clean 4xx (or are
stored), never a 500."""

from __future__ import annotations

import dataclasses
import io
import json
import zlib

import pytest
from fastapi.testclient import TestClient

from newsdesk.limits import default_limits
from newsdesk.options import Options
from newsdesk.store import Store
from newsdesk.web.app import create_app

SENTENCE = "The harbour master said the north wall would be repaired before the spring storms."
LOCAL = "http://127.0.0.1"


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> tuple[TestClient, Store]:
    folder = tmp_path_factory.mktemp("reliability-web")
    url = f"sqlite:///{folder / 'web.db'}"
    store = Store(url)
    limits = dataclasses.replace(default_limits(), max_member_bytes=4 << 20)
    app = create_app(Options(db_url=url, limits=limits), store=store, allow_hosts=["newsdesk.lan"])
    return TestClient(app, base_url=LOCAL), store


@pytest.fixture(scope="module")
def client(setup: tuple[TestClient, Store]) -> TestClient:
    return setup[0]


@pytest.mark.parametrize(
    ("host", "status"),
    [("127.0.0.1:8000", 200), ("localhost", 200), ("[::1]:8000", 200), ("newsdesk.lan", 200),
     ("evil.example", 400), ("127.0.0.1.evil.example", 400), ("localhost.:8000", 400)],
)
def test_host_allow_list(client: TestClient, host: str, status: int) -> None:
    response = client.get("/api/stories", headers={"host": host})
    assert response.status_code == status
    if status == 400:
        assert "--allow-host" in response.json()["detail"]


@pytest.mark.parametrize(
    "headers",
    [{"origin": "https://evil.example"}, {"origin": "null"}, {"sec-fetch-site": "cross-site"},
     {"sec-fetch-site": "same-site", "origin": LOCAL}, {"origin": "http://127.0.0.1:9999"}],
)
def test_cross_origin_writes_are_refused(setup: tuple[TestClient, Store], headers: dict[str, str]) -> None:
    client, store = setup
    before = store.count_articles()
    for path in ("/upload", "/api/articles"):
        response = client.post(path, data={"text": f"Planted\n\n{SENTENCE}", "outlet": "Attacker"}, headers=headers)
        assert response.status_code == 403, path
    assert store.count_articles() == before


@pytest.mark.parametrize(
    "headers",
    [{"origin": LOCAL}, {"sec-fetch-site": "same-origin", "origin": LOCAL}, {}, {"sec-fetch-site": "same-origin", "origin": "null"}],
    ids=["origin", "fetch-site", "not-a-browser", "no-referrer-form"],
)
def test_same_origin_and_non_browser_writes_pass_the_guard(client: TestClient, headers: dict[str, str]) -> None:
    response = client.post("/api/articles", data={"text": "  "}, headers=headers)
    assert response.status_code == 400 and response.json()["detail"] == "choose a file or paste some text"


@pytest.mark.parametrize("q", ["x\x00y", "a\x1bb"])
def test_search_text_with_control_characters_is_400(client: TestClient, q: str) -> None:
    api = client.get("/api/search", params={"q": q})
    assert api.status_code == 400 and "control characters" in api.json()["detail"]
    assert client.get("/", params={"q": q}).status_code == 400


@pytest.mark.parametrize("q", ['"unbalanced', 'a "b', "NEAR(a b", "a AND OR NOT", "*", "-", '"', "x:y", "^a", "'"])
def test_fts_syntax_in_search_text_is_never_500(client: TestClient, q: str) -> None:
    assert client.get("/api/search", params={"q": q}).status_code == 200
    assert client.get("/", params={"q": q}).status_code == 200


def test_bad_page_dates_are_400(client: TestClient) -> None:
    response = client.get("/", params={"date_from": "2024-13-45"})
    assert response.status_code == 400 and "from is not a date" in response.text
    assert client.get("/api/search", params={"date_to": "99999-01-01"}).status_code == 422


def gzip_member(parts: list[bytes]) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    return b"".join([compressor.compress(p) for p in parts] + [compressor.flush()])


def test_gzip_bomb_upload_is_refused_while_decompressing(client: TestClient) -> None:
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
    size = 32 << 20
    head = (
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://harbour.example/bomb\r\n"
        b"Content-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n" % (len(http) + size)
    )
    bomb = gzip_member([head + http] + [b"\0" * (1 << 20)] * (size >> 20))
    response = client.post("/api/articles", files={"file": ("bomb.warc.gz", io.BytesIO(bomb), "application/gzip")})
    assert response.status_code == 400
    assert "decompresses to over 4,194,304 bytes" in response.json()["detail"]


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("nested.jsonl", ("[" * 100_000 + "]" * 100_000 + "\n").encode(), "nested too deeply"),
        ("bigint.jsonl", ('{"text": "x", "n": ' + "9" * 5000 + "}\n").encode(), "5,000 digits"),
        ("late.jsonl", (json.dumps({"title": "T", "text": SENTENCE, "published": "9999-12-31"}) + "\n").encode(), "outside the accepted range"),
        ("early.jsonl", (json.dumps({"title": "T", "text": SENTENCE, "published": "0001-01-01"}) + "\n").encode(), "outside the accepted range"),
        ("long.txt", ("Title\n\n" + "\n\n".join([SENTENCE] * 13_000)).encode(), "over the limit of 200,000"),
    ],
)
def test_hostile_uploads_get_a_clean_400(client: TestClient, name: str, data: bytes, words: str) -> None:
    response = client.post("/api/articles", files={"file": (name, io.BytesIO(data), "application/octet-stream")})
    assert response.status_code == 400 and words in response.json()["detail"]
    page = client.post("/upload", files={"file": (name, io.BytesIO(data), "application/octet-stream")})
    assert page.status_code == 400 and words in page.text


@pytest.mark.parametrize("published", ["9999-12-31", "0001-01-01"])
def test_form_dates_out_of_range_are_400(client: TestClient, published: str) -> None:
    response = client.post("/api/articles", data={"text": f"Harbour\n\n{SENTENCE}", "published": published})
    assert response.status_code == 400 and "outside the accepted range" in response.json()["detail"]
    assert client.post("/upload", data={"text": "x", "published": "31/12/9999"}).status_code == 400


def test_lone_surrogate_upload_is_stored(client: TestClient) -> None:
    line = '{"title": "Harbour \\ud800 wall", "text": "' + SENTENCE + ' Lone \\udfff mark."}\n'
    response = client.post("/api/articles", files={"file": ("s.jsonl", io.BytesIO(line.encode()), "application/json")})
    assert response.status_code == 201, response.text
    article = client.get(f"/api/articles/{response.json()['article_id']}").json()["article"]
    assert "\ufffd" in article["title"]
