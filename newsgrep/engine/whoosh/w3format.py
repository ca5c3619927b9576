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
import operator
import pickle
import struct
import zlib
from array import array
from collections.abc import Sequence
from itertools import chain

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.columns import PickleColumn
from whoosh.filedb.filetables import HashWriter, OrderedHashWriter
from whoosh.util.numeric import length_to_byte

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


# Stored-field dicts: protocol 4 spells each short string (every field name, most
# values) with a 1-byte length instead of 4 and memoizes with 1 byte instead of 2: 62
# bytes less per article on the bench corpus (2 % of the stored fields); Whoosh reads
# them with pickle.loads (Python >= 3.4 reads any protocol up to 4).
STORED_PROTOCOL = 4


class PickleWriter(PickleColumn.Writer):
    """whoosh.columns.PickleColumn's writer with STORED_PROTOCOL instead of 2."""

    def add(self, docnum, v):
        self._child.add(docnum, b"" if v is None else _dumps(v, STORED_PROTOCOL))


class TermTable(OrderedHashWriter):
    """OrderedHashWriter's file, written from whole lists: the entries in one write each
    add_sorted() (Whoosh's add() goes through two file-object layers and tell() per
    term), the hash tables and the key index packed with numpy at close (Whoosh writes
    each slot with its own call). Slots are placed in the same order as Whoosh's linear
    probing, so with TERM_SLOTS = 2 the bytes are Whoosh's; fewer slots are read the same
    way (HashReader takes each table's size from the directory and stops its probe at an
    empty slot or after a whole table)."""

    def __init__(self, dbfile, hashtype: int):
        HashWriter.__init__(self, dbfile, hashtype=hashtype)
        self.lastkey = b""
        self._pos: list[np.ndarray] = []  # each entry's file position
        self._hash: list[np.ndarray] = []  # each key's hash

    def add_sorted(self, entries: list[tuple[bytes, bytes]]) -> None:
        if not entries:
            return
        keys = [k for k, _ in entries]
        values = [v for _, v in entries]
        if keys[0] <= self.lastkey or any(map(operator.ge, keys, keys[1:])):
            raise ValueError(f"keys must increase after {self.lastkey!r}")
        self.lastkey = keys[-1]
        n = len(keys)
        klen = np.fromiter(map(len, keys), np.int64, n)
        vlen = np.fromiter(map(len, values), np.int64, n)
        sizes = klen + vlen + 8
        self._pos.append(self.dbfile.tell() + np.cumsum(sizes) - sizes)
        heads = list(map(_lengths, klen.tolist(), vlen.tolist()))
        self.dbfile.write(b"".join(chain.from_iterable(zip(heads, keys, values,
                                                           strict=True))))
        hashfn = zlib.crc32 if self.hashtype == 1 else self.hashfn  # crc_hash, C-fast
        self._hash.append(np.fromiter(map(hashfn, keys), np.uint32, n).astype(np.int64))

    def _write_hashes(self) -> None:
        pos = np.concatenate(self._pos) if self._pos else np.zeros(0, np.int64)
        hashes = np.concatenate(self._hash) if self._hash else np.zeros(0, np.int64)
        bucket = hashes & 255
        order = np.argsort(bucket, kind="stable")  # each bucket's entries in key order
        counts = np.bincount(bucket, minlength=256).tolist()
        dbfile = self.dbfile
        table_pos = dbfile.tell()
        first = 0
        tables = []
        for n in counts:
            sel = order[first:first + n]
            first += n
            numslots = 2 * n if TERM_SLOTS >= 2 or not n else max(n + 1,
                                                                    int(n * TERM_SLOTS))
            self.directory.append((table_pos, numslots))
            table_pos += numslots * _POINTER_SIZE
            if not n:
                continue
            hs, ps = hashes[sel], pos[sel]
            home = ((hs >> 8) % numslots).tolist()
            taken: list[int] = [-1] * numslots
            for i, slot in enumerate(home):  # HashWriter._write_hashes' probing
                while taken[slot] >= 0:
                    slot = slot + 1 if slot + 1 < numslots else 0
                taken[slot] = i
            at = np.array(taken, dtype=np.int64)
            table = np.zeros(numslots, dtype=_POINTER)
            full = at >= 0
            table["hash"][full] = hs[at[full]]
            table["pos"][full] = ps[at[full]]
            tables.append(table.tobytes())
        dbfile.write(b"".join(tables))
        self._index = pos

    def _write_extras(self) -> None:
        # OrderedHashWriter's key index: GrowableArray's type for the largest position.
        pos = self._index
        top = int(pos.max()) if len(pos) else 0
        code = "H" if top < 2**16 else "i" if top < 2**31 else "I" if top < 2**32 else "q"
        self.extras["indextype"] = code
        self.extras["indexlen"] = len(pos)
        HashWriter._write_extras(self)
        self.dbfile.write(pos.astype(">" + {"H": "u2", "i": "i4", "I": "u4",
                                            "q": "i8"}[code]).tobytes())


