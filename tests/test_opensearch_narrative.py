"""`timeline --share` on the OpenSearch engine: the per-period totals come from a
date_histogram aggregation (engine/opensearch/stats.py) and agree with Whoosh's."""

from __future__ import annotations

import pytest

from .conftest import jsonl
from .narrative_support import write_articles
from .opensearch_support import run_os, with_auth
from .test_narrative_share import ROWS


@pytest.fixture(scope="module")
def share_os(opensearch, tmp_path_factory):
    _kind, base_url = opensearch
    base = tmp_path_factory.mktemp("os-share")
    folder = write_articles(base / "articles", ROWS)
    url = with_auth(base_url, "narrative-share")
    res = run_os(url, base / "local", "index", "--json", str(folder))
    assert res.exit_code == 0, res.output
    return url, base / "local"


def test_share_totals_from_a_date_histogram(share_os):
    url, local = share_os
    res = run_os(url, local, "timeline", "zorblat", "--share", "--by", "month", "--json")
    assert res.exit_code == 0, res.output
    (tl,) = jsonl(res.stdout)
    got = [(b["period"], b["count"], b["total"]) for b in tl["buckets"]]
    assert got == [("2021-01", 1, 4), ("2021-02", 2, 2), ("2021-03", 1, 5)]
    res = run_os(url, local, "timeline", "zorblat", "--share", "--by", "month",
                 "--by-source", "--source", "beta.example", "--json")
    (tl,) = jsonl(res.stdout)
    got = [(b["period"], b["source_totals"]) for b in tl["buckets"]]
    assert got == [("2021-02", {"beta.example": 1}), ("2021-03", {"beta.example": 5})]
