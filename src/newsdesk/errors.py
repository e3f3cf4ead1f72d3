"""The exceptions newsdesk raises on purpose.

Hierarchy::

    NewsdeskError                 base; str() is a one-line message for the user
    ├── InputError                a file or record could not be read as an article
    │   ├── EmptyInputError       empty file / record with no text
    │   ├── BinaryInputError      not text at all (NUL bytes, images, archives)
    │   ├── EncodingError         bytes that no detected encoding decodes
    │   ├── MalformedRecordError  broken JSONL line, WARC record, HTML document
    │   ├── NoArticleError        a page with no article body in it
    │   ├── InputTooLargeError    over a configured limit (bytes, decompressed size)
    │   │   └── ArticleTooLongError   over the analysis limits (characters per article)
    │   └── BadDateError          a publication date out of range or relative
    ├── ConfigError               a settings file or key is wrong (names file and key)
    ├── ModelError                the spaCy model (or another model) cannot be loaded
    └── StoreError                the store cannot be opened or written

Every InputError names the file (and the line or record) so that a batch can
report failures at the end and go on with the next file. ``str()`` of an
InputError is always one printable line: control, bidi and newline characters in
the file name or message are written as escapes (``\\n``, ``\\u001b``).
"""

from __future__ import annotations

from newsdesk.safetext import escape_controls


class NewsdeskError(Exception):
    """Base class of every error newsdesk raises deliberately."""


class InputError(NewsdeskError):
    """A file or one record in it could not be turned into an article."""

    def __init__(self, source: str, message: str, record: str | int | None = None) -> None:
        self.source = source
        self.record = record
        self.message = message
        where = f"{source}:{record}" if record is not None else source
        super().__init__(escape_controls(f"{where}: {message}"))


class EmptyInputError(InputError):
    pass


class BinaryInputError(InputError):
    pass


class EncodingError(InputError):
    pass


class MalformedRecordError(InputError):
    pass


class NoArticleError(InputError):
    pass


class InputTooLargeError(InputError):
    pass


class ConfigError(NewsdeskError):
    """A data or override settings file is unreadable, or sets a key wrongly."""


class ArticleTooLongError(InputTooLargeError):
    """Refused by the analyze stage (characters per article); the record is skipped."""


class BadDateError(InputError):
    """A publication date out of range or relative ("yesterday"), never guessed."""


class ModelError(NewsdeskError):
    pass


class StoreError(NewsdeskError):
    pass
