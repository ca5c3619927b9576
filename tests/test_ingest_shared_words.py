"""An article's text is split into words once and the split shared (words.raw_words):
by the postings (term_positions' `tokens`), the exact field's counts and MinHash. Each
must give what it gave from its own split; and the language model mapped from the
user's cache must say what py3langid's own loader says."""

from __future__ import annotations

import re
import struct
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgrep import dedup, language
from newsgrep.engine import analysis
from newsgrep.engine.whoosh.fastformat import analyzed, encode_positions
from newsgrep.engine.whoosh.schema import exact_text
from newsgrep.words import fold, raw_words, word_list, words

from .conftest import CORPUS

# Words whose lower-casing reads neighbours (Σ), grows (İ), or that the two splits cut
# differently (U.S., AT&T), case-ignorable separators (', ·, combining marks), CJK.
PIECES = ["ΟΔΥΣΣΕΥΣ", "Σ", "ΣΑΣ'Β", "İstanbul", "U.S.", "AT&T", "S&P", "it's", "l·l",
          "e\u0301", "東京都", "Навальный", "ёлка", "Straße", "ŁÓDŹ", "The", "of", "42",
          "x", "\n", "  ", "a.b.c", "&", "."]
texts = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=30).map(" ".join),
    st.lists(st.sampled_from(PIECES), max_size=30).map("".join),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80),
)


def shingles_by_definition(text: str) -> set[bytes]:
    """dedup's shingles from the text's own `\\w+` split, lower-cased as a whole."""
    ws = [fold(w) for w in re.findall(r"\w+", text.lower())]
    if not ws:
        return set()
    if len(ws) < dedup.SHINGLE:
        return {" ".join(ws).encode()}
    return {" ".join(ws[i:i + dedup.SHINGLE]).encode()
            for i in range(len(ws) - dedup.SHINGLE + 1)}


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_minhash_from_the_shared_split_is_the_texts_own(text):
    raw_words(text)  # as when the indexer split it first
    assert dedup._shingles(text) == shingles_by_definition(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, texts, st.sampled_from([None, "en", "de", "tr", "ru", "lv"]))
def test_postings_and_counts_from_given_words(title, body, lang):
    both = f"{title}\n{body}"
    assert word_list(title) + word_list(body) == [w for _, _, w in words(both)]
    given_words = analyzed(body, lang, word_list(body)).postings
    own = [(t, len(p), encode_positions(p)) for t, p in
           analysis.term_positions(body, lang=lang, keys=True).items()]
    assert given_words == own
    counted = exact_text(both, counted=True, tokens=(word_list(title), word_list(body)))
    assert counted.counts == dict(Counter(w for _, _, w in words(both)))


def test_position_encodings_single_and_many():
    for poslist in ([0], [255], [256], [65535], [65536], [3, 4, 300], [1, 70000], [0, 1]):
        deltas = [b - a for a, b in zip([0, *poslist], poslist, strict=False)]
        top = max(deltas)
        tag, fmt = (b"B", "B") if top < 256 else (b"H", "H") if top < 65536 else (b"I", "I")
        want = tag + struct.pack(f"<{len(deltas)}{fmt}", *deltas)
        assert encode_positions(poslist) == want


def test_mapped_model_identifies_as_the_librarys(tmp_path, monkeypatch):
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    monkeypatch.setenv("NEWSGREP_CACHE_DIR", str(tmp_path / "cache"))
    mapped = language._load()
    assert isinstance(mapped.tk_nextmove, memoryview)  # the cache was made and used
    assert language._load().tk_nextmove.obj is not None  # and read again
    own = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    files = sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix != ".md")
    assert len(files) > 100
    for path in files[:150]:
        sample = path.read_text(encoding="utf-8", errors="replace")[:language.SAMPLE_CHARS]
        assert mapped.classify(sample) == own.classify(sample), path


def test_unusable_cache_falls_back_to_the_library(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("NEWSGREP_CACHE_DIR", str(blocker / "cache"))
    ident = language._load()
    assert not isinstance(ident.tk_nextmove, memoryview)
    assert ident.classify("the minister said on tuesday that the bridge would open")[0] == "en"
