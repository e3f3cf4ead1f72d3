"""Named entities: spaCy's mentions, corrected and given one canonical name per real thing.

Why not spaCy's output as is: the small English model makes errors that matter to
an analyst comparing reports (Kiev/Kyiv tagged PERSON, Mariupol ORG, "Chechens" a
place, "Telegram" a PRODUCT, "Emil Solomon Aslan" cut to "Solomon Aslan"), and it
gives every mention separately, while a story is about *things*: "Kadyrov",
"Kadyrov’s" and "Ramzan Kadyrov" are one person, "Kiev" and "Kyiv" one city.
The corrections come from data (``data/entities.toml`` and the generated gazetteer
``data/places.json``); ``entity_id`` (``person:ramzan-kadyrov``, ``place:kyiv``) is a
stable slug that cross-document linking starts from.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc, Span, Token

from newsdesk.config import data_text, override_path
from newsdesk.config import settings as config_settings
from newsdesk.model import Article, EntityMention

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
LEADING_ARTICLES = ("the ", "The ")
MAX_NAME_TOKENS = 3  # longest gazetteer/org name looked up for untagged mentions
DOTTED_ABBREVIATION = re.compile(r"\b(?:[A-Z]\.){2,}(?![A-Za-z])")
NAME_PREFIX = re.compile(r"^(?:pro|anti|ex|non)-(?=[A-Z])")
MIDDLE_INITIAL = re.compile(r"^[A-Z]\.?$")
# Labels the small model gives a surname by mistake ("Trump" ORG): when the article
# names the person in full, such a mention is the person.
SURNAME_MISLABELS = frozenset({"ORG", "GPE", "LOC", "FAC", "NORP", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW"})


@dataclass(frozen=True)
class Place:
    """A gazetteer entry: the canonical name and how much evidence it carries."""

    name: str
    kind: str  # country | region | city
    population: int


@dataclass(frozen=True)
class EntityRules:
    """Everything the corrections need, loaded once per process from package data."""

    keep_labels: frozenset[str]
    id_class: dict[str, str]
    aliases: dict[str, Place]
    min_population_relabel: int
    min_population_add: int
    keep_person: frozenset[str]
    orgs: dict[str, str]
    titles: frozenset[str]
    epithets: frozenset[str]
    speech_verbs: frozenset[str]
    demonym_suffixes: tuple[str, ...]
    plural_demonym_suffixes: tuple[str, ...]
    min_demonym_stem: int
    region_names: tuple[str, ...]

    def is_plural_demonym(self, word: str) -> bool:
        """ "Chechens", "Ukrainians": a plural people-name derived from a country/region."""
        for suffix in self.plural_demonym_suffixes:
            stem = word[: -len(suffix)]
            if word.endswith(suffix) and len(stem) >= self.min_demonym_stem:
                return any(name.startswith(stem) for name in self.region_names)
        return False

    def place(self, name: str, *, min_population: int) -> Place | None:
        """The place a name denotes when it is safe to treat it as one."""
        place = self.aliases.get(name)
        if place is None:
            return None
        if place.kind == "city" and place.population < min_population:
            return None
        return place


@lru_cache(maxsize=1)
def load_rules() -> EntityRules:
    """Read ``entities.toml`` and ``places.json`` (about 4 MB) once per process; built
    once, then loaded from newsdesk.datacache (half the time)."""
    from newsdesk.datacache import cached

    data = resources.files("newsdesk.data")
    sources = [data.joinpath("entities.toml"), data.joinpath("places.json")]
    override = override_path()
    if override is not None:  # a run's --config may change entities.* settings
        sources.append(override)  # type: ignore[arg-type]
    return cached("entity-rules", sources, _build_rules)  # type: ignore[arg-type]


def _build_rules() -> EntityRules:
    cfg = config_settings("entities")
    # The generated gazetteer is data, not a setting: parsed, not frozen (4 MB).
    gazetteer = json.loads(data_text("places.json"))
    places = [Place(name, kind, int(pop)) for name, kind, _cc, pop in gazetteer["places"]]
    aliases = {alias: places[index] for alias, index in gazetteer["aliases"].items()}
    for alias, canonical in cfg["places"]["extra"].items():
        aliases[alias] = Place(canonical, "region", 0)
    for name in cfg["places"].get("continents", []):
        aliases[name] = Place(name, "region", 0)
    return EntityRules(
        keep_labels=frozenset(cfg["keep_labels"]),
        id_class=dict(cfg["id_class"]),
        aliases=aliases,
        min_population_relabel=int(cfg["places"]["min_population_relabel"]),
        min_population_add=int(cfg["places"]["min_population_add"]),
        keep_person=frozenset(cfg["places"]["keep_person"]),
        orgs=dict(cfg["orgs"]),
        titles=frozenset(cfg["persons"]["titles"]),
        epithets=frozenset(cfg["persons"].get("epithets", [])),
        speech_verbs=frozenset(cfg["persons"].get("speech_verbs", [])),
        demonym_suffixes=tuple(cfg["norp"]["demonym_suffixes"]),
        plural_demonym_suffixes=tuple(cfg["norp"]["plural_demonym_suffixes"]),
        min_demonym_stem=int(cfg["norp"]["min_demonym_stem"]),
        region_names=tuple(sorted({p.name for p in aliases.values() if p.kind != "city"})),
    )


def slugify(text: str) -> str:
    """ASCII, lower-case, hyphen-separated: stable across runs and machines."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def entity_id(label: str, canonical: str) -> str:
    """``person:ramzan-kadyrov``: label class plus slug, shared by all mentions of a thing."""
    rules = load_rules()
    return f"{rules.id_class.get(label, label.lower())}:{slugify(canonical)}"


