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
import dataclasses
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
INNER_SENTENCE_BREAK = re.compile(r"[.?!…][”\"’]?\s+\S")
TRAILING_JUNK = " \t\n,;:"
SPEAKER_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
NOT_CHANNEL_LABELS = frozenset({"PERSON", "GPE", "LOC", "NORP", "DATE"})
STANCE_SPEAKER_LABELS = frozenset({"PERSON", "ORG", "NORP"})
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
    max_embedded_partial_words: int
    stance: frozenset[str]
    female_titles: frozenset[str]
    male_titles: frozenset[str]
    outlet_words: frozenset[str]
    cut_deps: frozenset[str]
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
        max_embedded_partial_words=int(cfg["kinds"]["max_embedded_partial_words"]),
        stance=frozenset(cues["stance"]),
        female_titles=frozenset(desc["female_titles"]),
        male_titles=frozenset(desc["male_titles"]),
        outlet_words=frozenset(chan["outlet_words"]),
        cut_deps=frozenset(cfg["reported"]["cut_deps"]),
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


def _appos_person(ctx: _Context, tok: Token) -> Speaker | None:
    """The named person in apposition to a descriptor ("The minister, Anna Berg")."""
    for child in tok.children:
        if child.dep_ != "appos":
            continue
        named = ctx.entity_at(child.idx, child.idx + len(child.text))
        if named is not None and named.label == "PERSON":
            return Speaker(named.canonical, named.start, named.end, named.entity_id)
    return None


def _person_gender(ctx: _Context, start: int) -> str:
    """"Ms. Dravec" -> female, "Mr Hall" -> male; "any" without a title."""
    before = ctx.text[max(0, start - 8) : start].split()
    title = before[-1] if before else ""
    if title in ctx.rules.female_titles:
        return "female"
    if title in ctx.rules.male_titles:
        return "male"
    return "any"


def _is_outlet_mention(ctx: _Context, ent: EntityMention) -> bool:
    """"the Herald", "the Gazette": a news outlet NER mistook for a person."""
    last = ent.text.split()[-1] if ent.text.split() else ""
    return last in ctx.rules.outlet_words and ctx.text[max(0, ent.start - 4) : ent.start].lower() == "the "


def _collect_candidates(ctx: _Context) -> None:
    """Human descriptor subjects and PERSON mentions outside quotes, in text order.

    A PERSON mention inside a descriptor ("One shop owner on Millbank Street") is a
    place NER mislabelled, never the antecedent: the descriptor is. A descriptor with
    a named apposition ("The mayor, Ilinca Dravec") stands for the person.
    """
    rules = ctx.rules
    sent_starts = [s.start_char for s in ctx.doc.sents]
    descriptor_spans: list[tuple[int, int]] = []
    for tok in ctx.doc:
        if tok.dep_ not in SUBJECT_DEPS or tok.pos_ not in ("NOUN", "PROPN"):
            continue
        lower = tok.lower_
        if lower not in rules.heads or ctx.in_quote(tok.idx):
            continue
        span = _descriptor_span(tok)
        descriptor_spans.append((span.start_char, span.end_char))
        gender = "female" if lower in rules.heads_female else "male" if lower in rules.heads_male else "any"
        plural = lower in rules.plural_heads or tok.tag_ in ("NNS", "NNPS")
        speaker = _appos_person(ctx, tok) or Speaker(
            _descriptor_name(span), span.start_char, span.end_char, descriptor=True
        )
        sent = bisect.bisect_right(sent_starts, tok.idx) - 1
        ctx.candidates.append(Candidate(span.start_char, speaker, gender, plural, True, sent))
    for ent in ctx.entities:
        if ent.label != "PERSON" or ctx.in_quote(ent.start) or _is_outlet_mention(ctx, ent):
            continue
        if any(s < ent.start and ent.end <= e for s, e in descriptor_spans):
            continue
        sent = bisect.bisect_right(sent_starts, ent.start) - 1
        tok = ctx.doc.char_span(ent.start, ent.end, alignment_mode="expand")
        subject = tok is not None and tok.root.dep_ in SUBJECT_DEPS
        speaker = Speaker(ent.canonical, ent.start, ent.end, ent.entity_id)
        gender = _person_gender(ctx, ent.start)
        ctx.candidates.append(Candidate(ent.start, speaker, gender, False, subject, sent))
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
        named = _appos_person(ctx, tok)  # "The minister, Anna Berg, said" -> Anna Berg
        if named is not None:
            return named
        span = _descriptor_span(tok)
        return Speaker(_descriptor_name(span), span.start_char, span.end_char, descriptor=True)
    return None


