"""Claims: one record per statement sentence, saying who stands behind it and how firmly.

Why this stage exists: a fact-checker comparing outlets must know whether a sentence is
the outlet's own assertion, words it passes on from a named person, something it leans
on anonymous "reports" for, a hedge ("appears to", "could"), or a denial. Those labels
come from the dependency parse, not from substring matching: a cue only counts when it
hangs off the sentence's main predicate chain, so "possible routes" (an adjective on a
noun) or "as the name suggests" (a side clause) do not hedge a sentence, and a "could"
inside somebody's quote is that speaker's hedge, not the outlet's.

The lexicons live in ``newsdesk/data/claims.toml`` and are loaded once; the one
multi-word matcher (anonymity phrases) is built once per spaCy ``Vocab`` and run once
per document. Everything else is a single pass over the sentences of the parse the
pipeline already made: no re-parsing. Labels, cues and limits: ``docs/claims.md``.
"""

from __future__ import annotations

import bisect
import itertools
import re
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from newsdesk.model import Article, Certainty, Claim, EntityMention, Quote, SourceKind

__all__ = ["ClaimLexicon", "extract_claims", "load_lexicon"]

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})
CLAUSE_DEPS = ("ccomp", "parataxis")
OBJECT_DEPS = frozenset({"dobj", "attr", "oprd", "acomp"})
PREDICATE_AUX_DEPS = frozenset({"aux", "auxpass", "neg"})
VERBAL_POS = frozenset({"VERB", "AUX"})
# Quote kinds whose words are the speaker's own (a hedge inside them is the speaker's).
VERBATIM_KINDS = frozenset({"direct", "partial"})
# Tokens that may follow a question mark at the end of a sentence.
CLOSING_MARKS = frozenset({"”", "’", '"', "'", ")", "»"})


def _words(table: dict, key: str) -> frozenset[str]:
    return frozenset(word.lower() for word in table.get(key, ()))


@dataclass(frozen=True)
class ClaimLexicon:
    """The cue lists of ``claims.toml``, as frozensets of lower-case lemmas."""

    outlet_unknown: str
    unnamed_reports: str
    unattributed_quote: str
    hedge_modals: frozenset[str]
    negated_not_hedge: frozenset[str]
    hedge_adverbs: frozenset[str]
    raising_verbs: frozenset[str]
    clausal_hedge_verbs: frozenset[str]
    hedge_passive_verbs: frozenset[str]
    hedge_adjectives: frozenset[str]
    opinion_verbs: frozenset[str]
    reporting_verbs: frozenset[str]
    prep_reporting_verbs: frozenset[str]
    reporting_preps: frozenset[str]
    unnamed_passive_verbs: frozenset[str]
    hedging_unnamed_passive_verbs: frozenset[str]
    unnamed_adverbs: frozenset[str]
    unnamed_nouns: frozenset[str]
    anonymity_phrases: tuple[str, ...]
    denial_verbs: frozenset[str]
    denial_object_verbs: frozenset[str]
    denial_objects: frozenset[str]
    truth_adjectives: frozenset[str]
    falsity_words: frozenset[str]
    negative_determiners: frozenset[str]
    personal_pronouns: frozenset[str]
    headline_pairs: tuple[tuple[str, str], ...]
    headline_min_words: int
    quote_mark_pattern: re.Pattern[str]

    @classmethod
    def from_toml(cls, data: dict) -> ClaimLexicon:
        labels, hedge, rep = data["labels"], data["hedge"], data["reporting"]
        unnamed, denial, neg, head = data["unnamed"], data["denial"], data["negation"], data["headline"]
        return cls(
            outlet_unknown=labels["outlet_unknown"],
            unnamed_reports=labels["unnamed_reports"],
            unattributed_quote=labels["unattributed_quote"],
            hedge_modals=_words(hedge, "modals"),
            negated_not_hedge=_words(hedge, "negated_not_hedge"),
            hedge_adverbs=_words(hedge, "adverbs"),
            raising_verbs=_words(hedge, "raising_verbs"),
            clausal_hedge_verbs=_words(hedge, "clausal_verbs"),
            hedge_passive_verbs=_words(hedge, "passive_verbs"),
            hedge_adjectives=_words(hedge, "adjectives"),
            opinion_verbs=_words(hedge, "opinion_verbs"),
            reporting_verbs=_words(rep, "verbs"),
            prep_reporting_verbs=_words(rep, "prep_verbs"),
            reporting_preps=_words(rep, "preps"),
            unnamed_passive_verbs=_words(unnamed, "passive_verbs"),
            hedging_unnamed_passive_verbs=_words(unnamed, "hedging_passive_verbs"),
            unnamed_adverbs=_words(unnamed, "adverbs"),
            unnamed_nouns=_words(unnamed, "nouns"),
            anonymity_phrases=tuple(p.lower() for p in unnamed.get("phrases", ())),
            denial_verbs=_words(denial, "verbs"),
            denial_object_verbs=_words(denial, "object_verbs"),
            denial_objects=_words(denial, "objects"),
            truth_adjectives=_words(denial, "truth_adjectives"),
            falsity_words=_words(denial, "falsity_words"),
            negative_determiners=_words(neg, "determiners"),
            personal_pronouns=_words(neg, "personal_pronouns"),
            headline_pairs=tuple((str(a), str(b)) for a, b in head["pairs"]),
            headline_min_words=int(head["min_words"]),
            quote_mark_pattern=re.compile("|".join(data["quote_marks"]["patterns"])),
        )

    @cached_property
    def attributing_verbs(self) -> frozenset[str]:
        """Every verb that can hand a sentence to its subject."""
        return (
            self.reporting_verbs | self.opinion_verbs | self.clausal_hedge_verbs
            | self.denial_verbs | self.denial_object_verbs
        )


