"""Cross-outlet claim comparison: alignment, status labels, divergence kinds, related
pairs. Hand-built analyses (invented text) pin each rule; the seeds check that the
real pipeline's output surfaces the related claims of the gold file."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pytest

from newsdesk.compare import compare, compare_story, find_numbers
from newsdesk.model import Analysis, Article, Claim, EntityMention, Sentence, Timex

_SENT = re.compile(r"[^.!?]+[.!?]?")


def make_analysis(
    outlet: str,
    body: str,
    title: str | None = None,
    entities: dict[str, tuple[str, str]] | None = None,
    sources: dict[str, tuple[str, str]] | None = None,
    timexes: dict[str, str] | None = None,
    source_file: str | None = None,
) -> Analysis:
    """An Analysis as the analyzer would give it: every sentence a claim (source the
    outlet unless ``sources`` maps a sentence fragment to (source, kind)), entity and
    timex mentions found by their surface text."""
    article = Article(
        id=Article.content_id(title, body + outlet),
        source=source_file or f"{outlet.lower()}.txt",
        body=body,
        outlet=outlet,
        title=title,
    )
    text = article.text
    sentences: list[Sentence] = []
    pos = 0
    for para_no, para in enumerate(text.split("\n\n")):
        for m in _SENT.finditer(para):
            chunk = m.group(0)
            lead = len(chunk) - len(chunk.lstrip())
            start = pos + m.start() + lead
            end = pos + m.end()
            if text[start:end].strip():
                sentences.append(Sentence(start, end, text[start:end], para_no, article.section_at(start)))
        pos += len(para) + 2
    mentions = [
        EntityMention(m.start(), m.end(), name, label, canonical, canonical.lower().replace(" ", "_"))
        for name, (label, canonical) in (entities or {}).items()
        for m in re.finditer(re.escape(name), text)
    ]
    times = [
        Timex(m.start(), m.end(), surface, "DATE", value, anchored=True)
        for surface, value in (timexes or {}).items()
        for m in re.finditer(re.escape(surface), text)
    ]
    claims = []
    for s in sentences:
        if s.section == "title":
            continue
        source, kind = outlet, "outlet"
        for fragment, (src, src_kind) in (sources or {}).items():
            if fragment in s.text:
                source, kind = src, src_kind
        certainty = "reported" if kind != "outlet" else "asserted"
        claims.append(Claim(s.start, s.end, s.text, source, kind, certainty))  # type: ignore[arg-type]
    return Analysis(article, sentences, mentions, [], times, claims)


ENTS = {"Riverton": ("GPE", "Riverton"), "Jane Doe": ("PERSON", "Jane Doe")}
FILLER_G = "The Gazette visited the shelter at Oak School."
FILLER_H = "Volunteers from the Herald handed out blankets to families in tents."


def pair(a: str, b: str, **kw: dict) -> list[Analysis]:
    return [
        make_analysis("Gazette", f"{a} {FILLER_G}", entities=ENTS, **kw.get("g", {})),
        make_analysis("Herald", f"{b} {FILLER_H}", entities=ENTS, **kw.get("h", {})),
    ]


def group_with(groups: Sequence, fragment: str):
    return next(g for g in groups if any(fragment in c.text for c in g.claims))


def test_corroborated_same_statement_in_two_outlets() -> None:
    groups = compare(pair("Heavy rain flooded the Riverton district overnight.",
                          "Heavy rain flooded the whole Riverton district overnight."))
    g = group_with(groups, "Heavy rain")
    assert g.status == "corroborated"
    assert sorted(g.outlets) == ["Gazette", "Herald"]
    assert len(g.claims) == 2
    assert g.why == "reported by 2 outlets: Gazette, Herald"


def test_single_source_claim() -> None:
    groups = compare(pair("Heavy rain flooded the Riverton district overnight.",
                          "Heavy rain flooded the Riverton district overnight."))
    g = group_with(groups, "Oak School")
    assert g.status == "single-source"
    assert g.outlets == ["Gazette"]
    assert g.why == "only Gazette reports this"


@pytest.mark.parametrize(
    ("a", "b", "extra", "why"),
    [
        (
            "About 1,200 residents were evacuated from Riverton.",
            "About 1,500 residents were evacuated from Riverton.",
            {},
            "count differs: about 1,200 (Gazette) vs about 1,500 (Herald)",
        ),
        (
            "Twelve hundred residents were evacuated from Riverton.",
            "About 1,500 residents were evacuated from Riverton.",
            {},
            "count differs: Twelve hundred (Gazette) vs about 1,500 (Herald)",
        ),
        (
            "The Riverton dam was inspected on 3 March by engineers.",
            "The Riverton dam was inspected on 5 March by engineers.",
            {"g": {"timexes": {"3 March": "2023-03-03"}}, "h": {"timexes": {"5 March": "2023-03-05"}}},
            "date differs: 3 March = 2023-03-03 (Gazette) vs 5 March = 2023-03-05 (Herald)",
        ),
    ],
    ids=["numbers", "number-words", "dates"],
)
def test_divergent_kinds(a: str, b: str, extra: dict, why: str) -> None:
    groups = compare(pair(a, b, **extra))
    g = group_with(groups, "Riverton")
    assert g.status == "divergent", g
    assert g.why.startswith(why)
    assert sorted(g.outlets) == ["Gazette", "Herald"]
    # the fact itself is still corroborated: the slot differs, not the event
    assert any(x.status == "corroborated" and len(x.claims) == 2 for x in groups)


def test_negated_main_clause_is_a_polarity_divergence() -> None:
    groups = compare(pair("The mayor of Riverton ordered an evacuation of the valley.",
                          "The mayor of Riverton did not order an evacuation of the valley."))
    g = group_with(groups, "Riverton")
    assert g.status == "divergent"
    assert g.why == "polarity differs: affirmative (Gazette) vs “not” (Herald)"


def test_a_not_outside_the_main_clause_is_no_polarity_divergence() -> None:
    groups = compare(pair("The old dam at Riverton held during the storm.",
                          "The old dam at Riverton, which was not inspected, held during the storm."))
    assert not any(g.status == "divergent" for g in groups)


def test_different_sources_are_not_a_divergence() -> None:
    groups = compare(pair(
        "The dam at Riverton had been poorly maintained for years, said Jane Doe.",
        "The dam at Riverton had been poorly maintained for years, firefighters said.",
        g={"sources": {"poorly": ("Jane Doe", "speaker")}},
        h={"sources": {"poorly": ("firefighters", "unnamed")}},
    ))
    assert group_with(groups, "poorly").status == "corroborated"
    assert not any(g.status == "divergent" for g in groups)


def test_number_words_and_separators_normalised_are_consistent() -> None:
    groups = compare(pair("Twelve hundred residents were evacuated from Riverton.",
                          "1,200 residents were evacuated from Riverton."))
    assert group_with(groups, "evacuated").status == "corroborated"


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("about 1,200 people", [1200]),
        ("1 200 people and 3.5 million dollars", [1200, 3_500_000]),
        ("twelve hundred people", [1200]),
        ("three hundred thousand reservists", [300_000]),
        ("twenty-five soldiers and 300,000 reservists", [25, 300_000]),
        ("no numbers here", []),
    ],
)
def test_find_numbers(text: str, values: list[float]) -> None:
    assert [n.value for n in find_numbers(text)] == values


def test_claim_refs_are_exact_source_sentences_including_titles() -> None:
    analyses = [
        make_analysis("Gazette", "Rain fell all night in the valley.", title="Riverton dam bursts after storm",
                      entities=ENTS),
        make_analysis("Herald", "Families slept in tents near the school.", title="Riverton dam bursts after storm",
                      entities=ENTS),
    ]
    groups = compare(analyses)
    by_id = {a.article.id: a.article for a in analyses}
    for g in groups:
        for ref in g.claims:
            assert by_id[ref.article_id].text[ref.start:ref.end] == ref.text
    title_group = group_with(groups, "dam bursts")
    assert title_group.status == "corroborated"
    assert all(ref.start == 0 for ref in title_group.claims)


def test_same_outlet_twice_is_single_source() -> None:
    analyses = [
        make_analysis("Gazette", "Heavy rain flooded the Riverton district overnight.", entities=ENTS,
                      source_file="g1.txt"),
        make_analysis("Gazette", "Heavy rain flooded the Riverton district overnight again.", entities=ENTS,
                      source_file="g2.txt"),
    ]
    groups = compare(analyses)
    assert all(g.status == "single-source" and g.outlets == ["Gazette"] for g in groups)


def test_unrelated_sentences_do_not_align() -> None:
    groups = compare(pair("Heavy rain flooded the Riverton district overnight.",
                          "The mayor Jane Doe opened a new library in Riverton."))
    assert all(g.status == "single-source" for g in groups)


def test_related_pairs_tension_and_related() -> None:
    analyses = [
        make_analysis(
            "Gazette",
            "Hundreds of Riverton residents fled their homes before the storm. "
            "The mayor Jane Doe visited the shelter at Oak School.",
            entities=ENTS,
        ),
        make_analysis(
            "Herald",
            "The mayor Jane Doe said Riverton would not order an evacuation. "
            "Many families from Riverton left for the coast on Sunday.",
            entities=ENTS,
        ),
    ]
    related = compare_story(analyses).related
    found = {(p.relation, p.a.text[:20], p.b.text[:20]) for p in related}
    assert ("tension", "Hundreds of Riverton", "The mayor Jane Doe s") in found
    # "related" needs both main predicates in one field: "fled" / "left"
    assert ("related", "Hundreds of Riverton", "Many families from R") in found
    tension = next(p for p in related if p.relation == "tension")
    assert "leaving" in tension.fields and "Riverton" in tension.entities
    assert "Herald negates (“not”)" in tension.why


def test_demonym_meets_its_place() -> None:
    ents_g = {"Ruritanians": ("NORP", "Ruritanians"), "Jane Doe": ("PERSON", "Jane Doe")}
    ents_h = {"Ruritania": ("GPE", "Ruritania"), "Doe": ("PERSON", "Doe")}
    analyses = [
        make_analysis("Gazette", "Ruritanians are fleeing the country to avoid the draft.", entities=ents_g),
        make_analysis("Herald", "Jane Doe said Ruritania would not join the mobilisation.", entities=ents_h),
    ]
    related = compare_story(analyses).related
    assert related and related[0].relation == "tension"
    assert "Ruritania" in related[0].entities


def test_no_claims_gives_no_groups() -> None:
    article = Article(id="x", source="x.txt", body="")
    assert compare([Analysis(article)]) == []


# --------------------------------------------------------------------------- seeds


@pytest.fixture(scope="module")
def seed_analyses(seed_paths: dict) -> list[Analysis]:
    try:
        from newsdesk.oneshot import analyze_paths
        from newsdesk.options import Options

        result = analyze_paths(sorted(seed_paths.values()), Options())
    except ImportError as exc:  # the analyzer is built by another stage
        pytest.skip(f"analyzer not available: {exc}")
    assert not result.failures
    return result.analyses


def _norm(text: str) -> str:
    return " ".join(text.split())


def _pairs_matching(related: list[dict], first: str, second: str) -> list[dict]:
    """Related pairs with ``first`` in one claim and ``second`` in the other."""
    out = []
    for p in related:
        a, b = _norm(p.a.text), _norm(p.b.text)
        if (first in a and second in b) or (first in b and second in a):
            out.append(p)
    return out


@pytest.mark.seeds
def test_seed_related_claims_found(seed_analyses: list[Analysis], gold: dict) -> None:
    related = compare_story(seed_analyses).related
    for expected in gold["cross_document"]["related_claims"]:
        hits = _pairs_matching(related, expected["000"], expected["001"])
        assert hits, f"related pair not found: {expected}"
        assert hits[0].relation == expected["relation"].split(":")[0]


def test_same_source_named_twice_is_not_an_attribution_difference() -> None:
    groups = compare(pair(
        "The river at Riverton peaked at 640 centimetres, according to the national hydrological service.",
        "The river at Riverton peaked at 660 centimetres, according to the hydrological service.",
        g={"sources": {"peaked": ("the national hydrological service", "unnamed")}},
        h={"sources": {"peaked": ("the hydrological service", "unnamed")}},
    ))
    g = group_with(groups, "peaked")
    assert g.status == "divergent"
    assert g.why == "amount (length) differs: 640 centimetres (Gazette) vs 660 centimetres (Herald)"


def test_differently_worded_counts_align_and_summarise_per_value() -> None:
    analyses = [
        make_analysis("Gazette", "Riverton dam breach: 1,500 evacuated as river bursts its banks.", entities=ENTS),
        make_analysis("Herald", "Around 2,000 residents of Riverton had to leave their homes.", entities=ENTS),
        make_analysis("Post", "Some 1,500 people were evacuated from Riverton overnight.", entities=ENTS),
        make_analysis("Times", "The Riverton library lent 1,500 books in March.", entities=ENTS),
    ]
    groups = compare(analyses)
    # paraphrased counts of one event align as one fact only when the event is shared;
    # the library's 1,500 books never joins them, and no divergence rests on it
    assert not any("books" in c.text for g in groups if g.status != "single-source" for c in g.claims)
    assert not any(g.status == "divergent" and "books" in g.why for g in groups)


def test_event_dates_align_by_neighbouring_words_and_ignore_reporting_dates() -> None:
    analyses = [
        make_analysis("Gazette", "The Riverton dam gave way on Tuesday evening, police said on Wednesday.",
                      entities=ENTS, timexes={"Tuesday evening": "2024-03-05TEV", "Wednesday": "2024-03-06"}),
        make_analysis("Herald", "A dam above Riverton gave way early on Wednesday after heavy rain.",
                      entities=ENTS, timexes={"Wednesday": "2024-03-06"}),
        make_analysis("Post", "Riverton's dam gave way on Tuesday, flooding the valley.",
                      entities=ENTS, timexes={"Tuesday": "2024-03-05"}),
    ]
    g = group_with(compare(analyses), "gave way")
    assert g.status == "divergent"
    assert g.why.startswith("date differs:")
    assert "Tuesday evening = 2024-03-05 (Gazette, Post)" in g.why
    assert "Wednesday = 2024-03-06 (Herald)" in g.why
    # weekdays were resolved by newsdesk: the finding says so and shows the words
    assert "newsdesk resolved itself from “Tuesday evening”" in g.why


def test_ages_in_unaligned_sentences_diverge_only_as_near_misses() -> None:
    analyses = [
        make_analysis("Gazette", "The hikers, aged 20 to 25, left Riverton at dawn with two guides.", entities=ENTS),
        make_analysis("Herald", "Rescuers said the hikers were between the ages of 20-24.", entities=ENTS),
        make_analysis("Post", "The mayor Jane Doe, who took office aged 61, thanked the rescuers.", entities=ENTS),
    ]
    divergent = [g for g in compare(analyses) if g.status == "divergent"]
    assert len(divergent) == 1
    assert divergent[0].why.startswith("age differs: aged 20 to 25 (Gazette) vs ages of 20-24 (Herald)")
    assert not any("61" in g.why for g in divergent)


def test_year_of_the_same_role_diverges_across_groups() -> None:
    ents = {"Riverton": ("GPE", "Riverton"), "Jane Doe": ("PERSON", "Jane Doe")}
    analyses = [
        make_analysis("Gazette", "Jane Doe had been the mayor of Riverton since 2011, winning three elections.",
                      entities=ents, timexes={"2011": "2011"}),
        make_analysis("Herald", "Jane Doe moved to Riverton in 1999 and was elected mayor of Riverton in 2012.",
                      entities=ents, timexes={"1999": "1999", "2012": "2012"}),
    ]
    divergent = [g for g in compare(analyses) if g.status == "divergent"]
    assert [g.why for g in divergent] == ["year differs: 2011 = 2011 (Gazette) vs 2012 = 2012 (Herald)"]


def test_differently_worded_counts_of_one_event_diverge_across_groups() -> None:
    # invented: one outlet says people were evacuated, the other that residents had to
    # leave; the sentences share little else, yet they give one slot two values
    analyses = [
        make_analysis("Gazette", "Some 1,500 people were evacuated from Riverton overnight after the levee broke.",
                      entities=ENTS),
        make_analysis("Herald", "In Riverton, around 2,000 residents had to leave their homes.", entities=ENTS),
    ]
    groups = compare(analyses)
    div = [g for g in groups if g.status == "divergent" and g.why.startswith("count differs")]
    assert div and "1,500" in div[0].why and "2,000" in div[0].why


def test_a_count_broken_down_or_far_apart_is_not_a_divergence() -> None:
    # "1,500 displaced, including 300 children" breaks a total down; 400 against 2,000
    # are two different counts, not one disputed
    analyses = [
        make_analysis("Gazette", "The floods in Riverton displaced 1,500 people, including 300 children.",
                      entities=ENTS),
        make_analysis("Herald", "In Riverton, around 2,000 residents had to leave their homes.", entities=ENTS),
        make_analysis("Post", "Last year 400 people fled Riverton when the river rose.", entities=ENTS),
    ]
    groups = compare(analyses)
    assert not any(g.status == "divergent" and g.why.startswith("count differs") for g in groups)


def test_clause_segments_come_from_the_parse() -> None:
    from newsdesk.compare.clauses import clauses

    text = "The mayor, who has led the city since 2011, said the bridge would reopen in May."
    (c,) = clauses([text])
    spans = [text[s:e] for s, e in c.segments]
    if not c.predicates:  # no spaCy model: no segments either
        assert spans == []
        return
    assert any(s.startswith("who has led the city") for s in spans)
    assert any("bridge would reopen" in s for s in spans)
    assert text not in spans


def test_a_fact_in_one_clause_of_a_long_sentence_aligns_with_its_paraphrase() -> None:
    # invented: the shared fact (the library closes) is one clause of a long sentence
    # about something else; the whole sentences barely meet, the clauses do
    from newsdesk.compare.claim_info import claim_infos
    from newsdesk.compare.facts import pair_scores
    from newsdesk.compare.lexicon import load_config
    from newsdesk.config import overridden

    long = ("Parents who had campaigned for months against cuts to bus routes, swimming lessons and school "
            "meals said they were furious that the council had voted to shut the Riverton library for good.")
    short = "Riverton's library will close for good, the council decided."
    analyses = [make_analysis("Gazette", f"{long} {FILLER_G}", entities=ENTS),
                make_analysis("Herald", f"{short} {FILLER_H}", entities=ENTS)]
    infos, _ = claim_infos(analyses)
    a = next(i.index for i in infos if i.ref.text == long)
    b = next(i.index for i in infos if i.ref.text == short)
    facts = load_config()["facts"]
    with_clauses = float(pair_scores(infos).total[a, b])
    with overridden({"compare": {"facts": {"clause_weight": 0.0}}}):
        sentence_only = float(pair_scores(infos).total[a, b])
    if sentence_only == with_clauses:  # no spaCy model: no clauses to compare
        pytest.skip("no parser model")
    assert sentence_only < facts["same_fact"] <= with_clauses
    # the two other sentences stay apart
    g = group_with(compare(analyses), "furious")
    assert g.status == "corroborated" and not any("shelter" in c.text or "blankets" in c.text for c in g.claims)
