"""The speech/cognition lexicon of ``data/attribution.toml`` (speech and cognition
verbs, pronouns, descriptor heads, channel patterns), loaded once, and the cue-verb
test every attribution step shares. Quotes and claims read this one lexicon."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Token

from newsdesk.config import settings as config_settings


@dataclass(frozen=True)
class QuoteRules:
    """The lexicons of ``attribution.toml``, loaded once per process."""

    speech: frozenset[str]
    reported: frozenset[str]
    needs_human_subject: frozenset[str]
    max_trailer_distance: int
    max_joined_trailer_words: int
    narrative_preps: frozenset[str]
    male: frozenset[str]
    female: frozenset[str]
    plural: frozenset[str]
    another: frozenset[str]
    heads_female: frozenset[str]
    heads_male: frozenset[str]
    heads_any: frozenset[str]
    plural_heads: frozenset[str]
    channel_patterns: tuple[re.Pattern[str], ...]
    not_channels: frozenset[str]
    addressee_verbs: frozenset[str]
    max_partial_words: int
    max_embedded_partial_words: int
    stance: frozenset[str]
    female_titles: frozenset[str]
    male_titles: frozenset[str]
    outlet_words: frozenset[str]
    cut_deps: frozenset[str]
    cognition: frozenset[str] = frozenset()
    question_verbs: frozenset[str] = frozenset()
    anonymous_heads: frozenset[str] = frozenset()
    anonymity_phrases: tuple[str, ...] = ()
    post_patterns: tuple[tuple[re.Pattern[str], str], ...] = ()
    title_words: frozenset[str] = frozenset()
    title_small_words: frozenset[str] = frozenset()
    max_title_words: int = 8
    finding_verbs: frozenset[str] = frozenset()
    infinitive_verbs: frozenset[str] = frozenset()
    prep_cues: frozenset[str] = frozenset()
    needs_document_subject: frozenset[str] = frozenset()
    nominal_cues: frozenset[str] = frozenset()
    negating: frozenset[str] = frozenset()
    stance_verbs: frozenset[str] = frozenset()
    quantities: frozenset[str] = frozenset()
    object_content: frozenset[str] = frozenset()
    female_names: frozenset[str] = frozenset()
    writer_pronouns: frozenset[str] = frozenset()
    male_names: frozenset[str] = frozenset()
    stance_preps: frozenset[str] = frozenset()
    document_heads: frozenset[str] = frozenset()
    heads: frozenset[str] = frozenset()  # every descriptor head, derived in load_rules
    pronouns: frozenset[str] = frozenset()  # male | female | plural, derived in load_rules


@lru_cache(maxsize=1)
def load_rules() -> QuoteRules:
    cfg = config_settings("attribution")
    cues, pron, desc, chan = cfg["cues"], cfg["pronouns"], cfg["descriptors"], cfg["channels"]
    heads = frozenset(desc["female"] + desc["male"] + desc["any"] + desc["plural_heads"])
    return QuoteRules(
        heads=heads,
        pronouns=frozenset(pron["male"] + pron["female"] + pron["plural"]),
        speech=frozenset(cues["speech"]),
        reported=frozenset(cues["reported"]),
        needs_human_subject=frozenset(cues["needs_human_subject"]),
        max_trailer_distance=int(cues["max_trailer_distance"]),
        max_joined_trailer_words=int(cues["max_joined_trailer_words"]),
        narrative_preps=frozenset(cues["narrative_preps"]),
        male=frozenset(pron["male"]),
        female=frozenset(pron["female"]),
        plural=frozenset(pron["plural"]),
        another=frozenset(pron["another"]),
        heads_female=frozenset(desc["female"]),
        heads_male=frozenset(desc["male"]),
        heads_any=frozenset(desc["any"]),
        plural_heads=frozenset(desc["plural_heads"]),
        channel_patterns=tuple(re.compile(p) for p in chan["patterns"]),
        not_channels=frozenset(chan["not_channels"]),
        addressee_verbs=frozenset(chan["addressee_verbs"]),
        max_partial_words=int(cfg["kinds"]["max_partial_words"]),
        max_embedded_partial_words=int(cfg["kinds"]["max_embedded_partial_words"]),
        stance=frozenset(cues["stance"]),
        female_titles=frozenset(desc["female_titles"]),
        male_titles=frozenset(desc["male_titles"]),
        outlet_words=frozenset(chan["outlet_words"]),
        cut_deps=frozenset(cfg["reported"]["cut_deps"]),
        cognition=frozenset(cues["cognition"]),
        question_verbs=frozenset(cues["question"]),
        anonymous_heads=frozenset(cfg["unnamed"]["nouns"]) | frozenset(desc["anonymous_heads"]),
        anonymity_phrases=tuple(cfg["unnamed"]["phrases"]),
        post_patterns=tuple((re.compile(p["pattern"], re.DOTALL), p["channel"]) for p in cfg["posts"]["embeds"]),
        title_words=frozenset(cfg["titles"]["before"]),
        title_small_words=frozenset(cfg["titles"]["small_words"]),
        max_title_words=int(cfg["titles"]["max_words"]),
        finding_verbs=frozenset(cues["finding"]),
        infinitive_verbs=frozenset(cues["infinitive"]),
        prep_cues=frozenset(cues["prep_cues"]),
        needs_document_subject=frozenset(cues["needs_document_subject"]),
        nominal_cues=frozenset(cues["nominal"]),
        negating=frozenset(cues["negating"]),
        stance_verbs=frozenset(cfg["stance"]["verbs"]),
        quantities=frozenset(desc["quantities"]),
        object_content=frozenset(cues["object_content"]),
        female_names=frozenset(desc["female_names"]),
        writer_pronouns=frozenset(pron["writer"]),
        male_names=frozenset(desc["male_names"]),
        stance_preps=frozenset(cfg["stance"]["preps"]),
        document_heads=frozenset(desc["documents"]),
    )


def is_cue(tok: Token, lemmas: frozenset[str]) -> bool:
    """A verb whose lemma is in ``lemmas``; also a lower-case inflected form the
    tagger took for a noun ("“...,” Bozell answers.") when no determiner makes it one."""
    if tok.lemma_.lower() not in lemmas:
        return False
    if tok.pos_ == "VERB" or tok.tag_.startswith("VB"):
        return True
    return (
        tok.pos_ == "NOUN"
        and tok.text.islower()
        and tok.text.endswith(("s", "ed"))
        and not any(c.dep_ in ("det", "poss", "amod") for c in tok.children)
    )