@cache
def load_lexicon() -> ClaimLexicon:
    """Read ``newsdesk/data/claims.toml`` once per process."""
    text = resources.files("newsdesk").joinpath("data", "claims.toml").read_text(encoding="utf-8")
    return ClaimLexicon.from_toml(tomllib.loads(text))


# One PhraseMatcher per Vocab (the Vocab is kept alive next to it so its id is not reused).
_ANONYMITY_MATCHERS: dict[int, tuple[Vocab, PhraseMatcher]] = {}


def _anonymity_matcher(vocab: Vocab, lex: ClaimLexicon) -> PhraseMatcher:
    cached = _ANONYMITY_MATCHERS.get(id(vocab))
    if cached is not None and cached[0] is vocab:
        return cached[1]
    matcher = PhraseMatcher(vocab, attr="LOWER")
    matcher.add("ANONYMOUS", [Doc(vocab, words=phrase.split()) for phrase in lex.anonymity_phrases])
    _ANONYMITY_MATCHERS[id(vocab)] = (vocab, matcher)
    return matcher


@dataclass
class _Attribution:
    """Who a sentence is handed to by its own grammar, and the clause they are credited with."""

    source: str
    kind: SourceKind
    content: Token
    cues: list[str] = field(default_factory=list)
    hedged: bool = False
    denied: bool = False


