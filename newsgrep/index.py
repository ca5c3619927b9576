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
import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from .article import Article, article_id, record_label
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
        """An article by id, by the path of its file, or by `FILE:LINE` for a record of a
        file of several (the location search prints: a .jsonl record's line, a .json
        list's record number). A bare path of a file of several records is an error that
        says how many it holds and how to name one."""
        engine = self.engine
        if (a := engine.get(ref)) is not None:
            return a
        if not os.path.exists(ref) and (m := _LOCATION.match(ref)) and \
                os.path.exists(m.group(1)):
            return self._record(m.group(1), int(m.group(2)))
        if os.path.exists(ref):
            path = os.path.realpath(ref)
            if (a := engine.get(article_id(path))) is not None:
                return a
            found = engine.get_by_path(path)
            if len(found) == 1:
                return found[0]
            if found:
                raise NewsgrepError(_several(ref, found))
            raise NewsgrepError(f"{ref} is not in the index: run 'newsgrep index {ref}' "
                                "first")
        raise NewsgrepError(f"no article with id or path {ref!r} in the index")

    def _record(self, file: str, line: int) -> Article:
        """The record of `file` at `line` (a .jsonl line; a .json list's record number)."""
        # Imported here, as shlex below: only `show FILE:LINE` needs them, not a search.
        from .discover import article_suffix

        path = os.path.realpath(file)
        # The id's key (article.article_id): a .jsonl record's line, a .json record's
        # 0-based index; Article.line is 1-based for both.
        part = line - 1 if article_suffix(path) == ".json" else line
        if (a := self.engine.get(article_id(path, part))) is not None:
            return a
        found = self.engine.get_by_path(path)
        if (a := next((x for x in found if x.line == line), None)) is not None:
            return a
        if not found:
            raise NewsgrepError(f"{file} is not in the index: run 'newsgrep index {file}' "
                                "first")
        raise NewsgrepError(f"no record of {file} starts at {record_label(path, line)}; "
                            + _several(file, found))

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
        if req.paths and not self.count(SearchRequest(_EVERY, paths=req.paths)):
            raise NewsgrepError("no indexed file's path matches --path "
                                + " or ".join(repr(p) for p in req.paths))
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
                   if self.count(SearchRequest(_EVERY, sources=[n])) == 0]
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


# Every article, whatever its words: a filter's own count. `*` (articles with a word in
# title or body) reads every article's field lengths, once per --source checked.
_EVERY = "*:*"

# `FILE:LINE`, as search prints a record's location.
_LOCATION = re.compile(r"^(.+):(\d+)$", re.S)
_LISTED = 3  # record locations an error message names


def _several(ref: str, found: list[Article]) -> str:
    """What to say when `ref` names a file of several records."""
    import shlex

    lines = sorted(a.line for a in found if a.line is not None)
    kind = record_label(found[0].path, 1).split()[0]  # "line" or "record"
    shown = ", ".join(f"{ref}:{n}" for n in lines[:_LISTED])
    more = f" and {len(lines) - _LISTED:,} more" if len(lines) > _LISTED else ""
    return (f"{ref} holds {len(found):,} articles: name one by its {kind}, as "
            f"'newsgrep show {ref}:N' ({shown}{more}); list them all with "
            f"newsgrep search '*' --path {shlex.quote(ref)} -l")


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
