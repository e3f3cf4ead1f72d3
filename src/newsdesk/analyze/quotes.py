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
"""

from __future__ import annotations

import bisect
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc, Span, Token

from newsdesk.analyze.entities import strip_article
from newsdesk.model import Article, EntityMention, Quote, Speaker

PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
DOUBLE_MARKS = re.compile(r"[“”\"]")
SINGLE_CURLY = re.compile(r"(?<![\w’'])‘((?:[^‘’\n]|’(?=\w))+?)’(?!\w)")
SINGLE_STRAIGHT = re.compile(r"(?<![\w'])'((?:[^'\n]|'(?=\w))+?)'(?!\w)")
OPENERS_BEFORE_STRAIGHT = " \t\n([{—–-/"
SENTENCE_END = re.compile(r"[.?!…]$")
TRAILING_JUNK = " \t\n,;:"
SPEAKER_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
NOT_CHANNEL_LABELS = frozenset({"PERSON", "GPE", "LOC", "NORP", "DATE"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
CLIMB_DEPS = frozenset({"advcl", "xcomp", "conj", "ccomp", "pcomp", "acl"})
MIN_REPORTED_TOKENS = 3  # shorter clausal complements are parser noise ("had caused")
DESCRIPTOR_STOP_DEPS = frozenset({"relcl", "appos", "acl", "punct", "cc", "conj"})


@dataclass(frozen=True)
class QuoteRules:
    """The lexicons of ``quotes.toml``, loaded once per process."""

    speech: frozenset[str]
    reported: frozenset[str]
    needs_human_subject: frozenset[str]
    max_trailer_distance: int
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
    heads: frozenset[str] = frozenset()  # every descriptor head, derived in load_rules
    pronouns: frozenset[str] = frozenset()  # male | female | plural, derived in load_rules


@lru_cache(maxsize=1)
def load_rules() -> QuoteRules:
    cfg = tomllib.loads(resources.files("newsdesk.data").joinpath("quotes.toml").read_text("utf-8"))
    cues, pron, desc, chan = cfg["cues"], cfg["pronouns"], cfg["descriptors"], cfg["channels"]
    heads = frozenset(desc["female"] + desc["male"] + desc["any"] + desc["plural_heads"])
    return QuoteRules(
        heads=heads,
        pronouns=frozenset(pron["male"] + pron["female"] + pron["plural"]),
        speech=frozenset(cues["speech"]),
        reported=frozenset(cues["reported"]),
        needs_human_subject=frozenset(cues["needs_human_subject"]),
        max_trailer_distance=int(cues["max_trailer_distance"]),
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
    )


# --------------------------------------------------------------------------- marks


@dataclass
class Marked:
    """A span between quotation marks: ``open``/``close`` are the mark offsets
    (``close`` = paragraph end when never closed), ``start``/``end`` the words."""

    open: int
    close: int
    start: int
    end: int
    paragraphs: int = 1


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each blank-line-separated paragraph, trailing space excluded."""
    bounds, pos = [], 0
    for m in PARAGRAPH_BREAK.finditer(text):
        bounds.append((pos, m.start()))
        pos = m.end()
    bounds.append((pos, len(text.rstrip())))
    return [(s, e) for s, e in bounds if e > s]


def _words(text: str, open_: int, close: int, paragraphs: int) -> Marked | None:
    """The quoted words between two marks, without surrounding space or a trailing comma
    (the comma of “...,” he said belongs to the attribution)."""
    start, end = open_ + 1, close
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1] in TRAILING_JUNK:
        end -= 1
    return Marked(open_, close, start, end, paragraphs) if end > start else None


def _double_marks(text: str, para: tuple[int, int]) -> tuple[list[tuple[int, int]], int | None]:
    """Closed (open, close) pairs of double marks in a paragraph, and the offset of an
    opening mark left unclosed at its end (None when all closed)."""
    pairs: list[tuple[int, int]] = []
    open_: int | None = None
    start, end = para
    for m in DOUBLE_MARKS.finditer(text, start, end):
        ch, pos = m.group(), m.start()
        if ch == "“" or (ch == '"' and open_ is None and (pos == start or text[pos - 1] in OPENERS_BEFORE_STRAIGHT)):
            open_ = pos
        elif open_ is not None:
            pairs.append((open_, pos))
            open_ = None
    return pairs, open_


