"""`newsgrep terms` on a fixture whose document frequencies are known."""

from __future__ import annotations

import pytest

from .conftest import jsonl
from .narrative_support import build_index, run, write_articles

STORY = ["Zorblat Kettering said on Monday that the Vantaa harbour would reopen.",
         "Zorblat Kettering said on Monday that the Vantaa harbour would reopen.",
         "Zorblat Kettering said on Monday that the Vantaa harbour would reopen.",
         "On Monday Zorblat Kettering said the Vantaa harbours would reopen."]
OTHER = (["The town council said on Monday that the budget had passed."] * 6
         + ["The town council said on Monday that the harbour budget had passed."] * 2)


@pytest.fixture(scope="module")
def terms_index(tmp_path_factory):
    base = tmp_path_factory.mktemp("terms")
    rows = [{"title": f"Article {i}", "body": body, "date": "2021-05-01",
             "source": "alpha.example"} for i, body in enumerate(STORY + OTHER)]
    return build_index(write_articles(base / "articles", rows), base / "index")


def test_terms_scores_and_counts_are_jlh_over_document_frequencies(terms_index):
    res = run("terms", "zorblat", "--json", index=terms_index)
    assert res.exit_code == 0, res.output
    (out,) = jsonl(res.output)
    assert (out["matches"], out["foreground"], out["background"]) == (4, 4, 12)
    terms = {t["term"]: t for t in out["terms"]}
    # In all 4 matches and nowhere else: (1 - 1/3) * 1 / (1/3) = 2.
    for word in ("Zorblat", "Kettering", "Vantaa"):
        assert (terms[word]["fg"], terms[word]["bg"], terms[word]["score"]) == (4, 4, 2.0)
        assert terms[word]["kind"] == "word"
    assert terms["Zorblat Kettering"]["kind"] == "phrase"
    assert terms["Zorblat Kettering"]["score"] == 2.0
    # harbour/harbours: one term, shown as most often written; in 4 of 4 and 6 of 12.
    assert (terms["harbour"]["fg"], terms["harbour"]["bg"], terms["harbour"]["score"]) \
        == (4, 6, 1.0)
    assert "harbours" not in terms
    # As common in the matches as everywhere: not characteristic.
    for word in ("said", "Monday", "On Monday"):
        assert word not in terms
    scores = [t["score"] for t in out["terms"]]
    assert scores == sorted(scores, reverse=True)


def test_terms_limit_phrases_and_bar_chart(terms_index):
    res = run("terms", "zorblat", "-n", "3", "--no-phrases", "--json", index=terms_index)
    (out,) = jsonl(res.output)
    assert len(out["terms"]) == 3 and all(t["kind"] == "word" for t in out["terms"])
    res = run("terms", "zorblat", "-n", "5", index=terms_index)
    assert res.exit_code == 0
    lines = res.output.splitlines()
    assert len(lines) == 6 and "█" in lines[0] and "4 / 4" in lines[0]
    assert "in 4 matches / in all 12 articles" in lines[-1]


def test_terms_exit_codes(terms_index):
    assert run("terms", "nothingmatchesthis", index=terms_index).exit_code == 1
    res = run("terms", "zorblat", "--from", "2022", "--to", "2021", index=terms_index)
    assert res.exit_code == 2


def test_terms_on_the_demo_corpus_are_the_case_not_said(demo_index):
    res = run("terms", "голунов", "-n", "30", "--json", index=demo_index)
    assert res.exit_code == 0
    (out,) = jsonl(res.output)
    words = [t["term"] for t in out["terms"]]
    for expected in ("Голунов", "Иван Голунов", "Собянин", "мэр Москвы"):
        assert expected in words, words
    res = run("terms", "trump", "-n", "30", "--json", index=demo_index)
    words = [t["term"] for t in jsonl(res.output)[0]["terms"]]
    assert "Donald Trump" in words and "said" not in words and "Said" not in words
