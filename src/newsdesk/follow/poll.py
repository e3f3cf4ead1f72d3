"""One poll of every followed source: listings -> new URLs -> pages -> the store.

The order of writes is what makes ``follow`` resumable. Pages are fetched a
batch at a time (``batch_pages``, the next batch already fetching while this one
is analysed), handed to ``corpus.ingest_items`` (the same cleaning, analysis,
linking and stories as file ingest), and only once that call returns are their
URLs written to the fetch log. A feed's ETag / Last-Modified are saved last,
and only when every entry ended up stored or logged. So a kill at any moment
loses at most one batch of fetching: the next run gets a 200 for the listing
(no validator was saved), skips the logged URLs, and fetches the rest.

Every problem is one line naming the URL and the reason (``say``); it marks
the feed failing (``feeds.last_error``) and the poll goes on with the rest.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from newsdesk.corpus import ingest_items
from newsdesk.errors import InputError
from newsdesk.follow.fetch import Fetcher, FetchError, Response
from newsdesk.follow.pages import content_hash, page_article
from newsdesk.follow.settings import FollowSettings
from newsdesk.follow.sources import (
    ChildSitemap,
    Entry,
    Listing,
    ListingError,
    SourceSpec,
    parse_listing,
)
from newsdesk.follow.urls import canonical_url
from newsdesk.model import RawArticle
from newsdesk.options import Options
from newsdesk.store import FeedRecord, FetchRecord, PollResult, Store

Say = Callable[[str], None]
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


def one_line(text: str) -> str:
    """Untrusted text (URLs, server reasons) made safe for one terminal line."""
    return _CONTROL.sub(" ", text).strip()


@dataclass
class FollowReport:
    """What one poll of every source did (``failed``: one line per problem)."""

    feeds: int = 0
    feeds_failed: int = 0
    not_modified: int = 0
    entries: int = 0
    known: int = 0
    disallowed: int = 0
    fetched: int = 0
    stored: int = 0
    duplicates: int = 0
    requests: int = 0
    failed: list[str] = field(default_factory=list)


@dataclass
class _FeedTally:
    """One feed's share of the poll, written to its row at the end."""

    stored: int = 0
    failed: int = 0
    disallowed: int = 0
    complete: bool = True  # every entry stored or logged (validators may be saved)
    error: str | None = None


@dataclass
class _Fetched:
    entry: Entry
    response: Response | None = None
    error: FetchError | None = None


