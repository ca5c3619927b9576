"""Tiered merging of an index's segments, with the bulk writer (whoosh_bulk.py).

Why not Whoosh's own merge (MERGE_SMALL / optimize): it re-files every posting of the
merged segments through the external-sort pool, the slow path the bulk writer exists to
avoid; and its Fibonacci heuristic, run at every commit, left 4 unmerged segments after a
20k run whose duplicated term tables were a fifth of the index. Here a merge decodes each
source posting list block by block (`decode_postings`), renumbers the documents around
the deleted ones and writes one segment with the bulk writer; per-document data goes
through Whoosh's W3PerDocWriter as in Whoosh's own merge (same lossy lengths, so scores
after a merge are the scores Whoosh's optimize gives).

Policy: a segment's tier is how many times FANOUT its live document count exceeds
TIER_BASE. When a tier holds FANOUT segments, they are merged into one of the next tier,
so an index of N documents keeps at most (FANOUT - 1) segments per tier: with the
defaults, 20k documents in batches of 2.5k end as 2-3 segments, 100k as 4-6. A segment
with more than DELETED_SHARE of its documents deleted is rewritten with its tier, and a
fully deleted one is dropped.
"""

from __future__ import annotations

import os
import secrets
from array import array
from collections.abc import Sequence

from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC

from .whoosh_bulk import (
    INDEX_NAME,
    SegmentBuilder,
    StagedSegment,
    _staging_storage,
    commit_segments,
    decode_postings,
    discard,
)

TIER_BASE = 3_000  # documents: a batch-sized segment is tier 0
FANOUT = 4
DELETED_SHARE = 0.3


def tier(live_docs: int) -> int:
    t, size = 0, TIER_BASE
    while live_docs > size:
        size *= FANOUT
        t += 1
    return t


def plan_merges(segments: Sequence) -> list[list]:
    """Groups of segments to merge, each into one; [] when the index is settled."""
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
        if len(segs) >= FANOUT:
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
    schema = schema or TOC.read(storage, indexname).schema
    staging = _staging_storage(index_dir, secrets.token_hex(8))
    builder = SegmentBuilder(schema, staging, indexname)
    fields = {name: schema[name] for name in schema.names()}
    scorable = [f for f, fobj in fields.items() if fobj.scorable]
    sources = [(s.segment_id(), frozenset(s.deleted_docs())) for s in segments]
    try:
        for seg in segments:
            _copy_segment(storage, seg, builder, fields, scorable)
        builder.finish()
    except BaseException:
        discard([StagedSegment(staging.folder, builder.segment)])
        raise
    return StagedSegment(staging.folder, builder.segment, sources)


def _copy_segment(storage, seg, builder: SegmentBuilder, fields: dict, scorable: list[str]
                  ) -> None:
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
        return
    dense = len(docmap) == seg.doc_count_all()
    base = next(iter(docmap.values()))
    terms = codec.terms_reader(storage, seg)
    try:
        postfile = terms._postfile
        for (fieldname, tbytes), ti in terms.items():
            fobj = fields.get(fieldname)
            if fobj is None:
                continue
            offset, length = ti.extent()
            if isinstance(length, tuple):  # W3TermInfo.from_bytes leaves it unpacked
                length = length[0]
            ids, weights, values = decode_postings(postfile.get(offset, length),
                                                   fobj.format.fixed_value_size())
            if dense:
                ids = [base + i for i in ids]
            else:
                keep = [k for k, i in enumerate(ids) if i in docmap]
                if not keep:
                    continue
                ids = [docmap[ids[k]] for k in keep]
                weights = [weights[k] for k in keep]
                values = [values[k] for k in keep]
            td = builder.terms.setdefault(fieldname, {})
            p = td.get(tbytes)
            if p is None:
                td[tbytes] = [array("I", ids), weights, values]
            else:
                p[0].extend(ids)
                p[1].extend(weights)
                p[2].extend(values)
    finally:
        terms.close()


def merge_step(index_dir: str | os.PathLike, indexname: str = INDEX_NAME) -> int:
    """Plan on the committed segments, merge, commit. Returns how many merges were
    committed (0: settled). Run by the process holding the index run lock."""
    storage = FileStorage(os.fspath(index_dir))
    toc = TOC.read(storage, indexname)
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
