"""Near-duplicate detection: the same story reprinted by several outlets.

Each article gets a MinHash signature of its word 4-shingles, and LSH band keys: 16
bands of 4 rows, so two articles whose shingle sets have Jaccard similarity around 0.5
or more share a band key with high probability. The engine indexes the band keys as
terms, which makes "which articles might be reprints of this one" a term query;
candidates are then confirmed by comparing signatures (REPRINT_SIMILARITY).

The signature is datasketch's `MinHash(num_perm=64, seed=7)` (its default "affine32"
scheme over `sha1_hash32`), byte for byte, computed here with numpy: each distinct
shingle hashed once, then all 64 permutations in one array operation. datasketch's own
`update_batch` does the same arithmetic, but importing it costs ~1 s (it loads scipy)
and it hashes every repeated shingle; tests/test_dedup.py holds the two equal.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, TypeVar

from .words import fold, raw_words

if TYPE_CHECKING:
    import numpy as np

NUM_PERM = 64
SEED = 7  # the permutations: datasketch's MinHash(num_perm=NUM_PERM, seed=SEED)
BANDS, ROWS = 16, 4
SHINGLE = 4
REPRINT_SIMILARITY = 0.5  # estimated Jaccard of 4-shingle sets
_WORD = re.compile(r"\w+")
H = TypeVar("H", bound=Mapping[str, Any])  # a row of engine/results.py


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """(a, b) of the 64 affine permutations h -> a*h + b mod 2^32, drawn as datasketch
    draws them for the "affine32" scheme (an odd `a` makes each one a bijection)."""
    import numpy as np

    gen = np.random.RandomState(SEED)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


# `U.S.` is one word to the indexer (words.WORD) and two here (`\w+`).
_SPLIT = str.maketrans({".": "\0", "&": "\0"})


def _joined_words(text: str) -> str:
    """`\\w+` over the lower-cased text, NUL-joined ("" if none): the indexer's words
    (one regex pass per body, shared with indexing: words.raw_words) split at `.`/`&`.
    Lower-casing the words alone is lower-casing the text wherever each character
    lowers to one character (all but `İ`) and none reads its neighbours (`Σ`, final or
    not): else the text's."""
    tokens = raw_words(text)
    joined = "\0".join(tokens)
    lowered = joined.lower()
    if len(lowered) != len(joined) or "Σ" in joined:
        return "\0".join(_WORD.findall(text.lower()))
    return lowered.translate(_SPLIT)


def _shingles(text: str) -> set[bytes]:
    """The distinct word 4-shingles of the text, folded (accent- and case-insensitive,
    like search); MinHash looks at the set, so each is hashed once."""
    joined = _joined_words(text)  # NUL: in no word, folded or not
    if not joined:
        return set()
    if not joined.isascii():  # fold leaves an ASCII word as it is: fold the others once
        words = joined.split("\0")
        folded = {w: fold(w) for w in set(words) if not w.isascii()}
        joined = "\0".join([folded.get(w, w) for w in words])
    encoded = joined.encode().split(b"\0")  # one encode for all words
    if len(encoded) < SHINGLE:
        return {b" ".join(encoded)}
    return set(map(b" ".join, zip(*(encoded[i:] for i in range(SHINGLE)), strict=False)))


def signature(text: str) -> bytes | None:
    """MinHash signature of the text (NUM_PERM little-endian uint32 values), None for
    empty text."""
    shingles = _shingles(text)
    if not shingles:
        return None
    import numpy as np

    sha1 = hashlib.sha1
    # sha1_hash32: the first 4 bytes of each SHA-1, little-endian (every 5th uint32 of
    # the 20-byte digests: no slice per shingle).
    hv = np.frombuffer(b"".join([sha1(s).digest() for s in shingles]),
                       dtype="<u4")[::5].astype(np.uint32)
    # The MurmurHash3 32-bit finalizer, which datasketch applies before permuting.
    hv ^= hv >> np.uint32(16)
    hv *= np.uint32(0x85EBCA6B)
    hv ^= hv >> np.uint32(13)
    hv *= np.uint32(0xC2B2AE35)
    hv ^= hv >> np.uint32(16)
    a, b = _permutations()
    # Every shingle under every permutation (uint32 arithmetic wraps, mod 2^32), the
    # smallest value per permutation.
    sig = (hv[:, None] * a + b).min(axis=0)
    return sig.astype("<u4").tobytes()


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
