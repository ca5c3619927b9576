"""Bulk segment writer: a batch of prepared articles -> one Whoosh W3 segment, in memory.

Why hand-written: Whoosh's own SegmentWriter files every posting as a tuple into an
external-sort pool (each tuple pickled to a temp run file, read back and heap-merged) and
then pushes them one at a time through W3PostingsWriter.add_posting; together that was
60 % of newsgrep's indexing CPU (issue #13). No library writes Whoosh's format faster, so
this module inverts a batch with dicts and arrays (the postings were already computed by
`fastformat.analyzed()` in the parsing workers), sorts each field's terms once and encodes
every posting list block by block as W3PostingsWriter does (same block header, data
tuple and term-info record). Everything else is Whoosh's own code: W3PerDocWriter for
stored fields, field lengths and columns, OrderedHashWriter's layout for the term table,
TOC and clean_files for committing. Three encoding choices differ from Whoosh's writer
and are all read by Whoosh's readers: pickle protocol 3 (PICKLE_PROTOCOL), no zlib for
tiny blocks (COMPRESS_MIN) and crc32 term hashes (HASH_TYPE); set back to Whoosh's
values, the files are byte for byte Whoosh's (tests/test_bulk_segment.py checks both
that and, with the defaults, everything the readers return, scores and snippets).

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

import gc
import os
import pickle
import secrets
import shutil
import struct
import zlib
from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat

import numpy as np
from whoosh.codec.whoosh3 import (
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3PerDocWriter,
    W3Segment,
    W3TermInfo,
)
from whoosh.columns import PickleColumn
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.filetables import HashWriter, OrderedHashWriter
from whoosh.index import TOC, LockError, clean_files
from whoosh.reading import SegmentReader
from whoosh.system import pack_ushort
from whoosh.util.filelock import try_for
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.util.numlists import GrowableArray

from .fastformat import Analyzed, FastPositions

INDEX_NAME = "MAIN"
STAGING_DIR = "bulk-staging"
LOCK_TIMEOUT = 3.0
# W3Codec's defaults (whoosh.codec.default_codec() is W3Codec()): postings per block and
# the zlib level of block data.
BLOCK_LIMIT = 128
COMPRESSION = 3
# Whoosh zlib-compresses every block; for the small blocks of rare terms (most of a news
# vocabulary) that costs ~40 us per term and saves nothing (one posting: 21 -> 29
# bytes). Blocks whose pickle is shorter than this are written uncompressed, with
# compression 0 in their header, which W3LeafMatcher reads as such. 0 = exactly Whoosh.
COMPRESS_MIN = 64
# Whoosh pickles blocks with protocol 2, which spells every bytes value (each posting's
# positions) as a call to _codecs.encode: ~40 bytes per posting. Protocol 3 writes
# bytes as bytes (2 + length); Whoosh reads blocks with pickle.load(s), any protocol.
# 2 = exactly Whoosh's bytes (with COMPRESS_MIN = 0; tests check both settings).
PICKLE_PROTOCOL = 3
# The term table's hash: Whoosh writes 0 (md5 of every key, via hexdigest); its
# HashReader reads the type from the file and also knows 1 (crc32, C-fast). 0 = Whoosh.
HASH_TYPE = 1

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


class _FlatPostings:
    """One field's postings from `Analyzed` values, as parallel flat lists (filled with
    C-level extends, one call per document) and inverted once in finish()."""

    __slots__ = ("words", "docs", "freqs", "values")

    def __init__(self) -> None:
        self.words: list[str] = []
        self.docs = array("I")
        self.freqs = array("I")
        self.values: list[bytes] = []


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
        if PICKLE_PROTOCOL != 2:
            # Stored fields: Whoosh pickles each document's dict with protocol 2, where
            # bytes (the zlib'd body) become latin-1 text, ~1.5x as long. Its reader
            # unpickles any protocol.
            cw = self.perdoc._colwriters["_stored"]
            self.perdoc._colwriters["_stored"] = _PickleWriter(cw._child)
        self.docnum = 0
        # fieldname -> term bytes -> [docnums, weights, values]: fields Whoosh analyses
        self.terms: dict[str, dict[bytes, list]] = {}
        # fieldname -> (field boost multiplier) -> flat postings of Analyzed values
        self.flat: dict[tuple[str, float], _FlatPostings] = {}
        # fieldname -> length per docnum, as stored (one byte); only fields with lengths
        self.lengths: dict[str, list[int]] = {}
        # fieldname -> term bytes -> [term stats, encoded blocks]: posting lists copied
        # block by block from other segments by a merge (whoosh_merge), never decoded
        self.raw: dict[str, dict[bytes, list]] = {}
        self._fields = {name: schema[name] for name in schema.names()}
        words: dict[str, str] = {}
        self._words = words.setdefault

    # -- adding ----------------------------------------------------------------------
    def add_posting(self, fieldname: str, tbytes: bytes, docnum: int, weight: float,
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
                if isinstance(value, Analyzed) and type(fobj.format) is FastPositions:
                    # Postings computed in the parsing worker (fastformat.analyzed()).
                    if value.postings:
                        words, freqs, values = zip(*value.postings, strict=True)
                        fp = self.flat.get((fieldname, fboost))
                        if fp is None:
                            fp = self.flat[(fieldname, fboost)] = _FlatPostings()
                        # One str per distinct word (a batch holds ~400 postings per
                        # article, each with its own copy of the word otherwise).
                        fp.words += map(self._words, words, words)
                        fp.freqs.extend(freqs)
                        fp.values += values
                        fp.docs.extend(repeat(docnum, len(words)))
                        if fobj.scorable:
                            length = sum(freqs)
                else:
                    scorable = fobj.scorable
                    post = self.add_posting
                    for tbytes, freq, weight, vbytes in fobj.index(value):
                        if scorable:
                            length += freq
                        post(fieldname, tbytes, docnum, weight * fboost, vbytes)
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

    # -- inverting -------------------------------------------------------------------
    def _field_terms(self, fieldname: str) -> dict[bytes, tuple]:
        """term bytes -> (docnums, weights, values) for one field, docnums ascending."""
        out: dict[bytes, tuple] = {}
        for (fname, fboost), fp in self.flat.items():
            if fname != fieldname:
                continue
            fb = self._fields[fieldname].format.field_boost
            # Number the distinct words in first-seen order (C-level map), then one
            # stable argsort groups each word's postings with their docnums ascending.
            ids: dict[str, int] = {}
            numbering = ids.setdefault
            tid_list = [numbering(w, len(ids)) for w in fp.words]
            tids = np.array(tid_list, dtype=np.int64)
            order = np.argsort(tids, kind="stable")
            counts = np.bincount(tids, minlength=len(ids))
            ends = np.cumsum(counts).tolist()
            docs = np.frombuffer(fp.docs, dtype=np.uint32)[order].tolist()
            # W3 weights are Python floats of (freq * format boost) * field boost.
            weights = ((np.frombuffer(fp.freqs, dtype=np.uint32)[order].astype(np.float64)
                        * fb) * fboost).tolist()
            vals = fp.values
            values = [vals[i] for i in order.tolist()]
            start = 0
            for word, end in zip(ids, ends, strict=True):
                key = word.encode("utf-8")
                part = (docs[start:end], weights[start:end], values[start:end])
                if key in out:  # the same field with another boost: rare
                    part = _merge_parts(out[key], part)
                out[key] = part
                start = end
        for key, (d, w, v) in self.terms.get(fieldname, {}).items():
            part = (d.tolist(), w, v)
            out[key] = _merge_parts(out[key], part) if key in out else part
        return out

    # -- writing ---------------------------------------------------------------------
    def finish(self) -> W3Segment:
        """Write the postings and term table, close the per-document files."""
        segment = self.segment
        perdoc = self.perdoc
        for name, fobj in self._fields.items():
            column = fobj.column_type
            if column and self.docnum and not perdoc._has_column(name):
                # Whoosh's MultiColumnReader leaves out a segment without the column and
                # then reads every later segment's documents at the wrong place (a batch
                # of undated articles made `date` unreadable for the whole index; with
                # Whoosh's own writer too). An empty column reads as the default for
                # every document, which is what an undated article reads as anyway.
                perdoc._create_column(name, column)
        perdoc.close()
        segment.set_doc_count(self.docnum)
        storage = self.storage
        tfile = segment.create_file(storage, W3Codec.TERMS_EXT)
        tindex = _TermTable(tfile, HASH_TYPE)
        entries: list[tuple[bytes, bytes]] = []
        fieldmap: dict[str, int] = {}
        tindex.extras["fieldmap"] = fieldmap
        pfile = segment.create_file(storage, W3Codec.POSTS_EXT)
        offset = 0
        doccount = self.docnum
        fieldnames = sorted(set(self.terms) | {f for f, _ in self.flat} | set(self.raw))
        for fieldname in fieldnames:
            terms = self._field_terms(fieldname)
            raw = self.raw.get(fieldname) or {}
            if not terms and not raw:
                continue
            fieldmap[fieldname] = len(fieldmap)
            prefix = pack_ushort(fieldmap[fieldname])
            fixedsize = self._fields[fieldname].format.fixed_value_size()
            lens = self.lengths.get(fieldname)
            if lens is not None and len(lens) < doccount:
                lens.extend([0] * (doccount - len(lens)))
            add = entries.append
            for tbytes in sorted(terms.keys() | raw.keys()):
                if tbytes in raw:
                    if tbytes in terms:
                        raise ValueError("a term both copied and decoded")
                    data, ti = join_blocks(*raw[tbytes])
                else:
                    docs, weights, values = terms[tbytes]
                    data, ti = encode_postings(docs, weights, values, lens, fixedsize)
                pfile.write(data)
                add((prefix + tbytes, ti + _pack_extent(offset, len(data))))
                offset += len(data)
        tindex.add_sorted(entries)
        tindex.close()
        pfile.close()
        # W3PerDocWriter builds its column files in a temp folder of the storage.
        shutil.rmtree(os.path.join(storage.folder, f"{segment.indexname}.tmp"),
                      ignore_errors=True)
        return segment


_lengths = struct.Struct("!ii").pack  # filetables' key/value length header


class _PickleWriter(PickleColumn.Writer):
    """whoosh.columns.PickleColumn's writer with PICKLE_PROTOCOL instead of 2."""

    def add(self, docnum, v):
        self._child.add(docnum, b"" if v is None else _dumps(v, PICKLE_PROTOCOL))


