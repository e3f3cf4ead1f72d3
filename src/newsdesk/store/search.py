"""Full-text search over title, standfirst and body, on either backend.

SQLite uses an FTS5 table (``articles_fts``) filled in the same transaction as the
article; PostgreSQL a GIN index on a ``to_tsvector`` expression. Both take the same
web-search style query: words (all must match), ``"exact phrases"``, ``OR``,
``-excluded`` words and ``prefix*``; PostgreSQL's ``websearch_to_tsquery`` reads it
natively, and ``fts5_query`` translates it for FTS5 so that user punctuation can
never become an FTS5 syntax error.
"""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import (
    Connection,
    and_,
    column,
    exists,
    func,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy.sql.elements import ColumnElement

from newsdesk.store.records import SearchHit
from newsdesk.store.settings import search_settings
from newsdesk.store.tables import FTS_TABLE, articles, entity_mentions, pg_document

# The FTS5 virtual table, as far as queries need to name it (created by raw DDL).
fts = table(FTS_TABLE, column("article_id"), column("title"), column("standfirst"), column("body"))

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def fts5_query(query: str) -> str | None:
    """Translate a web-search style query into FTS5 syntax (None if nothing to search).

    >>> fts5_query('Kadyrov "Grozny mayor" OR Chechnya -rumour')
    '"Kadyrov" AND ("Grozny mayor" OR "Chechnya") NOT "rumour"'
    """
    groups: list[list[str]] = []
    excluded: list[str] = []
    join_next = False
    for match in _TOKEN.finditer(query):
        negated, phrase, word = match.group(1), match.group(2), match.group(3)
        if word is not None and word == "OR":
            join_next = bool(groups)
            continue
        if word is not None and word.startswith("-") and len(word) > 1:
            negated, word = "-", word[1:]
        term = phrase if phrase is not None else word
        if term is None or not re.search(r"\w", term):
            continue
        prefix = phrase is None and term.endswith("*")
        fts_term = _quote(term.rstrip("*")) + (" *" if prefix else "")
        if negated:
            excluded.append(fts_term)
        elif join_next:
            groups[-1].append(fts_term)
        else:
            groups.append([fts_term])
        join_next = False
    if not groups:
        return None
    parts = [g[0] if len(g) == 1 else "(" + " OR ".join(g) + ")" for g in groups]
    return " AND ".join(parts) + "".join(f" NOT {t}" for t in excluded)


def _filters(
    entity: str | None, outlet: str | None, date_from: date | None, date_to: date | None
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if outlet:
        conditions.append(func.lower(articles.c.outlet) == outlet.lower())
    if date_from:
        conditions.append(articles.c.published >= date_from)
    if date_to:
        conditions.append(articles.c.published <= date_to)
    if entity:
        conditions.append(
            exists().where(
                entity_mentions.c.article_id == articles.c.id,
                or_(entity_mentions.c.entity_id == entity, func.lower(entity_mentions.c.canonical) == entity.lower()),
            )
        )
    return conditions


def _lead(body: str | None, standfirst: str | None) -> str:
    limit = search_settings().lead_chars
    lead = (standfirst or body or "").strip()
    if len(lead) <= limit:
        return lead
    cut = lead[:limit].rsplit(" ", 1)[0]
    return cut + search_settings().snippet_ellipsis


def search_articles(
    conn: Connection,
    query: str | None,
    entity: str | None,
    outlet: str | None,
    date_from: date | None,
    date_to: date | None,
    limit: int,
) -> list[SearchHit]:
    """Articles matching every given filter, best text match first (newest first when
    there is no text)."""
    conditions = _filters(entity, outlet, date_from, date_to)
    columns = [articles.c.id, articles.c.title, articles.c.outlet, articles.c.published]
    settings = search_settings()
    if query and query.strip():
        if conn.dialect.name == "sqlite":
            match = fts5_query(query)
            if match is None:
                return []
            snippet = func.snippet(
                literal_column(FTS_TABLE),
                -1,
                settings.snippet_start,
                settings.snippet_end,
                settings.snippet_ellipsis,
                settings.snippet_words,
            )
            stmt = (
                select(*columns, snippet.label("snippet"))
                .select_from(articles.join(fts, fts.c.article_id == articles.c.id))
                .where(literal_column(FTS_TABLE).op("MATCH")(match), *conditions)
                .order_by(literal_column(f"bm25({FTS_TABLE})"))
                .limit(limit)
            )
            rows = conn.execute(stmt).all()
        else:
            tsquery = func.websearch_to_tsquery(literal_column(f"'{settings.postgres_config}'::regconfig"), query)
            document: ColumnElement[str] = literal_column(pg_document())
            options = (
                f'StartSel="{settings.snippet_start}", StopSel="{settings.snippet_end}", '
                f"MaxWords={settings.snippet_words}, MinWords={max(settings.snippet_words // 3, 3)}, "
                f'MaxFragments=2, FragmentDelimiter="{settings.snippet_ellipsis} "'
            )
            headline = func.ts_headline(
                literal_column(f"'{settings.postgres_config}'::regconfig"),
                func.concat_ws(" ", articles.c.standfirst, articles.c.body),
                tsquery,
                options,
            )
            stmt = (
                select(*columns, headline.label("snippet"))
                .where(document.op("@@")(tsquery), *conditions)
                .order_by(func.ts_rank(document, tsquery).desc(), articles.c.id)
                .limit(limit)
            )
            rows = conn.execute(stmt).all()
        return [SearchHit(r.id, r.title, r.outlet, r.published, r.snippet) for r in rows]
    stmt = (
        select(*columns, articles.c.body, articles.c.standfirst)
        .where(and_(True, *conditions))
        .order_by(articles.c.published.desc().nulls_last(), articles.c.id)
        .limit(limit)
    )
    return [
        SearchHit(r.id, r.title, r.outlet, r.published, _lead(r.body, r.standfirst)) for r in conn.execute(stmt).all()
    ]
