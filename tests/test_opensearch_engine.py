"""The OpenSearch engine through the CLI, against a real OpenSearch node (or osmem, the
in-memory emulator, with NEWSGREP_TEST_OPENSEARCH=osmem; see conftest.py), plus "results
agree": the same corpus gives the same hits in Whoosh."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from newsgrep.engine.opensearch import writer as ose_writer  # noqa: E402
from newsgrep.engine.opensearch.client import parse_url  # noqa: E402
from newsgrep.engine.opensearch.engine import OpenSearchEngine  # noqa: E402
from newsgrep.errors import NewsgrepError  # noqa: E402

from .conftest import CORPUS, SEED_000, SEED_004, SEEDS, jsonl, run  # noqa: E402
from .opensearch_support import PASSWORD, FaultyProxy, run_os, with_auth  # noqa: E402
from .test_cli_stories import _reprint  # noqa: E402


class _Server:
    def __init__(self, kind: str, url: str):
        self.kind, self.url = kind, url


@pytest.fixture(scope="module")
def server(opensearch) -> _Server:
    return _Server(*opensearch)


@pytest.fixture(scope="module")
def corpus_os(server, tmp_path_factory) -> tuple[str, Path]:
    """corpus/ indexed into the index `newsgrep` through the CLI: (url, local dir)."""
    url = with_auth(server.url, "newsgrep")
    local = tmp_path_factory.mktemp("os-corpus")
    res = run_os(url, local, "index", "--json", str(CORPUS))
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    assert summary["indexed"] == 395 and not summary["skipped"]
    return url, local


@pytest.fixture(scope="module")
def stories_os(server, tmp_path_factory) -> tuple[str, Path, Path]:
    """Seeds, reprints of them by other outlets and some unrelated Wikinews stories."""
    base = tmp_path_factory.mktemp("os-stories")
    folder = base / "articles"
    shutil.copytree(SEEDS, folder, ignore=shutil.ignore_patterns("*.md"))
    for i, outlet in enumerate(["Baltictimes.example", "Rigapost.example", "Tallinnnews.example"]):
        _reprint(SEED_000, folder / f"reprint000_{i}.txt", outlet, 2 + i, n_edits=2 + i)
    _reprint(SEED_004, folder / "reprint004.txt", "Vilniusdaily.example", 9, n_edits=3)
    (folder / "wikinews").mkdir()
    wiki = sorted((CORPUS / "wikinews-en").glob("*.txt"))
    for f in wiki[:25] + wiki[-25:]:  # 2019 and 2020
        shutil.copy(f, folder / "wikinews" / f.name)
    url = with_auth(server.url, "stories")
    local = base / "local"
    assert run_os(url, local, "index", "-q", str(folder)).exit_code == 0
    return url, local, folder


def os_paths(url: str, local: Path, *args: str) -> list[str]:
    res = run_os(url, local, "search", *args, "-l")
    assert res.exit_code in (0, 1), res.output
    return res.stdout.split()


def wh_paths(index: Path, *args: str) -> list[str]:
    res = run("search", *args, "-l", index=index)
    assert res.exit_code in (0, 1), res.output
    return res.output.split()


# -- the same answers as Whoosh --------------------------------------------------------

AGREEMENT = [
    ("troops",), ("troops", "--source", "balticword.com"), ("troops baltic",),
    ('"Baltic states"',), ('"Baltic states" NOT Galkins',), ('"troops russia"~6',),
    ('"troops russia"',), ("nato OR otan",), ("troops baltic -galkins",),
    ("(galkins OR pabriks) kallas",), ("springbo*",), ("sprinboard~",), ("budgt~2",),
    ("de?loy*",), ("title:latvia",), ("lang:ru",), ("source:meduza",), ("липы",),
    ("Москве",), ("anusauskas",), ("covid-19",), ('"president of the united states"',),
    ('"said police"~5',), ('"president trump said"~3',),
    ("said", "--from", "2020-03", "--to", "2020-03"), ("president", "--from", "2019-06"),
    ("date:[2022-01 TO 2022-02]",), ("date:>2020-12-20",), ("date:<2019-02",),
    ("election", "--source", "Wikinews"), ("Golunov OR Москве", "--source", "meduza"),
    ("police", "--lang", "en", "--until", "2019-12-31"), ("NOT said",), ("title:*",),
    ("--any", "apartment building collapse Magnitogorsk giraffe"),
    ('"police officers"~3',), ("court judge", "--since", "2019-05", "--to", "2020"),
    # Feedback only reorders, so the hit sets still agree.
    ("--any", "--expand", "russian troops border"),
    ("--expand", "president", "--source", "Wikinews", "--from", "2020"),
    # Across scripts (issue #16): Latin words find Cyrillic ones and back.
    ("ukraine",), ("navalny",), ("Навальный",), ("golunov latvia", "--any"),
]


def test_hit_sets_agree_with_whoosh(corpus_os, demo_index):
    url, local = corpus_os
    for args in AGREEMENT:
        ours, theirs = os_paths(url, local, *args), wh_paths(demo_index, *args)
        assert sorted(ours) == sorted(theirs), args
        res = run_os(url, local, "search", *args, "--count")
        assert int(res.stdout) == len(theirs), args


def test_json_hits_agree_with_whoosh_except_ranking(corpus_os, demo_index):
    url, local = corpus_os
    for args in [("troops", "--source", "balticword.com"), ("anusauskas",), ("deploy*",),
                 ('"Baltic states"',), ("липы",), ("sprinboard~",), ("election",),
                 ("ukraine",), ("Навальный",)]:
        ours = jsonl(run_os(url, local, "search", *args, "--json", "-n", "500").stdout)
        theirs = jsonl(run("search", *args, "--json", "-n", "500", index=demo_index).output)
        key = {h["path"]: h for h in theirs}
        assert len(ours) == len(theirs) > 0, args
        for h in ours:
            other = key[h["path"]]
            for field in ("id", "title", "date", "source", "url", "lang", "snippet",
                          "highlights"):
                assert h[field] == other[field], (args, field, h["path"])


def test_troops_from_balticword_is_seed_000(corpus_os):
    url, local = corpus_os
    hits = jsonl(run_os(url, local, "search", "troops", "--source", "BalticWord.com",
                        "--json").stdout)
    assert len(hits) == 1
    hit = hits[0]
    assert hit["path"] == str(SEED_000) and hit["date"] == "2022-02-01"
    assert hit["source"] == "BalticWord.com" and hit["lang"] == "en"
    assert hit["rank"] == 1 and hit["score"] > 0 and "troops" in hit["snippet"].lower()
    out = run_os(url, local, "search", "troops", "--source", "balticword.com").stdout
    assert " 1. The military conflict in the Baltics" in out and str(SEED_000) in out


def test_furniture_words_are_not_found_and_misspellings_get_a_suggestion(corpus_os):
    url, local = corpus_os
    for word in ("Akismet", "Girgens", '"Leave a Reply"', '"Others are currently reading"'):
        assert run_os(url, local, "search", word).exit_code == 1, word
    res = run_os(url, local, "search", "troopps")
    assert res.exit_code == 1 and "did you mean: troop" in res.output


def test_dates_count_and_sort(corpus_os):
    url, local = corpus_os
    res = run_os(url, local, "search", "said", "--from", "2020-03", "--to", "2020-03",
                 "--json", "-n", "100")
    dates = [h["date"] for h in jsonl(res.stdout)]
    assert dates and all(d.startswith("2020-03") for d in dates)
    assert str(SEED_004) in os_paths(url, local, "Galkins")
    assert run_os(url, local, "search", "Galkins", "--from", "2000").exit_code == 1
    n = int(run_os(url, local, "search", "president", "--count").stdout)
    assert len(os_paths(url, local, "president")) == n > 10
    res = run_os(url, local, "search", "president", "--json", "-n", "1000")
    assert len(jsonl(res.stdout)) == n
    for order, rev in (("newest", True), ("oldest", False)):
        res = run_os(url, local, "search", "election", "--sort", order, "--json", "-n", "20")
        dates = [h["date"] for h in jsonl(res.stdout) if h["date"]]
        assert len(dates) > 2 and dates == sorted(dates, reverse=rev)
    # Undated articles come last.
    res = run_os(url, local, "search", "Baltic", "--sort", "newest", "--json", "-n", "50")
    dates = [h["date"] for h in jsonl(res.stdout)]
    assert None in dates and dates.index(None) == len([d for d in dates if d])


def test_show_sources_stats_and_timeline_match_whoosh(corpus_os, demo_index):
    url, local = corpus_os
    hit_id = jsonl(run_os(url, local, "search", "troops", "--source", "balticword.com",
                          "--json").stdout)[0]["id"]
    for ref in (hit_id, str(SEED_004)):
        ours = run_os(url, local, "show", ref, "--json")
        assert ours.exit_code == 0
        assert jsonl(ours.stdout) == jsonl(run("show", ref, "--json", index=demo_index).output)
    ours = run_os(url, local, "show", hit_id, "--query", "deploy* troops")
    assert ours.stdout == run("show", hit_id, "--query", "deploy* troops",
                              index=demo_index).output
    assert run_os(url, local, "show", "nosuchid").exit_code == 2
    for args in (("sources", "--json"), ("timeline", "said", "--by", "month", "--json"),
                 ("timeline", "Москве", "--by-source", "--json")):
        ours = run_os(url, local, *args)
        assert ours.exit_code == 0
        assert json.loads(ours.stdout) == json.loads(run(*args, index=demo_index).output), args
    st = json.loads(run_os(url, local, "stats", "--json").stdout)
    theirs = json.loads(run("stats", "--json", index=demo_index).output)
    assert st.pop("index_bytes") > 0
    theirs.pop("index_bytes")
    assert st == theirs and st["articles"] == 395


def test_bad_queries_are_errors(corpus_os):
    url, local = corpus_os
    for q in ("(", "AND", "date:>notadate", "date:[x TO y]", "   "):
        res = run_os(url, local, "search", q)
        assert res.exit_code == 2, q
        assert res.stderr.startswith("newsgrep: error:") and len(res.stderr.splitlines()) == 1


def test_a_second_run_changes_nothing(corpus_os):
    url, local = corpus_os
    summary = json.loads(run_os(url, local, "index", "--json", str(CORPUS / "seeds")).stdout)
    assert summary["indexed"] == 0 and summary["unchanged"] == 2
    assert json.loads(run_os(url, local, "stats", "--json").stdout)["articles"] == 395


# -- following a story -----------------------------------------------------------------

def test_similar_lists_reprints_first(stories_os):
    url, local, folder = stories_os
    res = run_os(url, local, "similar", str(folder / SEED_000.name), "--json", "-n", "8")
    assert res.exit_code == 0
    hits = jsonl(res.stdout)
    reprints = [h for h in hits if h.get("similarity") is not None]
    assert {Path(h["path"]).name for h in reprints} == {
        "reprint000_0.txt", "reprint000_1.txt", "reprint000_2.txt"}
    assert hits[:3] == reprints and all(h["similarity"] >= 0.5 for h in reprints)
    assert len(hits) > 3 and hits[3].get("similarity") is None
    res = run_os(url, local, "similar", str(folder / SEED_004.name), "--json")
    reprints = [h for h in jsonl(res.stdout) if h.get("similarity") is not None]
    assert [Path(h["path"]).name for h in reprints] == ["reprint004.txt"]


def test_similar_without_native_more_like_this(stories_os):
    url, local, folder = stories_os
    engine = OpenSearchEngine(url)
    engine._mlt_native = False  # as on a server without more_like_this
    seed = engine.get_by_path(str(folder / SEED_000.name))[0]
    hits = engine.similar(seed.id, limit=8).hits
    assert [h.similarity is not None for h in hits[:4]] == [True, True, True, False]


def test_collapse_folds_reprints_and_keeps_stories_apart(stories_os):
    url, local, _ = stories_os
    assert len(jsonl(run_os(url, local, "search", "springboard", "--json").stdout)) == 4
    hits = jsonl(run_os(url, local, "search", "springboard", "--collapse", "--json").stdout)
    assert len(hits) == 1
    outlets = {d["source"] for d in hits[0]["duplicates"]} | {hits[0]["source"]}
    assert outlets == {"BalticWord.com", "Baltictimes.example", "Rigapost.example",
                       "Tallinnnews.example"}
    assert "also reprinted by 3" in run_os(url, local, "search", "springboard",
                                           "--collapse").stdout
    hits = jsonl(run_os(url, local, "search", "troops", "--collapse", "--json", "-n", "50").stdout)
    names = [Path(h["path"]).name for h in hits]
    assert "000_2af2d4676b6d9f59.txt" in names and "004_15117f6641672c6c.txt" in names
    for h in hits:
        assert all(Path(d["path"]).name.startswith("reprint") for d in h.get("duplicates", []))


def test_timeline_per_day_and_source(stories_os):
    url, local, _ = stories_os
    tl = json.loads(run_os(url, local, "timeline", "springboard", "--by", "day", "--json").stdout)
    assert [(b["period"], b["count"]) for b in tl["buckets"]] == [
        ("2022-02-01", 1), ("2022-02-02", 1), ("2022-02-03", 1), ("2022-02-04", 1)]
    tl = json.loads(run_os(url, local, "timeline", "springboard", "--by", "month",
                           "--by-source", "--json").stdout)
    assert tl["buckets"][0]["count"] == 4 and sum(tl["buckets"][0]["sources"].values()) == 4
    tl = json.loads(run_os(url, local, "timeline", "Galkins", "--json").stdout)
    assert tl["undated"] == 1
    res = run_os(url, local, "timeline", "said", "--by", "year")
    assert res.exit_code == 0 and "2019" in res.stdout and "2020" in res.stdout
    assert run_os(url, local, "timeline", "zzzqqq").exit_code == 1


# -- failures ---------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_cluster_is_one_line_without_the_password(tmp_path):
    url = f"http://admin:{PASSWORD}@127.0.0.1:{_free_port()}/newsgrep"
    for args in (["index", str(SEEDS)], ["search", "troops"]):
        proc = subprocess.run([sys.executable, "-m", "newsgrep", "--engine", "opensearch",
                               "--url", url, "--index", str(tmp_path), *args],
                              capture_output=True, text=True)
        assert proc.returncode == 2, proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("newsgrep: error: cannot reach"), lines
        assert PASSWORD not in proc.stderr and "admin:***@" in proc.stderr


def test_missing_index_and_bad_urls(server, tmp_path):
    res = run_os(with_auth(server.url, "nothing-here"), tmp_path, "search", "troops")
    assert res.exit_code == 2 and "no index 'nothing-here'" in res.stderr
    assert PASSWORD not in res.stderr
    for bad in (f"ftp://u:{PASSWORD}@h/x", "http://h:9200/Bad*Name", "http://h:notaport/x"):
        res = run_os(bad, tmp_path, "search", "troops")
        assert res.exit_code == 2 and PASSWORD not in res.stderr, bad
    t = parse_url(f"https://admin:{PASSWORD}@example.org/news")
    assert (t.port, t.index, t.safe_url) == (9200, "news", "https://admin:***@example.org:9200/news")
    with pytest.raises(NewsgrepError):
        parse_url("example.org:9200")


def test_failed_bulk_leaves_files_unindexed_and_a_rerun_completes(server, tmp_path, monkeypatch):
    monkeypatch.setattr(ose_writer, "BULK_BACKOFF", 0.01)  # the writer reads it
    proxy = FaultyProxy(server.url)
    try:
        local = tmp_path / "local"
        url = with_auth(proxy.url, "flaky")
        proxy.fail_bulk = -1  # the cluster never takes the articles
        res = run_os(url, local, "index", str(SEEDS))
        assert res.exit_code == 2
        assert "gave up after" in res.stderr and len(res.stderr.strip().splitlines()) == 1
        assert PASSWORD not in res.stderr and proxy.bulk_seen >= ose_writer.BULK_TRIES
        proxy.fail_bulk = 2  # overloaded for a moment: retried with back-off
        res = run_os(url, local, "index", "--json", str(SEEDS))
        assert res.exit_code == 0, res.output
        assert json.loads(res.stdout)["indexed"] == 2  # nothing was recorded the first time
        assert run_os(url, local, "search", "troops", "--count").stdout.strip() == "2"
    finally:
        proxy.close()


def test_reindexing_a_changed_file_replaces_its_record(server, seeds_copy, tmp_path):
    url = with_auth(server.url, "edits")
    local = tmp_path / "local"
    assert run_os(url, local, "index", "-q", str(seeds_copy)).exit_code == 0
    target = seeds_copy / SEED_000.name
    target.write_text(target.read_text(encoding="utf-8").replace("troops", "zebras"),
                      encoding="utf-8")
    (seeds_copy / SEED_004.name).unlink()
    summary = json.loads(run_os(url, local, "index", "--json", str(seeds_copy)).stdout)
    assert summary["updated"] == 1 and summary["removed"] == 1
    assert os_paths(url, local, "zebras") == [str(target)]
    assert run_os(url, local, "search", "troops").exit_code == 1
    assert json.loads(run_os(url, local, "stats", "--json").stdout)["articles"] == 1


def test_the_index_ranks_with_the_whoosh_engines_bm25_parameters(corpus_os):
    from newsgrep.engine.ranking import DEFAULT as RANKING

    url, _ = corpus_os
    engine = OpenSearchEngine(url)
    settings = engine.client.indices.get_settings(index=engine.index)
    sim = settings[engine.index]["settings"]["index"]["similarity"]["default"]
    assert (float(sim["k1"]), float(sim["b"])) == (RANKING.k1, RANKING.b)
