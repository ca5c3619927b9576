"""Snippets: the passages of a body that show why it matched, with the matches marked.

Hand-written rather than Whoosh's highlighter because that one re-runs the whole
analyzer chain over every stored body (8-25 ms per top 10, the largest part of a query);
this finds matches with one regex pass and the cached term normaliser, the same one the
index uses, so `tunnels` marks `tunnel` and `Anusauskas` marks `Anušauskas`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Collection

from .hits import Snippet
from .words import WORD, has_cjk, words


def find_matches(text: str, terms: Collection[str], term_of: Callable[[str], str],
                 exact: Collection[str] = frozenset()) -> list[tuple[int, int, str]]:
    """(start, end, term) of every word in `text` whose indexed form is in `terms`, or
    that is written exactly as one of `exact` (the words of `=Kind`)."""
    if not terms and not exact:
        return []
    memo = _decisions(terms, term_of, exact)
    if memo is None:  # unhashable terms: nothing to share
        return _each_word(text, terms, term_of, exact, _Decided())
    # The words of the text, found in C; each distinct word is decided once, here and in
    # the other hits of this query (--json builds snippets for every match, and the
    # bodies share most of their words), so the Python work is per new word, not per
    # word of the text.
    present = set(WORD.findall(text))
    if new := present.difference(memo.seen):
        memo.decide_all(new, terms, term_of, exact)
    if not memo.cjk.isdisjoint(present):  # CJK runs are split into bigrams: word by word
        return _each_word(text, terms, term_of, exact, memo)
    found = memo.marked.intersection(present)
    if not found:
        return []
    # Where the marked words stand: a regex of them finds candidates, each kept if it is
    # a whole word as WORD.finditer splits the text (the same spans it would give).
    out: list[tuple[int, int, str]] = []
    for m in memo.pattern(found).finditer(text):
        start, end = m.span()
        whole = WORD.match(text, start)
        term = memo.seen[m.group()]
        if term is not None and whole is not None and whole.end() == end and \
                _word_starts(text, start):
            out.append((start, end, term))
    return out


def _each_word(text: str, terms: Collection[str], term_of: Callable[[str], str],
               exact: Collection[str], memo: _Decided) -> list[tuple[int, int, str]]:
    """find_matches word by word (words() splits CJK runs into bigrams)."""
    out = []
    seen = memo.seen
    for start, end, word in words(text):
        term = seen[word] if word in seen else memo.decide(word, terms, term_of, exact)
        if term is not None:
            out.append((start, end, term))
    return out


_W = re.compile(r"\w")


def _word_starts(text: str, i: int) -> bool:
    """Whether WORD.finditer starts a word at text[i] (a word character): not inside a
    run of word characters, nor after a `.`/`&` that joins it to the word before."""
    if i == 0 or not _W.match(text, i - 1):
        return i < 2 or text[i - 1] not in ".&" or not _W.match(text, i - 2)
    return False


class _Decided:
    """One query's word decisions in one language: word -> its term if marked, else
    None; the words marked, and those holding CJK characters; a regex per set of marked
    words (the bodies of one query's hits share them)."""

    def __init__(self) -> None:
        self.seen: dict[str, str | None] = {}
        self.marked: set[str] = set()
        self.cjk: set[str] = set()
        self._patterns: dict[frozenset[str], re.Pattern[str]] = {}

    def decide(self, word: str, terms: Collection[str], term_of: Callable[[str], str],
               exact: Collection[str]) -> str | None:
        """The word's term if it is to be marked, else None; remembered (a CJK bigram
        too: the sets stay true of every word in `seen`)."""
        term = self.seen[word] = _matched(word, terms, term_of, exact)
        if term is not None:
            self.marked.add(word)
        if has_cjk(word):
            self.cjk.add(word)
        return term

    def decide_all(self, new: set[str], terms: Collection[str],
                   term_of: Callable[[str], str], exact: Collection[str]) -> None:
        """decide() for each of `new`: the plain ASCII words (most of any text) through
        the stemmer in one call when `term_of` is the index's normaliser, whose result
        for them batch_terms() reproduces (--json of thousands of hits met a quarter of a
        million new words, one normaliser call each)."""
        plain = [w for w in new if w.isascii() and w.isalpha() and len(w) >= 3]
        found = batch_terms([w.lower() for w in plain], term_of) if plain else None
        if found is None:
            for word in new:
                self.decide(word, terms, term_of, exact)
            return
        seen, marked = self.seen, self.marked
        for word, term in zip(plain, found, strict=True):
            if term in terms or (exact and word in exact):
                seen[word] = term
                marked.add(word)
            else:
                seen[word] = None
        for word in new:
            if word not in seen:  # the others, one by one
                self.decide(word, terms, term_of, exact)

    def pattern(self, found: set[str]) -> re.Pattern[str]:
        key = frozenset(found)
        pat = self._patterns.get(key)
        if pat is None:
            if len(self._patterns) >= _PATTERNS_MAX:
                self._patterns.clear()
            # Longest first: at a word's start the whole word is tried before a prefix.
            alts = sorted(found, key=lambda w: (-len(w), w))
            pat = self._patterns[key] = re.compile("|".join(map(re.escape, alts)))
        return pat


_DECIDED_MAX = 200_000  # words remembered per query (and language); then start afresh
_PATTERNS_MAX = 4096  # regexes of marked words remembered per query (and language)
_SHARED_MAX = 16  # queries-and-languages remembered
_shared: dict[tuple[object, ...], _Decided] = {}


def _same_function(f: Callable[[str], str]) -> object:
    """A key for a normaliser: term_normalizer() makes a new partial for each call."""
    if isinstance(f, functools.partial):
        return (f.func, f.args, tuple(sorted(f.keywords.items())))
    return f


def _decisions(terms: Collection[str], term_of: Callable[[str], str],
               exact: Collection[str]) -> _Decided | None:
    """The decisions shared by the calls with the same terms, normaliser and exact words
    (one query's hits in one language); None for unhashable terms (a set). The type is
    in the key: a MatchTerms also matches Cyrillic words by sound key, a frozenset with
    the same members does not."""
    key = (type(terms), terms, _same_function(term_of), exact)
    try:
        memo = _shared.get(key)
    except TypeError:
        return None
    if memo is None or len(memo.seen) > _DECIDED_MAX:
        if memo is None and len(_shared) >= _SHARED_MAX:
            _shared.pop(next(iter(_shared)))
        memo = _shared[key] = _Decided()
    return memo


def batch_terms(tokens: list[str], term_of: Callable[[str], str]) -> list[str] | None:
    """[term_of(t) for t in tokens] in one stemmer call, for lower-cased ASCII words of
    letters only, at least 3 long, when `term_of` is the index's normaliser
    (analysis.normalize_term, or term_normalizer(lang)'s partial of it): for such a word
    normalize_term only chooses a stemmer (no folding, no script rules), and that choice
    is made once for all (analysis.normalize_terms). None for any other `term_of` (then
    one call per word)."""
    from .engine import analysis

    lang: str | None = None
    if isinstance(term_of, functools.partial):
        if term_of.func is not analysis.normalize_term or term_of.args or \
                set(term_of.keywords) - {"lang"}:
            return None
        lang = term_of.keywords.get("lang")
    elif term_of is not analysis.normalize_term:
        return None
    return analysis.normalize_terms(tokens, lang)


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
