"""Near-duplicate detection: the same story reprinted by several outlets.

Each article gets a MinHash signature (datasketch) of its word 4-shingles, and LSH band
keys: 16 bands of 4 rows, so two articles whose shingle sets have Jaccard similarity
around 0.5 or more share a band key with high probability. The engine indexes the band
keys as terms, which makes "which articles might be reprints of this one" a term query;
candidates are then confirmed by comparing signatures (REPRINT_SIMILARITY).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any, TypeVar

NUM_PERM = 64
BANDS, ROWS = 16, 4
SHINGLE = 4
REPRINT_SIMILARITY = 0.5  # estimated Jaccard of 4-shingle sets
_WORD = re.compile(r"\w+")
H = TypeVar("H", bound=Mapping[str, Any])  # a row of engine/results.py


@lru_cache(maxsize=1)
def _template():
    from datasketch import MinHash  # heavy import (~1 s): only ingest and `similar` need it

    template = MinHash(num_perm=NUM_PERM, seed=7)
    return MinHash, template.permutations, template.scheme


def _shingles(text: str) -> list[bytes]:
    from .engine.analysis import fold  # accent- and case-insensitive, like search

    words = [fold(w) for w in _WORD.findall(text.lower())]
    if len(words) < SHINGLE:
        return [" ".join(words).encode()] if words else []
    return [" ".join(words[i:i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)]


def signature(text: str) -> bytes | None:
    """MinHash signature of the text (NUM_PERM uint32 values), None for empty text."""
    shingles = _shingles(text)
    if not shingles:
        return None
    minhash_cls, perms, scheme = _template()
    m = minhash_cls(num_perm=NUM_PERM, permutations=perms, scheme=scheme)
    m.update_batch(shingles)
    return m.hashvalues.astype("<u4").tobytes()


def band_keys(sig: bytes) -> list[str]:
    """One short key per LSH band: equal keys mean equal rows in that band."""
    step = 4 * ROWS
    return [f"{b}{hashlib.blake2b(sig[b * step:(b + 1) * step], digest_size=6).hexdigest()}"
            for b in range(BANDS)]


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two signatures (share of equal values)."""
    if not a or not b or len(a) != len(b):
        return 0.0
    n = len(a) // 4
    same = sum(a[i * 4:i * 4 + 4] == b[i * 4:i * 4 + 4] for i in range(n))
    return same / n


def collapse(hits: Sequence[H]) -> list[tuple[H, list[H]]]:
    """Group ranked hits that are reprints of one another (a shared LSH band and similar
    signatures), keeping rank order: each group is led by its best-ranked hit. A hit is
    a row with a "sig" (engine/results.py)."""
    groups: list[tuple[H, list[H]]] = []
    leaders: list[tuple[bytes, set[str], list[H]]] = []
    for h in hits:
        sig = h.get("sig") or b""
        keys = set(band_keys(sig)) if sig else set()
        for lsig, lkeys, dups in leaders:
            if keys & lkeys and similarity(sig, lsig) >= REPRINT_SIMILARITY:
                dups.append(h)
                break
        else:
            group: list[H] = []
            leaders.append((sig, keys, group))
            groups.append((h, group))
    return groups
