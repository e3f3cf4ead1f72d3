"""Who said what: direct, partial and reported speech with speaker, cue, channel, addressee.

Why three kinds: a fact-checker weighs “We will not concede” (direct: the speaker's
own words), to “liberate” its people (partial: a loaded word the outlet attributes)
and "officials said that ..." (reported: the outlet's paraphrase) differently.

How: quotation marks are found on the characters of ``article.text`` (the parser
does not model them), following newspaper conventions: a quote may run over
several paragraphs, each reopening the mark and only the last closing it. The
attribution (cue verb, speaker, channel, addressee) comes from the dependency
parse around the marks; reported speech is a speech verb with a clausal
complement. Pronoun speakers resolve to the nearest compatible person or
descriptor before them. Lexicons and patterns live in ``data/quotes.toml``.

This module orchestrates; the steps live beside it: ``quotes_marks`` (quotation
marks), ``quotes_attribution`` (speech verb, channel, addressee), ``quotes_speakers``
(speakers, pronouns, descriptors), ``quotes_reported`` (reported speech),
``quotes_context`` (per-article lookups) and ``quotes_rules`` (the lexicons).
"""

from __future__ import annotations

import dataclasses
import re

from spacy.tokens import Doc

from newsdesk.analyze.quotes_attribution import (
    Attribution,
    attribution_after,
    attribution_before,
)
from newsdesk.analyze.quotes_context import QuoteContext, token_at
from newsdesk.analyze.quotes_marks import (
    PARAGRAPH_BREAK,
    Marked,
    find_marked,
    opens_sentence,
)
from newsdesk.analyze.quotes_reported import reported_speech
from newsdesk.analyze.quotes_rules import QuoteRules, is_cue, load_rules
from newsdesk.analyze.quotes_speakers import (
    collect_candidates,
    sentence_subject,
    stance_speaker,
)
from newsdesk.model import Article, EntityMention, Quote, Speaker

__all__ = ["Marked", "QuoteRules", "extract_quotes", "find_marked", "load_rules"]


INNER_SENTENCE_BREAK = re.compile(r"[.?!…][”\"’]?\s+\S")


def _kind(ctx: QuoteContext, marked: Marked) -> str:
    """Direct when the marks hold introduced or free-standing speech (after a colon or
    comma, at a sentence or paragraph start, over several paragraphs, right after a
    speech verb) or a long stretch; a fragment inside a sentence is partial (a scare
    quote, a title, or words quoted inside reported speech: told X that the city had
    “enough beds, enough food and enough volunteers”)."""
    text, rules = ctx.text, ctx.rules
    inner = text[marked.open + 1 : marked.close].strip()
    words = len(inner.split())
    if marked.paragraphs > 1 or words > rules.max_embedded_partial_words:
        return "direct"
    before = text[: marked.open].rstrip(" \t")
    if not before or before[-1] in ":,\n.?!”\"":
        return "direct"
    if words <= rules.max_partial_words:
        return "partial"
    if INNER_SENTENCE_BREAK.search(inner):
        return "direct"
    prev = token_at(ctx.doc, len(before) - 1)
    if prev is not None and is_cue(prev, rules.speech):
        return "direct"  # said “we will ...” without a comma introduces speech
    return "partial"


def extract_quotes(doc: Doc, entities: list[EntityMention], article: Article) -> list[Quote]:
    """Direct, partial and reported quotes of ``article`` (``doc`` parses its text),
    in text order, offsets into ``article.text``."""
    rules = load_rules()
    text = article.text
    doubles, singles = find_marked(text)
    ctx = QuoteContext(doc, text, entities, rules)
    ctx.quoted = [(m.open, m.close + 1) for m in doubles + singles]
    collect_candidates(ctx)

    quotes: list[Quote] = []
    previous: Quote | None = None
    for marked in sorted(doubles + singles, key=lambda m: m.start):
        kind = _kind(ctx, marked)
        section = article.section_at(marked.start)
        attribution = Attribution()
        if kind == "direct":
            attribution = attribution_after(ctx, marked) or attribution_before(ctx, marked) or Attribution()
            if attribution.speaker is None and section != "title":
                if previous is not None and _continues(text, previous, marked):
                    attribution.speaker = previous.speaker
                else:
                    attribution.speaker = stance_speaker(ctx, marked)
        elif section != "title":
            attribution.speaker = sentence_subject(ctx, marked.start)
        quote = Quote(
            start=marked.start,
            end=marked.end,
            text=text[marked.start : marked.end],
            kind=kind,  # type: ignore[arg-type]
            speaker=attribution.speaker,
            cue=attribution.cue,
            channel=attribution.channel,
            addressee=attribution.addressee,
            paragraphs=marked.paragraphs,
        )
        quotes.append(quote)
        if kind == "direct":
            previous = quote
    quotes.extend(reported_speech(ctx, article, [q for q in quotes if q.kind == "direct"]))
    quotes.sort(key=lambda q: (q.start, q.end))
    return _speaker_from_previous_paragraph(ctx, article, quotes)


def _continues(text: str, previous: Quote, marked: Marked) -> bool:
    """An unattributed quote right after an attributed one continues its speaker (the
    newspaper convention): “...,” said X. / “More words.” in the next paragraph (at
    most one paragraph break between), or in the same paragraph once the attribution
    sentence has ended ("The priority is simple," Ms. Dravec said. "Get people out ...")."""
    if previous.speaker is None or not opens_sentence(text, marked.open):
        return False
    opens_paragraph = marked.open == 0 or text[: marked.open].endswith("\n")
    breaks = len(PARAGRAPH_BREAK.findall(text, previous.end, marked.open))
    return breaks == 0 or (opens_paragraph and breaks <= 1)


def _speaker_from_previous_paragraph(ctx: QuoteContext, article: Article, quotes: list[Quote]) -> list[Quote]:
    """A free-standing quote paragraph with no attribution of its own belongs to whoever
    speaks in the last sentence of the paragraph before it: "Mayor X told Balkan
    Monitor that the city had “enough beds ...”." / “We were lucky ...”."""
    text = ctx.text
    out: list[Quote] = []
    for quote in quotes:
        if quote.kind == "direct" and quote.speaker is None and article.section_at(quote.start) != "title":
            open_ = quote.start - 1
            while open_ > 0 and text[open_] not in "“\"‘'":
                open_ -= 1
            para_start = text[:open_].rstrip(" \t")
            if para_start.endswith("\n") or open_ == 0:
                speaker = _last_speaker_before(ctx, out, open_)
                if speaker is not None:
                    quote = dataclasses.replace(quote, speaker=speaker)
        out.append(quote)
    return out


def _last_speaker_before(ctx: QuoteContext, quotes: list[Quote], pos: int) -> Speaker | None:
    """The speaker of the last attributed quote in the final sentence of the paragraph
    that ends just before ``pos`` (None when that sentence reports no one)."""
    prev_end = len(ctx.text[:pos].rstrip())
    if prev_end == 0 or PARAGRAPH_BREAK.search(ctx.text, prev_end, pos) is None:
        return None
    tok = token_at(ctx.doc, prev_end - 1)
    if tok is None:
        return None
    sent = tok.sent
    inside = [q for q in quotes if q.speaker is not None and sent.start_char <= q.start < sent.end_char]
    return inside[-1].speaker if inside else None
