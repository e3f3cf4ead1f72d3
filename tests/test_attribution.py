"""The one attribution step on invented sentences: one case per cue type (direct,
mixed, indirect, according to, told, wrote/tweeted, questions, noun cues, beliefs and
intentions, non-human sources, embedded posts), the speaker resolver, titles that are
not quotes, channels kept apart from dates and addressees, and a claim's source equal
to its quote's speaker."""

from __future__ import annotations

import pytest

from newsdesk.analyze.attribution import DocumentAttributions, attribute_document
from newsdesk.analyze.attribution.kind import article_author, article_kind
from newsdesk.analyze.claims import extract_claims
from newsdesk.analyze.entities import extract_entities
from newsdesk.analyze.pipeline import load_model
from newsdesk.model import Article, Attribution
from newsdesk.options import Options


@pytest.fixture(scope="module")
def nlp():
    return load_model(Options().model)


def attribute(nlp, body: str, **fields) -> tuple[Article, DocumentAttributions]:
    article = Article(id="t", source="test.txt", body=body, **fields)
    doc = nlp(article.text)
    result = attribute_document(doc, extract_entities(doc, article), article)
    for record in result.records:
        for span in (record.content, record.cue, record.source):
            if span is not None:
                assert article.text[span.start : span.end] == span.text
    return article, result


def record_with(result: DocumentAttributions, content_start: str) -> Attribution:
    found = [r for r in result.records if r.content.text.startswith(content_start)]
    assert found, [r.content.text for r in result.records]
    return found[0]


CUE_TYPES = [
    # body, content starts, kind, speaker, cue
    ("“The dam will hold,” Maria Lopez said.", "The dam will hold", "direct", "Maria Lopez", "said"),
    ("Maria Lopez said the dam would “hold for another decade” at least.",
     "the dam would", "mixed", "Maria Lopez", "said"),
    ("Maria Lopez said that the dam would hold for another decade.",
     "the dam would hold", "indirect", "Maria Lopez", "said"),
    ("Maria Lopez told the council that the dam would hold for another decade.",
     "the dam would hold", "indirect", "Maria Lopez", "told"),
    ("Maria Lopez wrote that the dam would hold for another decade.",
     "the dam would hold", "indirect", "Maria Lopez", "wrote"),
    ("Maria Lopez asked whether the dam would hold for another decade.",
     "whether the dam would hold", "question", "Maria Lopez", "asked"),
    ("Maria Lopez believes the dam will hold for another decade.",
     "the dam will hold", "cognition", "Maria Lopez", "believes"),
    ("Maria Lopez fears that the dam will break before the spring.",
     "the dam will break", "cognition", "Maria Lopez", "fears"),
    ("Maria Lopez wants to rebuild the dam before the spring floods.",
     "to rebuild the dam", "cognition", "Maria Lopez", "wants"),
    ("Maria Lopez vowed to rebuild the dam before the spring floods.",
     "to rebuild the dam", "indirect", "Maria Lopez", "vowed"),
    ("Maria Lopez called for a full inspection of the old dam.",
     "a full inspection", "indirect", "Maria Lopez", "called"),
    ("Maria Lopez repeated her claim that the dam had never been inspected.",
     "the dam had never been inspected", "nominal", "Maria Lopez", "claim"),
    ("The report found that the dam had never been inspected properly.",
     "the dam had never been inspected", "indirect", "the report", "found"),
    ("Recent polls show that most voters want a new dam.",
     "most voters want a new dam", "indirect", "Recent polls", "show"),
    ("According to the engineers, “the dam cannot hold much longer.”",
     "the dam cannot hold", "direct", "the engineers", "According"),
]


@pytest.mark.parametrize(("body", "content", "kind", "speaker", "cue"), CUE_TYPES)
def test_cue_types(nlp, body, content, kind, speaker, cue):
    _, result = attribute(nlp, body)
    record = record_with(result, content)
    assert record.kind == kind
    assert record.speaker is not None and record.speaker.name == speaker
    assert record.cue is not None and record.cue.text == cue


def test_embedded_post_belongs_to_its_account(nlp):
    body = 'The mayor posted late at night.\n\n<tweet author="@mayor_lopez">The dam is safe. Stay calm.</tweet>'
    article, result = attribute(nlp, body)
    record = record_with(result, "The dam is safe")
    assert record.kind == "post"
    assert record.speaker is not None and record.speaker.name == "@mayor_lopez"
    assert record.channel == "Twitter"
    doc = nlp(article.text)
    claims = extract_claims(doc, result.quotes, extract_entities(doc, article), article, result)
    post_claims = [c for c in claims if "The dam is safe" in c.text]
    assert post_claims and all(c.source == "@mayor_lopez" for c in post_claims)  # not the outlet's


