"""Tiered merging of bulk segments (engine/whoosh/merge.py): the merged index reads back
exactly as Whoosh's own optimize() of the same segments, and the policy bounds the
number of segments."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from whoosh.filedb.filestore import FileStorage

from newsgrep.engine.whoosh import commit as wc
from newsgrep.engine.whoosh import merge as wm

from .test_bulk_segment import articles, assert_equivalent, bulk_index  # noqa: F401


def test_merge_reads_back_like_whoosh_optimize(articles, tmp_path):  # noqa: F811
    parts = [articles[i:i + 100] for i in range(0, len(articles), 100)]
    gone = sorted({a.path for a in articles[40:130]})
    deletes = [[]] + [gone] + [[]] * (len(parts) - 2)
    mine = bulk_index(tmp_path / "m", parts, deletes)
    ref = bulk_index(tmp_path / "r", parts, deletes)
    segs = mine.ix._segments()
    staged = wm.merge_segments(tmp_path / "m", segs)
    assert staged.doc_count == sum(s.doc_count() for s in segs)
    wc.commit_segments(tmp_path / "m", [staged])
    assert len(mine.ix._segments()) == 1
    ref.ix.optimize()  # Whoosh's own merge of the same segments
    assert_equivalent(ref, mine)


def test_merge_of_segments_without_deletions_copies_blocks_and_reads_back_the_same(
        articles, tmp_path):  # noqa: F811
    # The fast path (posting blocks copied, ids moved, never decoded): uneven parts, so
    # that terms span segments with full, partial and compressed blocks.
    cuts = [0, 37, 190, 260, len(articles)]
    parts = [articles[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]
    mine = bulk_index(tmp_path / "m", parts)
    ref = bulk_index(tmp_path / "r", parts)
    segs = mine.ix._segments()
    assert not any(s.has_deletions() for s in segs)
    wc.commit_segments(tmp_path / "m", [wm.merge_segments(tmp_path / "m", segs)])
    assert len(mine.ix._segments()) == 1
    ref.ix.optimize()
    assert_equivalent(ref, mine)


def test_merge_is_dropped_when_its_sources_changed(articles, tmp_path):  # noqa: F811
    eng = bulk_index(tmp_path / "m", [articles[:50], articles[50:100]])
    staged = wm.merge_segments(tmp_path / "m", eng.ix._segments())
    wc.commit_segments(tmp_path / "m", [], [articles[0].path])  # a deletion meanwhile
    wc.commit_segments(tmp_path / "m", [staged])
    segs = eng.ix._segments()
    assert len(segs) == 2 and segs[0].deleted_count() > 0  # nothing resurrected
    assert eng.doc_count() == 100 - segs[0].deleted_count()


def test_fully_deleted_segment_is_dropped(articles, tmp_path):  # noqa: F811
    eng = bulk_index(tmp_path / "m", [articles[:30], articles[30:60]])
    wc.commit_segments(tmp_path / "m", [], sorted({a.path for a in articles[:30]}))
    n = eng.doc_count()
    wm.settle(tmp_path / "m")
    assert eng.doc_count() == n
    assert all(s.doc_count() for s in eng.ix._segments())


def _seg(live: int, deleted: int = 0):
    return SimpleNamespace(doc_count=lambda: live, doc_count_all=lambda: live + deleted,
                           deleted_count=lambda: deleted)


def _run(segs: list, batches: int, final: bool = True) -> tuple[list, int, int]:
    """Simulate a run: a batch segment per commit, merging as the policy says, then the
    end-of-run merges. Returns the segments, the most there were at a time and how many
    documents the merges rewrote."""
    most = rewritten = 0

    def merge(groups):
        nonlocal segs, rewritten
        for g in groups:
            segs = [s for s in segs if s not in g] + [_seg(sum(s.doc_count() for s in g))]
            rewritten += sum(s.doc_count() for s in g)

    for _ in range(batches):
        segs = segs + [_seg(2_500)]
        while groups := wm.plan_merges(segs):
            merge(groups)
        most = max(most, len(segs))
    while final and (groups := wm.plan_merges(segs, final=True)):
        merge(groups)
    return segs, most, rewritten


def test_policy_bounds_segment_count():
    segs, most, rewritten = _run([], 40)  # 100k documents in 2.5k batches
    assert most <= (wm.BATCH_FANOUT - 1) + (wm.FANOUT - 1) * 3
    assert len(segs) <= 2
    assert sum(s.doc_count() for s in segs) == 100_000
    assert rewritten <= 2 * 100_000


@pytest.mark.parametrize("batches", range(1, 17))
def test_a_fresh_run_ends_with_few_segments_each_document_rewritten_about_once(batches):
    # 2.5k to 40k documents: batch segments merge by BATCH_FANOUT during a run and the
    # ones left at its end by FANOUT, so a fresh index of 4 to 8 batches is one segment
    # and no document is rewritten twice.
    segs, _, rewritten = _run([], batches)
    n = 2_500 * batches
    assert sum(s.doc_count() for s in segs) == n
    full, left = divmod(batches, wm.BATCH_FANOUT)
    assert len(segs) == full + (1 if left >= wm.FANOUT else left)
    assert rewritten == 2_500 * (full * wm.BATCH_FANOUT + (left if left >= wm.FANOUT
                                                           else 0))
    assert len(segs) <= wm.FANOUT
    # Without the end-of-run merge (an interrupted run) the batch segments stay, below
    # BATCH_FANOUT; the next run's end merges them.
    rest, _, _ = _run([], batches, final=False)
    assert len(rest) == full + left


def test_policy_rewrites_segments_with_many_deletions():
    big, dirty = _seg(50_000), _seg(1_000, deleted=2_000)
    assert wm.plan_merges([big]) == []
    assert wm.plan_merges([big, dirty]) == [[dirty]]


def test_small_runs_do_not_pull_batch_segments_into_a_merge():
    # What a full run can leave (three batch-sized segments below the next tier) plus the
    # segments of small incremental runs: those merge among themselves, never with the
    # batch-sized ones, so a 300-file change costs its own size, not 7,500 documents'.
    batch = [_seg(2_500) for _ in range(3)] + [_seg(12_500, deleted=60)]
    small = [_seg(100), _seg(100)]
    assert wm.plan_merges(batch + small) == []
    more = small + [_seg(120), _seg(90)]
    groups = wm.plan_merges(batch + more)
    assert groups == [sorted(more, key=lambda s: s.doc_count())]
    # Batch-sized segments complete their own tier, and at the end of a run they are
    # merged together, still without the small ones or the bigger one.
    fourth = _seg(2_400)
    assert wm.plan_merges(batch + [fourth]) == []
    assert wm.plan_merges(batch + [fourth] + small, final=True) == [
        sorted(batch[:3] + [fourth], key=lambda s: s.doc_count())]
    assert wm.plan_merges(batch + small, final=True) == []
    eight = [_seg(2_500) for _ in range(wm.BATCH_FANOUT)]
    assert wm.plan_merges(eight + small) == [eight]


def test_tiers_are_ordered_by_size():
    sizes = [1, 40, 47, 100, 187, 188, 700, 750, 751, 2_999, 3_000, 3_001, 12_000, 12_001,
             10**6]
    tiers = [wm.tier(n) for n in sizes]
    assert tiers == sorted(tiers)
    assert wm.tier(2_500) == 0 and wm.tier(100) < 0 and wm.tier(10_000) == 1


@pytest.mark.parametrize("chunk", [1, 9, 100])
def test_merge_reads_term_tables_in_pieces_that_cut_entries(articles, tmp_path,  # noqa: F811
                                                            monkeypatch, chunk):
    # _term_entries reads the term table _READ bytes at a time: with pieces shorter than
    # one entry (1, 9) or cutting entries anywhere (100), every entry still comes whole.
    parts = [articles[:60], articles[60:150]]
    mine = bulk_index(tmp_path / "m", parts)
    ref = bulk_index(tmp_path / "r", parts)
    segs = mine.ix._segments()
    storage = FileStorage(str(tmp_path / "m"))
    trm, _, start, end, unmap = wm._term_table(storage, segs[0])
    with open(trm, "rb") as tf:
        whole = list(wm._term_entries(tf, start, end, unmap))
    monkeypatch.setattr(wm, "_READ", chunk)
    with open(trm, "rb") as tf:
        assert list(wm._term_entries(tf, start, end, unmap)) == whole
    assert len(whole) > 100 and all(k[2:] for _, k, _ in whole)
    wc.commit_segments(tmp_path / "m", [wm.merge_segments(tmp_path / "m", segs)])
    ref.ix.optimize()
    assert_equivalent(ref, mine)