def find_marked(text: str) -> tuple[list[Marked], list[Marked]]:
    """Double-quoted spans (multi-paragraph aware) and single-quoted spans outside them.

    A paragraph that opens a mark without closing it continues into the next
    paragraph when that one opens with a mark again (the newspaper convention);
    otherwise the quote ends with its paragraph.
    """
    doubles: list[Marked] = []

    def emit(open_: int, close: int, paragraphs: int) -> None:
        marked = _words(text, open_, close, paragraphs)
        if marked:
            doubles.append(marked)

    paras = _paragraphs(text)
    pending: Marked | None = None
    for i, para in enumerate(paras):
        pairs, unclosed = _double_marks(text, para)
        if pending is not None:
            if pairs and pairs[0][0] == para[0]:
                emit(pending.open, pairs.pop(0)[1], pending.paragraphs + 1)
                pending = None
            elif unclosed == para[0]:
                pending.paragraphs += 1
                pending.close = para[1]
                unclosed = None
            else:
                emit(pending.open, pending.close, pending.paragraphs)
                pending = None
        for open_, close in pairs:
            emit(open_, close, 1)
        if unclosed is not None:
            pending = Marked(unclosed, para[1], unclosed + 1, para[1])
        nxt = paras[i + 1][0] if i + 1 < len(paras) else None
        if pending is not None and (nxt is None or text[nxt] not in "“\""):
            emit(pending.open, pending.close, pending.paragraphs)
            pending = None
    singles: list[Marked] = []
    for pattern in (SINGLE_CURLY, SINGLE_STRAIGHT):
        for m in pattern.finditer(text):
            if any(d.open <= m.start() < d.close for d in doubles):
                continue
            marked = _words(text, m.start(), m.end() - 1, 1)
            if marked:
                singles.append(marked)
    return doubles, singles


# ------------------------------------------------------------------ antecedents


@dataclass
class Candidate:
    """Someone a later pronoun may refer to."""

    pos: int
    speaker: Speaker
    gender: str  # male | female | any
    plural: bool
    subject: bool
    sent: int


@dataclass
class _Context:
    """Per-article lookups shared by every quote: entities by offset, quoted ranges,
    antecedent candidates."""

    doc: Doc
    text: str  # article.text (Doc.text rebuilds the string on every access)
    entities: list[EntityMention]
    rules: QuoteRules
    quoted: list[tuple[int, int]] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    ent_starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.ent_starts = [e.start for e in self.entities]

    def entity_at(self, start: int, end: int) -> EntityMention | None:
        """The mention overlapping [start, end), if any."""
        i = bisect.bisect_right(self.ent_starts, end - 1) - 1
        while i >= 0 and self.entities[i].end > start:
            if self.entities[i].start < end:
                return self.entities[i]
            i -= 1
        return None

    def in_quote(self, pos: int) -> bool:
        return any(s <= pos < e for s, e in self.quoted)


def _descriptor_span(tok: Token) -> Span:
    """The noun phrase of a descriptor head, cut before commas, relative clauses and
    appositions: "Residents of the republic, which is ..." -> "Residents of the republic"."""
    doc = tok.doc
    start = tok.left_edge.i
    end = tok.i + 1
    for child in tok.rights:
        if child.dep_ in DESCRIPTOR_STOP_DEPS:
            break
        end = child.right_edge.i + 1
    for i in range(tok.i + 1, end):
        if doc[i].text in ",;:(—–" or doc[i].text in "“”\"":
            end = i
            break
    return doc[start:end]


def _descriptor_name(span: Span) -> str:
    """Lower-case a leading determiner or number ("One woman" -> "one woman")."""
    first = span[0]
    if first.pos_ in ("DET", "NUM") and len(span) > 1:
        return first.text.lower() + span.text[len(first.text) :]
    return span.text


def _collect_candidates(ctx: _Context) -> None:
    """PERSON mentions and human descriptor subjects outside quotes, in text order."""
    rules = ctx.rules
    sent_starts = [s.start_char for s in ctx.doc.sents]
    for ent in ctx.entities:
        if ent.label == "PERSON" and not ctx.in_quote(ent.start):
            sent = bisect.bisect_right(sent_starts, ent.start) - 1
            tok = ctx.doc.char_span(ent.start, ent.end, alignment_mode="expand")
            subject = tok is not None and tok.root.dep_ in SUBJECT_DEPS
            speaker = Speaker(ent.canonical, ent.start, ent.end, ent.entity_id)
            ctx.candidates.append(Candidate(ent.start, speaker, "any", False, subject, sent))
    for tok in ctx.doc:
        if tok.dep_ not in SUBJECT_DEPS or tok.pos_ not in ("NOUN", "PROPN"):
            continue
        lower = tok.lower_
        if lower not in rules.heads or ctx.in_quote(tok.idx):
            continue
        span = _descriptor_span(tok)
        gender = "female" if lower in rules.heads_female else "male" if lower in rules.heads_male else "any"
        plural = lower in rules.plural_heads or tok.tag_ in ("NNS", "NNPS")
        speaker = Speaker(_descriptor_name(span), span.start_char, span.end_char, descriptor=True)
        sent = bisect.bisect_right(sent_starts, tok.idx) - 1
        ctx.candidates.append(Candidate(span.start_char, speaker, gender, plural, True, sent))
    ctx.candidates.sort(key=lambda c: c.pos)


