"""Evaluate streaming story clustering on any labelled story stream (JSONL).

Each line: ``{"id", "title", "text", "published" (YYYY-MM-DD or null), "outlet",
"url", "story"}`` (``story`` is the gold event label). Every article is parsed with
the real model (the parses are cached under ``--cache``, default /tmp/stories, so the
clustering can be re-run in seconds), then streamed in publication order through
cross-document entity linking and story assignment in ingest-sized batches, against
a temporary SQLite store (``--memory``: the in-memory index).

The stream is split by a hash of the gold story label into a *dev* part (two thirds)
and a *held-out* part (one third); each part is clustered as its own stream.
Thresholds are chosen on the dev part only. In the same run a TF-IDF single-pass
baseline (cosine of title+text TF-IDF to each cluster's centroid; join the best
above a threshold, else open a cluster) is scored for a sweep of thresholds; its
threshold is the best on the dev part, and the held-out figure uses that one (the
held-out optimum is printed too, as the baseline's ceiling).

Prints pair and B-cubed precision/recall/F1 for both systems on each part.

``--lead-only`` cuts every body to its first ``LEAD_SENTENCES`` sentences (title kept):
the shape of title+lead feeds and roundups, so nothing may depend on long bodies.

    .venv/bin/python bench/eval_stories.py [STREAM.jsonl] [--memory] [--batch-size 16] [--errors] [--lead-only]
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import math
import pickle
import re
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from itertools import combinations
from pathlib import Path

from newsdesk.link.aliases import EntityRegistry, link_entities
from newsdesk.link.stories import MemoryStoryIndex, assign_stories
from newsdesk.model import Analysis, Article
from newsdesk.options import Options

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "stories" / "corpus.jsonl"
CACHE = Path("/tmp/stories")
HELD_OUT_SHARE = 3  # one story in three (by label hash) is held out
BASELINE_THRESHOLDS = [round(0.05 * i, 2) for i in range(1, 17)]
WORD_RE = re.compile(r"[^\W\d_]{2,}|\d+")
LEAD_SENTENCES = 2
# A sentence ends at . ! or ? (optionally closed by a quote or bracket) before
# whitespace and an upper-case letter, digit or opening quote; not after dotted
# initials (U.S.) or the common titles.
SENTENCE_END_RE = re.compile(r"(?<=[.!?])(?<!\.[A-Z]\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bDr\.)(?<!\bSt\.)(?<!\bMrs\.)[\"'”’)]?\s+(?=[\"“‘(]?[A-Z0-9])")


def lead_of(text: str, sentences: int = LEAD_SENTENCES) -> str:
    """The first ``sentences`` sentences of ``text`` (its first paragraphs, blank lines
    folded): what a title+lead feed item carries."""
    flat = " ".join(text.split())
    parts = SENTENCE_END_RE.split(flat)
    return " ".join(parts[:sentences]).strip()


def load_corpus(path: Path, lead_only: bool = False) -> tuple[list[Article], dict[str, str]]:
    """Articles (id = the corpus id, so results read back) and id -> gold story label.

    ``lead_only`` keeps the title and only the first sentences of each text."""
    articles, gold = [], {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        published = date.fromisoformat(row["published"][:10]) if row.get("published") else None
        articles.append(
            Article(id=row["id"], source=f"{path.name}#{row['id']}",
                    body=lead_of(row["text"]) if lead_only else row["text"], title=row.get("title"),
                    outlet=row.get("outlet"), url=row.get("url"), language="en", published=published)
        )
        gold[row["id"]] = str(row["story"])
    return articles, gold


def part_of(story: str) -> str:
    """``dev`` or ``heldout``: a stable split by a hash of the gold story label."""
    return "heldout" if int(hashlib.sha1(story.encode()).hexdigest(), 16) % HELD_OUT_SHARE == 0 else "dev"


# --- scores ----------------------------------------------------------------------------


def _pairs(assignment: Mapping[str, str]) -> set[tuple[str, str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for item, label in assignment.items():
        groups[label].append(item)
    return {tuple(sorted(p)) for members in groups.values() for p in combinations(members, 2)}  # type: ignore[misc]


def _prf(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def pair_scores(predicted: Mapping[str, str], gold: Mapping[str, str]) -> tuple[float, float, float]:
    """Pair precision, recall, F1: each pair of articles is a yes/no decision."""
    pred, true = _pairs({k: predicted[k] for k in gold}), _pairs(gold)
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


def scores(predicted: Mapping[str, str], gold: Mapping[str, str]) -> dict[str, float]:
    pp, pr, pf = pair_scores(predicted, gold)
    bp, br, bf = bcubed_scores(predicted, gold)
    return {
        "articles": float(len(gold)), "gold_stories": float(len(set(gold.values()))),
        "predicted_stories": float(len({predicted[k] for k in gold})),
        "pair_precision": pp, "pair_recall": pr, "pair_f1": pf,
        "bcubed_precision": bp, "bcubed_recall": br, "bcubed_f1": bf,
    }


# --- parsing (cached) -------------------------------------------------------------------


def parse_cached(articles: Sequence[Article], cache: Path | None, options: Options | None = None) -> list[Analysis]:
    """Analyses of ``articles`` carrying what clustering reads (article, entities).

    The spaCy parses are pickled under ``cache`` keyed by the texts and the model, so
    a rerun only re-applies the entity rules (cheap) to the cached parses."""
    from spacy.tokens import DocBin

    from newsdesk.analyze.entities import extract_entities
    from newsdesk.analyze.pipeline import load_model

    options = options or Options()
    nlp = load_model(options.model)
    digest = hashlib.sha1((options.model + "\0".join(a.text for a in articles)).encode()).hexdigest()[:16]
    path = cache / f"parses-{digest}.pkl" if cache else None
    if path and path.is_file():
        blob = pickle.loads(path.read_bytes())
        docs = list(DocBin().from_bytes(blob).get_docs(nlp.vocab))
    else:
        docs = list(nlp.pipe((a.text for a in articles), batch_size=options.batch_size))
        if path:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(pickle.dumps(DocBin(store_user_data=True, docs=docs).to_bytes()))
    return [Analysis(article=a, entities=extract_entities(doc, a)) for doc, a in zip(docs, articles, strict=True)]


# --- systems ----------------------------------------------------------------------------


def _batches(items: list[Analysis], size: int) -> Iterable[list[Analysis]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _arrival(analysis: Analysis) -> tuple[date, str]:
    return (analysis.article.published or date.max, analysis.article.id)


def stream(analyses: list[Analysis], batch_size: int, memory: bool) -> dict[str, str]:
    """Link entities and assign stories batch by batch in publication order, like ingest."""
    ordered = sorted(copy.deepcopy(analyses), key=_arrival)
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


def _tfidf_vectors(analyses: Sequence[Analysis]) -> dict[str, dict[str, float]]:
    """Unit-length TF-IDF (sublinear tf, smoothed idf over the stream) of title+text."""
    from spacy.lang.en.stop_words import STOP_WORDS

    counts = {
        a.article.id: Counter(w for w in WORD_RE.findall(a.article.text.lower()) if w not in STOP_WORDS)
        for a in analyses
    }
    df: Counter[str] = Counter()
    for c in counts.values():
        df.update(c.keys())
    n = len(counts)
    vectors = {}
    for doc_id, c in counts.items():
        vec = {w: (1 + math.log(tf)) * (math.log((n + 1) / (df[w] + 1)) + 1) for w, tf in c.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors[doc_id] = {w: v / norm for w, v in vec.items()}
    return vectors


def tfidf_single_pass(analyses: Sequence[Analysis], threshold: float) -> dict[str, str]:
    """The baseline: in arrival order, join the cluster whose centroid is most similar
    (cosine >= ``threshold``), else open a new cluster."""
    vectors = _tfidf_vectors(analyses)
    sums: list[dict[str, float]] = []
    assignment: dict[str, str] = {}
    for analysis in sorted(analyses, key=_arrival):
        vec = vectors[analysis.article.id]
        best, best_score = -1, -1.0
        for i, total in enumerate(sums):
            norm = math.sqrt(sum(v * v for v in total.values())) or 1.0
            score = sum(w * total.get(k, 0.0) for k, w in vec.items()) / norm
            if score > best_score:
                best, best_score = i, score
        if best < 0 or best_score < threshold:
            sums.append(dict(vec))
            best = len(sums) - 1
        else:
            for k, w in vec.items():
                sums[best][k] = sums[best].get(k, 0.0) + w
        assignment[analysis.article.id] = f"c{best}"
    return assignment


# --- report -----------------------------------------------------------------------------


def evaluate(path: Path = CORPUS, batch_size: int = 16, memory: bool = False, verbose: bool = False,
             cache: Path | None = None) -> dict[str, float]:
    """Scores of newsdesk's streaming clustering on the whole stream at ``path``."""
    articles, gold = load_corpus(path)
    analyses = parse_cached(articles, cache)
    predicted = stream(analyses, batch_size, memory)
    if verbose:
        print_errors(predicted, gold, {a.article.id: a.article for a in analyses})
    return scores(predicted, gold)