class Follower:
    """Polls sources into one store with one fetcher (a run)."""

    def __init__(self, options: Options, settings: FollowSettings, store: Store, fetcher: Fetcher, say: Say) -> None:
        self.options, self.settings, self.store, self.fetcher = options, settings, store, fetcher
        self._say = say
        self.report = FollowReport()
        self._pool: ThreadPoolExecutor | None = None

    def say(self, line: str, tally: _FeedTally | None = None, failure: bool = True) -> None:
        line = one_line(line)
        if failure:
            self.report.failed.append(line)
            if tally is not None:
                tally.error = line
        self._say(line)

    def run(self, specs: Sequence[SourceSpec]) -> FollowReport:
        pool = ThreadPoolExecutor(self.settings.workers, thread_name_prefix="newsdesk-follow")
        self._pool = pool
        try:
            for spec in specs:
                self.store.add_feed(spec.url, spec.title)
                self.poll(spec)
        finally:
            # On Ctrl-C, queued fetches are dropped; the few in flight end within their timeouts.
            pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self.report.requests = self.fetcher.requests
        return self.report

    # --- one listing ---------------------------------------------------------------

    def poll(self, spec: SourceSpec, depth: int = 0) -> bool:
        """Poll one feed or sitemap (and an index's children); True when nothing is left undone."""
        self.report.feeds += 1
        feed = self.store.get_feed(spec.url)
        tally = _FeedTally()
        try:
            response = self.fetcher.get(
                spec.url, "listing", feed.etag if feed else None, feed.last_modified if feed else None
            )
            if response.status == 304:
                return self._not_modified(spec.url, feed, depth, tally)
            listing = parse_listing(response.url, response.body, self.settings.max_listing_bytes)
        except (FetchError, ListingError) as exc:
            self.report.feeds_failed += 1
            self.say(str(exc), tally)
            transient = isinstance(exc, FetchError) and exc.transient
            self.store.record_poll(spec.url, PollResult(error=tally.error, failed=1))
            return not transient
        title = one_line(spec.title or listing.title or "") or (feed.title if feed else None)
        if listing.problem:
            self.say(f"{spec.url}: {listing.problem}", tally)
        if listing.kind == "sitemapindex":
            tally.complete = self._children(spec.url, listing, depth, tally)
        else:
            self._entries(spec.url, title, listing.entries, tally)
        complete = tally.complete
        # A malformed listing keeps no validator: a 304 next time would hide that it still is.
        keep = complete and not listing.problem
        self.store.record_poll(
            spec.url,
            PollResult(
                title=title,
                kind=listing.kind,
                error=tally.error,
                etag=response.etag if keep else None,
                last_modified=response.last_modified if keep else None,
                entries=len(listing.entries) or len(listing.children),
                stored=tally.stored,
                failed=tally.failed,
                disallowed=tally.disallowed,
            ),
        )
        return complete

    def _not_modified(self, url: str, feed: FeedRecord | None, depth: int, tally: _FeedTally) -> bool:
        """A 304. An unchanged sitemap index still has its children polled: sites
        often keep the index fixed while the news sitemap it names changes."""
        self.report.not_modified += 1
        complete = True
        if feed is not None and feed.kind == "sitemapindex":
            children = [ChildSitemap(f.url) for f in self.store.list_feeds() if f.parent == url]
            complete = self._children(url, Listing("sitemapindex", children=children), depth, tally)
        self.store.record_poll(url, PollResult(error=tally.error))
        return complete

    def _children(self, url: str, listing: Listing, depth: int, tally: _FeedTally) -> bool:
        if depth >= self.settings.sitemap_max_depth:
            self.say(
                f"{url}: sitemap index nested deeper than {self.settings.sitemap_max_depth}, children skipped", tally
            )
            return True
        newest = sorted(listing.children, key=lambda c: (c.lastmod is not None, c.lastmod), reverse=True)
        complete = True
        for child in newest[: self.settings.sitemap_max_children]:
            self.store.add_feed(child.url, parent=url)
            complete = self.poll(SourceSpec(child.url), depth + 1) and complete
        return complete

    # --- its entries ---------------------------------------------------------------

    def _entries(self, feed_url: str, outlet: str | None, entries: list[Entry], tally: _FeedTally) -> None:
        unique = list({e.url: e for e in reversed(entries)}.values())[::-1]  # first mention wins
        self.report.entries += len(unique)
        known = self.store.known_urls(e.url for e in unique)
        self.report.known += len(known)
        wanted = []
        for entry in unique:
            if entry.url in known:
                continue
            refusal = self.fetcher.politeness.refusal(entry.url)
            if refusal:
                tally.disallowed += 1
                self.report.disallowed += 1
                self.say(f"{entry.url}: skipped, {refusal}", failure=False)
                continue
            wanted.append(entry)
        for batch in self._fetched_batches(wanted):
            self._store_batch(feed_url, outlet, batch, tally)

    def _fetched_batches(self, entries: list[Entry]) -> Iterator[list[_Fetched]]:
        """Batches of fetched pages, in feed order; the next batch fetches meanwhile."""
        if self._pool is None:
            raise RuntimeError("pages are fetched inside Follower.run()")
        pool = self._pool
        size = self.settings.batch_pages
        chunks = [entries[i : i + size] for i in range(0, len(entries), size)]
        pending: list[Future[_Fetched]] | None = None
        for chunk in chunks:
            submitted = [pool.submit(self._fetch, entry) for entry in chunk]
            if pending is not None:
                yield [f.result() for f in pending]
            pending = submitted
        if pending is not None:
            yield [f.result() for f in pending]

    def _fetch(self, entry: Entry) -> _Fetched:
        try:
            return _Fetched(entry, response=self.fetcher.get(entry.url, "page"))
        except FetchError as exc:
            return _Fetched(entry, error=exc)

    def _store_batch(self, feed_url: str, outlet: str | None, batch: list[_Fetched], tally: _FeedTally) -> None:
        """Ingest a batch of pages, then log them: the log never runs ahead of the store."""
        logs: dict[str, FetchRecord] = {}
        raws: list[RawArticle] = []
        seen_hashes: dict[str, str] = {}
        for item in batch:
            raw, record = self._prepare(feed_url, outlet, item, tally, seen_hashes)
            if record is not None:
                logs[item.entry.url] = record
            if raw is not None:
                raws.append(raw)
        if raws:
            self._ingest(raws, logs, tally)
        self.store.log_fetches([*logs.values(), *_redirect_targets(logs.values())])

    def _prepare(
        self, feed_url: str, outlet: str | None, item: _Fetched, tally: _FeedTally, seen: dict[str, str]
    ) -> tuple[RawArticle | None, FetchRecord | None]:
        entry = item.entry
        if item.error is not None:
            tally.failed += 1
            self.say(str(item.error), tally)
            if item.error.transient:
                tally.complete = False
                return None, None
            return None, FetchRecord(
                entry.url, item.error.url, item.error.status, feed_url=feed_url, error=item.error.reason
            )
        if item.response is None:
            raise AssertionError("a fetch result has a response or an error")
        self.report.fetched += 1
        digest = content_hash(item.response.body)
        record = FetchRecord(entry.url, item.response.url, item.response.status, digest, feed_url)
        same = seen.get(digest) or self.store.url_with_content(digest)
        if same is not None and same != entry.url:
            self.report.duplicates += 1
            return None, record  # the same page under another URL: linked, not re-analysed
        seen[digest] = entry.url
        try:
            return page_article(item.response, entry, outlet), record
        except InputError as exc:
            tally.failed += 1
            self.say(f"{entry.url}: {exc.message}", tally)
            return None, FetchRecord(entry.url, item.response.url, item.response.status, digest, feed_url, exc.message)

    def _ingest(self, raws: list[RawArticle], logs: dict[str, FetchRecord], tally: _FeedTally) -> None:
        result = ingest_items(raws, self.options, store=self.store)
        tally.stored += result.stored
        self.report.stored += result.stored
        self.report.duplicates += result.duplicates
        for line in result.failed:
            tally.failed += 1
            self.say(line, tally)
            url = next((u for u in logs if line.startswith(f"{u}:")), None)
            if url is not None:
                logs[url] = dataclasses.replace(logs[url], error=line[len(url) + 1 :].strip())


def _redirect_targets(records: Iterable[FetchRecord]) -> list[FetchRecord]:
    """The page a redirect ended on, logged too: a later entry linking it directly is known."""
    targets = []
    for record in records:
        try:
            final = canonical_url(record.url)
        except ValueError:
            continue
        if final != record.canonical_url and record.error is None:
            targets.append(dataclasses.replace(record, canonical_url=final))
    return targets
