"""Whoosh's W3 file encodings as the bulk writer writes them: posting lists block by
block (as W3PostingsWriter), term info records, the term table, stored fields; and their
inverses for merging.

Three encoding choices differ from Whoosh's writer and are all read by Whoosh's readers:
pickle protocol 3 (PICKLE_PROTOCOL), no zlib for tiny blocks (COMPRESS_MIN) and crc32
term hashes (HASH_TYPE); set back to Whoosh's values, the files are byte for byte
Whoosh's (tests/test_bulk_segment.py checks both that and, with the defaults, everything
the readers return, scores and snippets).
"""

from __future__ import annotations

import io
import pickle
import struct
import zlib
from array import array
from collections.abc import Sequence

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.columns import PickleColumn
from whoosh.filedb.filetables import HashWriter, OrderedHashWriter
from whoosh.util.numeric import length_to_byte
from whoosh.util.numlists import GrowableArray

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


_lengths = struct.Struct("!ii").pack  # filetables' key/value length header


class PickleWriter(PickleColumn.Writer):
    """whoosh.columns.PickleColumn's writer with PICKLE_PROTOCOL instead of 2."""

    def add(self, docnum, v):
        self._child.add(docnum, b"" if v is None else _dumps(v, PICKLE_PROTOCOL))


class TermTable(OrderedHashWriter):
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


_TI_STRUCT = W3TermInfo._struct  # flags, weight, doc freq, min/max length, max weight, ids
_pack_ti = _TI_STRUCT.pack
pack_extent = struct.Struct("!qi").pack  # W3TermInfo.to_bytes: pack_long + pack_int


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
