"""The terms a query marks in the articles it finds (snippets, `show --query`). The Whoosh
engine expands prefix, wildcard and fuzzy terms against its index's term list
(match_terms); an engine without one at hand (OpenSearch) keeps those as patterns that the
words being highlighted are matched against (highlight_terms): the same marks."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterator

from whoosh import query as wq

from ..analysis import STOPWORDS, MatchTerms, normalize_term
from .nodes import AnyLanguage

# A pattern query (prefix, wildcard, fuzzy) highlights the indexed terms it expands to;
# a stopword is never indexed, so its normalised form is not one of them.
_STOP_TERMS = frozenset(normalize_term(w) for w in STOPWORDS)
# The fields whose terms are marked (a leaf of any other field has nothing to mark).
_MARKED_FIELDS = ("title", "body", "exact")


def match_terms(q: wq.Query, reader) -> MatchTerms:
    """Indexed title/body terms the query looks for (prefix and fuzzy terms expanded to
    those in the index), leaving out anything under NOT: the words to highlight. A
    word's forms for other languages are kept apart (MatchTerms.for_lang), so an
    English article does not get the French stem of its query word marked."""
    common: set[str] = set()
    by_lang: dict[str, set[str]] = {}

    def walk(node: wq.Query, out: set[str]) -> None:
        if isinstance(node, wq.Not):
            return
        if isinstance(node, AnyLanguage):
            for alt, alt_langs in node.alternatives(reader):
                if alt_langs is None:
                    walk(alt, out)
                    continue
                # Expanded once, then given to each of its languages (an alternative
                # holds for ~40 languages: walking it per language was most of a search).
                found: set[str] = set()
                walk(alt, found)
                for lang in alt_langs:
                    by_lang.setdefault(lang, set()).update(found)
            return
        if node.is_leaf():
            if getattr(node, "fieldname", None) not in _MARKED_FIELDS:
                return  # e.g. the `lang` filter of a stem under some languages' rules
            try:
                found_terms = node.existing_terms(reader, phrases=True, expand=True)
            except Exception:  # a leaf Whoosh cannot expand: nothing to highlight
                return
            for field, text in found_terms:
                if field in ("title", "body"):
                    out.add(text.decode("utf-8") if isinstance(text, bytes) else text)
                elif field == "exact":  # marked as written (results.exact_words)
                    out.add("=" + (text.decode("utf-8") if isinstance(text, bytes) else text))
            return
        for child in node.children():
            walk(child, out)

    walk(q, common)
    return MatchTerms(common, by_lang)


def _levenshtein(a: str, b: str, limit: int) -> int:
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


class HighlightTerms:
    """The indexed terms a query looks for, as a collection for snippets.find_matches:
    exact terms, plus the patterns of prefix/wildcard/fuzzy/range leaves. Whoosh expands
    those against the index's term list; matching the words of the text being
    highlighted against the pattern gives the same marks without the term list."""

    def __init__(self) -> None:
        self.exact: set[str] = set()
        self.patterns: list[Callable[[str], bool]] = []
        self.by_lang: dict[str, set[str]] = {}  # as MatchTerms.by_lang

    def __contains__(self, term: object) -> bool:
        if term in MatchTerms(self.exact):  # with the sound keys of Cyrillic words
            return True
        return (isinstance(term, str) and term not in _STOP_TERMS
                and any(p(term) for p in self.patterns))

    def __iter__(self) -> Iterator[str]:
        return iter(self.exact)

    def for_lang(self, lang: str | None) -> HighlightTerms:
        """The terms to mark in an article in `lang` (see MatchTerms.for_lang)."""
        extra = self.by_lang.get(lang) if lang else None
        if not extra:
            return self
        out = HighlightTerms()
        out.exact = self.exact | extra
        out.patterns = self.patterns
        return out

    def __len__(self) -> int:
        return len(self.exact) + len(self.patterns)


def positive_leaves(q: wq.Query) -> Iterator[wq.Query]:
    """Leaves not under a Not (as match_terms walks the tree)."""
    if isinstance(q, wq.Not):
        return
    if q.is_leaf():
        yield q
        return
    for child in q.children():
        yield from positive_leaves(child)


def _leaves_by_lang(q: wq.Query, langs: frozenset[str] | None = None
                    ) -> Iterator[tuple[wq.Query, frozenset[str] | None]]:
    """positive_leaves, with every alternative of an AnyLanguage word and the languages
    it is restricted to (None: any article)."""
    if isinstance(q, wq.Not):
        return
    if isinstance(q, AnyLanguage):
        for alt, alt_langs in zip(q.subqueries, q.langs, strict=True):
            yield from _leaves_by_lang(alt, alt_langs if alt_langs is not None else langs)
        return
    if q.is_leaf():
        yield q, langs
        return
    for child in q.children():
        yield from _leaves_by_lang(child, langs)


def highlight_terms(q: wq.Query) -> HighlightTerms:
    out = HighlightTerms()
    for leaf, langs in _leaves_by_lang(q):
        if getattr(leaf, "fieldname", None) == "exact" and isinstance(leaf, wq.Term):
            out.exact.add("=" + leaf.text)  # marked as written (results.exact_words)
            continue
        if getattr(leaf, "fieldname", None) not in ("title", "body"):
            continue
        if langs is not None:  # a stem under some languages' rules: only in those
            words = leaf.words if isinstance(leaf, wq.Phrase) else [leaf.text]
            for lang in langs:
                out.by_lang.setdefault(lang, set()).update(words)
            continue
        if isinstance(leaf, wq.Phrase):
            out.exact.update(leaf.words)
        elif isinstance(leaf, wq.FuzzyTerm):
            out.patterns.append(_near(leaf.text, int(leaf.maxdist), int(leaf.prefixlength)))
        elif isinstance(leaf, wq.Prefix):
            out.patterns.append(_starts(leaf.text))
        elif isinstance(leaf, wq.Wildcard):
            out.patterns.append(_glob(leaf.text))
        elif isinstance(leaf, wq.TermRange):
            out.patterns.append(_between(leaf.start, leaf.end, leaf.startexcl, leaf.endexcl))
        elif isinstance(leaf, wq.Term) and isinstance(leaf.text, str):
            out.exact.add(leaf.text)
    return out


# The term tests of pattern leaves, as closures over each leaf's own values.

def _near(text: str, k: int, n: int) -> Callable[[str], bool]:
    return lambda t: t[:n] == text[:n] and _levenshtein(t, text, k) <= k


def _starts(prefix: str) -> Callable[[str], bool]:
    return lambda t: t.startswith(prefix)


def _glob(pattern: str) -> Callable[[str], bool]:
    match = re.compile(fnmatch.translate(pattern)).match
    return lambda t: match(t) is not None


def _between(lo: str | None, hi: str | None, lx: bool, hx: bool) -> Callable[[str], bool]:
    return lambda t: ((lo is None or (t > lo if lx else t >= lo))
                      and (hi is None or (t < hi if hx else t <= hi)))
