"""Cross-outlet claim comparison: which facts several outlets state, which only one
states, where outlets give one fact different values, and which claims bear on each
other without being the same statement.

Why this shape: outlets paraphrase, so a fact is found by the event it states (semantic
similarity from wordllama, content stems, entity ids, numbers, the main predicate from
the dependency parse, plan vs outcome) rather than by shared words; a disagreement is
only reported for the same slot (count, amount, date, polarity) of a fact already
aligned; related pairs are kept only where the parse makes them precise. Every weight,
threshold and lexicon is in ``data/compare.toml``.

Modules, in the order the comparison runs:

- ``lexicon``: ``data/compare.toml``, stems, stop words, semantic fields, negators
- ``keys``: outlet of an article (metadata, URL domain, "unknown outlet (file)"), entity keys
- ``numbers``: numbers and quantities (value, unit family, label)
- ``cues``: words around numbers and dates (topic of a count, reporting dates)
- ``claim_info``: the per-claim features every later step reads
- ``semantic``: wordllama sentence embeddings, loaded offline
- ``clauses``: main-clause features from the parse (predicates, negation, plan/outcome)
- ``facts``: the same-fact score per pair and average-linkage fact groups
- ``slots``: divergences: the same slot of one fact with different values
- ``related``: tension and related pairs
- ``story``: ``compare_story`` / ``compare``, the labelled groups
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
