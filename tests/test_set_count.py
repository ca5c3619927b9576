"""whoosh_rank.count counts queries of words (and --source filters) as sets of document
numbers read a block at a time (_set_count): the same numbers as Whoosh's unscored pass,
on the demo corpus (English, Russian, several languages) and with deleted articles."""

from __future__ import annotations

import pytest

from newsgrep.engine import whoosh_rank
from newsgrep.engine.whoosh.engine import WhooshEngine
from newsgrep.engine.whoosh.filters import request_filter
from newsgrep.query import SearchRequest

from .conftest import SEED_000, run

QUERIES = ["troops", "troops baltic", "government", "police OR election", "москва",
           "Москве полиция", "anusauskas", "said", "xyzzyq", "title:latvia", "source:meduza",
           "lang:ru", "troops lang:en", "(nato OR otan) troops", "budget vote",
           "Golunov", "journalist OR журналист"]
SOURCES = [[], ["balticword.com"], ["meduza"], ["nosuchsource"]]


def _whoosh_count(engine: WhooshEngine, req: SearchRequest) -> int:
    q, flt = engine._parse(req), request_filter(req)
    with engine.ix.searcher() as s:
        return s.search(q, filter=flt, limit=None, scored=False).scored_length()


@pytest.mark.parametrize("any_words", [False, True])
def test_same_counts_as_whoosh(demo_index, any_words):
    engine = WhooshEngine(demo_index)
    counted = 0
    for text in QUERIES:
        for sources in SOURCES:
            req = SearchRequest(text, sources=sources, any_words=any_words)
            q, flt = engine._parse(req), request_filter(req)
            with engine.ix.searcher() as s:
                fast = whoosh_rank._set_count(s, q, flt)
            if fast is not None:
                counted += 1
                assert fast == _whoosh_count(engine, req), (text, sources)
            assert engine.count(req) == _whoosh_count(engine, req), (text, sources)
    assert counted >= len(QUERIES) * len(SOURCES) // 2  # most go the quick way


def test_other_queries_fall_back(demo_index):
    engine = WhooshEngine(demo_index)
    for req in (SearchRequest('"baltic states"'), SearchRequest("troops NOT covid"),
                SearchRequest("troop*"), SearchRequest("troops", date_from=None,
                                                       date_to=None, lang="en"),
                SearchRequest("police", date_from=__import__("datetime").date(2020, 1, 1))):
        q, flt = engine._parse(req), request_filter(req)
        with engine.ix.searcher() as s:
            fast = whoosh_rank._set_count(s, q, flt)
        assert fast is None or fast == _whoosh_count(engine, req)
        assert engine.count(req) == _whoosh_count(engine, req)


def test_deleted_articles_are_not_counted(seeds_copy, tmp_path):
    idx = tmp_path / "ix"
    assert run("index", str(seeds_copy), index=idx).exit_code == 0
    engine = WhooshEngine(idx)
    before = {t: engine.count(SearchRequest(t)) for t in ("troops", "baltic", "said")}
    (seeds_copy / SEED_000.name).unlink()
    assert "removed 1" in run("index", str(seeds_copy), index=idx).output
    engine = WhooshEngine(idx)
    for text in before:
        req = SearchRequest(text)
        assert engine.count(req) == _whoosh_count(engine, req)
    assert sum(engine.count(SearchRequest(t)) for t in before) < sum(before.values())


# -- date filters read from the date column (whoosh_rank._range_docs) -----------------
DAY = __import__("datetime").date
RANGES = [(DAY(2020, 1, 1), None), (None, DAY(2020, 12, 31)), (DAY(2021, 5, 1), DAY(2021, 5, 1)),
          (DAY(1990, 1, 1), DAY(1991, 1, 1)), (DAY(2019, 6, 15), DAY(2022, 2, 1)),
          (None, DAY(2100, 1, 1))]
RANGE_QUERIES = ["troops", "government", "москва", '"baltic states"', "troops NOT covid",
                 "troop*"]


def _ranked(s, q, flt) -> tuple[list[tuple[int, float]], int]:
    hits, n = whoosh_rank.top(s, q, flt, None)
    return [(h.docnum, h.score) for h in hits], n


def _as_whoosh_runs_it(flt):
    """`flt` wrapped so that filter_docs leaves it to Whoosh (Every is no node it reads)."""
    from whoosh import query

    return query.And([flt, query.Every()])


@pytest.mark.parametrize("date_from, date_to", RANGES)
def test_date_filters_pass_what_whooshs_range_query_passes(demo_index, date_from, date_to):
    engine = WhooshEngine(demo_index)
    for sources in ([], ["meduza"]):
        req = SearchRequest("troops", date_from=date_from, date_to=date_to, sources=sources)
        flt = request_filter(req)
        with engine.ix.searcher() as s:
            passed = whoosh_rank.filter_docs(s, flt)
            expected = set(s.docs_for_query(flt))
            if expected:
                assert passed == expected
            else:  # an empty set would mean "no filter" to Whoosh's collector
                assert passed is flt
            for text in RANGE_QUERIES:
                q = engine._parse(SearchRequest(text))
                assert _ranked(s, q, flt) == _ranked(s, q, _as_whoosh_runs_it(flt)), text
        for text in RANGE_QUERIES:
            r = SearchRequest(text, date_from=date_from, date_to=date_to, sources=sources)
            assert engine.count(r) == _whoosh_count(engine, r), text


def test_undated_articles_pass_no_date_filter(tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "a.txt").write_text("Zorblat one\n\n2020-01-05\n\nA zorblat report.\n")
    (folder / "b.txt").write_text("Zorblat two\n\nAn undated zorblat report.\n")
    (folder / "c.txt").write_text("Zorblat three\n\n2022-03-01\n\nAnother zorblat report.\n")
    idx = tmp_path / "i"
    assert run("index", "-q", str(folder), index=idx).exit_code == 0
    assert run("search", "zorblat", "-c", index=idx).output.strip() == "3"
    for args, n in ((["--from", "2019-01-01"], "2"), (["--to", "2023-01-01"], "2"),
                    (["--from", "2021-01-01"], "1"), (["--to", "2020-01-05"], "1")):
        assert run("search", "zorblat", "-c", *args, index=idx).output.strip() == n, args
        listed = run("search", "zorblat", "--json", *args, index=idx).output
        assert listed.count('"title"') == int(n), args


@pytest.mark.parametrize("date_from, date_to", [RANGES[0], RANGES[1], RANGES[4]])
def test_timelines_and_date_order_use_the_same_date_filter(demo_index, date_from, date_to):
    from newsgrep.engine.whoosh.schema import date_column

    engine = WhooshEngine(demo_index)
    req = SearchRequest("troops", date_from=date_from, date_to=date_to, sort="newest",
                        limit=1000)
    q = engine._parse(req)
    with engine.ix.searcher() as s:
        docs = list(s.search(q, filter=request_filter(req), limit=None, scored=False).docs())
        date_of = date_column(s.reader())
        expected = sorted(date_of(d) for d in docs)
        ids = {s.stored_fields(d)["id"] for d in docs}
    assert docs  # the demo corpus has dated troops articles in each range
    assert sorted(d for d, _ in engine.match_dates(req)) == expected
    found = engine.search(req)
    assert found.total == len(docs) and {h.id for h in found.hits} == ids
