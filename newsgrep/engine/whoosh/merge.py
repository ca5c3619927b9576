"""Tiered merging of an index's segments, with the bulk writer (segment.py, commit.py).

Why not Whoosh's own merge (MERGE_SMALL / optimize): it re-files every posting of the
merged segments through the external-sort pool, the slow path the bulk writer exists to
avoid; and its Fibonacci heuristic, run at every commit, left 4 unmerged segments after a
20k run whose duplicated term tables were a fifth of the index. Here a merge decodes each
source posting list block by block (`decode_postings`), renumbers the documents around
the deleted ones and writes one segment with the bulk writer; per-document data goes
through Whoosh's W3PerDocWriter as in Whoosh's own merge (same lossy lengths, so scores
after a merge are the scores Whoosh's optimize gives).

Policy: a segment's tier is how many times FANOUT its live document count exceeds
TIER_BASE. When a tier holds FANOUT segments (the batch-sized tier 0: BATCH_FANOUT),
they are merged into one, so an index of N documents keeps at most (FANOUT - 1) segments
per tier. During a run batch-sized segments wait for BATCH_FANOUT, and at its end
(`final`) for FANOUT: each segment repeats the common words' term entries (the three
batch segments a 20k run left beside a merged one were 17 % of the index), and one merge
of 8 rewrites each document once where a merge of 4-5 and then of the rest rewrote 1.6x
as many. With the defaults a fresh 10k-20k index (4-8 batches of 2.5k) is one segment;
below that (1-3 batches: a merge would cost ~25 % more CPU at 2k) they stay; 100k ends
as 2. Below TIER_BASE the tiers go down by FANOUT too, so that the small
segments of incremental runs merge among themselves and never pull batch-sized ones into
a merge. A segment with more than DELETED_SHARE of its documents deleted is rewritten
with its tier, and a fully deleted one is dropped.
"""

from __future__ import annotations

import heapq
import os
import secrets
import struct
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from whoosh.codec.whoosh3 import W3Codec
from whoosh.filedb.filestore import FileStorage

from . import w3format
from .commit import StagedSegment, commit_segments, discard, staging_storage
from .schema import INDEX_NAME, read_toc
from .segment import SegmentBuilder
from .w3format import (
    add_stats,
    decode_inline,
    decode_postings,
    inline_block,
    read_terminfo,
    split_blocks,
)

_lengths = struct.Struct("!ii")  # a term-table entry's key and value lengths
_ushort = struct.Struct("!H")  # a term key's field number

TIER_BASE = 3_000  # documents: a batch-sized segment is tier 0
FANOUT = 4
# Batch-sized segments wait for twice FANOUT: a merge of 4 and then the final merge of
# the rest rewrote up to 1.6x the documents that one merge of 8 (or fewer at the end)
# does, for the same one segment.
BATCH_FANOUT = 8
DELETED_SHARE = 0.3


# A term's parts with this many postings in all (at most a block) are decoded and
# written as one list by a merge; longer ones are copied block by block.
JOIN_LIMIT = w3format.BLOCK_LIMIT

SMALL_TIERS = 3  # tiers below TIER_BASE: a quarter of it, a sixteenth, and the rest


def tier(live_docs: int) -> int:
    t, size = 0, TIER_BASE
    if live_docs <= size:
        # A small run's segment (a few changed files) waits for segments of its own size:
        # counted in tier 0, it made the batch-sized segments a full run left there merge,
        # and a 300-file change at 20k rewrote 7,500 documents (16 % of the full ingest).
        while t > -SMALL_TIERS and live_docs <= size // FANOUT:
            size //= FANOUT
            t -= 1
        return t
    while live_docs > size:
        size *= FANOUT
        t += 1
    return t


def plan_merges(segments: Sequence, final: bool = False) -> list[list]:
    """Groups of segments to merge, each into one; [] when the index is settled.
    `final`: at the end of a run, when batch-sized segments (tier 0) merge at FANOUT
    as the other tiers do, not at BATCH_FANOUT."""
    tiers: dict[int, list] = {}
    groups: list[list] = []
    for seg in segments:
        live = seg.doc_count()
        if live == 0:
            groups.append([seg])  # fully deleted: "merging" it alone drops it
            continue
        tiers.setdefault(tier(live), []).append(seg)
    for t in sorted(tiers):
        segs = sorted(tiers[t], key=lambda s: s.doc_count())
        dirty = [s for s in segs if s.deleted_count() > DELETED_SHARE * s.doc_count_all()]
        if len(segs) >= (BATCH_FANOUT if t == 0 and not final else FANOUT):
            groups.append(segs)
        elif dirty and len(segs) > 1:
            groups.append(segs)
        elif dirty:
            groups.append(dirty)
    return groups


