"""The query language, through the CLI, plus property tests: no query may crash it."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgrep.errors import NewsgrepError
from newsgrep.query import SearchRequest, date_bound
from newsgrep.search import search

from .conftest import SEED_000, SEED_004, jsonl, run


def paths(index, *args):
    res = run("search", *args, "-l", index=index)
    assert res.exit_code in (0, 1), res.output
    return res.output.split()


def test_proximity(demo_index):
    # seed 000: "... sending thousands more troops there as fears that Russia ..."
    assert str(SEED_000) in paths(demo_index, '"troops russia"~6')
    assert str(SEED_000) not in paths(demo_index, '"troops russia"')


def test_not_and_minus_exclude_but_hyphenated_words_do_not(demo_index):
    both = paths(demo_index, "troops baltic")
    assert str(SEED_004) in both
    assert str(SEED_004) not in paths(demo_index, "troops baltic -galkins")
    assert str(SEED_004) not in paths(demo_index, "troops baltic NOT galkins")
    # "capacity-building" is a word, not "capacity NOT building"
    assert str(SEED_000) in paths(demo_index, "capacity-building")


def test_or_and_grouping(demo_index):
    a = set(paths(demo_index, "galkins"))
    b = set(paths(demo_index, "pabriks"))
    assert set(paths(demo_index, "galkins OR pabriks")) == a | b
    assert set(paths(demo_index, "(galkins OR pabriks) kallas")) <= a | b


def test_prefix_and_fuzzy(demo_index):
    assert str(SEED_000) in paths(demo_index, "springbo*")
    assert str(SEED_000) in paths(demo_index, "sprinboard~")
    assert str(SEED_000) not in paths(demo_index, "sprinboard")


def test_field_scopes(demo_index):
    assert paths(demo_index, "title:latvia") == [str(SEED_004)]
    res = run("search", "lang:ru", "--json", "-n", "200", index=demo_index)
    assert len(jsonl(res.output)) == 100
    assert run("search", "source:meduza", "-c", index=demo_index).output.strip() == "100"


def test_date_scopes(demo_index):
    res = run("search", "date:[2022-01 TO 2022-02]", "--json", index=demo_index)
    assert [h["path"] for h in jsonl(res.output)] == [str(SEED_000)]
    res = run("search", "date:2019-01", "--json", "-n", "100", index=demo_index)
    dates = [h["date"] for h in jsonl(res.output)]
    assert dates and all(d.startswith("2019-01") for d in dates)
    res = run("search", "date:>2020-12-20", "--json", "-n", "100", index=demo_index)
    dates = [h["date"] for h in jsonl(res.output)]
    assert dates and all(d > "2020-12-20" for d in dates)


def test_relative_since(demo_index):
    # Nothing in the demo corpus is from the last two weeks.
    assert run("search", "troops", "--since", "2 weeks", index=demo_index).exit_code == 1
    res = run("search", "troops", "--until", "yesterday", "-c", index=demo_index)
    assert int(res.output) > 0


def test_any_mode_ranks_a_bag_of_words(demo_index):
    q = "apartment building collapse Magnitogorsk giraffe"
    assert run("search", q, index=demo_index).exit_code == 1  # not every word is there
    res = run("search", "--any", q, "--json", "-n", "3", index=demo_index)
    hits = jsonl(res.output)
    assert "Magnitogorsk" in hits[0]["title"]


def test_snippets_highlight_stemmed_and_folded_matches(demo_index):
    res = run("search", "anusauskas", "--json", index=demo_index)
    hit = jsonl(res.output)[0]
    marked = [hit["snippet"][s:e] for s, e in hit["highlights"]]
    assert "Anušauskas" in marked
    res = run("search", "deployments", "--source", "balticword.com", "--json", index=demo_index)
    hit = jsonl(res.output)[0]
    assert "deploying" in [hit["snippet"][s:e] for s, e in hit["highlights"]]


@pytest.mark.parametrize("query", ["(", "AND", "date:>notadate", "date:[x TO y]", "   "])
def test_bad_queries_are_errors_not_empty_results(demo_index, query):
    res = run("search", query, index=demo_index)
    assert res.exit_code == 2


def test_partial_dates_cover_their_period():
    from datetime import date

    assert date_bound("2022", end=False) == date(2022, 1, 1)
    assert date_bound("2022", end=True) == date(2022, 12, 31)
    assert date_bound("2024-02", end=True) == date(2024, 2, 29)
    assert date_bound("2022-03-04", end=True) == date(2022, 3, 4)
    with pytest.raises(NewsgrepError):
        date_bound("2022-02-30", end=False)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=60))
def test_no_query_text_crashes_search(demo_index, text):
    try:
        result = search(SearchRequest(text, limit=3), demo_index)
    except NewsgrepError:
        return
    assert result.total >= len(result.hits)


QUERY_ATOMS = st.sampled_from([
    "troops", "baltic", "AND", "OR", "NOT", "(", ")", '"', "*", "~", "~2", "-", "+", ":",
    "title:", "date:", "source:", "lang:", "[", "]", "TO", ">", "<", "2022", "2022-01",
    "^2", "Anušauskas", "москва", "'", "\\", "/", "{", "}",
])


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(QUERY_ATOMS, max_size=8), st.booleans())
def test_no_combination_of_syntax_crashes_search(demo_index, atoms, any_words):
    text = " ".join(atoms)
    try:
        result = search(SearchRequest(text, any_words=any_words, limit=3), demo_index)
    except NewsgrepError:
        return
    assert result.total >= len(result.hits)


def test_prefix_finds_words_whose_stem_is_shorter_than_the_prefix(tmp_path):
    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "1.txt").write_text("Immigration debate\n\nThe immigration bill passed.\n")
    (folder / "2.txt").write_text("Immigrants arrive\n\nMany immigrants arrived.\n")
    (folder / "3.txt").write_text("Spring weather\n\nA warm spring day.\n")
    (folder / "4.txt").write_text("A springboard\n\nThe springboard broke.\n")
    idx = tmp_path / "idx"
    assert run("index", "-q", str(folder), index=idx).exit_code == 0
    names = lambda q: sorted(p.rsplit("/", 1)[1] for p in paths(idx, q))  # noqa: E731
    assert names("immigra*") == ["1.txt", "2.txt"]  # "immigration" is indexed as "immigr"
    assert names("springbo*") == ["4.txt"]  # not "spring"
    assert names("spring*") == ["3.txt", "4.txt"]
