"""Settings: every data file in ``newsdesk/data`` read once, checked, frozen, and
overridable for one run.

Why one module: the rules, lexicons and thresholds are data (``stories.toml``,
``compare.toml``, ...), and each stage used to read its own file its own way, so a
threshold could not be changed for one run and a typo in a key went unnoticed. Here
the shipped files are the schema. An override file, given with ``--config FILE`` or
``$NEWSDESK_CONFIG``, holds one table per data file named by its stem and may only
set keys the shipped file has, with a value of the same type::

    [stories.assign]      # data/stories.toml, table [assign]
    threshold = 0.35

Anything else (an unknown file or key, a string where a number belongs, a file that
does not parse) is a :class:`~newsdesk.errors.ConfigError` naming the file and the key.
Values come back frozen (read-only mappings, tuples for lists), so no stage can change
a setting another stage reads.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

import tomllib

from newsdesk.errors import ConfigError

__all__ = ["CONFIG_ENV", "data_text", "freeze", "override_path", "overridden", "settings", "use_config"]

CONFIG_ENV = "NEWSDESK_CONFIG"


def data_text(name: str) -> str:
    """The text of one shipped data file (``stories.toml``, ``places.json``)."""
    try:
        return resources.files("newsdesk.data").joinpath(name).read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError) as exc:
        raise ConfigError(f"newsdesk/data/{name}: cannot read ({exc.__class__.__name__})") from None


def _parse(name: str, text: str) -> dict[str, Any]:
    try:
        parsed = json.loads(text) if name.endswith(".json") else tomllib.loads(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{name}: does not parse: {exc}") from None
    if not isinstance(parsed, dict):
        raise ConfigError(f"{name}: expected a table at the top level")
    return parsed


def freeze(value: Any) -> Any:
    """Read-only copy: dicts become mappingproxies, lists tuples, recursively."""
    if isinstance(value, dict):
        return MappingProxyType({key: freeze(item) for key, item in value.items()})
    if isinstance(value, list):
        return tuple(freeze(item) for item in value)
    return value


def override_path() -> Path | None:
    """The override file in force for this process (``$NEWSDESK_CONFIG``), if any."""
    value = os.environ.get(CONFIG_ENV, "").strip()
    return Path(value) if value else None


def use_config(path: str | Path | None) -> None:
    """Make ``path`` the override file for this run (None: shipped settings only).

    Kept in the environment so analysis worker processes see the same settings;
    checked at once, so a bad file fails before any work starts."""
    if path is None:
        os.environ.pop(CONFIG_ENV, None)
    else:
        os.environ[CONFIG_ENV] = str(path)
    _overrides.cache_clear()
    _settings.cache_clear()
    if path is not None:
        _check_overrides(Path(path))


@cache
def _overrides(path: Path | None) -> Mapping[str, Any]:
    if path is None:
        return {}
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read settings file ({exc.__class__.__name__})") from None
    return _parse(str(path), text)


def _check_overrides(path: Path) -> None:
    for stem in _overrides(path):
        settings(stem)


def _same_type(default: Any, value: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float))
    return isinstance(value, type(default))


def _merge(base: dict[str, Any], override: Mapping[str, Any], where: str, file: str) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        dotted = f"{where}.{key}"
        if key not in base:
            raise ConfigError(f"{file}: unknown setting {dotted!r}")
        default = base[key]
        if isinstance(default, dict):
            if not isinstance(value, dict):
                raise ConfigError(f"{file}: {dotted!r} must be a table")
            merged[key] = _merge(default, value, dotted, file)
        elif not _same_type(default, value):
            raise ConfigError(f"{file}: {dotted!r} must be {type(default).__name__}, not {type(value).__name__}")
        else:
            merged[key] = value
    return merged


def _file_for(stem: str) -> str:
    for suffix in (".toml", ".json"):
        if resources.files("newsdesk.data").joinpath(stem + suffix).is_file():
            return stem + suffix
    raise ConfigError(f"no settings file named {stem!r} in newsdesk/data")


@cache
def _settings(stem: str, path: Path | None) -> Mapping[str, Any]:
    name = _file_for(stem)
    base = _parse(name, data_text(name))
    override = _overrides(path).get(stem)
    if override is not None:
        if not isinstance(override, dict):
            raise ConfigError(f"{path}: {stem!r} must be a table")
        base = _merge(base, override, stem, str(path))
    frozen: Mapping[str, Any] = freeze(base)
    return frozen


def settings(name: str) -> Mapping[str, Any]:
    """The frozen settings of one data file, by stem or file name (``"stories"``,
    ``"stories.toml"``), with this run's overrides applied; read once per process."""
    stem = name.rsplit(".", 1)[0] if name.endswith((".toml", ".json")) else name
    return _settings(stem, override_path())


@contextmanager
def overridden(values: Mapping[str, Mapping[str, Any]]) -> Iterator[None]:
    """Settings changed for the ``with`` block only, checked like an override file
    (``{"compare": {"facts": {"same_fact": 0.8}}}``); what a scorer's threshold sweep
    uses instead of writing into the frozen settings. Restores the previous override
    file (if any) afterwards."""
    previous = override_path()
    merged: dict[str, Any] = {stem: dict(table) for stem, table in _overrides(previous).items()}
    for stem, table in values.items():
        merged[stem] = _deep_update(dict(merged.get(stem, {})), table)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "override.json"
        path.write_text(json.dumps(merged), encoding="utf-8")
        try:
            use_config(path)
            yield
        finally:
            use_config(previous)


def _deep_update(base: dict[str, Any], update: Mapping[str, Any]) -> dict[str, Any]:
    for key, value in update.items():
        base[key] = _deep_update(dict(base.get(key, {})), value) if isinstance(value, Mapping) else value
    return base
