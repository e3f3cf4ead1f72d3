"""Story-wide identities: which outlet an article counts for, and which entity a
mention is, across articles whose entity linking ran separately."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from newsdesk.compare.lexicon import load_config
from newsdesk.model import Analysis


def outlet_name(analysis: Analysis) -> str:
    """The outlet an article counts for: its metadata, else its URL's domain (without
    "www."), else "unknown outlet (file name)", so that two anonymous files still count
    as two reports (never silently merged) and never pass for an outlet's name."""
    article = analysis.article
    if article.outlet:
        return article.outlet
    if article.url:
        host = urlsplit(article.url).hostname or ""
        host = host.removeprefix("www.")
        if host:
            return host
    name = Path(article.source.split("#", 1)[0]).name or article.id
    return f"unknown outlet ({name})"


def entity_keys(analyses: Sequence[Analysis]) -> tuple[dict[tuple[int, int, int], str], dict[str, str]]:
    """Map each mention (article index, start, end) to one story-wide entity key.

    Keys are canonical names (lower-cased) so that the same entity in two articles
    meets even if linking gave per-document ids; a demonym (NORP "Chechens") joins the
    place that shares its first letters ("Chechnya"), and a one-word person name joins
    the only longer canonical name ending with it ("Kadyrov" -> "Ramzan Kadyrov")."""
    cfg = load_config()["entities"]
    ignore = set(cfg["ignore_labels"])
    prefix = int(cfg["demonym_prefix"])
    display: dict[str, str] = {}
    labels: dict[str, str] = {}
    for a in analyses:
        for e in a.entities:
            if e.label in ignore:
                continue
            key = (e.canonical or e.text).strip().lower()
            display.setdefault(key, e.canonical or e.text)
            if e.label != "NORP" or key not in labels:
                labels[key] = e.label
    suffixes = tuple(cfg["demonym_suffixes"])

    def demonym_like(key: str) -> bool:
        return labels[key] == "NORP" or (labels[key] in ("GPE", "LOC") and key.endswith(suffixes))

    places = [k for k, lab in labels.items() if lab in ("GPE", "LOC") and not demonym_like(k)]
    people = [k for k, lab in labels.items() if lab == "PERSON"]
    alias: dict[str, str] = {}
    for key, label in labels.items():
        if demonym_like(key):
            best = _best_prefix_match(key, places, prefix)
            if best:
                alias[key] = best
        elif label == "PERSON" and " " not in key:
            longer = [p for p in people if p != key and p.endswith(" " + key)]
            if len(longer) == 1:
                alias[key] = longer[0]
    mention_keys: dict[tuple[int, int, int], str] = {}
    for i, a in enumerate(analyses):
        for e in a.entities:
            if e.label in ignore:
                continue
            key = (e.canonical or e.text).strip().lower()
            mention_keys[(i, e.start, e.end)] = alias.get(key, key)
    return mention_keys, display


def _best_prefix_match(key: str, places: list[str], minimum: int) -> str | None:
    """The place sharing the longest prefix (at least ``minimum``) with a demonym:
    "austrian" -> "austria", not "australia"; None when two tie."""

    def lcp(a: str, b: str) -> int:
        n = 0
        for x, y in zip(a, b):
            if x != y:
                break
            n += 1
        return n

    scored = sorted(((lcp(key, p), p) for p in places), reverse=True)
    if not scored or scored[0][0] < minimum:
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None
    return scored[0][1]
