"""Counts under filters (issue #13): a filtered search's total comes from its one ranked
pass, and it is exact: the same as `count`, as the number of hits without a limit, and
as the hits of the unfiltered query that pass the filter by their stored fields."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from newsgrep.query import SearchRequest
from newsgrep.search import count, search

QUERIES = ["year", "troops", "covid OR vaccine", '"prime minister"', "police -covid"]
SINCE, UNTIL = date(2019, 6, 1), date(2020, 3, 31)


def _passes(hit, req: SearchRequest) -> bool:
    if req.date_from and (hit.date is None or hit.date < req.date_from):
        return False
    if req.date_to and (hit.date is None or hit.date > req.date_to):
        return False
    if req.sources and req.sources[0].lower() not in (hit.source or "").lower().split():
        return False
    return not (req.paths and "/wikinews-en/" not in hit.path)


@pytest.mark.parametrize("q", QUERIES)
@pytest.mark.parametrize("filters", [
    {"date_from": SINCE},
    {"date_to": UNTIL},
    {"date_from": SINCE, "date_to": UNTIL},
    {"sources": ["Wikinews"]},
    {"paths": ["*/wikinews-en/*"]},
    {"date_from": SINCE, "sources": ["Wikinews"]},
])
def test_filtered_total_is_exact(demo_index, q, filters):
    everything = search(SearchRequest(q, limit=None, snippets=0), demo_index)
    expected = [h.path for h in everything.hits if _passes(h, SearchRequest(q, **filters))]
    req = SearchRequest(q, limit=3, snippets=0, **filters)
    top = search(req, demo_index)
    assert top.total == len(expected)
    assert len(top.hits) == min(3, len(expected))
    assert {h.path for h in top.hits} <= set(expected)
    assert count(req, demo_index) == len(expected)
    unlimited = search(replace(req, limit=None), demo_index)
    assert sorted(h.path for h in unlimited.hits) == sorted(expected)
    assert unlimited.total == len(expected)


def test_the_filters_cut_something(demo_index):
    # Guards the test above against filters that pass everything or nothing.
    everything = search(SearchRequest("year", limit=None, snippets=0), demo_index).total
    for filters in ({"date_from": SINCE}, {"sources": ["Wikinews"]},
                    {"paths": ["*/wikinews-en/*"]}):
        n = search(SearchRequest("year", limit=1, snippets=0, **filters), demo_index).total
        assert 0 < n < everything, filters
