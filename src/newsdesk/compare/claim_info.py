"""What the comparison knows about each claim, computed once per story: its entities
(in the sentence and around it), numbers and quantities, event dates, semantic fields,
polarity, and the text with numbers and dates masked for alignment. Headlines no claim
covers are added as the outlet's own claims."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from newsdesk.compare.cues import (
    content_tokens,
    day_of,
    is_reporting_date,
    nearest_field,
    window_stems,
)
from newsdesk.compare.keys import entity_keys, outlet_name
from newsdesk.compare.lexicon import (
    TOKEN,
    field_index,
    load_config,
    negator_words,
    stem,
    stop_words,
)
from newsdesk.compare.numbers import (
    Number,
    describe_number,
    find_numbers,
    is_part_of_another,
)
from newsdesk.model import Analysis, Claim, ClaimRef


@dataclass
class ClaimInfo:
    """A claim with what the comparison needs: the features are computed once."""

    ref: ClaimRef
    index: int
    article_index: int
    outlet: str
    source: str
    source_kind: str
    negative: bool
    negator: str | None
    words: frozenset[str]
    masked: str
    entities: frozenset[str]
    context_entities: frozenset[str]
    numbers: list[Number]
    dates: dict[str, str]  # value -> surface text
    fields: frozenset[str]
    section: str = "body"
    # (number family, topic field) pairs: what each number counts ("1,500 evacuated")
    quantity_keys: frozenset[tuple[str, str]] = frozenset()
    quantities: dict[tuple[str, str], list[Number]] = field(default_factory=dict)
    # day value -> content stems next to that date ("dam ... gave way on Tuesday")
    date_cues: dict[str, frozenset[str]] = field(default_factory=dict)
    # event date values newsdesk resolved itself from relative words ("Thursday", "last month")
    resolved_dates: frozenset[str] = frozenset()
    # (start, end) of the claim's content tokens, for slot cues around numbers and dates
    tokens: list[tuple[int, int, str]] = field(default_factory=list)


def _title_claims(analysis: Analysis) -> list[Claim]:
    """Headline sentences no claim covers yet: headlines carry the claims outlets are
    most often compared on, and the analyzer may not list them."""
    title = analysis.article.title
    if not title:
        return []
    covered = [(c.start, c.end) for c in analysis.claims]
    end = len(title)
    if any(s < end and e > 0 for s, e in covered):
        return []
    text = analysis.article.text[:end]
    return [Claim(0, end, text, outlet_name(analysis), "outlet", "asserted")]


def _mask_spans(text: str, spans: Iterable[tuple[int, int, str]]) -> str:
    pieces, last = [], 0
    for start, end, token in sorted(spans):
        if start < last:
            continue
        pieces.append(text[last:start])
        pieces.append(f" {token} ")
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def claim_infos(analyses: Sequence[Analysis]) -> tuple[list[ClaimInfo], dict[str, str]]:
    cfg = load_config()
    window = int(cfg["related"]["context_window"])
    mention_keys, display = entity_keys(analyses)
    by_article: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for (i, s, e), key in mention_keys.items():
        by_article[i].append((s, e, key))
    stop, negators, fields = stop_words(), negator_words(), field_index()
    infos: list[ClaimInfo] = []
    for ai, analysis in enumerate(analyses):
        article = analysis.article
        text = article.text
        outlet = outlet_name(analysis)
        sentences = sorted(analysis.sentences, key=lambda s: s.start)
        claims = sorted(_title_claims(analysis) + list(analysis.claims), key=lambda c: c.start)
        mentions = by_article[ai]
        for claim in claims:
            start, end = claim.start, claim.end
            sentence = text[start:end]
            ents = frozenset(key for s, e, key in mentions if s < end and e > start)
            # context: the sentences around the claim (pronouns point back)
            idx = [k for k, s in enumerate(sentences) if s.start < end and s.end > start]
            if idx and window:
                lo = sentences[max(0, idx[0] - window)].start
                hi = sentences[min(len(sentences) - 1, idx[-1] + window)].end
            else:
                lo, hi = start, end
            context = frozenset(key for s, e, key in mentions if s < hi and e > lo)
            timexes = [t for t in analysis.timexes if t.start >= start and t.end <= end]
            words_at = content_tokens(sentence)
            event_timexes = [
                t
                for t in timexes
                if t.type in ("DATE", "TIME")
                and t.value
                and not t.value.startswith("X")
                and not is_reporting_date(sentence, t.start - start)
            ]
            dates = {t.value: t.text for t in event_timexes if t.value}
            date_cues: dict[str, frozenset[str]] = {}
            for t in event_timexes:
                if day := day_of(t.value):
                    cues = window_stems(words_at, t.start - start, t.end - start)
                    date_cues[day] = date_cues.get(day, frozenset()) | cues
            date_spans = [(t.start - start, t.end - start) for t in timexes]
            numbers = [
                describe_number(sentence, n, words_at)
                for n in find_numbers(sentence)
                if not any(s <= n.start < e for s, e in date_spans)
            ]
            quantities: dict[tuple[str, str], list[Number]] = defaultdict(list)
            for n in numbers:
                if is_part_of_another(sentence, n):
                    continue
                if topic := nearest_field(words_at, n.start, n.end):
                    quantities[(n.family, topic)].append(n)
            quantity_keys = frozenset(quantities)
            masked = _mask_spans(
                sentence,
                [(s, e, "DATE") for s, e in date_spans] + [(n.start, n.end, "NUM") for n in numbers],
            )
            tokens = [t.lower() for t in TOKEN.findall(masked)]
            neg = [t for t in tokens if t in negators or t.endswith(("n't", "n’t"))]
            if not neg and claim.certainty == "denied":
                neg = ["denied"]
            content = [
                t for t in tokens if t not in stop and t not in negators and t not in ("date", "num") and len(t) > 1
            ]
            stems = [stem(t) for t in content]
            kept_masked = " ".join(t for t in tokens if t not in negators and t not in stop)
            infos.append(
                ClaimInfo(
                    ref=ClaimRef(article.id, outlet, start, end, sentence),
                    index=len(infos),
                    article_index=ai,
                    outlet=outlet,
                    source=(claim.source or outlet).strip(),
                    source_kind=claim.source_kind,
                    negative=bool(neg),
                    negator=neg[0] if neg else None,
                    words=frozenset(stems),
                    masked=kept_masked,
                    entities=ents,
                    context_entities=context | ents,
                    numbers=numbers,
                    dates=dates,
                    fields=frozenset(fields[s] for s in stems if s in fields),
                    section=article.section_at(start),
                    quantity_keys=quantity_keys,
                    quantities=dict(quantities),
                    date_cues=date_cues,
                    resolved_dates=frozenset(t.value for t in event_timexes if t.anchored and t.value),
                    tokens=words_at,
                )
            )
    return infos, display
