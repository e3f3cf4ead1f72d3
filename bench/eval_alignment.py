"""Score cross-outlet alignment against the hand-labelled groups of
../shared/dev-data/alignment/dev.json (format and scoring in its README.md).

Usage::

    PYTHONPATH=src .venv/bin/python bench/eval_alignment.py [DEV_JSON] [--no-cache]
        [--threshold X] [--sweep] [--errors]

Each group's articles are written to one JSONL file and analysed as
``newsdesk brief GROUP.jsonl --format json`` does (the analyses are cached under
/tmp/compare/ keyed by the file's content, since spaCy dominates the run time); the
brief's JSON document is then scored:

- a system sentence matches a gold sentence when they share >= 70% of the gold
  sentence's word tokens and >= 50% of the system sentence's;
- fact recall: a gold fact counts when one corroborated group holds its mentions from
  two or more outlets;
- mention precision: of the sentences in corroborated groups that match a listed fact
  (dev.json plus dev_additional_facts.json), the share that match the fact their group
  is mostly about;
- divergence precision: a divergent group is right when it holds mentions of one gold
  divergence from two or more outlets; recall: gold divergences so found;
- hard negatives: share of ``not_same`` pairs whose two sentences sit in one
  corroborated group.

A baseline runs in the same pass on the same sentences: TF-IDF cosine between
sentences of different outlets, pairs above ``--baseline-threshold`` joined into
groups (union-find).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
# ../shared beside the repo (a worktree may sit one level deeper: look upwards)
DEFAULT_DEV = next(
    (p / "shared" / "dev-data" / "alignment" / "dev.json" for p in REPO.parents
     if (p / "shared" / "dev-data" / "alignment" / "dev.json").exists()),
    REPO.parent / "shared" / "dev-data" / "alignment" / "dev.json",
)
CACHE = Path("/tmp/compare/alignment")
_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def matches(system: str, gold: str) -> bool:
    """The README's rule: >= 70% of the gold sentence's tokens, >= 50% of the system's."""
    s, g = words(system), words(gold)
    if not s or not g:
        return False
    shared = len(s & g)
    return shared >= 0.7 * len(g) and shared >= 0.5 * len(s)


@dataclass
class SysGroup:
    status: str
    sentences: list[tuple[str, str]]  # (article id, sentence text)


@dataclass
class Score:
    facts: int = 0
    facts_found: int = 0
    extra_facts: int = 0
    extra_found: int = 0
    mentions: int = 0
    mentions_right: int = 0
    div_groups: int = 0
    div_right: int = 0
    div_gold: int = 0
    div_found: int = 0
    negatives: int = 0
    negatives_grouped: int = 0
    corroborated_groups: int = 0
    notes: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in self.__dataclass_fields__:
            if name != "notes":
                setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict[str, float]:
        """The scored shares (what the evaluation gate reads)."""
        def share(a: int, b: int) -> float:
            return a / b if b else 0.0
        return {
            "fact_recall": share(self.facts_found, self.facts),
            "extra_fact_recall": share(self.extra_found, self.extra_facts),
            "mention_precision": share(self.mentions_right, self.mentions),
            "divergence_precision": share(self.div_right, self.div_groups),
            "divergence_recall": share(self.div_found, self.div_gold),
            "hard_negatives_grouped": share(self.negatives_grouped, self.negatives),
            "hard_negatives_kept_apart": 1.0 - share(self.negatives_grouped, self.negatives),
        }

    def line(self) -> str:
        def r(a: int, b: int) -> str:
            return f"{a / b:.2f} ({a}/{b})" if b else "  -  (0/0)"
        return (
            f"recall {r(self.facts_found, self.facts)}  extra-recall {r(self.extra_found, self.extra_facts)}  "
            f"mention-P {r(self.mentions_right, self.mentions)}  div-P {r(self.div_right, self.div_groups)}  "
            f"div-R {r(self.div_found, self.div_gold)}  hardneg {r(self.negatives_grouped, self.negatives)}  "
            f"groups {self.corroborated_groups}"
        )