class _TermTable(OrderedHashWriter):
    """OrderedHashWriter with one write for all entries: the same bytes as calling its
    add() per term (which goes through two file-object layers and tell() each time)."""

    def __init__(self, dbfile, hashtype: int):
        HashWriter.__init__(self, dbfile, hashtype=hashtype)
        self.index = GrowableArray("H")
        self.lastkey = b""

    def add_sorted(self, entries: list[tuple[bytes, bytes]]) -> None:
        pos = self.dbfile.tell()
        out = []
        index = self.index.append
        buckets = self.buckets
        hashfn = self.hashfn
        last = self.lastkey
        for key, value in entries:
            if key <= last:
                raise ValueError(f"keys must increase: {last!r}..{key!r}")
            last = key
            index(pos)
            out.append(_lengths(len(key), len(value)))
            out.append(key)
            out.append(value)
            h = hashfn(key)
            buckets[h & 255].append((h, pos))
            pos += 8 + len(key) + len(value)
        self.dbfile.write(b"".join(out))
        self.lastkey = last


def _merge_parts(a: tuple, b: tuple) -> tuple:
    rows = sorted(list(zip(*a, strict=True)) + list(zip(*b, strict=True)),
                  key=lambda r: r[0])
    d, w, v = zip(*rows, strict=True)
    return list(d), list(w), list(v)


