"""The writer's side of a run: the changes since the last commit, and the commit that the
manifest follows."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from ..article import Article
from ..discover import FileInfo
from ..engine import identity_of
from ..manifest import FileState, Manifest
from .jobs import _Outcome
from .summary import IndexSummary


class _Batch:
    """Changes since the last commit; the manifest follows each engine commit."""

    def __init__(self, engine, manifest: Manifest, known: dict[str, FileState],
                 summary: IndexSummary, fresh: bool, rebuilding: bool = False,
                 new_writer: Callable[[], Any] | None = None):
        self.engine, self.manifest, self.known, self.summary = engine, manifest, known, summary
        self.new_writer = new_writer or engine.writer
        self.fresh = fresh  # nothing committed yet: no stale records to delete
        self.rebuilding = rebuilding  # a new index, each file added once: never any
        self.writer = None
        self.files = 0
        self.started = time.monotonic()
        self.split_articles = 0  # articles of the split file being added, so far
        self.upserts: list[FileState] = []
        self.deletes: list[str] = []
        self.removed = 0
        self.split_started = False  # the split file being added has records in the writer

    def _w(self):
        if self.writer is None:
            self.writer = self.new_writer()
        return self.writer

    def add_segment(self, staged: object) -> None:
        """A segment a worker wrote for the outcomes added next (published at commit)."""
        self._w().add_segment(staged)

    def add(self, o: _Outcome) -> None:
        info, summary = o.info, self.summary
        if o.chunk is not None:
            self._add_chunk(o)
            return
        self.files += 1
        if o.same_content:
            summary.unchanged += 1
            old = self.known.get(info.path)
            self.upserts.append(FileState(info.path, info.size, info.mtime_ns, o.digest or "",
                                          old.articles if old else None))
            return
        if o.skip is not None:
            self._skip(info, o.skip)
            return
        self._begin(info)
        self._add_articles(info, o.articles or [], o.written)
        self.upserts.append(FileState(info.path, info.size, info.mtime_ns, o.digest or "",
                                      len(o.articles or [])))

    def _add_chunk(self, o: _Outcome) -> None:
        # Chunks of a file arrive in order and together (imap keeps the job order); the
        # file is counted and recorded in the manifest with its last chunk, so a batch
        # never commits in the middle of one.
        info = o.info
        index, count = o.chunk or (0, 1)
        if index == 0:
            self.split_started = False
            self.split_articles = 0
        if o.note:
            self.summary.warnings.append({"path": info.path, "reason": o.note})
        if o.articles:
            if not self.split_started:
                self._begin(info)
                self.split_started = True
            self._add_articles(info, o.articles, o.written)
            self.split_articles += len(o.articles)
        if index == count - 1:
            self.files += 1
            if self.split_started:
                self.upserts.append(FileState(info.path, info.size, info.mtime_ns,
                                              o.digest or "", self.split_articles))
            else:
                self._skip(info, "no valid JSON records")

    def _skip(self, info: FileInfo, reason: str) -> None:
        self.summary.skipped.append({"path": info.path, "reason": reason})
        if info.path in self.known:  # indexed before: its old record is stale now
            if not self.fresh:
                self._w().delete_path(info.path)
            self.deletes.append(info.path)

    def _begin(self, info: FileInfo) -> None:
        """Count a file with new content and drop the records it had before."""
        w = self._w()
        # Known or not: a crashed run may have left records without a manifest row.
        if not self.fresh:
            w.delete_path(info.path)
        if info.path in self.known:
            self.summary.updated += 1
        else:
            self.summary.indexed += 1

    def _add_articles(self, info: FileInfo, articles: list[Article], written: bool = False
                      ) -> None:
        w = self._w()
        self.summary.articles += len(articles)
        for a in articles:
            if written:  # in a worker's segment already; a refused record says so
                for note in a.warnings:
                    self.summary.warnings.append({"path": info.path, "reason": note})
                continue
            try:
                w.add(a)
            except (UnicodeError, ValueError, TypeError) as e:  # one bad record, not the run
                self.summary.warnings.append({"path": info.path, "reason":
                                              f"record {a.id} not indexed: {e}"})
                continue
            for note in a.warnings:
                self.summary.warnings.append({"path": info.path, "reason": note})

    def remove(self, paths: list[str]) -> None:
        if paths:
            w = self._w()
            for path in paths:
                w.delete_path(path)
                self.deletes.append(path)
            self.removed += len(paths)

    def drop(self, paths: list[str]) -> None:
        """Delete records that no manifest row accounts for (not counted as removed)."""
        w = self._w()
        for path in paths:
            w.delete_path(path)

    def age(self) -> float:
        return time.monotonic() - self.started

    def commit(self) -> None:
        if self.writer is not None:
            self.writer.commit()
            self.writer = None
            self.fresh = self.rebuilding
        # What the engine holds as committed: the next run compares before trusting.
        meta = {"articles": str(self.engine.doc_count()), "identity": identity_of(self.engine)}
        self.manifest.apply(self.upserts, self.deletes, meta)
        self.summary.removed += self.removed
        self.upserts, self.deletes, self.files, self.removed = [], [], 0, 0
        self.started = time.monotonic()

    def cancel(self) -> None:
        if self.writer is not None:
            writer, self.writer = self.writer, None
            try:
                writer.cancel()
            except Exception:  # noqa: BLE001 - e.g. a full disk: the first error is the one
                pass
