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

Who said it comes from the one attribution step (``newsdesk.analyze.attribution``):
a sentence holding a quote gets the quote's speaker, and a pronoun subject the
claims grammar finds ("he argued that") is resolved by the same speaker resolver.
In an opinion piece the author, not the outlet, stands behind unattributed claims.

This module reads each sentence; the parts live beside it: ``sources`` (who
stands behind a sentence), ``certainty`` (hedges, negation, headline quotes),
``summary`` (subject | predicate | object), ``grammar`` (shared parse
helpers) and ``lexicon`` (the claim tables of ``data/attribution.toml``).
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Span

from newsdesk.analyze.attribution import DocumentAttributions, attribute_document
from newsdesk.analyze.claims.certainty import headline_quote, hedges, negated
from newsdesk.analyze.claims.grammar import VERBAL_POS, unique_tokens, verb_chain
from newsdesk.analyze.claims.lexicon import ClaimLexicon, load_lexicon
from newsdesk.analyze.claims.sources import SourceReader
from newsdesk.analyze.claims.summary import claim_summary
from newsdesk.model import Article, Certainty, Claim, EntityMention, Quote, SourceKind

__all__ = ["ClaimLexicon", "extract_claims", "load_lexicon", "statement_spans"]


# Tokens that may follow a question mark at the end of a sentence.
CLOSING_MARKS = frozenset({"”", "’", '"', "'", ")", "»"})


class _ClaimReader(SourceReader):
    """Reads one sentence into a Claim: its source, certainty, cues and summary."""

    def read(self, span: Span) -> Claim:
        start, end = span.start_char, span.end_char
        root = span.root
        cues: list[str] = []
        attributed = False
        source: str = self.outlet
        kind: SourceKind = "outlet"
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
            for stretch in self.mark_spans_between(start, end):
                self.mark_sources.setdefault(stretch[0], (source, kind))

        content_chain = verb_chain(content)
        chain = content_chain if content is root else unique_tokens(verb_chain(root) + content_chain)
        narration, quoted, unnamed_adverb = hedges(chain, self.lex, self.in_verbatim_quote)
        hedged = bool(narration) or bool(attribution and attribution.hedged)
        cues.extend(f"hedge:{w}" for w in narration if f"hedge:{w}" not in cues)
        cues.extend(f"hedge-in-quote:{w}" for w in quoted)
        if unnamed_adverb and not attributed:
            source, kind, attributed = self.lex.unnamed_reports, "unnamed", True
            cues.append("unnamed:adverb")
        scare = headline_quote(span, self.article, self.lex) if not attributed else None
        if scare:
            hedged = True
            cues.append(f"headline-quote:{scare}")
        if negated(content_chain, self.lex):
            cues.append("negation")

        if not attributed and self.author is not None:
            source, kind = self.author, "author"  # an opinion piece speaks for its author
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
            summary=claim_summary(content, span),
        )


def extract_claims(
    doc: Doc,
    quotes: list[Quote],
    entities: list[EntityMention],
    article: Article,
    attributions: DocumentAttributions | None = None,
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
    if attributions is None and entities:
        attributions = attribute_document(doc, entities, article)
    reader = _ClaimReader(doc, quotes, entities, article, lex, attributions)
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


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
