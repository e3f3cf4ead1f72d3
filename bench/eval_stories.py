"""Evaluate streaming story clustering on the labelled corpus.

Reads tests/data/stories/corpus.jsonl (id, story label, outlet, title, text,
published), analyzes every article with the real analyzer, then streams them in
publication order through cross-document entity linking and story assignment, in
ingest-sized batches, against a temporary SQLite store (``--memory``: the in-memory
index). Prints pair precision/recall/F1 (pairs of articles put in the same story)
and B-cubed precision/recall/F1, and the articles that landed in a wrong story.

    .venv/bin/python bench/eval_stories.py [CORPUS] [--memory] [--batch-size 16]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from itertools import combinations
from pathlib import Path

from newsdesk.analyze.pipeline import analyze
from newsdesk.link.aliases import EntityRegistry, link_entities
from newsdesk.link.stories import MemoryStoryIndex, assign_stories
from newsdesk.model import Analysis, Article
from newsdesk.options import Options

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "stories" / "corpus.jsonl"


def load_corpus(path: Path) -> tuple[list[Article], dict[str, str]]:
    """Articles (id = the corpus id, so results read back) and id -> gold story label."""
    articles, gold = [], {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        published = date.fromisoformat(row["published"][:10]) if row.get("published") else None
        articles.append(
            Article(id=row["id"], source=f"{path.name}#{row['id']}", body=row["text"], title=row.get("title"),
                    outlet=row.get("outlet"), url=row.get("url"), language="en", published=published)
        )
        gold[row["id"]] = row["story"]
    return articles, gold


def _pairs(assignment: Mapping[str, str]) -> set[tuple[str, str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for item, label in assignment.items():
        groups[label].append(item)
    return {tuple(sorted(p)) for members in groups.values() for p in combinations(members, 2)}  # type: ignore[misc]


def _prf(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def pair_scores(predicted: Mapping[str, str], gold: Mapping[str, str]) -> tuple[float, float, float]:
    """Pair precision, recall, F1: each pair of articles is a yes/no decision."""
    pred, true = _pairs(predicted), _pairs(gold)
    precision = len(pred & true) / len(pred) if pred else 1.0
    recall = len(pred & true) / len(true) if true else 1.0
    return precision, recall, _prf(precision, recall)


def bcubed_scores(predicted: Mapping[str, str], gold: Mapping[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall, F1 (Bagga and Baldwin 1998), averaged over articles."""
    by_pred: dict[str, set[str]] = defaultdict(set)
    by_gold: dict[str, set[str]] = defaultdict(set)
    for item in gold:
        by_pred[predicted[item]].add(item)
        by_gold[gold[item]].add(item)
    precision = recall = 0.0
    for item in gold:
        shared = len(by_pred[predicted[item]] & by_gold[gold[item]])
        precision += shared / len(by_pred[predicted[item]])
        recall += shared / len(by_gold[gold[item]])
    n = len(gold)
    return precision / n, recall / n, _prf(precision / n, recall / n)


def _batches(items: list[Analysis], size: int) -> Iterable[list[Analysis]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def stream(analyses: list[Analysis], batch_size: int, memory: bool) -> dict[str, str]:
    """Link entities and assign stories batch by batch in publication order, like ingest."""
    ordered = sorted(analyses, key=lambda a: (a.article.published or date.max, a.article.id))
    assignment: dict[str, str] = {}
    if memory:
        index, registry = MemoryStoryIndex(), EntityRegistry()
        for batch in _batches(ordered, batch_size):
            link_entities(registry, batch)
            assignment.update(assign_stories(index, batch))
        return assignment
    from newsdesk.store import Store

    with tempfile.TemporaryDirectory() as tmp, Store(f"sqlite:///{tmp}/eval.db") as store:
        for batch in _batches(ordered, batch_size):
            link_entities(store, batch)
            assignment.update(assign_stories(store, batch))
            store.add_analyses(batch)
    return assignment


def evaluate(path: Path = CORPUS, batch_size: int = 16, memory: bool = False, verbose: bool = False) -> dict[str, float]:
    """Scores of streaming clustering on the corpus at ``path``."""
    articles, gold = load_corpus(path)
    analyses = list(analyze(articles, Options()))
    predicted = stream(analyses, batch_size, memory)
    pp, pr, pf = pair_scores(predicted, gold)
    bp, br, bf = bcubed_scores(predicted, gold)
    if verbose:
        _print_errors(predicted, gold)
    return {
        "articles": float(len(gold)), "gold_stories": float(len(set(gold.values()))),
        "predicted_stories": float(len(set(predicted.values()))),
        "pair_precision": pp, "pair_recall": pr, "pair_f1": pf,
        "bcubed_precision": bp, "bcubed_recall": br, "bcubed_f1": bf,
    }


def _print_errors(predicted: Mapping[str, str], gold: Mapping[str, str]) -> None:
    """Each predicted story that mixes gold labels, and each gold story split in several."""
    by_pred: dict[str, list[str]] = defaultdict(list)
    by_gold: dict[str, set[str]] = defaultdict(set)
    for item in sorted(gold):
        by_pred[predicted[item]].append(item)
        by_gold[gold[item]].add(predicted[item])
    for story, items in sorted(by_pred.items()):
        labels = sorted({gold[i] for i in items})
        if len(labels) > 1:
            print(f"merged: {story}: " + ", ".join(f"{i}={gold[i]}" for i in items))
    for label, stories in sorted(by_gold.items()):
        if len(stories) > 1:
            print(f"split:  {label}: " + " | ".join(",".join(by_pred[s]) for s in sorted(stories)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=CORPUS)
    parser.add_argument("--memory", action="store_true", help="in-memory index instead of a SQLite store")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = parser.parse_args(argv)
    scores = evaluate(args.corpus, args.batch_size, args.memory, verbose=not args.json)
    if args.json:
        print(json.dumps(scores, indent=2))
    else:
        for name, value in scores.items():
            print(f"{name:18} {value:.3f}" if value <= 1 else f"{name:18} {int(value)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
