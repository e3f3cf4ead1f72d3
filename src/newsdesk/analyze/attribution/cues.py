"""The attribution of a quote: the speech verb next to its marks ("..., he said",
"She told the Herald: ..."), with its speaker, the channel it names ("on his Telegram
channel") and the addressee ("told reporters"), kept apart from the channel."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from newsdesk.analyze.attribution.context import QuoteContext, token_at
from newsdesk.analyze.attribution.lexicon import is_cue
from newsdesk.analyze.attribution.marks import Marked
from newsdesk.analyze.attribution.speakers import descriptor_span, resolve, subject_of
from newsdesk.analyze.entities import strip_article
from newsdesk.model import Speaker

NOT_CHANNEL_LABELS = frozenset({"PERSON", "GPE", "LOC", "NORP", "DATE"})


@dataclass
class CueFrame:
    """What the cue next to some content says: who (resolved), the cue word, the
    medium and the audience; ``verb``/``subject`` are the tokens, for the spans."""

    speaker: Speaker | None = None
    cue: str | None = None
    channel: str | None = None
    addressee: str | None = None
    verb: Token | None = None
    subject: Token | None = None
    affiliation: str | None = None


@dataclass(frozen=True)
class Channel:
    """A medium and where the text names it (so the addressee can skip it)."""

    name: str
    start: int
    end: int


def _channel(ctx: QuoteContext, start: int, end: int) -> Channel | None:
    """The medium named in text[start:end] ("on his Telegram channel" -> Telegram).

    NER often calls an outlet a person ("told the Herald"); a name ending in an
    outlet word after "the" is a medium whatever its label."""
    text = ctx.text
    for pattern in ctx.rules.channel_patterns:
        for m in pattern.finditer(text, start, end):
            name = m.group("channel").rstrip(".")
            if name in ctx.rules.not_channels or not name:
                continue
            if re.match(r"\.?\s*\d", text[m.start("channel") + len(name) : m.start("channel") + len(name) + 4]):
                continue  # "on Feb. 9", "on Sept 11": a date, never a medium
            c_start = m.start("channel")
            ent = ctx.entity_at(c_start, c_start + len(name))
            outlet = name.split()[-1] in ctx.rules.outlet_words
            if ent is not None and ent.label in NOT_CHANNEL_LABELS and not outlet:
                continue
            canonical = ent.canonical if ent is not None and ent.label == "ORG" else name
            return Channel(strip_article(canonical), c_start, c_start + len(name))
    return None


def _addressee(ctx: QuoteContext, verb: Token, channel: Channel | None) -> str | None:
    """The object of an addressing verb when it is not the channel: "told reporters"
    names an audience, "told the Wire" only the medium (the channel)."""
    if verb.lemma_ not in ctx.rules.addressee_verbs:
        return None
    for child in verb.children:
        if child.dep_ in ("dobj", "dative") and child.pos_ in ("NOUN", "PROPN", "PRON"):
            if channel is not None and channel.start <= child.idx < channel.end:
                continue
            ent = ctx.entity_at(child.idx, child.idx + len(child.text))
            if ent is not None and (ent.label == "ORG" or (channel and strip_article(ent.canonical) == channel.name)):
                continue
            if child.lower_ in ctx.rules.pronouns:
                continue
            return descriptor_span(child).text
    return None


def _outside_parentheses(subject: Token | None) -> Token | None:
    """ "Gov. John Kasich (R-OH), said": the parser may take the party tag for the
    subject; the name before the parenthesis is the speaker."""
    if subject is None:
        return None
    doc = subject.doc
    i = subject.i
    while i > 0 and doc[i].text != "(" and i > subject.i - 6:
        if doc[i].text == ")":
            return subject
        i -= 1
    if doc[i].text == "(" and i > 0 and i != subject.i:
        return doc[i - 1]
    return subject


def _person_named(ctx: QuoteContext, surname: str, before: int) -> Speaker | None:
    """The last PERSON mention before ``before`` whose name ends with ``surname``."""
    for ent in reversed(ctx.entities):
        if ent.start < before and ent.label == "PERSON" and ent.text.split()[-1:] == [surname]:
            return Speaker(ent.canonical, ent.start, ent.end, ent.entity_id)
    return None


def _adjacent_name(ctx: QuoteContext, verb: Token) -> tuple[Token | None, Speaker | None]:
    """A cue the parser left without a subject: the person named right before it
    ("her adviser, Jake Sullivan, said:") or right after it ("Continued Stone:");
    a sentence-initial participle ("Adding, “...”") continues the current speaker."""
    doc = verb.doc
    for step in (-1, 1):
        i = verb.i + step
        while 0 <= i < len(doc) and (doc[i].is_punct and doc[i].text in ",—–" or doc[i].is_space):
            i += step
        if not 0 <= i < len(doc) or ctx.in_quote(doc[i].idx):
            continue
        ent = ctx.entity_at(doc[i].idx, doc[i].idx + len(doc[i].text))
        if ent is not None and ent.label == "PERSON":
            return doc[i], Speaker(ent.canonical, ent.start, ent.end, ent.entity_id)
        if doc[i].pos_ == "PROPN" and abs(i - verb.i) == 1:
            # "“...,” Bozell answers." / "Continued Stone:": a surname the tagger
            # missed; a person named earlier with that surname is who it means.
            known = _person_named(ctx, doc[i].text, doc[i].idx)
            if known is not None:
                return doc[i], known
    # "“...,” Brent Bozell III, founder of the Media Research Center, tells ...": the
    # person named first in the stretch between the closing mark and the cue.
    named = None
    i = verb.i - 1
    while i >= 0 and verb.i - i <= 15 and doc[i].text not in ("“", "”", '"', ".") and "\n" not in doc[i].text:
        if ctx.in_quote(doc[i].idx):
            break
        ent = ctx.entity_at(doc[i].idx, doc[i].idx + len(doc[i].text))
        if ent is not None and ent.label == "PERSON":
            named = (doc[i], Speaker(ent.canonical, ent.start, ent.end, ent.entity_id))
        i -= 1
    if named is not None:
        return named
    if verb.tag_ == "VBG" and verb.i == verb.sent.start and ctx.last_speaker is not None:
        return None, ctx.last_speaker
    return None, None


def attribute(ctx: QuoteContext, verb: Token, segments: list[tuple[int, int]]) -> CueFrame:
    """Speaker, cue, channel and addressee of a speech verb; ``segments`` are the
    stretches of its sentence outside the quoted content, where channels are named."""
    subject = subject_of(verb)
    if subject is not None and ctx.in_quote(subject.idx):
        subject = None  # a word of the quote the parser hung on the cue is not its speaker
    subject = _outside_parentheses(subject)
    speaker = resolve(ctx, subject) if subject is not None else None
    if speaker is None:
        subject, speaker = _adjacent_name(ctx, verb)
    # The subject's own phrase ("Tom Becker, a fellow at the Council on Foreign
    # Relations,") names an affiliation, never the channel.
    own = (
        (subject.left_edge.idx, subject.right_edge.idx + len(subject.right_edge.text))
        if subject is not None
        else (0, 0)
    )
    pieces = [(s, e) for s, e in _outside(segments, own)]
    channel = next((c for s, e in pieces if (c := _channel(ctx, s, e))), None)
    return CueFrame(
        speaker,
        verb.text.lower(),
        channel.name if channel else None,
        _addressee(ctx, verb, channel),
        verb,
        subject,
        _affiliation(ctx, own, speaker),
    )


def _outside(segments: list[tuple[int, int]], hole: tuple[int, int]) -> list[tuple[int, int]]:
    """``segments`` with the stretch ``hole`` cut out."""
    out = []
    for s, e in segments:
        if hole[1] <= s or e <= hole[0]:
            out.append((s, e))
            continue
        if s < hole[0]:
            out.append((s, hole[0]))
        if hole[1] < e:
            out.append((hole[1], e))
    return out


def _affiliation(ctx: QuoteContext, own: tuple[int, int], speaker: Speaker | None) -> str | None:
    """The organisation in the speaker's own phrase: "a fellow at the Council on
    Foreign Relations" -> Council on Foreign Relations (an employer, not a medium)."""
    for ent in ctx.entities:
        if own[0] <= ent.start and ent.end <= own[1] and ent.label == "ORG":
            if speaker is not None and speaker.start is not None and ent.start == speaker.start:
                continue
            return strip_article(ent.canonical)
    return None