def test_he_said_is_the_current_speaker_not_the_nearest_name(nlp):
    body = (
        "Tomas Rieger has led the rescue teams for a decade. He recalled a flood that a "
        "historian, Paul Andersen, once described in a book.\n\n"
        "“We were not ready then and we are not ready now,” he said."
    )
    _, result = attribute(nlp, body)
    assert record_with(result, "We were not ready").speaker.name == "Tomas Rieger"


def test_quote_continuation_keeps_its_speaker(nlp):
    body = "“The water is rising,” said Maria Lopez, the engineer.\n\n“We will open the gates tonight.”"
    _, result = attribute(nlp, body)
    assert record_with(result, "We will open the gates").speaker.name == "Maria Lopez"


@pytest.mark.parametrize(
    "body",
    [
        "Last night she watched “The Long Winter” with her children.",
        "He was a regular guest on “Morning Coffee With Dan” for years.",
        "The film “Harbour Lights” won the festival's top prize.",
        "Critics dubbed him “Mister Nobody” after the vote.",
    ],
)
def test_titles_and_nicknames_are_not_quotes(nlp, body):
    _, result = attribute(nlp, body)
    assert result.quotes == []


def test_scare_quote_has_no_invented_speaker(nlp):
    _, result = attribute(nlp, "The town held a “festival” that nobody attended, Maria Lopez noted later.")
    scare = [q for q in result.quotes if q.text == "festival"]
    assert scare and scare[0].kind == "partial"


def test_date_is_never_a_channel_and_outlet_is_not_an_addressee(nlp):
    _, result = attribute(nlp, "“We will rebuild,” Maria Lopez said on Feb. 9.")
    assert record_with(result, "We will rebuild").channel is None
    _, result = attribute(nlp, "“We will rebuild,” Maria Lopez told the Harbour Gazette.")
    record = record_with(result, "We will rebuild")
    assert record.channel == "Harbour Gazette"
    assert record.addressee is None


def test_headline_speaker_before_colon(nlp):
    article = Article(id="t", source="t", title="Lopez: ‘The Dam Will Hold’", body="The engineer spoke on Monday.")
    doc = nlp(article.text)
    result = attribute_document(doc, extract_entities(doc, article), article)
    assert result.quotes and result.quotes[0].speaker is not None
    assert "Lopez" in result.quotes[0].speaker.name


def test_claim_source_equals_quote_speaker(nlp):
    body = (
        "Maria Lopez runs the dam. Tomas Rieger runs the port.\n\n"
        "Ms. Lopez spoke first. She said that the gates would open at dawn."
    )
    article, result = attribute(nlp, body)
    doc = nlp(article.text)
    entities = extract_entities(doc, article)
    claims = extract_claims(doc, result.quotes, entities, article, result)
    quote = next(q for q in result.quotes if q.text.startswith("the gates"))
    claim = next(c for c in claims if c.start <= quote.start < c.end)
    assert quote.speaker is not None and claim.source == quote.speaker.name


def test_negated_report_is_not_a_report(nlp):
    article, result = attribute(nlp, "Maria Lopez refused to concede that the dam had failed.")
    assert not [r for r in result.records if r.content.text.startswith("the dam had failed")]
    assert not [q for q in result.quotes if "the dam had failed" in q.text]
    refusal = record_with(result, "to concede")
    assert refusal.negated and refusal.speaker is not None and refusal.speaker.name == "Maria Lopez"
    doc = nlp(article.text)
    claims = extract_claims(doc, result.quotes, extract_entities(doc, article), article, result)
    assert [c.certainty for c in claims] == ["asserted"]  # the outlet says she refused


def test_opinion_author_stands_behind_unattributed_claims(nlp):
    article = Article(id="t", source="t", title="Opinion: The dam must go", body="The dam has outlived its use.",
                      author="Maria Lopez")
    assert article_kind(article) == "opinion"
    doc = nlp(article.text)
    claims = extract_claims(doc, [], extract_entities(doc, article), article)
    body_claim = next(c for c in claims if c.text.startswith("The dam has"))
    assert (body_claim.source, body_claim.source_kind) == ("Maria Lopez", "author")
    news = Article(id="t", source="t", title="The dam must go", body="The dam has outlived its use.")
    assert article_kind(news) == "news"
    assert article_author(Article(id="t", source="t", body="By Jane Roe\n\nText.")) == "Jane Roe"


