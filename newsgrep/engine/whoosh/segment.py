"""Bulk segment building: a batch of prepared articles -> one Whoosh W3 segment, in memory.

Why hand-written: Whoosh's own SegmentWriter files every posting as a tuple into an
external-sort pool (each tuple pickled to a temp run file, read back and heap-merged) and
then pushes them one at a time through W3PostingsWriter.add_posting; together that was
60 % of newsgrep's indexing CPU (issue #13). No library writes Whoosh's format faster, so
this module inverts a batch with dicts and arrays (the postings were already computed by
`fastformat.analyzed()` in the parsing workers), sorts each field's terms once and encodes
every posting list block by block as W3PostingsWriter does (w3format.py). Everything else
is Whoosh's own code: W3PerDocWriter for stored fields, field lengths and columns,
OrderedHashWriter's layout for the term table.
"""

from __future__ import annotations

import heapq
import operator
import os
import secrets
import shutil
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import partial
from itertools import compress, count, repeat
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import W3Codec, W3PerDocWriter, W3Segment
from whoosh.filedb.filestore import FileStorage
from whoosh.system import pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte

from . import w3format
from .fastformat import Analyzed, FastPositions
from .schema import INDEX_NAME, ExactFrequency, ExactText
from .w3format import (
    PickleWriter,
    TermTable,
    encode_inline,
    encode_postings,
    join_blocks,
    length_bytes,
    pack_extent,
)


def _lossy(length: int) -> int:
    # The length a reader gets back: W3 stores field lengths as one byte.
    return byte_to_length(length_to_byte(length)) if length else 0


class _FlatPostings:
    """One field's postings (for one field boost) as parallel flat arrays, filled one
    document at a time and inverted once in finish(). Terms are numbered as they first
    come (`ids`), so a posting costs 8-16 bytes of array (plus its value, if the format
    has one) instead of a Python object per term and per posting: a worker's 2,500
    articles took ~110 KB each in lists and per-term dicts (issue #13, peak RSS)."""

    __slots__ = ("ids", "tids", "docs", "freqs", "weights", "values")

    def __init__(self, analyzed: bool, values: bool) -> None:
        # term (str word for Analyzed values, term bytes otherwise) -> term number
        self.ids: dict = {}
        self.tids = array("I")
        self.docs = array("I")
        # Analyzed values: the weight is computed from the frequency in finish();
        # otherwise the format's weight (times the field boost) is kept as it came.
        self.freqs: array | None = array("I") if analyzed else None
        self.weights: array | None = None if analyzed else array("d")
        self.values: list[bytes] | None = [] if values else None


