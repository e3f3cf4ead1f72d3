"""One parametrised test per residue rule: lines that go (with their reason) and
near-miss real sentences that must stay."""

from __future__ import annotations

import pytest

from newsdesk.clean import clean
from newsdesk.model import RawArticle
from newsdesk.options import Options
from newsdesk.residue import drop_reason, is_repeated_headline

DROPPED = [
    ("READ MORE: Rejected student row raises ‘more questions’", "read-more-teaser"),
    ("Read more: Council votes to close the pier market", "read-more-teaser"),
    ("MORE: Energy bills push three more food firms into the red", "read-more-teaser"),
    ("WATCH: The moment the dam wall gave way", "read-more-teaser"),
    ("Also interesting: Record heat in February – farmers fear for the harvest", "read-more-teaser"),
    ("Leave a Reply", "comment-prompt"),
    ("Your email address will not be published.", "comment-prompt"),
    ("Your email address will not be published. Required fields are marked *", "comment-prompt"),
    ("Comments are closed.", "comment-prompt"),
    ("Join the conversation", "comment-prompt"),
    ("12 comments", "comment-prompt"),
    ("source site-34", "aggregator-tag"),
    ("Tags: Millbrook, Flooding, Weather", "tag-line"),
    ("Filed under: Politics, Elections", "tag-line"),
    ("Sign up to our free newsletter for the latest news in your inbox.", "newsletter-prompt"),
    ("Get the Island Gazette newsletter delivered to your inbox every Friday.", "newsletter-prompt"),
    ("Thank you for subscribing!", "newsletter-prompt"),
    ("Sign up now", "newsletter-prompt"),
    ("We use your sign-up to provide content in ways you've consented to", "newsletter-prompt"),
    ("Share this article", "share-prompt"),
    ("Share on Facebook", "share-prompt"),
    ("Follow us on Twitter and Facebook for live results.", "share-prompt"),
    ("Share | Tweet | Email", "share-prompt"),
    ("Related:", "related-links"),
    ("Related: Ferry fares to rise by ten per cent", "related-links"),
    ("Most read", "related-links"),
    ("Related articles", "related-links"),
    ("You may also like", "related-links"),
    ("Picture: Northern Botanic Institute", "photo-credit"),
    ("Photo credit: Jane Doe", "photo-credit"),
    ("Stalls on the pier deck last summer (Photo: Harbour Daily)", "photo-credit"),
    ("Kadyrov at a rally in Grozny (Image: Getty)", "photo-credit"),
    ("Rescue workers search the rubble. AFP via Getty Images", "photo-credit"),
    ("Advertisement", "advertisement"),
    ("ADVERTISEMENT", "advertisement"),
    ("Story continues below advertisement", "advertisement"),
    ("We use cookies to improve your experience on our site.", "cookie-notice"),
    ("Millbrook flood barrier delayed again as costs soar...", "ellipsis-teaser"),
    ("Seal numbers on Corran at highest level in twenty years…", "ellipsis-teaser"),
    ("***", "empty"),
    ("• | •", "empty"),
]

KEPT = [
    # real sentences that share words with a rule
    "Read more about the dam in the 2019 inspection report, the board said.",
    "More than 400 homes were evacuated on Tuesday.",
    "Residents were asked to leave a reply slip at the town hall by Friday.",
    "The source of the leak was traced to a pipe under site 34 of the industrial estate, engineers said on Monday.",
    "Share prices fell 4 per cent in early trading before recovering.",
    "Shares in Brightwater fell 4 per cent.",
    "He said supporters should follow the advice of the police and stay at home.",
    "Related charges were dropped against two other men.",
    "Most read the statement as a climbdown by the government.",
    "The photo, taken in 1973, shows the orchid in bloom.",
    "The advertisement campaign cost the council £40,000, according to the report.",
    "The company said it uses cookies and other trackers on its app, which regulators are now examining in detail.",
    "“If changes are not made today or tomorrow...” Kadyrov wrote.",
    "Hardliners put pressure on Putin",
    "Tags were attached to the birds so that researchers could follow them.",
    "Subscribers to the water board's alerts were warned on Sunday night.",
    "By the end of the week, the river had fallen by a metre.",
    "Voters can sign up today at the town hall, the council said.",
    "Also interesting was the mayor's silence on the cost of the repairs.",
    "Sign up rates for the new bus pass doubled in the first month, the council said in its annual report on transport.",
]


@pytest.mark.parametrize(("line", "reason"), DROPPED)
def test_residue_line_is_dropped_with_reason(line: str, reason: str):
    assert drop_reason(line, position=10, total=20) == reason


@pytest.mark.parametrize("line", KEPT)
def test_real_sentence_is_kept(line: str):
    assert drop_reason(line, position=10, total=20) is None


@pytest.mark.parametrize(("line", "reason"), DROPPED)
def test_clean_drops_the_line_and_records_it(line: str, reason: str):
    text = f"The first real paragraph of the story, written for this test.\n\n{line}\n\nThe last real paragraph of the story, also invented."
    article = clean(RawArticle(source="t.txt", text=text, title="Invented headline"), Options())
    assert line not in article.body
    assert [(d.text, d.reason) for d in article.dropped] == [(line, reason)]


