"""The search engine seam: ingest, search and the CLI talk to an engine only through
`open_engine()` and the methods of the object it returns (add/delete via a writer,
search, get, sources, stats). Whoosh is the default and, for now, the only engine."""

from __future__ import annotations

import os

from .whoosh_engine import WhooshEngine

Engine = WhooshEngine


def open_engine(path: str | os.PathLike, create: bool = False) -> Engine:
    """Open the index at `path`; with create=True make it if it does not exist."""
    return WhooshEngine(path, create=create)