def merge_segments(index_dir: str | os.PathLike, segments: Sequence, schema=None,
                   indexname: str = INDEX_NAME) -> StagedSegment:
    """Write the live documents of `segments` (committed in `index_dir`) as one staged
    segment that replaces them when committed (commit_segments checks that they are
    unchanged). Callable in any process; reads only committed, immutable files."""
    index_dir = os.fspath(index_dir)
    storage = FileStorage(index_dir)
    schema = schema or read_toc(storage, indexname).schema
    staging = staging_storage(index_dir, secrets.token_hex(8))
    builder = SegmentBuilder(schema, staging, indexname)
    fields = {name: schema[name] for name in schema.names()}
    scorable = [f for f, fobj in fields.items() if fobj.scorable]
    sources = [(s.segment_id(), frozenset(s.deleted_docs())) for s in segments]
    copied: Iterator = iter(())
    try:
        if any(s.has_deletions() for s in segments):
            copied = _joined_decoded([_copy_segment(storage, seg, builder, fields,
                                                    scorable) for seg in segments])
        else:
            streams = []
            for seg in segments:
                base = builder.docnum
                streams.append((base, _copy_dense(storage, seg, builder, fields,
                                                  scorable)))
            # split_blocks already raised the document numbers; add_stats needs `base`.
            copied = _joined(streams, fields)
        builder.finish(copied)
    except BaseException:
        discard([StagedSegment(staging.folder, builder.segment)])
        raise
    return StagedSegment(staging.folder, builder.segment, sources)


def _copy_docs(storage, seg, builder: SegmentBuilder, fields: dict, scorable: list[str]
               ) -> None:
    """Per-document data of a segment without deletions: stored fields, lengths, columns."""
    pdr = seg.codec().per_document_reader(storage, seg)
    try:
        cols = {f: pdr.column_reader(f, fobj.column_type) for f, fobj in fields.items()
                if fobj.column_type and pdr.has_column(f)}
        for d in range(seg.doc_count_all()):
            lengths = {f: pdr.doc_field_length(d, f) or 0 for f in scorable}
            builder.add_raw_document(pdr.stored_fields(d), lengths,
                                     {f: c[d] for f, c in cols.items()})
    finally:
        pdr.close()


def _copy_dense(storage, seg, builder: SegmentBuilder, fields: dict, scorable: list[str]
                ) -> Iterator[tuple[str, bytes, tuple, bytes | tuple, int]]:
    """Append a segment without deletions: its per-document data now, and an iterator
    of its posting lists, (fieldname, term bytes, term stats, list, its first docnum here)
    in its term table's
    order, which finish() consumes. Lists longer than a block are copied block by block
    (split_blocks; only the document numbers move), never decoded and encoded again as
    _copy_segment does: a merge of a fresh index's segments costs about half as much this
    way; shorter ones are joined into one block (_join_parts). They are read one term at
    a time, so that a merge holds one posting list, not every source's postings file and
    term table (issue #13: peak RSS)."""
    base = builder.docnum
    _copy_docs(storage, seg, builder, fields, scorable)
    return _dense_terms(*_term_table(storage, seg), base, fields)


def _term_table(storage, seg) -> tuple[str, str, int, int, list]:
    """(term file, postings file, first and end byte of the term entries, field number ->
    name) of a segment, for reading its term table sequentially."""
    terms = seg.codec().terms_reader(storage, seg)
    try:
        start, end = terms._tindex.startofdata, terms._tindex.endofdata
        unmap = list(terms._fieldunmap)
    finally:
        terms.close()
    folder = storage.folder
    return (os.path.join(folder, seg.make_filename(W3Codec.TERMS_EXT)),
            os.path.join(folder, seg.make_filename(W3Codec.POSTS_EXT)), start, end, unmap)


