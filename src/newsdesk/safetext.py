"""Untrusted text made safe to print: one line, no terminal control, no bidi tricks.

Why: titles, outlets and file names come from the input. Printed raw, an ESC or
OSC sequence rewrites the user's terminal (its title, its colours, a fake
prompt), a newline in a file name splits one error into two lines that look like
two failures, and a right-to-left override (U+202E) makes ``txt.exe`` read as
``exe.txt``. Everything here turns those characters into visible escapes
(``\\u001b``, ``\\n``, ``\\u202e``) so the text stays readable and truthful.
The escapes are also valid JSON string escapes, so JSON output stays JSON.
"""

from __future__ import annotations

import re

__all__ = ["UNSAFE_CHARS", "escape_controls", "scrub_surrogates"]

# C0 controls, DEL, C1 controls, bidi embeddings/overrides/isolates and marks,
# line/paragraph separators, and lone surrogates (which no encoder accepts).
UNSAFE_CHARS = "\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_UNSAFE = re.compile(f"[{UNSAFE_CHARS}]")
# The same without \t and \n, for multi-line output (reports, tables).
_UNSAFE_KEEP_LINES = re.compile(
    f"[{UNSAFE_CHARS.replace(chr(0) + '-' + chr(0x1F), chr(0) + '-' + chr(8) + chr(11) + '-' + chr(0x1F))}]"
)
_SURROGATE = re.compile("[\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    if char in _NAMED:
        return _NAMED[char]
    return f"\\u{ord(char):04x}"


def escape_controls(text: object, keep_newlines: bool = False) -> str:
    """``text`` with every control, bidi and surrogate character written as an escape.

    ``keep_newlines`` leaves ``\\n`` and ``\\t`` alone for multi-line output (a report);
    one-line messages (errors, failure lines) escape it too.
    """
    value = str(text)
    pattern = _UNSAFE_KEEP_LINES if keep_newlines else _UNSAFE
    return pattern.sub(_escape, value)


def scrub_surrogates(text: str) -> str:
    """Lone surrogates (``"\\ud800"`` from a JSON escape) become U+FFFD.

    Python strings can hold them, but UTF-8 cannot: the content id hash, SQLite
    and every writer would raise on them. A surrogate *pair* from JSON is already
    one real character, so every surrogate left in a ``str`` is a lone one.
    """
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def html_finalize(value: object) -> object:
    """Jinja ``finalize`` for every ``{{ }}`` of untrusted text: bidi embeddings,
    overrides and isolates are removed from plain strings, so a title holding
    U+202E cannot reverse the text after it on the page (``txt.exe`` shown as
    ``exe.txt``). Markup built by our own code passes unchanged; the templates put
    untrusted blocks in ``dir="auto"`` elements so right-to-left text is isolated.
    """
    if isinstance(value, str) and not hasattr(value, "__html__") and _BIDI_CONTROLS.search(value):
        return _BIDI_CONTROLS.sub("", value)
    return value
