"""Whoosh's own SegmentWriter behind the engine's Writer protocol: the fallback
(NEWSGREP_WHOOSH_WRITER=1), the multi-process writer (procs > 1), and the baseline the
bulk writer (bulk.py) is tested and measured against."""

from __future__ import annotations

import os
import types
from pathlib import Path

from whoosh import index

from ...article import Article
from ...errors import NewsgrepError
from .folder import record_sums
from .schema import LOCK_TIMEOUT, doc_fields


class _CachedLengths:
    """Per-document field lengths, memoised.

    When Whoosh writes a segment's postings it looks up the field length of the
    posting's document for every single posting (a column read, ~12 us); there are a
    few hundred postings per document, so memoising cuts about a quarter of the
    commit time.
    """

    def __init__(self, pdr) -> None:
        self._pdr = pdr
        self._cache: dict[tuple[int, str], int] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        key = (docnum, fieldname)
        v = self._cache.get(key)
        if v is None:
            v = self._cache[key] = self._pdr.doc_field_length(docnum, fieldname, default)
        return v

    def close(self) -> None:
        self._pdr.close()


def _flush_segment_fast(self) -> None:
    # whoosh.writing.SegmentWriter._flush_segment, with the lengths reader memoised.
    self.perdocwriter.close()
    pdr = _CachedLengths(self.per_document_reader()) if self.codec.length_stats else None
    self.fieldwriter.add_postings(self.schema, pdr, self.pool.iter_postings())
    self.fieldwriter.close()
    if pdr:
        pdr.close()


class WhooshWriter:
    """A batch of changes; nothing is visible to searches until commit()."""

    def __init__(self, ix: index.Index, path: Path, procs: int = 1, limitmb: int = 128):
        self._ix, self._path = ix, path
        try:
            if procs > 1:
                # procs>1 only works with multisegment=True (whoosh-pitfalls #2).
                self._w = ix.writer(timeout=LOCK_TIMEOUT, procs=procs, limitmb=limitmb,
                                    multisegment=True, compound=False)
            else:
                self._w = ix.writer(timeout=LOCK_TIMEOUT, limitmb=limitmb, compound=False)
                if hasattr(self._w, "_flush_segment"):
                    self._w._flush_segment = types.MethodType(_flush_segment_fast, self._w)
        except index.LockError:
            raise NewsgrepError(
                f"another process is writing to the index at {path}; "
                "wait for it to finish and try again"
            ) from None

    def delete_path(self, path: str) -> None:
        self._w.delete_by_term("path", path)

    def add(self, article: Article) -> None:
        self._w.add_document(**(article.prepared or doc_fields(article)))

    def commit(self, optimize: bool = False, merge: bool = True) -> None:
        self._w.commit(optimize=optimize, merge=merge)
        record_sums(self._ix, self._path)

    def cancel(self) -> None:
        self._w.cancel()


def whoosh_writer_forced() -> bool:
    """NEWSGREP_WHOOSH_WRITER=1: write with Whoosh's own SegmentWriter, as newsgrep did
    before the bulk writer (an escape hatch, and the baseline of scripts/bench_bulk.py)."""
    return os.environ.get("NEWSGREP_WHOOSH_WRITER", "").strip() == "1"
