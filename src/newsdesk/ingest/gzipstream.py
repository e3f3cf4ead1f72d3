"""A gzip file decompressed as it is read, with a limit per member and per file.

Why not ``gzip.open`` or warcio's own decompression: neither bounds what one
small input turns into. A 3 MB gzip member can hold 3 GiB of zeros; fed to
``zlib.decompress`` in one call it takes 3 GiB of memory before any check runs.
Here every call asks zlib for at most the bytes the reader wants
(``max_length``), counts them per gzip member and per file, and stops with
:class:`DecompressedTooLarge` the moment a limit is passed, so memory stays at
one read buffer whatever the ratio. A file cut in the middle of a member reads
as a clean end of stream with ``truncated`` set, so the caller can name the
record that was lost instead of silently dropping it.
"""

from __future__ import annotations

import io
import zlib
from typing import BinaryIO

_READ = 1 << 16


class DecompressedTooLarge(Exception):
    """A gzip member or the whole file decompresses to more than its limit.

    ``member`` is True for the per-member limit: the rest of the file may still
    be read after :meth:`BoundedGzipReader.skip_member`."""

    def __init__(self, message: str, member: bool) -> None:
        super().__init__(message)
        self.member = member


class BoundedGzipReader(io.RawIOBase):
    """Raw stream of the decompressed bytes of a (multi-member) gzip file."""

    def __init__(self, raw: BinaryIO, max_member_bytes: int, max_file_bytes: int) -> None:
        self.raw = raw
        self.max_member_bytes = max_member_bytes
        self.max_file_bytes = max_file_bytes
        self.member_bytes = 0
        self.total_bytes = 0
        self.members = 0
        self._decompressor = zlib.decompressobj(wbits=31)
        self._pending = b""
        self._started = False
        self._skipping = False
        self.truncated = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        want = len(buffer)
        while want:
            data = self._input()
            if data is None:
                return 0
            out = self._decompressor.decompress(data, want)
            if out:
                self._count(len(out))
                buffer[: len(out)] = out
                return len(out)
        return 0

    def _input(self) -> bytes | None:
        """The next compressed bytes to feed, starting a new member when one ends;
        None at the end of the file (``truncated`` set when it stops mid-member)."""
        if self._decompressor.eof:
            self._pending = self._decompressor.unused_data + self._pending
            self._decompressor = zlib.decompressobj(wbits=31)
            self.member_bytes, self._started = 0, False
        if self._decompressor.unconsumed_tail:
            return self._decompressor.unconsumed_tail
        data, self._pending = self._pending or self.raw.read(_READ), b""
        if not data:
            self.truncated = self._started
            return None
        if not self._started:
            self._started = True
            self.members += 1
        return data

    def _count(self, size: int) -> None:
        self.member_bytes += size
        self.total_bytes += size
        if self.total_bytes > self.max_file_bytes:
            raise DecompressedTooLarge(
                f"file decompresses to over {self.max_file_bytes:,} bytes (raise limits.max_file_bytes)", member=False
            )
        if self.member_bytes > self.max_member_bytes and not self._skipping:
            raise DecompressedTooLarge(
                f"gzip member {self.members} decompresses to over {self.max_member_bytes:,} bytes "
                "(a gzip bomb, or raise limits.max_member_bytes)",
                member=True,
            )

    def skip_member(self) -> bool:
        """Decompress and discard the rest of the current member (still counted
        against the per-file limit, one buffer at a time). True when the member
        ended, so reading can go on with the next one; False when the file ends
        inside it."""
        self._skipping = True
        try:
            while not self._decompressor.eof:
                data = self._decompressor.unconsumed_tail
                if not data:
                    data, self._pending = self._pending or self.raw.read(_READ), b""
                if not data:
                    self.truncated = True
                    return False
                self._count(len(self._decompressor.decompress(data, _READ)))
        finally:
            self._skipping = False
        return True


def is_gzip(handle: BinaryIO) -> bool:
    """Whether a seekable binary file starts with the gzip magic (position kept at 0)."""
    magic = handle.read(2)
    handle.seek(0)
    return magic == b"\x1f\x8b"
