"""find_matches finds exactly the words a plain word-by-word pass finds: the same spans
and terms, whatever joins words (`.`, `&`), CJK runs, repeated calls sharing decisions,
or a term set given as a frozenset, a MatchTerms or a (unhashable) set."""

from __future__ import annotations

import functools

from hypothesis import given, settings
from hypothesis import strategies as st

from newsgrep.engine.analysis import (
    QUERY_LANGS,
    MatchTerms,
    normalize_term,
    normalize_terms,
    term_normalizer,
)
from newsgrep.snippets import batch_terms, find_matches
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


# batch_terms: the stemmer of each language, called once for many plain ASCII words,
# must give what normalize_term gives word by word (any language the index may hold).
ascii_words = st.text(alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzeiaosy"),
                      min_size=3, max_size=14)


@settings(max_examples=300, deadline=None)
@given(st.lists(ascii_words, min_size=1, max_size=30),
       st.sampled_from([None, *QUERY_LANGS, "xx"]))
def test_batch_terms_are_normalize_terms(tokens, lang):
    term_of = term_normalizer(lang)
    assert batch_terms(tokens, term_of) == [term_of(t) for t in tokens]


# normalize_terms: the public batch normaliser gives normalize_term's result for any
# words, plain ASCII (one stemmer call) or not (accents, Cyrillic, capitals, spaces,
# short or empty words), mixed in one list.
any_words = st.one_of(ascii_words, st.text(max_size=10),
                      st.text(alphabet=st.sampled_from("aeçšйЖжΩω Tx1.-"), max_size=8))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(ascii_words, any_words), max_size=30),
       st.sampled_from([None, *QUERY_LANGS, "xx"]))
def test_normalize_terms_is_normalize_term_per_word(words, lang):
    assert normalize_terms(words, lang) == [normalize_term(w, lang) for w in words]
    plain = [w for w in words if w.isascii() and w.isalpha() and w.islower() and len(w) >= 3]
    assert normalize_terms(plain, lang) == [normalize_term(w, lang) for w in plain]


def test_batch_terms_only_for_the_index_normaliser():
    assert batch_terms(["troops"], str.upper) is None
    assert batch_terms(["troops"], functools.partial(normalize_term, lang="de")) == \
        [normalize_term("troops", lang="de")]


def test_many_bodies_mark_the_same_words_as_one_by_one():
    """--json of thousands of hits: words decided in batches, over many bodies in several
    languages, mark what the word-by-word pass marks (accents, joiners, short words)."""
    import random

    rnd = random.Random(7)
    vocab = ["Troops", "troop", "tunnels", "TUNNEL", "governments", "governed", "Turkish",
             "secim", "seçim", "Anušauskas", "U.S.", "abc", "ab", "x1", "riga", "Riga's"]
    for lang in (None, "en", "de", "tr", "lv"):
        term_of = term_normalizer(lang)
        terms = MatchTerms({"troop", "tunnel", "govern", "sec", "anusauska", "riga"})
        for _ in range(60):
            body = " ".join(rnd.choice(vocab) + rnd.choice(["", "s", "ing", "ed"])
                            for _ in range(rnd.randint(1, 30)))
            assert find_matches(body, terms, term_of) == reference(body, terms, term_of)
