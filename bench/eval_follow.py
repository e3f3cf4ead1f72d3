"""How faithfully ``newsdesk follow`` ingests real articles, against file ingest.

Serves the labelled real stream (../shared/dev-data/stories/wikinews2014.jsonl, read
at run time, never copied) from a local site on 127.0.0.1: one RSS feed per outlet
(feed title = the outlet's domain, ``pubDate`` = the article's date when it has one)
and one plain HTML page per article (headline and paragraphs, no date on the page).
Then:

* follow: ``follow_once`` over every feed into store A;
* baseline: ``ingest_paths`` of the same JSONL file into store B (the file path),
  and again with the lines in the order the feeds deliver them (outlet by outlet:
  story clustering streams, so this separates the effect of order from follow's);

and compares article by article (body similarity, same title, publication date
and outlet carried) and the stories each path forms, scored against the labels
(pair and B-cubed F1, from ``bench/eval_stories.py``). A second poll measures what a
rerun costs. Prints one table; no timing figures (the machine is shared).

    PYTHONPATH=src .venv/bin/python bench/eval_follow.py [JSONL] [--limit N]
"""

from __future__ import annotations

import argparse
import html
import json
import sys
import tempfile
import threading
from collections import defaultdict
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from statistics import mean
from typing import Any

from rapidfuzz import fuzz

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eval_stories import bcubed_scores, pair_scores

from newsdesk.corpus import ingest_paths
from newsdesk.follow import follow_once, follow_settings
from newsdesk.options import Options
from newsdesk.store import Store

STREAM = Path(__file__).resolve().parent.parent.parent / "shared" / "dev-data" / "stories" / "wikinews2014.jsonl"


def page(row: dict[str, Any]) -> bytes:
    paragraphs = "".join(f"<p>{html.escape(p.strip())}</p>" for p in row["text"].split("\n\n") if p.strip())
    title = html.escape(row["title"] or "")
    return f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head><body><article><h1>{title}</h1>{paragraphs}</article></body></html>".encode()


def feed(outlet: str, items: list[tuple[int, dict[str, Any]]], base: str) -> bytes:
    entries = []
    for index, row in items:
        date = ""
        if row.get("published"):
            stamp = datetime.fromisoformat(row["published"]).replace(hour=12, tzinfo=UTC)
            date = f"<pubDate>{format_datetime(stamp, usegmt=True)}</pubDate>"
        entries.append(f"<item><title>{html.escape(row['title'] or '')}</title><link>{base}/a/{index}?utm_source=rss</link>{date}</item>")
    return f"<?xml version='1.0'?><rss version='2.0'><channel><title>{html.escape(outlet)}</title>{''.join(entries)}</channel></rss>".encode()


