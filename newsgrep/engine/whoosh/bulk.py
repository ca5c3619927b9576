"""The bulk writer, what ingest and the engine call: the engine's Writer protocol on
staged segments (BulkWriter), and the parsing workers' side (write_articles,
SegmentStream)."""

from __future__ import annotations

import gc
import os
import secrets
import shutil
from collections.abc import Callable, Mapping, Sequence

from whoosh.filedb.filestore import FileStorage

from .commit import (
    StagedSegment,
    commit_segments,
    discard,
    index_schema,
    staging_storage,
    write_segment,
)
from .merge import merge_step
from .schema import prepare_article
from .segment import SegmentBuilder

# The errors one record can raise while it is written (as WhooshWriter.add raised them for
# that record): ingest skips such a record with a warning, never the run.
RECORD_ERRORS = (UnicodeError, ValueError, TypeError)


def write_articles(index_dir: str | os.PathLike, articles: Sequence) -> StagedSegment | None:
    """Worker side: write `articles` (newsgrep Articles, prepared by prepare_article in
    this process) as one staged segment, then drop their postings and prepared fields so
    that sending them back to the parent costs little (it needs only their warnings).

    A record that cannot be written (RECORD_ERRORS) is left out: its `warnings` become
    the one line saying so, as ingest reported it when Whoosh's writer refused it."""
    docs = []
    for a in articles:
        if a.prepared is None:
            prepare_article(a)
        docs.append(a.prepared)
    try:
        staged = write_segment(index_dir, docs)
    except RECORD_ERRORS:
        # Rare (no record of the test corpora does it): find the bad records one by one,
        # each written alone into a throwaway segment, then write the rest.
        good = []
        for a, doc in zip(articles, docs, strict=True):
            try:
                discard([s for s in [write_segment(index_dir, [doc])] if s])
                good.append(doc)
            except RECORD_ERRORS as e:
                a.warnings = [f"record {a.id} not indexed: {e}"]
        staged = write_segment(index_dir, good)
    for a in articles:
        a.prepared = None
        a.title, a.body = str(a.title), ""
    return staged


class SegmentStream:
    """write_articles for a worker's group of files, one file's articles at a time: each
    article is filed into the segment builder and emptied at once, so that a worker holds
    its group's postings only in the builder's flat arrays (not also as each article's
    text, posting tuples and word copies: ~3x the memory at 2,500 articles)."""

    def __init__(self, index_dir: str | os.PathLike):
        self.index_dir = index_dir
        self.storage: FileStorage | None = None
        self.builder: SegmentBuilder | None = None
        self._gc = gc.isenabled()
        # Millions of small objects and no cycles: the cyclic collector only burns time.
        gc.disable()

    def add(self, articles: Sequence) -> None:
        """File `articles` (a record that cannot be written is left out, and its
        `warnings` say so), then empty them as write_articles does."""
        try:
            for a in articles:
                if a.prepared is None:
                    prepare_article(a)
                try:
                    _check_record(a.prepared)
                except RECORD_ERRORS as e:
                    a.warnings = [f"record {a.id} not indexed: {e}"]
                    continue
                if self.builder is None:
                    self.storage = staging_storage(self.index_dir, secrets.token_hex(8))
                    self.builder = SegmentBuilder(index_schema(self.index_dir),
                                                  self.storage)
                self.builder.add_document(**a.prepared)
        except BaseException:
            self.cancel()
            raise
        for a in articles:
            a.prepared = None
            a.title, a.body = str(a.title), ""

    def finish(self) -> StagedSegment | None:
        try:
            if self.builder is None or self.storage is None:
                return None
            segment = self.builder.finish()
            return StagedSegment(self.storage.folder, segment)
        except BaseException:
            self.cancel()
            raise
        finally:
            self.builder = None
            if self._gc:
                gc.enable()

    def cancel(self) -> None:
        if self.storage is not None:
            shutil.rmtree(self.storage.folder, ignore_errors=True)
        self.builder = self.storage = None
        if self._gc:
            gc.enable()


class BulkWriter:
    """The engine Writer protocol (delete_path, add, commit, cancel) on the bulk path, plus
    add_segment for segments the parsing workers wrote. Articles added here are written as
    one segment at commit; deletions apply to what was committed before (as Whoosh's
    delete_by_term in a writer: not to documents added in the same batch).

    Deletions need no Whoosh writer: a W3 segment keeps its deleted document numbers in
    the TOC (W3Segment.delete_document), which commit_segments writes anew each time.

    `merger` (merge.Merger, set by an index run): merges run in the background and
    each finished one is published with the next commit, in the same TOC, so that a run
    writes exactly one table of contents per batch. Without one (`newsgrep forget`, a
    library caller), each commit settles the merge policy itself when `merge` is set.
    `on_commit` runs after every TOC this writer writes (the engine records checksums)."""

    def __init__(self, index_dir: str | os.PathLike, merge: bool = True, merger=None,
                 on_commit: Callable[[], None] | None = None):
        self.index_dir = os.fspath(index_dir)
        self.merge = merge
        self.merger = merger
        self.on_commit = on_commit
        self.staged: list[StagedSegment] = []
        self.deletes: list[str] = []
        self.docs: list[Mapping] = []

    def delete_path(self, path: str) -> None:
        self.deletes.append(path)

    def add(self, article) -> None:
        if article.prepared is None:
            prepare_article(article)
        # Checked per record here (Whoosh's writer raised in add_document): a record the
        # segment cannot hold must fail now, for ingest to skip it with a warning.
        _check_record(article.prepared)
        self.docs.append(article.prepared)

    def add_segment(self, staged: StagedSegment | None) -> None:
        if staged is not None:
            self.staged.append(staged)

    def commit(self) -> None:
        try:
            if self.docs:
                self.add_segment(write_segment(self.index_dir, self.docs))
                self.docs = []
            if self.merger is not None:
                self.staged += self.merger.ready()
            commit_segments(self.index_dir, self.staged, self.deletes,
                            keep_staging=self.merger is not None)
        except BaseException:
            self.cancel()
            raise
        self.staged, self.deletes = [], []
        if self.on_commit is not None:
            self.on_commit()
        if self.merger is not None:
            self.merger.plan()
            return
        if self.merge:
            while merge_step(self.index_dir):
                if self.on_commit is not None:
                    self.on_commit()

    def cancel(self) -> None:
        discard(self.staged)
        self.staged, self.deletes, self.docs = [], [], []


def _check_record(doc: Mapping) -> None:
    # What can fail for one record when its segment is written: a term or stored text
    # that is not valid UTF-8 (a lone surrogate). Everything else was computed already.
    for value in doc.values():
        if isinstance(value, str):
            value.encode("utf-8")
    for key in ("title", "body"):
        value = doc.get(key)
        postings = getattr(value, "postings", None)
        if postings:
            for word, _, _ in postings:
                word.encode("utf-8")
