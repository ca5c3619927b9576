"""Snippets: the passages of a body that show why it matched, with the matches marked.

Hand-written rather than Whoosh's highlighter because that one re-runs the whole
analyzer chain over every stored body (8-25 ms per top 10, the largest part of a query);
this finds matches with one regex pass and the cached term normaliser, the same one the
index uses, so `tunnels` marks `tunnel` and `Anusauskas` marks `Anušauskas`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from .hits import Snippet
from .words import WORD, has_cjk, words


def find_matches(text: str, terms: Collection[str], term_of: Callable[[str], str],
                 exact: Collection[str] = frozenset()) -> list[tuple[int, int, str]]:
    """(start, end, term) of every word in `text` whose indexed form is in `terms`, or
    that is written exactly as one of `exact` (the words of `=Kind`)."""
    if not terms and not exact:
        return []
    if has_cjk(text):
        return [(start, end, term) for start, end, word in words(text)
                if (term := _matched(word, terms, term_of, exact)) is not None]
    # Text without CJK: words() is WORD.finditer, and each distinct word is looked up
    # once, here and in the other hits of this query (--json builds snippets for every
    # match, and the bodies share most of their words).
    out = []
    seen = _decisions(terms, term_of, exact)
    for m in WORD.finditer(text):
        word = m.group()
        if word in seen:
            term = seen[word]
        else:
            term = seen[word] = _matched(word, terms, term_of, exact)
        if term is not None:
            out.append((m.start(), m.end(), term))
    return out


_DECIDED_MAX = 200_000  # words remembered per query (and language); then start afresh
_SHARED_MAX = 16  # queries-and-languages remembered
_shared: dict[tuple[object, ...], dict[str, str | None]] = {}


def _decisions(terms: Collection[str], term_of: Callable[[str], str],
               exact: Collection[str]) -> dict[str, str | None]:
    """word -> its term if marked, else None, shared by the calls with the same terms,
    normaliser and exact words (one query's hits in one language). The type is in the
    key: a MatchTerms also matches Cyrillic words by sound key, a frozenset with the
    same members does not."""
    key = (type(terms), terms, term_of, exact)
    try:
        seen = _shared.get(key)
    except TypeError:  # unhashable terms (a set): nothing to share
        return {}
    if seen is None or len(seen) > _DECIDED_MAX:
        if len(_shared) >= _SHARED_MAX:
            _shared.pop(next(iter(_shared)))
        seen = _shared[key] = {}
    return seen


def _matched(word: str, terms: Collection[str], term_of: Callable[[str], str],
             exact: Collection[str]) -> str | None:
    """The word's indexed form if it is to be marked, else None."""
    term = term_of(word.lower())
    return term if term in terms or (exact and word in exact) else None


def mark(text: str, matches: list[tuple[int, int, str]], start: int = 0,
         end: int | None = None) -> Snippet:
    """text[start:end] as (piece, matched) pieces."""
    end = len(text) if end is None else end
    pieces: Snippet = []
    pos = start
    for s, e, _ in matches:
        if s < start or e > end:
            continue
        if s < pos:  # overlapping matches (CJK bigrams): extend the marked piece
            if e > pos:
                pieces.append((text[pos:e], True))
                pos = e
            continue
        if s > pos:
            pieces.append((text[pos:s], False))
        pieces.append((text[s:e], True))
        pos = e
    if pos < end:
        pieces.append((text[pos:end], False))
    return pieces


def _snap_left(text: str, i: int) -> int:
    if i <= 0:
        return 0
    j = text.rfind(" ", max(0, i - 20), i)
    return j + 1 if j >= 0 else i


def _snap_right(text: str, i: int) -> int:
    if i >= len(text):
        return len(text)
    j = text.find(" ", i, i + 20)
    return j if j >= 0 else i


def snippets(text: str, terms: Collection[str], term_of: Callable[[str], str], top: int = 3,
             width: int = 240, context: int = 70, exact: Collection[str] = frozenset()
             ) -> list[Snippet]:
    """The `top` passages (about `width` characters) richest in distinct terms, in text order."""
    matches = find_matches(text, terms, term_of, exact)
    if not matches:
        return []
    # Cluster matches that fit in one passage.
    clusters: list[list[tuple[int, int, str]]] = []
    for m in matches:
        if clusters and m[1] - clusters[-1][0][0] <= width - 2 * context:
            clusters[-1].append(m)
        else:
            clusters.append([m])
    ranked = sorted(clusters, key=lambda c: (-len({t for _, _, t in c}), -len(c), c[0][0]))
    windows: list[list[int]] = []
    for c in sorted(ranked[:top], key=lambda c: c[0][0]):
        lo = _snap_left(text, c[0][0] - context)
        hi = min(_snap_right(text, max(c[-1][1] + context, lo + width)), lo + width + 40)
        if windows and lo <= windows[-1][1]:  # overlapping passages: show the text once
            windows[-1][1] = max(windows[-1][1], hi)
        else:
            windows.append([lo, hi])
    return [mark(text, matches, lo, hi) for lo, hi in windows]
