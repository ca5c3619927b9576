"""Bulk segment writer: a batch of prepared articles -> one Whoosh W3 segment, in memory.

Why hand-written: Whoosh's own SegmentWriter files every posting as a tuple into an
external-sort pool (each tuple pickled to a temp run file, read back and heap-merged) and
then pushes them one at a time through W3PostingsWriter.add_posting; together that was
60 % of newsgrep's indexing CPU (issue #13). No library writes Whoosh's format faster, so
this module inverts a batch with dicts and arrays (the postings were already computed by
`fastformat.analyzed()` in the parsing workers), sorts each field's terms once and encodes
every posting list block by block exactly as W3PostingsWriter does (same pickled block
header and data, same zlib level, same term-info record). Everything else is Whoosh's own
code: W3PerDocWriter for stored fields, field lengths and columns, OrderedHashWriter for
the term table, TOC and clean_files for committing. So readers, queries, highlighting and
`optimize` see a segment they cannot tell from one Whoosh wrote (tests/test_bulk_segment.py
checks the files byte for byte and what the readers return).

Writing and committing are separate so that segments can be written on every core:

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

import os
import pickle
import secrets
import shutil
import struct
import zlib
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from whoosh.codec.whoosh3 import (
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3PerDocWriter,
    W3Segment,
    W3TermInfo,
)
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.filetables import OrderedHashWriter
from whoosh.index import TOC, LockError, clean_files
from whoosh.reading import SegmentReader
from whoosh.system import pack_ushort
from whoosh.util.filelock import try_for
from whoosh.util.numeric import byte_to_length, length_to_byte

from .fastformat import Analyzed, FastPositions

INDEX_NAME = "MAIN"
STAGING_DIR = "bulk-staging"
LOCK_TIMEOUT = 3.0
# W3Codec's defaults (whoosh.codec.default_codec() is W3Codec()): postings per block and
# the zlib level of block data.
BLOCK_LIMIT = 128
COMPRESSION = 3
# Whoosh zlib-compresses every block; for the small blocks of rare terms (most of a news
# vocabulary) that costs ~40 us per term and saves nothing (61 -> 64 bytes for one
# posting). Blocks whose pickle is shorter than this are written uncompressed, with
# compression 0 in their header, which W3LeafMatcher reads as such. 0 = exactly Whoosh.
COMPRESS_MIN = 160

_pack_int = struct.Struct("!i").pack
_dumps = pickle.dumps


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


def _lossy(length: int) -> int:
    # The length a reader gets back: W3 stores field lengths as one byte.
    return byte_to_length(length_to_byte(length)) if length else 0


class SegmentBuilder:
    """Accumulates documents (add_document's keyword form) and writes them as one W3
    segment into `storage`. Mirrors whoosh.writing.SegmentWriter.add_document."""

    def __init__(self, schema, storage: FileStorage, indexname: str = INDEX_NAME):
        self.schema = schema
        self.storage = storage
        self.codec = W3Codec()
        # Our own id, from the OS: forked workers must never pick the same one.
        self.segment = W3Segment(self.codec, indexname, segid=secrets.token_hex(8))
        self.perdoc = W3PerDocWriter(self.codec, storage, self.segment)
        self.docnum = 0
        # fieldname -> term bytes -> [docnums, weights, values]
        self.terms: dict[str, dict[bytes, list]] = {}
        # fieldname -> length per docnum, as stored (one byte); only fields with lengths
        self.lengths: dict[str, list[int]] = {}
        self._fields = {name: schema[name] for name in schema.names()}

    # -- adding ----------------------------------------------------------------------
    def _post(self, fieldname: str, tbytes: bytes, docnum: int, weight: float,
              vbytes: bytes) -> None:
        td = self.terms.get(fieldname)
        if td is None:
            td = self.terms[fieldname] = {}
        p = td.get(tbytes)
        if p is None:
            td[tbytes] = [array("I", (docnum,)), [weight], [vbytes]]
        else:
            p[0].append(docnum)
            p[1].append(weight)
            p[2].append(vbytes)

    def _set_length(self, fieldname: str, docnum: int, length: int) -> None:
        lst = self.lengths.get(fieldname)
        if lst is None:
            lst = self.lengths[fieldname] = []
        if len(lst) < docnum:
            lst.extend([0] * (docnum - len(lst)))
        lst.append(_lossy(length))

    def add_document(self, **fields) -> None:
        schema_fields = self._fields
        perdoc = self.perdoc
        docnum = self.docnum
        docboost = float(fields["_boost"]) if "_boost" in fields else 1.0
        names = sorted(n for n in fields if not n.startswith("_"))
        for n in names:
            if n not in schema_fields:
                raise ValueError(f"no field named {n!r} in the schema")
        perdoc.start_doc(docnum)
        for fieldname in names:
            value = fields[fieldname]
            if value is None:
                continue
            fobj = schema_fields[fieldname]
            if fobj.vector or fobj.separate_spelling():
                raise NotImplementedError(f"{fieldname}: vectors and spelling fields")
            length = 0
            if fobj.indexed:
                key = f"_{fieldname}_boost"
                fboost = float(fields[key]) if key in fields else docboost
                scorable = fobj.scorable
                td = self.terms.get(fieldname)
                if td is None:
                    td = self.terms[fieldname] = {}
                if isinstance(value, Analyzed) and type(fobj.format) is FastPositions:
                    # Postings computed in the parsing worker (fastformat.analyzed()).
                    fb = fobj.format.field_boost
                    items = ((w.encode("utf-8"), f, f * fb, v) for w, f, v in value.postings)
                else:
                    items = fobj.index(value)
                for tbytes, freq, weight, vbytes in items:
                    weight *= fboost
                    if scorable:
                        length += freq
                    p = td.get(tbytes)
                    if p is None:
                        td[tbytes] = [array("I", (docnum,)), [weight], [vbytes]]
                    else:
                        p[0].append(docnum)
                        p[1].append(weight)
                        p[2].append(vbytes)
                if not td:
                    del self.terms[fieldname]
            customval = fields.get(f"_stored_{fieldname}", value)
            perdoc.add_field(fieldname, fobj, customval if fobj.stored else None, length)
            if length:
                self._set_length(fieldname, docnum, length)
            column = fobj.column_type
            if column and customval is not None:
                perdoc.add_column_value(fieldname, column, fobj.to_column_value(customval))
        perdoc.finish_doc()
        self.docnum += 1

    def add_raw_document(self, stored: Mapping, lengths: Mapping[str, int],
                         columns: Mapping[str, object]) -> int:
        """Per-document data read back from a segment (for merging): stored fields,
        stored field lengths and raw column values. Returns the new docnum; the caller
        adds the postings with `add_posting`."""
        perdoc = self.perdoc
        docnum = self.docnum
        perdoc.start_doc(docnum)
        fields = self._fields
        for fieldname in sorted(set(fields) & (set(stored) | set(lengths) | set(columns))):
            fobj = fields[fieldname]
            length = lengths.get(fieldname) or 0
            perdoc.add_field(fieldname, fobj, stored.get(fieldname), length)
            if length:
                self._set_length(fieldname, docnum, length)
            if fieldname in columns:
                perdoc.add_column_value(fieldname, fobj.column_type, columns[fieldname])
        perdoc.finish_doc()
        self.docnum += 1
        return docnum

    add_posting = _post

    # -- writing ---------------------------------------------------------------------
    def finish(self) -> W3Segment:
        """Write the postings and term table, close the per-document files."""
        segment = self.segment
        self.perdoc.close()
        segment.set_doc_count(self.docnum)
        storage = self.storage
        tfile = segment.create_file(storage, W3Codec.TERMS_EXT)
        tindex = OrderedHashWriter(tfile)
        fieldmap = tindex.extras["fieldmap"] = {}
        pfile = segment.create_file(storage, W3Codec.POSTS_EXT)
        offset = 0
        doccount = self.docnum
        for fieldid, fieldname in enumerate(sorted(self.terms)):
            fieldmap[fieldname] = fieldid
            prefix = pack_ushort(fieldid)
            fmt = self._fields[fieldname].format
            fixedsize = fmt.fixed_value_size()
            lens = self.lengths.get(fieldname)
            if lens is not None and len(lens) < doccount:
                lens.extend([0] * (doccount - len(lens)))
            td = self.terms[fieldname]
            for tbytes in sorted(td):
                docs, weights, values = td[tbytes]
                data, ti = encode_postings(docs, weights, values, lens, fixedsize)
                ti.set_extent(offset, len(data))
                pfile.write(data)
                offset += len(data)
                tindex.add(prefix + tbytes, ti.to_bytes())
        tindex.close()
        pfile.close()
        # W3PerDocWriter builds its column files in a temp folder of the storage.
        shutil.rmtree(os.path.join(storage.folder, f"{segment.indexname}.tmp"),
                      ignore_errors=True)
        return segment


def encode_postings(docs: Sequence[int], weights: Sequence[float], values: Sequence[bytes],
                    lens: Sequence[int] | None, fixedsize: int | None
                    ) -> tuple[bytes, W3TermInfo]:
    """One term's posting list as W3PostingsWriter writes it (magic, then blocks of
    BLOCK_LIMIT postings: int length, negative for the last; pickled block info; zlib'd
    pickled ids/weights/values) and its term info. `lens`: stored length per docnum."""
    out = [WHOOSH3_HEADER_MAGIC]
    n = len(docs)
    ti = W3TermInfo()
    total = 0.0
    t_minlen = None
    t_maxlen = 0
    t_maxw = 0
    for start in range(0, n, BLOCK_LIMIT):
        stop = min(n, start + BLOCK_LIMIT)
        ids = docs[start:stop]
        wlist = weights[start:stop]
        wf = array("f", wlist)
        maxw = 0
        top = max(wlist)
        if top > maxw:
            maxw = top
        minlen = None
        maxlen = 0
        if lens is not None:
            bl = [lens[d] for d in ids]
            bl = [x for x in bl if x]
            if bl:
                minlen = min(bl)
                maxlen = max(bl)
        # Minified as W3PostingsWriter._mini_ids/_mini_weights/_mini_values.
        deltas = []
        base = 0
        for d in ids:
            deltas.append(d - base)
            base = d
        if all(w == 1.0 for w in wf):
            mw = None
        elif all(w == wf[0] for w in wf):
            mw = wf[0]
        else:
            mw = tuple(wf)
        vals = [v for v in values[start:stop] if v]
        if fixedsize is None or fixedsize < 0:
            mv = tuple(vals)
        elif fixedsize == 0:
            mv = None
        else:
            mv = b"".join(vals)
        data = _dumps((tuple(deltas), mw, mv), 2)
        comp = COMPRESSION if len(data) >= COMPRESS_MIN else 0
        if comp:
            data = zlib.compress(data, comp)
        info = _dumps((len(ids), ids[-1], maxw, comp, length_to_byte(minlen),
                       length_to_byte(maxlen)), 2)
        size = len(info) + len(data)
        out.append(_pack_int(-size if stop == n else size))
        out.append(info)
        out.append(data)
        # W3TermInfo.add_block
        total += sum(wf)
        if start == 0:
            t_minlen = minlen
        elif minlen is not None:
            t_minlen = minlen if t_minlen is None else min(t_minlen, minlen)
        t_maxlen = max(t_maxlen, maxlen)
        t_maxw = max(t_maxw, maxw)
    ti._weight = total
    ti._df = n
    ti._minlength = t_minlen
    ti._maxlength = t_maxlen
    ti._maxweight = t_maxw
    ti._minid = docs[0]
    ti._maxid = docs[n - 1]
    return b"".join(out), ti


def decode_postings(data: bytes, fixedsize: int | None
                    ) -> tuple[list[int], list[float], list[bytes]]:
    """The inverse of encode_postings (ids, float32 weights, values), for merging."""
    import io

    if data[:4] != WHOOSH3_HEADER_MAGIC:
        raise ValueError("not a W3 posting list")
    ids: list[int] = []
    weights: list[float] = []
    values: list[bytes] = []
    pos = 4
    last = False
    loads = pickle.loads
    while not last:
        (size,) = struct.unpack_from("!i", data, pos)
        pos += 4
        if size < 0:
            last, size = True, -size
        stream = io.BytesIO(data[pos:pos + size])
        count, _, _, comp, _, _ = pickle.load(stream)
        raw = stream.read()
        deltas, mw, mv = loads(zlib.decompress(raw) if comp else raw)
        base = 0
        for d in deltas:
            base += d
            ids.append(base)
        if mw is None:
            weights.extend([1.0] * count)
        elif isinstance(mw, float):
            weights.extend([mw] * count)
        else:
            weights.extend(mw)
        if fixedsize is None or fixedsize < 0:
            values.extend(mv)
        elif fixedsize == 0:
            values.extend([b""] * count)
        else:
            values.extend(mv[i:i + fixedsize] for i in range(0, len(mv), fixedsize))
        pos += size
    return ids, weights, values


# -- the index seam ------------------------------------------------------------------

_SCHEMAS: dict[str, object] = {}


def index_schema(index_dir: str | os.PathLike, indexname: str = INDEX_NAME):
    """The schema pickled in the index's TOC (cached per process: it never changes for an
    index folder during a run)."""
    key = os.path.realpath(index_dir)
    schema = _SCHEMAS.get(key)
    if schema is None:
        schema = _SCHEMAS[key] = TOC.read(FileStorage(key), indexname).schema
    return schema


def _staging_storage(index_dir: str | os.PathLike, name: str) -> FileStorage:
    folder = os.path.join(index_dir, STAGING_DIR, name)
    os.makedirs(folder, exist_ok=True)
    return FileStorage(folder)


def write_segment(index_dir: str | os.PathLike, docs: Iterable[Mapping],
                  schema=None, indexname: str = INDEX_NAME) -> StagedSegment | None:
    """Write `docs` (keyword dicts as for add_document, e.g. `prepare_article`'s
    `a.prepared`) as one new segment staged under `index_dir`; None if `docs` is empty.
    Safe to call in several processes at once: each segment has its own random id."""
    schema = schema or index_schema(index_dir, indexname)
    storage = None
    builder = None
    try:
        for doc in docs:
            if builder is None:
                storage = _staging_storage(index_dir, secrets.token_hex(8))
                builder = SegmentBuilder(schema, storage, indexname)
            builder.add_document(**doc)
        if builder is None:
            return None
        segment = builder.finish()
    except BaseException:
        if storage is not None:
            shutil.rmtree(storage.folder, ignore_errors=True)
        raise
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
                    timeout: float = LOCK_TIMEOUT) -> list[W3Segment]:
    """Atomically publish `staged` segments and delete `delete_paths`' documents from the
    segments committed before (not from `staged`), in one new TOC generation.

    A staged merge (`StagedSegment.sources` set) replaces its source segments only if they
    are all still committed with the same deletions; otherwise it is dropped (the sources
    stay, nothing is lost). Fully deleted segments leave the TOC. Returns the new segment
    list. Raises whoosh.index.LockError if another Whoosh writer holds the index.
    """
    index_dir = os.fspath(index_dir)
    storage = FileStorage(index_dir)
    lock = storage.lock(f"{indexname}_WRITELOCK")
    if not try_for(lock.acquire, timeout=timeout, delay=0.1):
        raise LockError(f"another writer holds {index_dir}")
    try:
        toc = TOC.read(storage, indexname)
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
        final = [s for s in final if s.doc_count_all() > s.deleted_count()]
        generation = toc.generation + 1
        TOC(schema, final, generation).write(storage, indexname)
        clean_files(storage, indexname, generation, final)
        return final
    finally:
        lock.release()


def _publish(st: StagedSegment, index_dir: str) -> None:
    # Same filesystem: each rename is atomic; the segment is invisible until the TOC.
    for name in os.listdir(st.folder):
        src = os.path.join(st.folder, name)
        if os.path.isfile(src):
            os.replace(src, os.path.join(index_dir, name))
    shutil.rmtree(st.folder, ignore_errors=True)
    try:
        os.rmdir(os.path.dirname(st.folder))  # the staging folder, once it is empty
    except OSError:
        pass