class _ClaimReader:
    """Per-document state: entity and quote indexes, the last named speaker (for "he said")."""

    def __init__(
        self,
        doc: Doc,
        quotes: Sequence[Quote],
        entities: Sequence[EntityMention],
        article: Article,
        lex: ClaimLexicon,
    ) -> None:
        self.doc = doc
        self.article = article
        self.text = article.text  # equal to doc.text, which would be rebuilt on every access
        self.lex = lex
        self.outlet = article.outlet or lex.outlet_unknown
        self.canonical_entities = bool(entities)
        if not entities:  # before the entities stage ran: spaCy's own mentions, uncanonicalised
            entities = [
                EntityMention(e.start_char, e.end_char, e.text, e.label_, e.text, e.text) for e in doc.ents
            ]
        self.entities = sorted(entities, key=lambda e: e.start)
        self.entity_starts = [e.start for e in self.entities]
        self.quotes = sorted(quotes, key=lambda q: q.start)
        # Verbatim stretches: the quotes stage's direct/partial quotes plus every
        # stretch between double quotation marks (so the parse-only path still knows
        # whose "could" it is). A mark stretch remembers the source of its first sentence.
        self.mark_spans = [(m.start() + 1, m.end() - 1) for m in lex.quote_mark_pattern.finditer(self.text)]
        self.mark_starts = [start for start, _ in self.mark_spans]
        self.mark_sources: dict[int, tuple[str, SourceKind]] = {}
        spans = sorted([(q.start, q.end) for q in self.quotes if q.kind in VERBATIM_KINDS] + self.mark_spans)
        self.verbatim_starts = [start for start, _ in spans]
        self.verbatim_ends = list(itertools.accumulate((end for _, end in spans), max))
        matcher = _anonymity_matcher(doc.vocab, lex)
        self.anonymous_tokens: set[int] = set()
        for _, start, end in matcher(doc):
            self.anonymous_tokens.update(range(start, end))
        self.last_speaker: str | None = None
        # "according to X" can hang anywhere in a sentence: index it once (a vectorised
        # scan of the LOWER column, not a Python loop over tokens).
        self.according: list[int] = []
        if len(doc):
            lower = doc.to_array("LOWER")
            self.according = [int(i) for i in (lower == doc.vocab.strings["according"]).nonzero()[0]]

    # ---- lookups -------------------------------------------------------------------
    def in_verbatim_quote(self, offset: int) -> bool:
        """True when a character offset lies inside quoted words (a running maximum of
        the ends makes this one bisect)."""
        i = bisect.bisect_right(self.verbatim_starts, offset) - 1
        return i >= 0 and self.verbatim_ends[i] > offset

    def according_tokens(self, span: Span) -> list[Token]:
        i = bisect.bisect_left(self.according, span.start)
        found = []
        while i < len(self.according) and self.according[i] < span.end:
            found.append(span.doc[self.according[i]])
            i += 1
        return found

    def mark_span_at(self, offset: int) -> tuple[int, int] | None:
        i = bisect.bisect_right(self.mark_starts, offset) - 1
        if i >= 0 and self.mark_spans[i][1] > offset:
            return self.mark_spans[i]
        return None

    def entity_at(self, offset: int) -> EntityMention | None:
        i = bisect.bisect_right(self.entity_starts, offset) - 1
        if i >= 0 and self.entities[i].end > offset:
            return self.entities[i]
        return None

    def person_before(self, offset: int) -> EntityMention | None:
        i = bisect.bisect_left(self.entity_starts, offset) - 1
        while i >= 0:
            if self.entities[i].label == "PERSON":
                return self.entities[i]
            i -= 1
        return None

    def speaking_quote(self, start: int, end: int) -> Quote | None:
        """The direct or reported quote that overlaps the sentence most (partial quotes
        of a word or two do not make a sentence somebody else's)."""
        best, best_overlap = None, 0
        for quote in self.quotes:
            if quote.start >= end:
                break
            overlap = min(end, quote.end) - max(start, quote.start)
            if overlap > best_overlap and quote.kind != "partial":
                best, best_overlap = quote, overlap
        return best

    def _mark_spans_between(self, start: int, end: int) -> list[tuple[int, int]]:
        i = bisect.bisect_left(self.mark_starts, start)
        found = []
        while i < len(self.mark_spans) and self.mark_spans[i][0] < end:
            found.append(self.mark_spans[i])
            i += 1
        return found

    # ---- sources -------------------------------------------------------------------
    def source_from_subject(self, subj: Token) -> tuple[str, SourceKind, list[str]]:
        """Name the source a grammatical subject stands for, and whether it is anonymous."""
        lex = self.lex
        if subj.lower_ in lex.personal_pronouns:
            if self.last_speaker:
                return self.last_speaker, "speaker", [f"pronoun:{subj.lower_}"]
            person = self.person_before(subj.idx)
            if person is not None:
                return person.canonical, "speaker", [f"pronoun:{subj.lower_}"]
            return subj.text, "speaker", [f"pronoun-unresolved:{subj.lower_}"]
        phrase = _noun_phrase(subj, with_modifier=True)
        anonymous = any(t.i in self.anonymous_tokens for t in subj.subtree)
        if subj.lemma_.lower() in lex.unnamed_nouns or anonymous:
            if not anonymous and _noun_phrase(subj, with_modifier=False).lower() == subj.lower_:
                return f"unnamed {subj.lower_}", "unnamed", [f"unnamed:{subj.lower_}"]
            return phrase, "unnamed", [f"unnamed:{subj.lower_}"]
        mention = self.entity_at(subj.idx)
        if mention is not None:
            if self.canonical_entities:
                return mention.canonical, "speaker", []
            return _proper_name(subj), "speaker", []
        if subj.pos_ == "PROPN":
            return phrase, "speaker", []
        return phrase, "speaker", ["descriptor"]

    def source_from_quote(self, quote: Quote) -> tuple[str, SourceKind, list[str]]:
        cues = [f"quote:{quote.kind}"]
        speaker = quote.speaker
        if speaker is None:
            return self.lex.unattributed_quote, "unnamed", cues
        words = speaker.name.lower().split()
        last_word = words[-1] if words else ""
        if last_word in self.lex.unnamed_nouns or last_word.removesuffix("s") in self.lex.unnamed_nouns:
            name = f"unnamed {last_word}" if len(words) == 1 else speaker.name
            return name, "unnamed", cues
        if speaker.descriptor:
            cues.append("descriptor")
        return speaker.name, "speaker", cues

    # ---- the grammar of attribution ------------------------------------------------
    def attribution(self, span: Span, root: Token) -> _Attribution | None:
        """Find the grammatical source: "X said that", "it is reported that",
        "they are understood to", "according to X"."""
        lex = self.lex
        lemma = root.lemma_.lower()
        children = list(root.children)
        clause = next((c for c in children if c.dep_ in CLAUSE_DEPS), None)
        xcomp = next((c for c in children if c.dep_ == "xcomp"), None)
        subj = next((c for c in children if c.dep_ in SUBJECT_DEPS and span.start <= c.i < span.end), None)
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in children)

        if passive and lemma in lex.unnamed_passive_verbs and (clause or xcomp):
            content = clause or xcomp
            agent = next((c for c in children if c.dep_ == "agent"), None)
            pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
            hedged = lemma in lex.hedging_unnamed_passive_verbs
            cues = [f"hedge:{lemma}"] if hedged else []
            if pobj is not None:
                source, kind, more = self.source_from_subject(pobj)
                return _Attribution(source, kind, content, [f"attribution:{lemma}", *more, *cues], hedged)
            return _Attribution(lex.unnamed_reports, "unnamed", content, [f"unnamed:{lemma}", *cues], hedged)

        if subj is not None and subj.dep_ == "nsubj" and lemma in lex.attributing_verbs:
            content = self._reported_content(root, lemma, children, clause)
            if content is not None:
                source, kind, cues = self.source_from_subject(subj)
                attribution = _Attribution(source, kind, content, [f"attribution:{lemma}", *cues])
                if lemma in lex.opinion_verbs or (lemma in lex.clausal_hedge_verbs and clause is not None):
                    attribution.hedged = True
                    attribution.cues.append(f"hedge:{lemma}")
                denial = self._denial(root, lemma, children, content)
                if denial:
                    attribution.denied = True
                    attribution.cues.append(denial)
                return attribution

        if subj is not None and subj.dep_ == "nsubj":
            # "He criticised the Kremlin, insisting: '...'": speech in a side clause
            # still makes the sentence carry the subject's words.
            for side in children:
                if side.dep_ == "advcl" and side.lemma_.lower() in lex.reporting_verbs:
                    said = next((c for c in side.children if c.dep_ in CLAUSE_DEPS), None)
                    if said is not None and self.in_verbatim_quote(said.idx):
                        source, kind, cues = self.source_from_subject(subj)
                        return _Attribution(source, kind, root, [f"attribution:{side.lemma_.lower()}", *cues])

        for token in self.according_tokens(span):
            to = next((c for c in token.children if c.lower_ == "to"), None)
            pobj = next((c for c in to.children if c.dep_ == "pobj"), None) if to else None
            if pobj is not None:
                source, kind, cues = self.source_from_subject(pobj)
                return _Attribution(source, kind, root, ["attribution:according to", *cues])
        return None

    def _reported_content(
        self, root: Token, lemma: str, children: list[Token], clause: Token | None
    ) -> Token | None:
        """The clause a reporting verb hands to its subject, or None when the verb has a
        plain object ("announced partial mobilization" stays the outlet's)."""
        lex = self.lex
        if clause is not None:
            return clause
        if lemma in lex.opinion_verbs:
            xcomp = next((c for c in children if c.dep_ == "xcomp"), None)
            if xcomp is not None:
                return xcomp
        if lemma in lex.prep_reporting_verbs:
            if any(c.dep_ == "prep" and c.lower_ in lex.reporting_preps for c in children):
                return root
        if lemma in lex.denial_verbs or lemma in lex.denial_object_verbs:
            obj = next((c for c in children if c.dep_ == "dobj"), None)
            if obj is not None and (lemma in lex.denial_verbs or obj.lemma_.lower() in lex.denial_objects):
                inner = next((c for c in obj.children if c.dep_ in ("acl", "ccomp", "relcl")), None)
                return inner if inner is not None else root
        return None

    def _denial(self, root: Token, lemma: str, children: list[Token], content: Token) -> str | None:
        """A denial cue: a denying verb, or a reported clause saying "not true"/"false"."""
        lex = self.lex
        if lemma in lex.denial_verbs:
            return f"denial:{lemma}"
        if lemma in lex.denial_object_verbs and content is not root:
            return f"denial:{lemma}"
        if lemma in lex.denial_object_verbs and any(
            c.dep_ == "dobj" and c.lemma_.lower() in lex.denial_objects for c in children
        ):
            return f"denial:{lemma}"
        if content is root:
            return None
        negated = any(c.dep_ == "neg" for c in content.children)
        for child in content.children:
            if child.dep_ not in ("acomp", "attr"):
                continue
            word = child.lemma_.lower()
            if word in lex.falsity_words:
                return f"denial:{word}"
            if negated and word in lex.truth_adjectives:
                return f"denial:not {word}"
        return None

    # ---- hedges and polarity -------------------------------------------------------
    def hedges(self, chain: list[Token]) -> tuple[list[str], list[str], bool]:
        """Hedge cues on the predicate chain: (narration cues, in-quote cues, unnamed?).

        A cue inside a direct or partial quote is the speaker's, so it is reported as
        ``hedge-in-quote`` and does not make the claim hedged."""
        lex = self.lex
        found: list[tuple[Token, str]] = []
        unnamed = False
        for verb in chain:
            lemma = verb.lemma_.lower()
            deps = {c.dep_ for c in verb.children}
            if lemma in lex.raising_verbs and deps & {"xcomp", "ccomp"}:
                found.append((verb, lemma))
            if lemma in lex.clausal_hedge_verbs and "ccomp" in deps:
                found.append((verb, lemma))
            if lemma in lex.hedge_passive_verbs and deps & {"auxpass", "nsubjpass"}:
                found.append((verb, lemma))
            for child in verb.children:
                word = child.lower_
                if child.dep_ == "aux" and word in lex.hedge_modals:
                    if not (word in lex.negated_not_hedge and "neg" in deps):
                        found.append((child, word))
                elif child.dep_ == "advmod" and word in lex.unnamed_adverbs:
                    found.append((child, word))
                    unnamed = unnamed or not self.in_verbatim_quote(child.idx)
                elif child.dep_ == "advmod" and word in lex.hedge_adverbs:
                    found.append((child, word))
                elif child.dep_ == "acomp" and child.lemma_.lower() in lex.hedge_adjectives:
                    found.append((child, child.lemma_.lower()))
        narration, quoted = [], []
        for token, word in found:
            (quoted if self.in_verbatim_quote(token.idx) else narration).append(word)
        return narration, quoted, unnamed

    def negated(self, chain: list[Token]) -> bool:
        """Polarity: a "not"/"never" on the predicate or a "no" on its subject or object."""
        for verb in chain:
            for child in verb.children:
                if child.dep_ == "neg":
                    return True
                if child.dep_ in SUBJECT_DEPS or child.dep_ in OBJECT_DEPS:
                    if any(d.dep_ == "det" and d.lower_ in self.lex.negative_determiners for d in child.children):
                        return True
        return False

    def headline_quote(self, span: Span) -> str | None:
        """Quoted words in a headline: the outlet signals it does not vouch for them."""
        if self.article.section_at(span.start_char) != "title":
            return None
        for open_mark, close_mark in self.lex.headline_pairs:
            opened: int | None = None
            for token in span:
                if opened is None and token.text == open_mark:
                    opened = token.i
                elif opened is not None and token.text == close_mark:
                    words = [t for t in span.doc[opened + 1 : token.i] if t.is_alpha]
                    if len(words) >= self.lex.headline_min_words:
                        return " ".join(t.text for t in words)
                    opened = None
        return None

    # ---- one sentence --------------------------------------------------------------
    def read(self, span: Span) -> Claim:
        start, end = span.start_char, span.end_char
        root = span.root
        cues: list[str] = []
        attributed = False
        source, kind = self.outlet, "outlet"
        attribution = self.attribution(span, root)
        content = attribution.content if attribution else root

        quote = self.speaking_quote(start, end)
        if quote is not None and quote.speaker is None and attribution is not None:
            quote = None  # "It is reported that ...": the grammar names the source better
        if quote is not None:
            source, kind, cues = self.source_from_quote(quote)
            attributed = True
            if attribution is not None:
                cues.append(next(iter(attribution.cues), "attribution"))
        elif attribution is not None:
            source, kind, cues = attribution.source, attribution.kind, list(attribution.cues)
            attributed = True
        if any(q.kind == "partial" and q.start < end and q.end > start for q in self.quotes):
            cues.append("partial-quote")
        marked = self.mark_span_at(root.idx)
        if marked is not None and not attributed:
            # Inside quotation marks with no speaker of its own: the speaker of the
            # sentence that opened the quote, or nobody we can name.
            source, kind = self.mark_sources.get(marked[0], (self.lex.unattributed_quote, "unnamed"))
            attributed = True
            cues.append("quote-marks")
        elif attributed:
            for stretch in self._mark_spans_between(start, end):
                self.mark_sources.setdefault(stretch[0], (source, kind))

        content_chain = _verb_chain(content)
        chain = content_chain if content is root else _unique_tokens(_verb_chain(root) + content_chain)
        narration, quoted, unnamed_adverb = self.hedges(chain)
        hedged = bool(narration) or bool(attribution and attribution.hedged)
        cues.extend(f"hedge:{w}" for w in narration if f"hedge:{w}" not in cues)
        cues.extend(f"hedge-in-quote:{w}" for w in quoted)
        if unnamed_adverb and not attributed:
            source, kind, attributed = self.lex.unnamed_reports, "unnamed", True
            cues.append("unnamed:adverb")
        scare = self.headline_quote(span) if not attributed else None
        if scare:
            hedged = True
            cues.append(f"headline-quote:{scare}")
        if self.negated(content_chain):
            cues.append("negation")

        certainty: Certainty
        if attributed and attribution is not None and attribution.denied:
            certainty = "denied"
        elif hedged:
            certainty = "hedged"
        elif attributed:
            certainty = "reported"
        else:
            certainty = "asserted"
        if kind == "speaker" and not any(c.startswith("pronoun") for c in cues):
            self.last_speaker = source
        return Claim(
            start=start,
            end=end,
            text=self.text[start:end],
            source=source,
            source_kind=kind,
            certainty=certainty,
            cues=_unique(cues),
            summary=_summary(content, span),
        )


