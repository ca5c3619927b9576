"""The bulk segment writer (engine/whoosh/segment.py) against Whoosh's own writer: the same
articles through today's WhooshWriter path and through write_segment + commit_segments
must read back the same in every way Whoosh exposes (terms, postings, positions, block
statistics, lengths, stored fields, columns, counts, BM25F scores and snippets)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from newsgrep.article import Article, article_id
from newsgrep.discover import FileInfo, discover
from newsgrep.engine.whoosh import bulk as wb
from newsgrep.engine.whoosh import commit as wc
from newsgrep.engine.whoosh import w3format as w3
from newsgrep.engine.whoosh.engine import WhooshEngine
from newsgrep.engine.whoosh.schema import prepare_article
from newsgrep.ingest import parse
from newsgrep.query import SearchRequest
from newsgrep.readers import read_bytes

REPO = Path(__file__).resolve().parent.parent
QUERIES = ["troops", "president", "москва", '"prime minister"', "election OR vote",
           "climat*", "police -court", "title:war", "border AND army", "news"]


def corpus_articles() -> list[Article]:
    out = []
    for item in discover([str(REPO / "corpus")]):
        if isinstance(item, FileInfo):
            try:
                out += parse._articles(item.path, read_bytes(item.path, 50_000_000))
            except Exception:  # a file the readers skip is skipped by `index` too
                continue
    for a in out:
        prepare_article(a)
    return out


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    arts = corpus_articles()
    assert len(arts) > 300
    return arts


def whoosh_index(path: Path, batches: list[list[Article]], deletes: list[list[str]] | None = None
                 ) -> WhooshEngine:
    """Today's path: WhooshWriter.add per article, one commit per batch (no merging)."""
    eng = WhooshEngine(path, create=True)
    for i, batch in enumerate(batches):
        w = eng.whoosh_writer()
        for p in (deletes or [[]] * len(batches))[i]:
            w.delete_path(p)
        for a in batch:
            w.add(a)
        w.commit(merge=False)
    return eng


def bulk_index(path: Path, batches: list[list[Article]], deletes: list[list[str]] | None = None
               ) -> WhooshEngine:
    eng = WhooshEngine(path, create=True)
    for i, batch in enumerate(batches):
        staged = wc.write_segment(path, [a.prepared for a in batch])
        wc.commit_segments(path, [staged] if staged else [],
                           (deletes or [[]] * len(batches))[i])
    return eng


def _minmax(r, f):
    try:
        return r.min_field_length(f), r.max_field_length(f)
    except TypeError:  # Whoosh fails on a segment without that field's length column
        return None


def snapshot(eng: WhooshEngine) -> dict:
    """Everything a Whoosh reader says about an index's live documents, numbered in
    order (Whoosh keeps a fully deleted segment that commit_segments drops)."""
    ix = eng.ix
    out: dict = {}
    with ix.reader() as r:
        live = {d: i for i, d in enumerate(r.all_doc_ids())}
        out["doc_count"] = r.doc_count()
        fields = [f for f in ix.schema.names() if ix.schema[f].scorable]
        out["field_length"] = {f: r.field_length(f) for f in fields}
        out["minmax_length"] = {f: _minmax(r, f) for f in fields if r.field_length(f)}
        out["docs"] = [(r.stored_fields(d), {f: r.doc_field_length(d, f) for f in fields})
                       for d in live]
        # Segment by segment: Whoosh's MultiColumnReader misplaces documents after a
        # segment without the column (which Whoosh's writer leaves when no document
        # of a batch has a date; the bulk writer writes the column anyway, which
        # reads as the default for every document, as a missing one does here).
        dates = []
        for leaf, base in r.leaf_readers():
            col = (leaf.column_reader("date", translate=False)
                   if leaf.has_column("date") else None)
            default = ix.schema["date"].column_type.default_value()
            dates += [col[d - base] if col is not None else default
                      for d in live if base <= d < base + leaf.doc_count_all()]
        out["date_column"] = dates
        terms = {}
        schema = ix.schema  # a property that reads the TOC file again on every access
        for (fieldname, text) in r.all_terms():
            fmt = schema[fieldname].format
            m = r.postings(fieldname, text)
            postings = []
            while m.is_active():
                if m.id() in live:
                    v = m.value()
                    postings.append((live[m.id()], m.weight(), v,
                                     fmt.decode_positions(v) if v and
                                     hasattr(fmt, "decode_positions") else None))
                m.next()
            if not postings:
                continue
            stats = ()
            if r.doc_count() == r.doc_count_all():  # term statistics count deleted docs
                ti = r.term_info(fieldname, text)
                stats = (r.doc_frequency(fieldname, text), r.frequency(fieldname, text),
                         ti.min_length(), ti.max_length(), ti.max_weight(), ti.min_id(),
                         ti.max_id())
            terms[(fieldname, text)] = (stats, postings)
        out["terms"] = terms
    return out


