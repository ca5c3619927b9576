"""Text analysis shared by indexing, querying and highlighting (Whoosh analyzers).

One analyzer for every language, so a query matches whichever language an article is
in: tokens are lower-cased, accent-folded and stemmed with the Snowball stemmer of the
token's script (C-backed PyStemmer: English for Latin script, Russian for Cyrillic,
Greek for Greek). Whoosh has no filter that picks a stemmer per token, hence this one;
results are cached per token, which makes it several times faster than Whoosh's own
StemFilter + CharsetFilter chain.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import Stemmer
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer

# Letters NFKD does not decompose into base + accent.
_SPECIAL_FOLD = str.maketrans({
    "ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "ß": "ss", "æ": "ae", "œ": "oe",
    "ı": "i", "ħ": "h", "ŧ": "t", "ё": "е",
})

_STEMMERS = {
    "latin": Stemmer.Stemmer("english"),
    "cyrillic": Stemmer.Stemmer("russian"),
    "greek": Stemmer.Stemmer("greek"),
}


def fold(word: str) -> str:
    """Lower-case word without accents: `anušauskas` -> `anusauskas`, `łódź` -> `lodz`."""
    word = word.translate(_SPECIAL_FOLD)
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    # Keep Cyrillic й (и + breve) whole: Russian stemming needs it.
    out = []
    for ch in decomposed:
        if unicodedata.combining(ch) and not (out and out[-1] in "иИ" and ch == "\u0306"):
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def _script(word: str) -> str | None:
    for ch in word:
        if "a" <= ch <= "z":
            return "latin"
        if "\u0400" <= ch <= "\u04ff":
            return "cyrillic"
        if "\u0370" <= ch <= "\u03ff":
            return "greek"
        if ch.isalpha():
            return None
    return None


@lru_cache(maxsize=500_000)
def normalize_term(word: str) -> str:
    """The indexed form of one lower-cased token."""
    folded = fold(word)
    script = _script(folded)
    if script is None or len(folded) < 3 or not folded.isalpha():
        return folded
    return _STEMMERS[script].stemWord(folded)


class FoldStemFilter(Filter):
    """Accent-fold and stem each token (see module docstring)."""

    def __init__(self, stem: bool = True):
        self.stem = stem

    def __eq__(self, other):
        return isinstance(other, FoldStemFilter) and other.stem == self.stem

    def __call__(self, tokens):
        norm = normalize_term if self.stem else fold
        for t in tokens:
            if not t.stopped:
                t.text = norm(t.text)
            yield t


def text_analyzer(stem: bool = True):
    """Tokenize on word characters (keeps `U.S.`-style abbreviations together)."""
    return RegexTokenizer() | LowercaseFilter() | FoldStemFilter(stem=stem)
