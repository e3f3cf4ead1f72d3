"""Certainty cues of a claim: hedges on its predicate chain (the outlet's, or a
speaker's inside quoted words), negation, and quoted words in a headline (the outlet
does not vouch for them)."""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Span, Token

from newsdesk.analyze.claims.grammar import OBJECT_DEPS, SUBJECT_DEPS
from newsdesk.analyze.claims.lexicon import ClaimLexicon
from newsdesk.model import Article


def hedges(
    chain: list[Token], lex: ClaimLexicon, in_verbatim_quote: Callable[[int], bool]
) -> tuple[list[str], list[str], bool]:
    """Hedge cues on the predicate chain: (narration cues, in-quote cues, unnamed?).

    A cue inside a direct or partial quote is the speaker's, so it is reported as
    ``hedge-in-quote`` and does not make the claim hedged."""
    found: list[tuple[Token, str]] = []
    unnamed = False
    for verb in chain:
        lemma = verb.lemma_.lower()
        deps = {c.dep_ for c in verb.children}
        if lemma in lex.raising_verbs and deps & {"xcomp", "ccomp"}:
            found.append((verb, lemma))
        if lemma in lex.clausal_hedge_verbs and "ccomp" in deps:
            found.append((verb, lemma))
        if lemma in lex.hedge_passive_verbs and deps & {"auxpass", "nsubjpass"}:
            found.append((verb, lemma))
        for child in verb.children:
            word = child.lower_
            if child.dep_ == "aux" and word in lex.hedge_modals:
                if not (word in lex.negated_not_hedge and "neg" in deps):
                    found.append((child, word))
            elif child.dep_ == "advmod" and word in lex.unnamed_adverbs:
                found.append((child, word))
                unnamed = unnamed or not in_verbatim_quote(child.idx)
            elif child.dep_ == "advmod" and word in lex.hedge_adverbs:
                found.append((child, word))
            elif child.dep_ == "acomp" and child.lemma_.lower() in lex.hedge_adjectives:
                found.append((child, child.lemma_.lower()))
    narration: list[str] = []
    quoted: list[str] = []
    for token, word in found:
        (quoted if in_verbatim_quote(token.idx) else narration).append(word)
    return narration, quoted, unnamed


def negated(chain: list[Token], lex: ClaimLexicon) -> bool:
    """Polarity: a "not"/"never" on the predicate or a "no" on its subject or object."""
    for verb in chain:
        for child in verb.children:
            if child.dep_ == "neg":
                return True
            if child.dep_ in SUBJECT_DEPS or child.dep_ in OBJECT_DEPS:
                if any(d.dep_ == "det" and d.lower_ in lex.negative_determiners for d in child.children):
                    return True
    return False


def headline_quote(span: Span, article: Article, lex: ClaimLexicon) -> str | None:
    """Quoted words in a headline: the outlet signals it does not vouch for them."""
    if article.section_at(span.start_char) != "title":
        return None
    for open_mark, close_mark in lex.headline_pairs:
        opened: int | None = None
        for token in span:
            if opened is None and token.text == open_mark:
                opened = token.i
            elif opened is not None and token.text == close_mark:
                words = [t for t in span.doc[opened + 1 : token.i] if t.is_alpha]
                if len(words) >= lex.headline_min_words:
                    return " ".join(t.text for t in words)
                opened = None
    return None
