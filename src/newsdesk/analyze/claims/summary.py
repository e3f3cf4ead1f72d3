"""The "subject | predicate | object" summary of a claim's own clause, from the parse
("Chechen squads | were recruited | for failed attempts")."""

from __future__ import annotations

from spacy.tokens import Span, Token

from newsdesk.analyze.claims.grammar import (
    OBJECT_DEPS,
    SUBJECT_DEPS,
    VERBAL_POS,
    noun_phrase,
)

PREDICATE_AUX_DEPS = frozenset({"aux", "auxpass", "neg"})


def _subject_of(verb: Token, span: Span) -> Token | None:
    """The subject of a verb inside the sentence, inherited from the governing verb for
    xcomp/conj verbs ("They are understood to have taken": They)."""
    current: Token | None = verb
    while current is not None:
        subj = next((c for c in current.children if c.dep_ in SUBJECT_DEPS and span.start <= c.i < span.end), None)
        if subj is not None:
            return subj
        if current.dep_ in ("xcomp", "conj") and current.head is not current:
            current = current.head
        else:
            current = None
    return None


def claim_summary(verb: Token, span: Span) -> str | None:
    """ "subject | predicate | object" from the parse, e.g. "Chechen squads | were
    recruited | for failed attempts"; None when the clause has no subject."""
    subj = _subject_of(verb, span)
    if subj is None or verb.pos_ not in VERBAL_POS:
        return None
    predicate: list[Token] = []
    current = verb
    while True:
        predicate += [c for c in current.children if c.dep_ in PREDICATE_AUX_DEPS and c.i < current.i]
        predicate.append(current)
        predicate += [c for c in current.children if c.dep_ == "prt"]
        if any(c.dep_ == "dobj" for c in current.children):
            break  # "urged Moscow to invade": the object is Moscow, not what follows
        nxt = next((c for c in current.children if c.dep_ == "xcomp" and current.i < c.i < span.end), None)
        if nxt is None:
            able = next((c for c in current.children if c.dep_ == "acomp"), None)
            nxt = next((c for c in able.children if c.dep_ == "xcomp"), None) if able is not None else None
            if nxt is not None and able is not None:
                predicate.append(able)  # "were able to drive"
        if nxt is None or nxt.pos_ not in VERBAL_POS or nxt.i >= span.end:
            break
        current = nxt
    words = [t.text for t in sorted(predicate, key=lambda t: t.i)]
    if verb.dep_ == "xcomp" and words and words[0].lower() == "to":
        words = words[1:]  # "They are understood to have taken": the claim is "have taken"
    parts = [noun_phrase(subj, with_modifier=False), " ".join(words)]
    obj = _object_phrase(current, span)
    if obj:
        parts.append(obj)
    return " | ".join(parts)


def _object_phrase(verb: Token, span: Span) -> str | None:
    rights = [c for c in verb.rights if c.i < span.end]
    for child in rights:
        if child.dep_ in OBJECT_DEPS:
            return noun_phrase(child, with_modifier=False)
    for child in rights:
        if child.dep_ in ("prep", "agent"):
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return f"{child.text} {noun_phrase(pobj, with_modifier=False)}"
    return None
