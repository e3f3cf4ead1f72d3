"""The attribution of a quote: the speech verb next to its marks ("..., he said",
"She told the Herald: ..."), with its speaker, the channel it names ("on his Telegram
channel") and the addressee ("told reporters"), kept apart from the channel."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from newsdesk.analyze.entities import strip_article
from newsdesk.analyze.attribution.context import QuoteContext, token_at
from newsdesk.analyze.attribution.marks import Marked
from newsdesk.analyze.attribution.lexicon import is_cue
from newsdesk.analyze.attribution.speakers import descriptor_span, resolve, subject_of
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


def attribute(ctx: QuoteContext, verb: Token, segments: list[tuple[int, int]]) -> CueFrame:
    """Speaker, cue, channel and addressee of a speech verb; ``segments`` are the
    stretches of its sentence outside the quoted content, where channels are named."""
    subject = subject_of(verb)
    speaker = resolve(ctx, subject) if subject is not None else None
    channel = next((c for s, e in segments if (c := _channel(ctx, s, e))), None)
    return CueFrame(
        speaker, verb.text.lower(), channel.name if channel else None, _addressee(ctx, verb, channel), verb, subject
    )


def attribution_after(ctx: QuoteContext, marked: Marked) -> CueFrame | None:
    """“...,” he said / “...,” said Kadyrov: a speech verb just after the close."""
    if marked.close >= len(ctx.text) or ctx.text[marked.close - 1 : marked.close] == ".":
        return None
    close_tok = token_at(ctx.doc, marked.close)
    if close_tok is None:
        return None
    doc = ctx.doc
    i = close_tok.i + 1
    limit = min(len(doc), i + ctx.rules.max_trailer_distance)
    for j in range(i, limit):
        tok = doc[j]
        if tok.is_space and "\n" in tok.text or tok.text in ".?!“\"":
            return None
        if is_cue(tok, ctx.rules.speech):
            sent_end = tok.sent.end_char
            return attribute(ctx, tok, [(marked.close + 1, sent_end)])
    return None


def attribution_before(ctx: QuoteContext, marked: Marked) -> CueFrame | None:
    """She said: “... / told the Guardian in March: “...: a speech verb in the lead-in."""
    open_tok = token_at(ctx.doc, marked.open)
    if open_tok is None:
        return None
    sent = open_tok.sent
    lead = ctx.doc[sent.start : open_tok.i]
    if not len(lead) or lead[-1].text not in (":", ",") and not is_cue(lead[-1], ctx.rules.speech):
        return None
    for tok in reversed(lead):
        if is_cue(tok, ctx.rules.speech):
            return attribute(ctx, tok, [(sent.start_char, marked.open)])
    return None