# Postings turned into Python lists at a time in finish(): bounds that step's memory.
_CHUNK = 1 << 16
# Term table entries written at a time.
_ENTRIES = 1 << 15


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
        if w3format.PICKLE_PROTOCOL != 2:
            # Stored fields: Whoosh pickles each document's dict with protocol 2, where
            # bytes (the zlib'd body) become latin-1 text, ~1.5x as long. Its reader
            # unpickles any protocol.
            cw = self.perdoc._colwriters["_stored"]
            self.perdoc._colwriters["_stored"] = PickleWriter(cw._child)
        self.docnum = 0
        # (fieldname, field boost multiplier, Analyzed values?) -> flat postings
        self.flat: dict[tuple[str, float, bool], _FlatPostings] = {}
        # fieldname -> length per docnum, as stored (one byte); only fields with lengths
        self.lengths: dict[str, list[int]] = {}
        self._fields = {name: schema[name] for name in schema.names()}

    # -- adding ----------------------------------------------------------------------
    def _flat_postings(self, fieldname: str, fboost: float, analyzed: bool
                       ) -> _FlatPostings:
        key = (fieldname, fboost, analyzed)
        fp = self.flat.get(key)
        if fp is None:
            # A format without values (fixed size 0: the exact field's) keeps none.
            keep = self._fields[fieldname].format.fixed_value_size() != 0
            fp = self.flat[key] = _FlatPostings(analyzed, keep)
        return fp

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
                        fp = self._flat_postings(fieldname, fboost, True)
                        fp.tids.extend(_numbers(fp.ids, words))
                        fp.freqs.extend(freqs)  # type: ignore[union-attr]
                        fp.values += values  # type: ignore[operator]
                        fp.docs.extend(repeat(docnum, len(words)))
                        if fobj.scorable:
                            length = sum(freqs)
                elif type(fobj.format) is ExactFrequency and isinstance(value, ExactText):
                    # Words already counted in the parsing worker: the same postings as
                    # fobj.index(value) (weight = count * field boost, no value), filed
                    # as counts like the Analyzed fields' instead of one at a time.
                    counts = value.counts
                    if counts:
                        fp = self._flat_postings(fieldname, fboost, True)
                        fp.tids.extend(_numbers(fp.ids, list(counts)))
                        cfreqs = list(counts.values())
                        fp.freqs.extend(cfreqs)  # type: ignore[union-attr]
                        fp.docs.extend(repeat(docnum, len(cfreqs)))
                        if fobj.scorable:
                            length = sum(cfreqs)
                else:
                    scorable = fobj.scorable
                    fp = self._flat_postings(fieldname, fboost, False)
                    ids = fp.ids
                    number = ids.setdefault
                    tids, docs, weights, vals = fp.tids, fp.docs, fp.weights, fp.values
                    assert weights is not None
                    for tbytes, freq, weight, vbytes in fobj.index(value):
                        if scorable:
                            length += freq
                        tids.append(number(tbytes, len(ids)))
                        docs.append(docnum)
                        weights.append(weight * fboost)
                        if vals is not None:
                            vals.append(vbytes)
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
    def _sorted_postings(self, fieldname: str, fboost: float, fp: _FlatPostings
                         ) -> Iterator[tuple[bytes, list, list, list]]:
        """(term bytes, docnums, weights, values) of one flat part, terms ascending and
        docnums ascending, turned into Python lists _CHUNK postings at a time."""
        keys = list(fp.ids)
        if keys and isinstance(keys[0], str):
            keys = [k.encode("utf-8") for k in keys]
        nterms = len(keys)
        if not nterms:
            return
        # Rank of each term number in byte order, then one stable argsort groups each
        # term's postings in that order, docnums ascending (they were added ascending).
        rank = np.empty(nterms, dtype=np.int64)
        rank[sorted(range(nterms), key=keys.__getitem__)] = np.arange(nterms)
        keys.sort()
        ranks = rank[np.frombuffer(fp.tids, dtype=np.uint32)]
        del rank
        order = np.argsort(ranks, kind="stable")
        ends = np.cumsum(np.bincount(ranks, minlength=nterms))
        del ranks
        docs = np.frombuffer(fp.docs, dtype=np.uint32)[order]
        if fp.freqs is not None:
            # W3 weights are Python floats of (freq * format boost) * field boost.
            fb = self._fields[fieldname].format.field_boost
            weights = (np.frombuffer(fp.freqs, dtype=np.uint32)[order].astype(np.float64)
                       * fb) * fboost
        else:
            weights = np.frombuffer(fp.weights, dtype=np.float64)[order]  # type: ignore[arg-type]
        vals = fp.values
        term, start = 0, 0
        while term < nterms:
            last = max(term + 1, int(np.searchsorted(ends, start + _CHUNK, side="right")))
            stop = int(ends[last - 1])
            dl = docs[start:stop].tolist()
            wl = weights[start:stop].tolist()
            vl = ([vals[i] for i in order[start:stop].tolist()] if vals is not None
                  else [b""] * (stop - start))
            lo = 0
            for t in range(term, last):
                hi = int(ends[t]) - start
                yield keys[t], dl[lo:hi], wl[lo:hi], vl[lo:hi]
                lo = hi
            term, start = last, stop

    def _field_terms(self, fieldname: str) -> Iterator[tuple[bytes, tuple, bool]]:
        """(term bytes, (docnums, weights, values), False) for one field's own postings,
        terms ascending (False: not a copied list, see finish())."""
        parts = [(fboost, fp) for (f, fboost, _), fp in self.flat.items()
                 if f == fieldname]
        if len(parts) == 1:  # every batch an index run writes
            for key, d, w, v in self._sorted_postings(fieldname, *parts[0]):
                yield key, (d, w, v), False
            return
        out: dict[bytes, tuple] = {}
        for fboost, fp in parts:  # the same field with another boost or kind: rare
            for key, d, w, v in self._sorted_postings(fieldname, fboost, fp):
                out[key] = _merge_parts(out[key], (d, w, v)) if key in out else (d, w, v)
        for key in sorted(out):
            yield key, out.pop(key), False

    # -- writing ---------------------------------------------------------------------
    def finish(self, copied: Iterable[tuple[str, bytes, Any, bool]] = ()) -> W3Segment:
        """Write the postings and term table, close the per-document files. `copied`:
        more posting lists from other segments (a merge's), ascending by (fieldname,
        term), read as they are written: (fieldname, term bytes, [term stats, blocks],
        True) for lists copied block by block, (..., (docnums, weights, values), False)
        for decoded ones."""
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
        tindex = TermTable(tfile, w3format.HASH_TYPE)
        entries: list[tuple[bytes, bytes]] = []
        fieldmap: dict[str, int] = {}
        tindex.extras["fieldmap"] = fieldmap
        pfile = segment.create_file(storage, W3Codec.POSTS_EXT)
        offset = 0
        doccount = self.docnum
        inline_limit = w3format.INLINE_LIMIT
        stream = _Peekable(iter(copied))
        own = sorted({k[0] for k in self.flat}, reverse=True)
        while own or stream.head is not None:
            if stream.head is not None and (not own or stream.head[0] < own[-1]):
                fieldname = stream.head[0]
            else:
                fieldname = own.pop()
            prefix = b""
            fixedsize = self._fields[fieldname].format.fixed_value_size()
            lens = self.lengths.get(fieldname)
            if lens is not None and len(lens) < doccount:
                lens.extend([0] * (doccount - len(lens)))
            lbytes = length_bytes(lens)
            add = entries.append
            terms: Iterator[tuple[bytes, Any, bool]]
            if stream.head is not None and stream.head[0] == fieldname:  # a merge's
                terms = stream.field(fieldname)
                if any(k[0] == fieldname for k in self.flat):  # and our own: rare
                    terms = _interleave(self._field_terms(fieldname), terms)
            else:
                terms = self._field_terms(fieldname)
            for tbytes, posting, is_copy in terms:
                if len(entries) >= _ENTRIES:
                    tindex.add_sorted(entries)
                    entries.clear()
                if not prefix:  # the field's number, once it has a term
                    fieldmap[fieldname] = len(fieldmap)
                    prefix = pack_ushort(fieldmap[fieldname])
                if is_copy:
                    data, ti = join_blocks(*posting)
                else:
                    docs, weights, values = posting
                    if len(docs) <= inline_limit:
                        add((prefix + tbytes,
                             encode_inline(docs, weights, values, lbytes, fixedsize)))
                        continue
                    data, ti = encode_postings(docs, weights, values, lbytes, fixedsize)
                pfile.write(data)
                add((prefix + tbytes, ti + pack_extent(offset, len(data))))
                offset += len(data)
            # Each field's postings are written: let its arrays go before the next one's.
            for key in [k for k in self.flat if k[0] == fieldname]:
                del self.flat[key]
        tindex.add_sorted(entries)
        tindex.close()
        pfile.close()
        # W3PerDocWriter builds its column files in a temp folder of the storage.
        shutil.rmtree(os.path.join(storage.folder, f"{segment.indexname}.tmp"),
                      ignore_errors=True)
        return segment


