"""Snippets: passages that show why an article matched."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsgrep.engine.analysis import normalize_term
from newsgrep.snippets import find_matches, snippets

TEXT = ("Troops arrived in Riga on Monday. " + "Filler words about nothing at all. " * 12
        + "More troops and tanks followed, officials said. " + "Other filler text here. " * 12
        + "The troops will stay.")


def test_marks_stemmed_and_folded_forms():
    marked = [p for snip in snippets("Anušauskas spoke of tunnels.", {"anusauska", "tunnel"},
                                     normalize_term) for p, hit in snip if hit]
    assert marked == ["Anušauskas", "tunnels"]


def test_passages_do_not_repeat_text_and_keep_order():
    snips = snippets(TEXT, {"troop", "tank"}, normalize_term, top=3)
    texts = ["".join(p for p, _ in s) for s in snips]
    starts = [TEXT.index(t) for t in texts]
    assert starts == sorted(starts)
    for (a, ta), (b, _) in zip(zip(starts, texts, strict=True),
                               zip(starts[1:], texts[1:], strict=True), strict=False):
        assert a + len(ta) <= b  # no overlap
    assert any("tanks" in t for t in texts)


@given(st.text(max_size=500), st.sets(st.text(min_size=1, max_size=8), max_size=5))
def test_never_crashes_and_pieces_come_from_the_text(text, words):
    terms = {normalize_term(w.lower()) for w in words}
    for snip in snippets(text, terms, normalize_term):
        joined = "".join(p for p, _ in snip)
        assert joined in text
        for piece, hit in snip:
            if hit:
                assert normalize_term(piece.lower()) in terms
    assert len(find_matches(text, terms, normalize_term)) <= len(text)
