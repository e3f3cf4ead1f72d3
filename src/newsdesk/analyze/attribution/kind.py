"""Article kind (news, opinion, analysis, wire) and author from the markers the text
carries when the source's metadata did not say: a section label before the headline
or byline ("OPINION:", "Analysis |"), a byline ("By Jane Roe"), a wire dateline
("WASHINGTON (AP) —"). Why: an opinion piece's unattributed claims are its author's,
not the outlet's. Markers live in ``data/attribution.toml`` ([article]).
"""

from __future__ import annotations

import re
from functools import lru_cache

from newsdesk.config import settings as config_settings
from newsdesk.model import Article, ArticleKind

BYLINE = re.compile(
    r"^[ \t]*By[ \t]+(?P<name>[A-Z][\w.'’-]+(?:[ \t]+[A-Z][\w.'’-]+){0,3})[ \t]*(?:[,|]|$)", re.MULTILINE
)


@lru_cache(maxsize=1)
def _markers() -> dict[str, tuple[re.Pattern[str], ...]]:
    cfg = config_settings("attribution")
    table = cfg["article"]
    return {
        kind: tuple(re.compile(p, re.IGNORECASE | re.MULTILINE) for p in table[kind])
        for kind in ("opinion", "analysis", "wire")
    }


def article_kind(article: Article) -> ArticleKind:
    """The kind the article declares, else the kind its markers show (first 400
    characters: section labels and datelines sit at the top)."""
    if article.kind != "news":
        return article.kind
    head = article.text[:400]
    for kind in ("opinion", "analysis", "wire"):
        if any(p.search(head) for p in _markers()[kind]):
            return kind  # type: ignore[return-value]
    return "news"


def article_author(article: Article) -> str | None:
    """The byline's name: the metadata's, else a "By Jane Roe" line near the top."""
    if article.author:
        return article.author
    m = BYLINE.search(article.text[:600])
    return m.group("name") if m else None