def undot(text: str) -> str:
    """ "F.B.I." -> "FBI", "U.S. Court" -> "US Court": outlets differ in house style
    on dotted abbreviations, and one thing must get one name."""
    return DOTTED_ABBREVIATION.sub(lambda m: m.group().replace(".", ""), text)


def strip_article(text: str) -> str:
    """ "the Guardian" -> "Guardian": outlets are named with and without the article.
    Dotted abbreviations lose their dots (``undot``)."""
    for prefix in LEADING_ARTICLES:
        if text.startswith(prefix):
            return undot(text[len(prefix) :])
    return undot(text)


@dataclass
class _Draft:
    """A mention being corrected: token span, label, canonical name (None = not yet)."""

    start: int
    end: int
    label: str
    canonical: str | None = None
    sure_person: bool = False  # a title before it or a speech verb after: never a place


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop a trailing possessive or punctuation token ("Kadyrov’s" -> "Kadyrov")."""
    while end > start + 1 and (doc[end - 1].text in POSSESSIVE or doc[end - 1].is_punct):
        end -= 1
    return start, end


def _relabel(draft: _Draft, span: Span, multi_token_person_words: set[str], rules: EntityRules) -> None:
    """Fix the label of one spaCy mention and set its canonical name when data knows it."""
    key = strip_article(span.text)
    if key in rules.orgs:
        draft.label, draft.canonical = "ORG", rules.orgs[key]
        return
    if draft.label in PLACE_LABELS:
        place = rules.aliases.get(key)
        if place is not None:
            draft.canonical = place.name
        elif len(span) == 1 and key.lower().endswith(rules.demonym_suffixes):
            draft.label = "NORP"
        return
    if (
        draft.label in ("PERSON", "ORG")
        and len(span) == 1
        and key not in rules.aliases
        and rules.is_plural_demonym(key)
    ):
        draft.label = "NORP"  # "Chechens" as PERSON/ORG: a plural demonym is a group
        return
    if draft.label == "PERSON":
        if _speaks(span, rules) or (span.start > 0 and span.doc[span.start - 1].text.rstrip(".") in rules.titles):
            draft.sure_person = True
            return
        if key in rules.keep_person or key in multi_token_person_words or len(span) > 1:
            return
    if draft.label in ("PERSON", "ORG", "PRODUCT", "WORK_OF_ART", "NORP"):
        place = rules.place(key, min_population=rules.min_population_relabel)
        if place is not None and not (draft.label == "NORP" and place.kind == "city"):
            draft.label, draft.canonical = "GPE", place.name


def _speaks(span: Span, rules: EntityRules) -> bool:
    """The mention is the subject of a speech verb ("Phoenix said"): places do not speak."""
    root = span.root
    return root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_.lower() in rules.speech_verbs


def _extend_person(doc: Doc, draft: _Draft, taken: set[int], rules: EntityRules) -> None:
    """Pull capitalised proper nouns just left of a PERSON into it ("Emil" + "Solomon Aslan")."""
    while draft.start > 0:
        tok = doc[draft.start - 1]
        if tok.i in taken or tok.pos_ != "PROPN" or not tok.is_title or tok.text.rstrip(".") in rules.titles:
            return
        draft.start -= 1


def _untagged(doc: Doc, taken: set[int], rules: EntityRules) -> list[_Draft]:
    """Places and organisations the model missed: runs of capitalised proper nouns
    that the gazetteer or the org list knows."""
    found: list[_Draft] = []
    i = 0
    n = len(doc)
    while i < n:
        tok = doc[i]
        if i in taken or tok.pos_ != "PROPN" or not tok.text[:1].isupper():
            i += 1
            continue
        for width in range(min(MAX_NAME_TOKENS, n - i), 0, -1):
            if any(j in taken for j in range(i, i + width)):
                continue
            name = doc[i : i + width].text
            if name in rules.orgs:
                found.append(_Draft(i, i + width, "ORG", rules.orgs[name]))
                break
            place = rules.place(name, min_population=rules.min_population_add)
            if place is not None and name not in rules.keep_person:
                found.append(_Draft(i, i + width, "GPE", place.name))
                break
        else:
            i += 1
            continue
        i = found[-1].end
    return found


def _words(doc: Doc, draft: _Draft) -> tuple[list[str], list[Token]]:
    """The span's whitespace-separated words ("Oyelaran-Frost" is one word, three
    tokens), undotted and without a "pro-"/"anti-" prefix, with each word's first token."""
    words: list[str] = []
    heads: list[Token] = []
    current = ""
    for i in range(draft.start, draft.end):
        tok = doc[i]
        if not current:
            heads.append(tok)
        current += tok.text
        if tok.whitespace_ or i == draft.end - 1:
            words.append(undot(NAME_PREFIX.sub("", current)))
            current = ""
    return words, heads