def _antecedent(ctx: _Context, pos: int, pronoun: str) -> Speaker | None:
    """Nearest compatible candidate before ``pos``; a subject wins within its sentence."""
    rules = ctx.rules
    if pronoun in rules.plural:
        ok = lambda c: c.plural  # noqa: E731
    elif pronoun in rules.female:
        ok = lambda c: not c.plural and c.gender in ("female", "any")  # noqa: E731
    else:
        ok = lambda c: not c.plural and c.gender in ("male", "any")  # noqa: E731
    i = bisect.bisect_left([c.pos for c in ctx.candidates], pos)
    before = [c for c in ctx.candidates[:i] if ok(c)]
    if not before:
        return None
    last = before[-1]
    if last.subject:
        return last.speaker
    same = [c for c in before if c.sent == last.sent and c.subject]
    return (same[-1] if same else last).speaker


def _another(ctx: _Context, pos: int) -> Speaker | None:
    """"Another said ..." after "One woman in Grozny ..." -> "another woman in Grozny"."""
    previous = [c for c in ctx.candidates if c.pos < pos and c.speaker.descriptor]
    if not previous:
        return None
    prev = previous[-1].speaker
    words = prev.name.split(" ", 1)
    rest = words[1] if len(words) > 1 and words[0].lower() in ("one", "a", "an", "the") else prev.name
    return Speaker(f"another {rest}", prev.start, prev.end, descriptor=True)


def _resolve(ctx: _Context, tok: Token) -> Speaker | None:
    """A subject token as a Speaker: entity, pronoun antecedent or descriptor."""
    ent = ctx.entity_at(tok.idx, tok.idx + len(tok.text))
    if ent is not None and ent.label in SPEAKER_LABELS:
        return Speaker(ent.canonical, ent.start, ent.end, ent.entity_id)
    lower = tok.lower_
    rules = ctx.rules
    if lower in rules.male or lower in rules.female or lower in rules.plural:
        return _antecedent(ctx, tok.idx, lower)
    if lower in rules.another:
        return _another(ctx, tok.idx)
    if tok.pos_ in ("NOUN", "PROPN"):
        for child in tok.children:  # "The minister, Anna Berg, said" -> Anna Berg
            named = ctx.entity_at(child.idx, child.idx + len(child.text)) if child.dep_ == "appos" else None
            if named is not None and named.label == "PERSON":
                return Speaker(named.canonical, named.start, named.end, named.entity_id)
        span = _descriptor_span(tok)
        return Speaker(_descriptor_name(span), span.start_char, span.end_char, descriptor=True)
    return None


def _subject_of(verb: Token) -> Token | None:
    """The verb's subject, climbing from participles and conjuncts to the verb they
    hang on ("..., insisting:" -> the subject of "criticised")."""
    tok: Token | None = verb
    for _ in range(4):
        if tok is None:
            return None
        for child in tok.children:
            if child.dep_ in SUBJECT_DEPS:
                return child
        if tok.dep_ not in CLIMB_DEPS or tok.head is tok:
            return None
        tok = tok.head
    return None


# -------------------------------------------------------------- attribution


@dataclass
class Attribution:
    speaker: Speaker | None = None
    cue: str | None = None
    channel: str | None = None
    addressee: str | None = None


def _channel(ctx: _Context, start: int, end: int) -> str | None:
    """The medium named in text[start:end] ("on his Telegram channel" -> Telegram)."""
    text = ctx.text
    for pattern in ctx.rules.channel_patterns:
        for m in pattern.finditer(text, start, end):
            name = m.group("channel").rstrip(".")
            if name in ctx.rules.not_channels or not name:
                continue
            c_start = m.start("channel")
            ent = ctx.entity_at(c_start, c_start + len(name))
            if ent is not None and ent.label in NOT_CHANNEL_LABELS:
                continue
            return strip_article(ent.canonical if ent is not None and ent.label == "ORG" else name)
    return None


