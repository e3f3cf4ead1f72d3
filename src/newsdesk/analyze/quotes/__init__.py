"""Quotes: direct, partial and reported speech with speaker, cue, channel, addressee.

The quotes are read off the one attribution step (``newsdesk.analyze.attribution``),
so a quote and the claim of its sentence always name the same speaker. This package
keeps the public import path ``newsdesk.analyze.quotes``.
"""

from __future__ import annotations

from newsdesk.analyze.attribution.lexicon import QuoteRules, load_rules
from newsdesk.analyze.attribution.marks import Marked, find_marked
from newsdesk.analyze.attribution.step import extract_quotes

__all__ = ["Marked", "QuoteRules", "extract_quotes", "find_marked", "load_rules"]
