"""Shared fixtures. Seed documents and their gold annotations live outside the repo
in ../shared/; tests that need them are skipped when that folder is absent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

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
