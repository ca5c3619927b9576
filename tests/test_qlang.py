"""The query language's semantics through the CLI on a small index of real files:
date sorting over all matches, counts that agree with hits for every query form,
errors for unknown fields/languages/sources, bounded fuzzy and prefix queries,
did-you-mean, CJK words and `AT&T`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgrep.errors import NewsgrepError
from newsgrep.query import SearchRequest
from newsgrep.search import count, search

from .conftest import jsonl, run

WORDS = ["impeachment", "trump", "senate", "vote", "climate", "change", "brexit",
         "hong", "kong", "protest"]

RECORDS = [
    # (title, body, date, source). The first matches the excluded word of
    # `impeachment -trump` only: Whoosh's AndNot missed exclusions after such a start.
    ("Trump tweets", "Trump tweeted again.", "2020-03-01", "Rally News"),
    ("Senate impeachment vote", "The senate held the impeachment vote after Trump spoke.",
     "2019-12-18", "Capitol Wire"),
    ("Impeachment trial opens", "The impeachment trial opened in the senate.",
     "2020-01-16", "Capitol Wire"),
    ("Trump rally", "Trump held a rally; impeachment was not mentioned by name.",
     "2020-02-01", "Rally News"),
    ("Impeachment explained", "What impeachment means, without the president's name.",
     "", "Explainer Daily"),
    ("Climate change summit", "Climate change talks; the senate will vote on climate.",
     "2021-11-01", "Green Post"),
    ("Brexit vote", "The brexit vote split parliament. Brexit talks go on.", "2016-06-24",
     "Island Times"),
    ("Hong Kong protest", "Protest in Hong Kong grew as the vote neared.", "2019-06-12",
     "Harbour Herald"),
    ("Hong Kong again", "Hong Kong protest leaders spoke.", "", "Harbour Herald"),
    ("AT&T merger", "AT&T agreed a merger; the deal was at a record price.", "2018-06-12",
     "Wire Business"),
    ("A day at the park", "People sat at the park at noon and talked at length.",
     "2018-07-01", "Town Crier"),
    ("Kind words", "Kind, the family name, is not the English word kind.", "2018-08-01",
     "Town Crier"),
    ("习近平访问", "国家主席习近平今天访问了航天中心。", "2023-03-01", "Xinhua"),
    ("한국 뉴스", "한국은 오늘 새로운 정책을 발표했다.", "2023-04-01", "Yonhap"),
]


@pytest.fixture(scope="module")
def qindex(tmp_path_factory) -> Path:
    """The records above as a .jsonl plus one edited-and-reindexed .txt (so the index
    has a deleted document, which Whoosh's matchers must skip)."""
    root = tmp_path_factory.mktemp("qlang")
    folder = root / "docs"
    folder.mkdir()
    with open(folder / "a.jsonl", "w", encoding="utf-8") as f:
        for i, (title, body, day, source) in enumerate(RECORDS):
            f.write(json.dumps({"id": f"r{i}", "title": title, "text": body, "date": day,
                                "source": source, "lang": "en"}) + "\n")
    note = folder / "note.txt"
    note.write_text("Old note\n\nImpeachment draft.\n")
    idx = root / "index"
    assert run("index", "-q", str(folder), index=idx).exit_code == 0
    note.write_text("Impeachment note\n\nImpeachment notes, with Trump and the senate vote.\n")
    assert run("index", "-q", str(folder), index=idx).exit_code == 0
    return idx


def hits(idx: Path, *args: str) -> list[dict]:
    res = run("search", *args, "--json", index=idx)
    assert res.exit_code in (0, 1), res.output
    return jsonl(res.output)


def titles(idx: Path, *args: str) -> list[str]:
    return [h["title"] for h in hits(idx, *args)]


# -- #12.1 sorting by date ----------------------------------------------------------
@pytest.mark.parametrize("n", ["1", "2", "3", "20"])
def test_sort_newest_orders_all_matches_undated_last_whatever_n(qindex, n):
    everything = hits(qindex, "impeachment OR hong", "--sort", "newest", "-n", "20")
    dates = [h["date"] for h in everything]
    dated = [d for d in dates if d]
    assert dated == sorted(dated, reverse=True)
    assert dates == dated + [None] * (len(dates) - len(dated))  # undated last
    top = hits(qindex, "impeachment OR hong", "--sort", "newest", "-n", n)
    assert [h["id"] for h in top] == [h["id"] for h in everything][:int(n)]


def test_sort_oldest_puts_undated_last_too(qindex):
    dates = [h["date"] for h in hits(qindex, "impeachment OR hong", "--sort", "oldest",
                                     "-n", "1")]
    assert dates == ["2019-06-12"]
    dates = [h["date"] for h in hits(qindex, "impeachment OR hong", "--sort", "oldest",
                                     "-n", "20")]
    assert dates[-1] is None and dates[0] == "2019-06-12"


# -- #12.2 counts agree with hits -----------------------------------------------------
def test_minus_and_not_exclude_the_same_articles_and_counts_agree(qindex):
    a = titles(qindex, "impeachment -trump", "-n", "50")
    b = titles(qindex, "impeachment NOT trump", "-n", "50")
    assert sorted(a) == sorted(b) == ["Impeachment explained", "Impeachment trial opens"]
    for q in ("impeachment -trump", "impeachment NOT trump"):
        assert run("search", q, "-c", index=qindex).output.strip() == "2"


FORMS = st.sampled_from(["{a}", "{a} {b}", "{a} -{b}", "{a} NOT {b}", "{a} OR {b}",
                         '"{a} {b}"', '"{a} {b}"~3', "{p}*", "{a}~1", "{a} OR {b} -{c}",
                         "title:{a}", "({a} OR {b}) NOT {c}", "NOT {a}"])


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(FORMS, st.sampled_from(WORDS), st.sampled_from(WORDS), st.sampled_from(WORDS),
       st.sampled_from([None, "Capitol Wire", "Harbour Herald"]),
       st.sampled_from([None, "2019"]), st.sampled_from(["relevance", "newest"]),
       st.integers(min_value=1, max_value=4), st.booleans())
def test_count_equals_all_hits_equals_total(qindex, form, a, b, c, source, year, sort,
                                            limit, any_words):
    text = form.format(a=a, b=b, c=c, p=a[:4])
    kw = {"any_words": any_words, "sort": sort, "sources": [source] if source else [],
          "date_from": None, "date_to": None}
    if year:
        from datetime import date
        kw["date_from"], kw["date_to"] = date(2019, 1, 1), date(2019, 12, 31)
    try:
        everything = search(SearchRequest(text, limit=None, **kw), qindex)
    except NewsgrepError:
        return
    n = count(SearchRequest(text, **kw), qindex)
    top = search(SearchRequest(text, limit=limit, **kw), qindex)
    assert n == len(everything.hits) == everything.total == top.total
    assert len(top.hits) == min(limit, n)
    assert len({h.id for h in everything.hits}) == n  # no article twice
    if sort == "relevance":  # the top k are the best k of all (scores, ties aside)
        assert [round(h.score, 6) for h in top.hits] == \
            [round(h.score, 6) for h in everything.hits[:limit]]
    else:
        assert [h.id for h in top.hits] == [h.id for h in everything.hits[:limit]]


# -- #12.4 unknown fields, languages, sources ------------------------------------------
@pytest.mark.parametrize("query", ["line:x", "foo:y", "url:x", "http://example.com"])
def test_unknown_fields_are_one_line_errors_listing_the_fields(qindex, query):
    res = run("search", query, index=qindex)
    assert res.exit_code == 2
    assert "unknown field" in res.output and "title:" in res.output
    assert len(res.output.strip().splitlines()) == 1


def test_text_with_a_colon_that_is_not_a_field_still_searches(qindex):
    assert run("search", '"http://example.com"', index=qindex).exit_code == 1
    assert run("search", "12:30", index=qindex).exit_code == 1


@pytest.mark.parametrize("args", [["lang:english"], ["vote", "--lang", "english"]])
def test_unknown_language_codes_are_errors(qindex, args):
    res = run("search", *args, index=qindex)
    assert res.exit_code == 2
    assert "unknown language 'english'" in res.output and "ISO 639-1" in res.output


def test_language_codes_are_read_like_the_articles(qindex):
    assert run("search", "vote", "--lang", "EN-us", "-c", index=qindex).output.strip() == \
        run("search", "vote lang:EN", "-c", index=qindex).output.strip() != "0"


def test_unknown_source_is_an_error_with_close_names(qindex):
    res = run("search", "protest", "--source", "Harbor Herald", index=qindex)
    assert res.exit_code == 2
    assert "Harbor Herald" in res.output and "Harbour Herald?" in res.output
    res = run("search", "protest", "--source", "zzzz", "-c", index=qindex)
    assert res.exit_code == 2 and "no source called 'zzzz'" in res.output
    # A known source with no match for the query is just "no matches".
    assert run("search", "brexit", "--source", "Harbour Herald", index=qindex).exit_code == 1


# -- #11.4 bounded fuzzy and prefix queries -----------------------------------------
@pytest.mark.parametrize("query", ["a~99", "vote~3", "title:vote~5"])
def test_more_than_two_fuzzy_edits_is_an_error(qindex, query):
    res = run("search", query, index=qindex)
    assert res.exit_code == 2 and "at most 2 edits" in res.output


def test_fuzzy_and_proximity_still_work(qindex):
    assert "Brexit vote" in titles(qindex, "brexjt~1")
    assert "Brexit vote" in titles(qindex, "brexxit~2")
    assert "Hong Kong protest" in titles(qindex, '"hong protest"~5')


def test_a_prefix_that_stands_for_too_many_words_is_refused(tmp_path, monkeypatch):
    from newsgrep.engine.querylang import nodes

    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "a.txt").write_text("Words\n\n" + " ".join(f"pre{i}x" for i in range(40)))
    idx = tmp_path / "i"
    assert run("index", "-q", str(folder), index=idx).exit_code == 0
    monkeypatch.setattr(nodes, "MAX_EXPANSIONS", 30)
    res = run("search", "pre*", index=idx)
    assert res.exit_code == 2 and "more than 30 different words" in res.output
    assert run("search", "pre1*", "-c", index=idx).output.strip() == "1"  # 11 words



