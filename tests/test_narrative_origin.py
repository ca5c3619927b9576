"""`newsgrep origin` on a reprint set whose dates are known."""

from __future__ import annotations

import pytest

from .conftest import jsonl
from .narrative_support import build_index, run, write_articles

STORY = ("The harbour authority of Vantaa confirmed on Tuesday that the Zorblat ferry line "
         "will resume crossings to Tallinn next month after a winter of repairs to the "
         "north pier, which was damaged by ice in January. Officials said the company had "
         "paid for the work and that ticket prices would stay the same for the summer "
         "season, while local traders welcomed the news as a relief for the old port.")


def _row(name, day, source, body, title="Zorblat ferry to resume"):
    return {"name": name, "title": title, "body": body, "date": day, "source": source,
            "url": f"https://{source}/{name}"}


ROWS = [
    _row("beta", "2021-03-03", "beta.example", STORY),
    _row("alpha", "2021-03-01", "alpha.example", STORY + " More to follow."),
    _row("gamma", "2021-03-08", "gamma.example", "Reprinted from Alpha. " + STORY),
    # The same subject in other words: related, not a reprint; and earlier than all.
    _row("delta", "2021-02-01", "delta.example",
         "Zorblat, the ferry company, is repairing the north pier at Vantaa after the ice "
         "damage; crossings to Tallinn are suspended until the work is finished.",
         title="Zorblat repairs pier"),
    _row("alpha2", "2021-04-01", "alpha.example",
         "Zorblat ferries carried a record number of passengers in March.",
         title="Zorblat record"),
    _row("other", "2020-12-01", "beta.example",
         "The town council passed its budget for the next year.", title="Budget"),
]


@pytest.fixture(scope="module")
def origin_index(tmp_path_factory):
    base = tmp_path_factory.mktemp("origin")
    folder = write_articles(base / "articles", ROWS)
    return build_index(folder, base / "index"), folder


def _id_of(index, folder, name):
    res = run("show", str(folder / f"{name}.json"), "--json", index=index)
    return jsonl(res.output)[0]["id"]


def test_origin_of_an_article_is_its_reprint_group_earliest_first(origin_index):
    index, folder = origin_index
    beta = _id_of(index, folder, "beta")
    res = run("origin", beta, "--json", index=index)
    assert res.exit_code == 0, res.output
    (o,) = jsonl(res.output)
    assert o["kind"] == "article" and o["ref"] == beta and o["matches"] == 3
    got = [(r["source"], r["date"], r["days_after"]) for r in o["outlets"]]
    assert got == [("alpha.example", "2021-03-01", 0), ("beta.example", "2021-03-03", 2),
                   ("gamma.example", "2021-03-08", 7)]
    sims = {r["source"]: r["similarity"] for r in o["outlets"]}
    assert sims["beta.example"] == 1.0
    assert 0.5 <= sims["alpha.example"] < 1.0 and 0.5 <= sims["gamma.example"] < 1.0
    # The same article by its path gives the same group.
    res = run("origin", str(folder / "gamma.json"), "--json", index=index)
    assert [r["source"] for r in jsonl(res.output)[0]["outlets"]] == \
        ["alpha.example", "beta.example", "gamma.example"]


def test_origin_of_a_query_is_the_first_match_per_source(origin_index):
    index, _ = origin_index
    res = run("origin", "zorblat", "--json", index=index)
    assert res.exit_code == 0
    (o,) = jsonl(res.output)
    assert o["kind"] == "query" and o["matches"] == 5
    got = [(r["source"], r["date"], r["days_after"]) for r in o["outlets"]]
    assert got == [("delta.example", "2021-02-01", 0), ("alpha.example", "2021-03-01", 28),
                   ("beta.example", "2021-03-03", 30), ("gamma.example", "2021-03-08", 35)]
    res = run("origin", "zorblat", "--from", "2021-03-02", "--json", index=index)
    got = [(r["source"], r["date"]) for r in jsonl(res.output)[0]["outlets"]]
    assert got == [("beta.example", "2021-03-03"), ("gamma.example", "2021-03-08"),
                   ("alpha.example", "2021-04-01")]


def test_origin_table_and_exit_codes(origin_index):
    index, folder = origin_index
    beta = _id_of(index, folder, "beta")
    res = run("origin", beta, index=index)
    assert res.exit_code == 0
    lines = [ln for ln in res.output.splitlines() if "example" in ln]
    assert "alpha.example" in lines[0] and "+0" in lines[0]
    assert "gamma.example" in lines[2] and "+7" in lines[2]
    assert "3 articles in this reprint group from 3 sources; first: alpha.example on " \
        "2021-03-01" in res.output
    assert run("origin", "nothingmatchesthis", index=index).exit_code == 1
    res = run("origin", beta, "--source", "alpha.example", index=index)
    assert res.exit_code == 2 and "apply to a query" in res.output
