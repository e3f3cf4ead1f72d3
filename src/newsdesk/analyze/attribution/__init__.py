"""Who said what, once per article: the attribution step that quotes and claims read.

Public API::

    attribute_document(doc, entities, article) -> DocumentAttributions
        .quotes   list[Quote]        (what newsdesk.analyze.quotes returns)
        .records  list[Attribution]  (source, cue and content spans, kind)
        .ctx      per-article lookups and the one speaker resolver

Modules: ``step`` (the step), ``marks``, ``cues``, ``speakers``, ``reported``,
``posts``, ``titles``, ``context``, ``lexicon`` (``data/attribution.toml``).
"""

from __future__ import annotations

from newsdesk.analyze.attribution.step import DocumentAttributions, attribute_document

__all__ = ["DocumentAttributions", "attribute_document"]