_POINTER = np.dtype([("hash", ">u4"), ("pos", ">i8")])  # filetables' "!Iq" slot
_POINTER_SIZE = _POINTER.itemsize
# Hash slots per term-table entry. Whoosh writes 2 (24 bytes a term); 1.25 saves 9 bytes
# a term for a few more 12-byte slot reads on a lookup (linear probing at 80 % load:
# ~3 for a term present, ~13 for one absent, against 2 and 5 at 1.5; a query looks up a
# handful of terms per segment). 2 = Whoosh's bytes.
TERM_SLOTS = 1.25


_TI_STRUCT = W3TermInfo._struct  # flags, weight, doc freq, min/max length, max weight, ids
_pack_ti = _TI_STRUCT.pack
pack_extent = struct.Struct("!qi").pack  # W3TermInfo.to_bytes: pack_long + pack_int


def encode_postings(docs: Sequence[int], weights: Sequence[float], values: Sequence[bytes],
                    lbytes: bytes | None, fixedsize: int | None
                    ) -> tuple[bytes, bytes]:
    """One term's posting list as W3PostingsWriter writes it (magic, then blocks of
    BLOCK_LIMIT postings: int length, negative for the last; pickled block info; zlib'd
    pickled ids/weights/values), and the start of its term info record (W3TermInfo.
    to_bytes without the extent). `lbytes`: length_bytes() of the field."""
    out = [WHOOSH3_HEADER_MAGIC]
    n = len(docs)
    total = 0.0
    t_minb = 0
    t_maxb = 0
    t_maxw = 0.0
    for start in range(0, n, BLOCK_LIMIT):
        stop = min(n, start + BLOCK_LIMIT)
        if n == 1:
            ids, wlist, vlist = docs, weights, values
        else:
            ids, wlist, vlist = docs[start:stop], weights[start:stop], values[start:stop]
        wf = array("f", wlist)
        maxw = 0.0
        top = max(wlist)
        if top > maxw:
            maxw = top
        minb = maxb = 0
        if lbytes is not None:
            # Length bytes order as the lengths do, and only a length of 0 has byte 0.
            bl = bytes(map(lbytes.__getitem__, ids)).replace(b"\0", b"")
            if bl:
                minb, maxb = min(bl), max(bl)
        block = _block(ids, wf, vlist, maxw, minb, maxb, fixedsize)
        out.append(_pack_int(-len(block) if stop == n else len(block)))
        out.append(block)
        # W3TermInfo.add_block
        total += sum(wf)
        if minb and (not t_minb or minb < t_minb):
            t_minb = minb
        if maxb > t_maxb:
            t_maxb = maxb
        t_maxw = max(t_maxw, maxw)
    # W3TermInfo.to_bytes, not inlined
    ti = _pack_ti(False, total, n, t_minb, t_maxb, t_maxw, docs[0], docs[n - 1])
    return b"".join(out), ti


def _block(ids: Sequence[int], wf: array, vlist: Sequence[bytes], maxw: float, minb: int,
           maxb: int, fixedsize: int | None) -> bytes:
    """One W3 posting block (pickled block info, then the pickled ids, weights and values,
    zlib'd unless short), minified as W3PostingsWriter._mini_ids/_mini_weights/
    _mini_values do. `wf`: the weights as float32 (array "f"); minb/maxb: length bytes."""
    deltas: tuple[int, ...]
    if len(ids) == 1:
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
    return _dumps((len(ids), ids[-1], maxw, comp, minb, maxb), PICKLE_PROTOCOL) + data


# -- Inlined posting lists ------------------------------------------------------------
# Whoosh's W3 term info can hold a short posting list itself (flags 1, then the pickled
# tuple (ids, weights, values)); W3Codec.postings_reader serves it through a ListMatcher.
# Most of a news vocabulary is in one document (70 % of the terms of a batch), and such a
# list cost ~55 bytes more as a block in the postings file (magic, length, block info,
# the 12-byte extent) than in the term table, and a zlib/pickle round per term to write.
# Whoosh's own writer would inline below W3Codec(inlinelimit=...), but its
# finish_postings calls a misspelt method (set_inline), so only readers know the form.
# Lists of up to INLINE_LIMIT postings are inlined; 0 = never (Whoosh's default).
INLINE_LIMIT = 4

# The inlined tuple is pickled by hand (protocol 3's opcodes without its PROTO header,
# which pickle.loads does not need, and no memo opcodes, which pickle.dumps adds after
# every tuple): the same objects for pickle.loads, ~12 bytes shorter.
_TUPLE_N = {0: b")", 1: b"\x85", 2: b"\x86", 3: b"\x87"}
_pack_double = struct.Struct(">d").pack


def _p_int(i: int) -> bytes:
    if i < 256:
        return b"K" + bytes((i,))
    if i < 65536:
        return b"M" + i.to_bytes(2, "little")
    return b"J" + i.to_bytes(4, "little", signed=True)


def _p_bytes(b: bytes) -> bytes:
    n = len(b)
    return (b"C" + bytes((n,)) if n < 256 else b"B" + n.to_bytes(4, "little")) + b