def _numbers(ids: dict, words: Sequence) -> list[int]:
    """The term numbers of one document's (distinct) words, numbering new ones as they
    come: one C-level lookup pass, as most of a document's words are known already."""
    out = list(map(ids.get, words))
    if None in out:
        # The new words numbered in one C-level update (a Python loop over a document's
        # words was a third of add_document), then looked up again.
        ids.update(zip(compress(words, map(_is_none, out)), count(len(ids))))
        out = list(map(ids.__getitem__, words))
    return out  # type: ignore[return-value]  # no Nones left


_is_none = partial(operator.is_, None)


def _merge_parts(a: tuple, b: tuple) -> tuple:
    rows = sorted(list(zip(*a, strict=True)) + list(zip(*b, strict=True)),
                  key=lambda r: r[0])
    d, w, v = zip(*rows, strict=True)
    return list(d), list(w), list(v)


class _Peekable:
    """A merge's copied posting lists, ascending by (fieldname, term): one field's at a
    time (`field`)."""

    def __init__(self, it: Iterator[tuple[str, bytes, Any, bool]]):
        self._it = it
        self.head = next(it, None)

    def field(self, fieldname: str) -> Iterator[tuple[bytes, Any, bool]]:
        while self.head is not None and self.head[0] == fieldname:
            _, tbytes, posting, is_copy = self.head
            self.head = next(self._it, None)
            yield tbytes, posting, is_copy


def _interleave(a: Iterator[tuple[bytes, Any, bool]],
                b: Iterator[tuple[bytes, Any, bool]]) -> Iterator[tuple[bytes, Any, bool]]:
    """Two ascending term streams of one field as one; a term in both is an error."""
    last = None
    for row in heapq.merge(a, b, key=_first):
        if row[0] == last:
            raise ValueError("a term both copied and decoded")
        last = row[0]
        yield row


def _first(row: tuple) -> bytes:
    return row[0]
