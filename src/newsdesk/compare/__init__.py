"""Cross-outlet claim comparison: which statements several outlets make, which only
one makes, where they disagree, and which claims touch the same thing differently.

Why this shape: an analyst checking a story wants (1) the same statement found in
several reports, with the places they contradict each other called out (numbers,
dates, polarity, who said it), and (2) claims that are *not* the same statement but
bear on each other ("Chechens flee the call-up" vs "Chechnya will not take part in the
mobilization"). (1) is alignment by text similarity after masking the slots that are
allowed to differ; (2) is shared entities (the claim's sentence and its neighbours)
plus a shared semantic field from ``data/compare.toml``.

Pairs are generated from an inverted index (entity, number, content stem, field) so a
large story is not compared all-pairs; every threshold and lexicon is in the TOML.

Modules, in the order the comparison runs:

- ``lexicon``: ``data/compare.toml``, stems, stop words, semantic fields, negators
- ``keys``: outlet of an article, story-wide entity keys
- ``numbers``: numbers and quantities (value, unit family, label)
- ``cues``: words around numbers and dates (topic of a count, event of a date)
- ``claim_info``: the per-claim features every later step reads
- ``align``: candidate pairs, same-statement score, group labels
- ``divergence``: how two claims disagree (numbers, dates, polarity, attribution)
- ``events``: event-count and event-date divergence groups
- ``related``: related and tension pairs
- ``story``: ``compare_story`` / ``compare``, merging and ordering the groups
"""

from newsdesk.compare.keys import entity_keys, outlet_name
from newsdesk.compare.lexicon import load_config
from newsdesk.compare.numbers import Number, find_numbers
from newsdesk.compare.story import Comparison, compare, compare_story

__all__ = [
    "Comparison",
    "Number",
    "compare",
    "compare_story",
    "entity_keys",
    "find_numbers",
    "load_config",
    "outlet_name",
]