_TI_STRUCT = W3TermInfo._struct  # flags, weight, doc freq, min/max length, max weight, ids
_pack_ti = _TI_STRUCT.pack
_pack_extent = struct.Struct("!qi").pack  # W3TermInfo.to_bytes: pack_long + pack_int


def encode_postings(docs: Sequence[int], weights: Sequence[float], values: Sequence[bytes],
                    lens: Sequence[int] | None, fixedsize: int | None
                    ) -> tuple[bytes, bytes]:
    """One term's posting list as W3PostingsWriter writes it (magic, then blocks of
    BLOCK_LIMIT postings: int length, negative for the last; pickled block info; zlib'd
    pickled ids/weights/values), and the start of its term info record (W3TermInfo.
    to_bytes without the extent). `lens`: stored length per docnum."""
    out = [WHOOSH3_HEADER_MAGIC]
    n = len(docs)
    total = 0.0
    t_minlen = None
    t_maxlen = 0
    t_maxw = 0.0
    for start in range(0, n, BLOCK_LIMIT):
        stop = min(n, start + BLOCK_LIMIT)
        if n == 1:  # most terms of a news vocabulary: skip the slicing
            ids, wlist, vlist = docs, weights, values
        else:
            ids, wlist, vlist = docs[start:stop], weights[start:stop], values[start:stop]
        wf = array("f", wlist)
        maxw = 0.0
        top = max(wlist)
        if top > maxw:
            maxw = top
        minlen = None
        maxlen = 0
        if lens is not None:
            bl = [x for x in map(lens.__getitem__, ids) if x]
            if bl:
                minlen = min(bl)
                maxlen = max(bl)
        # Minified as W3PostingsWriter._mini_ids/_mini_weights/_mini_values.
        deltas: tuple[int, ...]
        if n == 1:
            deltas = (ids[0],)
        else:
            deltas = tuple(b - a for a, b in zip([0, *ids[:-1]], ids, strict=True))
        w0 = wf[0]
        mw: float | tuple[float, ...] | None
        mv: tuple[bytes, ...] | bytes | None
        if w0 == 1.0 and wf.count(w0) == len(wf):
            mw = None
        elif wf.count(w0) == len(wf):
            mw = w0
        else:
            mw = tuple(wf)
        if fixedsize is None or fixedsize < 0:
            mv = tuple(v for v in vlist if v)
        elif fixedsize == 0:
            mv = None
        else:
            mv = b"".join(v for v in vlist if v)
        data = _dumps((deltas, mw, mv), PICKLE_PROTOCOL)
        comp = COMPRESSION if len(data) >= COMPRESS_MIN else 0
        if comp:
            data = zlib.compress(data, comp)
        info = _dumps((len(ids), ids[-1], maxw, comp, length_to_byte(minlen),
                       length_to_byte(maxlen)), PICKLE_PROTOCOL)
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
        if maxlen > t_maxlen:
            t_maxlen = maxlen
        t_maxw = max(t_maxw, maxw)
    # W3TermInfo.to_bytes, not inlined (W3Codec's inlinelimit=1 never inlines)
    ti = _pack_ti(False, total, n, 0 if t_minlen is None else length_to_byte(t_minlen),
                  length_to_byte(t_maxlen), t_maxw, docs[0], docs[n - 1])
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


