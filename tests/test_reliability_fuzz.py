"""Fuzz the readers: whatever bytes a file holds, every reader gives articles or
one-line InputErrors, never another exception. Bounded: few examples, small
inputs, no deadline (the machine is shared)."""

from __future__ import annotations

import gzip
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdesk.errors import InputError
from newsdesk.ingest import read_file
from newsdesk.model import RawArticle
from newsdesk.options import Options

SUFFIXES = [".txt", ".html", ".jsonl", ".warc", ".warc.gz", ""]
SEEDS = [
    b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 40\r\n\r\n",
    b"<html><body><div><p>",
    b'{"title": "T", "text": "',
    b"\\ud800",
    b"\x1b]0;x\x07",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"[[[[[[[[",
    b"\r\n\r\n",
]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["title", "text", "html", "published", "url"]), inner, max_size=4),
    max_leaves=8,
)


def _check(path: Path, options: Options) -> None:
    for item in read_file(path, options):
        assert isinstance(item, RawArticle | InputError), type(item)
        if isinstance(item, InputError):
            text = str(item)
            assert "\n" not in text and "\x1b" not in text, text
        else:
            item.text.encode("utf-8")  # never a lone surrogate


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    parts=st.lists(st.sampled_from(SEEDS) | st.binary(max_size=200), max_size=6),
    suffix=st.sampled_from(SUFFIXES),
    compress=st.booleans(),
)
def test_readers_never_raise_on_random_bytes(parts: list[bytes], suffix: str, compress: bool) -> None:
    data = b"".join(parts)
    if compress:
        data = gzip.compress(data)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz{suffix}"
        path.write_bytes(data)
        _check(path, Options())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=st.lists(json_values, min_size=1, max_size=4))
def test_jsonl_reader_never_raises_on_json_values(records: list[object]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.jsonl"
        path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
        _check(path, Options())
