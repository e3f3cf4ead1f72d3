"""Parse-tree helpers the claim steps share: the dependency labels they read, the
verb chain that carries a clause, and short noun phrases and proper names for sources
and summaries."""

from __future__ import annotations

from spacy.tokens import Token

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})
CLAUSE_DEPS = ("ccomp", "parataxis")
OBJECT_DEPS = frozenset({"dobj", "attr", "oprd", "acomp"})
VERBAL_POS = frozenset({"VERB", "AUX"})


def verb_chain(head: Token) -> list[Token]:
    """The verbs that carry a clause: its head and the xcomp/conj verbs hanging off it
    ("are understood to have taken", "entered ... and left")."""
    chain: list[Token] = []
    stack = [head]
    while stack:
        verb = stack.pop()
        if verb in chain:
            continue
        chain.append(verb)
        stack.extend(c for c in verb.children if c.dep_ == "xcomp" or (c.dep_ == "conj" and c.pos_ in VERBAL_POS))
    return chain


def noun_phrase(head: Token, with_modifier: bool) -> str:
    """A short phrase for a noun: its left modifiers, plus (optionally) one following
    "of/in/from/close to ..." modifier: "Residents of the republic", "Ukrainian officials"."""
    doc = head.doc
    left = head.left_edge.i
    while left < head.i and (doc[left].is_punct or doc[left].is_space):
        left += 1
    right = head.i
    first = next(iter(head.rights), None) if with_modifier else None
    if first is not None and first.dep_ == "prep":
        pobj = next((c for c in first.children if c.dep_ == "pobj"), None)
        if pobj is not None:
            right = pobj.i
    elif first is not None and first.dep_ == "amod" and first.right_edge.i - head.i <= 6:
        right = first.right_edge.i
    return doc[left : right + 1].text


def proper_name(head: Token) -> str:
    """The run of proper-noun compounds ending at ``head``: "Emil Solomon Aslan"."""
    left = head.i
    while left > 0 and head.doc[left - 1].pos_ == "PROPN" and head.doc[left - 1].dep_ == "compound":
        left -= 1
    return head.doc[left : head.i + 1].text


def unique_tokens(tokens: list[Token]) -> list[Token]:
    return list({t.i: t for t in tokens}.values())
