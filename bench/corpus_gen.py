"""Generate a large, realistic-looking input corpus for the benchmarks.

Why generated text: benchmarks need thousands of articles with the shape of real
coverage (several outlets per event, the same people and places under varied
wording, quotes, hedges, denials, numbers that differ between outlets, weekday
references), and they must be reproducible without shipping anybody's reporting.
Everything comes from the invented templates in ``bench/corpus_templates.toml``
and a seeded RNG, so the same arguments always give the same bytes.

    .venv/bin/python bench/corpus_gen.py --articles 5000 --out /tmp/corpus
    .venv/bin/python bench/corpus_gen.py --articles 2000 --out /tmp/corpus --warc

Writes ``corpus-NNN.jsonl`` shards (``--per-shard`` articles each; the keys the
JSONL reader knows: title, text, url, published, outlet) or, with ``--warc``,
``corpus-NNN.warc.gz`` shards with one HTML response record per article.
"""

from __future__ import annotations

import argparse
import html
import io
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import tomllib

TEMPLATES = Path(__file__).with_name("corpus_templates.toml")
START = date(2024, 1, 1)
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass
class GeneratedArticle:
    """One generated article as the JSONL reader expects it."""

    title: str
    text: str
    outlet: str
    url: str
    published: date
    story: int

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "text": self.text,
            "outlet": self.outlet,
            "url": self.url,
            "published": self.published.isoformat(),
            "story": self.story,
        }

    def to_html(self) -> str:
        paragraphs = "\n".join(f"<p>{html.escape(p)}</p>" for p in self.text.split("\n\n"))
        return (
            f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(self.title)}</title>"
            f"<meta property=\"article:published_time\" content=\"{self.published.isoformat()}\">"
            f"<meta property=\"og:site_name\" content=\"{html.escape(self.outlet)}\"></head>"
            f"<body><nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav>"
            f"<article><h1>{html.escape(self.title)}</h1>"
            f"<time datetime=\"{self.published.isoformat()}\">{self.published:%d %B %Y}</time>\n"
            f"{paragraphs}</article><footer>© {html.escape(self.outlet)}</footer></body></html>"
        )


