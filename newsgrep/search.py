"""Library entry points for reading an index: search, show, sources, stats, timelines,
facets, and why a search found nothing.

The CLI calls these; so can any Python program:

    from newsgrep.search import search
    from newsgrep.query import SearchRequest
    result = search(SearchRequest("troops", sources=["balticword.com"]), "/path/to/index")
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date

from .article import Article, article_id
from .engine import EngineSpec, open_engine
from .errors import NewsgrepError
from .hits import SearchResult
from .query import SearchRequest

# An index: a folder (the default Whoosh engine) or an EngineSpec naming another engine.
Target = EngineSpec | str | os.PathLike



def search(req: SearchRequest, index_dir: Target, *, body: bool = False,
           context: int | None = None) -> SearchResult:
    """The request's hits (all of them with req.limit=None). body=True fills each
    Hit.body with the article's full text; context=N replaces the snippets with every
    match and N words either side of it (as grep -C)."""
    engine = open_engine(index_dir)
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


def count(req: SearchRequest, index_dir: Target) -> int:
    return open_engine(index_dir).count(req)


def show(ref: str, index_dir: Target) -> Article:
    """An article by id, or by the path of its file (the first record of a .jsonl)."""
    engine = open_engine(index_dir)
    if (a := engine.get(ref)) is not None:
        return a
    if os.path.exists(ref):
        path = os.path.realpath(ref)
        if (a := engine.get(article_id(path))) is not None:
            return a
        found = engine.get_by_path(path)
        if found:
            return found[0]
        raise NewsgrepError(f"{ref} is not in the index: run 'newsgrep index {ref}' first")
    raise NewsgrepError(f"no article with id or path {ref!r} in the index")


def timeline(req: SearchRequest, index_dir: Target, by: str = "auto",
             by_source: bool = False, top_sources: int = 5):
    """Matches per day/week/month/quarter/year (a timeline.Timeline); by="auto" picks the
    period that gives a readable number of bars."""
    from .timeline import build

    matches = open_engine(index_dir).match_dates(req, with_source=by_source)
    return build(matches, by=by, by_source=by_source, top_sources=top_sources)


def facets(req: SearchRequest, index_dir: Target, names: list[str]):
    """Counts of each value of the facets `names` (source, lang, year, month) over every
    match of the request (a facets.Facets)."""
    from .facets import count_facets

    engine = open_engine(index_dir)
    if "lang" not in names:
        # Dates (a column) and sources are all the engine's match_dates reads.
        rows = ((d, s, None) for d, s in
                engine.match_dates(req, with_source="source" in names))
    else:
        every = engine.search(replace(req, limit=None, snippets=0, collapse=False,
                                      expand=False))
        rows = ((h.date, h.source, h.lang) for h in every.hits)
    return count_facets(rows, names)


def similar(ref: str, index_dir: Target, limit: int = 10) -> SearchResult:
    """Articles like the one with this id or path: reprints first (Hit.similarity set)."""
    article = show(ref, index_dir)
    return open_engine(index_dir).similar(article.id, limit=limit)


def sources(index_dir: Target) -> list[dict]:
    return open_engine(index_dir).sources()


def stats(index_dir: Target) -> dict:
    return open_engine(index_dir).stats()


def why_no_matches(req: SearchRequest, index_dir: Target) -> str | None:
    """After a search found nothing: raise NewsgrepError for a filter that names nothing
    in the index (an unknown --source, with close names; a --lang no article has, with
    those there are), or return a note when the date filter lies outside the dates the
    archive has. None when the filters are not the reason."""
    engine = open_engine(index_dir)
    if unknown := unknown_sources(req, index_dir):
        raise NewsgrepError(unknown[0])
    st = None
    if req.lang:
        st = engine.stats()
        if req.lang not in st["languages"]:
            have = ", ".join(st["languages"]) or "none"
            raise NewsgrepError(f"no article in the index is in language {req.lang!r}; "
                                f"its languages: {have}")
    if req.has_date_filter:
        st = st or engine.stats()
        return _date_note(req.date_from, req.date_to, st["first_date"], st["last_date"])
    return None


def unknown_sources(req: SearchRequest, index_dir: Target) -> list[str]:
    """For each --source that names no article in the index: a message saying so, with
    the closest source names (one count per source, the names only when one is unknown)."""
    engine = open_engine(index_dir)
    missing = [n for n in req.sources if engine.count(SearchRequest("*", sources=[n])) == 0]
    if not missing:
        return []
    rows = engine.sources()
    return [_unknown_source(n, rows) for n in missing]


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
