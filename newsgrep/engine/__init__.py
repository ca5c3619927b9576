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
from collections import Counter
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
    # A stable id of the physical index (None if the engine cannot tell): the manifest
    # records it, and a different one means the index was lost or recreated.
    def identity(self) -> str | None: ...
    def day_counts(self, req: SearchRequest | None = None, with_source: bool = False
                   ) -> Counter: ...


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


# -- integrity ----------------------------------------------------------------------
# These take an engine or a spec and answer for every engine; an engine that cannot
# answer (e.g. a remote one without the method yet) gives None / no problems.

def identity_of(engine: Engine) -> str | None:
    return engine.identity()


def path_counts(engine: Engine) -> dict[str, int] | None:
    """path -> number of articles the engine holds with that path (None: cannot tell)."""
    fn = getattr(engine, "path_counts", None)
    return fn() if fn is not None else None


def duplicate_ids(engine: Engine) -> int | None:
    """How many article ids the engine holds more than once (None: cannot tell)."""
    fn = getattr(engine, "duplicate_ids", None)
    return fn() if fn is not None else None


def stores_locally(spec: EngineSpec) -> bool:
    """Whether the engine's data lives in spec.path (then `index --full` can build a
    fresh copy beside it and swap it in)."""
    return spec.kind == "whoosh"


def has_index(spec: EngineSpec) -> bool:
    """Whether an index exists where `spec` points (for a remote engine: assumed)."""
    if spec.kind == "whoosh":
        from .whoosh_store import has_index as exists

        return exists(spec.path)
    return True


def verify(spec: EngineSpec, deep: bool = False) -> list[str]:
    """What is wrong with the index files (empty: nothing found). `deep` reads every
    record and posting list instead of trusting the checksums written with them."""
    if spec.kind == "whoosh":
        from .whoosh_store import verify as check

        return check(spec.path, deep=deep)
    return []


def quick_problems(spec: EngineSpec) -> list[str]:
    """What is wrong with the index that a look at its files shows (cheap: no reading):
    files missing or not the size they were written with."""
    if spec.kind == "whoosh":
        from .whoosh_store import quick_problems as problems

        return problems(spec.path)
    return []


def clean_uncommitted(spec: EngineSpec) -> None:
    """Remove what a failed write left behind (partial segments, temporary files)."""
    if spec.kind == "whoosh":
        from .whoosh_store import clean_uncommitted as clean

        clean(spec.path)


def is_disk_full(e: BaseException) -> bool:
    import errno
    import sqlite3

    if isinstance(e, OSError):
        return e.errno in (errno.ENOSPC, errno.EDQUOT)
    return isinstance(e, sqlite3.OperationalError) and "disk is full" in str(e)


def _raised_by_engine(e: BaseException) -> bool:
    tb = e.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_globals.get("__name__", "")
        if name.startswith(("whoosh.", "newsgrep.engine.")) or name == "whoosh":
            return True
        tb = tb.tb_next
    return False


def damage_behind(e: BaseException, spec: EngineSpec) -> str | None:
    """When an exception escaped a command because the index is damaged, what is wrong
    (e.g. "MAIN_x.trm is missing"); None when the index checks out: then the exception
    is a bug and keeps its traceback."""
    if isinstance(e, NewsgrepError | KeyboardInterrupt | SystemExit | MemoryError):
        return None
    if not _raised_by_engine(e) or not has_index(spec):
        return None
    try:
        problems = verify(spec)
    except Exception:  # noqa: BLE001 - a check that fails on the damage says the same
        problems = [f"{type(e).__name__} while reading it"]
    return problems[0] if problems else None
