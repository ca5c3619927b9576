"""`timeline --share` on a fixture whose per-month totals are known."""

from __future__ import annotations

import pytest

from .conftest import jsonl
from .narrative_support import build_index, run, write_articles


def _row(day: str, source: str, match: bool) -> dict:
    body = ("Zorblat was seen at the harbour today." if match
            else "The council met to discuss the budget today.")
    return {"body": body, "date": day, "source": source, "url": f"https://{source}/x"}


# month: (alpha articles, of which match), (beta articles, of which match)
ROWS = (
    [_row("2021-01-05", "alpha.example", True)]
    + [_row("2021-01-06", "alpha.example", False)] * 2
    + [_row("2021-01-07", "beta.example", False)]
    + [_row("2021-02-10", "alpha.example", True), _row("2021-02-11", "beta.example", True)]
    + [_row("2021-03-01", "beta.example", True)]
    + [_row("2021-03-02", "beta.example", False)] * 4
    + [{"body": "An undated note on the budget.", "source": "beta.example"}]
)


@pytest.fixture(scope="module")
def share_index(tmp_path_factory):
    base = tmp_path_factory.mktemp("share")
    return build_index(write_articles(base / "articles", ROWS), base / "index")


def test_share_is_matches_over_all_articles_of_each_month(share_index):
    res = run("timeline", "zorblat", "--share", "--by", "month", "--json", index=share_index)
    assert res.exit_code == 0, res.output
    (tl,) = jsonl(res.output)
    assert tl["share"] is True
    got = [(b["period"], b["count"], b["total"], b["share"]) for b in tl["buckets"]]
    assert got == [("2021-01", 1, 4, 0.25), ("2021-02", 2, 2, 1.0), ("2021-03", 1, 5, 0.2)]


def test_share_by_source_is_of_that_sources_articles(share_index):
    res = run("timeline", "zorblat", "--share", "--by", "month", "--by-source", "--json",
              index=share_index)
    assert res.exit_code == 0, res.output
    (tl,) = jsonl(res.output)
    by = {b["period"]: b for b in tl["buckets"]}
    assert by["2021-01"]["source_totals"] == {"alpha.example": 3, "beta.example": 1}
    assert by["2021-01"]["source_shares"] == {"alpha.example": pytest.approx(1 / 3, abs=1e-6),
                                              "beta.example": 0.0}
    assert by["2021-03"]["source_totals"] == {"alpha.example": 0, "beta.example": 5}
    assert by["2021-03"]["source_shares"] == {"alpha.example": None, "beta.example": 0.2}


def test_share_totals_follow_the_filters(share_index):
    res = run("timeline", "zorblat", "--share", "--by", "month", "--source", "alpha.example",
              "--json", index=share_index)
    (tl,) = jsonl(res.output)
    got = [(b["period"], b["count"], b["total"]) for b in tl["buckets"]]
    assert got == [("2021-01", 1, 3), ("2021-02", 1, 1)]
    res = run("timeline", "zorblat", "--share", "--by", "year", "--to", "2021-02", "--json",
              index=share_index)
    (tl,) = jsonl(res.output)
    assert [(b["count"], b["total"]) for b in tl["buckets"]] == [(3, 6)]


def test_share_on_the_terminal_shows_percent_and_counts(share_index):
    res = run("timeline", "zorblat", "--share", "--by", "month", index=share_index)
    assert res.exit_code == 0
    lines = res.output.splitlines()
    assert lines[0].startswith("2021-01") and "25.0%" in lines[0] and "1/4" in lines[0]
    assert "100.0%" in lines[1] and "2/2" in lines[1]
    assert "4 of 11 articles in these periods matched" in res.output
    res = run("timeline", "zorblat", "--share", "--by-source", "--by", "month",
              index=share_index)
    assert "33.3% (1/3)" in res.output and "20.0% (1/5)" in res.output


def test_share_exit_codes(share_index):
    res = run("timeline", "nothingmatchesthis", "--share", index=share_index)
    assert res.exit_code == 1
    res = run("timeline", "zorblat", "--share", "--lang", "english", index=share_index)
    assert res.exit_code == 2
    assert res.output.count("\n") == 1 and "error" in res.output