def attribution_after(ctx: QuoteContext, marked: Marked) -> CueFrame | None:
    """“...,” he said / “...,” said Kadyrov: a speech verb just after the close.

    After a full stop inside the marks (“... missing.” Trump said.) only a short
    trailer that ends its sentence right after the cue counts: otherwise the next
    sentence is narration, not an attribution."""
    if marked.close >= len(ctx.text):
        return None
    ended = ctx.text[marked.close - 1 : marked.close] == "."
    close_tok = token_at(ctx.doc, marked.close)
    if close_tok is None:
        return None
    doc = ctx.doc
    i = close_tok.i + 1
    limit = min(len(doc), i + ctx.rules.max_trailer_distance)
    for j in range(i, limit):
        tok = doc[j]
        if tok.is_space and "\n" in tok.text or tok.text in '.?!“";':
            break  # no speech verb in the trailer: its first verb may still be the cue
        if is_cue(tok, ctx.rules.speech):
            if ended and not _ends_soon(doc, j):
                return None
            sent_end = tok.sent.end_char
            return attribute(ctx, tok, [(marked.close + 1, sent_end)])
        if tok.lower_ == "according" and not ended:
            sent_end = tok.sent.end_char
            return _according(ctx, doc[tok.i : tok.sent.end], [(marked.close + 1, sent_end)])
    if ctx.text[marked.close - 1 : marked.close] in (",", "?", "!"):
        # “...,” Trump barked: after a comma inside the marks, the first verb of the
        # trailer is the cue whatever it is, when its subject is someone named there.
        for j in range(i, limit):
            tok = doc[j]
            if tok.is_space and "\n" in tok.text or tok.text in '.?!“";':
                return None
            if tok.pos_ == "VERB":
                frame = attribute(ctx, tok, [(marked.close + 1, tok.sent.end_char)])
                sub = frame.subject
                if frame.speaker is not None and sub is not None and sub.idx > marked.close:
                    return frame
                return None
    return None


