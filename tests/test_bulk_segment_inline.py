"""Short posting lists inlined in the term table (w3format.INLINE_LIMIT): Whoosh's own
readers serve them (W3TermInfo.from_bytes, ListMatcher), and every path that reads a
segment back reads them as the posting blocks they replace: queries and snippets,
merges of inlined, block and old (never inlined) segments, with deletions, Whoosh's
optimize, and the CLI."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.codec.whoosh3 import W3TermInfo
from whoosh.matching import ListMatcher

from newsgrep.engine.whoosh import commit as wc
from newsgrep.engine.whoosh import merge as wm
from newsgrep.engine.whoosh import w3format as w3
from newsgrep.engine.whoosh.engine import WhooshEngine

from .conftest import jsonl, run
from .test_bulk_segment import (  # noqa: F401
    articles,
    assert_equivalent,
    bulk_index,
    results,
    snapshot,
    whoosh_index,
)


def inlined_share(eng: WhooshEngine) -> tuple[int, int]:
    """(inlined terms, all terms) over the index's segments."""
    inl = total = 0
    storage = eng.ix.storage
    for seg in eng.ix._segments():
        trm, _, start, end, unmap = wm._term_table(storage, seg)
        with open(trm, "rb") as tf:
            for _, _, value in wm._term_entries(tf, start, end, unmap):
                total += 1
                inl += w3.read_terminfo(value)[1] is not None
    return inl, total


POSTINGS = st.integers(1, 6).flatmap(lambda n: st.tuples(
    st.lists(st.integers(0, 200_000), min_size=n, max_size=n, unique=True).map(sorted),
    st.lists(st.sampled_from([1.0, 2.0, 3.0, 0.5, 1.1, 7.25]), min_size=n, max_size=n),
    st.lists(st.binary(min_size=1, max_size=300), min_size=n, max_size=n)))


@settings(max_examples=200, deadline=None)
@given(postings=POSTINGS, fixedsize=st.sampled_from([None, 0]))
def test_inline_value_is_what_the_block_reads_back(postings, fixedsize):
    docs, weights, values = postings
    lens = {d: (d % 300) for d in docs}
    lens_list = [lens.get(i, 0) for i in range(max(docs) + 1)]
    value = w3.encode_inline(docs, weights, values, w3.length_bytes(lens_list),
                             fixedsize)
    # Whoosh's reader: the term info and a ListMatcher over the inlined tuple.
    ti = W3TermInfo.from_bytes(value)
    assert ti.is_inlined()
    data, block_ti = w3.encode_postings(docs, weights, values,
                                        w3.length_bytes(lens_list), fixedsize)
    ref = W3TermInfo.from_bytes(block_ti + w3.pack_extent(0, len(data)))
    for attr in ("weight", "doc_frequency", "min_length", "max_length", "max_weight",
                 "min_id", "max_id"):
        assert getattr(ti, attr)() == getattr(ref, attr)(), attr
    ids, ws, vs = ti.inlined_postings()
    m = ListMatcher(ids, ws, vs, terminfo=ti)
    got = []
    while m.is_active():
        got.append((m.id(), m.weight(), m.value()))
        m.next()
    bids, bws, bvs = w3.decode_postings(data, fixedsize)
    assert got == list(zip(bids, bws, [None] * len(bids) if fixedsize == 0 else bvs,
                           strict=True))
    assert m.block_max_weight() == max(bws)
    # The merge's view of both forms is the same.
    stats, inlined = w3.read_terminfo(value)
    assert w3.decode_inline(inlined, fixedsize) == (bids, bws, bvs)
    assert stats == w3.read_terminfo(block_ti + w3.pack_extent(0, len(data)))[0][:7]
    # And the hand-written pickle is a plain pickle of the same tuple.
    assert pickle.loads(value[W3TermInfo._struct.size:]) == inlined


