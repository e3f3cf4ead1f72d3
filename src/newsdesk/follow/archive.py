"""``--archive DIR``: every response a run fetches, written as WARC (warcio).

Why: a followed corpus can then be re-ingested offline (``newsdesk ingest
DIR``, the WARC reader takes the HTML responses) and shared as the standard web
archive format. The body is stored decoded (we decompress while streaming to
enforce the size limit), so ``Content-Encoding`` is dropped from the stored
headers and ``Content-Length`` set to what is stored: the record says exactly
what it holds. One gzipped file per run; a lock keeps records whole when
several threads fetch.
"""

from __future__ import annotations

import os
import threading
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import BinaryIO

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

_DROPPED_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


class WarcArchive:
    """A WARC file under ``folder``, open for the run."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        self.path = folder / f"newsdesk-follow-{stamp}-{os.getpid()}.warc.gz"
        self._file: BinaryIO = self.path.open("ab")
        self._writer = WARCWriter(self._file, gzip=True)
        self._lock = threading.Lock()
        self.records = 0

    def write(self, url: str, status: int, reason: str, headers: list[tuple[str, str]], body: bytes) -> None:
        """One ``response`` record: the status line, the headers as received, the body."""
        kept = [(k, v) for k, v in headers if k.lower() not in _DROPPED_HEADERS]
        kept.append(("Content-Length", str(len(body))))
        http_headers = StatusAndHeaders(f"{status} {reason}".strip(), kept, protocol="HTTP/1.1")
        with self._lock:
            record = self._writer.create_warc_record(url, "response", payload=BytesIO(body), http_headers=http_headers)
            self._writer.write_record(record)
            self._file.flush()
            self.records += 1

    def close(self) -> None:
        with self._lock:
            self._file.close()