def compare(path: Path, batch_size: int = 16, memory: bool = False, cache: Path | None = CACHE,
            errors: bool = False, lead_only: bool = False) -> dict[str, dict[str, object]]:
    """Newsdesk and the TF-IDF baseline on the dev and held-out parts of one stream."""
    articles, gold = load_corpus(path, lead_only)
    analyses = parse_cached(articles, cache)
    parts: dict[str, list[Analysis]] = {"dev": [], "heldout": []}
    for analysis in analyses:
        parts[part_of(gold[analysis.article.id])].append(analysis)
    report: dict[str, dict[str, object]] = {}
    sweeps: dict[str, dict[float, dict[str, float]]] = {}
    for name, members in parts.items():
        if not members:
            continue
        part_gold = {a.article.id: gold[a.article.id] for a in members}
        predicted = stream(members, batch_size, memory)
        if errors:
            print(f"--- errors, {name} part")
            print_errors(predicted, part_gold, {a.article.id: a.article for a in members})
        sweeps[name] = {t: scores(tfidf_single_pass(members, t), part_gold) for t in BASELINE_THRESHOLDS}
        report[name] = {"newsdesk": scores(predicted, part_gold)}
    dev_sweep = sweeps.get("dev") or next(iter(sweeps.values()))
    chosen = max(BASELINE_THRESHOLDS, key=lambda t: (dev_sweep[t]["pair_f1"] + dev_sweep[t]["bcubed_f1"], -t))
    for name, sweep in sweeps.items():
        best = max(BASELINE_THRESHOLDS, key=lambda t: (sweep[t]["pair_f1"] + sweep[t]["bcubed_f1"], -t))
        report[name]["tfidf"] = {"threshold": chosen, **sweep[chosen]}
        report[name]["tfidf_best_here"] = {"threshold": best, **sweep[best]}
    return report