def _person_words(doc: Doc, draft: _Draft, rules: EntityRules, lower_words: set[str]) -> list[str]:
    """The name alone: "Speaker Paul D. Ryan" -> Paul Ryan, "Crooked Hillary Clinton"
    -> Hillary Clinton, "Obama Says" -> Obama.

    Leading titles, roles and epithets (``entities.toml``) go; trailing capitalised
    words that the article also uses in lower case go (headline verbs and nouns: a
    surname is not written in lower case); middle initials go, so "James B. Comey"
    and "James Comey" are one name."""
    words, heads = _words(doc, draft)
    while len(words) > 1 and (
        words[0].rstrip(".") in rules.titles
        or words[0] in rules.epithets
        or (words[0].lower() in lower_words and heads[len(heads) - len(words)].pos_ != "PROPN")
    ):
        words = words[1:]
    while len(words) > 1 and words[-1].lower() in lower_words:
        words = words[:-1]
    if len(words) >= 3:
        words = [words[0], *(w for w in words[1:-1] if not MIDDLE_INITIAL.match(w)), words[-1]]
    return words


def _canonical_persons(doc: Doc, drafts: list[_Draft], rules: EntityRules) -> None:
    """Surname or partial mention -> the longest full name in the article containing it
    (the nearest preceding one when several do, e.g. two Kadyrovs).

    A headline span that wraps a name the article uses on its own ("Black Lawmakers
    Rip Donald Trump") becomes that name. A one-word mention the model gave another
    label ("Trump" ORG, "Machado" a town) is the person when the article names them in
    full, unless the org list or the gazetteer's countries and regions say what it is."""
    lower_words = {tok.text for tok in doc if tok.is_lower}
    persons = [d for d in drafts if d.label == "PERSON"]
    words_of = {id(d): _person_words(doc, d, rules, lower_words) for d in persons}
    names: set[tuple[str, ...]] = {tuple(w) for w in words_of.values() if len(w) >= 2}
    for draft in persons:
        words = words_of[id(draft)]
        if len(words) >= 3:
            inner: list[tuple[str, ...]] = [n for n in names if len(n) < len(words) and _contains(words, list(n))]
            if inner:
                wrapped: tuple[str, ...] = max(inner, key=lambda name: (len(name), name))
                words_of[id(draft)] = list(wrapped)
    for draft in drafts:
        if draft.label in SURNAME_MISLABELS and draft.end - draft.start == 1:
            word = strip_article(doc[draft.start].text)
            place = rules.aliases.get(word)
            if word in rules.orgs or (place is not None and place.kind != "city"):
                continue  # a known org or a country/region keeps its label; a town may be a surname
            if any(word in name for name in names):
                draft.label = "PERSON"
                persons.append(draft)
                words_of[id(draft)] = [word]
    persons.sort(key=lambda d: d.start)
    for draft in persons:
        words = words_of[id(draft)]
        longer = [o for o in persons if len(words_of[id(o)]) > len(words) and _contains(words_of[id(o)], words)]
        if not longer:
            draft.canonical = " ".join(words)
            continue
        longest = max(len(words_of[id(o)]) for o in longer)
        candidates = [o for o in longer if len(words_of[id(o)]) == longest]
        before = [o for o in candidates if o.start < draft.start]
        best = before[-1] if before else candidates[0]
        draft.canonical = " ".join(words_of[id(best)])