def results(eng: WhooshEngine, queries: list[str] = QUERIES) -> list:
    out = []
    for q in queries:
        for extra in ({}, {"date_from": date(2019, 1, 1)}, {"sources": ["meduza.io"]}):
            res = eng.search(SearchRequest(q, limit=None, snippets=2, **extra))
            out.append((q, sorted(extra), res.total,
                        [(h.id, h.score, h.title_marks, h.snippets) for h in res.hits]))
    return out


def assert_equivalent(a: WhooshEngine, b: WhooshEngine, queries: list[str] = QUERIES) -> None:
    sa, sb = snapshot(a), snapshot(b)
    assert sa.keys() == sb.keys()
    for key in sa:
        assert sa[key] == sb[key], key
    assert results(a, queries) == results(b, queries)


def segment_files(path: Path) -> dict[str, bytes]:
    out = {}
    for name in sorted(os.listdir(path)):
        if name.startswith("MAIN_") and "." in name:
            out[name.split(".", 1)[1]] = (path / name).read_bytes()
    return out


def test_bytes_identical_in_whoosh_mode(articles, tmp_path, monkeypatch):
    # With Whoosh's own pickle protocol and compression the files are the same bytes.
    monkeypatch.setattr(w3, "COMPRESS_MIN", 0)
    monkeypatch.setattr(w3, "PICKLE_PROTOCOL", 2)
    monkeypatch.setattr(w3, "HASH_TYPE", 0)
    monkeypatch.setattr(w3, "INLINE_LIMIT", 0)
    monkeypatch.setattr(w3, "TERM_SLOTS", 2)
    whoosh_index(tmp_path / "w", [articles])
    bulk_index(tmp_path / "b", [articles])
    fw, fb = segment_files(tmp_path / "w"), segment_files(tmp_path / "b")
    assert set(fw) == {"pst", "trm", "_stored.col", "_title_len.col", "_body_len.col",
                       "_source_len.col", "date.col", "_exact_len.col"}
    assert fw.keys() == fb.keys()
    for ext in fw:
        assert fw[ext] == fb[ext], ext


def test_reads_back_like_whoosh(articles, tmp_path):
    w = whoosh_index(tmp_path / "w", [articles])
    b = bulk_index(tmp_path / "b", [articles])
    snap = snapshot(b)
    assert snap["doc_count"] == len(articles)
    assert any(t[0] == "body" and len(postings) > 128  # lists of several blocks
               for t, (_, postings) in snap["terms"].items())
    assert_equivalent(w, b)
    # The bulk index is smaller: blocks pickled with protocol 3, tiny ones not zlib'd.
    size = lambda p: sum(f.stat().st_size for f in p.iterdir() if f.is_file())  # noqa: E731
    assert size(tmp_path / "b") < size(tmp_path / "w")


def test_batches_with_deletions_then_optimize(articles, tmp_path):
    thirds = [articles[:150], articles[150:300], articles[300:]]
    gone = sorted({a.path for a in articles[100:170]})
    deletes = [[], gone[:5], gone[5:]]
    w = whoosh_index(tmp_path / "w", thirds, deletes)
    b = bulk_index(tmp_path / "b", thirds, deletes)
    assert len(b.ix._segments()) == 3
    assert b.doc_count() == w.doc_count() < len(articles)
    assert_equivalent(w, b)
    # Whoosh's own optimize merges the bulk segments as it merges its own.
    w.ix.optimize()
    b.ix.optimize()
    assert len(b.ix._segments()) == 1
    assert_equivalent(w, b)


def test_deletes_apply_to_committed_segments_only(articles, tmp_path):
    first, second = articles[:50], articles[50:100]
    eng = bulk_index(tmp_path / "b", [first])
    # The same paths re-added in the same commit that deletes them: the new records stay.
    paths = sorted({a.path for a in first})
    staged = wc.write_segment(tmp_path / "b", [a.prepared for a in first + second])
    wc.commit_segments(tmp_path / "b", [staged], paths)
    assert eng.doc_count() == 100
    assert [s.deleted_count() for s in eng.ix._segments()] == [50, 0]
    assert not (tmp_path / "b" / wc.STAGING_DIR).exists()


def test_discarded_and_empty_batches(articles, tmp_path):
    eng = bulk_index(tmp_path / "b", [articles[:20]])
    assert wc.write_segment(tmp_path / "b", []) is None
    staged = wc.write_segment(tmp_path / "b", [a.prepared for a in articles[20:40]])
    wc.discard([staged])
    assert not os.path.exists(staged.folder)
    wc.commit_segments(tmp_path / "b", [], [articles[0].path])
    assert eng.doc_count() == 20 - sum(a.path == articles[0].path for a in articles[:20])


WORD = st.text(alphabet="abcdeéłøжщσ", min_size=1, max_size=9)
TEXT = st.lists(st.one_of(WORD, st.sampled_from(["the", "of", "U.S.", "2024", "a-b"])),
                min_size=0, max_size=400).map(" ".join)


