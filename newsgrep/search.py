"""Library entry points for reading an index: search, show, sources, stats.

The CLI calls these; so can any Python program:

    from newsgrep.search import search
    from newsgrep.query import SearchRequest
    result = search(SearchRequest("troops", sources=["balticword.com"]), "/path/to/index")
"""

from __future__ import annotations

import os

from .article import Article, article_id
from .engine import EngineSpec, open_engine
from .errors import NewsgrepError
from .hits import SearchResult
from .query import SearchRequest

# An index: a folder (the default Whoosh engine) or an EngineSpec naming another engine.
Target = EngineSpec | str | os.PathLike


def search(req: SearchRequest, index_dir: Target) -> SearchResult:
    return open_engine(index_dir).search(req)


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


def timeline(req: SearchRequest, index_dir: Target, by: str = "month",
             by_source: bool = False, top_sources: int = 5):
    """Matches per day/week/month/year (a timeline.Timeline)."""
    from .timeline import build

    matches = open_engine(index_dir).match_dates(req, with_source=by_source)
    return build(matches, by=by, by_source=by_source, top_sources=top_sources)


def similar(ref: str, index_dir: Target, limit: int = 10) -> SearchResult:
    """Articles like the one with this id or path: reprints first (Hit.similarity set)."""
    article = show(ref, index_dir)
    return open_engine(index_dir).similar(article.id, limit=limit)


def sources(index_dir: Target) -> list[dict]:
    return open_engine(index_dir).sources()


def stats(index_dir: Target) -> dict:
    return open_engine(index_dir).stats()
