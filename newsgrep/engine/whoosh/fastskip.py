"""W3LeafMatcher.skip_to with a binary search inside the block.

Whoosh's skip_to skips whole blocks by their last id, then steps through the block one
posting at a time (three method calls per posting, up to 127 of them). The rescoring
passes (feedback words, BM25F, proximity) skip along long posting lists to a few hundred
documents, and a phrase or a filter intersects lists the same way: that in-block walk was
most of a search. Here it is one bisect over the block's ids, which the walk reads anyway.
The matcher ends on the same posting in the same state, so matches, scores and counts
are unchanged (tests/test_fastskip.py replays skips against Whoosh's own method).
"""

from __future__ import annotations

from bisect import bisect_left

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import ReadTooFar

_whoosh_skip_to = W3LeafMatcher.skip_to


def skip_to(self, targetid) -> None:
    if not self.is_active():
        raise ReadTooFar
    if targetid <= self.id():  # also loads the block's ids
        return
    if targetid > self._maxid:
        self._skip_to_block(lambda: targetid > self._maxid)
        if not self.is_active():
            return
        if self._ids is None:
            self._read_ids()
    # The target is at most the block's last id, so it lies in this block: next() would
    # stop on the first id >= target before the block's end.
    self._i = bisect_left(self._ids, targetid, self._i)


def install() -> None:
    """Use skip_to for every W3LeafMatcher (idempotent)."""
    W3LeafMatcher.skip_to = skip_to  # type: ignore[method-assign]


def uninstall() -> None:
    """Whoosh's own skip_to again (tests compare the two)."""
    W3LeafMatcher.skip_to = _whoosh_skip_to  # type: ignore[method-assign]
