"""Highlight segmentation: spans from analysis offsets become text segments that
rebuild the text exactly, with sentence ids and legend classes."""

from __future__ import annotations

from newsdesk.model import (
    Analysis,
    Article,
    Claim,
    EntityMention,
    Quote,
    Sentence,
    Speaker,
    Timex,
)
from newsdesk.web.highlight import highlight_article, sentence_spans

TITLE = "Mayor <b>Lind</b> opens bridge"
BODY = 'Mayor Anna Lind said on Monday: "The bridge opens today."\n\nIt may close again, officials said.'


def _analysis() -> Analysis:
    article = Article(id="abc123", source="x.txt", title=TITLE, body=BODY)
    text = article.text

    def at(word: str, nth: int = 0) -> tuple[int, int]:
        start = -1
        for _ in range(nth + 1):
            start = text.index(word, start + 1)
        return start, start + len(word)

    s1 = (0, len(TITLE))
    s2 = (article.body_offset, article.body_offset + BODY.index("\n\n"))
    s3 = (s2[1] + 2, len(text))
    lind = at("Anna Lind")
    monday = at("Monday")
    quote = at("The bridge opens today.")
    return Analysis(
        article=article,
        sentences=[Sentence(a, b, text[a:b], i) for i, (a, b) in enumerate((s1, s2, s3))],
        entities=[EntityMention(*lind, "Anna Lind", "PERSON", "Anna Lind", "person:anna-lind"),
                  EntityMention(*at("Lind"), "Lind", "PERSON", "Anna Lind", "person:anna-lind")],
        timexes=[Timex(*monday, "Monday", "DATE", "2024-03-04", True)],
        quotes=[Quote(*quote, "The bridge opens today.", "direct", Speaker("Anna Lind"))],
        claims=[Claim(s3[0], s3[1], text[s3[0]:s3[1]], "officials", "unnamed", "hedged")],
    )


def test_segments_rebuild_the_text_exactly() -> None:
    analysis = _analysis()
    paragraphs = highlight_article(analysis)
    rebuilt = "\n\n".join("".join(s.text for b in p.blocks for s in b.segments) for p in paragraphs)
    assert rebuilt == analysis.article.text
    assert [p.section for p in paragraphs] == ["title", "body", "body"]


def test_sentences_get_ids_and_spans_get_classes() -> None:
    analysis = _analysis()
    paragraphs = highlight_article(analysis)
    blocks = [b for p in paragraphs for b in p.blocks]
    assert [b.id for b in blocks] == [f"s-abc123-{s.start}" for s in analysis.sentences]
    assert "claim-hedged" in blocks[2].classes and "claim" not in blocks[1].classes
    segments = {s.text: s for b in blocks for s in b.segments}
    assert segments["Anna Lind"].classes == ["ent", "ent-person"]
    assert segments["Anna Lind"].href == "/entities/person:anna-lind"
    assert segments["Monday"].classes == ["tx"]
    assert segments["The bridge opens today."].classes == ["q", "q-direct"]
    # Markup-looking title text stays one plain text segment (the template escapes it).
    assert any("<b>" in s.text and not s.classes for s in blocks[0].segments)


def test_overlapping_spans_split_into_nested_classes() -> None:
    analysis = _analysis()
    text = analysis.article.text
    start = text.index("bridge opens")
    analysis.entities.append(EntityMention(start, start + 6, "bridge", "FAC", "bridge", "place:bridge"))
    segments = [s for p in highlight_article(analysis) for b in p.blocks for s in b.segments]
    bridge = next(s for s in segments if s.text == "bridge" and "q" in s.classes)
    assert bridge.classes == ["ent", "ent-place", "q", "q-direct"]


def test_claim_outside_every_sentence_gets_its_own_anchor() -> None:
    analysis = _analysis()
    analysis.sentences = analysis.sentences[:2]
    spans = sentence_spans(analysis)
    assert spans[-1] == (analysis.claims[0].start, analysis.claims[0].end)