def analyse_group(group: dict[str, Any], use_cache: bool) -> list[Any]:
    """The group's analyses, as ``newsdesk brief`` makes them from one JSONL file."""
    from newsdesk.model import analysis_from_dict, to_dict
    from newsdesk.oneshot import analyze_paths
    from newsdesk.options import Options

    lines = [
        json.dumps({k: a.get(k) for k in ("id", "outlet", "published", "title", "text") if a.get(k)}, ensure_ascii=False)
        for a in group["articles"]
    ]
    body = "\n".join(lines) + "\n"
    key = hashlib.sha256(body.encode()).hexdigest()[:16]
    CACHE.mkdir(parents=True, exist_ok=True)
    cached = CACHE / f"{key}.analyses.json"
    if use_cache and cached.exists():
        return [analysis_from_dict(d) for d in json.loads(cached.read_text())]
    src = CACHE / f"{re.sub(r'[^a-z0-9-]', '_', group['group'])}.jsonl"
    src.write_text(body, encoding="utf-8")
    result = analyze_paths([src], Options())
    cached.write_text(json.dumps([to_dict(a) for a in result.analyses]))
    return result.analyses


def system_groups(document: dict[str, Any]) -> list[SysGroup]:
    """Corroborated and divergent groups of the brief's JSON document."""
    out = []
    for g in document["groups"]:
        out.append(SysGroup(g["status"], [(c["article_id"], c["text"]) for c in g["claims"]]))
    return out


