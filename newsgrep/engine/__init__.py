"""The search engine seam.

Ingest, search and the CLI reach an engine only through `open_engine()` and the methods
of the object it returns (the `Engine` protocol below). Whoosh is the default; a second
engine (OpenSearch, for archives that outgrow one machine) plugs in here without
touching ingest, the CLI or the printer. The user's query string is parsed once, by
the query language both engines share (querylang/, on Whoosh's query parser and query
tree), and each engine runs that tree its own way.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol

from ..article import Article
from ..errors import NewsgrepError
from ..hits import SearchResult, Snippet
from ..query import SearchRequest


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


# -- the registry -------------------------------------------------------------------
# Each engine is registered by name, built-ins as a plugin would be; nothing below
# branches on an engine's name. Modules are imported only when an engine is opened, so
# `newsgrep --help` loads neither Whoosh nor the OpenSearch client.

PrepareHook = Callable[[Article], None]


class LocalFiles(Protocol):
    """What an engine whose index is files in `spec.path` answers about those files."""

    def has_index(self, path: Path) -> bool: ...
    def verify(self, path: Path, deep: bool = False) -> list[str]: ...
    def quick_problems(self, path: Path) -> list[str]: ...
    def clean_uncommitted(self, path: Path) -> None: ...


def _no_hook() -> PrepareHook | None:
    return None


def _no_files() -> LocalFiles | None:
    return None


@dataclass(frozen=True)
class Backend:
    """An engine as the registry knows it."""

    name: str
    open: Callable[[EngineSpec, bool], Engine]  # (spec, create) -> the engine
    # The engine's `prepare_article(article)` hook, run by ingest in its parsing workers
    # to move indexing work off the single writer (loaded when asked for).
    preparer: Callable[[], PrepareHook | None] = _no_hook
    # Whether the data lives in spec.path (then `index --full` can build a fresh copy
    # beside it and swap it in), and what can be asked about those files.
    stores_locally: bool = False
    files: Callable[[], LocalFiles | None] = _no_files


_BACKENDS: dict[str, Backend] = {}


def register(backend: Backend) -> None:
    """Make an engine available to open_engine() and the CLI's --engine."""
    _BACKENDS[backend.name] = backend


def engine_names() -> tuple[str, ...]:
    return tuple(_BACKENDS)


def backend(kind: str) -> Backend:
    try:
        return _BACKENDS[kind]
    except KeyError:
        raise NewsgrepError(f"unknown engine {kind!r}: use one of "
                            f"{', '.join(_BACKENDS)}") from None


def _open_whoosh(spec: EngineSpec, create: bool) -> Engine:
    from .whoosh.engine import WhooshEngine

    return WhooshEngine(spec.path, create=create)


def _whoosh_hook() -> PrepareHook | None:
    from .whoosh.schema import prepare_article

    return prepare_article


def _whoosh_files() -> LocalFiles | None:
    from .whoosh import folder

    return folder


def _open_opensearch(spec: EngineSpec, create: bool) -> Engine:
    try:
        from .opensearch.engine import OpenSearchEngine
    except ImportError as e:
        raise NewsgrepError(f"the OpenSearch engine is not available: {e}") from None
    if not spec.url:
        raise NewsgrepError("--engine opensearch needs --url (or NEWSGREP_URL)")
    return OpenSearchEngine(spec.url, create=create)


register(Backend("whoosh", _open_whoosh, preparer=_whoosh_hook, stores_locally=True,
                 files=_whoosh_files))
register(Backend("opensearch", _open_opensearch))
ENGINES = engine_names()  # the built-ins (kept for callers that import it)


def open_engine(target: EngineSpec | str | os.PathLike, create: bool = False) -> Engine:
    """Open the index `target` names (a folder means the Whoosh engine there); with
    create=True make it if it does not exist."""
    spec = as_spec(target)
    return backend(spec.kind).open(spec, create)


def preparer(target: EngineSpec | str | os.PathLike) -> PrepareHook | None:
    """The engine's `prepare_article(article)` hook, run by ingest in its parsing
    workers to move indexing work off the single writer; None if it has none."""
    b = _BACKENDS.get(as_spec(target).kind)
    return b.preparer() if b else None


def _files(spec: EngineSpec) -> LocalFiles | None:
    b = _BACKENDS.get(spec.kind)
    return b.files() if b else None


def parse_query(req: SearchRequest):
    """The request's query string as a query tree (raises NewsgrepError on bad syntax).
    Imported when called, as the engines are: the parser loads Whoosh."""
    from .querylang import parse_query as parse

    return parse(req)


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
    b = _BACKENDS.get(spec.kind)
    return bool(b and b.stores_locally)


def has_index(spec: EngineSpec) -> bool:
    """Whether an index exists where `spec` points (for a remote engine: assumed)."""
    files = _files(spec)
    return files.has_index(spec.path) if files else True


def verify(spec: EngineSpec, deep: bool = False) -> list[str]:
    """What is wrong with the index files (empty: nothing found). `deep` reads every
    record and posting list instead of trusting the checksums written with them."""
    files = _files(spec)
    return files.verify(spec.path, deep=deep) if files else []


def quick_problems(spec: EngineSpec) -> list[str]:
    """What is wrong with the index that a look at its files shows (cheap: no reading):
    files missing or not the size they were written with."""
    files = _files(spec)
    return files.quick_problems(spec.path) if files else []


def clean_uncommitted(spec: EngineSpec) -> None:
    """Remove what a failed write left behind (partial segments, temporary files)."""
    files = _files(spec)
    if files:
        files.clean_uncommitted(spec.path)


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
