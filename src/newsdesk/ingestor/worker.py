"""The body of one analysis process (started with the ``spawn`` method).

It loads the spaCy model once, then analyses the articles of job after job. One
thread receives jobs as they come and another sends results, so neither side's
sends wait on the other's parse or write (a pipe holds only 64 KiB). The
process ignores Ctrl-C: the parent decides when to stop it, so an interrupt never
leaves a half-sent result.

Messages to the parent: ``("start", key)`` before a job, ``("done", key, results)``
after it, ``("fatal", message)`` when the model cannot be loaded.

``NEWSDESK_TEST_CRASH_MARKER`` (tests only): a process given an article containing
that text exits at once, as a killed process would; with
``NEWSDESK_TEST_CRASH_ONCE`` naming a file, only the first process to create that
file does.
"""

from __future__ import annotations

import os
import queue
import signal
import threading
from multiprocessing.connection import Connection
from typing import Any

from newsdesk.errors import ModelError
from newsdesk.model import Article
from newsdesk.options import Options

CRASH_MARKER_ENV = "NEWSDESK_TEST_CRASH_MARKER"
CRASH_ONCE_ENV = "NEWSDESK_TEST_CRASH_ONCE"
CRASH_EXIT_CODE = 86
SEND_FAILED_EXIT_CODE = 70


def _receive(jobs: Connection, inbox: queue.Queue[Any]) -> None:
    while True:
        try:
            job = jobs.recv()
        except (EOFError, OSError):
            job = None
        inbox.put(job)
        if job is None:
            return


def _send(results: Connection, outbox: queue.Queue[Any]) -> None:
    """Send messages in order from a thread of their own: while the parent is busy
    writing and not reading, a large result waits here and the parse goes on."""
    while (message := outbox.get()) is not None:
        try:
            results.send(message)
            outbox.task_done()
        except (OSError, ValueError):  # the parent is gone
            return
        except Exception:  # noqa: BLE001 - a result that cannot be sent: die, so the parent retries and isolates it
            os._exit(SEND_FAILED_EXIT_CODE)


def _crash_hook(articles: list[Article], outbox: queue.Queue[Any]) -> None:
    marker = os.environ.get(CRASH_MARKER_ENV)
    if not marker or not any(marker in a.text for a in articles):
        return
    once = os.environ.get(CRASH_ONCE_ENV)
    if once:
        try:
            os.close(os.open(once, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return
    outbox.join()  # like a process killed mid-parse: the parent knows what it was on
    os._exit(CRASH_EXIT_CODE)


WARM_UP_TEXT = (
    "Council reopens the harbour road\n\n"
    "The council of Lisbon reopened the harbour road on Monday, mayor Ana Lopes said. "
    '"It took three weeks," she told reporters.'
)


def warm_up(options: Options) -> None:
    """Load the model, then analyse one invented article, so that every lexicon and
    gazetteer the analysers load on first use is loaded before real work arrives
    (while the parent is still reading the first batch)."""
    from newsdesk.analyze.pipeline import analyze_article, load_model
    from newsdesk.clean import clean
    from newsdesk.model import RawArticle

    load_model(options.model)
    try:
        analyze_article(clean(RawArticle(source="warm-up", text=WARM_UP_TEXT), options), options)
    except ModelError:
        raise
    except Exception:  # noqa: BLE001, S110 - a warm-up is an optimisation; real articles report real errors
        pass


def worker_main(jobs: Connection, results: Connection, options: Options) -> None:
    """Serve jobs ``(key, articles)`` until a ``None`` job (or the parent goes away)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    inbox: queue.Queue[Any] = queue.Queue()
    threading.Thread(target=_receive, args=(jobs, inbox), daemon=True).start()
    outbox: queue.Queue[Any] = queue.Queue()
    sender = threading.Thread(target=_send, args=(results, outbox), daemon=True)
    sender.start()
    try:
        _serve(inbox, outbox, options)
    finally:
        outbox.put(None)
        sender.join()


def _serve(inbox: queue.Queue[Any], outbox: queue.Queue[Any], options: Options) -> None:
    from newsdesk.ingestor.analysis import analyse_articles

    try:
        warm_up(options)
    except ModelError as exc:
        outbox.put(("fatal", str(exc)))
        return
    while (job := inbox.get()) is not None:
        key, articles = job
        outbox.put(("start", key))
        _crash_hook(articles, outbox)
        try:
            outbox.put(("done", key, analyse_articles(articles, options)))
        except ModelError as exc:
            outbox.put(("fatal", str(exc)))
            return
