"""Shared fixtures. Seed documents and their gold annotations live outside the repo
in ../shared/; tests that need them are skipped when that folder is absent."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEEDS_DIR = SHARED / "seeds"
GOLD_FILE = SHARED / "gold" / "seeds.json"
DATA = Path(__file__).resolve().parent / "data"
EXAMPLES = REPO / "examples"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS_DIR.is_dir() or not any(SEEDS_DIR.glob("*.txt")):
        pytest.skip("../shared/seeds not present")
    return SEEDS_DIR


@pytest.fixture(scope="session")
def gold() -> dict:
    if not GOLD_FILE.is_file():
        pytest.skip("../shared/gold/seeds.json not present")
    return json.loads(GOLD_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seed_paths(seeds_dir: Path) -> dict[str, Path]:
    """Seed file name -> path."""
    return {p.name: p for p in sorted(seeds_dir.glob("*.txt"))}


# --- store backends: every store test runs on SQLite and on PostgreSQL -------------

PG_URL = os.environ.get("NEWSDESK_TEST_PG_URL")
REQUIRE_PG = os.environ.get("NEWSDESK_REQUIRE_PG") == "1"


def _pg_schema_url(schema: str) -> str:
    assert PG_URL is not None
    separator = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{separator}options=-csearch_path%3D{schema}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty database: a new SQLite file, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    if not PG_URL:
        if REQUIRE_PG:
            pytest.fail("NEWSDESK_REQUIRE_PG=1 but NEWSDESK_TEST_PG_URL is not set")
        pytest.skip("NEWSDESK_TEST_PG_URL not set")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # a required server that is down must fail loudly
        if REQUIRE_PG:
            raise
        pytest.skip(f"PostgreSQL not reachable: {exc}")
    try:
        yield _pg_schema_url(schema)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