def _ends_soon(doc: Doc, j: int) -> bool:
    """The sentence ends within three tokens of the cue: "Trump said." / "said Ryan."."""
    for k in range(j + 1, min(len(doc), j + 5)):
        if doc[k].text in (".", "!", "?") or (doc[k].is_space and "\n" in doc[k].text):
            return True
    return j + 1 >= len(doc)


def attribution_before(ctx: QuoteContext, marked: Marked) -> CueFrame | None:
    """She said: “... / told the Guardian in March: “...: a speech verb in the lead-in.

    A lead-in that ends with a colon introduces speech whatever its verb ("released
    the following statement:", "Hillary shot back, “...") and may be the paragraph
    before; a headline "Kasich: ‘...’" names its speaker before the colon."""
    open_tok = token_at(ctx.doc, marked.open)
    if open_tok is None:
        return None
    doc = ctx.doc
    sent = open_tok.sent
    lead = doc[sent.start : open_tok.i]
    while len(lead) and lead[-1].is_space:
        lead = lead[:-1]
    if not len(lead):
        # The parser may start a sentence at the mark ('Trump: ‘...’', 'Ryan said “...”')
        # or the lead-in is the paragraph before ('released the following statement:').
        before = ctx.text[: marked.open].rstrip()
        prev = token_at(doc, len(before) - 1) if before else None
        same_paragraph = prev is not None and "\n" not in ctx.text[len(before) : marked.open]
        if prev is not None and (
            before.endswith(":") or (same_paragraph and (prev.text == "," or is_cue(prev, ctx.rules.speech)))
        ):
            lead = doc[prev.sent.start : prev.i + 1]
    if not len(lead) or lead[-1].text not in (":", ",") and not is_cue(lead[-1], ctx.rules.speech):
        return None
    segments = [(lead.start_char, marked.open)]
    for tok in reversed(lead):
        if is_cue(tok, ctx.rules.speech):
            return attribute(ctx, tok, segments)
    according = _according(ctx, lead, segments)
    if according is not None:
        return according
    verbs = [t for t in lead if t.pos_ == "VERB" and t.dep_ not in ("amod", "compound") and not ctx.in_quote(t.idx)]
    if lead[-1].text == ":":
        named = _person_before_colon(ctx, lead)
        if named is not None:
            return named
        if verbs:
            frame = attribute(ctx, verbs[-1], segments)
            return frame if _is_someone(ctx, frame) else None
        return _headline_speaker(ctx, lead)
    if verbs and lead[-1].text == "," and verbs[-1].i >= lead[-1].i - 3:
        frame = attribute(ctx, verbs[-1], segments)
        return frame if _is_someone(ctx, frame) else None
    return None


