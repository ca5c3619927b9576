"""What was indexed from which file: the basis of incremental runs.

A small SQLite table beside the engine's files. It is written *after* the engine has
committed a batch, so a crash in between only makes the next run redo that batch (the
engine deletes a file's old records by path before adding new ones: idempotent).

Besides the files (with how many articles each gave), it keeps the folders that were
indexed (`newsgrep roots`) and a few facts about the engine as last committed: its
identity and article count, which the next run compares with the engine before it
trusts the rows.
"""

from __future__ import annotations

import functools
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from .errors import NewsgrepError

MANIFEST = "manifest.db"

T = TypeVar("T")


class ManifestDamaged(NewsgrepError):
    """manifest.db cannot be read: `index --full` makes a new one."""


@dataclass(frozen=True)
class FileState:
    path: str
    size: int
    mtime_ns: int
    digest: str
    articles: int | None = None  # None: recorded by a newsgrep that did not count


@dataclass(frozen=True)
class Root:
    path: str
    last_indexed: float | None  # Unix time of the last run that read it
    files: int
    articles: int


def storable(path: str) -> bool:
    """Whether SQLite can hold `path` (a name with undecodable bytes cannot)."""
    try:
        path.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def _guarded(method: Callable[..., T]) -> Callable[..., T]:
    @functools.wraps(method)
    def wrapper(self: Manifest, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except sqlite3.DatabaseError as e:
            if "disk is full" in str(e):
                raise  # not damage: the caller says so with the index's path
            raise ManifestDamaged(
                f"the manifest of the index ({self.path}) is damaged ({e}): run 'newsgrep "
                "index --full FOLDER...' to rebuild the index and its manifest") from None
    return wrapper


class Manifest:
    @_guarded
    def __init__(self, index_dir: Path):
        self.path = index_dir / MANIFEST
        self._db = sqlite3.connect(str(self.path), timeout=30)
        cols = {r[1] for r in self._db.execute("PRAGMA table_info(files)")}
        with self._db:
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, size INTEGER, "
                "mtime_ns INTEGER, digest TEXT, articles INTEGER)")
            if cols and "articles" not in cols:  # made by an earlier newsgrep
                self._db.execute("ALTER TABLE files ADD COLUMN articles INTEGER")
            self._db.execute("CREATE TABLE IF NOT EXISTS roots (path TEXT PRIMARY KEY, "
                             "last_indexed REAL)")
            self._db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, "
                             "value TEXT)")

    _COLS = "path, size, mtime_ns, digest, articles"

    @_guarded
    def under(self, roots: Iterable[str]) -> dict[str, FileState]:
        """Every known file at or below one of `roots` (absolute, resolved paths)."""
        out: dict[str, FileState] = {}
        for root in roots:
            if not storable(root):  # nothing below it can have been recorded
                continue
            prefix = root.rstrip("/") + "/"
            rows = self._db.execute(
                f"SELECT {self._COLS} FROM files WHERE path = ? OR "
                "substr(path, 1, ?) = ?", (root, len(prefix), prefix))
            for row in rows:
                out[row[0]] = FileState(*row)
        return out

    @_guarded
    def all(self) -> dict[str, FileState]:
        rows = self._db.execute(f"SELECT {self._COLS} FROM files")
        return {r[0]: FileState(*r) for r in rows}

    @_guarded
    def count(self) -> int:
        return self._db.execute("SELECT count(*) FROM files").fetchone()[0]

    @_guarded
    def apply(self, upserts: Iterable[FileState], deletes: Iterable[str],
              meta: dict[str, str | None] | None = None) -> None:
        with self._db:
            self._db.executemany("DELETE FROM files WHERE path = ?",
                                 ((p,) for p in deletes if storable(p)))
            self._db.executemany(
                "INSERT OR REPLACE INTO files (path, size, mtime_ns, digest, articles) "
                "VALUES (?,?,?,?,?)",
                ((s.path, s.size, s.mtime_ns, s.digest, s.articles) for s in upserts
                 if storable(s.path)))
            for key, value in (meta or {}).items():
                self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                                 (key, value))

    @_guarded
    def meta(self) -> dict[str, str]:
        return dict(self._db.execute("SELECT key, value FROM meta"))

    @_guarded
    def add_roots(self, roots: Iterable[str], when: float | None = None) -> None:
        when = time.time() if when is None else when
        with self._db:
            # A folder inside one already listed is not listed again, and the ones
            # inside a new one are folded into it.
            known = [r[0] for r in self._db.execute("SELECT path FROM roots")]
            for root in roots:
                if not storable(root):
                    continue
                if any(_within(root, k) and root != k for k in known):
                    outer = next(k for k in known if _within(root, k))
                    self._db.execute("UPDATE roots SET last_indexed = ? WHERE path = ?",
                                     (when, outer))
                    continue
                for k in known:
                    if _within(k, root) and k != root:
                        self._db.execute("DELETE FROM roots WHERE path = ?", (k,))
                self._db.execute("INSERT OR REPLACE INTO roots (path, last_indexed) "
                                 "VALUES (?, ?)", (root, when))
                known.append(root)

    @_guarded
    def roots(self) -> list[Root]:
        """The indexed folders (and files), with what each holds now. Files recorded
        by an older newsgrep, which did not list folders, appear as their own rows."""
        listed = dict(self._db.execute("SELECT path, last_indexed FROM roots"))
        counts: dict[str, list[int]] = {r: [0, 0] for r in listed}
        other = [0, 0]
        for path, articles in self._db.execute("SELECT path, articles FROM files"):
            root = next((r for r in listed if _within(path, r)), None)
            c = counts[root] if root is not None else other
            c[0] += 1
            c[1] += articles or 0
        out = [Root(r, listed[r], *counts[r]) for r in sorted(listed)]
        if other[0]:
            out.append(Root("", None, *other))
        return out

    @_guarded
    def forget(self, root: str) -> list[str]:
        """Drop the rows of every file at or below `root` (and the root); the paths."""
        paths = list(self.under([root]))
        with self._db:
            self._db.executemany("DELETE FROM files WHERE path = ?", ((p,) for p in paths))
            if storable(root):
                prefix = root.rstrip("/") + "/"
                self._db.execute("DELETE FROM roots WHERE path = ? OR substr(path, 1, ?) = ?",
                                 (root, len(prefix), prefix))
        return paths

    @_guarded
    def copy_roots_from(self, other: Manifest) -> None:
        with self._db:
            self._db.executemany("INSERT OR IGNORE INTO roots (path, last_indexed) "
                                 "VALUES (?, ?)",
                                 other._db.execute("SELECT path, last_indexed FROM roots"))

    @_guarded
    def clear(self) -> None:
        with self._db:
            self._db.execute("DELETE FROM files")

    @_guarded
    def integrity_problems(self) -> list[str]:
        rows = [r[0] for r in self._db.execute("PRAGMA integrity_check")]
        return [] if rows == ["ok"] else rows

    def close(self) -> None:
        self._db.close()


def _within(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")