def extract_claims(
    doc: Doc,
    quotes: list[Quote],
    entities: list[EntityMention],
    article: Article,
) -> list[Claim]:
    """One Claim per statement sentence of ``article.text``, in text order.

    ``doc`` must be spaCy's parse of ``article.text`` (offsets are shared). ``quotes``
    and ``entities`` come from the quotes and entities stages and may be empty: the
    parse alone still finds reported speech ("officials said that"), impersonal
    sources ("it is reported") and hedges; quotes add speakers for direct speech and
    entities turn "Kadyrov" into its canonical name. Sentences with no verb (datelines,
    captions) and questions state nothing and are skipped.
    """
    if doc.text != article.text:
        raise ValueError(f"{article.source}: the parse does not match the article text; parse article.text")
    lex = load_lexicon()
    reader = _ClaimReader(doc, quotes, entities, article, lex)
    return [reader.read(span) for span in statement_spans(doc)]


def statement_spans(doc: Doc) -> Iterator[Span]:
    """Sentences cut at line breaks (a headline and the first paragraph are never one
    claim, whatever the parser thought), trimmed of whitespace, that state something.

    One pass over the tokens (``doc.sents`` would rescan the whole Doc first)."""
    start, first_word, last_word, has_verb, last_text = 0, -1, -1, False, ""
    for token in doc:
        i = token.i
        if i > start and (token.is_sent_start or (token.is_space and "\n" in token.text)):
            if has_verb and not last_text.endswith("?"):
                yield doc[first_word : last_word + 1]
            start, first_word, last_word, has_verb, last_text = i, -1, -1, False, ""
        if token.is_space:
            continue
        if first_word < 0:
            first_word = i
        last_word = i
        has_verb = has_verb or token.pos_ in VERBAL_POS
        if token.text not in CLOSING_MARKS:
            last_text = token.text
    if has_verb and not last_text.endswith("?"):
        yield doc[first_word : last_word + 1]


