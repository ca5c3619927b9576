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