def _term_entries(tf, start: int, end: int, unmap: list) -> Iterator[tuple[str, bytes, bytes]]:
    """(fieldname, key, value) of the term table's entries from byte `start` to `end`,
    read in order from the open file `tf`, _READ bytes at a time (three reads per entry
    were a tenth of a merge's CPU)."""
    unpack = _lengths.unpack_from
    ushort = _ushort.unpack_from
    tf.seek(start)
    buf = b""
    at = 0  # position in buf
    left = end - start  # bytes of the file still to read
    while True:
        avail = len(buf) - at
        need = 8
        if avail >= 8:
            klen, vlen = unpack(buf, at)
            need += klen + vlen
        if avail < need:
            if not left:
                if avail:
                    raise ValueError("a term table ends inside an entry")
                return
            more = tf.read(min(left, max(_READ, need)))
            if not more:
                raise ValueError("a term table ends inside an entry")
            left -= len(more)
            buf = buf[at:] + more
            at = 0
            continue
        k = at + 8
        v = k + klen
        at = v + vlen
        (fnum,) = ushort(buf, k)
        yield unmap[fnum], buf[k:v], buf[v:at]


_READ = 1 << 18


def _dense_terms(trm: str, pst: str, start: int, end: int, unmap: list, base: int,
                 fields: dict) -> Iterator[tuple[str, bytes, tuple, bytes | tuple, int]]:
    """(fieldname, term bytes, term stats, part, base) of a segment's terms; part: the
    stored posting list (bytes; _join_parts raises its ids by `base`), or an inlined list
    decoded (ids raised)."""
    with open(trm, "rb", buffering=1 << 20) as tf, open(pst, "rb") as pf:
        fd = pf.fileno()
        for fieldname, key, value in _term_entries(tf, start, end, unmap):
            fobj = fields.get(fieldname)
            if fobj is None:
                continue
            stats, inlined = read_terminfo(value)
            if inlined is not None:
                ids, weights, values = decode_inline(inlined,
                                                     fobj.format.fixed_value_size())
                yield (fieldname, key[2:], stats, ([i + base for i in ids], weights, values),
                       base)
                continue
            offset, length = stats[7], stats[8]
            # The list as stored: _join_parts splits it into blocks or decodes it.
            yield fieldname, key[2:], stats, os.pread(fd, length, offset), base


def _joined(streams: list[tuple[int, Iterator]], fields: dict
            ) -> Iterator[tuple[str, bytes, Any, bool]]:
    """A term's parts over the segments' streams (with each one's first docnum), terms
    ascending, in segment order: (fieldname, term bytes, [joined stats, blocks], True)
    to copy, or (..., (ids, weights, values), False) for a list short enough to inline
    (finish() does) or one with an inlined part turned into a block here."""
    cur: list | None = None
    for f, t, stats, part, base in heapq.merge(*(it for _, it in streams), key=_term_key):
        if cur is not None and cur[0] == f and cur[1] == t:
            cur[2] = add_stats(cur[2], stats, base)
            cur[3].append((stats, part, base))
            continue
        if cur is not None:
            yield _join_parts(cur, fields)
        cur = [f, t, add_stats(None, stats, base), [(stats, part, base)]]
    if cur is not None:
        yield _join_parts(cur, fields)


def _join_parts(cur: list, fields: dict) -> tuple[str, bytes, Any, bool]:
    """One term's parts (stats, inlined list with ids raised or stored posting list,
    base) joined: decoded when they fit one block, so that finish() inlines or encodes
    them as one list; else copied block by block. Copying the parts of a short list
    kept a block per source segment (block info, length word, zlib stream each): merged
    from 8 batch segments, the 20k index's postings were 22 % larger than written
    whole."""
    f, t, stats, parts = cur
    fixedsize = fields[f].format.fixed_value_size()
    if len(parts) == 1:
        pstats, part, base = parts[0]
        if isinstance(part, tuple):  # one inlined list: stays so
            return f, t, part, False
        if base == 0:  # one stored list, numbered as before: copied whole
            return f, t, [stats, split_blocks(part, 0)], True
    if stats[1] <= max(w3format.INLINE_LIMIT, JOIN_LIMIT):
        ids: list[int] = []
        weights: list[float] = []
        values: list[bytes] = []
        for _, part, base in parts:
            if not isinstance(part, tuple):
                pids, pweights, pvalues = decode_postings(part, fixedsize)
                part = ([i + base for i in pids] if base else pids, pweights, pvalues)
            ids += part[0]
            weights += part[1]
            values += part[2]
        return f, t, (ids, weights, values), False
    blocks: list[bytes] = []
    for pstats, part, base in parts:
        if isinstance(part, tuple):  # an inlined list: one block of its own
            ids, weights, values = part
            blocks.append(inline_block(ids, weights, values, pstats[2], pstats[3],
                                       fixedsize))
        else:
            blocks += split_blocks(part, base)
    return f, t, [stats, blocks], True


