"""The exceptions newsdesk raises on purpose.

Hierarchy::

    NewsdeskError                 base; str() is a one-line message for the user
    ├── InputError                a file or record could not be read as an article
    │   ├── EmptyInputError       empty file / record with no text
    │   ├── BinaryInputError      not text at all (NUL bytes, images, archives)
    │   ├── EncodingError         bytes that no detected encoding decodes
    │   ├── MalformedRecordError  broken JSONL line, WARC record, HTML document
    │   ├── NoArticleError        a page with no article body in it
    │   └── InputTooLargeError    over the configured size limit
    ├── ConfigError               a settings file or key is wrong (names file and key)
    ├── ModelError                the spaCy model (or another model) cannot be loaded
    └── StoreError                the store cannot be opened or written

Every InputError names the file (and the line or record) so that a batch can
report failures at the end and go on with the next file.
"""

from __future__ import annotations


class NewsdeskError(Exception):
    """Base class of every error newsdesk raises deliberately."""


class InputError(NewsdeskError):
    """A file or one record in it could not be turned into an article."""

    def __init__(self, source: str, message: str, record: str | int | None = None) -> None:
        self.source = source
        self.record = record
        self.message = message
        where = f"{source}:{record}" if record is not None else source
        super().__init__(f"{where}: {message}")


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


class ModelError(NewsdeskError):
    pass


class StoreError(NewsdeskError):
    pass