def _subject_of(verb: Token) -> Token | None:
    """The verb's subject, climbing from participles and conjuncts to the verb they
    hang on ("..., insisting:" -> the subject of "criticised").

    A participle or second verb the parser hung inside a reported clause belongs to
    the reporting verb: in "X denied that it had been warned, saying ..." and "X said
    that the dam had been inspected and called ..." the saying and calling are X's."""
    tok: Token | None = verb
    head = verb.head
    if head.dep_ == "ccomp" and head.head is not head and not any(c.dep_ in SUBJECT_DEPS for c in verb.children):
        gerund = verb.tag_ == "VBG" and verb.dep_ == "advcl"
        inner = next((c for c in head.children if c.dep_ in SUBJECT_DEPS), None)
        passive_or_thing = inner is None or inner.dep_ == "nsubjpass" or inner.pos_ not in ("PROPN", "PRON")
        if gerund or (verb.dep_ == "conj" and passive_or_thing):
            tok = head.head
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


@dataclass(frozen=True)
class Channel:
    """A medium and where the text names it (so the addressee can skip it)."""

    name: str
    start: int
    end: int


def _channel(ctx: _Context, start: int, end: int) -> Channel | None:
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


def _addressee(ctx: _Context, verb: Token, channel: Channel | None) -> str | None:
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
            return _descriptor_span(child).text
    return None


def _attribute(ctx: _Context, verb: Token, segments: list[tuple[int, int]]) -> Attribution:
    """Speaker, cue, channel and addressee of a speech verb; ``segments`` are the
    stretches of its sentence outside the quoted content, where channels are named."""
    subject = _subject_of(verb)
    speaker = _resolve(ctx, subject) if subject is not None else None
    channel = next((c for s, e in segments if (c := _channel(ctx, s, e))), None)
    return Attribution(speaker, verb.text.lower(), channel.name if channel else None, _addressee(ctx, verb, channel))


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


def _governing_speaker(ctx: _Context, tok: Token) -> Speaker | None:
    """The subject of the nearest speech verb above a quoted word: "a spokeswoman
    called the accusations “politically motivated”" -> a spokeswoman, "He denied
    that his ministry had received “any formal warning”" -> he (not "ministry");
    a relative pronoun stands for its noun ("a report which describes “...”")."""
    head = tok
    for _ in range(12):
        if head.head is head:
            return None
        head = head.head
        if _is_cue(head, ctx.rules.speech):
            subject = _subject_of(head)
            if subject is None or ctx.in_quote(subject.idx):
                return None
            if subject.tag_ == "WDT" and head.dep_ == "relcl":
                subject = head.head
            return _resolve(ctx, subject)
    return None


def _sentence_subject(ctx: _Context, pos: int) -> Speaker | None:
    """A partial quote's speaker: the subject of the speech verb it hangs on, else of
    its sentence if that is someone, else the nearest person in the sentence."""
    tok = _token_at(ctx.doc, pos)
    if tok is None:
        return None
    governed = _governing_speaker(ctx, tok)
    if governed is not None:
        return governed
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


def _kind(ctx: _Context, marked: Marked) -> str:
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
    prev = _token_at(ctx.doc, len(before) - 1)
    if prev is not None and _is_cue(prev, rules.speech):
        return "direct"  # said “we will ...” without a comma introduces speech
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


def _trim_end(doc: Doc, start_tok: int, end_tok: int) -> int:
    """Drop trailing punctuation, space and a dangling conjunction."""
    while end_tok > start_tok and (
        doc[end_tok - 1].is_punct or doc[end_tok - 1].is_space or doc[end_tok - 1].dep_ == "cc"
    ):
        end_tok -= 1
    return end_tok


def _clause_end(ctx: _Context, comp: Token) -> int:
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