def baseline_groups(analyses: list[Any], threshold: float) -> list[SysGroup]:
    """TF-IDF cosine between sentences of different outlets; pairs above the threshold
    joined by union-find into corroborated groups."""
    from newsdesk.unionfind import UnionFind

    sents: list[tuple[int, str, str]] = []  # (article index, article id, text)
    for i, a in enumerate(analyses):
        for s in a.sentences:
            sents.append((i, a.article.id, a.article.text[s.start:s.end]))
    outlets = [a.article.outlet or a.article.source for a in analyses]
    docs = [Counter(w.lower() for w in _WORD.findall(t)) for _, _, t in sents]
    df: Counter[str] = Counter()
    for d in docs:
        df.update(d.keys())
    n = len(docs)
    vecs = []
    for d in docs:
        v = {w: c * math.log((n + 1) / (df[w] + 1)) for w, c in d.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vecs.append({w: x / norm for w, x in v.items()})
    uf: UnionFind[int] = UnionFind()
    for x in range(n):
        for y in range(x + 1, n):
            if outlets[sents[x][0]] == outlets[sents[y][0]]:
                continue
            a, b = vecs[x], vecs[y]
            if len(a) > len(b):
                a, b = b, a
            if sum(v * b.get(w, 0.0) for w, v in a.items()) >= threshold:
                uf.union(x, y)
    members: dict[int, list[int]] = defaultdict(list)
    for x in range(n):
        members[uf.find(x)].append(x)
    return [
        SysGroup("corroborated", [(sents[x][1], sents[x][2]) for x in m])
        for m in members.values()
        if len({outlets[sents[x][0]] for x in m}) > 1
    ]


def score_group(group: dict[str, Any], extra: list[dict[str, Any]], sys_groups: list[SysGroup],
                article_outlet: dict[str, str], errors: bool) -> Score:
    """Score one group's system groups against its gold (README rules)."""
    sc = Score()
    gold_outlet = {a["id"]: a["outlet"] for a in group["articles"]}
    listed = list(group["corroborated"]) + list(extra)

    def outlets_of(fact: dict[str, Any], g: SysGroup) -> set[str]:
        found = set()
        for m in fact["mentions"]:
            for _aid, text in g.sentences:
                if matches(text, m["sentence"]):
                    found.add(gold_outlet[m["article"]])
        return found

    corr = [g for g in sys_groups if g.status == "corroborated"]
    divs = [g for g in sys_groups if g.status == "divergent"]
    sc.corroborated_groups = len(corr)
    for facts, is_extra in ((group["corroborated"], False), (extra, True)):
        for fact in facts:
            hit = any(len(outlets_of(fact, g)) >= 2 for g in corr)
            if is_extra:
                sc.extra_facts += 1
                sc.extra_found += hit
            else:
                sc.facts += 1
                sc.facts_found += hit
                if not hit and errors:
                    sc.notes.append(f"  MISSED: {fact['fact'][:110]}")
    for g in corr:
        per_sentence: list[set[int]] = []
        for _aid, text in g.sentences:
            per_sentence.append({
                k for k, fact in enumerate(listed)
                if any(matches(text, m["sentence"]) for m in fact["mentions"])
            })
        tally: Counter[int] = Counter(k for s in per_sentence for k in s)
        if not tally:
            continue
        main = tally.most_common(1)[0][0]
        for (_aid, text), facts in zip(g.sentences, per_sentence):
            if facts:
                sc.mentions += 1
                sc.mentions_right += main in facts
                if main not in facts and errors:
                    sc.notes.append(f"  WRONG in group of '{listed[main]['fact'][:50]}': {text[:110]!r}")
    for g in divs:
        sc.div_groups += 1
        right = any(len(outlets_of(d, g)) >= 2 for d in group["divergent"])
        sc.div_right += right
        if not right and errors:
            sc.notes.append("  FALSE DIVERGENCE: " + " | ".join(t[:70] for _a, t in g.sentences[:4]))
    for d in group["divergent"]:
        sc.div_gold += 1
        sc.div_found += any(len(outlets_of(d, g)) >= 2 for g in divs)
    for pair in group["not_same"]:
        sc.negatives += 1
        together = any(
            any(matches(t, pair["a"]["sentence"]) for _a, t in g.sentences)
            and any(matches(t, pair["b"]["sentence"]) for _a, t in g.sentences)
            for g in corr
        )
        sc.negatives_grouped += together
        if together and errors:
            sc.notes.append(f"  HARD NEGATIVE GROUPED: {pair['a']['sentence'][:60]!r} ~ {pair['b']['sentence'][:60]!r}")
    return sc


LOGO_THRESHOLDS = (0.95, 1.0, 1.05, 1.1, 1.15)
LOGO_PENALTIES = (0.0, 0.1, 0.2, 0.3)


def _acceptable(sc: Score) -> tuple[bool, float, float, float]:
    """Sort key of a setting on the training groups: the issue's constraints first
    (mention precision >= 0.90, hard negatives <= 5%), then recall, then fewer hard
    negatives grouped, then precision."""
    prec = sc.mentions_right / sc.mentions if sc.mentions else 1.0
    neg = sc.negatives_grouped / sc.negatives if sc.negatives else 0.0
    recall = sc.facts_found / sc.facts if sc.facts else 0.0
    return (prec >= 0.90 and neg <= 0.05, recall, -neg, prec)


def leave_one_group_out(analysed: list[tuple[dict[str, Any], list[Any]]],
                        extras: dict[str, list[dict[str, Any]]]) -> int:
    """For each group: choose ``same_fact`` and ``clause_penalty`` on the other groups
    (best recall at mention precision >= 0.90 and hard negatives <= 5%), score the
    left-out group with them; print the in-sample choice and the held-out sum."""
    from newsdesk.config import overridden
    from newsdesk.report.brief import build_story
    from newsdesk.report.brief_json import brief_document

    per: dict[tuple[float, float], list[Score]] = {}
    for t in LOGO_THRESHOLDS:
        for p in LOGO_PENALTIES:
            with overridden({"compare": {"facts": {"same_fact": t, "clause_penalty": p},
                                         "divergence": {"min_pair_score": t}}}):
                per[(t, p)] = [
                    score_group(g, extras.get(g["group"], []), system_groups(brief_document(build_story(a), a)), {},
                                False)
                    for g, a in analysed
                ]

    def pooled(setting: tuple[float, float], skip: int | None) -> Score:
        total = Score()
        for k, sc in enumerate(per[setting]):
            if k != skip:
                total.add(sc)
        return total

    best_all = max(per, key=lambda s: _acceptable(pooled(s, None)))
    print(f"in-sample choice same_fact={best_all[0]} clause_penalty={best_all[1]}\n  {pooled(best_all, None).line()}")
    held = Score()
    for k, (g, _a) in enumerate(analysed):
        choice = max(per, key=lambda s: _acceptable(pooled(s, k)))
        held.add(per[choice][k])
        print(f"  held out {g['group']}: chose same_fact={choice[0]} clause_penalty={choice[1]}: {per[choice][k].line()}")
    print(f"leave-one-group-out\n  {held.line()}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dev", nargs="?", type=Path, default=DEFAULT_DEV)
    parser.add_argument("--no-cache", action="store_true", help="re-analyse even when cached")
    parser.add_argument("--threshold", type=float, help="override compare.toml [facts] same_fact")
    parser.add_argument("--sweep", action="store_true", help="score a range of thresholds")
    parser.add_argument("--sweep-from", type=float, default=0.7)
    parser.add_argument("--baseline-threshold", type=float, default=0.4)
    parser.add_argument("--errors", action="store_true", help="print missed facts and wrong groupings")
    parser.add_argument("--json", action="store_true", help="print the overall scores as one JSON object")
    parser.add_argument("--logo", action="store_true",
                        help="leave one group out: choose same_fact and clause_penalty on the other groups, score the left-out one")
    args = parser.parse_args(argv)
    if not args.dev.exists():
        print(f"{args.dev}: not found", file=sys.stderr)
        return 2
    groups = json.loads(args.dev.read_text(encoding="utf-8"))
    extra_file = args.dev.with_name("dev_additional_facts.json")
    extras: dict[str, list[dict[str, Any]]] = {}
    if extra_file.exists():
        raw = json.loads(extra_file.read_text(encoding="utf-8"))
        for item in raw if isinstance(raw, list) else [{"group": k, **v} for k, v in raw.items()]:
            extras[item["group"]] = item.get("corroborated", [])

    from newsdesk.compare.lexicon import load_config
    from newsdesk.config import overridden
    from newsdesk.report.brief import build_story
    from newsdesk.report.brief_json import brief_document

    analysed = [(g, analyse_group(g, not args.no_cache)) for g in groups]
    if args.logo:
        return leave_one_group_out(analysed, extras)
    thresholds = [args.threshold] if args.threshold is not None else [None]
    if args.sweep:
        thresholds = [round(a + 0.05 * k, 3) for a in [args.sweep_from] for k in range(8)]
    for threshold in thresholds:
        override = {"compare": {"facts": {"same_fact": threshold}}} if threshold is not None else {}
        with overridden(override):
            total, base_total = Score(), Score()
            same_fact = load_config()["facts"].get("same_fact")
            if not args.json:
                print(f"== newsdesk (same_fact = {same_fact}) vs TF-IDF baseline (cosine >= {args.baseline_threshold})")
            for group, analyses in analysed:
                outlet = {a.article.id: a.article.outlet or "" for a in analyses}
                document = brief_document(build_story(analyses), analyses)
                extra = extras.get(group["group"], [])
                sc = score_group(group, extra, system_groups(document), outlet, args.errors)
                base = score_group(group, extra, baseline_groups(analyses, args.baseline_threshold), outlet, False)
                total.add(sc)
                base_total.add(base)
                if not args.sweep and not args.json:
                    print(f"{group['group']}\n  newsdesk  {sc.line()}\n  baseline  {base.line()}")
                    for note in sc.notes:
                        print(note)
            if args.json:
                print(json.dumps({"newsdesk": total.as_dict(), "baseline": base_total.as_dict()}))
            else:
                print(f"OVERALL\n  newsdesk  {total.line()}\n  baseline  {base_total.line()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
