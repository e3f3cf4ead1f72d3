"""What the dependency parse says about a claim's main clause: its predicates, whether
the main predicate is negated, and whether it reports a plan (future, scheduled) or
something that happened (past).

Why: paraphrases share the event, not the words ("Comey said no charges are
appropriate" = "the F.B.I. will not recommend charges"), and look-alike sentences often
differ exactly here: "Ryan will meet Trump on Thursday" (plan) is not "Trump and Ryan
met Thursday" (outcome). The model is the one the analyzer already loaded; only the
claim sentences are parsed. Without a model the words alone give the tense cues.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from newsdesk.compare.lexicon import load_config
from newsdesk.errors import NewsdeskError

_WORD = re.compile(r"[\w’']+")


@dataclass(frozen=True)
class Clause:
    """Main-clause features of one claim sentence."""

    predicates: frozenset[str] = frozenset()  # lemmas of the root and its conjoined verbs
    negated: bool = False  # the main predicate carries "not" / "never" / "no" object
    future: bool = False  # plan, schedule or expectation ("will meet", "is set to")
    past: bool = False  # a finite past-tense main verb ("met", "announced")
    negated_scope: frozenset[str] = frozenset()  # lower-cased words under the negated predicate
    # character spans of the sentence's own clauses (complements, adverbial and relative
    # clauses, appositives, conjoined clauses, quotations): a long sentence often shares
    # only one of them with another outlet's report
    segments: tuple[tuple[int, int], ...] = ()


@cache
def _future_pattern() -> re.Pattern[str]:
    cues = sorted(load_config()["tense"]["future"], key=len, reverse=True)
    alternatives = "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in cues)
    return re.compile(rf"(?i)(?:\b|(?<=\w))(?:{alternatives})\b")


def future_cue(text: str) -> str | None:
    """The first modal or scheduling phrase of ``text`` ("'ll", "slated to"), or None."""
    m = _future_pattern().search(text)
    return m.group(0) if m else None


@cache
def _nlp() -> object | None:
    try:
        from newsdesk.analyze.pipeline import load_model
        from newsdesk.options import Options

        nlp = load_model(Options().model)
    except (ImportError, OSError, NewsdeskError):  # no model: tense cues from words only
        return None
    return nlp


_SCOPE_DEPS = frozenset({"dobj", "attr", "acomp", "xcomp", "ccomp", "prep", "dative", "oprd", "prt"})


def _from_doc(doc: object) -> Clause:
    sent_roots = [t for t in doc if t.dep_ == "ROOT"]  # type: ignore[attr-defined]
    if not sent_roots:
        return Clause()
    root = sent_roots[0]
    reporting = set(load_config()["cues"]["reporting_verbs"]) | {"say", "tell", "announce", "report", "add"}
    # "X said / emphasized (that) Y": the reported clause carries the event
    main = root
    comp = [c for c in root.children if c.dep_ in ("ccomp", "parataxis") and c.pos_ in ("VERB", "AUX")]
    if comp or root.lemma_.lower() in reporting:
        comp = comp or [c for c in root.children if c.dep_ == "xcomp"]
        if comp:
            main = comp[0]
    verbs = [main] + [c for c in main.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")]
    # "decided not to recommend": the open complement's negation is the clause's
    verbs += [c for v in list(verbs) for c in v.children if c.dep_ == "xcomp"]
    predicates = frozenset(v.lemma_.lower() for v in verbs)
    negated_verbs = [
        v
        for v in verbs
        if any(
            c.dep_ == "neg"
            or (
                c.dep_ in ("dobj", "nsubj", "nsubjpass")
                and any(d.lower_ in ("no", "none") and d.dep_ == "det" for d in c.children)
            )
            for c in v.children
        )
    ]
    negated = bool(negated_verbs)
    # what the negation bears on: the verb and its objects and complements, not its
    # subject or a time clause ("As she was sentenced, she showed no emotion")
    scope = frozenset(
        t.lower_
        for v in negated_verbs
        for c in [v, *[c for c in v.children if c.dep_ in _SCOPE_DEPS]]
        for t in (c.subtree if c is not v else [v])
    )
    aux = [c for c in main.children if c.dep_ in ("aux", "auxpass")]
    future = any(a.lower_ in ("will", "'ll", "’ll", "shall") for a in aux)
    past = main.tag_ == "VBD" or any(a.tag_ == "VBD" for a in aux)
    return Clause(predicates, negated, future, past and not future, scope, _segments(doc))


# dependency labels whose subtree is a clause or phrase of its own
_SEGMENT_DEPS = frozenset({"ccomp", "advcl", "relcl", "appos", "conj", "parataxis", "xcomp", "acl", "pcomp"})
_QUOTE = re.compile(r"[“\"]([^”\"]{2,400})[”\"]")


def _segments(doc: object) -> tuple[tuple[int, int], ...]:
    """Spans (character offsets) of the clauses inside the sentence and of its quotations,
    plus the frame around the largest one ("X said on Monday" around "Y happened")."""
    text = doc.text  # type: ignore[attr-defined]
    spans: set[tuple[int, int]] = set()
    for t in doc:  # type: ignore[attr-defined]
        if t.dep_ not in _SEGMENT_DEPS:
            continue
        if t.dep_ == "conj" and t.pos_ not in ("VERB", "AUX"):
            continue
        sub = list(t.subtree)
        start, end = sub[0].idx, sub[-1].idx + len(sub[-1].text)
        spans.add((start, end))
        if t.dep_ == "conj":  # the first conjunct: the head up to the conjunction
            head_sub = list(t.head.subtree)
            if head_sub[0].idx < start:
                spans.add((head_sub[0].idx, start))
    for m in _QUOTE.finditer(text):
        spans.add((m.start(1), m.end(1)))
    if spans:  # the frame: the sentence without its largest clause
        s, e = max(spans, key=lambda se: se[1] - se[0])
        if s > 0 and e >= len(text.rstrip(' ."”')) - 1:
            spans.add((0, s))
        elif s == 0 and e < len(text):
            spans.add((e, len(text)))
    return tuple(sorted(sp for sp in spans if 0 <= sp[0] < sp[1] <= len(text) and (sp[1] - sp[0]) < len(text) - 2))


_MEMO: dict[str, Clause] = {}
_MEMO_LIMIT = 50_000


def clauses(texts: Sequence[str]) -> list[Clause]:
    """Main-clause features of each text; scheduling words anywhere mark a plan.
    Parses are remembered per text (a story page is rebuilt after each upload)."""
    nlp = _nlp()
    todo = list(dict.fromkeys(t for t in texts if t not in _MEMO))
    docs = nlp.pipe(todo, batch_size=64) if nlp is not None else (None for _ in todo)  # type: ignore[attr-defined]
    if len(_MEMO) + len(todo) > _MEMO_LIMIT:
        _MEMO.clear()
    for text, doc in zip(todo, docs):
        base = _from_doc(doc) if doc is not None else Clause()
        future = base.future or future_cue(text) is not None
        _MEMO[text] = Clause(
            base.predicates, base.negated, future, base.past and not future, base.negated_scope, base.segments
        )
    return [_MEMO[t] for t in texts]