def _verb_chain(head: Token) -> list[Token]:
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


def _noun_phrase(head: Token, with_modifier: bool) -> str:
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


def _proper_name(head: Token) -> str:
    """The run of proper-noun compounds ending at ``head``: "Emil Solomon Aslan"."""
    left = head.i
    while left > 0 and head.doc[left - 1].pos_ == "PROPN" and head.doc[left - 1].dep_ == "compound":
        left -= 1
    return head.doc[left : head.i + 1].text


def _subject_of(verb: Token, span: Span) -> Token | None:
    """The subject of a verb inside the sentence, inherited from the governing verb for
    xcomp/conj verbs ("They are understood to have taken": They)."""
    current: Token | None = verb
    while current is not None:
        subj = next((c for c in current.children if c.dep_ in SUBJECT_DEPS and span.start <= c.i < span.end), None)
        if subj is not None:
            return subj
        if current.dep_ in ("xcomp", "conj") and current.head is not current:
            current = current.head
        else:
            current = None
    return None


def _summary(verb: Token, span: Span) -> str | None:
    """ "subject | predicate | object" from the parse, e.g. "Chechen squads | were
    recruited | for failed attempts"; None when the clause has no subject."""
    subj = _subject_of(verb, span)
    if subj is None or verb.pos_ not in VERBAL_POS:
        return None
    predicate: list[Token] = []
    current = verb
    while True:
        predicate += [c for c in current.children if c.dep_ in PREDICATE_AUX_DEPS and c.i < current.i]
        predicate.append(current)
        predicate += [c for c in current.children if c.dep_ == "prt"]
        if any(c.dep_ == "dobj" for c in current.children):
            break  # "urged Moscow to invade": the object is Moscow, not what follows
        nxt = next((c for c in current.children if c.dep_ == "xcomp" and current.i < c.i < span.end), None)
        if nxt is None:
            able = next((c for c in current.children if c.dep_ == "acomp"), None)
            nxt = next((c for c in able.children if c.dep_ == "xcomp"), None) if able is not None else None
            if nxt is not None:
                predicate.append(able)  # "were able to drive"
        if nxt is None or nxt.pos_ not in VERBAL_POS or nxt.i >= span.end:
            break
        current = nxt
    words = [t.text for t in sorted(predicate, key=lambda t: t.i)]
    if verb.dep_ == "xcomp" and words and words[0].lower() == "to":
        words = words[1:]  # "They are understood to have taken": the claim is "have taken"
    parts = [_noun_phrase(subj, with_modifier=False), " ".join(words)]
    obj = _object_phrase(current, span)
    if obj:
        parts.append(obj)
    return " | ".join(parts)


def _object_phrase(verb: Token, span: Span) -> str | None:
    rights = [c for c in verb.rights if c.i < span.end]
    for child in rights:
        if child.dep_ in OBJECT_DEPS:
            return _noun_phrase(child, with_modifier=False)
    for child in rights:
        if child.dep_ in ("prep", "agent"):
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return f"{child.text} {_noun_phrase(pobj, with_modifier=False)}"
    return None


def _unique_tokens(tokens: list[Token]) -> list[Token]:
    return list({t.i: t for t in tokens}.values())


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