def load_templates(path: Path = TEMPLATES) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def fill(template: str, values: dict[str, str]) -> str:
    """``str.format`` that leaves unknown placeholders visible instead of raising."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


class CorpusGenerator:
    """Stories of 2-6 outlet articles each; seeded, so output is reproducible."""

    def __init__(self, seed: int = 7, templates: dict[str, Any] | None = None) -> None:
        self.rng = random.Random(seed)
        self.t = templates or load_templates()

    def _person(self) -> str:
        return f"{self.rng.choice(self.t['first_names'])} {self.rng.choice(self.t['last_names'])}"

    def _story_values(self, story: int) -> dict[str, str]:
        rng, t = self.rng, self.t
        place, place2 = rng.sample(t["places"], 2)
        year = rng.randrange(1968, 2020)
        n = rng.choice([120, 350, 800, 1200, 1500, 2000, 3400, 5000, 12000])
        return {
            "place": place,
            "place2": place2,
            "region": rng.choice(t["regions"]),
            "official": self._person(),
            "official2": self._person(),
            "official_title": rng.choice(t["titles"]),
            "org": rng.choice(t["orgs"]),
            "n": f"{n:,}",
            "n_raw": str(n),
            "deaths": str(rng.randrange(2, 9)),
            "deaths_confirmed": str(rng.randrange(1, 3)),
            "metres": f"{rng.uniform(3.5, 8.5):.1f}",
            "small": str(rng.randrange(2, 9)),
            "percent": str(rng.randrange(3, 68)),
            "km": str(rng.randrange(3, 40)),
            "money": str(rng.randrange(2, 90)),
            "year": str(year),
            "year2": str(min(2023, year + rng.randrange(2, 8))),
            "story": str(story),
        }

    def _outlet_values(self, base: dict[str, str], outlet: str, published: date) -> dict[str, str]:
        """Per-outlet variation: numbers drift, weekdays and hedges differ."""
        rng = self.rng
        values = dict(base)
        n = int(base["n_raw"])
        if rng.random() < 0.4:  # outlets disagree on the headline number
            n = int(n * rng.choice([0.8, 1.25, 1.5]))
        values["n"] = f"{n:,}"
        values["outlet"] = outlet
        values["weekday"] = self.t["weekdays"][(published.weekday() - rng.randrange(0, 3)) % 7]
        values["resident"] = rng.choice(self.t["resident_descriptors"])
        values["hedge"] = rng.choice(self.t["hedges"])
        return values

    def stories(self, articles: int) -> Iterator[GeneratedArticle]:
        """Yield ``articles`` articles, story by story, in publication order per story."""
        rng, t = self.rng, self.t
        made = story = 0
        while made < articles:
            event = rng.choice(t["events"])
            base = self._story_values(story)
            base["noun"] = event["noun"]
            first = START + timedelta(days=story // 6)
            outlets = rng.sample(t["outlets"], min(rng.randrange(2, 7), articles - made))
            for outlet in outlets:
                published = first + timedelta(days=rng.randrange(0, 3))
                values = self._outlet_values(base, outlet, published)
                yield self._article(event, values, outlet, published, story)
                made += 1
            story += 1

    def _article(self, event: dict[str, Any], values: dict[str, str], outlet: str, published: date, story: int) -> GeneratedArticle:
        rng, t = self.rng, self.t
        title = fill(rng.choice(event["titles"]), values)
        facts = [fill(s, values) for s in event["facts"]]
        lead, rest = facts[0], facts[1:]
        rng.shuffle(rest)
        quotes = [fill(q, values) for q in rng.sample(event["quotes"], rng.randrange(2, len(event["quotes"]) + 1))]
        context = [fill(s, values) for s in rng.sample(t["context"]["sentences"], rng.randrange(4, 8))]
        body = [lead, *rest[:3], *quotes[:1], *rest[3:], *quotes[1:]]
        # context sentences are paired into paragraphs, as wire copy does
        body += [" ".join(context[i : i + 2]) for i in range(0, len(context), 2)]
        body = [p[:1].upper() + p[1:] for p in body]
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60]
        host = re.sub(r"[^a-z]", "", outlet.lower())
        return GeneratedArticle(
            title=title,
            text="\n\n".join(body),
            outlet=outlet,
            url=f"https://{host}.example/{published:%Y/%m/%d}/{slug}-{story}",
            published=published,
            story=story,
        )


def write_jsonl(articles: Iterator[GeneratedArticle], out: Path, per_shard: int) -> list[Path]:
    """JSONL shards of ``per_shard`` articles; returns the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    handle: io.TextIOWrapper | None = None
    for i, article in enumerate(articles):
        if i % per_shard == 0:
            if handle:
                handle.close()
            paths.append(out / f"corpus-{len(paths):03d}.jsonl")
            handle = paths[-1].open("w", encoding="utf-8")
        assert handle is not None
        handle.write(json.dumps(article.to_json(), ensure_ascii=False) + "\n")
    if handle:
        handle.close()
    return paths


def write_warc(articles: Iterator[GeneratedArticle], out: Path, per_shard: int) -> list[Path]:
    """Gzipped WARC shards, one HTML ``response`` record per article (needs warcio)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    stream = writer = None
    for i, article in enumerate(articles):
        if i % per_shard == 0:
            if stream:
                stream.close()
            paths.append(out / f"corpus-{len(paths):03d}.warc.gz")
            stream = paths[-1].open("wb")
            writer = WARCWriter(stream, gzip=True)
        assert writer is not None
        payload = article.to_html().encode("utf-8")
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        record = writer.create_warc_record(article.url, "response", payload=io.BytesIO(payload), http_headers=headers)
        writer.write_record(record)
    if stream:
        stream.close()
    return paths


def generate(articles: int, out: Path, per_shard: int = 1000, warc: bool = False, seed: int = 7) -> list[Path]:
    """Write ``articles`` generated articles under ``out``; returns the shard paths."""
    stream = CorpusGenerator(seed).stories(articles)
    return write_warc(stream, out, per_shard) if warc else write_jsonl(stream, out, per_shard)


def count_words(paths: list[Path]) -> int:
    """Whitespace words of title + text in JSONL shards (for words/s figures)."""
    words = 0
    for path in paths:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                words += len(record["title"].split()) + len(record["text"].split())
    return words


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--per-shard", type=int, default=1000)
    parser.add_argument("--warc", action="store_true", help="write gzipped WARC instead of JSONL")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    paths = generate(args.articles, args.out, args.per_shard, args.warc, args.seed)
    size = sum(p.stat().st_size for p in paths)
    print(f"wrote {args.articles} articles in {len(paths)} shards under {args.out} ({size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
