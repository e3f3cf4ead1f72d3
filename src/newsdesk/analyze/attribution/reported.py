"""Reported speech, beliefs, intentions and findings outside quotation marks: a
speech, cognition, question or finding verb with a clausal complement ("officials
said that ...", "she believes ...", "he asked whether ...", "polls show ..."), an
intention or request with its infinitive ("vowed to repeal ...", "urged voters to
..."), or a stance verb with its preposition ("called for ..."); cut before the
speaker's next act of speech and never through a pair of quotation marks."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from newsdesk.analyze.attribution.context import QuoteContext
from newsdesk.analyze.attribution.cues import CueFrame, according_frame, attribute
from newsdesk.analyze.attribution.lexicon import is_cue
from newsdesk.analyze.attribution.marks import PARAGRAPH_BREAK
from newsdesk.analyze.attribution.speakers import resolve, subject_of
from newsdesk.model import Article, Quote

MIN_REPORTED_TOKENS = 3  # shorter clausal complements are parser noise ("had caused")


def _is_human(ctx: QuoteContext, tok: Token | None) -> bool:
    """Whether a subject can speak: a person or organisation, a pronoun, a descriptor
    head ("reports suggest" yes, "data suggest" no)."""
    if tok is None:
        return False
    ent = ctx.entity_at(tok.idx, tok.idx + len(tok.text))
    if ent is not None:
        return ent.label in ("PERSON", "ORG")
    rules = ctx.rules
    return tok.lower_ in rules.heads or tok.lower_ in rules.pronouns


def _is_document(ctx: QuoteContext, tok: Token | None) -> bool:
    """Whether a subject is a document, poll or study ("the report found")."""
    return tok is not None and tok.lemma_.lower() in ctx.rules.document_heads


def _trim_end(doc: Doc, start_tok: int, end_tok: int) -> int:
    """Drop trailing punctuation, space and a dangling conjunction."""
    while end_tok > start_tok and (
        doc[end_tok - 1].is_punct or doc[end_tok - 1].is_space or doc[end_tok - 1].dep_ == "cc"
    ):
        end_tok -= 1
    return end_tok


def _clause_end(ctx: QuoteContext, comp: Token) -> int:
    """Token index where a reported clause ends: before the first comma- or
    "and"-joined piece of its subtree that is a further act of speech ("..., calling
    the claims “baseless”", "... and called the accusations “speculation”", "...,
    a request that officials described as ..."): that is the speaker's (or someone
    else's) next statement, not the content reported. A conjoined "and that ..."
    clause is more of the same report and stays."""
    rules = ctx.rules
    cues = rules.speech | rules.stance
    doc = ctx.doc
    end = comp.right_edge.i + 1
    for tok in doc[comp.left_edge.i + 1 : end]:
        if tok.dep_ not in rules.cut_deps or tok.left_edge.i <= comp.left_edge.i:
            continue
        if any(c.dep_ == "mark" for c in tok.children):
            continue
        joiner = doc[tok.left_edge.i - 1]
        if joiner.text not in (",", ";", "—", "–") and joiner.dep_ != "cc":
            continue
        if any(t.pos_ == "VERB" and t.lemma_.lower() in cues for t in tok.subtree):
            return tok.left_edge.i
    return end


def _pair_marks(ctx: QuoteContext, span: Span) -> int:
    """End offset of a reported span that never cuts a pair of quotation marks: a
    quote opened inside it and closed just after (“exceptional by any measure”.) is
    taken whole; one that runs on further is left out, with the words before it."""
    end = span.end_char
    for open_, close in ctx.quoted:
        if span.start_char <= open_ < end < close:
            if not ctx.text[end : close - 1].strip(".,;:?! "):
                return close
            return len(ctx.text[:open_].rstrip(" ,;:—–"))
    return end


def _clausal_content(ctx: QuoteContext, tok: Token) -> tuple[int, int] | None:
    """The clausal complement of a speech, cognition or finding verb ("said that ...",
    "believes ...", "asked whether ...", "polls show ..."), without its "that"."""
    rules = ctx.rules
    comp = next((c for c in tok.children if c.dep_ == "ccomp"), None)
    if comp is None or any(
        c.dep_ == "prep" and c.lower_ in rules.narrative_preps and c.i < comp.i for c in tok.children
    ):
        return None  # "told of the upset ..." narrates, it reports no statement
    start_tok, end_tok = comp.left_edge.i, _clause_end(ctx, comp)
    first = ctx.doc[start_tok]
    if start_tok + 1 < end_tok and first.lower_ == "that" and first.dep_ not in ("nsubj", "nsubjpass", "det"):
        start_tok += 1  # the complementizer is not content ("whether" and "if" are)
    return start_tok, end_tok


def _infinitive_content(tok: Token) -> tuple[int, int] | None:
    """An intention or a request with its infinitive: "pledged to enact reform",
    "wants to win", "urged voters to stay home" (the object is part of the content)."""
    xcomp = next((c for c in tok.children if c.dep_ == "xcomp" and c.i > tok.i), None)
    if xcomp is None or not any(c.dep_ == "aux" and c.lower_ == "to" for c in xcomp.children):
        return None
    obj = next((c for c in tok.children if c.dep_ in ("dobj", "nsubj") and tok.i < c.i < xcomp.i), None)
    start = obj.left_edge.i if obj is not None else xcomp.left_edge.i
    return start, xcomp.right_edge.i + 1


def _object_content(tok: Token) -> tuple[int, int] | None:
    """ "said so", "said yes", "say the same of Sanders": the object is what was said
    (a person told is an addressee, not content)."""
    obj = next((c for c in tok.children if c.dep_ in ("dobj", "advmod", "intj") and c.i > tok.i), None)
    if obj is None or (obj.dep_ == "advmod" and obj.lower_ != "so"):
        return None
    if obj.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or (
        obj.pos_ == "PRON" and obj.lower_ not in ("so", "that", "this", "it")
    ):
        return None
    end = obj.right_edge.i + 1
    for c in tok.children:
        if c.dep_ == "prep" and c.i > obj.i and c.lower_ in ("of", "about"):
            end = max(end, c.right_edge.i + 1)
    return obj.left_edge.i, end


def _finding_object(ctx: QuoteContext, tok: Token) -> tuple[int, int] | None:
    """ "The poll showed Trump leading the field", "records show him backing both":
    a finding verb with a document, poll or study as subject reports its object and
    what follows it in the clause (the object alone, "showed a gap", is too short)."""
    if not _is_document(ctx, subject_of(tok)):
        return None
    obj = next((c for c in tok.children if c.dep_ in ("dobj", "attr") and c.i > tok.i), None)
    if obj is None:
        return None
    return obj.left_edge.i, min(tok.right_edge.i + 1, tok.sent.end)


def _prep_content(ctx: QuoteContext, tok: Token) -> tuple[int, int] | None:
    """A verb and preposition that report a stance: "called for more dollars",
    "warned against a deal": the prepositional object is the content."""
    lemma = tok.lemma_.lower()
    for child in tok.children:
        if child.dep_ == "prep" and f"{lemma} {child.lower_}" in ctx.rules.prep_cues and child.i > tok.i:
            pobj = next((c for c in child.children if c.dep_ in ("pobj", "pcomp")), None)
            if pobj is not None:
                return pobj.left_edge.i, child.right_edge.i + 1
    return None


def reported_speech(ctx: QuoteContext, article: Article, direct: list[Quote]) -> list[tuple[Quote, CueFrame]]:
    """X said (that) ...: a speech verb with a clausal complement outside quotes, with
    the cue frame it was read from (for the cue and source spans)."""
    rules = ctx.rules
    found: list[tuple[Quote, CueFrame]] = []
    text = article.text
    clausal = rules.reported | rules.cognition | rules.question_verbs | rules.finding_verbs
    for tok in ctx.doc:
        if ctx.in_quote(tok.idx):
            continue
        if any(c.dep_ == "neg" for c in tok.children):
            continue  # "has not yet said how much ..." reports that nothing was said
        if tok.dep_ == "xcomp" and (
            tok.head.lemma_.lower() in rules.negating or any(c.dep_ == "neg" for c in tok.head.children)
        ):
            continue  # "refused to concede that ...", "did not want to say that ..."
        bounds = None
        if is_cue(tok, clausal):
            bounds = _clausal_content(ctx, tok)
        if bounds is None and is_cue(tok, rules.finding_verbs):
            bounds = _finding_object(ctx, tok)
        if bounds is None and is_cue(tok, rules.infinitive_verbs):
            bounds = _infinitive_content(tok)
        if bounds is None and tok.pos_ == "VERB":
            bounds = _prep_content(ctx, tok)
        short_ok = False
        if bounds is None and is_cue(tok, rules.object_content):
            bounds = _object_content(tok)
            short_ok = bounds is not None
        if bounds is None:
            continue
        start_tok, end_tok = bounds
        end_tok = _trim_end(ctx.doc, start_tok, end_tok)
        if end_tok - start_tok < (1 if short_ok else MIN_REPORTED_TOKENS):
            continue
        span = ctx.doc[start_tok:end_tok]
        if any(q.start < span.end_char and span.start_char < q.end for q in direct):
            continue
        if tok.lemma_.lower() in rules.needs_document_subject and not _is_document(ctx, subject_of(tok)):
            continue  # "the police found that the door was open": a discovery, not a finding reported
        if tok.lemma_.lower() in rules.needs_human_subject and not _is_human(ctx, subject_of(tok)):
            continue
        seg_start, seg_end = span.start_char, _pair_marks(ctx, span)
        if seg_end <= seg_start:
            continue
        sent = tok.sent
        outside = [(sent.start_char, seg_start), (seg_end, sent.end_char)]
        attribution = attribute(ctx, tok, outside)
        if attribution.speaker is None and not is_cue(tok, rules.reported):
            continue  # a belief, intention or finding of no one we can name is narration
        seg = text[seg_start:seg_end]
        found.append(
            (
                Quote(
                    start=seg_start,
                    end=seg_end,
                    text=seg,
                    kind="reported",
                    speaker=attribution.speaker,
                    cue=attribution.cue,
                    channel=attribution.channel,
                    addressee=attribution.addressee,
                    paragraphs=1 + len(PARAGRAPH_BREAK.findall(seg)),
                ),
                attribution,
            )
        )
    found.extend(_nominal(ctx, direct))
    found.extend(_according_to(ctx, direct + [q for q, _ in found]))
    return found


def _according_to(ctx: QuoteContext, taken: list[Quote]) -> list[tuple[Quote, CueFrame]]:
    """ "According to the survey, most residents want ...", "... , according to his
    filings": the rest of the sentence is the content, the object of "according to"
    the source (a quote with its own "according to" is read by the quote rules)."""
    doc = ctx.doc
    out: list[tuple[Quote, CueFrame]] = []
    for tok in doc:
        if tok.lower_ != "according" or tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "to" or ctx.in_quote(tok.idx):
            continue
        sent = tok.sent
        phrase_end = max(tok.right_edge.i, tok.i + 2)
        for child in doc[tok.i + 1].children:
            phrase_end = max(phrase_end, child.right_edge.i)
        if tok.i == sent.start or (tok.i - sent.start <= 1 and not doc[sent.start].is_alpha):
            start_tok, end_tok = phrase_end + 1, sent.end
        else:
            start_tok, end_tok = sent.start, tok.i
        while start_tok < end_tok and (doc[start_tok].is_punct or doc[start_tok].is_space):
            start_tok += 1
        end_tok = _trim_end(doc, start_tok, end_tok)
        if end_tok - start_tok < MIN_REPORTED_TOKENS:
            continue
        span = doc[start_tok:end_tok]
        if any(q.start < span.end_char and span.start_char < q.end for q in taken):
            continue
        frame = according_frame(ctx, doc[tok.i : phrase_end + 1], [(sent.start_char, sent.end_char)])
        if frame is None or frame.speaker is None:
            continue
        seg_end = _pair_marks(ctx, span)
        seg = ctx.text[span.start_char : seg_end]
        out.append((Quote(span.start_char, seg_end, seg, "reported", frame.speaker, "according to"), frame))
    return out


def _nominal(ctx: QuoteContext, direct: list[Quote]) -> list[tuple[Quote, CueFrame]]:
    """Noun cues: "Trump's claim that ...", "her belief that ...", "made the argument
    that ...": the that-clause is the content, the possessor (or the subject of the
    verb the noun is the object of) the source."""
    rules = ctx.rules
    doc = ctx.doc
    out: list[tuple[Quote, CueFrame]] = []
    for tok in doc:
        if tok.pos_ != "NOUN" or tok.lemma_.lower() not in rules.nominal_cues or ctx.in_quote(tok.idx):
            continue
        comp = next(
            (
                c
                for c in tok.rights
                if c.dep_ in ("acl", "ccomp", "relcl")
                and doc[c.left_edge.i].lower_ == "that"
                and any(k.dep_ == "mark" for k in c.children)
            ),
            None,
        )
        if comp is None:
            continue
        owner = next((c for c in tok.children if c.dep_ == "poss"), None)
        if owner is None and tok.dep_ == "dobj":
            owner = subject_of(tok.head)
        if owner is None:
            continue
        start_tok = comp.left_edge.i + 1
        end_tok = _trim_end(doc, start_tok, _clause_end(ctx, comp))
        if end_tok - start_tok < MIN_REPORTED_TOKENS:
            continue
        span = doc[start_tok:end_tok]
        if any(q.start < span.end_char and span.start_char < q.end for q in direct):
            continue
        seg_end = _pair_marks(ctx, span)
        speaker = resolve(ctx, owner)
        frame = CueFrame(speaker, tok.text.lower(), verb=tok, subject=owner)
        seg = ctx.text[span.start_char : seg_end]
        out.append((Quote(span.start_char, seg_end, seg, "reported", speaker, tok.text.lower()), frame))
    return out
