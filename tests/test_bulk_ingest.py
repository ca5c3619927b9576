"""`newsgrep index` on the bulk path (issue #13): the parsing workers write the segments,
the parent commits them; against the same run through Whoosh's own writer
(NEWSGREP_WHOOSH_WRITER=1), in real processes on real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC

from newsgrep.article import Article
from newsgrep.engine.whoosh import bulk as wb
from newsgrep.engine.whoosh import commit as wc
from newsgrep.engine.whoosh import merge as wm
from newsgrep.engine.whoosh.engine import WhooshEngine
from newsgrep.engine.whoosh.schema import prepare_article
from newsgrep.query import SearchRequest

from .conftest import CORPUS, ROOT
from .test_bulk_segment import assert_equivalent, results


def _index(idx: Path, *args: str, whoosh_writer: bool = False) -> dict:
    env = dict(os.environ, NEWSGREP_WHOOSH_WRITER="1" if whoosh_writer else "0")
    res = subprocess.run([sys.executable, "-m", "newsgrep", "--index", str(idx), "index",
                          "--json", *args], capture_output=True, text=True, env=env,
                         cwd=ROOT, timeout=600)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)


def _segments(idx: Path) -> list:
    return list(TOC.read(FileStorage(str(idx)), "MAIN").segments)


def _check(idx: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "newsgrep", "--index", str(idx), "check",
                           *args], capture_output=True, text=True, cwd=ROOT, timeout=600)


def _write(folder: Path, start: int, n: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(start, start + n):
        (folder / f"a{i:05d}.txt").write_text(
            f"Report uniq{i:05d}\n\n2020-03-{1 + i % 28:02d}\n\n"
            f"Ferries, cranes and grain number w{i} left the harbour. " * 8 + "\n",
            encoding="utf-8")


def test_workers_write_the_same_index_as_whoosh_writer(tmp_path):
    bulk, ref = tmp_path / "bulk", tmp_path / "ref"
    s1 = _index(bulk, "-j", "2", str(CORPUS))
    s2 = _index(ref, "-j", "2", str(CORPUS), whoosh_writer=True)
    assert s1["indexed"] == s2["indexed"] >= 395
    assert s1["articles"] == s2["articles"]
    # One segment per worker on the bulk path (its share of the one batch), one on
    # Whoosh's; nothing staged is left behind.
    assert len(_segments(bulk)) == 2 and len(_segments(ref)) == 1
    assert not (bulk / wc.STAGING_DIR).exists()
    # Every term, posting, position, length, stored field and column, and every score
    # and snippet of the query set read back the same.
    assert_equivalent(WhooshEngine(ref), WhooshEngine(bulk))
    assert _check(bulk, "--deep").returncode == 0


def test_updates_and_deletions_match_whoosh_writer(tmp_path):
    folder = tmp_path / "articles"
    _write(folder, 0, 300)
    bulk, ref = tmp_path / "bulk", tmp_path / "ref"
    for idx, ww in ((bulk, False), (ref, True)):
        _index(idx, "-j", "2", str(folder), whoosh_writer=ww)
    # A second run: 40 files changed, 30 removed, 50 new.
    for i in range(0, 40):
        f = folder / f"a{i:05d}.txt"
        f.write_text(f.read_text(encoding="utf-8") + "Changed: tugboat.\n", encoding="utf-8")
    for i in range(100, 130):
        (folder / f"a{i:05d}.txt").unlink()
    _write(folder, 300, 50)
    for idx, ww in ((bulk, False), (ref, True)):
        s = _index(idx, "-j", "2", str(folder), whoosh_writer=ww)
        assert (s["indexed"], s["updated"], s["removed"]) == (50, 40, 30)
    eb, er = WhooshEngine(bulk), WhooshEngine(ref)
    assert eb.doc_count() == er.doc_count() == 320
    queries = ["tugboat", "uniq00005", "uniq00110", "uniq00333", "harbour", '"left the"']
    # Whoosh's writer merged on its second commit, so deleted documents' lengths no
    # longer count in BM25's averages there, and documents are numbered otherwise (the
    # order of ties): compare what matched, not scores or order.
    strip = [[(q, f, n, sorted(h[0] for h in hits)) for q, f, n, hits in results(e, queries)]
             for e in (eb, er)]
    assert strip[0] == strip[1]
    assert _check(bulk, "--deep").returncode == 0


def test_many_small_commits_are_merged_into_few_segments(tmp_path):
    folder = tmp_path / "articles"
    _write(folder, 0, 700)
    idx = tmp_path / "idx"
    s = _index(idx, "-j", "2", "--commit-every", "40", str(folder))
    assert s["indexed"] == 700
    segs = _segments(idx)
    # 18 commits of two segments each (36): the tiered policy leaves fewer than FANOUT
    # per tier (tiers go down by FANOUT below a batch's size: 700 documents span 3), and
    # no segment with deleted documents.
    tiers = Counter(wm.tier(seg.doc_count()) for seg in segs)
    assert max(tiers.values()) < wm.FANOUT
    assert len(segs) <= (wm.FANOUT - 1) * len(tiers) and len(tiers) <= 3
    assert sum(seg.doc_count() for seg in segs) == 700
    assert all(seg.deleted_count() == 0 for seg in segs)
    eng = WhooshEngine(idx)
    assert eng.doc_count() == 700
    for q in ("uniq00000", "uniq00699", "uniq00350"):
        assert eng.search(SearchRequest(q, snippets=0)).total == 1
    assert _check(idx, "--deep").returncode == 0
    # A no-change run writes nothing.
    gen = TOC._latest_generation(FileStorage(str(idx)), "MAIN")
    assert _index(idx, "-j", "2", str(folder))["unchanged"] == 700
    assert TOC._latest_generation(FileStorage(str(idx)), "MAIN") == gen


def test_what_a_killed_run_staged_is_removed_by_the_next(tmp_path):
    folder = tmp_path / "articles"
    _write(folder, 0, 80)
    idx = tmp_path / "idx"
    _index(idx, str(folder))
    # As a run killed while its workers wrote segments leaves them.
    left = idx / wc.STAGING_DIR / "0123456789abcdef"
    left.mkdir(parents=True)
    (left / "MAIN_0123456789abcdef.pst").write_bytes(b"\0" * 100)
    _write(folder, 80, 80)
    s = _index(idx, "-j", "2", str(folder))
    assert s["indexed"] == 80
    assert not (idx / wc.STAGING_DIR).exists()
    assert WhooshEngine(idx).doc_count() == 160
    assert _check(idx).returncode == 0


def test_a_record_the_segment_cannot_hold_is_skipped_with_a_warning(tmp_path):
    WhooshEngine(tmp_path / "idx", create=True)
    good = Article(id="good", path="/x/good.txt", title="Grain", body="Ferries and grain.")
    bad = Article(id="bad", path="/x/bad.txt", title="Grain", body="Cranes.")
    for a in (good, bad):
        prepare_article(a)
    assert bad.prepared is not None
    bad.prepared["path"] = "/x/\udcff.txt"  # not encodable: Whoosh's writer refuses it too
    staged = wb.write_articles(tmp_path / "idx", [good, bad])
    assert staged is not None and staged.doc_count == 1
    assert bad.warnings and bad.warnings[0].startswith("record bad not indexed: ")
    assert not good.warnings
    wc.commit_segments(tmp_path / "idx", [staged])
    hits = WhooshEngine(tmp_path / "idx").search(SearchRequest("grain", snippets=0)).hits
    assert [h.id for h in hits] == ["good"]


def test_a_batch_without_dates_keeps_the_dates_of_the_rest_readable(tmp_path):
    # Whoosh's MultiColumnReader misplaces every later document after a segment without
    # a date column: with Whoosh's own writer, `stats` and `timeline` ended in a
    # traceback once a batch of undated articles had been committed.
    folder = tmp_path / "articles"
    folder.mkdir()
    for i in range(3):
        (folder / f"u{i}.txt").write_text(f"Undated grain report {i}\n\nFerries.\n",
                                          encoding="utf-8")
    idx = tmp_path / "idx"
    _index(idx, str(folder))
    _write(folder, 0, 5)  # dated 2020-03-01 .. 05
    _index(idx, str(folder))

    def cli(*args: str) -> dict:
        res = subprocess.run([sys.executable, "-m", "newsgrep", "--index", str(idx), *args],
                             capture_output=True, text=True, cwd=ROOT, timeout=600)
        assert res.returncode == 0, res.stderr
        return json.loads(res.stdout)

    stats = cli("stats", "--json")
    assert (stats["articles"], stats["first_date"], stats["last_date"]) == (
        8, "2020-03-01", "2020-03-05")
    timeline = cli("timeline", "grain", "--json")
    assert timeline["undated"] == 3
    assert [(b["period"], b["count"]) for b in timeline["buckets"]] == [
        (f"2020-03-{1 + i:02d}", 1) for i in range(5)]


def test_progress_moves_in_order_to_the_end_while_workers_write(tmp_path):
    from newsgrep.ingest import index_paths

    folder = tmp_path / "articles"
    _write(folder, 0, 300)
    seen: list[float] = []
    s = index_paths([folder], tmp_path / "idx", jobs=2,
                    progress=lambda done, total, articles: seen.append(done))
    assert s.indexed == 300
    assert seen[0] == 0 and seen[-1] == 300
    assert seen == sorted(seen)