def _addressee(ctx: _Context, verb: Token, channel: str | None) -> str | None:
    """The object of an addressing verb when it is not the channel ("told reporters")."""
    if verb.lemma_ not in ctx.rules.addressee_verbs:
        return None
    for child in verb.children:
        if child.dep_ in ("dobj", "dative") and child.pos_ in ("NOUN", "PROPN", "PRON"):
            ent = ctx.entity_at(child.idx, child.idx + len(child.text))
            if ent is not None and (ent.label == "ORG" or strip_article(ent.canonical) == channel):
                continue
            if child.lower_ in ctx.rules.pronouns:
                continue
            return _descriptor_span(child).text
    return None


def _attribute(ctx: _Context, verb: Token, segments: list[tuple[int, int]]) -> Attribution:
    """Speaker, cue, channel and addressee of a speech verb; ``segments`` are the
    stretches of its sentence outside the quoted content, where channels are named."""
    subject = _subject_of(verb)
    speaker = _resolve(ctx, subject) if subject is not None else None
    channel = next((c for s, e in segments if (c := _channel(ctx, s, e))), None)
    return Attribution(speaker, verb.text.lower(), channel, _addressee(ctx, verb, channel))


def _is_cue(tok: Token, lemmas: frozenset[str]) -> bool:
    return tok.pos_ == "VERB" and tok.lemma_.lower() in lemmas


