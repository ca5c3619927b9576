"""grep -C for articles: N words either side of each match, as snippets."""

from __future__ import annotations

import bisect
import re

from .hits import Snippet

_WORD = re.compile(r"\w+(?:\.?\w+)*")


def context_snippets(marked: list[Snippet], words: int) -> list[Snippet]:
    """From a body with its matches marked (engine.highlight_article), one snippet per run
    of matches: each match with `words` words before and after; runs whose context
    overlaps or touches become one snippet, as grep merges context lines."""
    pieces = [p for snip in marked for p in snip]
    text = "".join(t for t, _ in pieces)
    spans: list[tuple[int, int]] = []
    pos = 0
    for t, matched in pieces:
        if matched:
            spans.append((pos, pos + len(t)))
        pos += len(t)
    if not spans:
        return []
    bounds = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    starts = [s for s, _ in bounds]
    windows: list[list[int]] = []
    for s, e in spans:
        first = _word_index(starts, s)
        last = _word_index(starts, max(e - 1, s))
        lo = bounds[max(first - words, 0)][0] if bounds else s
        hi = bounds[min(last + words, len(bounds) - 1)][1] if bounds else e
        lo, hi = min(lo, s), max(hi, e)
        if windows and lo <= windows[-1][1] + 1:
            windows[-1][1] = max(windows[-1][1], hi)
        else:
            windows.append([lo, hi])
    return [_cut(pieces, lo, hi) for lo, hi in windows]


def _word_index(starts: list[int], offset: int) -> int:
    """Index of the word at or before `offset`."""
    return max(bisect.bisect_right(starts, offset) - 1, 0)


def _cut(pieces: Snippet, lo: int, hi: int) -> Snippet:
    out: Snippet = []
    pos = 0
    for t, matched in pieces:
        end = pos + len(t)
        a, b = max(pos, lo), min(end, hi)
        if a < b:
            out.append((t[a - pos:b - pos], matched))
        pos = end
    return out
