"""One identity per person and thing: titles, epithets, initials, dotted
abbreviations, mislabelled surnames, people vs places, continents vs towns.

Invented sentences run through the real model; the PolNeAR dev articles (real 2016
US political news) are read at run time from ../shared/dev-data/polnear/ and the
test is skipped when that folder is absent."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from newsdesk.analyze.entities import extract_entities, load_rules, undot
from newsdesk.analyze.pipeline import load_model
from newsdesk.link.aliases import EntityRegistry, link_entities
from newsdesk.model import Analysis, Article, EntityMention
from newsdesk.options import Options

REPO = Path(__file__).resolve().parent.parent
# ../shared of the repository root (a worktree one level deeper looks one further up).
POLNEAR = next(
    (p for p in (base / "shared" / "dev-data" / "polnear" / "dev" / "text" for base in (REPO.parent, REPO.parent.parent))
     if p.is_dir()),
    REPO.parent / "shared" / "dev-data" / "polnear" / "dev" / "text",
)


@pytest.fixture(scope="module")
def nlp():
    return load_model(Options().model)


def mentions_of(nlp, body: str, article_id: str = "t") -> list[EntityMention]:
    article = Article(id=article_id, source=f"{article_id}.txt", body=body)
    return extract_entities(nlp(article.text), article)


def ids_of(mentions: list[EntityMention], text: str) -> set[str]:
    return {m.entity_id for m in mentions if m.text == text}


def test_undot_collapses_dotted_abbreviations_only() -> None:
    assert undot("F.B.I.") == "FBI"
    assert undot("the U.S. Court of Appeals") == "the US Court of Appeals"
    assert undot("J. Smith") == "J. Smith"  # one initial is not an abbreviation


@pytest.mark.parametrize(
    ("body", "full", "expected"),
    [
        ("Director Halvard Penrose defended the inquiry on Tuesday. Penrose said the review was over.",
         "Director Halvard Penrose", "person:halvard-penrose"),
        ("Speaker Orla M. Quintrell scheduled the vote. Quintrell said members would return on Monday.",
         "Speaker Orla M. Quintrell", "person:orla-quintrell"),
        ("Sen. Edwin Marchbank opposed the bill. Marchbank said it was rushed.",
         "Edwin Marchbank", "person:edwin-marchbank"),
    ],
)
def test_titles_roles_and_initials_are_not_part_of_the_name(nlp, body: str, full: str, expected: str) -> None:
    mentions = mentions_of(nlp, body)
    people = {m.entity_id for m in mentions if m.label == "PERSON"}
    assert expected in people
    assert not any(p.startswith(("person:director", "person:speaker", "person:sen")) for p in people)


def test_middle_initial_and_plain_name_are_one_person(nlp) -> None:
    a = mentions_of(nlp, "James T. Holloway testified before the committee for three hours.")
    b = mentions_of(nlp, "James Holloway testified before the committee for three hours.")
    assert ids_of(a, "James T. Holloway") == ids_of(b, "James Holloway") == {"person:james-holloway"}


def test_dotted_and_plain_abbreviations_are_one_org(nlp) -> None:
    a = mentions_of(nlp, "The F.B.I. opened an inquiry into the leak on Friday.")
    b = mentions_of(nlp, "The FBI opened an inquiry into the leak on Friday.")
    assert ids_of(a, "F.B.I.") == ids_of(b, "FBI") == {"org:fbi"}


def test_continent_is_never_a_town(nlp) -> None:
    mentions = mentions_of(nlp, "The drought has spread across Africa and parts of Asia this year.")
    assert ids_of(mentions, "Africa") == {"place:africa"}
    assert ids_of(mentions, "Asia") == {"place:asia"}


def test_a_speaker_is_never_relabelled_a_place(nlp) -> None:
    mentions = mentions_of(nlp, "Tobias Phoenix chaired the panel. Phoenix said the report would be published.")
    assert all(m.label == "PERSON" for m in mentions if "Phoenix" in m.text)


def test_bare_surname_of_any_label_joins_the_full_name_across_articles(nlp) -> None:
    first = Analysis(article=Article(id="a", source="a", body="x"), entities=mentions_of(
        nlp, "Senator Maribel Oyelaran-Frost said the tax bill was dead. Maribel Oyelaran-Frost spoke for an hour.", "a"))
    later = Analysis(article=Article(id="b", source="b", body="x"), entities=[
        EntityMention(0, 15, "Oyelaran-Frost", "ORG", "Oyelaran-Frost", "org:oyelaran-frost"),
    ])
    link_entities(EntityRegistry(), [first, later])
    person = {m.entity_id for m in first.entities if m.label == "PERSON"}
    assert person == {later.entities[0].entity_id}


# --- real sentences (PolNeAR dev, 2016 US political news), read at run time ---------


@pytest.fixture(scope="module")
def polnear(nlp) -> list[Analysis]:
    if not POLNEAR.is_dir():
        pytest.skip("../shared/dev-data/polnear not present")
    paths = sorted(POLNEAR.glob("*.txt"))[:40]
    articles = [Article(id=p.stem, source=p.name, body=p.read_text(encoding="utf-8")) for p in paths]
    return [Analysis(article=a, entities=extract_entities(doc, a))
            for doc, a in zip(nlp.pipe(a.text for a in articles), articles, strict=True)]


def test_real_person_names_carry_no_titles_epithets_or_initials(polnear: list[Analysis]) -> None:
    rules = load_rules()
    for analysis in polnear:
        for m in analysis.entities:
            if m.label != "PERSON":
                continue
            words = m.canonical.split()
            assert words[0].rstrip(".") not in rules.titles or len(words) == 1, m
            assert words[0] not in rules.epithets or len(words) == 1, m
            assert not any(len(w.rstrip(".")) == 1 for w in words[1:-1]), m
            assert "." not in undot(m.canonical).replace(".", "", 0) or not any(
                len(w) == 2 and w.endswith(".") for w in words[1:-1]), m


def test_real_bare_surnames_are_the_person_named_in_full(polnear: list[Analysis]) -> None:
    """In an article that names a person in full, their bare surname is that person
    whatever label the model gave it (it tags "Trump" ORG in most of this copy)."""
    checked = 0
    for analysis in polnear:
        full: dict[str, set[str]] = defaultdict(set)
        for m in analysis.entities:
            if m.label == "PERSON" and len(m.canonical.split()) >= 2:
                full[m.canonical.split()[-1]].add(m.entity_id)
        for m in analysis.entities:
            surname = m.text.removesuffix("’s").removesuffix("'s")
            if len(surname.split()) == 1 and len(full.get(surname, ())) == 1 and m.text == surname:
                assert m.entity_id in full[surname], (analysis.article.id, m)
                checked += 1
    assert checked > 50


def test_real_places_are_never_remote_towns_for_continents(polnear: list[Analysis]) -> None:
    for analysis in polnear:
        for m in analysis.entities:
            if m.text in ("Africa", "Asia", "Europe"):
                assert m.entity_id == f"place:{m.text.lower()}", m
