"""Time expressions (TIMEX3-style) in news text.

Modules: ``extract`` (the entry point, ``extract_timexes``), ``rules`` (the regular
expression rule table), ``lexicon`` (``data/timex.toml``), ``resolve`` (calendar
arithmetic and the conventions for resolving relative dates against the publication
date). ``from newsdesk.analyze.timex import extract_timexes`` keeps working.
"""

from newsdesk.analyze.timex.extract import extract_timexes

__all__ = ["extract_timexes"]