def _term_key(row: tuple) -> tuple[str, bytes]:
    return row[0], row[1]


def _copy_segment(storage, seg, builder: SegmentBuilder, fields: dict, scorable: list[str]
                  ) -> Iterator[tuple[str, bytes, list, list, list]]:
    """Append the live documents of a segment: their per-document data now, and an
    iterator of its posting lists decoded and renumbered, (fieldname, term bytes, ids,
    weights, values) in its term table's order, read one term at a time."""
    codec = seg.codec()
    pdr = codec.per_document_reader(storage, seg)
    try:
        cols = {f: pdr.column_reader(f, fobj.column_type) for f, fobj in fields.items()
                if fobj.column_type and pdr.has_column(f)}
        docmap: dict[int, int] = {}
        for d in range(seg.doc_count_all()):
            if seg.is_deleted(d):
                continue
            lengths = {f: pdr.doc_field_length(d, f) or 0 for f in scorable}
            docmap[d] = builder.add_raw_document(
                pdr.stored_fields(d), lengths, {f: c[d] for f, c in cols.items()})
    finally:
        pdr.close()
    if not docmap:
        return iter(())
    return _decoded_terms(*_term_table(storage, seg), fields, docmap,
                          len(docmap) == seg.doc_count_all())


def _decoded_terms(trm: str, pst: str, start: int, end: int, unmap: list, fields: dict,
                   docmap: dict[int, int], dense: bool
                   ) -> Iterator[tuple[str, bytes, list, list, list]]:
    base = next(iter(docmap.values()))
    with open(trm, "rb", buffering=1 << 20) as tf, open(pst, "rb") as pf:
        fd = pf.fileno()
        for fieldname, key, value in _term_entries(tf, start, end, unmap):
            fobj = fields.get(fieldname)
            if fobj is None:
                continue
            stats, inlined = read_terminfo(value)
            fixedsize = fobj.format.fixed_value_size()
            if inlined is not None:
                ids, weights, values = decode_inline(inlined, fixedsize)
            else:
                ids, weights, values = decode_postings(os.pread(fd, stats[8], stats[7]),
                                                       fixedsize)
            if dense:
                ids = [base + i for i in ids]
            else:
                keep = [k for k, i in enumerate(ids) if i in docmap]
                if not keep:
                    continue
                ids = [docmap[ids[k]] for k in keep]
                weights = [weights[k] for k in keep]
                values = [values[k] for k in keep]
            yield fieldname, key[2:], ids, weights, values


def _joined_decoded(streams: list[Iterator]) -> Iterator[tuple[str, bytes, tuple, bool]]:
    """(fieldname, term bytes, (ids, weights, values), False) over the segments'
    decoded streams, terms ascending; a term's postings in segment (= docnum) order."""
    cur: list | None = None
    for f, t, ids, weights, values in heapq.merge(*streams, key=_term_key):
        if cur is not None and cur[0] == f and cur[1] == t:
            cur[2].extend(ids)
            cur[3].extend(weights)
            cur[4].extend(values)
            continue
        if cur is not None:
            yield cur[0], cur[1], (cur[2], cur[3], cur[4]), False
        cur = [f, t, ids, weights, values]
    if cur is not None:
        yield cur[0], cur[1], (cur[2], cur[3], cur[4]), False


def merge_step(index_dir: str | os.PathLike, indexname: str = INDEX_NAME) -> int:
    """Plan on the committed segments, merge, commit. Returns how many merges were
    committed (0: settled). Run by the process holding the index run lock."""
    storage = FileStorage(os.fspath(index_dir))
    toc = read_toc(storage, indexname)
    groups = plan_merges(toc.segments)
    if not groups:
        return 0
    staged = [merge_segments(index_dir, g, toc.schema, indexname) for g in groups]
    commit_segments(index_dir, staged, indexname=indexname)
    return len(staged)


def settle(index_dir: str | os.PathLike, indexname: str = INDEX_NAME,
           max_rounds: int = 10) -> None:
    """Merge until the policy is satisfied (at the end of an index run)."""
    for _ in range(max_rounds):
        if not merge_step(index_dir, indexname):
            return


