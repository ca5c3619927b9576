"""Staging and committing segments. Writing and committing are separate so that segments
can be written on every core:

* `write_segment(index_dir, docs)` runs anywhere (a parsing worker process): it writes the
  segment's files under `<index>/bulk-staging/<segment id>/`, invisible to Whoosh (its
  file cleaner only looks at the index folder's own files), and returns a picklable
  `StagedSegment`.
* `commit_segments(index_dir, staged, delete_paths)` runs in the one process that holds
  the index run lock: under Whoosh's write lock it marks the deleted paths' documents in
  the committed segments, moves the staged files into the index folder and writes a new
  TOC with Whoosh's atomic temp-file + rename. A crash at any point leaves the previous
  TOC, which names only complete segments; stray files are what Whoosh's own writer
  leaves after a crash and go with the next commit's clean_files (staging leftovers:
  `discard_staging`).
"""

from __future__ import annotations

import gc
import os
import secrets
import shutil
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from whoosh.codec.whoosh3 import W3Segment
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, LockError, clean_files
from whoosh.reading import SegmentReader
from whoosh.util.filelock import try_for

from .schema import INDEX_NAME, LOCK_TIMEOUT, read_toc
from .segment import SegmentBuilder

STAGING_DIR = "bulk-staging"


@dataclass
class StagedSegment:
    """A complete segment written outside the index's file set, waiting to be committed.
    `sources`: for a merge, (segment id, deleted docnums) of the segments it replaces."""

    folder: str
    segment: W3Segment
    sources: list[tuple[str, frozenset[int]]] = field(default_factory=list)

    @property
    def doc_count(self) -> int:
        return self.segment.doc_count_all()


_SCHEMAS: dict[str, object] = {}


def index_schema(index_dir: str | os.PathLike, indexname: str = INDEX_NAME):
    """The schema pickled in the index's TOC (cached per process: it never changes for an
    index folder during a run)."""
    key = os.path.realpath(index_dir)
    schema = _SCHEMAS.get(key)
    if schema is None:
        schema = _SCHEMAS[key] = read_toc(FileStorage(key), indexname).schema
    return schema


def staging_storage(index_dir: str | os.PathLike, name: str) -> FileStorage:
    folder = os.path.join(index_dir, STAGING_DIR, name)
    for _ in range(10):
        try:
            os.makedirs(folder, exist_ok=True)
            break
        except FileNotFoundError:  # the empty staging folder was removed meanwhile
            continue
    return FileStorage(folder)


def write_segment(index_dir: str | os.PathLike, docs: Iterable[Mapping],
                  schema=None, indexname: str = INDEX_NAME) -> StagedSegment | None:
    """Write `docs` (keyword dicts as for add_document, e.g. `prepare_article`'s
    `a.prepared`) as one new segment staged under `index_dir`; None if `docs` is empty.
    Safe to call in several processes at once: each segment has its own random id."""
    schema = schema or index_schema(index_dir, indexname)
    storage = None
    builder = None
    # Millions of small lists and no cycles: the cyclic collector only burns time here.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for doc in docs:
            if builder is None:
                storage = staging_storage(index_dir, secrets.token_hex(8))
                builder = SegmentBuilder(schema, storage, indexname)
            builder.add_document(**doc)
        if builder is None:
            return None
        segment = builder.finish()
    except BaseException:
        if storage is not None:
            shutil.rmtree(storage.folder, ignore_errors=True)
        raise
    finally:
        if was_enabled:
            gc.enable()
    assert storage is not None  # made before the builder
    return StagedSegment(storage.folder, segment)


def discard(staged: Iterable[StagedSegment]) -> None:
    """Drop staged segments that will not be committed (a cancelled batch)."""
    for s in staged:
        shutil.rmtree(s.folder, ignore_errors=True)


def discard_staging(index_dir: str | os.PathLike) -> None:
    """Remove every staged segment: call at the start of an index run (under the run lock),
    when none can be in flight; leftovers are from a run that was killed."""
    shutil.rmtree(os.path.join(index_dir, STAGING_DIR), ignore_errors=True)


