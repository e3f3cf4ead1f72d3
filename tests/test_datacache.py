"""The compiled start-up cache: built once, loaded after, rebuilt whenever its
sources or its build code change, and never an error when it cannot be used."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk import datacache


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(datacache.CACHE_ENV, str(folder))
    return folder


def _counting(calls: list[int]) -> object:
    def build() -> dict[str, int]:
        calls.append(1)
        return {"Lisbon": 1, "Porto": 2}

    return build


def test_built_once_then_loaded(cache: Path, tmp_path: Path) -> None:
    source = tmp_path / "places.json"
    source.write_text('{"a": 1}', encoding="utf-8")
    calls: list[int] = []
    build = _counting(calls)
    assert datacache.cached("places", [source], build) == {"Lisbon": 1, "Porto": 2}  # type: ignore[arg-type]
    assert datacache.cached("places", [source], build) == {"Lisbon": 1, "Porto": 2}  # type: ignore[arg-type]
    assert len(calls) == 1 and len(list(cache.glob("places-*.pickle"))) == 1

    source.write_text('{"a": 2}', encoding="utf-8")  # new data: rebuilt, the old entry removed
    datacache.cached("places", [source], build)  # type: ignore[arg-type]
    assert len(calls) == 2 and len(list(cache.glob("places-*.pickle"))) == 1


def test_new_build_code_invalidates(cache: Path, tmp_path: Path) -> None:
    source = tmp_path / "x.toml"
    source.write_text("a = 1", encoding="utf-8")
    assert datacache.cached("x", [source], lambda: [1]) == [1]
    assert datacache.cached("x", [source], lambda: [2]) == [2]


def test_corrupt_entry_is_rebuilt_and_switched_off_builds(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "x.toml"
    source.write_text("a = 1", encoding="utf-8")
    calls: list[int] = []
    build = _counting(calls)
    datacache.cached("x", [source], build)  # type: ignore[arg-type]
    [entry] = cache.glob("x-*.pickle")
    entry.write_bytes(b"not a pickle")
    assert datacache.cached("x", [source], build) == {"Lisbon": 1, "Porto": 2}  # type: ignore[arg-type]
    assert len(calls) == 2
    monkeypatch.setenv(datacache.CACHE_ENV, "")
    datacache.cached("x", [source], build)  # type: ignore[arg-type]
    datacache.cached("x", [source], build)  # type: ignore[arg-type]
    assert len(calls) == 4
    assert datacache.cached("x", [tmp_path / "missing"], build) is not None  # no source: just build


def test_unwritable_cache_dir_only_costs_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv(datacache.CACHE_ENV, str(blocker / "sub"))  # a folder under a file cannot exist
    source = tmp_path / "x.toml"
    source.write_text("a = 1", encoding="utf-8")
    assert datacache.cached("x", [source], lambda: 7) == 7
