"""What the browser asks of the index, without any Textual: the engine is opened once
and every query, facet count, article and related list goes through it.

Kept apart from the widgets so it can be tested and timed on its own, and so the app
module holds only screen code.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from ..article import Article
from ..engine import EngineSpec, open_engine
from ..errors import NewsgrepError
from ..hits import SearchResult, Snippet
from ..query import SORTS, SearchRequest, date_bound

PAGE = 50  # hits fetched per query (more as the list is scrolled to its end)
# Up to this many matches, the source facet comes from one pass over the matches' stored
# fields; beyond it, one count per source (each a whole query: 30-600 ms on 5k articles,
# against ~0.1-0.3 ms per match read) for the biggest sources only.
FACET_SCAN_LIMIT = 5000
FACET_SOURCES = 10
FACET_LANGS = 8


@dataclass
class Filters:
    """The browser's state as the user set it: raw text, validated by `request()`."""

    query: str = ""
    date_from: str = ""  # as typed: YYYY, YYYY-MM, YYYY-MM-DD or "3 days", "last month"
    date_to: str = ""
    sources: list[str] = field(default_factory=list)
    lang: str | None = None
    sort: str = "relevance"
    any_words: bool = False

    def request(self, limit: int | None = PAGE, snippets: int = 0) -> SearchRequest:
        """The SearchRequest these filters mean; NewsgrepError (one line) if they do not
        make one (an unreadable date, --from after --to)."""
        if not self.query.strip():
            raise NewsgrepError("type a query: words, \"a phrase\", a OR b, title:word …")
        lo = date_bound(self.date_from, end=False, relative=True) if self.date_from.strip() \
            else None
        hi = date_bound(self.date_to, end=True, relative=True) if self.date_to.strip() \
            else None
        return SearchRequest(query=self.query, any_words=self.any_words, date_from=lo,
                             date_to=hi, sources=list(self.sources), lang=self.lang,
                             limit=limit, sort=self.sort, snippets=snippets)

    def next_sort(self) -> str:
        return SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]


@dataclass
class Facets:
    """Match counts per source and language for the current query and the *other*
    filters (a source's count ignores the source filter, so choosing one does not hide
    the others)."""

    sources: list[tuple[str, int]]
    langs: list[tuple[str, int]]
    sources_complete: bool = True  # False: only the biggest sources were counted


def marks_of(snippet: Snippet) -> tuple[str, list[tuple[int, int]]]:
    """The text of a snippet and the [start, end) offsets of its matched pieces."""
    parts: list[str] = []
    marks: list[tuple[int, int]] = []
    pos = 0
    for text, matched in snippet:
        if matched and text:
            marks.append((pos, pos + len(text)))
        parts.append(text)
        pos += len(text)
    return "".join(parts), marks


def month_counts(dates: list[date | None]) -> tuple[list[tuple[str, int]], int]:
    """Matches per period (month, or year past ten years of span; empty periods
    included) and the number of undated matches: the data of the timeline sparkline."""
    dated = [d for d in dates if d is not None]
    undated = len(dates) - len(dated)
    if not dated:
        return [], undated
    lo, hi = min(dated), max(dated)
    by_year = hi.year - lo.year > 10
    counts: Counter[tuple[int, int]] = Counter(
        (d.year, 1 if by_year else d.month) for d in dated)
    out: list[tuple[str, int]] = []
    y, m = lo.year, 1 if by_year else lo.month
    while (y, m) <= (hi.year, 1 if by_year else hi.month):
        out.append((str(y) if by_year else f"{y}-{m:02d}", counts.get((y, m), 0)))
        if by_year:
            y += 1
        else:
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out, undated


class Session:
    """One open index and the calls the browser makes on it."""

    def __init__(self, target: EngineSpec | str | os.PathLike):
        self.engine = open_engine(target)
        self._sources: list[dict] | None = None
        self._langs: list[str] | None = None

    def search(self, filters: Filters, limit: int = PAGE) -> SearchResult:
        return self.engine.search(filters.request(limit=limit))

    def all_sources(self) -> list[dict]:
        """Every source with its article count (read once: it does not change with the
        query)."""
        if self._sources is None:
            self._sources = [s for s in self.engine.sources() if s.get("source")]
        return self._sources

    def all_langs(self) -> list[str]:
        if self._langs is None:
            langs = self.engine.stats().get("languages") or {}
            self._langs = list(langs)[:FACET_LANGS]
        return self._langs

    def facets(self, filters: Filters, total: int,
               cancelled: Callable[[], bool] = lambda: False) -> Facets | None:
        """Counts per source and language (`total`: the matches of `filters`); None if
        `cancelled()` turned true midway (a newer query made them stale)."""
        base = replace(filters, sources=[])
        complete = True
        if filters.sources:  # the source facet counts matches from every source
            total = self.engine.count(base.request(limit=1))
        if total <= FACET_SCAN_LIMIT:
            counted = Counter(s for _, s in self.engine.match_dates(
                base.request(limit=None), with_source=True) if s)
            sources = sorted(counted.items(), key=lambda t: (-t[1], t[0]))
        else:
            sources = []
            names = [s["source"] for s in self.all_sources()]
            complete = len(names) <= FACET_SOURCES
            for name in names[:FACET_SOURCES]:
                if cancelled():
                    return None
                n = self.engine.count(replace(base, sources=[name]).request(limit=1))
                if n:
                    sources.append((name, n))
            sources.sort(key=lambda t: (-t[1], t[0]))
        langs = []
        no_lang = replace(filters, lang=None)
        for code in self.all_langs():
            if cancelled():
                return None
            n = self.engine.count(replace(no_lang, lang=code).request(limit=1))
            if n:
                langs.append((code, n))
        return Facets(sources, langs, complete)

    def timeline(self, filters: Filters) -> tuple[list[tuple[str, int]], int]:
        return month_counts([d for d, _ in self.engine.match_dates(filters.request(limit=None))])

    def article(self, article_id: str) -> Article | None:
        return self.engine.get(article_id)

    def highlight(self, article: Article, query: str) -> tuple[str, list[tuple[int, int]]]:
        """The article's body and where the query matches in it (none for a query that
        does not parse: the text is still worth reading)."""
        if query.strip():
            try:
                snippets = self.engine.highlight_article(article, query)
            except NewsgrepError:
                snippets = []
            if snippets:
                return marks_of(snippets[0])
        return article.body, []

    def related(self, article_id: str, limit: int = 20) -> SearchResult:
        """Reprints (Hit.similarity set) first, then articles on the same subject."""
        return self.engine.similar(article_id, limit=limit)
