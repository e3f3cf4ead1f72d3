"""Sentence similarity that sees paraphrase: wordllama static embeddings.

Why wordllama: it ships its weights inside the package (no download, no torch), and
its static token embeddings are fast enough to embed every claim of a story. It is
loaded strictly offline: the package's tokenizer configs are copied into a cache
folder's ``tokenizers/`` (where ``WordLlama.load`` looks for them) and
``disable_download=True`` forbids any hub access. Without wordllama the comparison
still runs on its lexical features (``available()`` is False).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np


def _cache_dir() -> Path:
    base = os.environ.get("NEWSDESK_CACHE") or os.path.join(tempfile.gettempdir(), f"newsdesk-{os.getuid()}")
    return Path(base) / "wordllama"


@cache
def _model() -> Any | None:
    """The wordllama model loaded offline, or None when the package is missing."""
    try:
        import wordllama  # type: ignore[import-untyped]
        from wordllama import WordLlama  # type: ignore[import-untyped]
    except ImportError:
        return None
    package = Path(wordllama.__file__).parent
    cache_dir = _cache_dir()
    target = cache_dir / "tokenizers"
    target.mkdir(parents=True, exist_ok=True)
    for config in (package / "tokenizers").glob("*.json"):
        if not (target / config.name).exists():
            shutil.copyfile(config, target / config.name)
    try:
        return WordLlama.load(cache_dir=cache_dir, disable_download=True)
    except (OSError, ValueError, KeyError, RuntimeError):  # a broken install must not stop a brief
        return None


def available() -> bool:
    return _model() is not None


def embed(texts: Sequence[str]) -> np.ndarray | None:
    """Unit-length embeddings of ``texts`` (rows), or None without wordllama."""
    model = _model()
    if model is None or not texts:
        return None
    vectors = np.asarray(model.embed(list(texts), norm=True), dtype=np.float32)
    return vectors