def _pair_marks(ctx: _Context, span: Span) -> int:
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
        if any(c.dep_ == "neg" for c in tok.children):
            continue  # "has not yet said how much ..." reports that nothing was said
        start_tok, end_tok = comp.left_edge.i, _clause_end(ctx, comp)
        while start_tok < end_tok and ctx.doc[start_tok].dep_ == "mark":
            start_tok += 1
        end_tok = _trim_end(ctx.doc, start_tok, end_tok)
        if end_tok - start_tok < MIN_REPORTED_TOKENS:
            continue
        span = ctx.doc[start_tok:end_tok]
        if any(q.start < span.end_char and span.start_char < q.end for q in direct):
            continue
        if tok.lemma_.lower() in rules.needs_human_subject and not _is_human(ctx, _subject_of(tok)):
            continue
        seg_start, seg_end = span.start_char, _pair_marks(ctx, span)
        if seg_end <= seg_start:
            continue
        sent = tok.sent
        outside = [(sent.start_char, seg_start), (seg_end, sent.end_char)]
        attribution = _attribute(ctx, tok, outside)
        seg = text[seg_start:seg_end]
        found.append(
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
        kind = _kind(ctx, marked)
        section = article.section_at(marked.start)
        attribution = Attribution()
        if kind == "direct":
            attribution = _attribution_after(ctx, marked) or _attribution_before(ctx, marked) or Attribution()
            if attribution.speaker is None and section != "title":
                if previous is not None and _continues(text, previous, marked):
                    attribution.speaker = previous.speaker
                else:
                    attribution.speaker = _stance_speaker(ctx, marked)
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
    return _speaker_from_previous_paragraph(ctx, article, quotes)


def _opens_sentence(text: str, pos: int) -> bool:
    before = text[:pos].rstrip(" \t")
    return not before or before[-1] in "\n.?!…"


def _continues(text: str, previous: Quote, marked: Marked) -> bool:
    """An unattributed quote right after an attributed one continues its speaker (the
    newspaper convention): “...,” said X. / “More words.” in the next paragraph (at
    most one paragraph break between), or in the same paragraph once the attribution
    sentence has ended ("The priority is simple," Ms. Dravec said. "Get people out ...")."""
    if previous.speaker is None or not _opens_sentence(text, marked.open):
        return False
    opens_paragraph = marked.open == 0 or text[: marked.open].endswith("\n")
    breaks = len(PARAGRAPH_BREAK.findall(text, previous.end, marked.open))
    return breaks == 0 or (opens_paragraph and breaks <= 1)


def _stance_speaker(ctx: _Context, marked: Marked) -> Speaker | None:
    """The speaker of a quote whose own sentence has no attribution, from the sentence
    just before it: "Vesna Koral accused the government of having ignored warnings.
    “Already last year ...”" -> Vesna Koral. Only when that sentence's main verb says
    or characterises speech (``stance`` in quotes.toml) and its subject is someone:
    a person, a descriptor or an organisation (NER often files names as ORG), never
    a place."""
    text = ctx.text
    if not _opens_sentence(text, marked.open):
        return None
    before = len(text[: marked.open].rstrip())
    if before == 0:
        return None
    tok = _token_at(ctx.doc, before - 1)
    if tok is None or ctx.in_quote(tok.sent.root.idx):
        return None
    verb = tok.sent.root
    if verb.pos_ not in ("VERB", "AUX") or verb.lemma_.lower() not in ctx.rules.stance:
        return None
    subject = _subject_of(verb)
    if subject is None or ctx.in_quote(subject.idx):
        return None
    ent = ctx.entity_at(subject.idx, subject.idx + len(subject.text))
    if ent is not None and ent.label not in STANCE_SPEAKER_LABELS:
        return None
    return _resolve(ctx, subject)


def _speaker_from_previous_paragraph(ctx: _Context, article: Article, quotes: list[Quote]) -> list[Quote]:
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


def _last_speaker_before(ctx: _Context, quotes: list[Quote], pos: int) -> Speaker | None:
    """The speaker of the last attributed quote in the final sentence of the paragraph
    that ends just before ``pos`` (None when that sentence reports no one)."""
    prev_end = len(ctx.text[:pos].rstrip())
    if prev_end == 0 or PARAGRAPH_BREAK.search(ctx.text, prev_end, pos) is None:
        return None
    tok = _token_at(ctx.doc, prev_end - 1)
    if tok is None:
        return None
    sent = tok.sent
    inside = [q for q in quotes if q.speaker is not None and sent.start_char <= q.start < sent.end_char]
    return inside[-1].speaker if inside else None
