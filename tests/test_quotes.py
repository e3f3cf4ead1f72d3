"""Quote patterns on invented sentences: each pattern, plus near misses that must not fire."""

from __future__ import annotations

import pytest

from newsdesk.analyze.entities import extract_entities
from newsdesk.analyze.pipeline import load_model
from newsdesk.analyze.quotes import extract_quotes, find_marked
from newsdesk.model import Article, Quote
from newsdesk.options import Options


@pytest.fixture(scope="module")
def nlp():
    return load_model(Options().model)


def quotes_of(nlp, body: str, title: str | None = None) -> list[Quote]:
    article = Article(id="t", source="test.txt", body=body, title=title)
    doc = nlp(article.text)
    found = extract_quotes(doc, extract_entities(doc, article), article)
    for q in found:
        assert article.text[q.start : q.end] == q.text
    return found


def only(quotes: list[Quote], kind: str) -> list[Quote]:
    return [q for q in quotes if q.kind == kind]


DIRECT = [
    # body, starts, speaker, cue, channel, addressee
    ("Maria Lopez runs the bakery on Elm Street. “We have never seen prices like this,” she said.",
     "We have never seen prices like this", "Maria Lopez", "said", None, None),
    ("“The bridge will reopen in May,” said Tom Becker, the city engineer.",
     "The bridge will reopen in May", "Tom Becker", "said", None, None),
    ("The minister, Anna Berg, told reporters: “There will be no new taxes this year.”",
     "There will be no new taxes this year.", "Anna Berg", "told", None, "reporters"),
    ('Peter Hall said: "We are ready to sign the contract."',
     "We are ready to sign the contract.", "Peter Hall", "said", None, None),
    ("“The roads are closed until Monday,” Lena Fisch wrote on her Twitter account.",
     "The roads are closed until Monday", "Lena Fisch", "wrote", "Twitter", None),
    ("Omar Haddad told the Guardian in March: “Nobody warned us about the flood.”",
     "Nobody warned us about the flood.", "Omar Haddad", "told", "Guardian", None),
    ("“The deal is dead,” Karl Mertens said in an interview with Reuters.",
     "The deal is dead", "Karl Mertens", "said", "Reuters", None),
    ("“Go home now,” Anna Berg told the protesters outside the station.",
     "Go home now", "Anna Berg", "told", None, "the protesters"),
    ("A woman in the queue spoke to Daniel Roth. She said: “I have waited here since dawn.”",
     "I have waited here since dawn.", "woman in the queue", "said", None, None),
    ("Governor Ruth Oakes visited the harbour. “Nobody will lose their job,” she insisted.",
     "Nobody will lose their job", "Ruth Oakes", "insisted", None, None),
]


@pytest.mark.parametrize("body,starts,speaker,cue,channel,addressee", DIRECT)
def test_direct_quote_patterns(nlp, body, starts, speaker, cue, channel, addressee):
    direct = only(quotes_of(nlp, body), "direct")
    assert len(direct) == 1
    quote = direct[0]
    assert quote.text == starts
    assert quote.speaker is not None and speaker.lower() in quote.speaker.name.lower()
    assert quote.cue == cue
    assert quote.channel == channel
    assert quote.addressee == addressee


def test_multi_paragraph_quote_spans_all_paragraphs(nlp):
    body = (
        "Jonas Weller spoke after the vote. He said: “This is a good day for the town.\n\n"
        "“We waited ten years for this decision.\n\n"
        "“Now the work begins.”\n\nThe council meets again in June."
    )
    (quote,) = only(quotes_of(nlp, body), "direct")
    assert quote.paragraphs == 3
    assert quote.text.startswith("This is a good day")
    assert quote.text.endswith("Now the work begins.")
    assert quote.speaker is not None and quote.speaker.name == "Jonas Weller"


def test_unclosed_quote_ends_with_its_paragraph(nlp):
    body = "Peter Hall said: “We are ready to sign.\n\nThe talks resume on Friday."
    (quote,) = only(quotes_of(nlp, body), "direct")
    assert quote.paragraphs == 1
    assert quote.text == "We are ready to sign."


def test_continuation_quote_inherits_speaker(nlp):
    body = "“We are ready,” said Lena Fisch.\n\n“The trucks leave at dawn.”"
    first, second = only(quotes_of(nlp, body), "direct")
    assert first.speaker is not None and first.speaker.name == "Lena Fisch"
    assert second.speaker is not None and second.speaker.name == "Lena Fisch"


@pytest.mark.parametrize(
    "body,text,speaker",
    [
        ("The mayor Ruth Oakes promised to “fix the potholes” before winter.", "fix the potholes", "Ruth Oakes"),
        ("Chancellor Karl Mertens has vowed to “restore” order in the capital.", "restore", "Karl Mertens"),
    ],
)
def test_partial_quote_speaker_is_sentence_subject(nlp, body, text, speaker):
    (quote,) = only(quotes_of(nlp, body), "partial")
    assert quote.text == text
    assert quote.speaker is not None and quote.speaker.name == speaker


def test_headline_scare_quote_has_no_speaker(nlp):
    found = quotes_of(nlp, "The rains have not come for a year.", title="Farmers ‘abandoned’ as drought deepens")
    (quote,) = only(found, "partial")
    assert quote.text == "abandoned"
    assert quote.speaker is None


