"""The analyze stage: load the spaCy model once, parse articles in batches, and turn
each parsed Doc into a plain :class:`~newsdesk.model.Analysis` record.

Why this split: ``analyze_doc`` needs only the Doc and the Article, so the laptop
path (``nlp.pipe`` over a stream) and the cluster path (a Ray actor that loads the
model in ``__init__`` and calls ``analyze_doc``) share every line of analysis. The
model is cached per process because loading it costs far more than parsing one
article.

Every article passes :mod:`newsdesk.analyze.bounds` first: one over the limits
(``options.limits``: characters, quotations) is refused with an
:class:`~newsdesk.errors.ArticleTooLongError`; a long one is parsed in pieces and
joined back into one Doc; no sentence is longer than the sentence bound. So no
text reaches spaCy's own length check (E088) and memory stays bounded.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import re
from collections.abc import Iterable, Iterator
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from newsdesk.analyze.attribution import attribute_document
from newsdesk.analyze.bounds import check_article, forced_starts, piece_starts
from newsdesk.analyze.claims import extract_claims
from newsdesk.analyze.entities import extract_entities
from newsdesk.analyze.timex import extract_timexes
from newsdesk.errors import InputError, ModelError
from newsdesk.limits import Limits
from newsdesk.model import Analysis, Article, Sentence
from newsdesk.options import Options

PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
PARAGRAPH_COMPONENT = "newsdesk_paragraph_breaks"

_MODELS: dict[str, Language] = {}


@Language.component(
    PARAGRAPH_COMPONENT,
    assigns=["token.is_sent_start"],
)
def paragraph_breaks(doc: Doc) -> Doc:
    """Make a blank line end the sentence before it.

    Runs before the parser, which keeps preset boundaries: without it the parser
    glues a headline to the first body sentence, or "READ MORE:" residue to the
    next paragraph, and quotes and claims would then straddle paragraphs.
    """
    for tok in doc:
        if tok.is_space and "\n" in tok.text and PARAGRAPH_BREAK.search(tok.text):
            if tok.i + 1 < len(doc):
                doc[tok.i + 1].is_sent_start = True
            if tok.i > 0:
                tok.is_sent_start = False
    return doc


def load_model(name: str) -> Language:
    """The spaCy pipeline ``name`` with newsdesk's components, loaded once per process.

    Loads offline from an installed package (``spacy.load``); a missing package
    raises :class:`ModelError` saying how to install it.
    """
    nlp = _MODELS.get(name)
    if nlp is not None:
        return nlp
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelError(
            f"spaCy model '{name}' is not installed; install it with "
            f"`python -m spacy download {name}` (or pip install its package) "
            "or choose another with --model / NEWSDESK_MODEL"
        ) from exc
    if "parser" in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPH_COMPONENT, before="parser")
    elif "senter" in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPH_COMPONENT, before="senter")
    else:
        nlp.add_pipe(PARAGRAPH_COMPONENT, first=True)
    _MODELS[name] = nlp
    return nlp


def paragraph_starts(text: str) -> list[int]:
    """Offsets where each blank-line-separated paragraph of ``text`` begins."""
    return [0] + [m.end() for m in PARAGRAPH_BREAK.finditer(text)]


def extract_sentences(doc: Doc, article: Article) -> list[Sentence]:
    """Sentences with their paragraph number and section; trailing whitespace trimmed,
    whitespace-only sentences dropped."""
    starts = paragraph_starts(article.text)
    sentences: list[Sentence] = []
    for sent in doc.sents:
        text = sent.text
        stripped = text.strip()
        if not stripped:
            continue
        start = sent.start_char + (len(text) - len(text.lstrip()))
        end = start + len(stripped)
        sentences.append(
            Sentence(
                start=start,
                end=end,
                text=stripped,
                paragraph=bisect.bisect_right(starts, start) - 1,
                section=article.section_at(start),
            )
        )
    return sentences


def analyze_doc(doc: Doc, article: Article) -> Analysis:
    """Everything newsdesk finds in one parsed article; pure in (doc, article).

    ``doc`` must be the model's parse of ``article.text`` so offsets agree.
    """
    entities = extract_entities(doc, article)
    attributions = attribute_document(doc, entities, article)  # once; quotes and claims read it
    quotes = attributions.quotes
    return Analysis(
        article=article,
        sentences=extract_sentences(doc, article),
        entities=entities,
        quotes=quotes,
        timexes=extract_timexes(article.text, article.published, doc),
        claims=extract_claims(doc, quotes, entities, article, attributions),
        attributions=attributions.records,
    )


def with_default_date(article: Article, options: Options) -> Article:
    """Give an undated article ``options.published`` (the user's stated date)."""
    if article.published is None and options.published is not None:
        return dataclasses.replace(article, published=options.published)
    return article


def make_docs(nlp: Language, article: Article, limits: Limits) -> list[Doc]:
    """The unparsed pieces of ``article.text`` (one, unless the text is long), with
    the sentence starts the sentence bound forces already set."""
    text = article.text
    starts = piece_starts(text, limits.chunk_chars) + [len(text)]
    forced = forced_starts(text, limits.max_sentence_chars)
    docs: list[Doc] = []
    for begin, end in itertools.pairwise(starts):
        doc = nlp.make_doc(text[begin:end])
        token_starts = [token.idx for token in doc]
        for offset in forced[bisect.bisect_left(forced, begin) : bisect.bisect_left(forced, end)]:
            index = bisect.bisect_left(token_starts, offset - begin)
            if 0 < index < len(doc):
                doc[index].is_sent_start = True
        docs.append(doc)
    return docs


def join_docs(parts: list[Doc]) -> Doc:
    """One Doc from parsed pieces; its text (and so every offset) is the whole text."""
    return parts[0] if len(parts) == 1 else Doc.from_docs(parts, ensure_whitespace=False)


def analyze_each(articles: Iterable[Article], options: Options) -> Iterator[Analysis | InputError]:
    """Analyses of ``articles`` in input order, parsing in batches; an article over
    the limits comes out, in its place, as the InputError that refused it."""
    nlp = load_model(options.model)

    def units() -> Iterator[tuple[Doc, tuple[Any, bool]]]:
        for article in articles:
            article = with_default_date(article, options)
            try:
                check_article(article, options.limits)
            except InputError as error:
                yield nlp.make_doc(""), (error, True)  # keeps its place in the stream
                continue
            docs = make_docs(nlp, article, options.limits)
            for index, doc in enumerate(docs):
                yield doc, (article, index == len(docs) - 1)

    parts: list[Doc] = []
    stream = nlp.pipe(units(), as_tuples=True, batch_size=options.batch_size, n_process=options.n_process)
    for doc, (item, last) in stream:
        if isinstance(item, InputError):
            yield item
            continue
        parts.append(doc)
        if last:
            whole, parts = join_docs(parts), []
            yield analyze_doc(whole, item)


def analyze(articles: Iterable[Article], options: Options) -> Iterator[Analysis]:
    """Stream analyses of ``articles`` in input order, parsing in batches.

    Raises the :class:`~newsdesk.errors.ArticleTooLongError` of the first article
    over the limits (after yielding those before it); :func:`analyze_each` yields
    it in place instead and goes on."""
    for result in analyze_each(articles, options):
        if isinstance(result, InputError):
            raise result
        yield result


def analyze_article(article: Article, options: Options) -> Analysis:
    """Analyse one article (a convenience over :func:`analyze`); raises
    ArticleTooLongError when it is over the limits."""
    article = with_default_date(article, options)
    check_article(article, options.limits)
    nlp = load_model(options.model)
    parts = list(nlp.pipe(make_docs(nlp, article, options.limits)))
    return analyze_doc(join_docs(parts), article)
