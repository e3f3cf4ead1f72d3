"""Per-article lookups every quote step shares: entities by offset, the quoted
ranges, antecedent candidates for pronouns, the token at a character offset."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from newsdesk.analyze.attribution.lexicon import QuoteRules
from newsdesk.model import EntityMention, Speaker


@dataclass
class Candidate:
    """Someone a later pronoun may refer to."""

    pos: int
    speaker: Speaker
    gender: str  # male | female | any
    plural: bool
    subject: bool
    sent: int


@dataclass
class QuoteContext:
    """Per-article lookups shared by every quote: entities by offset, quoted ranges,
    antecedent candidates."""

    doc: Doc
    text: str  # article.text (Doc.text rebuilds the string on every access)
    entities: list[EntityMention]
    rules: QuoteRules
    quoted: list[tuple[int, int]] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    ent_starts: list[int] = field(default_factory=list)
    # The current speaker of the discourse: the last attributed direct quote's.
    last_speaker: Speaker | None = None

    def __post_init__(self) -> None:
        self.ent_starts = [e.start for e in self.entities]

    def entity_at(self, start: int, end: int) -> EntityMention | None:
        """The mention overlapping [start, end), if any."""
        i = bisect.bisect_right(self.ent_starts, end - 1) - 1
        while i >= 0 and self.entities[i].end > start:
            if self.entities[i].start < end:
                return self.entities[i]
            i -= 1
        return None

    def in_quote(self, pos: int) -> bool:
        return any(s <= pos < e for s, e in self.quoted)


def token_at(doc: Doc, offset: int) -> Token | None:
    span = doc.char_span(offset, offset + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None
