"""Near-duplicate detection for syndicated copies: MinHash + LSH bands in the database.

Wire copies of one report differ by a headline, a byline or a trailing line, so exact
hashes miss them. Each body gets a MinHash signature over word 5-shingles; the
signature is cut into LSH bands whose hashes go to the ``minhash_bands`` table, so
finding candidates is an indexed lookup per band (cost independent of corpus size),
and only those candidates are compared on their stored signatures.
"""

from __future__ import annotations

import hashlib
import re

from newsdesk.store.settings import near_duplicate_settings

_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, size: int) -> set[bytes]:
    """Lower-cased word ``size``-shingles; a text shorter than that is one shingle."""
    words = _WORD.findall(text.lower())
    if not words:
        return set()
    if len(words) < size:
        return {" ".join(words).encode("utf-8")}
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


def signature(text: str) -> bytes | None:
    """The MinHash signature of ``text`` as bytes (``num_perm`` little-endian uint32),
    or None when the text has no words. Deterministic across processes (fixed seed)."""
    settings = near_duplicate_settings()
    grams = shingles(text, settings.shingle_words)
    if not grams:
        return None
    from datasketch import MinHash  # half a second of imports: only when storing

    minhash = MinHash(num_perm=settings.num_perm)
    minhash.update_batch(list(grams))
    # datasketch keeps 32-bit hash values in uint64 slots: halve the storage.
    return minhash.hashvalues.astype("<u4").tobytes()


def band_hashes(sig: bytes) -> list[tuple[int, int]]:
    """``(band, hash)`` pairs: each band's ``rows`` values hashed to a signed 64-bit int."""
    settings = near_duplicate_settings()
    width = settings.rows * 4
    pairs = []
    for band in range(settings.bands):
        chunk = sig[band * width : (band + 1) * width]
        digest = hashlib.blake2b(chunk, digest_size=8).digest()
        pairs.append((band, int.from_bytes(digest, "little", signed=True)))
    return pairs


def similarity(left: bytes, right: bytes) -> float:
    """Estimated Jaccard similarity of two signatures (share of equal slots)."""
    import numpy as np  # imported when first needed: ``newsdesk --help`` stays instant

    a = np.frombuffer(left, dtype="<u4")
    b = np.frombuffer(right, dtype="<u4")
    if a.shape != b.shape:
        return 0.0
    return float(np.count_nonzero(a == b)) / len(a)