@st.composite
def article_sets(draw) -> list[Article]:
    n = draw(st.integers(1, 25))
    out = []
    for i in range(n):
        path = f"/data/{draw(st.integers(0, 6))}.txt"  # shared paths: multi-record files
        a = Article(id=article_id(path, i), path=path, title=draw(TEXT.map(lambda s: s[:80])),
                    body=draw(TEXT), date=draw(st.none() | st.dates(date(1990, 1, 1),
                                                                   date(2030, 1, 1))),
                    source=draw(st.none() | st.sampled_from(["BBC News", "Meduza", "x"])),
                    url=draw(st.none() | st.just(f"https://example.com/{i}")),
                    lang=draw(st.none() | st.sampled_from(["en", "ru"])),
                    signature=draw(st.none() | st.binary(min_size=8, max_size=8)))
        prepare_article(a)
        out.append(a)
    return out


@settings(max_examples=25, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(arts=article_sets(), split=st.integers(0, 25))
def test_generated_articles_equivalent(tmp_path, arts, split):
    folder = tmp_path / str(time.monotonic_ns())
    batches = [arts[:split], arts[split:]]
    deletes = [[], sorted({a.path for a in arts[:split]})[:1]]
    w = whoosh_index(folder / "w", batches, deletes)
    b = bulk_index(folder / "b", batches, deletes)
    assert_equivalent(w, b, ["abc", "жщ", "ł*", "\"a b\"", "ddd"])
    shutil.rmtree(folder)


def test_encode_decode_round_trip():
    docs = list(range(0, 3000, 7))
    weights = [float(1 + d % 5) for d in docs]
    values = [bytes([66, d % 256]) for d in docs]
    lens = [d % 300 for d in range(3000)]
    data, _ = w3.encode_postings(docs, weights, values, w3.length_bytes(lens), None)
    assert w3.decode_postings(data, None) == (docs, weights, values)


KILLER = textwrap.dedent("""
    import sys
    from tests.test_bulk_segment import corpus_articles
    arts = corpus_articles()
    folder = sys.argv[1]
    print("ready", flush=True)
    i = 0
    while True:  # write and commit segments until killed
        batch = arts[(i * 37) % 300:(i * 37) % 300 + 60]
        st = wc.write_segment(folder, [a.prepared for a in batch])
        wc.commit_segments(folder, [st], [batch[0].path])
        i += 1
""")


def test_kill_9_during_bulk_writes_keeps_the_index_readable(articles, tmp_path):
    idx = tmp_path / "idx"
    eng = bulk_index(idx, [articles[:100]])
    base = eng.doc_count()
    for delay in (0.3, 0.9, 1.7, 2.6):
        proc = subprocess.Popen([sys.executable, "-c", KILLER, str(idx)], cwd=REPO,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert proc.stdout.readline().strip() == b"ready", proc.stderr.read()
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        eng = WhooshEngine(idx)  # opens, and every committed segment reads back whole
        n = eng.doc_count()
        assert n >= base - 60
        snap = snapshot(eng)
        assert len(snap["docs"]) == n
        assert eng.search(SearchRequest("news", limit=5)).total >= 0
        # The next run clears what the killed writer staged and commits normally.
        wc.discard_staging(idx)
        staged = wc.write_segment(idx, [a.prepared for a in articles[:10]])
        wc.commit_segments(idx, [staged])
        assert WhooshEngine(idx).doc_count() == n + 10
        base = n + 10


def test_bulk_writer_protocol_matches_whoosh_writer(articles, tmp_path):
    # The engine's Writer calls, as ingest makes them: a batch of deletes and adds, where
    # a worker wrote part of the batch as a segment (write_articles) and the rest is added.
    w = whoosh_index(tmp_path / "w", [articles[:200]])
    b = bulk_index(tmp_path / "b", [articles[:200]])
    redo = articles[150:250]
    paths = sorted({a.path for a in redo})
    ww = w.whoosh_writer()
    for p in paths:
        ww.delete_path(p)
    for a in redo:
        ww.add(a)
    ww.commit(merge=False)
    bw = wb.BulkWriter(tmp_path / "b", merge=False)
    for p in paths:
        bw.delete_path(p)
    worker_share = [Article(**{k: getattr(a, k) for k in ("id", "path", "title", "body",
                                                          "date", "source", "url", "lang",
                                                          "signature")}) for a in redo[:60]]
    bw.add_segment(wb.write_articles(tmp_path / "b", worker_share))
    assert all(a.prepared is None and a.body == "" for a in worker_share)
    for a in redo[60:]:
        bw.add(a)
    bw.commit()
    assert_equivalent(w, b)
    bw.add(articles[0])
    bw.cancel()
    bw.commit()
    assert b.doc_count() == w.doc_count()