def split_blocks(data: bytes, base: int) -> list[bytes]:
    """A W3 posting list's blocks (each block's info and data, without its length word),
    with every document number raised by `base`: for merging segments without decoding
    their postings. Each block's ids start from 0 (W3 codes them as deltas from 0), so
    only the first delta and the block's max id change; lengths and weights do not."""
    if data[:4] != WHOOSH3_HEADER_MAGIC:
        raise ValueError("not a W3 posting list")
    import io

    blocks = []
    pos = 4
    last = False
    while not last:
        (size,) = struct.unpack_from("!i", data, pos)
        pos += 4
        if size < 0:
            last, size = True, -size
        block = data[pos:pos + size]
        pos += size
        if base:
            stream = io.BytesIO(block)
            count, maxid, maxw, comp, minb, maxb = pickle.load(stream)
            raw = block[stream.tell():]
            deltas, mw, mv = pickle.loads(zlib.decompress(raw) if comp else raw)
            deltas = (deltas[0] + base, *deltas[1:])
            raw = _dumps((deltas, mw, mv), PICKLE_PROTOCOL)
            if comp:
                raw = zlib.compress(raw, COMPRESSION)
            block = _dumps((count, maxid + base, maxw, comp, minb, maxb),
                           PICKLE_PROTOCOL) + raw
        blocks.append(block)
    return blocks