def test_stance_is_a_record_not_a_quote(nlp):
    _, result = attribute(nlp, "Maria Lopez criticized the new harbour plan on Monday.")
    record = record_with(result, "the new harbour plan")
    assert record.kind == "stance" and record.speaker is not None and record.speaker.name == "Maria Lopez"
    assert not [q for q in result.quotes if q.text.startswith("the new harbour plan")]
    _, result = attribute(nlp, "The new bill supports small farms across the region.")
    assert not [r for r in result.records if r.kind == "stance"]


def test_quote_split_by_its_trailer_is_one_attribution(nlp):
    body = "“We will rebuild the harbour,” Maria Lopez said. “And we will do it this year.”"
    _, result = attribute(nlp, body)
    record = record_with(result, "We will rebuild the harbour")
    assert [p.text for p in record.content_parts] == ["We will rebuild the harbour", "And we will do it this year."]
    assert record.content.text.endswith("this year.")
    assert len([q for q in result.quotes if q.kind == "direct"]) == 2  # the quotes stay two


def test_employer_is_an_affiliation_not_a_channel(nlp):
    body = "“The dam will hold,” said Tom Becker, a fellow at the Council on Foreign Relations."
    _, result = attribute(nlp, body)
    record = record_with(result, "The dam will hold")
    assert record.speaker is not None and record.speaker.name == "Tom Becker"
    assert record.channel is None
    assert record.affiliation is not None and "Council on Foreign Relations" in record.affiliation


def test_pronoun_agrees_in_gender_with_the_current_speaker(nlp):
    body = "Mary Holt opened the meeting. Then Tom Becker took the floor.\n\n“We are ready for the flood,” she said."
    _, result = attribute(nlp, body)
    assert record_with(result, "We are ready").speaker.name == "Mary Holt"


def test_descriptor_stays_a_descriptor_and_anonymous_sources_are_marked(nlp):
    _, result = attribute(nlp, "“The gates will open tonight,” said a senior official, who asked not to be named.")
    record = record_with(result, "The gates will open")
    assert record.speaker is not None and record.speaker.descriptor
    assert record.speaker.name == "a senior official"
    assert record.anonymous
    _, result = attribute(nlp, "“The gates will open tonight,” said Maria Lopez, the city engineer.")
    assert not record_with(result, "The gates will open").anonymous


def test_direct_quote_after_said_that_is_the_sayers(nlp):
    body = (
        "Maria Lopez said that “every figure in the report is accurate, nobody has disputed a word of it, "
        "and the council will publish all of it next week.”"
    )
    _, result = attribute(nlp, body)
    covering = [r for r in result.records if "every figure" in r.content.text]
    assert covering and all(r.speaker is not None and r.speaker.name == "Maria Lopez" for r in covering)


def test_people_saying_are_the_source(nlp):
    _, result = attribute(nlp, "The survey counted many voters saying they want a new dam.")
    record = record_with(result, "they want a new dam")
    assert record.speaker is not None and record.speaker.name == "many voters"


@pytest.mark.parametrize(
    ("body", "content", "speaker", "source_words"),
    [
        (
            "Tom Becker, the harbour master, said the gates would stay shut until Monday.",
            "the gates would stay shut",
            "Tom Becker",
            ("Tom Becker", "harbour master"),
        ),
        (
            "“The dam will hold,” said Maria Lopez, the city engineer.",
            "The dam will hold",
            "Maria Lopez",
            ("Maria Lopez", "city engineer"),
        ),
    ],
)
def test_source_span_is_the_source_phrase_as_written(nlp, body, content, speaker, source_words):
    """The speaker is the resolved name; the source span keeps the apposition the text
    gives it, and never the cue verb or the quote."""
    _, result = attribute(nlp, body)
    record = record_with(result, content)
    assert record.speaker is not None and record.speaker.name == speaker
    assert record.source is not None
    for words in source_words:
        assert words in record.source.text
    assert "said" not in record.source.text and "“" not in record.source.text
    assert not record.source.text.endswith((",", "."))


def test_trailer_after_a_question_mark_names_the_speaker(nlp):
    """“…?” X went on, as if …: the trailer's verb is the cue even after a sentence
    break in the trailer, and the next quote continues the same speaker."""
    body = "“You know, it rains, right?” Becker went on, as if he did not hear her. “But you have to get over it.”"
    _, result = attribute(nlp, body)
    assert record_with(result, "You know, it rains").speaker.name == "Becker"
    assert all(r.speaker is not None and r.speaker.name == "Becker" for r in result.records)


