"""The search engine seam.

Ingest, search and the CLI reach an engine only through `open_engine()` and the methods
of the object it returns (the `Engine` protocol below). Whoosh is the default; a second
engine (OpenSearch, for archives that outgrow one machine) plugs in here without
touching ingest, the CLI or the printer. The user's query string is parsed once, by
`parse_query()` (Whoosh's query parser serves as newsgrep's query-language parser, its
query tree as the AST), and each engine runs that tree its own way.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol

from ..article import Article
from ..errors import NewsgrepError
from ..hits import SearchResult, Snippet
from ..query import SearchRequest

ENGINES = ("whoosh", "opensearch")


@dataclass(frozen=True)
class EngineSpec:
    """Which engine, and where. `path` is always a local folder: the Whoosh index, or for
    a remote engine the manifest and lock of incremental index runs."""

    path: Path
    kind: str = "whoosh"
    url: str | None = None


class Writer(Protocol):
    def delete_path(self, path: str) -> None: ...
    def add(self, article: Article) -> None: ...
    def commit(self) -> None: ...
    def cancel(self) -> None: ...


class Engine(Protocol):
    def writer(self) -> Writer: ...
    def doc_count(self) -> int: ...
    def get(self, article_id: str) -> Article | None: ...
    def get_by_path(self, path: str) -> list[Article]: ...
    def search(self, req: SearchRequest) -> SearchResult: ...
    def count(self, req: SearchRequest) -> int: ...
    def match_dates(self, req: SearchRequest, with_source: bool = False
                    ) -> list[tuple[date | None, str | None]]: ...
    def similar(self, article_id: str, limit: int = 10) -> SearchResult: ...
    def highlight_article(self, article: Article, text_query: str) -> list[Snippet]: ...
    def sources(self) -> list[dict]: ...
    def stats(self) -> dict: ...


def as_spec(target: EngineSpec | str | os.PathLike) -> EngineSpec:
    return target if isinstance(target, EngineSpec) else EngineSpec(Path(target))


def open_engine(target: EngineSpec | str | os.PathLike, create: bool = False) -> Engine:
    """Open the index `target` names (a folder means the Whoosh engine there); with
    create=True make it if it does not exist."""
    spec = as_spec(target)
    if spec.kind == "whoosh":
        from .whoosh_engine import WhooshEngine

        return WhooshEngine(spec.path, create=create)
    if spec.kind == "opensearch":
        try:
            from .opensearch_engine import OpenSearchEngine
        except ImportError as e:
            raise NewsgrepError(f"the OpenSearch engine is not available: {e}") from None
        if not spec.url:
            raise NewsgrepError("--engine opensearch needs --url (or NEWSGREP_URL)")
        return OpenSearchEngine(spec.url, create=create)
    raise NewsgrepError(f"unknown engine {spec.kind!r}: use one of {', '.join(ENGINES)}")


def preparer(target: EngineSpec | str | os.PathLike):
    """The engine's `prepare_article(article)` hook, run by ingest in its parsing
    workers to move indexing work off the single writer; None if it has none."""
    if as_spec(target).kind == "whoosh":
        from .whoosh_store import prepare_article

        return prepare_article
    return None


def parse_query(req: SearchRequest):
    """The request's query string as a query tree (raises NewsgrepError on bad syntax)."""
    from .whoosh_query import parse_user_query

    return parse_user_query(req)
