"""The library's face: an `Index` opened once, with a method for each thing a command asks.

The CLI opens one per command; so can any Python program:

    from newsgrep.index import Index
    from newsgrep.query import SearchRequest
    ix = Index("/path/to/index")
    result = ix.search(SearchRequest("troops", sources=["balticword.com"]))
    ix.similar(result.hits[0].id)

The engine behind it (a folder means Whoosh; an EngineSpec names another) is opened on
first use and then kept, so `similar` and `show --query` read one open index.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from .article import Article, article_id
from .engine import Engine, EngineSpec, as_spec, open_engine
from .errors import NewsgrepError
from .hits import SearchResult, Snippet
from .query import SearchRequest

if TYPE_CHECKING:
    from .facets import Facets
    from .ingest import IndexSummary
    from .timeline import Timeline

# An index: a folder (the default Whoosh engine) or an EngineSpec naming another engine.
Target = EngineSpec | str | os.PathLike


class Index:
    """One index, for reading (and `update`), opened at most once."""

    def __init__(self, target: Target) -> None:
        self.spec = as_spec(target)
        self._engine: Engine | None = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = open_engine(self.spec)
        return self._engine

    # -- searching ----------------------------------------------------------------
    def search(self, req: SearchRequest, *, body: bool = False,
               context: int | None = None) -> SearchResult:
        """The request's hits (all of them with req.limit=None). body=True fills each
        Hit.body with the article's full text; context=N replaces the snippets with every
        match and N words either side of it (as grep -C)."""
        engine = self.engine
        result = engine.search(req)
        if body or context is not None:
            from .context import context_snippets

            # One lookup per hit: the engine has no way yet to return bodies with hits.
            for hit in result.hits:
                article = engine.get(hit.id)
                if article is None:
                    continue
                if body:
                    hit.body = article.body
                if context is not None and req.snippets:
                    marked = engine.highlight_article(article, req.query)
                    hit.snippets = context_snippets(marked, context) or hit.snippets
        return result

    def count(self, req: SearchRequest) -> int:
        return self.engine.count(req)

    def facets(self, req: SearchRequest, names: list[str]) -> Facets:
        """Counts of each value of the facets `names` (source, lang, year, month) over
        every match of the request."""
        from .facets import count_facets

        engine = self.engine
        rows: Iterable[tuple[date | None, str | None, str | None]]
        if "lang" not in names:
            # Dates (a column) and sources are all the engine's match_dates reads.
            rows = ((d, s, None) for d, s in
                    engine.match_dates(req, with_source="source" in names))
        else:
            every = engine.search(replace(req, limit=None, snippets=0, collapse=False,
                                          expand=False))
            rows = ((h.date, h.source, h.lang) for h in every.hits)
        return count_facets(rows, names)

    def timeline(self, req: SearchRequest, by: str = "auto", by_source: bool = False,
                 top_sources: int = 5) -> Timeline:
        """Matches per day/week/month/quarter/year; by="auto" picks the period that gives
        a readable number of bars."""
        from .timeline import build

        matches = self.engine.match_dates(req, with_source=by_source)
        return build(matches, by=by, by_source=by_source, top_sources=top_sources)

    # -- articles -----------------------------------------------------------------
    def show(self, ref: str) -> Article:
        """An article by id, or by the path of its file (the first record of a .jsonl)."""
        engine = self.engine
        if (a := engine.get(ref)) is not None:
            return a
        if os.path.exists(ref):
            path = os.path.realpath(ref)
            if (a := engine.get(article_id(path))) is not None:
                return a
            found = engine.get_by_path(path)
            if found:
                return found[0]
            raise NewsgrepError(f"{ref} is not in the index: run 'newsgrep index {ref}' "
                                "first")
        raise NewsgrepError(f"no article with id or path {ref!r} in the index")

    def highlight(self, article: Article, query: str) -> list[Snippet]:
        """The article's whole body with the words matching `query` marked."""
        return self.engine.highlight_article(article, query)

    def similar(self, ref: str, limit: int = 10) -> SearchResult:
        """Articles like the one with this id or path: reprints first (Hit.similarity)."""
        article = self.show(ref)
        return self.engine.similar(article.id, limit=limit)

    # -- summaries ----------------------------------------------------------------
    def sources(self) -> list[dict]:
        return self.engine.sources()

    def stats(self) -> dict:
        return self.engine.stats()

    # -- when nothing matched -----------------------------------------------------
    def why_no_matches(self, req: SearchRequest) -> str | None:
        """After a search found nothing: raise NewsgrepError for a filter that names
        nothing in the index (an unknown --source, with close names; a --lang no article
        has, with those there are), or return a note when the date filter lies outside
        the dates the archive has. None when the filters are not the reason."""
        if unknown := self.unknown_sources(req):
            raise NewsgrepError(unknown[0])
        st = None
        if req.lang:
            st = self.stats()
            if req.lang not in st["languages"]:
                have = ", ".join(st["languages"]) or "none"
                raise NewsgrepError(f"no article in the index is in language {req.lang!r}; "
                                    f"its languages: {have}")
        if req.has_date_filter:
            st = st or self.stats()
            return _date_note(req.date_from, req.date_to, st["first_date"], st["last_date"])
        return None

    def unknown_sources(self, req: SearchRequest) -> list[str]:
        """For each --source that names no article in the index: a message saying so,
        with the closest source names (one count per source, the names only when one is
        unknown)."""
        missing = [n for n in req.sources
                   if self.count(SearchRequest("*", sources=[n])) == 0]
        if not missing:
            return []
        rows = self.sources()
        return [_unknown_source(n, rows) for n in missing]

    # -- writing ------------------------------------------------------------------
    def update(self, paths: Iterable[str | os.PathLike], **options: Any) -> IndexSummary:
        """Index the files and folders `paths` (ingest.index_paths: new and changed files
        read, deleted ones dropped; its options pass through). The engine is opened
        afresh afterwards, so reads see what was written."""
        from .ingest import index_paths

        self._engine = None
        try:
            return index_paths(paths, self.spec, **options)
        finally:
            self._engine = None


def _unknown_source(name: str, rows: list[dict]) -> str:
    import difflib

    names = {r["source"].lower(): r["source"] for r in rows if r["source"]}
    close = difflib.get_close_matches(name.strip().lower(), list(names), n=3, cutoff=0.6)
    msg = f"no source called {name!r} in the index"
    if close:
        return msg + "; did you mean: " + ", ".join(names[c] for c in close) + "?"
    return msg + f" ('newsgrep sources' lists its {len(names)} sources)"


def _date_note(lo: date | None, hi: date | None, first: date | None, last: date | None
               ) -> str | None:
    if first is None or last is None:
        return "no article in the index has a date"
    if lo and lo > last:
        return f"the archive's dates end on {last} and the date filter starts on {lo}"
    if hi and hi < first:
        return f"the archive's dates start on {first} and the date filter ends on {hi}"
    return None