@pytest.mark.parametrize("line", KEPT)
def test_clean_keeps_real_sentences(line: str):
    text = f"The first real paragraph of the story, written for this test.\n\n{line}\n\nThe last real paragraph of the story, also invented."
    article = clean(RawArticle(source="t.txt", text=text, title="Invented headline"), Options())
    assert line in article.body and article.dropped == []


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("By Amira Castell", "byline"),
        ("By Amira Castell and Tom Reyes, Political Correspondents", "byline"),
        ("PUBLISHED: 10:49, Thu, Sep 22, 2022 | UPDATED: 11:09, Thu, Sep 22, 2022", "timestamp"),
    ],
)
def test_head_only_rules_apply_near_the_top_only(line, reason):
    assert drop_reason(line, position=0, total=20) == reason
    assert drop_reason(line, position=15, total=20) is None


@pytest.mark.parametrize(
    ("line", "title", "repeated"),
    [
        ("He does not send his own troops", "He does not send his own troops: Kadyrov insults fleeing Russians as cowards", True),
        ("Kadyrov calls fleeing Russians cowards", "He does not send his own troops: Kadyrov insults fleeing Russians as cowards", True),
        ("River Elm bursts its banks", "River Elm bursts its banks as Millbrook evacuates 400 homes", True),
        ("Hardliners put pressure on Putin", "He does not send his own troops: Kadyrov insults fleeing Russians as cowards", False),
        # a lede sharing the headline's words is a sentence, not a kicker
        ("River Elm bursts its banks in Millbrook.", "River Elm bursts its banks as Millbrook evacuates 400 homes", False),
        ("Council meets on Thursday", "River Elm bursts its banks as Millbrook evacuates 400 homes", False),
    ],
)
def test_repeated_headline_matching(line, title, repeated):
    assert is_repeated_headline(line, title) is repeated


_TITLE = '"Water came at night": Brehovar evacuates thousands after Kalnik dam break'
_FILLER = [f"Paragraph {i} of the invented report says the river rose again near the bridge." for i in range(8)]


def _clean_text(lines: list[str], title: str = _TITLE):
    return clean(RawArticle(source="x.txt", text="\n\n".join([title, *lines]), title=title), Options())


@pytest.mark.parametrize(
    "line",
    [
        '"Water came at night"',  # the kicker part of the title, in quotes
        "Water came at night",  # ... without them
        "WATER CAME AT NIGHT!",  # case and punctuation do not matter
        "Brehovar evacuates thousands after Kalnik dam break",  # the part after the colon
        '"Water came at night": Brehovar evacuates thousands after Kalnik dam break',  # the whole title
    ],
)
def test_headline_part_repeated_at_the_end_is_dropped(line: str):
    article = _clean_text([*_FILLER, line, "source site-12"])
    assert line not in article.body.split("\n\n")
    assert article.dropped[-2].text == line and article.dropped[-2].reason == "repeated-headline"
    assert article.body.endswith(_FILLER[-1])


@pytest.mark.parametrize(
    "line",
    [
        "The water came at night, without any siren.",  # shares words, but a sentence
        "Water came at night.",  # ends like a sentence: prose, not a kicker
        "Water came at night and again at dawn",  # more than the headline part
        "Night came before the water",  # same words, different line
        "Brehovar",  # one word of the title is not a title part
    ],
)
def test_near_misses_of_the_headline_stay_in_the_body(line: str):
    article = _clean_text([*_FILLER[:4], line, *_FILLER[4:]])
    assert line in article.body.split("\n\n")
    assert all(d.text != line for d in article.dropped)


def test_a_reworded_kicker_dropped_at_the_top_is_dropped_again_at_the_end():
    title = "Kadyrov insults fleeing Russians as cowards"
    kicker = "Kadyrov calls fleeing Russians cowards"  # fuzzy match, top lines only
    article = _clean_text([kicker, *_FILLER, kicker], title=title)
    assert [d.text for d in article.dropped if d.reason == "repeated-headline"] == [title, kicker, kicker]


def test_fuzzy_rewording_is_not_dropped_further_down():
    title = "Kadyrov insults fleeing Russians as cowards"
    article = _clean_text([*_FILLER, "Kadyrov calls fleeing Russians cowards", *_FILLER], title=title)
    assert "Kadyrov calls fleeing Russians cowards" in article.body


def test_reader_standfirst_is_used_and_its_body_copy_removed():
    standfirst = "Officials ordered two neighborhoods cleared as the river rose to record levels."
    raw = RawArticle(
        source="x.html",
        text="\n\n".join([standfirst, *_FILLER]),
        title="Dam fails above the city",
        standfirst=standfirst,
    )
    article = clean(raw, Options())
    assert article.standfirst == standfirst
    assert article.body.startswith(_FILLER[0])
    assert all(d.text != standfirst for d in article.dropped)  # moved, not cut
