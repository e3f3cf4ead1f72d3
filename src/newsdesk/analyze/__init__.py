"""The analyze stage: sentences, entities, quotes, time expressions and claims.

Public API (imported lazily so that ``import newsdesk.analyze.timex`` or the CLI's
``--help`` do not pay for loading spaCy)::

    load_model(name) -> Language
    analyze(articles, options) -> Iterator[Analysis]       # raises ArticleTooLongError
    analyze_each(articles, options) -> Iterator[Analysis | InputError]  # refusals in place
    analyze_article(article, options) -> Analysis
    analyze_doc(doc, article) -> Analysis          # pure; reused by the Ray path
    extract_entities(doc, article) -> list[EntityMention]
    extract_quotes(doc, entities, article) -> list[Quote]
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "load_model": "newsdesk.analyze.pipeline",
    "analyze": "newsdesk.analyze.pipeline",
    "analyze_each": "newsdesk.analyze.pipeline",
    "analyze_article": "newsdesk.analyze.pipeline",
    "analyze_doc": "newsdesk.analyze.pipeline",
    "extract_entities": "newsdesk.analyze.entities",
    "extract_quotes": "newsdesk.analyze.quotes",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'newsdesk.analyze' has no attribute {name!r}")
