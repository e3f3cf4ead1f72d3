"""The failures page and its JSON twin, and an upload that cannot be stored: 400
with the stage and reason (never 500), kept in the failures table."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsdesk.options import Options
from newsdesk.store import FailureRecord, Store
from newsdesk.web.app import create_app


@pytest.fixture
def client_and_store(tmp_path: Path) -> tuple[TestClient, Store]:
    url = f"sqlite:///{tmp_path / 'web.db'}"
    store = Store(url)
    return TestClient(create_app(Options(db_url=url), store=store), base_url="http://127.0.0.1"), store


def test_failures_page_and_api_show_stored_failures_escaped(client_and_store: tuple[TestClient, Store]) -> None:
    client, store = client_and_store
    assert "No failures." in client.get("/failures").text
    store.record_failures([
        FailureRecord("dump.jsonl#7", "analyse", "<script>alert(1)</script> too long"),
        FailureRecord("evil\u202etxt.html", "read", "no article text found"),
    ])
    page = client.get("/failures")
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;" in page.text
    assert "\u202e" not in page.text  # the override character is stripped ...
    assert '<bdi dir="auto">eviltxt.html</bdi>' in page.text  # ... and the name isolated
    assert 'href="/api/failures"' in page.text
    data = client.get("/api/failures").json()
    assert data["total"] == 2 and {f["source"] for f in data["failures"]} == {"dump.jsonl#7", "evil\u202etxt.html"}
    only = client.get("/api/failures", params={"stage": "read"}).json()
    assert [f["stage"] for f in only["failures"]] == ["read"]


def test_upload_that_fails_analysis_is_400_and_kept(client_and_store: tuple[TestClient, Store], monkeypatch: pytest.MonkeyPatch) -> None:
    from newsdesk.analyze import pipeline

    def refuse(doc: object, article: object) -> object:
        raise OverflowError("date value out of range")

    monkeypatch.setattr(pipeline, "analyze_doc", refuse)
    client, store = client_and_store
    text = "Harbour road reopens\n\nThe harbour road in Eastbank reopened on Monday, the council said."
    response = client.post("/api/articles", data={"text": text})
    assert response.status_code == 400
    assert response.json()["detail"] == "paste: analyse: OverflowError: date value out of range"
    [kept] = store.list_failures()
    assert (kept.source, kept.stage) == ("paste", "analyse")