def _token_at(doc: Doc, offset: int) -> Token | None:
    span = doc.char_span(offset, offset + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def _attribution_after(ctx: _Context, marked: Marked) -> Attribution | None:
    """“...,” he said / “...,” said Kadyrov: a speech verb just after the close."""
    if marked.close >= len(ctx.text) or ctx.text[marked.close - 1 : marked.close] == ".":
        return None
    close_tok = _token_at(ctx.doc, marked.close)
    if close_tok is None:
        return None
    doc = ctx.doc
    i = close_tok.i + 1
    limit = min(len(doc), i + ctx.rules.max_trailer_distance)
    for j in range(i, limit):
        tok = doc[j]
        if tok.is_space and "\n" in tok.text or tok.text in ".?!“\"":
            return None
        if _is_cue(tok, ctx.rules.speech):
            sent_end = tok.sent.end_char
            return _attribute(ctx, tok, [(marked.close + 1, sent_end)])
    return None


def _attribution_before(ctx: _Context, marked: Marked) -> Attribution | None:
    """She said: “... / told the Guardian in March: “...: a speech verb in the lead-in."""
    open_tok = _token_at(ctx.doc, marked.open)
    if open_tok is None:
        return None
    sent = open_tok.sent
    lead = ctx.doc[sent.start : open_tok.i]
    if not len(lead) or lead[-1].text not in (":", ",") and not _is_cue(lead[-1], ctx.rules.speech):
        return None
    for tok in reversed(lead):
        if _is_cue(tok, ctx.rules.speech):
            return _attribute(ctx, tok, [(sent.start_char, marked.open)])
    return None


def _sentence_subject(ctx: _Context, pos: int) -> Speaker | None:
    """A partial quote's speaker: the subject of its sentence if it is someone, else
    the nearest person mentioned in the sentence."""
    tok = _token_at(ctx.doc, pos)
    if tok is None:
        return None
    sent = tok.sent
    subject = _subject_of(sent.root)
    if subject is not None and not ctx.in_quote(subject.idx):
        ent = ctx.entity_at(subject.idx, subject.idx + len(subject.text))
        lower = subject.lower_
        rules = ctx.rules
        if (ent is not None and ent.label == "PERSON") or lower in rules.pronouns:
            return _resolve(ctx, subject)
        if lower in rules.heads:
            return _resolve(ctx, subject)
    persons = [
        e for e in ctx.entities
        if e.label == "PERSON" and sent.start_char <= e.start < sent.end_char and not ctx.in_quote(e.start)
    ]
    if persons:
        nearest = min(persons, key=lambda e: abs(e.start - pos))
        return Speaker(nearest.canonical, nearest.start, nearest.end, nearest.entity_id)
    return None


def _kind(text: str, marked: Marked, max_partial_words: int) -> str:
    """Direct when the marks hold introduced or free-standing speech (after a colon or
    comma, at a sentence or paragraph start, over several paragraphs) or a long
    stretch; a short fragment inside a sentence is partial (a scare quote, a title)."""
    inner = text[marked.open + 1 : marked.close].strip()
    if marked.paragraphs > 1 or len(inner.split()) > max_partial_words:
        return "direct"
    before = text[: marked.open].rstrip(" \t")
    if not before or before[-1] in ":,\n.?!”\"":
        return "direct"
    return "partial"


def _is_human(ctx: _Context, tok: Token | None) -> bool:
    """Whether a subject can speak: a person or organisation, a pronoun, a descriptor
    head ("reports suggest" yes, "data suggest" no)."""
    if tok is None:
        return False
    ent = ctx.entity_at(tok.idx, tok.idx + len(tok.text))
    if ent is not None:
        return ent.label in ("PERSON", "ORG")
    rules = ctx.rules
    return tok.lower_ in rules.heads or tok.lower_ in rules.pronouns


def _reported(ctx: _Context, article: Article, direct: list[Quote]) -> list[Quote]:
    """X said (that) ...: a speech verb with a clausal complement outside quotes."""
    rules = ctx.rules
    found: list[Quote] = []
    text = article.text
    for tok in ctx.doc:
        if not _is_cue(tok, rules.reported) or ctx.in_quote(tok.idx):
            continue
        comp = next((c for c in tok.children if c.dep_ == "ccomp"), None)
        if comp is None or any(c.dep_ == "prep" and c.lower_ in rules.narrative_preps and c.i < comp.i for c in tok.children):
            continue  # "told of the upset ..." narrates, it reports no statement
        start_tok, end_tok = comp.left_edge.i, comp.right_edge.i + 1
        while start_tok < end_tok and ctx.doc[start_tok].dep_ == "mark":
            start_tok += 1
        while end_tok > start_tok and (ctx.doc[end_tok - 1].is_punct or ctx.doc[end_tok - 1].is_space):
            end_tok -= 1
        if end_tok - start_tok < MIN_REPORTED_TOKENS:
            continue
        span = ctx.doc[start_tok:end_tok]
        if any(q.start < span.end_char and span.start_char < q.end for q in direct):
            continue
        if tok.lemma_.lower() in rules.needs_human_subject and not _is_human(ctx, _subject_of(tok)):
            continue
        sent = tok.sent
        outside = [(sent.start_char, span.start_char), (span.end_char, sent.end_char)]
        attribution = _attribute(ctx, tok, outside)
        seg = text[span.start_char : span.end_char]
        found.append(
            Quote(
                start=span.start_char,
                end=span.end_char,
                text=seg,
                kind="reported",
                speaker=attribution.speaker,
                cue=attribution.cue,
                channel=attribution.channel,
                addressee=attribution.addressee,
                paragraphs=1 + len(PARAGRAPH_BREAK.findall(seg)),
            )
        )
    return found


def extract_quotes(doc: Doc, entities: list[EntityMention], article: Article) -> list[Quote]:
    """Direct, partial and reported quotes of ``article`` (``doc`` parses its text),
    in text order, offsets into ``article.text``."""
    rules = load_rules()
    text = article.text
    doubles, singles = find_marked(text)
    ctx = _Context(doc, text, entities, rules)
    ctx.quoted = [(m.open, m.close + 1) for m in doubles + singles]
    _collect_candidates(ctx)

    quotes: list[Quote] = []
    previous: Quote | None = None
    for marked in sorted(doubles + singles, key=lambda m: m.start):
        kind = _kind(text, marked, rules.max_partial_words)
        section = article.section_at(marked.start)
        attribution = Attribution()
        if kind == "direct":
            attribution = _attribution_after(ctx, marked) or _attribution_before(ctx, marked) or Attribution()
            if attribution.speaker is None and _continues(text, previous, marked):
                attribution.speaker = previous.speaker  # type: ignore[union-attr]
        elif section != "title":
            attribution.speaker = _sentence_subject(ctx, marked.start)
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
    quotes.extend(_reported(ctx, article, [q for q in quotes if q.kind == "direct"]))
    quotes.sort(key=lambda q: (q.start, q.end))
    return quotes


def _continues(text: str, previous: Quote | None, marked: Marked) -> bool:
    """An unattributed quote paragraph right after a quoted paragraph continues the
    same speaker (“...,” said X. / “More words.”): it must open its paragraph, and at
    most one paragraph break may separate it from the previous direct quote."""
    if previous is None:
        return False
    opens_paragraph = marked.open == 0 or text[: marked.open].endswith("\n")
    return opens_paragraph and len(PARAGRAPH_BREAK.findall(text, previous.end, marked.open)) <= 1
