"""Stances: "X criticized the plan", "Y backs Sanders", "Z referred to the report".
PolNeAR counts a position cited to someone as an attribution (an internal state or
act of communication with the object as its content), though no words are reported;
they become attribution records of kind ``stance`` only: they are neither quotes nor
a reason to hand the sentence's claim to the subject. Verbs live in
``data/attribution.toml`` ([stance])."""

from __future__ import annotations

from spacy.tokens import Token

from newsdesk.analyze.attribution.context import QuoteContext
from newsdesk.analyze.attribution.cues import CueFrame, attribute
from newsdesk.analyze.attribution.speakers import subject_of
from newsdesk.model import Quote

OBJECT_DEPS = frozenset({"dobj"})
FOLLOW_DEPS = frozenset({"oprd", "xcomp", "advcl", "ccomp"})
FOLLOW_PREPS = frozenset({"as", "against", "for", "over"})


def _someone(ctx: QuoteContext, tok: Token | None) -> bool:
    """A subject that can hold a position: a person or organisation, a pronoun, a
    descriptor head ("the senator"), never a thing ("the bill supports ...")."""
    if tok is None or ctx.in_quote(tok.idx):
        return False
    ent = ctx.entity_at(tok.idx, tok.idx + len(tok.text))
    if ent is not None:
        return ent.label in ("PERSON", "ORG", "NORP")
    if tok.lower_ in ctx.rules.pronouns or tok.lower_ in ctx.rules.heads or tok.lower_ in ("i", "we"):
        return True
    # "Clinton's Democratic opponent, Vermont Sen. Bernie Sanders,": a noun with a
    # named person or organisation in apposition stands for them
    for child in tok.children:
        if child.dep_ == "appos":
            named = ctx.entity_at(child.idx, child.idx + len(child.text))
            if named is not None and named.label in ("PERSON", "ORG"):
                return True
    return False


def _content(tok: Token, prep_cues: frozenset[str]) -> tuple[int, int] | None:
    """The object (with an "as ..." or predicate after it: "cast her rival as weak",
    "called it a mistake"), or the object of a stance preposition ("referred to X")."""
    obj = next((c for c in tok.children if c.dep_ in OBJECT_DEPS and c.i > tok.i), None)
    if obj is not None:
        end = obj.right_edge.i + 1
        for c in tok.children:
            if c.i > obj.i and (c.dep_ in FOLLOW_DEPS or (c.dep_ == "prep" and c.lower_ in FOLLOW_PREPS)):
                end = max(end, c.right_edge.i + 1)
        return obj.left_edge.i, end
    gerund = next(
        (c for c in tok.children if c.dep_ in ("xcomp", "ccomp") and c.tag_ == "VBG" and c.i == tok.i + 1), None
    )
    if gerund is not None:
        return gerund.i, gerund.right_edge.i + 1  # "proposed barring all trucks from the bridge"
    lemma = tok.lemma_.lower()
    for c in tok.children:
        if c.dep_ == "prep" and c.i > tok.i and f"{lemma} {c.lower_}" in prep_cues:
            pobj = next((p for p in c.children if p.dep_ in ("pobj", "pcomp")), None)
            if pobj is not None:
                return pobj.left_edge.i, c.right_edge.i + 1
    return None


def refusals(ctx: QuoteContext, taken: list[Quote]) -> list[tuple[Quote, CueFrame]]:
    """ "X refused to concede that ...", "declined to say whether ...": a negated act
    with its infinitive as content, kept as a record marked ``negated`` (never a
    quote, never a report of the clause)."""
    out: list[tuple[Quote, CueFrame]] = []
    spans = [(q.start, q.end) for q in taken if q.kind != "partial"]
    for tok in ctx.doc:
        if tok.pos_ != "VERB" or tok.lemma_.lower() not in ctx.rules.negating or ctx.in_quote(tok.idx):
            continue
        xcomp = next((c for c in tok.children if c.dep_ == "xcomp" and c.i > tok.i), None)
        if xcomp is None or not _someone(ctx, subject_of(tok)):
            continue
        first, last = xcomp.left_edge, xcomp.right_edge
        while last.i > first.i and (last.is_punct or last.is_space):
            last = last.doc[last.i - 1]
        start, end = first.idx, last.idx + len(last.text)
        if any(s < end and start < e for s, e in spans):
            continue
        sent = tok.sent
        frame = attribute(ctx, tok, [(sent.start_char, start), (end, sent.end_char)])
        if frame.speaker is not None:
            out.append((Quote(start, end, ctx.text[start:end], "reported", frame.speaker, frame.cue), frame))
    return out


def stances(ctx: QuoteContext, taken: list[Quote]) -> list[tuple[Quote, CueFrame]]:
    """Stance attributions outside quotes and outside every attribution already found."""
    rules = ctx.rules
    doc = ctx.doc
    out: list[tuple[Quote, CueFrame]] = []
    spans = [(q.start, q.end) for q in taken if q.kind != "partial"]  # a partial inside joins it
    for tok in doc:
        if tok.pos_ != "VERB" or ctx.in_quote(tok.idx):
            continue
        lemma = tok.lemma_.lower()
        if lemma not in rules.stance_verbs and not any(
            c.dep_ == "prep" and f"{lemma} {c.lower_}" in rules.stance_preps for c in tok.children
        ):
            continue
        if any(c.dep_ == "neg" for c in tok.children) or (tok.dep_ in ("amod", "acl", "relcl") and tok.tag_ == "VBN"):
            continue  # "did not back ...", "the backed candidate"
        bounds = _content(tok, rules.stance_preps)
        if bounds is None:
            continue
        start_tok, end_tok = bounds
        while end_tok > start_tok and (doc[end_tok - 1].is_punct or doc[end_tok - 1].is_space):
            end_tok -= 1
        if end_tok <= start_tok:
            continue
        start, end = doc[start_tok].idx, doc[end_tok - 1].idx + len(doc[end_tok - 1].text)
        if any(s < end and start < e for s, e in spans) or ctx.in_quote(start):
            continue
        if not _someone(ctx, subject_of(tok)):
            continue
        sent = tok.sent
        frame = attribute(ctx, tok, [(sent.start_char, start), (end, sent.end_char)])
        if frame.speaker is None:
            continue
        quote = Quote(start, end, ctx.text[start:end], "reported", frame.speaker, frame.cue)
        out.append((quote, frame))
        spans.append((start, end))
    return out
