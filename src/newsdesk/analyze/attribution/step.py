"""The attribution step: who said (or believes, found) what, once per article.

Why one step: quotes and claims both need "who said it"; deciding it twice gave a
quote and a claim of the same sentence different speakers. This step finds every
attribution once (direct, partial and reported speech, embedded posts) with one
lexicon (``data/attribution.toml``) and one speaker resolver, and quotes and claims
read its result (:class:`DocumentAttributions`).

Why three quote kinds: a fact-checker weighs “We will not concede” (direct: the
speaker's own words), to “liberate” its people (partial: a loaded word the outlet
attributes) and "officials said that ..." (reported: the outlet's paraphrase)
differently.

How: quotation marks are found on the characters of ``article.text`` (the parser
does not model them), following newspaper conventions: a quote may run over
several paragraphs, each reopening the mark and only the last closing it. Titles
of works and nicknames in marks are not quotes. The attribution (cue verb,
speaker, channel, addressee) comes from the dependency parse around the marks;
reported speech is a speech or cognition verb with a clausal complement. Pronoun
speakers resolve to the current speaker of the discourse.

The parts live beside it: ``marks`` (quotation marks), ``cues`` (speech verb,
channel, addressee), ``speakers`` (speakers, pronouns, descriptors), ``reported``
(reported speech), ``posts`` (embedded posts), ``titles`` (titles of works),
``context`` (per-article lookups) and ``lexicon`` (the lexicon).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from spacy.tokens import Doc

from newsdesk.analyze.attribution.context import QuoteContext, token_at
from newsdesk.analyze.attribution.cues import (
    CueFrame,
    attribution_after,
    attribution_before,
)
from newsdesk.analyze.attribution.labels import colon_labels
from newsdesk.analyze.attribution.lexicon import QuoteRules, is_cue, load_rules
from newsdesk.analyze.attribution.marks import (
    PARAGRAPH_BREAK,
    Marked,
    find_marked,
    opens_sentence,
)
from newsdesk.analyze.attribution.posts import embedded_posts
from newsdesk.analyze.attribution.reported import reported_speech
from newsdesk.analyze.attribution.speakers import (
    collect_candidates,
    governing_speaker,
    sentence_subject,
    source_phrase,
    stance_speaker,
)
from newsdesk.analyze.attribution.stance import refusals, stances
from newsdesk.analyze.attribution.titles import is_title
from newsdesk.model import (
    Article,
    Attribution,
    AttributionKind,
    EntityMention,
    Quote,
    Span,
    Speaker,
)

__all__ = [
    "DocumentAttributions",
    "Marked",
    "QuoteRules",
    "attribute_document",
    "extract_quotes",
    "find_marked",
    "load_rules",
]


@dataclass
class DocumentAttributions:
    """The attribution step's result for one article: the quotes (what the quotes
    stage returns), one :class:`~newsdesk.model.Attribution` record per attribution
    (with source, cue and content spans), and the per-article context whose speaker
    resolver the claims stage reuses for its own subjects."""

    quotes: list[Quote]
    records: list[Attribution]
    ctx: QuoteContext


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
    if not before or before[-1] in ':,\n.?!”"':
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
    return attribute_document(doc, entities, article).quotes


def attribute_document(doc: Doc, entities: list[EntityMention], article: Article) -> DocumentAttributions:
    """Every attribution of ``article``, once: quotes and records, in text order."""
    rules = load_rules()
    text = article.text
    doubles, singles = find_marked(text)
    posts = embedded_posts(text)
    ctx = QuoteContext(doc, text, entities, rules)
    ctx.quoted = [(m.open, m.close + 1) for m in doubles + singles] + [(p.open, p.close) for p in posts]
    collect_candidates(ctx)

    found: list[tuple[Quote, CueFrame, AttributionKind]] = [
        (post.quote, CueFrame(post.quote.speaker, "posted", post.quote.channel), "post") for post in posts
    ]
    previous: Quote | None = None
    for marked in sorted(doubles + singles, key=lambda m: m.start):
        if any(p.open <= marked.open < p.close for p in posts):
            continue  # marks inside an embedded post are the post's own
        if is_title(ctx, marked):
            continue  # “The Irishman”, “Fox & Friends”: a name, not speech
        kind = _kind(ctx, marked)
        section = article.section_at(marked.start)
        frame = CueFrame()
        if kind == "direct":
            frame = attribution_after(ctx, marked) or attribution_before(ctx, marked) or CueFrame()
            if frame.speaker is None and section != "title":
                # "Cruz said that “every word I said is true.”": the speech verb the
                # quoted words hang on, as for a partial quote
                frame.speaker = governing_speaker(ctx, marked.start)
            if frame.speaker is None and section != "title":
                if previous is not None and _continues(text, previous, marked):
                    frame.speaker = previous.speaker
                else:
                    frame.speaker = stance_speaker(ctx, marked)
        elif section != "title":
            frame.speaker = sentence_subject(ctx, marked.start)
            if frame.speaker is not None and governing_speaker(ctx, marked.start) is not None:
                # words quoted under a speech verb ("X stated that the report “was not
                # good.”") make X the current speaker ("Adding, “...”")
                ctx.last_speaker = frame.speaker
        quote = Quote(
            start=marked.start,
            end=marked.end,
            text=text[marked.start : marked.end],
            kind=kind,  # type: ignore[arg-type]
            speaker=frame.speaker,
            cue=frame.cue,
            channel=frame.channel,
            addressee=frame.addressee,
            paragraphs=marked.paragraphs,
        )
        found.append((quote, frame, kind))  # type: ignore[arg-type]
        if quote.kind == "direct":
            previous = quote
            if quote.speaker is not None:
                ctx.last_speaker = quote.speaker
    direct = [q for q, _, k in found if k in ("direct", "post")]
    for quote, frame in reported_speech(ctx, article, direct):
        found.append((quote, frame, _reported_kind(ctx, quote, frame)))
    for quote, speaker in colon_labels(ctx, article):
        # "Sanders: Clinton email story has moved": unless quotation marks already
        # hold most of it ("Kasich: ‘...’" is a direct quote of its own)
        inside = sum(max(0, min(q.end, quote.end) - max(q.start, quote.start)) for q, _, _ in found)
        if inside * 2 < quote.end - quote.start:
            found.append((quote, CueFrame(speaker, ":"), "indirect"))
    stance = stances(ctx, [q for q, _, _ in found])
    refused = refusals(ctx, [q for q, _, _ in found] + [q for q, _ in stance])
    found.sort(key=lambda f: (f[0].start, f[0].end))
    quotes = _speaker_from_previous_paragraph(ctx, article, [q for q, _, _ in found])
    # A partial quote nobody is credited with (a scare quote, a slogan) stays a quote
    # but attributes nothing: an attribution needs a source.
    records = [
        _record(ctx, q, frame, kind)
        for q, (_, frame, kind) in zip(quotes, found, strict=True)
        if not (q.kind == "partial" and q.speaker is None)
    ]
    records += [_record(ctx, q, frame, "stance") for q, frame in stance]  # records only, not quotes
    records += [
        dataclasses.replace(_record(ctx, q, frame, _reported_kind(ctx, q, frame)), negated=True) for q, frame in refused
    ]
    records.sort(key=lambda r: (r.content.start, r.content.end))
    return DocumentAttributions(quotes, _join_continuations(ctx, _carry_source(_merge_mixed(records))), ctx)


def _carry_source(records: list[Attribution]) -> list[Attribution]:
    """A direct quote with no cue of its own that continues a speaker ("“…,” Graham, a
    former candidate, told CBS. “But we may …”") is sourced where that speaker was
    last named: the previous record with the same speaker and a source span."""
    out: list[Attribution] = []
    for r in records:
        if r.kind == "direct" and r.source is None and r.cue is None and r.speaker is not None:
            prev = next((p for p in reversed(out) if p.speaker == r.speaker and p.source is not None), None)
            if prev is not None:
                r = dataclasses.replace(r, source=prev.source)
        out.append(r)
    return out


def _join_continuations(ctx: QuoteContext, records: list[Attribution]) -> list[Attribution]:
    """“We will win,” she said. “And we will govern.”: a quote with no cue of its own
    right after its speaker's quote, in the same paragraph and past a short trailer,
    is the same attribution with a discontinuous content (PolNeAR's reading)."""
    text = ctx.text
    out: list[Attribution] = []
    for r in records:
        prev = out[-1] if out else None
        if (
            prev is not None
            and r.kind == "direct"
            and prev.kind == "direct"
            and r.cue is None
            and prev.cue is not None
            and r.speaker is not None
            and prev.speaker == r.speaker
            and prev.content.end <= r.content.start
        ):
            between = text[prev.content.end : r.content.start]
            if "\n" not in between and len(between.split()) <= ctx.rules.max_joined_trailer_words:
                parts = prev.content_parts or [prev.content]
                start, end = prev.content.start, r.content.end
                out[-1] = dataclasses.replace(
                    prev, content=Span(start, end, text[start:end]), content_parts=[*parts, r.content]
                )
                continue
        if (
            prev is not None
            and r.kind == "direct"
            and prev.kind == "direct"
            and prev.content.end <= r.content.start
            and not text[prev.content.end : r.content.start].strip(' ,;“”"\u00a0')
            and (prev.speaker is None or r.speaker is None or prev.speaker.name == r.speaker.name)
        ):
            # “I was going to vote for her,” “Every time she speaks ...”: two stretches
            # of quotation marks with nothing but a comma between are one utterance
            keep = r if r.speaker is not None and (prev.speaker is None or r.cue is not None) else prev
            parts = prev.content_parts or [prev.content]
            start, end = prev.content.start, r.content.end
            out[-1] = dataclasses.replace(
                keep, content=Span(start, end, text[start:end]), content_parts=[*parts, r.content]
            )
            continue
        out.append(r)
    return out


def _merge_mixed(records: list[Attribution]) -> list[Attribution]:
    """A partial quote inside a paraphrase ("said the plan was “a disaster”") is one
    mixed attribution with it, not a second one: the partial's record goes (the
    quote itself stays in ``quotes``)."""
    outer = [r for r in records if r.kind != "partial"]
    kept = []
    for r in records:
        if r.kind == "partial" and any(
            o.content.start <= r.content.start and r.content.end <= o.content.end for o in outer
        ):
            continue
        kept.append(r)
    return kept


def _reported_kind(ctx: QuoteContext, quote: Quote, frame: CueFrame) -> AttributionKind:
    """indirect, mixed (quote marks inside the paraphrase), cognition (believes,
    fears) or question (asked whether)."""
    lemma = frame.verb.lemma_.lower() if frame.verb is not None else ""
    if frame.verb is not None and frame.verb.pos_ == "NOUN":
        return "nominal"
    if lemma in ctx.rules.question_verbs:
        return "question"
    if lemma in ctx.rules.cognition:
        return "cognition"
    if any(quote.start <= s < quote.end for s, _ in ctx.quoted):
        return "mixed"
    return "indirect"


def _record(ctx: QuoteContext, quote: Quote, frame: CueFrame, kind: AttributionKind) -> Attribution:
    """The Attribution record of one quote: content, cue and source spans."""
    text = ctx.text
    cue = None
    if frame.verb is not None:
        v = frame.verb
        cue = Span(v.idx, v.idx + len(v.text), v.text)
    source = None
    if frame.subject is not None:
        sub = source_phrase(frame.subject, frame.verb)
        source = Span(sub.start_char, sub.end_char, text[sub.start_char : sub.end_char])
    speaker = quote.speaker
    anonymous = speaker is not None and speaker.descriptor and _anonymous(ctx, speaker.name)
    return Attribution(
        kind=kind,
        content=Span(quote.start, quote.end, quote.text),
        cue=cue,
        source=source,
        speaker=speaker,
        anonymous=anonymous,
        channel=quote.channel,
        addressee=quote.addressee,
        affiliation=frame.affiliation,
    )


def _anonymous(ctx: QuoteContext, name: str) -> bool:
    """ "officials", "a source familiar with": a descriptor that names no one."""
    words = name.lower().split()
    if not words:
        return False
    heads = ctx.rules.anonymous_heads
    return (
        words[-1] in heads
        or words[-1].removesuffix("s") in heads
        or any(p in name.lower() for p in ctx.rules.anonymity_phrases)
    )


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
