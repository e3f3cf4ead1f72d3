"""Who speaks: a subject token as a person, organisation, descriptor ("one woman in
Grozny") or pronoun resolved to the nearest compatible antecedent before it; and the
speaker of a quote with no attribution of its own (the speech verb it hangs on, its
sentence's subject, or the stance verb of the sentence before it)."""

from __future__ import annotations

import bisect

from spacy.tokens import Span, Token

from newsdesk.analyze.attribution.context import Candidate, QuoteContext, token_at
from newsdesk.analyze.attribution.lexicon import is_cue, load_rules
from newsdesk.analyze.attribution.marks import Marked, opens_sentence
from newsdesk.model import EntityMention, Speaker

SPEAKER_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
STANCE_SPEAKER_LABELS = frozenset({"PERSON", "ORG", "NORP"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
CLIMB_DEPS = frozenset({"advcl", "xcomp", "conj", "ccomp", "pcomp", "acl", "acomp", "dep"})
# Quantities that stand for people ("Six in 10 said", "most said", "half say").
QUANTITY_POS = frozenset({"NUM", "ADJ", "DET", "PRON"})
DESCRIPTOR_STOP_DEPS = frozenset({"relcl", "appos", "acl", "punct", "cc", "conj"})


def descriptor_span(tok: Token) -> Span:
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
        if doc[i].text in ",;:(—–" or doc[i].text in '“”"':
            end = i
            break
    return doc[start:end]


def source_phrase(tok: Token, verb: Token | None = None) -> Span:
    """The source as the text writes it, appositions and asides included ("Paul Ryan,
    the House speaker," -> "Paul Ryan, the House speaker"): the subject's whole
    phrase, never reaching into quotation marks or its own verb, without the
    trailing comma or dash. The speaker is the resolved name; this is the span."""
    doc = tok.doc
    # A cue's subject may be one word of a name ("Brent" of "Brent Bozell III, founder
    # of ..."): the phrase is that of the name's head.
    ent = next((e for e in doc.ents if e.start <= tok.i < e.end), None)
    if ent is not None and ent.root.i != tok.i:
        tok = ent.root
    while tok.dep_ in ("compound", "flat") and tok.head.i > tok.i:
        tok = tok.head
    start, end = tok.left_edge.i, tok.right_edge.i + 1
    for stop in (tok.head if tok.head is not tok else None, verb):
        if stop is not None and start <= stop.i < end and stop.i != tok.i:
            end = stop.i if stop.i > tok.i else end
            start = stop.i + 1 if stop.i < tok.i else start
    i = tok.i + 1
    while i < end:
        if doc[i].text in '“”"':
            close = "”" if doc[i].text == "“" else '"'
            pair = next((k for k in range(i + 1, min(end, i + 8)) if doc[k].text == close), None)
            if doc[i].text == "”" or pair is None:
                end = i  # the quote itself, never part of its source
                break
            i = pair  # a name in marks inside the phrase: “Ted Cruz” campaign pins
        i += 1
    for i in range(tok.i - 1, start - 1, -1):
        if doc[i].text in '“”"':
            start = i + 1
            break
    while end - 1 > tok.i and doc[end - 1].is_punct and doc[end - 1].text not in ')”"':
        end -= 1
    return doc[start:end]


def _descriptor_name(span: Span) -> str:
    """Lower-case a leading determiner or number ("One woman" -> "one woman")."""
    first = span[0]
    if first.pos_ in ("DET", "NUM") and len(span) > 1:
        return first.text.lower() + span.text[len(first.text) :]
    return span.text


def appos_person(ctx: QuoteContext, tok: Token) -> Speaker | None:
    """The named person in apposition to a descriptor ("The minister, Anna Berg")."""
    for child in tok.children:
        if child.dep_ != "appos":
            continue
        named = ctx.entity_at(child.idx, child.idx + len(child.text))
        if named is not None and named.label == "PERSON":
            return Speaker(named.canonical, named.start, named.end, named.entity_id)
    return None


def _person_gender(ctx: QuoteContext, start: int, name: str = "") -> str:
    """ "Ms. Dravec" -> female, "Mr Hall" -> male, else the first name's usual gender
    ("Hillary Clinton" -> female, `descriptors.female_names`); "any" when unknown."""
    before = ctx.text[max(0, start - 8) : start].split()
    title = before[-1] if before else ""
    if title in ctx.rules.female_titles:
        return "female"
    if title in ctx.rules.male_titles:
        return "male"
    first = name.split()[0] if name.split() else ""
    if first in ctx.rules.female_names:
        return "female"
    if first in ctx.rules.male_names:
        return "male"
    return "any"


def _is_outlet_mention(ctx: QuoteContext, ent: EntityMention) -> bool:
    """ "the Herald", "the Gazette": a news outlet NER mistook for a person."""
    last = ent.text.split()[-1] if ent.text.split() else ""
    return last in ctx.rules.outlet_words and ctx.text[max(0, ent.start - 4) : ent.start].lower() == "the "


def collect_candidates(ctx: QuoteContext) -> None:
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
        span = descriptor_span(tok)
        descriptor_spans.append((span.start_char, span.end_char))
        gender = "female" if lower in rules.heads_female else "male" if lower in rules.heads_male else "any"
        plural = lower in rules.plural_heads or tok.tag_ in ("NNS", "NNPS")
        speaker = appos_person(ctx, tok) or Speaker(
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
        mention = ctx.doc.char_span(ent.start, ent.end, alignment_mode="expand")
        subject = mention is not None and mention.root.dep_ in SUBJECT_DEPS
        speaker = Speaker(ent.canonical, ent.start, ent.end, ent.entity_id)
        gender = _person_gender(ctx, ent.start, ent.canonical)
        ctx.candidates.append(Candidate(ent.start, speaker, gender, False, subject, sent))
    ctx.candidates.sort(key=lambda c: c.pos)


def _antecedent(ctx: QuoteContext, pos: int, pronoun: str) -> Speaker | None:
    """The current speaker of the discourse agreeing with the pronoun: the latest
    compatible candidate that is a grammatical subject (a speaker of "..., X said" is
    one), not merely the nearest name ("he said" after a paragraph about Della,
    where a historian was named in passing, is Della)."""
    rules = ctx.rules
    plural = pronoun in rules.plural
    genders = ("female", "any") if pronoun in rules.female else ("male", "any")

    def ok(candidate: Candidate) -> bool:
        return bool(candidate.plural) if plural else not candidate.plural and candidate.gender in genders

    i = bisect.bisect_left([c.pos for c in ctx.candidates], pos)
    before = [c for c in ctx.candidates[:i] if ok(c)]
    if not before:
        return None
    subjects = [c for c in before if c.subject]
    return (subjects[-1] if subjects else before[-1]).speaker


def _another(ctx: QuoteContext, pos: int) -> Speaker | None:
    """ "Another said ..." after "One woman in Grozny ..." -> "another woman in Grozny"."""
    previous = [c for c in ctx.candidates if c.pos < pos and c.speaker.descriptor]
    if not previous:
        return None
    prev = previous[-1].speaker
    words = prev.name.split(" ", 1)
    rest = words[1] if len(words) > 1 and words[0].lower() in ("one", "a", "an", "the") else prev.name
    return Speaker(f"another {rest}", prev.start, prev.end, descriptor=True)


def resolve(ctx: QuoteContext, tok: Token) -> Speaker | None:
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
    if lower in rules.writer_pronouns and not ctx.in_quote(tok.idx):
        # "I think", "we believe" in the narration: the writer, kept as written
        return Speaker(tok.text, tok.idx, tok.idx + len(tok.text), descriptor=True)
    if tok.pos_ in ("NOUN", "PROPN"):
        named = appos_person(ctx, tok)  # "The minister, Anna Berg, said" -> Anna Berg
        if named is not None:
            return named
        span = descriptor_span(tok)
        return Speaker(_descriptor_name(span), span.start_char, span.end_char, descriptor=True)
    if tok.pos_ in QUANTITY_POS and (tok.like_num or lower in ctx.rules.quantities):
        span = descriptor_span(tok)  # "Six in 10 voters", "most of them", "many"
        return Speaker(_descriptor_name(span), span.start_char, span.end_char, descriptor=True)
    return None


def _speaking_noun(tok: Token) -> bool:
    """A noun that can say something: a named person or group, or a people word
    ("voters", "officials"), not a document ("a statement saying ...")."""
    rules = load_rules()
    if tok.lemma_.lower() in rules.document_heads:
        return False
    return tok.ent_type_ in ("PERSON", "ORG", "NORP") or tok.lower_ in rules.heads


def subject_of(verb: Token) -> Token | None:
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
    for _ in range(5):
        if tok is None:
            return None
        subjects = [c for c in tok.children if c.dep_ in SUBJECT_DEPS]
        if subjects:
            # Two subjects is a misparse ("..., in Berea, OH, ..., Gov. John Kasich said"):
            # the one nearest the verb is its subject.
            verb_i = tok.i
            return min(subjects, key=lambda c: abs(c.i - verb_i))
        if tok.dep_ == "acl" and tok.tag_ == "VBG" and _speaking_noun(tok.head):
            return tok.head  # "voters saying they want ...": the noun does the saying
        if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ == "dobj" and tok.head is not tok:
            tok = tok.head  # "emailed supporters saying:": from the object to its verb
            continue
        if tok.dep_ not in CLIMB_DEPS or tok.head is tok:
            return None
        tok = tok.head
    return None


def _governing_speaker(ctx: QuoteContext, tok: Token) -> Speaker | None:
    """The subject of the nearest speech verb above a quoted word: "a spokeswoman
    called the accusations “politically motivated”" -> a spokeswoman, "He denied
    that his ministry had received “any formal warning”" -> he (not "ministry");
    a relative pronoun stands for its noun ("a report which describes “...”")."""
    head = tok
    for _ in range(12):
        if head.head is head:
            return None
        head = head.head
        if is_cue(head, ctx.rules.speech):
            subject = subject_of(head)
            if subject is None or ctx.in_quote(subject.idx):
                return None
            if subject.tag_ == "WDT" and head.dep_ == "relcl":
                subject = head.head
            return resolve(ctx, subject)
    return None


def governing_speaker(ctx: QuoteContext, pos: int) -> Speaker | None:
    """The subject of the speech verb the words at ``pos`` hang on, if any."""
    tok = token_at(ctx.doc, pos)
    return _governing_speaker(ctx, tok) if tok is not None else None


def sentence_subject(ctx: QuoteContext, pos: int) -> Speaker | None:
    """A partial quote's speaker: the subject of the speech verb it hangs on, else of
    its sentence if that is someone, else the nearest person in the sentence."""
    tok = token_at(ctx.doc, pos)
    if tok is None:
        return None
    governed = _governing_speaker(ctx, tok)
    if governed is not None:
        return governed
    sent = tok.sent
    subject = subject_of(sent.root)
    if subject is not None and not ctx.in_quote(subject.idx):
        ent = ctx.entity_at(subject.idx, subject.idx + len(subject.text))
        lower = subject.lower_
        rules = ctx.rules
        if (ent is not None and ent.label == "PERSON") or lower in rules.pronouns:
            return resolve(ctx, subject)
        if lower in rules.heads:
            return resolve(ctx, subject)
    persons = [
        e
        for e in ctx.entities
        if e.label == "PERSON" and sent.start_char <= e.start < sent.end_char and not ctx.in_quote(e.start)
    ]
    if persons:
        nearest = min(persons, key=lambda e: abs(e.start - pos))
        return Speaker(nearest.canonical, nearest.start, nearest.end, nearest.entity_id)
    return None


def stance_speaker(ctx: QuoteContext, marked: Marked) -> Speaker | None:
    """The speaker of a quote whose own sentence has no attribution, from the sentence
    just before it: "Vesna Koral accused the government of having ignored warnings.
    “Already last year ...”" -> Vesna Koral. Only when that sentence's main verb says
    or characterises speech (``stance`` in quotes.toml) and its subject is someone:
    a person, a descriptor or an organisation (NER often files names as ORG), never
    a place ("X visited the harbour. “The boats are gone.”" stays unattributed)."""
    text = ctx.text
    if not opens_sentence(text, marked.open):
        return None
    before = len(text[: marked.open].rstrip())
    if before == 0:
        return None
    tok = token_at(ctx.doc, before - 1)
    if tok is None or ctx.in_quote(tok.sent.root.idx):
        return None
    verb = tok.sent.root
    if verb.pos_ not in ("VERB", "AUX") or verb.lemma_.lower() not in ctx.rules.stance:
        return None
    subject = subject_of(verb)
    if subject is None or ctx.in_quote(subject.idx):
        return None
    ent = ctx.entity_at(subject.idx, subject.idx + len(subject.text))
    if ent is not None and ent.label not in STANCE_SPEAKER_LABELS:
        return None
    return resolve(ctx, subject)