def serve(rows: list[dict[str, Any]]) -> tuple[ThreadingHTTPServer, list[str], list[str]]:
    by_outlet: dict[str, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
    for index, row in enumerate(rows):
        by_outlet[row.get("outlet") or "unknown"].append((index, row))
    requests: list[str] = []
    routes: dict[str, tuple[str, bytes]] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            requests.append(self.path)
            path = self.path.split("?", 1)[0]
            kind, body = routes.get(path, ("text/plain", b""))
            etag = f'"{hash(body) & 0xFFFFFFFF:x}"'
            status = 404 if path not in routes else (304 if self.headers.get("If-None-Match") == etag else 200)
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("ETag", etag)
            payload = body if status == 200 else b""
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    routes["/robots.txt"] = ("text/plain", b"User-agent: *\nAllow: /\n")
    for index, row in enumerate(rows):
        routes[f"/a/{index}"] = ("text/html; charset=utf-8", page(row))
    feeds = []
    for number, (outlet, items) in enumerate(sorted(by_outlet.items())):
        routes[f"/feeds/{number}.rss"] = ("application/rss+xml", feed(outlet, items, base))
        feeds.append(f"{base}/feeds/{number}.rss")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, feeds, requests


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("stream", nargs="?", type=Path, default=STREAM)
    parser.add_argument("--limit", type=int, default=0, help="first N articles only")
    args = parser.parse_args(argv)
    if not args.stream.is_file():
        print(f"{args.stream} not found (../shared absent?)", file=sys.stderr)
        return 2
    rows = [json.loads(line) for line in args.stream.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = rows[: args.limit] if args.limit else rows
    with tempfile.TemporaryDirectory() as folder:
        jsonl = Path(folder) / "stream.jsonl"
        jsonl.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        server, feeds, requests = serve(rows)
        settings = follow_settings().replace(min_delay=0.0, contact="bench@example.invalid")
        followed = Options(db_url=f"sqlite:///{folder}/follow.db")
        first = follow_once(feeds, followed, settings, say=lambda line: None)
        first_requests = len(requests)
        requests.clear()
        second = follow_once(feeds, followed, settings, say=lambda line: None)
        second_pages = sum(1 for r in requests if r.startswith("/a/"))
        filed = Options(db_url=f"sqlite:///{folder}/file.db")
        baseline = ingest_paths([jsonl], filed)
        # The same file in the order the feeds deliver it (outlet by outlet): story
        # clustering streams, so this separates the effect of order from that of follow.
        order = sorted(range(len(rows)), key=lambda i: rows[i].get("outlet") or "unknown")
        reordered = Path(folder) / "feed-order.jsonl"
        reordered.write_text("".join(json.dumps(rows[i]) + "\n" for i in order), encoding="utf-8")
        refiled = Options(db_url=f"sqlite:///{folder}/file-feed-order.db")
        ingest_paths([reordered], refiled)
        server.shutdown()
        report(rows, followed, filed, (refiled, order), first, baseline, (first_requests, len(requests), second_pages), second)
    return 0


def _articles(options: Options, key: Any) -> dict[int, Any]:
    with Store(options.db) as store:
        out = {}
        for article in store.list_articles(limit=100_000):
            out[key(article)] = (article, store.article_story(article.id))
        return out


def report(rows, followed, filed, refiled, first, baseline, requests, second) -> None:  # type: ignore[no-untyped-def]
    via_follow = _articles(followed, lambda a: int(a.url.rsplit("/", 1)[1]))
    via_file = _articles(filed, lambda a: int(a.source.rsplit("#", 1)[1]) - 1)
    refiled_options, order = refiled
    via_refile = _articles(refiled_options, lambda a: order[int(a.source.rsplit("#", 1)[1]) - 1])
    common = sorted(set(via_follow) & set(via_file) & set(via_refile))
    similarity = [fuzz.ratio(via_follow[i][0].body, via_file[i][0].body) / 100 for i in common]
    same_id = sum(via_follow[i][0].id == via_file[i][0].id for i in common)
    dated = [i for i in range(len(rows)) if rows[i].get("published")]
    gold = {str(i): rows[i]["story"] for i in common}
    paths = (via_follow, via_file, via_refile)

    def stories(found: dict[int, Any]) -> tuple[float, float]:
        predicted = {str(i): found[i][1] or f"none-{i}" for i in common}
        return pair_scores(predicted, gold)[2], bcubed_scores(predicted, gold)[2]

    def date_ok(found: dict[int, Any]) -> str:
        hits = sum(1 for i in dated if i in found and str(found[i][0].published) == rows[i]["published"][:10])
        return f"{hits}/{len(dated)}"

    def outlet_ok(found: dict[int, Any]) -> str:
        return f"{sum(1 for i, (a, _) in found.items() if a.outlet == rows[i].get('outlet'))}/{len(found)}"

    scores = [stories(p) for p in paths]
    print(f"articles in stream: {len(rows)}; feeds: {len({r.get('outlet') for r in rows})}")
    print(f"{'':30}{'follow':>10}{'file':>10}{'file, feed order':>18}")
    print(f"{'articles stored':30}{first.stored:>10}{baseline.stored:>10}{len(via_refile):>18}")
    print(f"{'failed':30}{len(first.failed):>10}{len(baseline.failed):>10}")
    print(f"{'published date = label':30}" + "".join(f"{date_ok(p):>{w}}" for p, w in zip(paths, (10, 10, 18))))
    print(f"{'outlet = label domain':30}" + "".join(f"{outlet_ok(p):>{w}}" for p, w in zip(paths, (10, 10, 18))))
    print(f"{'story pair F1 vs labels':30}" + "".join(f"{s[0]:>{w}.3f}" for s, w in zip(scores, (10, 10, 18))))
    print(f"{'story B-cubed F1 vs labels':30}" + "".join(f"{s[1]:>{w}.3f}" for s, w in zip(scores, (10, 10, 18))))
    print(f"body similarity follow vs file (common {len(common)}): mean {mean(similarity):.3f}, "
          f">=0.99: {sum(s >= 0.99 for s in similarity)}, same article id: {same_id}")
    first_requests, second_requests, second_pages = requests
    print(f"HTTP requests: first poll {first_requests}, second poll {second_requests} "
          f"({second.not_modified} not modified, {second_pages} pages fetched, {second.stored} stored)")


if __name__ == "__main__":
    raise SystemExit(main())
