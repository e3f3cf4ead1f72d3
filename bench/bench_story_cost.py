"""Cost of placing one article in a story as the store grows (1k, 10k, 100k articles).

For each size a temporary SQLite store is filled with synthetic stories: articles
arrive at a steady rate (``--per-day``), each story runs a few days, and its keys come
from the same ``extract_keys`` the clusterer uses on a synthetic analysis of the story
(pseudo-word vocabularies with a Zipf-like skew, entity ids, numbers); each stored
article carries a random 70% of its story's keys. The fill writes the store's
story tables in one transaction (the per-article API would take minutes at 100k);
the timed part is ``assign_stories`` through the public Store API for 200 new
articles at the end of the timeline, half continuing recent stories, half new.

    .venv/bin/python bench/bench_story_cost.py [--sizes 1000 10000 100000]

Prints ms/article per size, the ratio largest/smallest (should stay ~1: cost depends
on how many stories are active and share keys, not on how many are stored) and the
peak RSS.
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta

from newsdesk.link.features import extract_keys
from newsdesk.link.stories import assign_stories
from newsdesk.model import Analysis, Article, EntityMention

SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
START = date(2023, 1, 1)


def pseudo_word(n: int) -> str:
    """A pronounceable, letters-only word per integer (stems like a real word would)."""
    out = ""
    n += len(SYLLABLES)
    while n:
        n, r = divmod(n, len(SYLLABLES))
        out += SYLLABLES[r]
    return out + "on"


class Generator:
    """Synthetic stories: each has topic words, entities and numbers; articles sample them."""

    def __init__(self, seed: int, per_day: int) -> None:
        self.rng = random.Random(seed)
        self.per_day = per_day

    def zipf(self, size: int) -> int:
        return min(int(self.rng.paretovariate(1.1)) - 1, size - 1)

    def topic(self) -> dict[str, list[str]]:
        rng = self.rng
        return {
            "words": [pseudo_word(self.zipf(20000) if rng.random() < 0.3 else rng.randrange(200000)) for _ in range(12)],
            "entities": [f"person:p{rng.randrange(50000)}" for _ in range(2)] + [f"place:c{self.zipf(5000)}"],
            "numbers": [str(rng.randrange(10, 100000)) for _ in range(2)],
        }

    def article(self, article_id: str, topic: dict[str, list[str]], published: date) -> Analysis:
        rng = self.rng
        pick = lambda xs, k: rng.sample(xs, min(k, len(xs)))  # noqa: E731
        common = [pseudo_word(self.zipf(3000)) for _ in range(8)]
        title = " ".join(pick(topic["words"], 5) + pick(topic["numbers"], 1))
        lead = " ".join(pick(topic["words"], 8) + common + pick(topic["numbers"], 2))
        article = Article(id=article_id, source="synthetic", body=lead, title=title, published=published)
        mentions = [EntityMention(0, 1, e, "PERSON", e, e) for e in pick(topic["entities"], 3)]
        return Analysis(article=article, entities=mentions)


def fill(store: object, size: int, gen: Generator) -> tuple[list[tuple[str, dict[str, list[str]], date]], date]:
    """Write ``size`` synthetic articles in stories of ~8 straight into the story tables."""
    from sqlalchemy import insert

    from newsdesk.store.tables import (
        DOC_COUNT_KEY,
        stories,
        story_articles,
        story_key_df,
        story_keys,
    )

    rows_stories, rows_members, key_weights = [], [], {}
    df: Counter[str] = Counter()
    recent: list[tuple[str, dict[str, list[str]], date]] = []
    i = 0
    while i < size:
        topic = gen.topic()
        first = START + timedelta(days=i / gen.per_day)
        story_id = f"s-syn{i}"
        last = first
        weights: Counter[str] = Counter()
        members = 0
        topic_keys = extract_keys(gen.article(story_id, topic, first))
        for j in range(min(gen.rng.randint(3, 13), size - i)):
            published = first + timedelta(days=j // 3)
            keys = {k: w for k, w in topic_keys.items() if gen.rng.random() < 0.7}
            weights.update(keys)
            df.update(keys.keys())
            rows_members.append({"article_id": f"syn{i}", "story_id": story_id})
            last = published
            members += 1
            i += 1
        now = datetime.now(UTC)
        rows_stories.append({"id": story_id, "title": story_id, "created": now, "updated": now,
                             "first_published": first, "last_published": last, "article_count": members})
        key_weights[story_id] = (weights, last)
        recent.append((story_id, topic, last))
    end = START + timedelta(days=size / gen.per_day)
    with store.engine.begin() as conn:  # type: ignore[attr-defined]
        conn.execute(insert(stories), rows_stories)
        conn.execute(insert(story_articles), rows_members)
        rows = [{"key": k, "story_id": sid, "weight": w, "last_published": last}
                for sid, (weights, last) in key_weights.items() for k, w in weights.items()]
        for start in range(0, len(rows), 50000):
            conn.execute(insert(story_keys), rows[start : start + 50000])
        conn.execute(insert(story_key_df), [{"key": k, "df": n} for k, n in df.items()] + [{"key": DOC_COUNT_KEY, "df": size}])
    return [r for r in recent if (end - r[2]).days <= 5], end


def measure(size: int, new: int, per_day: int) -> float:
    from newsdesk.store import Store

    gen = Generator(seed=size, per_day=per_day)
    with tempfile.TemporaryDirectory() as tmp, Store(f"sqlite:///{tmp}/cost.db") as store:
        t0 = time.perf_counter()
        active, end = fill(store, size, gen)
        fill_s = time.perf_counter() - t0
        batch = []
        for k in range(new):
            if k % 2 == 0 and active:
                _, topic, _ = gen.rng.choice(active)
            else:
                topic = gen.topic()
            batch.append(gen.article(f"new{k}", topic, end))
        t0 = time.perf_counter()
        assignment = assign_stories(store, batch)
        elapsed = time.perf_counter() - t0
        joined = sum(1 for sid in assignment.values() if sid.startswith("s-syn"))
    ms = 1000 * elapsed / new
    print(f"{size:>7} stored  fill {fill_s:6.1f}s  assign {ms:7.2f} ms/article  ({joined}/{new} joined a stored story)")
    return ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--new", type=int, default=200)
    parser.add_argument("--per-day", type=int, default=50, help="synthetic articles per day (50 x 10-day window = 500 active)")
    args = parser.parse_args()
    results = {size: measure(size, args.new, args.per_day) for size in args.sizes}
    small, large = min(results), max(results)
    print(f"ratio {large}/{small}: {results[large] / results[small]:.2f}")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
