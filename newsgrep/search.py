"""Library entry points for reading an index, one call each: search, show, sources,
stats, timelines, facets, and why a search found nothing.

Kept for programs written against them; each opens the index for one call. A program
that asks more than one thing should open an `Index` (newsgrep/index.py) once:

    from newsgrep.search import search
    from newsgrep.query import SearchRequest
    result = search(SearchRequest("troops", sources=["balticword.com"]), "/path/to/index")
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .article import Article
from .hits import SearchResult
from .index import Index, Target
from .query import SearchRequest

if TYPE_CHECKING:
    from .facets import Facets
    from .timeline import Timeline

__all__ = ["Target", "count", "facets", "search", "show", "similar", "sources", "stats",
           "timeline", "unknown_sources", "why_no_matches"]


def search(req: SearchRequest, index_dir: Target, *, body: bool = False,
           context: int | None = None) -> SearchResult:
    return Index(index_dir).search(req, body=body, context=context)


def count(req: SearchRequest, index_dir: Target) -> int:
    return Index(index_dir).count(req)


def show(ref: str, index_dir: Target) -> Article:
    return Index(index_dir).show(ref)


def timeline(req: SearchRequest, index_dir: Target, by: str = "auto",
             by_source: bool = False, top_sources: int = 5) -> Timeline:
    return Index(index_dir).timeline(req, by=by, by_source=by_source,
                                     top_sources=top_sources)


def facets(req: SearchRequest, index_dir: Target, names: list[str]) -> Facets:
    return Index(index_dir).facets(req, names)


def similar(ref: str, index_dir: Target, limit: int = 10) -> SearchResult:
    return Index(index_dir).similar(ref, limit=limit)


def sources(index_dir: Target) -> list[dict]:
    return Index(index_dir).sources()


def stats(index_dir: Target) -> dict:
    return Index(index_dir).stats()


def why_no_matches(req: SearchRequest, index_dir: Target) -> str | None:
    return Index(index_dir).why_no_matches(req)


def unknown_sources(req: SearchRequest, index_dir: Target) -> list[str]:
    return Index(index_dir).unknown_sources(req)
