"""Settings: shipped data files are the schema; overrides are checked and frozen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from newsdesk import config
from newsdesk.errors import ConfigError


@pytest.fixture(autouse=True)
def _no_override() -> Iterator[None]:
    config.use_config(None)
    yield
    config.use_config(None)


def test_every_shipped_data_file_loads() -> None:
    folder = Path(config.__file__).parent / "data"
    names = sorted(p.name for p in folder.iterdir() if p.suffix in {".toml", ".json"})
    assert "stories.toml" in names
    for name in names:
        assert isinstance(config.settings(name), type(config.freeze({})))


def test_settings_are_frozen() -> None:
    store = config.settings("store")
    with pytest.raises(TypeError):
        store["near_duplicate"]["threshold"] = 0.0  # type: ignore[index]


def test_override_changes_one_key_and_keeps_the_rest(tmp_path: Path) -> None:
    before = config.settings("store")["near_duplicate"]
    path = tmp_path / "run.toml"
    path.write_text("[store.near_duplicate]\nthreshold = 0.5\n", encoding="utf-8")
    config.use_config(path)
    after = config.settings("store.toml")["near_duplicate"]
    assert after["threshold"] == 0.5
    assert after["num_perm"] == before["num_perm"]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[store.near_duplicate]\ntreshold = 0.5\n", ["run.toml", "store.near_duplicate.treshold"]),
        ("[store.near_duplicate]\nthreshold = 'high'\n", ["run.toml", "store.near_duplicate.threshold", "float"]),
        ("[nosuchfile]\nx = 1\n", ["nosuchfile"]),
        ("[store\n", ["run.toml", "does not parse"]),
        ("store = 3\n", ["run.toml", "'store' must be a table"]),
    ],
)
def test_bad_override_names_file_and_key(tmp_path: Path, text: str, words: list[str]) -> None:
    path = tmp_path / "run.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        config.use_config(path)
    message = str(info.value)
    assert "\n" not in message
    for word in words:
        assert word in message


def test_missing_override_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read settings file"):
        config.use_config(tmp_path / "absent.toml")


def test_override_reaches_child_processes_through_the_environment(tmp_path: Path) -> None:
    path = tmp_path / "run.toml"
    path.write_text("[store.near_duplicate]\nthreshold = 0.5\n", encoding="utf-8")
    config.use_config(path)
    assert config.override_path() == path


def test_overridden_changes_settings_for_the_block_only() -> None:
    before = config.settings("store")["near_duplicate"]["threshold"]
    with config.overridden({"store": {"near_duplicate": {"threshold": 0.25}}}):
        assert config.settings("store")["near_duplicate"]["threshold"] == 0.25
    assert config.settings("store")["near_duplicate"]["threshold"] == before
    assert config.override_path() is None


def test_overridden_keeps_the_run_override_and_checks_keys(tmp_path: Path) -> None:
    path = tmp_path / "run.toml"
    path.write_text("[store.near_duplicate]\nnum_perm = 256\n", encoding="utf-8")
    config.use_config(path)
    with config.overridden({"store": {"near_duplicate": {"threshold": 0.25}}}):
        values = config.settings("store")["near_duplicate"]
        assert (values["num_perm"], values["threshold"]) == (256, 0.25)
    assert config.override_path() == path
    with pytest.raises(ConfigError, match="nosuchkey"), config.overridden({"store": {"nosuchkey": 1}}):
        pass
    assert config.override_path() == path
