"""What was indexed from which file: the basis of incremental runs.

A small SQLite table beside the engine's files. It is written *after* the engine has
committed a batch, so a crash in between only makes the next run redo that batch (the
engine deletes a file's old records by path before adding new ones: idempotent).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

MANIFEST = "manifest.db"


@dataclass(frozen=True)
class FileState:
    path: str
    size: int
    mtime_ns: int
    digest: str


class Manifest:
    def __init__(self, index_dir: Path):
        self._db = sqlite3.connect(str(index_dir / MANIFEST), timeout=30)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, size INTEGER, "
            "mtime_ns INTEGER, digest TEXT)"
        )
        self._db.commit()

    def under(self, roots: Iterable[str]) -> dict[str, FileState]:
        """Every known file at or below one of `roots` (absolute, resolved paths)."""
        out: dict[str, FileState] = {}
        for root in roots:
            prefix = root.rstrip("/") + "/"
            rows = self._db.execute(
                "SELECT path, size, mtime_ns, digest FROM files WHERE path = ? OR "
                "substr(path, 1, ?) = ?", (root, len(prefix), prefix))
            for row in rows:
                out[row[0]] = FileState(*row)
        return out

    def all(self) -> dict[str, FileState]:
        rows = self._db.execute("SELECT path, size, mtime_ns, digest FROM files")
        return {r[0]: FileState(*r) for r in rows}

    def apply(self, upserts: Iterable[FileState], deletes: Iterable[str]) -> None:
        with self._db:
            self._db.executemany("DELETE FROM files WHERE path = ?", ((p,) for p in deletes))
            self._db.executemany(
                "INSERT OR REPLACE INTO files (path, size, mtime_ns, digest) VALUES (?,?,?,?)",
                ((s.path, s.size, s.mtime_ns, s.digest) for s in upserts))

    def clear(self) -> None:
        with self._db:
            self._db.execute("DELETE FROM files")

    def close(self) -> None:
        self._db.close()