def term_stats(value: bytes) -> tuple:
    """(weight, doc freq, min length byte, max length byte, max weight, min id, max id,
    posting offset, posting length) of a W3 term-table value (not inlined)."""
    if len(value) != _TI_STRUCT.size + 12:
        raise ValueError("an inlined or unknown term info")
    flags, *stats = _TI_STRUCT.unpack_from(value)
    if flags:
        raise ValueError("an inlined term info")
    return (*stats, *struct.unpack_from("!qi", value, _TI_STRUCT.size))


def add_stats(a: list | None, b: tuple, base: int) -> list:
    """Term stats of two posting lists joined (`b`'s ids raised by `base`), as
    W3TermInfo.add_block would have summed them over all the blocks."""
    weight, df, minb, maxb, maxw, minid, maxid = b[:7]
    if a is None:
        return [weight, df, minb, maxb, maxw, minid + base, maxid + base]
    return [a[0] + weight, a[1] + df,
            min(x for x in (a[2], minb) if x) if (a[2] or minb) else 0,
            max(a[3], maxb), max(a[4], maxw), a[5], maxid + base]


def join_blocks(stats: list, blocks: list[bytes]) -> tuple[bytes, bytes]:
    """A posting list from copied blocks (split_blocks) and its term info record."""
    out = [WHOOSH3_HEADER_MAGIC]
    last = len(blocks) - 1
    for i, block in enumerate(blocks):
        out.append(_pack_int(-len(block) if i == last else len(block)))
        out.append(block)
    return b"".join(out), _pack_ti(False, *stats)


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
    final = [s for s in final if s.doc_count_all()]  # a merge of deleted documents
    # A fully deleted segment stays, as with Whoosh's own commit(merge=False): its
    # lengths still count in BM25's average until a merge drops it (whoosh_merge).
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


# -- what ingest and the engine call -------------------------------------------------------

# The errors one record can raise while it is written (as WhooshWriter.add raised them for
# that record): ingest skips such a record with a warning, never the run.
RECORD_ERRORS = (UnicodeError, ValueError, TypeError)


def write_articles(index_dir: str | os.PathLike, articles: Sequence) -> StagedSegment | None:
    """Worker side: write `articles` (newsgrep Articles, prepared by prepare_article in
    this process) as one staged segment, then drop their postings and prepared fields so
    that sending them back to the parent costs little (it needs only their warnings).

    A record that cannot be written (RECORD_ERRORS) is left out: its `warnings` become
    the one line saying so, as ingest reported it when Whoosh's writer refused it."""
    from .whoosh_store import prepare_article

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
        from .whoosh_store import prepare_article

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
                    self.storage = _staging_storage(self.index_dir, secrets.token_hex(8))
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

    `merger` (whoosh_merge.Merger, set by an index run): merges run in the background and
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
        from .whoosh_store import prepare_article

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
            from .whoosh_merge import merge_step

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