class _Done:
    """A merge run inline, shaped like multiprocessing's AsyncResult."""

    def __init__(self, fn: Callable[..., StagedSegment], args: tuple):
        self._value = fn(*args)

    def ready(self) -> bool:
        return True

    def wait(self, timeout: float | None = None) -> None:
        return None

    def get(self, timeout: float | None = None) -> StagedSegment:
        return self._value


Submit = Callable[[Callable[..., StagedSegment], tuple], object]


def run_inline(fn: Callable[..., StagedSegment], args: tuple) -> _Done:
    return _Done(fn, args)


class Merger:
    """The merge policy during an index run, off the committing process's back.

    After each commit, `plan()` looks at the committed segments (leaving out those a merge
    is already rewriting) and hands each planned merge to `submit(fn, args)`: ingest
    passes its parsing pool's apply_async, so merges run in the workers, between parsing
    jobs, and the final ones run on every core at once (they cost the parent 86 s of
    serial work at 20k before). A finished merge is a staged segment; `ready()` gives the
    finished ones to the next batch commit, which publishes them in its own TOC
    (commit_segments drops one whose sources changed meanwhile, e.g. gained deletions, so
    nothing is resurrected). `settle()` waits for them all at the end of a run.
    """

    def __init__(self, index_dir: str | os.PathLike, submit: Submit = run_inline,
                 indexname: str = INDEX_NAME):
        self.index_dir = os.fspath(index_dir)
        self.submit = submit
        self.indexname = indexname
        self.pending: list[tuple[object, set[str]]] = []  # (async result, source ids)

    def _busy(self) -> set[str]:
        return {sid for _, ids in self.pending for sid in ids}

    def plan(self, final: bool = False) -> int:
        """Start the merges the committed segments call for (`final`: at the end of the
        run, see plan_merges); returns how many."""
        toc = read_toc(FileStorage(self.index_dir), self.indexname)
        busy = self._busy()
        free = [s for s in toc.segments if s.segment_id() not in busy]
        if final and any(tier(s.doc_count()) == 0 for s in toc.segments
                         if s.segment_id() in busy):
            final = False  # a batch-sized merge in flight: plan once it is published
        groups = plan_merges(free, final)
        for g in groups:
            res = self.submit(merge_segments, (self.index_dir, g, toc.schema,
                                               self.indexname))
            self.pending.append((res, {s.segment_id() for s in g}))
        return len(groups)

    def ready(self) -> list[StagedSegment]:
        """The merges that have finished (raises what a failed one raised)."""
        done = [p for p in self.pending if p[0].ready()]  # type: ignore[attr-defined]
        self.pending = [p for p in self.pending if p not in done]
        return [res.get() for res, _ in done]  # type: ignore[attr-defined]

    def wait(self, stop: Callable[[], bool] | None = None) -> list[StagedSegment]:
        """Every merge started, once finished; [] (all forgotten) as soon as `stop()`."""
        for res, _ in self.pending:
            while not res.ready():  # type: ignore[attr-defined]
                res.wait(0.1)  # type: ignore[attr-defined]
                if stop is not None and stop():
                    self.discard()
                    return []
        done, self.pending = self.pending, []
        return [res.get() for res, _ in done]  # type: ignore[attr-defined]

    def settle(self, on_commit: Callable[[], None] | None = None,
               stop: Callable[[], bool] | None = None) -> int:
        """Publish every started merge and merge until the policy is satisfied; each
        round's merges (run side by side) are published in one TOC. Returns the number
        of TOCs written. `stop()` (a Ctrl-C) ends it early: merging is never needed for
        correctness, only for speed and size, and the next run takes it up again."""
        commits = 0
        rounds = 0
        # Each round merges a tier into the next one up: a handful of rounds at most; the
        # bound only guards against a policy that never settles.
        while (self.pending or self.plan(final=True)) and rounds < 20:
            rounds += 1
            staged = self.wait(stop)
            if stop is not None and stop():
                discard(staged)
                break
            if staged:
                commit_segments(self.index_dir, staged, indexname=self.indexname,
                                keep_staging=True)
                commits += 1
                if on_commit is not None:
                    on_commit()
        return commits

    def discard(self) -> None:
        """Forget the merges in flight (a cancelled run): their staged files go with
        discard_staging once the workers are stopped."""
        for res, _ in self.pending:
            try:
                if res.ready():  # type: ignore[attr-defined]
                    discard([res.get()])  # type: ignore[attr-defined]
            except Exception:  # noqa: BLE001 - a failed merge left nothing to keep
                pass
        self.pending = []
