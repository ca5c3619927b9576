"""term_positions' per-word memo (issue #16, indexing cost): whatever the text, language,
stopwords and however often the bounded cache is emptied, the postings are those of the
analysis spelled out word by word (words(), fold, normalize_term, translit_key)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgrep.engine import analysis
from newsgrep.words import words


def spelled_out(text: str, stops, lang: str | None, keys: bool) -> dict[str, list[int]]:
    """The postings by definition: every word analysed afresh, positions renumbered past
    stopwords as Whoosh's StopFilter does."""
    stopset = analysis.STOPWORDS if stops is None else frozenset(stops)
    out: dict[str, list[int]] = {}
    pos = None
    for i, (_, _, word) in enumerate(words(text)):
        token = word.lower()
        if stopset and analysis.fold(token) in stopset:
            continue
        pos = i if pos is None else pos + 1
        term = analysis.normalize_term(token, lang)
        out.setdefault(term, []).append(pos)
        if keys and "\u0400" <= term[:1] <= "\u04ff" and (key := analysis.translit_key(term)):
            out.setdefault(key, []).append(pos)
    return out


# Real words in several scripts and cases (the memo is keyed on the word as written),
# stopwords among them, plus arbitrary text.
WORDS = ["The", "the", "THE", "of", "Bundeskanzlers", "Wahlen", "volbách", "seçim",
         "Навальный", "навального", "Голунова", "ну", "в", "Ελλάδα", "İstanbul", "AT&T",
         "U.S.", "東京都", "news", "libraries", "ß", "Łódź", "42", "x"]
texts = st.one_of(
    st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=120),
)
langs = st.sampled_from([None, "en", "de", "cs", "tr", "lv", "ru", "sr", "el", "xx"])
stops = st.sampled_from([None, (), ("the", "of"), analysis.STOPWORDS])


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.tuples(texts, stops, langs, st.booleans()), min_size=1, max_size=4),
       st.sampled_from([3, 50, analysis.TERM_CACHE]))
def test_memo_gives_the_spelled_out_postings(calls, bound):
    # Several calls in a row share the memo; a small bound empties it mid-text.
    saved = analysis.TERM_CACHE
    analysis.TERM_CACHE = bound
    try:
        for text, stop, lang, keys in calls:
            got = analysis.term_positions(text, stops=stop, lang=lang, keys=keys)
            assert got == spelled_out(text, stop, lang, keys)
    finally:
        analysis.TERM_CACHE = saved


def test_memo_stays_bounded():
    saved = analysis.TERM_CACHE
    analysis.TERM_CACHE = 100
    try:
        text = " ".join(f"word{i}x" for i in range(1000))
        for lang in (None, "de", "fr"):
            analysis.term_positions(text, lang=lang)
        held = sum(len(c) for c in analysis._WORD_TERMS.values())
        assert 0 < held <= 100
    finally:
        analysis.TERM_CACHE = saved