def test_participle_lead_in_after_quoted_words_continues_their_speaker(nlp):
    body = "Later, Becker stated that the report “was not good.” Adding, “The water is never the worst part of a flood.”"
    _, result = attribute(nlp, body)
    assert record_with(result, "The water is never").speaker.name == "Becker"


def test_headline_colon_label_is_the_source(nlp):
    """"Name: statement" in a headline attributes the statement to the name; a rubric
    ("Exclusive:") names no one."""
    _, result = attribute(nlp, "The council met on Monday.", title="Mayor Becker: The dam will hold through the winter")
    record = record_with(result, "The dam will hold")
    assert record.speaker is not None and "Becker" in record.speaker.name
    _, result = attribute(nlp, "The council met on Monday.", title="Exclusive: The dam will hold through the winter")
    assert not [r for r in result.records if r.content.text.startswith("The dam will hold")]


def test_transcript_speaker_label_is_the_source(nlp):
    body = "The interview aired on Sunday.\n\nBECKER: We are building a second wall before the spring floods."
    _, result = attribute(nlp, body)
    record = record_with(result, "We are building")
    assert record.speaker is not None and record.speaker.name.lower() == "becker"


def test_poll_showing_an_object_is_a_finding(nlp):
    """"The poll showed X leading ...": a document subject's finding with an object."""
    body = "The latest county poll showed Mayor Becker leading the race with 41 percent of the vote."
    _, result = attribute(nlp, body)
    record = record_with(result, "Mayor Becker leading")
    assert record.speaker is not None and "poll" in record.speaker.name
    _, result = attribute(nlp, "The engineer showed the visitors the flooded cellar of the town hall.")
    assert not [r for r in result.records if "visitors" in r.content.text]


def test_scare_quote_is_a_quote_but_no_attribution(nlp):
    """A partial quote nobody is credited with stays a quote; an attribution needs a source."""
    _, result = attribute(nlp, "The town held a “festival” that nobody attended.")
    assert [q for q in result.quotes if q.text == "festival" and q.speaker is None]
    assert not [r for r in result.records if r.kind == "partial" and r.speaker is None]


def test_continuation_is_sourced_where_its_speaker_was_named(nlp):
    body = (
        "“The dam is old,” Tom Becker, the harbour master, told the Gazette on Monday.\n\n"
        "“But we may hold it through the winter if the rain stops.”"
    )
    _, result = attribute(nlp, body)
    record = record_with(result, "But we may hold it")
    assert record.speaker is not None and record.speaker.name == "Tom Becker"
    assert record.source is not None and "harbour master" in record.source.text


@pytest.mark.parametrize(
    "body",
    [
        "According to a county survey released Thursday, most residents want a second wall along the river.",
        "Most residents want a second wall along the river, according to a county survey released Thursday.",
    ],
)
def test_according_to_attributes_the_rest_of_the_sentence(nlp, body):
    _, result = attribute(nlp, body)
    found = [r for r in result.records if r.content.text.lower().startswith("most residents want a second wall")]
    assert found, [r.content.text for r in result.records]
    record = found[0]
    assert record.speaker is not None and "survey" in record.speaker.name
    assert "according" not in record.content.text.lower()


def test_quotes_joined_by_a_comma_or_a_long_trailer_are_one_attribution(nlp):
    body = (
        "“I was going to vote for the wall,” said Tom Becker, a 59-year-old from the lower town, "
        "who already cast his ballot. “Every time the river rises, I think about it.”"
    )
    _, result = attribute(nlp, body)
    joined = [r for r in result.records if len(r.content_parts) == 2]
    assert joined and joined[0].speaker is not None and joined[0].speaker.name == "Tom Becker"
    _, result = attribute(nlp, "Becker spoke after the vote. “I was going to vote for the wall,” “Every time it rains, I think of it,” he said.")
    joined = [r for r in result.records if len(r.content_parts) == 2]
    assert joined and joined[0].speaker is not None and joined[0].speaker.name == "Becker"


def test_stance_with_a_gerund_object(nlp):
    _, result = attribute(nlp, "Becker proposed barring all trucks from the bridge.")
    record = record_with(result, "barring all trucks")
    assert record.kind == "stance" and record.speaker is not None and record.speaker.name == "Becker"
