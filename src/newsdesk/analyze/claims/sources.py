"""Source attribution of a claim: who a sentence is handed to, by the quotes stage (the
speaker of a direct or reported quote) or by its own grammar ("X said that", "it is
reported that", "they are understood to", "according to X"), named or unnamed, and
whether that source denies the claim."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from newsdesk.analyze.attribution import DocumentAttributions
from newsdesk.analyze.attribution.kind import article_author, article_kind
from newsdesk.analyze.attribution.speakers import resolve
from newsdesk.analyze.claims.grammar import (
    CLAUSE_DEPS,
    SUBJECT_DEPS,
    noun_phrase,
    proper_name,
)
from newsdesk.analyze.claims.lexicon import ClaimLexicon, anonymity_matcher
from newsdesk.model import Article, EntityMention, Quote, SourceKind

# Quote kinds whose words are the speaker's own (a hedge inside them is the speaker's).
VERBATIM_KINDS = frozenset({"direct", "partial"})


@dataclass
class GrammarSource:
    """Who a sentence is handed to by its own grammar, and the clause they are credited with."""

    source: str
    kind: SourceKind
    content: Token
    cues: list[str] = field(default_factory=list)
    hedged: bool = False
    denied: bool = False


class SourceReader:
    """Per-document state: entity and quote indexes, the last named speaker (for "he said");
    and who a sentence comes from: its quote's speaker, or the grammar ("X said that",
    "it is reported that", "according to X")."""

    def __init__(
        self,
        doc: Doc,
        quotes: Sequence[Quote],
        entities: Sequence[EntityMention],
        article: Article,
        lex: ClaimLexicon,
        attributions: DocumentAttributions | None = None,
    ) -> None:
        self.doc = doc
        self.attributions = attributions
        self.author = article_author(article) if article_kind(article) == "opinion" else None
        self.article = article
        self.text = article.text  # equal to doc.text, which would be rebuilt on every access
        self.lex = lex
        self.outlet = article.outlet or lex.outlet_unknown
        self.canonical_entities = bool(entities)
        if not entities:  # before the entities stage ran: spaCy's own mentions, uncanonicalised
            entities = [EntityMention(e.start_char, e.end_char, e.text, e.label_, e.text, e.text) for e in doc.ents]
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
        matcher = anonymity_matcher(doc.vocab, lex)
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

    def mark_spans_between(self, start: int, end: int) -> list[tuple[int, int]]:
        i = bisect.bisect_left(self.mark_starts, start)
        found = []
        while i < len(self.mark_spans) and self.mark_spans[i][0] < end:
            found.append(self.mark_spans[i])
            i += 1
        return found

    def source_from_subject(self, subj: Token) -> tuple[str, SourceKind, list[str]]:
        """Name the source a grammatical subject stands for, and whether it is anonymous."""
        lex = self.lex
        if subj.lower_ in lex.personal_pronouns:
            if self.attributions is not None:
                # The one speaker resolver of the attribution step (the current
                # speaker of the discourse, agreeing in gender and number).
                resolved = resolve(self.attributions.ctx, subj)
                if resolved is not None:
                    return resolved.name, "speaker", [f"pronoun:{subj.lower_}"]
            if self.last_speaker:
                return self.last_speaker, "speaker", [f"pronoun:{subj.lower_}"]
            person = self.person_before(subj.idx)
            if person is not None:
                return person.canonical, "speaker", [f"pronoun:{subj.lower_}"]
            return subj.text, "speaker", [f"pronoun-unresolved:{subj.lower_}"]
        phrase = noun_phrase(subj, with_modifier=True)
        anonymous = any(t.i in self.anonymous_tokens for t in subj.subtree)
        if subj.lemma_.lower() in lex.unnamed_nouns or anonymous:
            if not anonymous and noun_phrase(subj, with_modifier=False).lower() == subj.lower_:
                return f"unnamed {subj.lower_}", "unnamed", [f"unnamed:{subj.lower_}"]
            return phrase, "unnamed", [f"unnamed:{subj.lower_}"]
        mention = self.entity_at(subj.idx)
        if mention is not None:
            if self.canonical_entities:
                return mention.canonical, "speaker", []
            return proper_name(subj), "speaker", []
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

    def attribution(self, span: Span, root: Token) -> GrammarSource | None:
        """Find the grammatical source: "X said that", "it is reported that",
        "they are understood to", "according to X"."""
        lex = self.lex
        lemma = root.lemma_.lower()
        children = list(root.children)
        clause = next((c for c in children if c.dep_ in CLAUSE_DEPS), None)
        xcomp = next((c for c in children if c.dep_ == "xcomp"), None)
        subj = next((c for c in children if c.dep_ in SUBJECT_DEPS and span.start <= c.i < span.end), None)
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in children)

        content = clause if clause is not None else xcomp
        if passive and lemma in lex.unnamed_passive_verbs and content is not None:
            agent = next((c for c in children if c.dep_ == "agent"), None)
            pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
            hedged = lemma in lex.hedging_unnamed_passive_verbs
            cues = [f"hedge:{lemma}"] if hedged else []
            if pobj is not None:
                source, kind, more = self.source_from_subject(pobj)
                return GrammarSource(source, kind, content, [f"attribution:{lemma}", *more, *cues], hedged)
            return GrammarSource(lex.unnamed_reports, "unnamed", content, [f"unnamed:{lemma}", *cues], hedged)

        if subj is not None and subj.dep_ == "nsubj" and lemma in lex.attributing_verbs:
            content = self._reported_content(root, lemma, children, clause)
            if content is not None:
                source, kind, cues = self.source_from_subject(subj)
                attribution = GrammarSource(source, kind, content, [f"attribution:{lemma}", *cues])
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
                        return GrammarSource(source, kind, root, [f"attribution:{side.lemma_.lower()}", *cues])

        for token in self.according_tokens(span):
            to = next((c for c in token.children if c.lower_ == "to"), None)
            pobj = next((c for c in to.children if c.dep_ == "pobj"), None) if to else None
            if pobj is not None:
                source, kind, cues = self.source_from_subject(pobj)
                return GrammarSource(source, kind, root, ["attribution:according to", *cues])
        return None

    def _reported_content(self, root: Token, lemma: str, children: list[Token], clause: Token | None) -> Token | None:
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
