"""find_matches finds exactly the words a plain word-by-word pass finds: the same spans
and terms, whatever joins words (`.`, `&`), CJK runs, repeated calls sharing decisions,
or a term set given as a frozenset, a MatchTerms or a (unhashable) set."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsgrep.engine.analysis import MatchTerms, normalize_term, term_normalizer
from newsgrep.snippets import find_matches
from newsgrep.words import words


def reference(text: str, terms, term_of, exact=frozenset()) -> list[tuple[int, int, str]]:
    out = []
    for start, end, word in words(text):
        term = term_of(word.lower())
        if term in terms or (exact and word in exact):
            out.append((start, end, term))
    return out


# Pieces that make word boundaries interesting: joiners, digits, accents, Cyrillic,
# CJK (and a CJK punctuation mark that is no word character), apostrophes.
PIECES = ["troops", "Troops", "troop", "U.S.", "AT&T", "S&P", "x.troops", "troops.x",
          "&", ".", "..", "&&", " ", "  ", "\n", "-", "'", "’", "Anušauskas", "anusauskas",
          "tunnels", "москва", "Москве", "习近平", "手机", "iPhone手机", "・", "_", "9", "tro",
          "s", "ops", "troopstroops", "a.b&c", "Riga", "riga."]
texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
TERMS = ["troop", "tunnel", "anusauska", "москв", "us", "at", "习近", "手机", "riga", "s", "x"]
term_sets = st.sets(st.sampled_from(TERMS), max_size=4)


@settings(max_examples=400, deadline=None)
@given(st.lists(texts, min_size=1, max_size=4), term_sets,
       st.sampled_from([None, "en", "ru", "de"]),
       st.sets(st.sampled_from(["Troops", "U.S.", "AT&T", "riga"]), max_size=2))
def test_same_matches_as_word_by_word(bodies, terms, lang, exact):
    term_of = term_normalizer(lang)
    for kind in (frozenset, MatchTerms, set):
        ts = kind(terms)
        ex = frozenset(exact)
        for body in bodies:  # several bodies in a row share the decisions
            assert find_matches(body, ts, term_of, ex) == reference(body, ts, term_of, ex)


def test_a_word_joined_to_another_is_not_marked_alone():
    text = "x.troops and troops, troops.x or U.S.troops; &troops troops&"
    got = [text[s:e] for s, e, _ in find_matches(text, frozenset({"troop"}), normalize_term)]
    assert got == ["troops", "troops", "troops"]
    assert find_matches(text, frozenset({"troop"}), normalize_term) == \
        reference(text, frozenset({"troop"}), normalize_term)


def test_a_cjk_bigram_decided_first_is_still_known_as_cjk():
    """`iPhone手机` is split into bigrams word by word; `手机` then standing alone in another
    text must still be found (the shared decisions remember it holds CJK)."""
    terms = frozenset({"手机"})
    for text in ("iPhone手机 x", "手机 y", "z 手机"):
        assert find_matches(text, terms, normalize_term) == \
            reference(text, terms, normalize_term)
    assert find_matches("手机", terms, normalize_term) == [(0, 2, "手机")]
