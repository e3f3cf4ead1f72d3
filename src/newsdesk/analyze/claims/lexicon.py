"""The claim tables of ``data/attribution.toml`` (hedges, reporting verbs, unnamed sources,
denials, negation, headline marks), loaded once, and the one multi-word matcher
(anonymity phrases), built once per spaCy ``Vocab``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from newsdesk.config import settings as config_settings


def _words(table: dict, key: str) -> frozenset[str]:
    return frozenset(word.lower() for word in table.get(key, ()))


@dataclass(frozen=True)
class ClaimLexicon:
    """The claim tables of ``attribution.toml``, as frozensets of lower-case lemmas;
    the reporting verbs are the attribution step's own ([cues].reported and
    [cues].cognition), so a claim and its quote are cued by one list."""

    outlet_unknown: str
    unnamed_reports: str
    unattributed_quote: str
    hedge_modals: frozenset[str]
    negated_not_hedge: frozenset[str]
    hedge_adverbs: frozenset[str]
    raising_verbs: frozenset[str]
    clausal_hedge_verbs: frozenset[str]
    hedge_passive_verbs: frozenset[str]
    hedge_adjectives: frozenset[str]
    opinion_verbs: frozenset[str]
    reporting_verbs: frozenset[str]
    prep_reporting_verbs: frozenset[str]
    reporting_preps: frozenset[str]
    unnamed_passive_verbs: frozenset[str]
    hedging_unnamed_passive_verbs: frozenset[str]
    unnamed_adverbs: frozenset[str]
    unnamed_nouns: frozenset[str]
    anonymity_phrases: tuple[str, ...]
    denial_verbs: frozenset[str]
    denial_object_verbs: frozenset[str]
    denial_objects: frozenset[str]
    truth_adjectives: frozenset[str]
    falsity_words: frozenset[str]
    negative_determiners: frozenset[str]
    personal_pronouns: frozenset[str]
    headline_pairs: tuple[tuple[str, str], ...]
    headline_min_words: int
    quote_mark_pattern: re.Pattern[str]

    @classmethod
    def from_toml(cls, data: Mapping[str, Any]) -> ClaimLexicon:
        labels, hedge, rep = data["labels"], data["hedge"], data["reporting"]
        unnamed, denial, neg, head = data["unnamed"], data["denial"], data["negation"], data["headline"]
        return cls(
            outlet_unknown=labels["outlet_unknown"],
            unnamed_reports=labels["unnamed_reports"],
            unattributed_quote=labels["unattributed_quote"],
            hedge_modals=_words(hedge, "modals"),
            negated_not_hedge=_words(hedge, "negated_not_hedge"),
            hedge_adverbs=_words(hedge, "adverbs"),
            raising_verbs=_words(hedge, "raising_verbs"),
            clausal_hedge_verbs=_words(hedge, "clausal_verbs"),
            hedge_passive_verbs=_words(hedge, "passive_verbs"),
            hedge_adjectives=_words(hedge, "adjectives"),
            opinion_verbs=_words(hedge, "opinion_verbs"),
            reporting_verbs=_words(data["cues"], "reported") | _words(data["cues"], "cognition"),
            prep_reporting_verbs=_words(rep, "prep_verbs"),
            reporting_preps=_words(rep, "preps"),
            unnamed_passive_verbs=_words(unnamed, "passive_verbs"),
            hedging_unnamed_passive_verbs=_words(unnamed, "hedging_passive_verbs"),
            unnamed_adverbs=_words(unnamed, "adverbs"),
            unnamed_nouns=_words(unnamed, "nouns"),
            anonymity_phrases=tuple(p.lower() for p in unnamed.get("phrases", ())),
            denial_verbs=_words(denial, "verbs"),
            denial_object_verbs=_words(denial, "object_verbs"),
            denial_objects=_words(denial, "objects"),
            truth_adjectives=_words(denial, "truth_adjectives"),
            falsity_words=_words(denial, "falsity_words"),
            negative_determiners=_words(neg, "determiners"),
            personal_pronouns=_words(neg, "personal_pronouns"),
            headline_pairs=tuple((str(a), str(b)) for a, b in head["pairs"]),
            headline_min_words=int(head["min_words"]),
            quote_mark_pattern=re.compile("|".join(data["quote_marks"]["patterns"])),
        )

    @cached_property
    def attributing_verbs(self) -> frozenset[str]:
        """Every verb that can hand a sentence to its subject."""
        return (
            self.reporting_verbs
            | self.opinion_verbs
            | self.clausal_hedge_verbs
            | self.denial_verbs
            | self.denial_object_verbs
        )


@cache
def load_lexicon() -> ClaimLexicon:
    """Read ``newsdesk/data/attribution.toml`` once per process."""
    return ClaimLexicon.from_toml(config_settings("attribution"))


# One PhraseMatcher per Vocab (the Vocab is kept alive next to it so its id is not reused).
_ANONYMITY_MATCHERS: dict[int, tuple[Vocab, PhraseMatcher]] = {}


def anonymity_matcher(vocab: Vocab, lex: ClaimLexicon) -> PhraseMatcher:
    cached = _ANONYMITY_MATCHERS.get(id(vocab))
    if cached is not None and cached[0] is vocab:
        return cached[1]
    matcher = PhraseMatcher(vocab, attr="LOWER")
    matcher.add("ANONYMOUS", [Doc(vocab, words=phrase.split()) for phrase in lex.anonymity_phrases])
    _ANONYMITY_MATCHERS[id(vocab)] = (vocab, matcher)
    return matcher
