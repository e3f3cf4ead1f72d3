"""The analyze pipeline: model cache, paragraph-safe sentences, streaming, pure per-doc step."""

from __future__ import annotations

from datetime import date

import pytest

from newsdesk.analyze.pipeline import (
    analyze,
    analyze_article,
    analyze_doc,
    load_model,
    paragraph_starts,
)
from newsdesk.errors import ModelError
from newsdesk.model import Article, to_dict
from newsdesk.options import Options

BODY = (
    "READ MORE:\n\n"  # residue without an end mark: must not glue onto the next paragraph
    "Chechen leader Ramzan Kadyrov spoke in Grozny on Monday\n\n"
    "“We will not give up,” Kadyrov said on his Telegram channel.\n\n"
    "Officials in Kyiv said that the attack had failed."
)


def make_article(body: str = BODY, **kw) -> Article:
    return Article(id=Article.content_id(kw.get("title"), body), source="t.txt", body=body, **kw)


def test_model_is_loaded_once_per_process():
    assert load_model(Options().model) is load_model(Options().model)


def test_missing_model_is_a_one_line_model_error():
    with pytest.raises(ModelError) as info:
        load_model("en_no_such_model_xx")
    message = str(info.value)
    assert "en_no_such_model_xx" in message and "install" in message and "\n" not in message


def test_sentences_never_cross_a_blank_line():
    article = make_article(title="Kadyrov speaks out", standfirst="A short standfirst without a full stop")
    analysis = analyze_article(article, Options())
    text = article.text
    starts = paragraph_starts(text)
    for sentence in analysis.sentences:
        assert text[sentence.start : sentence.end] == sentence.text
        assert "\n\n" not in sentence.text
        assert starts[sentence.paragraph] <= sentence.start
    sections = [s.section for s in analysis.sentences]
    assert sections[0] == "title" and sections[1] == "standfirst" and sections[-1] == "body"
    assert [s.text for s in analysis.sentences][:3] == [
        "Kadyrov speaks out", "A short standfirst without a full stop", "READ MORE:"
    ]
    assert analysis.sentences[-1].paragraph == len(starts) - 1


def test_analysis_holds_every_stage_with_offsets_into_text():
    article = make_article()
    analysis = analyze_article(article, Options())
    text = article.text
    assert {m.canonical for m in analysis.entities if m.label == "PERSON"} == {"Ramzan Kadyrov"}
    kinds = {q.kind for q in analysis.quotes}
    assert {"direct", "reported"} <= kinds
    for record in [*analysis.entities, *analysis.quotes, *analysis.timexes, *analysis.claims]:
        assert text[record.start : record.end] == record.text
    assert to_dict(analysis)["article"]["id"] == article.id


def test_analyze_streams_in_input_order_and_matches_single_article_path():
    articles = [make_article(f"Story {i}. Peter Hall said the plan {i} was good.") for i in range(5)]
    streamed = list(analyze(iter(articles), Options(batch_size=2)))
    assert [a.article.id for a in streamed] == [a.id for a in articles]
    single = analyze_article(articles[3], Options())
    assert to_dict(streamed[3]) == to_dict(single)


def test_options_date_fills_only_undated_articles():
    undated = make_article("Peter Hall said on Wednesday that the plan was good.")
    dated = make_article("Anna Berg said on Wednesday that it failed.", published=date(2022, 1, 5))
    out = list(analyze([undated, dated], Options(published=date(2022, 9, 23))))
    assert out[0].article.published == date(2022, 9, 23)
    assert out[1].article.published == date(2022, 1, 5)


def test_analyze_doc_needs_only_doc_and_article():
    article = make_article()
    doc = load_model(Options().model)(article.text)
    assert to_dict(analyze_doc(doc, article)) == to_dict(analyze_article(article, Options()))
