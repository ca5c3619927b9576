"""Words typed more than once in a query (a pasted sentence that repeats its topic):
the parser searches each word once and marks how often it was typed; the ranking weighs
it by BM25's query-term-frequency factor (Ranking.qtf_k3). Matches, counts and
highlights stay those of the query with each word once."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsgrep.engine import ranking as rk
from newsgrep.engine.querylang.parser import parse_user_query
from newsgrep.query import SearchRequest
from scripts import eval_ranking as er


def repeats(text: str, any_words: bool = True) -> dict[str, int]:
    """stem -> the repeats mark of its query nodes (1 if unmarked)."""
    from newsgrep.engine import whoosh_rank as wr

    q = parse_user_query(SearchRequest(text, any_words=any_words))
    out: dict[str, int] = {}
    for node in q.subqueries if type(q).__name__ in ("Or", "And") else [q]:
        for word in wr.query_words(node, "body") or wr.query_words(node, "title"):
            out[word] = max(out.get(word, 1), getattr(node, "repeats", 1))
    return out


@pytest.mark.parametrize("any_words", [True, False])
def test_the_parser_marks_words_typed_more_than_once(any_words):
    # Any inflection counts as the word (one stem); a word under NOT does not count.
    assert repeats("Tunnels of the river, tunnel safety, tunnel costs",
                   any_words) == {"tunnel": 3, "river": 1, "safeti": 1, "cost": 1}
    assert repeats("river tunnel -tunnel", any_words) == {"river": 1, "tunnel": 1}
    assert repeats("river tunnel", any_words) == {"river": 1, "tunnel": 1}


def test_repeat_weight_is_bm25s_query_term_factor():
    r = rk.DEFAULT.with_(qtf_k3=8.0)
    assert r.repeat_weight(1) == 1.0
    assert r.repeat_weight(2) == pytest.approx(9 * 2 / 10)
    assert rk.DEFAULT.with_(qtf_k3=0.0).repeat_weight(5) == 1.0
    assert rk.DEFAULT.with_(qtf_k3=math.inf).repeat_weight(5) == 5.0


@given(k3=st.floats(0.0, 1e6), n=st.integers(1, 50))
def test_repeat_weight_grows_from_one_to_n(k3, n):
    r = rk.DEFAULT.with_(qtf_k3=k3)
    w, more = r.repeat_weight(n), r.repeat_weight(n + 1)
    assert 1.0 <= w <= n * (1 + 1e-9)
    # (k3+1)n/(k3+n) rises with n; at a k3 near 0 both are 1 within a rounding error
    assert more >= w * (1 - 1e-12)


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    from newsgrep.engine import open_engine

    docs = [("tunnel", "", "the tunnel opened on monday after years of work"),
            ("river", "", "the river opened on monday after years of work"),
            ("both", "", "the tunnel under the river"),
            ("neither", "", "a story about the weather")]
    docs += [(f"filler-{i}", "", f"filler article number {i} about town life")
             for i in range(12)]
    index = tmp_path_factory.mktemp("repeats") / "index"
    er.build_newsgrep(docs, index)
    return open_engine(index)


def search(engine, text: str, r: rk.Ranking, any_words: bool = True):
    with er.ranking_in_engine(r):
        return engine.search(SearchRequest(text, any_words=any_words, limit=None,
                                           snippets=1))


def test_a_repeated_word_weighs_its_query_term_factor(engine):
    plain = rk.DEFAULT.with_(fb_docs=0, prox_weight=0.0, qtf_k3=0.0)
    once = {h.id: h.score for h in search(engine, "tunnel river", plain).hits}
    twice = {h.id: h.score for h in search(engine, "tunnel river tunnels", plain).hits}
    assert twice == once  # counted once: as before
    weighted = plain.with_(qtf_k3=8.0)
    res = search(engine, "tunnel river tunnels", weighted)
    scores = {h.id: h.score for h in res.hits}
    assert scores["tunnel"] == pytest.approx(once["tunnel"] * weighted.repeat_weight(2))
    assert scores["river"] == pytest.approx(once["river"])
    # "tunnel" and "river" tied on one word each; the word typed twice now wins.
    assert once["tunnel"] == pytest.approx(once["river"])
    assert scores["tunnel"] > scores["river"]


@pytest.mark.parametrize("any_words", [True, False])
def test_repeats_change_the_order_only(engine, any_words):
    r = rk.DEFAULT.with_(qtf_k3=8.0, fb_min_matches=1)
    for text in ("tunnel river tunnel tunnels", "river tunnel river -weather"):
        base = search(engine, " ".join(dict.fromkeys(text.split())), rk.DEFAULT,
                      any_words)
        res = search(engine, text, r, any_words)
        assert sorted(h.id for h in res.hits) == sorted(h.id for h in base.hits)
        assert res.total == base.total
        marked = {t.lower() for h in res.hits for s in h.snippets for t, hit in s if hit}
        assert marked <= {"tunnel", "river"}


def test_proximity_only_for_keyword_queries(engine):
    """prox_max_words: the bonus for adjacent words applies to queries of at most that
    many distinct words; a longer query ranks as with no bonus at all."""
    r = rk.DEFAULT.with_(prox_weight=0.25, prox_max_words=2)
    off = r.with_(prox_weight=0.0)

    def scores(text: str, ranking: rk.Ranking) -> dict[str, float]:
        return {h.id: h.score for h in search(engine, text, ranking).hits}

    short, plain = scores("tunnel river", r), scores("tunnel river", off)
    assert short["both"] > plain["both"]  # "the tunnel under the river": adjacent
    assert short["tunnel"] == plain["tunnel"]
    assert scores("tunnel river weather", r) == scores("tunnel river weather", off)
