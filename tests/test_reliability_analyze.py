"""Long texts: refused with a message over the limits, parsed in pieces under them,
no sentence longer than the bound, and a refused article never stops the others."""

from __future__ import annotations

import dataclasses
import itertools
import re

import pytest

from newsdesk.analyze.bounds import check_article, forced_starts, piece_starts
from newsdesk.analyze.pipeline import analyze, analyze_article, analyze_each
from newsdesk.clean import clean
from newsdesk.errors import ArticleTooLongError, InputError
from newsdesk.limits import default_limits
from newsdesk.model import Article, RawArticle
from newsdesk.options import Options

SENTENCE = "The harbour master said the north wall would be repaired before spring."
WORDS = ["the", "harbour", "wall", "needs", "repairs", "before", "the", "storms", "arrive", "in", "the", "town"]


def article(body: str, source: str = "long.txt") -> Article:
    return Article(id="x", source=source, body=body, title="Harbour wall")


def options(**limits: int) -> Options:
    return Options(limits=dataclasses.replace(default_limits(), **limits))


def test_too_long_article_is_refused_with_its_size() -> None:
    body = "\n\n".join([SENTENCE] * 20)
    with pytest.raises(ArticleTooLongError, match=r"long.txt: article is 1,\d{3} characters, over the limit of 1,000"):
        check_article(article(body), options(max_article_chars=1000).limits)


def test_too_many_quotations_are_refused() -> None:
    body = " ".join(f'"Words {i} here," said Ann.' for i in range(30))
    with pytest.raises(ArticleTooLongError, match="30 quotations, over the limit of 10"):
        check_article(article(body), options(max_quotes=10).limits)


def test_clean_refuses_before_any_model_loads() -> None:
    raw = RawArticle(source="big.jsonl#7", text="\n\n".join([SENTENCE] * 50), title="T")
    with pytest.raises(ArticleTooLongError, match="big.jsonl:7: article is"):
        clean(raw, options(max_article_chars=2000))


def test_pieces_cut_at_paragraphs_then_sentences_then_spaces() -> None:
    text = "\n\n".join([SENTENCE] * 30)
    starts = piece_starts(text, 500)
    assert starts[0] == 0 and all(b - a <= 500 for a, b in itertools.pairwise([*starts, len(text)]))
    assert all(text[s - 2 : s] == "\n\n" for s in starts[1:])  # paragraph breaks when there are some
    one_paragraph = " ".join([SENTENCE] * 30)
    assert all(one_paragraph[s - 2 : s] == ". " for s in piece_starts(one_paragraph, 500)[1:])
    no_stop = " ".join(WORDS * 100)
    assert all(no_stop[s - 1] == " " for s in piece_starts(no_stop, 500)[1:])


def test_forced_starts_only_in_runs_without_a_sentence_end() -> None:
    prose = " ".join([SENTENCE] * 50)
    assert forced_starts(prose, 300) == []
    run = " ".join(WORDS * 200)
    cuts = forced_starts(prose + " " + run, 300)
    assert cuts and all(c > len(prose) for c in cuts)
    bounds = [len(prose)] + cuts + [len(prose) + 1 + len(run)]
    assert all(b - a <= 300 for a, b in itertools.pairwise(bounds))


def test_long_text_is_analysed_in_pieces_with_whole_text_offsets() -> None:
    paragraphs = [f"{SENTENCE} Ann Lee said on Monday that repairs would cost {i} million." for i in range(60)]
    art = article("\n\n".join(paragraphs))
    analysis = analyze_article(art, options(chunk_chars=1500))
    assert analysis.sentences and analysis.entities
    for span in [*analysis.sentences, *analysis.entities, *analysis.timexes]:
        assert art.text[span.start : span.end] == span.text
    whole = analyze_article(art, Options())
    assert [s.text for s in analysis.sentences] == [s.text for s in whole.sentences]


def test_no_sentence_passes_the_sentence_bound() -> None:
    run = " ".join(WORDS[i % len(WORDS)] for i in range(3000))  # ~16 KB, no full stop
    analysis = analyze_article(article(run), options(max_sentence_chars=800, chunk_chars=5000))
    assert max(len(s.text) for s in analysis.sentences) <= 800
    assert "".join(re.sub(r"\s", "", s.text) for s in analysis.sentences) == re.sub(r"\s", "", art_text(run))


def art_text(body: str) -> str:
    return article(body).text


def test_refused_article_keeps_its_place_and_the_rest_is_analysed() -> None:
    arts = [article(SENTENCE, "a.txt"), article("\n\n".join([SENTENCE] * 40), "b.txt"), article(SENTENCE, "c.txt")]
    results = list(analyze_each(arts, options(max_article_chars=1000)))
    assert [type(r).__name__ for r in results] == ["Analysis", "ArticleTooLongError", "Analysis"]
    assert isinstance(results[1], InputError) and str(results[1]).startswith("b.txt: article is")
    with pytest.raises(ArticleTooLongError):
        list(analyze(arts, options(max_article_chars=1000)))