def test_a_prefix_of_an_archive_with_many_variants_still_runs(tmp_path):
    """`elect*` stands for ~1,800 words at 100k bench articles (names, typos): more
    than Lucene's 1,024 clauses, which newsgrep refused until the bench hit it."""
    folder = tmp_path / "d"
    folder.mkdir()
    words = [f"elect{a}{b}{c}" for a in "abcdefghijk" for b in "abcdefghij" for c in "abcdefghij"]
    assert len(words) == 1100
    (folder / "a.txt").write_text("Many variants\n\n" + " ".join(words))
    (folder / "b.txt").write_text("Other\n\nThe election was held; electaaa again.")
    idx = tmp_path / "i"
    assert run("index", "-q", str(folder), index=idx).exit_code == 0
    res = run("search", "elect*", "-c", index=idx)
    assert res.exit_code == 0 and res.output.strip() == "2"


# -- #12.5 did-you-mean ---------------------------------------------------------------
@pytest.mark.parametrize("typo, fix", [("impechment", "impeachment"), ("brexti", "brexit"),
                                       ('"hong kongg"', '"hong kong"'),
                                       ("climte chnage", "climate change")])
def test_did_you_mean_prefers_close_words(qindex, typo, fix):
    res = search(SearchRequest(typo), qindex)
    assert res.total == 0
    assert res.suggestion == fix


