"""Embedded posts: a tweet (or other post) the page embeds is its account's words,
not the outlet's. Cleaned text may keep the embed as markup
(``<tweet author="@name" ...>words</tweet>``); its words become a direct quote of
the account with the platform as channel. Patterns live in ``data/attribution.toml``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsdesk.analyze.attribution.lexicon import load_rules
from newsdesk.model import Quote, Speaker

ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')


@dataclass(frozen=True)
class Post:
    """An embedded post: ``open``/``close`` cover the markup, ``quote`` its words."""

    open: int
    close: int
    quote: Quote


def embedded_posts(text: str) -> list[Post]:
    """Every embedded post of ``text`` whose markup names an account."""
    rules = load_rules()
    posts: list[Post] = []
    for pattern, channel in rules.post_patterns:
        for m in pattern.finditer(text):
            attrs = dict(ATTRIBUTE.findall(m.group("attrs") or ""))
            account = attrs.get("author") or attrs.get("account") or attrs.get("user")
            start, end = m.start("body"), m.end("body")
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if not account or end <= start:
                continue
            quote = Quote(
                start=start,
                end=end,
                text=text[start:end],
                kind="direct",
                speaker=Speaker(account),
                cue="posted",
                channel=channel,
            )
            posts.append(Post(m.start(), m.end(), quote))
    return sorted(posts, key=lambda p: p.open)