def test_most_terms_are_inlined_and_read_back_like_whoosh(articles, tmp_path):  # noqa: F811
    w = whoosh_index(tmp_path / "w", [articles])
    b = bulk_index(tmp_path / "b", [articles])
    inl, total = inlined_share(b)
    assert 0.5 * total < inl < total
    assert_equivalent(w, b)


def term_forms(eng: WhooshEngine) -> dict[tuple[str, bytes], list[bool]]:
    """(field, term) -> for each segment holding the term, whether its list is inlined."""
    out: dict[tuple[str, bytes], list[bool]] = {}
    storage = eng.ix.storage
    for seg in eng.ix._segments():
        trm, _, start, end, unmap = wm._term_table(storage, seg)
        with open(trm, "rb") as tf:
            for field, key, value in wm._term_entries(tf, start, end, unmap):
                out.setdefault((field, key[2:]), []).append(
                    w3.read_terminfo(value)[1] is not None)
    return out


# Every other article (English and Russian) in four parts: enough for terms inlined in
# one part and in blocks in another, joined lists short enough to inline again and lists
# of several blocks (over 128 articles), at half the cost of the whole corpus.
MERGE_CUTS = [0, 18, 95, 130]


@pytest.fixture(scope="module")
def merge_parts(articles) -> list[list]:  # noqa: F811
    some = articles[::2]
    cuts = [*MERGE_CUTS, len(some)]
    return [some[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]


@pytest.fixture(scope="module")
def merged_reference(merge_parts, tmp_path_factory) -> tuple[dict, list]:
    """Whoosh's own writer and optimize on the same parts (the same for every limit):
    its snapshot and query results, computed once."""
    ref = whoosh_index(tmp_path_factory.mktemp("ref") / "r", merge_parts)
    ref.ix.optimize()
    return snapshot(ref), results(ref)


@pytest.mark.parametrize("limits", [(0, 4), (4, 4), (4, 0), (1, 200)])
def test_merges_of_inlined_and_block_lists(merge_parts, merged_reference, tmp_path,
                                           monkeypatch, limits):
    # Sources written with one limit (0: an index from before inlining), merged with
    # another: a term's parts mix inlined lists and blocks; joined lists that stay short
    # are inlined again, longer ones get a block per inlined part.
    write_limit, merge_limit = limits
    monkeypatch.setattr(w3, "INLINE_LIMIT", write_limit)
    mine = bulk_index(tmp_path / "m", merge_parts)
    forms = term_forms(mine)
    mixed = [k for k, f in forms.items() if len(set(f)) == 2]
    if write_limit:
        assert mixed  # a term inlined in one source and a block list in another
    else:
        assert not any(any(f) for f in forms.values())
    monkeypatch.setattr(w3, "INLINE_LIMIT", merge_limit)
    wc.commit_segments(tmp_path / "m", [wm.merge_segments(tmp_path / "m",
                                                          mine.ix._segments())])
    assert len(mine.ix._segments()) == 1
    inl, total = inlined_share(mine)
    assert (inl > 0) == (merge_limit > 0)
    snap = snapshot(mine)
    after = {k: len(p) for k, (_, p) in snap["terms"].items()}
    forms_after = term_forms(mine)
    # Each list joined from an inlined and a block part: inlined again if short enough,
    # else blocks; and lists joined from several sources inlined again when the merge
    # inlines, and lists of several blocks.
    for k in mixed:
        assert forms_after[k] == [after[k] <= merge_limit], k
    assert any(len(forms[k]) > 1 and forms_after[k] == [True]
               for k in forms_after) == (merge_limit > 0)
    assert any(n > w3.BLOCK_LIMIT for n in after.values())
    ref_snap, ref_results = merged_reference
    assert ref_snap.keys() == snap.keys()
    for key in ref_snap:
        assert ref_snap[key] == snap[key], key
    assert ref_results == results(mine)


def test_merge_with_deletions_then_whoosh_optimize(articles, tmp_path):  # noqa: F811
    thirds = [articles[:150], articles[150:300], articles[300:]]
    gone = sorted({a.path for a in articles[100:170]})
    deletes = [[], gone[:5], gone[5:]]
    mine = bulk_index(tmp_path / "m", thirds, deletes)
    ref = whoosh_index(tmp_path / "r", thirds, deletes)
    wc.commit_segments(tmp_path / "m", [wm.merge_segments(tmp_path / "m",
                                                          mine.ix._segments())])
    assert inlined_share(mine)[0] > 0
    ref.ix.optimize()
    assert_equivalent(ref, mine)
    # Whoosh's own merge reads the inlined lists (and writes blocks, as it does).
    extra = articles[100:130]
    wc.commit_segments(tmp_path / "m", [wc.write_segment(tmp_path / "m",
                                                         [a.prepared for a in extra])])
    w = ref.whoosh_writer()
    for a in extra:
        w.add(a)
    w.commit(merge=False)
    mine.ix.optimize()
    ref.ix.optimize()
    assert_equivalent(ref, mine)


def test_cli_search_and_highlight_of_a_one_document_word(demo_index: Path):
    # A word (as written) of one article: its exact list and likely its body list are
    # inlined; found, ranked and highlighted through the CLI.
    eng = WhooshEngine(demo_index)
    assert inlined_share(eng)[0] > 0
    with eng.ix.reader() as r:
        word = next(t.decode() for f, t in r.all_terms()
                    if f == "exact" and r.doc_frequency(f, t) == 1 and t.isalpha()
                    and t.islower() and len(t) > 7)
        doc = r.stored_fields(next(iter(r.postings("exact", word.encode()).all_ids())))
    for query in (f"={word}", word):
        res = run("search", "--json", query, index=demo_index)
        assert res.exit_code == 0, res.output
        hits = jsonl(res.output)
        assert doc["id"] in [h["id"] for h in hits]
        assert len(hits) == 1 or query == word
    hit = next(h for h in jsonl(run("search", "--json", f"={word}", index=demo_index).output))
    assert word in hit["snippet"]


KEYS = st.lists(st.binary(min_size=1, max_size=12), min_size=0, max_size=700, unique=True)


@settings(max_examples=60, deadline=None)
@given(keys=KEYS, absent=st.lists(st.binary(min_size=1, max_size=12), max_size=50),
       slots=st.sampled_from([1.0, 1.25, 1.5, 2]), hashtype=st.sampled_from([0, 1]),
       chunk=st.integers(1, 300))
def test_term_table_reads_back_with_fewer_slots(tmp_path_factory, keys, absent, slots,
                                                hashtype, chunk):
    # The hashed term table as Whoosh's OrderedHashReader reads it: every key found by
    # hash, absent keys not (a probe stops at an empty slot or after the whole table),
    # and the ordered index for prefix and range walks.
    from whoosh.filedb.filestore import FileStorage
    from whoosh.filedb.filetables import OrderedHashReader

    keys = sorted(keys)
    entries = [(k, k[::-1] * 3) for k in keys]
    storage = FileStorage(str(tmp_path_factory.mktemp("tt")))
    old = w3.TERM_SLOTS
    w3.TERM_SLOTS = slots
    try:
        table = w3.TermTable(storage.create_file("t.trm"), hashtype)
        for i in range(0, len(entries), chunk):
            table.add_sorted(entries[i:i + chunk])
        table.close()
    finally:
        w3.TERM_SLOTS = old
    r = OrderedHashReader(storage.open_file("t.trm"), storage.file_length("t.trm"))
    for k, v in entries:
        assert r[k] == v
    for k in absent:
        assert (k in r) == (k in keys)
    assert list(r.keys()) == keys
    if keys:
        mid = keys[len(keys) // 2]
        assert list(r.keys_from(mid)) == keys[len(keys) // 2:]
        assert r.closest_key(mid) == mid
    r.close()