# -- #12.6 CJK and AT&T ---------------------------------------------------------------
@pytest.mark.parametrize("word", ["习近平", "航天", "한국", "访问", "中"])
def test_cjk_words_inside_longer_runs_are_found(qindex, word):
    assert any(t in ("习近平访问", "한국 뉴스") for t in titles(qindex, word))


def test_cjk_words_are_highlighted_whole(qindex):
    hit = hits(qindex, "习近平")[0]
    marked = "".join(hit["snippet"][s:e] for s, e in hit["highlights"])
    assert marked == "习近平"


def test_cjk_word_is_a_phrase_not_scattered_characters(qindex):
    assert titles(qindex, "平习") == []  # both bigrams' characters exist, not together


def test_at_and_t_is_one_word(qindex):
    assert titles(qindex, "AT&T") == ["AT&T merger"]
    assert titles(qindex, "t") == []


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .&-习近平航天한국東京 A1")), max_size=40))
def test_index_time_and_query_time_analysis_agree_on_mixed_scripts(text):
    from newsgrep.engine.analysis import term_positions
    from newsgrep.engine.analyzers import text_analyzer

    by_analyzer: dict[str, list[int]] = {}
    for t in text_analyzer()(text, positions=True):
        by_analyzer.setdefault(t.text, []).append(t.pos)
    assert by_analyzer == term_positions(text)
