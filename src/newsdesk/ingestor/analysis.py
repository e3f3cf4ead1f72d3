"""The analyse stage with per-article isolation, shared by every place that parses:
the in-process analyser, the worker processes and the Ray actors.

A batch is parsed with ``nlp.pipe`` (fast); if anything in it raises, the articles
not yet analysed are analysed one by one, so the failing article is found and
becomes a :class:`Failure` while every other one gets its analysis. The model not
being installed is not a per-article matter: :class:`ModelError` propagates.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsdesk.errors import InputError, ModelError
from newsdesk.ingestor.records import Batch, Entry, Failure
from newsdesk.model import Analysis, Article
from newsdesk.options import Options

Result = Analysis | Failure


def analyse_articles(articles: Sequence[Article], options: Options) -> list[Result]:
    """One result per article, in order: its analysis, or why it has none."""
    from newsdesk.analyze.pipeline import analyze  # spaCy loads only here

    done: list[Result] = []
    try:
        for item in analyze(articles, options):
            done.append(_result(item, articles[len(done)]))
    except ModelError:
        raise
    except Exception:  # noqa: BLE001, S110 - the article-by-article pass below names the culprit
        pass
    done.extend(analyse_one(article, options) for article in articles[len(done) :])
    return done


def analyse_one(article: Article, options: Options) -> Result:
    """The analysis of one article, or its failure."""
    from newsdesk.analyze.pipeline import analyze_article

    try:
        return _result(analyze_article(article, options), article)
    except ModelError:
        raise
    except Exception as exc:  # noqa: BLE001 - any error is this article's failure, not the run's
        return Failure.of_exception(article.source, "analyse", exc)


def _result(item: object, article: Article) -> Result:
    """An analyser may also hand back a refusal as a value (an InputError)."""
    if isinstance(item, Analysis):
        return item
    if isinstance(item, InputError):
        return Failure(article.source, "analyse", " ".join(item.message.split()))
    if isinstance(item, BaseException):
        return Failure.of_exception(article.source, "analyse", item)
    return Failure(article.source, "analyse", f"the analyser returned {type(item).__name__}")


def analyse_batch(batch: Batch, options: Options) -> Batch:
    """Fill in every article entry of ``batch`` (in place) with its analysis or failure."""
    todo = [entry for entry in batch.entries if entry.article is not None]
    articles = [entry.article for entry in todo if entry.article is not None]
    for entry, result in zip(todo, analyse_articles(articles, options), strict=True):
        settle(entry, result)
    return batch


def settle(entry: Entry, result: Result) -> None:
    """Put an analysis or failure in its entry and drop the article it replaces."""
    if isinstance(result, Failure):
        entry.failure = result
    else:
        entry.analysis = result
    entry.article = None