def _is_someone(ctx: QuoteContext, frame: CueFrame) -> bool:
    """Whether a frame's subject can speak: a named entity, a pronoun or a descriptor
    head ("The timing of the surge doesn't surprise X:" is not the timing's quote)."""
    if frame.speaker is None or frame.subject is None:
        return False
    sub = frame.subject
    return (
        ctx.entity_at(sub.idx, sub.idx + len(sub.text)) is not None
        or sub.lower_ in ctx.rules.pronouns
        or sub.lower_ in ctx.rules.heads
        or sub.lemma_.lower() in ctx.rules.document_heads
    )


def _person_before_colon(ctx: QuoteContext, lead: Span) -> CueFrame | None:
    """ "... doesn't surprise pollster Daron Shaw: “...”": a person named right before
    the colon speaks."""
    colon = lead[-1]
    ent = ctx.entity_at(colon.idx - 2, colon.idx - 1) if colon.idx >= 2 else None
    if ent is not None and ent.label == "PERSON" and not ctx.text[ent.end : colon.idx].strip():
        return CueFrame(Speaker(ent.canonical, ent.start, ent.end, ent.entity_id), ":")
    return None


def _according(ctx: QuoteContext, stretch: Span, segments: list[tuple[int, int]]) -> CueFrame | None:
    """ "According to the newspaper, “...”" / "“...,” according to a court document":
    the object of "according to" is the source."""
    for tok in stretch:
        if tok.lower_ != "according":
            continue
        to = next((c for c in tok.children if c.lower_ == "to"), None)
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
        if pobj is None and tok.i + 2 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to":
            pobj = tok.doc[tok.i + 2]
            while pobj.head.i > pobj.i and pobj.head.i < stretch.end:
                pobj = pobj.head
        if pobj is None:
            continue
        speaker = resolve(ctx, pobj)
        channel = next((c for s, e in segments if (c := _channel(ctx, s, e))), None)
        return CueFrame(speaker, "according to", channel.name if channel else None, None, tok, pobj)
    return None


def according_frame(ctx: QuoteContext, stretch: Span, segments: list[tuple[int, int]]) -> CueFrame | None:
    """The source of an "according to" phrase in ``stretch`` (reported speech reads it too)."""
    return _according(ctx, stretch, segments)


def _headline_speaker(ctx: QuoteContext, lead: Span) -> CueFrame | None:
    """ "Kasich: ‘...’", "Gillibrand on the transcripts: ‘...’": the first person or
    organisation named before the colon of a verbless lead-in."""
    for ent in ctx.entities:
        if lead.start_char <= ent.start < lead.end_char and ent.label in ("PERSON", "ORG", "NORP"):
            return CueFrame(Speaker(ent.canonical, ent.start, ent.end, ent.entity_id), ":")
    first = lead[0]
    if first.text[:1].isupper() and first.is_alpha and first.pos_ in ("PROPN", "NOUN"):
        return CueFrame(Speaker(first.text, first.idx, first.idx + len(first.text)), ":", subject=first)
    return None