def _delete_paths(storage, schema, segments, paths: Iterable[str]) -> int:
    """Mark the documents whose `path` is in `paths` deleted in `segments` (as
    WhooshWriter.delete_path: delete_by_term("path", p)). Returns how many."""
    paths = [p for p in paths]
    if not paths:
        return 0
    fobj = schema["path"]
    terms = [fobj.to_bytes(p) for p in paths]
    n = 0
    for seg in segments:
        reader = SegmentReader(storage, schema, seg)
        try:
            for tb in terms:
                if ("path", tb) in reader:
                    for docnum in reader.postings("path", tb).all_ids():
                        if not seg.is_deleted(docnum):
                            seg.delete_document(docnum)
                            n += 1
        finally:
            reader.close()
    return n


def commit_segments(index_dir: str | os.PathLike, staged: Sequence[StagedSegment] = (),
                    delete_paths: Iterable[str] = (), *, indexname: str = INDEX_NAME,
                    timeout: float = LOCK_TIMEOUT, keep_staging: bool = False
                    ) -> list[W3Segment]:
    """Atomically publish `staged` segments and delete `delete_paths`' documents from the
    segments committed before (not from `staged`), in one new TOC generation.

    A staged merge (`StagedSegment.sources` set) replaces its source segments only if they
    are all still committed with the same deletions; otherwise it is dropped (the sources
    stay, nothing is lost). Returns the new segment list. Raises whoosh.index.LockError
    if another Whoosh writer holds the index.
    """
    index_dir = os.fspath(index_dir)
    storage = FileStorage(index_dir)
    lock = storage.lock(f"{indexname}_WRITELOCK")
    if not try_for(lock.acquire, timeout=timeout, delay=0.1):
        raise LockError(f"another writer holds {index_dir}")
    try:
        return _commit(storage, index_dir, staged, delete_paths, indexname)
    finally:
        lock.release()
        if not keep_staging:  # `keep_staging`: workers may be staging segments now
            remove_empty_staging(index_dir)


def _commit(storage, index_dir: str, staged: Sequence[StagedSegment],
            delete_paths: Iterable[str], indexname: str) -> list[W3Segment]:
    toc = read_toc(storage, indexname)
    schema = toc.schema
    segments = list(toc.segments)
    by_id = {s.segment_id(): s for s in segments}
    adding: list[StagedSegment] = []
    for st in staged:
        if st.sources:
            ok = all(sid in by_id and frozenset(by_id[sid].deleted_docs()) == dels
                     for sid, dels in st.sources)
            if not ok:
                discard([st])
                continue
            gone = {sid for sid, _ in st.sources}
            segments = [s for s in segments if s.segment_id() not in gone]
        adding.append(st)
    # Deletions apply to what was committed before this call (and to merged
    # segments, which hold the same documents).
    merged = [st.segment for st in adding if st.sources]
    for st in adding:
        _publish(st, index_dir)
    _delete_paths(storage, schema, segments + merged, delete_paths)
    final = segments[:]
    # Merged segments take the place of their sources' first position: keep order
    # stable for readers (docnums change anyway with a new generation).
    final += [st.segment for st in adding]
    final = [s for s in final if s.doc_count_all()]  # a merge of deleted documents
    # A fully deleted segment stays, as with Whoosh's own commit(merge=False): its
    # lengths still count in BM25's average until a merge drops it (merge.py).
    generation = toc.generation + 1
    TOC(schema, final, generation).write(storage, indexname)
    clean_files(storage, indexname, generation, final)
    return final


def _publish(st: StagedSegment, index_dir: str) -> None:
    # Same filesystem: each rename is atomic; the segment is invisible until the TOC.
    for name in os.listdir(st.folder):
        src = os.path.join(st.folder, name)
        if os.path.isfile(src):
            os.replace(src, os.path.join(index_dir, name))
    shutil.rmtree(st.folder, ignore_errors=True)
    # Not the staging folder itself: during an index run a worker may be creating its
    # next segment in it right now (SegmentIngest.close removes it after the run).


def remove_empty_staging(index_dir: str | os.PathLike) -> None:
    """Remove the staging folder if nothing is staged (when no worker can be writing)."""
    try:
        os.rmdir(os.path.join(index_dir, STAGING_DIR))
    except OSError:
        pass