# When one name carries several labels in an article, ties go to the first of these.
_LABEL_PREFERENCE = ("GPE", "LOC", "FAC", "ORG", "PERSON")


def _harmonise_labels(doc: Doc, drafts: list[_Draft]) -> None:
    """One label per name within an article, by majority vote over its mentions.

    The small model labels the same word differently from sentence to sentence
    ("Brehovar" GPE here, ORG there; a district PERSON once), which would split one
    real thing into several entity ids. Within one article a name almost always
    means one thing, so its mentions take the commonest label (places first on a tie,
    a gazetteer-confirmed place always wins). Groups (NORP) are left alone.
    """
    by_name: dict[str, list[_Draft]] = defaultdict(list)
    for draft in drafts:
        if draft.label in _LABEL_PREFERENCE and not draft.sure_person:
            by_name[draft.canonical or strip_article(doc[draft.start : draft.end].text)].append(draft)
    for group in by_name.values():
        labels = Counter(d.label for d in group)
        if len(labels) < 2:
            continue
        confirmed = [d for d in group if d.label == "GPE" and d.canonical]
        persons = [d for d in group if d.label == "PERSON"]
        if persons and len(persons) >= len(group) - len(persons):
            label = "PERSON"  # people are never turned into places by a vote
        elif confirmed:
            label = "GPE"
        else:
            label = min(labels, key=lambda lab: (-labels[lab], _LABEL_PREFERENCE.index(lab)))
        for draft in group:
            draft.label = label


def _contains(haystack: list[str], needle: list[str]) -> bool:
    """Whether ``needle`` occurs as a contiguous run of words in ``haystack``."""
    n = len(needle)
    return any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def extract_entities(doc: Doc, article: Article) -> list[EntityMention]:
    """Entity mentions of ``doc`` (parsed from ``article.text``), corrected and canonical.

    Offsets are character offsets into ``article.text``; mentions come in text order.
    """
    rules = load_rules()
    multi_token_person_words = {tok.text for ent in doc.ents if ent.label_ == "PERSON" and len(ent) > 1 for tok in ent}
    drafts: list[_Draft] = []
    for ent in doc.ents:
        if ent.label_ not in rules.keep_labels:
            continue
        start, end = _trim(doc, ent.start, ent.end)
        draft = _Draft(start, end, ent.label_)
        _relabel(draft, doc[start:end], multi_token_person_words, rules)
        drafts.append(draft)
    taken = {i for d in drafts for i in range(d.start, d.end)}
    taken.update(i for ent in doc.ents for i in range(ent.start, ent.end))
    for draft in drafts:
        if draft.label == "PERSON":
            _extend_person(doc, draft, taken, rules)
            taken.update(range(draft.start, draft.end))
    drafts.extend(_untagged(doc, taken, rules))
    drafts.sort(key=lambda d: d.start)
    _canonical_persons(doc, drafts, rules)
    _harmonise_labels(doc, drafts)

    mentions: list[EntityMention] = []
    for draft in drafts:
        span = doc[draft.start : draft.end]
        canonical = draft.canonical or strip_article(span.text)
        mentions.append(
            EntityMention(
                start=span.start_char,
                end=span.end_char,
                text=span.text,
                label=draft.label,
                canonical=canonical,
                entity_id=entity_id(draft.label, canonical),
            )
        )
    return mentions