def _p_tuple(items: list[bytes]) -> bytes:
    n = len(items)
    if n <= 3:
        return b"".join(items) + _TUPLE_N[n]
    return b"(" + b"".join(items) + b"t"


def length_bytes(lens: Sequence[int] | None) -> bytes | None:
    """The one-byte form (length_to_byte) of each document's stored field length, for
    encode_inline; None for a field without lengths."""
    return None if lens is None else bytes(map(length_to_byte, lens))


_P_ID1 = [b"K" + bytes((i,)) + b"\x85" for i in range(256)]  # (id,)
_f32 = struct.Struct("f")
# A one-posting list's weight -> (its pickle as encode_inline writes it, its max weight):
# a batch has few distinct weights (frequency times boost), so each is worked out once.
_W1: dict[float, tuple[bytes, float]] = {}


def _one_weight(w: float) -> tuple[bytes, float]:
    w32 = _f32.unpack(_f32.pack(w))[0]
    out = (b"N" if w32 == 1.0 else b"G" + _pack_double(w32) + b"\x85",
           w if w > 0.0 else 0.0)
    if w > 0.0 and len(_W1) < 4096:  # not 0.0 == -0.0 (their pickles differ)
        _W1[w] = out
    return out


def encode_inline(docs: Sequence[int], weights: Sequence[float], values: Sequence[bytes],
                  lbytes: bytes | None, fixedsize: int | None) -> bytes:
    """A short posting list as a whole inlined term-table value: the term info (flags 1,
    the statistics W3TermInfo.add_block sums) and the pickled (ids, weights, values) that
    W3TermInfo.from_bytes loads. Read back exactly as its block would be: weights as
    float32 (None when all 1.0: ListMatcher's documented default), values as the block
    gives them ((None, ...) for a format without values). `lbytes`: length_bytes()."""
    n = len(docs)
    if n == 1:  # most terms: no lists, no loops
        d = docs[0]
        w = weights[0]
        wp = _W1.get(w)
        if wp is None:
            wp = _one_weight(w)
        b = lbytes[d] if lbytes is not None else 0
        if fixedsize == 0:
            tail = b"N\x85\x87."
        else:
            v = values[0]
            if not v:
                tail = b")\x87."
            elif len(v) < 256:
                tail = b"C%c%b\x85\x87." % (len(v), v)
            else:
                tail = _p_bytes(v) + b"\x85\x87."
        # "f" packs w as its float32 (w32) would be packed.
        return b"".join((_pack_ti(True, w, 1, b, b, wp[1], d, d),
                         _P_ID1[d] if d < 256 else _p_int(d) + b"\x85", wp[0], tail))
    wf = array("f", weights)
    minb = maxb = 0
    if lbytes is not None:
        bl = [x for x in map(lbytes.__getitem__, docs) if x]
        if bl:
            minb, maxb = min(bl), max(bl)
    ti = _pack_ti(True, sum(wf), n, minb, maxb, max(0.0, max(weights)), docs[0],
                  docs[n - 1])
    if wf.count(1.0) == n:
        pw = b"N"
    else:
        pw = _p_tuple([b"G" + _pack_double(w) for w in wf])
    if fixedsize == 0:
        pv = _p_tuple([b"N"] * n)
    else:
        pv = _p_tuple([_p_bytes(v) for v in values if v])
    return b"".join((ti, _p_tuple(list(map(_p_int, docs))), pw, pv,
                     b"\x87."))


def read_terminfo(value: bytes) -> tuple[tuple, tuple | None]:
    """(statistics, inlined) of a W3 term-table value. statistics: weight, doc freq, min
    and max length bytes, max weight, min id, max id, and (not inlined) the posting
    list's offset and length; inlined: the (ids, weights, values) tuple, or None."""
    flags, *stats = _TI_STRUCT.unpack_from(value)
    if flags:
        return tuple(stats), pickle.loads(value[_TI_STRUCT.size:])
    if len(value) != _TI_STRUCT.size + 12:
        raise ValueError("an unknown term info")
    return (*stats, *struct.unpack_from("!qi", value, _TI_STRUCT.size)), None


def decode_inline(inlined: tuple, fixedsize: int | None
                  ) -> tuple[list[int], list[float], list[bytes]]:
    """An inlined posting list as decode_postings returns a stored one."""
    ids, weights, values = inlined
    n = len(ids)
    return (list(ids), [1.0] * n if weights is None else list(weights),
            [b""] * n if fixedsize == 0 else list(values))


def inline_block(ids: Sequence[int], weights: Sequence[float], values: Sequence[bytes],
                 minb: int, maxb: int, fixedsize: int | None) -> bytes:
    """A decoded inlined list (at most BLOCK_LIMIT postings) as one posting block, for
    joining with copied blocks (split_blocks) in a merge. minb/maxb: the list's length
    bytes from its term info (one block: the same)."""
    return _block(ids, array("f", weights), values, max(weights), minb, maxb, fixedsize)


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
