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

import os
import secrets
import shutil
from array import array
from collections.abc import Mapping
from itertools import repeat

import numpy as np
from whoosh.codec.whoosh3 import W3Codec, W3PerDocWriter, W3Segment
from whoosh.filedb.filestore import FileStorage
from whoosh.system import pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte

from . import w3format
from .fastformat import Analyzed, FastPositions
from .schema import INDEX_NAME
from .w3format import PickleWriter, TermTable, encode_postings, join_blocks, pack_extent


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
        if w3format.PICKLE_PROTOCOL != 2:
            # Stored fields: Whoosh pickles each document's dict with protocol 2, where
            # bytes (the zlib'd body) become latin-1 text, ~1.5x as long. Its reader
            # unpickles any protocol.
            cw = self.perdoc._colwriters["_stored"]
            self.perdoc._colwriters["_stored"] = PickleWriter(cw._child)
        self.docnum = 0
        # fieldname -> term bytes -> [docnums, weights, values]: fields Whoosh analyses
        self.terms: dict[str, dict[bytes, list]] = {}
        # fieldname -> (field boost multiplier) -> flat postings of Analyzed values
        self.flat: dict[tuple[str, float], _FlatPostings] = {}
        # fieldname -> length per docnum, as stored (one byte); only fields with lengths
        self.lengths: dict[str, list[int]] = {}
        # fieldname -> term bytes -> [term stats, encoded blocks]: posting lists copied
        # block by block from other segments by a merge (merge.py), never decoded
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
        tindex = TermTable(tfile, w3format.HASH_TYPE)
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
                add((prefix + tbytes, ti + pack_extent(offset, len(data))))
                offset += len(data)
        tindex.add_sorted(entries)
        tindex.close()
        pfile.close()
        # W3PerDocWriter builds its column files in a temp folder of the storage.
        shutil.rmtree(os.path.join(storage.folder, f"{segment.indexname}.tmp"),
                      ignore_errors=True)
        return segment


def _merge_parts(a: tuple, b: tuple) -> tuple:
    rows = sorted(list(zip(*a, strict=True)) + list(zip(*b, strict=True)),
                  key=lambda r: r[0])
    d, w, v = zip(*rows, strict=True)
    return list(d), list(w), list(v)