REPORTED = [
    # body, contains, speaker, cue, channel
    ("Officials in the region said that the dam was not damaged.",
     "the dam was not damaged", "Officials in the region", "said", None),
    ("The factory will close in June, said Paul Dorne.",
     "The factory will close in June", "Paul Dorne", "said", None),
    ("Residents of the valley told the Telegraph the water had risen overnight.",
     "the water had risen overnight", "Residents of the valley", "told", "Telegraph"),
    ("Analysts have argued that the currency could fall further this year.",
     "the currency could fall further this year", "Analysts", "argued", None),
    ("One woman in the village said her house had flooded twice. Another said the school had been closed for weeks.",
     "the school had been closed for weeks", "another woman in the village", "said", None),
]


@pytest.mark.parametrize("body,contains,speaker,cue,channel", REPORTED)
def test_reported_speech_patterns(nlp, body, contains, speaker, cue, channel):
    reported = [q for q in only(quotes_of(nlp, body), "reported") if contains in q.text]
    assert len(reported) == 1
    quote = reported[0]
    assert quote.text == contains
    assert quote.speaker is not None and quote.speaker.name.lower() == speaker.lower()
    assert quote.cue == cue
    assert quote.channel == channel


@pytest.mark.parametrize(
    "body",
    [
        "It was the mayor’s idea and the farmers’ choice.",  # apostrophes, not marks
        "The police found that the door was open.",  # not a speech verb
        "She told of the damage the storm had caused.",  # narration, no statement
        "Data suggest that prices will rise.",  # "suggest" without a speaker
        "The rock ’n’ roll band played until late.",
    ],
)
def test_near_misses_find_nothing(nlp, body):
    assert quotes_of(nlp, body) == []


def test_day_after_on_is_not_a_channel(nlp):
    (quote,) = quotes_of(nlp, "“We will vote,” Tom Becker said on Thursday.")
    assert quote.channel is None


def test_told_a_person_is_an_addressee_not_a_channel(nlp):
    (quote,) = quotes_of(nlp, "“Stop the shelling,” Anna Berg told Oleg Petrov.")
    assert quote.channel is None
    assert quote.addressee == "Oleg Petrov"


def test_quote_inside_a_quote_is_not_a_separate_quote():
    doubles, singles = find_marked("He said: “They call it a ‘special operation’ here.”")
    assert len(doubles) == 1 and singles == []


def test_straight_marks_pair_up_by_position():
    text = 'He said "yes" and she said "no, never."'
    doubles, _ = find_marked(text)
    assert [text[m.start : m.end] for m in doubles] == ["yes", "no, never."]


def test_quote_after_the_attribution_sentence_keeps_its_speaker(nlp):
    body = '"The plan is simple," Ms. Berg said at a news conference. "Move people out first."'
    first, second = only(quotes_of(nlp, body), "direct")
    assert first.channel == "news conference"
    assert second.speaker is not None and second.speaker.name == "Berg"


def test_quote_after_a_stance_sentence_takes_its_subject(nlp):
    body = "Opposition leader Tomas Varga accused the council of waste. “They spent the money on nothing.”"
    (quote,) = only(quotes_of(nlp, body), "direct")
    assert quote.speaker is not None and "Tomas Varga" in quote.speaker.name


def test_quote_after_a_plain_sentence_stays_unattributed(nlp):
    body = "Tomas Varga visited the harbour on Monday. “The boats are gone.”"
    (quote,) = only(quotes_of(nlp, body), "direct")
    assert quote.speaker is None


def test_pronoun_resolves_to_descriptor_not_the_street_inside_it(nlp):
    body = ("One shop owner on Baker Street, who asked not to be named, told the Post she had lost "
            "everything. She said: “The shelves are empty.”")
    (quote,) = only(quotes_of(nlp, body), "direct")
    assert quote.speaker is not None and quote.speaker.name.lower() == "one shop owner on baker street"


def test_told_an_outlet_is_a_channel_not_an_addressee(nlp):
    (quote,) = only(quotes_of(nlp, "A farmer told the Herald that the fields had flooded twice."), "reported")
    assert quote.channel == "Herald"
    assert quote.addressee is None


def test_reported_clause_stops_before_a_second_speech_act(nlp):
    body = "The ministry denied that inspectors had found cracks, calling the claims “baseless”."
    found = quotes_of(nlp, body)
    (reported,) = only(found, "reported")
    assert reported.text == "inspectors had found cracks"
    (partial,) = only(found, "partial")
    assert partial.text == "baseless" and partial.speaker is not None and "ministry" in partial.speaker.name.lower()


def test_words_quoted_inside_reported_speech_are_partial(nlp):
    body = "Mayor Ruth Oakes told reporters that the city had “enough beds, enough food and enough volunteers” this week."
    found = quotes_of(nlp, body)
    (partial,) = only(found, "partial")
    assert partial.speaker is not None and partial.speaker.name == "Ruth Oakes"
    (reported,) = only(found, "reported")
    assert reported.text.endswith("this week") and reported.addressee == "reporters"
