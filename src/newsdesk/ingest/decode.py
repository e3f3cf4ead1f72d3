"""Bytes -> text, with the checks every reader needs before it parses anything.

Scraped corpora mix UTF-8 with legacy code pages (cp1251 Russian sites, cp1252
Western ones) and with junk: empty files, images saved as ``.html``, archives.
Readers call :func:`read_bytes` (size check from the file system, before a byte
is read) and :func:`decode_bytes` so that every file fails the same way, with a
one-line error that names it.

Decoding order: a BOM wins; then strict UTF-8 (most of the web); then an
encoding the container declared (HTTP header, ``<meta charset>``); then
charset-normalizer's best guess. Newlines are normalised to ``\\n``.
"""

from __future__ import annotations

import codecs
import gzip
from pathlib import Path

from charset_normalizer import from_bytes

from newsdesk.errors import (
    BinaryInputError,
    EmptyInputError,
    EncodingError,
    InputTooLargeError,
)

# Bytes that never occur in text files; a few of them are tolerated (form feeds,
# escape sequences in terminal logs) but a page made of them is not text.
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))
_SNIFF = 8192
_MAX_CONTROL_RATIO = 0.05

# Signatures of common binary formats, so a mislabelled image gets a precise error.
_MAGIC: dict[bytes, str] = {
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"%PDF": "PDF document",
    b"PK\x03\x04": "ZIP archive",
    b"\x1f\x8b": "gzip data",
    b"RIFF": "RIFF media file",
    b"\x7fELF": "executable",
}

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def read_bytes(path: Path, max_bytes: int, source: str | None = None) -> bytes:
    """Read a whole file, refusing it first if the file system says it is too big."""
    name = source or str(path)
    size = path.stat().st_size
    if size > max_bytes:
        raise InputTooLargeError(name, f"file is {size:,} bytes, over the limit of {max_bytes:,} (raise max_bytes)")
    if size == 0:
        raise EmptyInputError(name, "file is empty")
    return path.read_bytes()


def binary_kind(data: bytes) -> str | None:
    """Why ``data`` is not text (e.g. ``"PNG image"``), or None when it looks like text."""
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            return kind
    head = data[:_SNIFF]
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return None  # UTF-16/32 text legitimately contains NUL bytes
    if b"\x00" in head:
        return "NUL bytes"
    control = sum(head.count(bytes([b])) for b in _CONTROL)
    if head and control / len(head) > _MAX_CONTROL_RATIO:
        return "mostly non-text bytes"
    return None


def normalise_newlines(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` become ``\\n``; Unicode line/paragraph separators too."""
    return (
        text.replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\u2028", "\n")
        .replace("\u2029", "\n\n")
        .replace("\x85", "\n")
    )


def decode_bytes(data: bytes, source: str, declared: str | None = None) -> str:
    """Decode raw bytes to text or raise an InputError naming ``source``.

    ``declared`` is an encoding the container announced (HTTP ``charset``); it is
    trusted only when the bytes are not valid UTF-8, since servers often lie.
    """
    if not data or not data.strip():
        raise EmptyInputError(source, "no text (empty or whitespace only)")
    kind = binary_kind(data)
    if kind:
        raise BinaryInputError(source, f"binary content ({kind}), not text")
    text = _decode(data, source, declared)
    text = normalise_newlines(text)
    if not text.strip():
        raise EmptyInputError(source, "no text (empty or whitespace only)")
    return text


def _decode(data: bytes, source: str, declared: str | None) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise EncodingError(source, f"invalid {encoding} after BOM: {exc.reason}") from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    best = from_bytes(data).best()
    if best is None:
        raise EncodingError(source, "cannot detect the text encoding (not UTF-8, no known code page)")
    return str(best)


def read_head(path: Path, size: int) -> bytes:
    """The first ``size`` bytes of a file, decompressed when it is gzipped.

    For telling formats apart (a ``.warc.gz`` starts with a WARC header once
    unpacked). Raises OSError, EOFError or zlib.error on unreadable files."""
    with path.open("rb") as handle:
        head = handle.read(size)
    if head.startswith(b"\x1f\x8b"):
        with gzip.open(path, "rb") as handle:
            head = handle.read(size)
    return head