def print_errors(predicted: Mapping[str, str], gold: Mapping[str, str], articles: Mapping[str, Article]) -> None:
    """Each predicted story that mixes gold labels, and each gold story split in several."""
    by_pred: dict[str, list[str]] = defaultdict(list)
    by_gold: dict[str, set[str]] = defaultdict(set)
    for item in sorted(gold):
        by_pred[predicted[item]].append(item)
        by_gold[gold[item]].add(predicted[item])

    def show(item: str) -> str:
        art = articles.get(item)
        when = art.published.isoformat() if art and art.published else "undated"
        return f"  [{gold[item]}] {when} {(art.title or '')[:70] if art else ''!r}"

    for story, items in sorted(by_pred.items()):
        if len({gold[i] for i in items}) > 1:
            print(f"merged: {story}")
            print("\n".join(show(i) for i in sorted(items, key=lambda i: gold[i])))
    for label, stories in sorted(by_gold.items()):
        if len(stories) > 1:
            print(f"split:  {label}: " + " | ".join(str(len([i for i in by_pred[s] if gold[i] == label])) for s in sorted(stories)))


def _line(name: str, s: Mapping[str, object]) -> str:
    extra = f" (t={s['threshold']})" if "threshold" in s else ""
    return (
        f"  {name + extra:28} pair P {s['pair_precision']:.3f} R {s['pair_recall']:.3f} F1 {s['pair_f1']:.3f}"
        f" | B3 P {s['bcubed_precision']:.3f} R {s['bcubed_recall']:.3f} F1 {s['bcubed_f1']:.3f}"
        f" | {int(s['predicted_stories'])}/{int(s['gold_stories'])} stories"  # type: ignore[call-overload]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=CORPUS)
    parser.add_argument("--memory", action="store_true", help="in-memory index instead of a SQLite store")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--cache", type=Path, default=CACHE, help="where parses are cached ('' for none)")
    parser.add_argument("--errors", action="store_true", help="print merged and split stories")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--lead-only", action="store_true", help=f"keep title + first {LEAD_SENTENCES} sentences")
    parser.add_argument("--whole", action="store_true",
                        help="score newsdesk on the whole stream (no dev/held-out split, no baseline): the gate's view")
    args = parser.parse_args(argv)
    cache = args.cache if str(args.cache) else None
    if args.whole:
        print(json.dumps({"whole": {"newsdesk": evaluate(args.corpus, args.batch_size, args.memory, cache=cache)}}))
        return 0
    report = compare(args.corpus, args.batch_size, args.memory, cache, args.errors, args.lead_only)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    for part, systems in report.items():
        mode = ", lead only" if args.lead_only else ""
        print(f"{args.corpus.name} [{part}{mode}]: {int(systems['newsdesk']['articles'])} articles")  # type: ignore[index]
        for name, s in systems.items():
            print(_line(name, s))  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    sys.exit(main())
