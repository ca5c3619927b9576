"""Text analysis shared by indexing, querying and highlighting (Whoosh analyzers).

One analyzer for every language, so a query matches whichever language an article is
in: tokens are lower-cased, accent-folded and stemmed with the Snowball stemmer of the
token's script (C-backed PyStemmer: English for Latin script, Russian for Cyrillic,
Greek for Greek). Whoosh has no filter that picks a stemmer per token, hence this one;
results are cached per token, which makes it several times faster than Whoosh's own
StemFilter + CharsetFilter chain.

Title and body also drop a short, conservative list of English function words
(STOPWORDS) before stemming: it is matched against the folded lower-case token, so only
Latin-script words can be stopped, and it leaves out every word that is also a name or
acronym in news ("us"/US, "it"/IT, "who"/WHO, "may", "will", "can", "no", "me", "am").
Stopped words are dropped at indexing and at query time alike, and the positions of the
words that remain are renumbered as Whoosh's StopFilter does, so a phrase query with a
stopword inside (`"bank of america"`) still matches. Measured on the NPL test collection,
see docs/ranking.md.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import Stemmer
from whoosh.analysis import Filter, LowercaseFilter, Token, Tokenizer

from ..words import WORD, words

# Letters NFKD does not decompose into base + accent.
_SPECIAL_FOLD = str.maketrans({
    "ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "ß": "ss", "æ": "ae", "œ": "oe",
    "ı": "i", "ħ": "h", "ŧ": "t", "ё": "е",
})

# Per-process memo of token -> indexed term. News vocabulary is Zipfian, so 64k entries
# catch nearly all lookups; 500k cost ~200 MB per parsing worker on a growing vocabulary.
TERM_CACHE = 65_536

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


# English function words that carry no topic. Deliberately short: no word that is also
# a common name, acronym, month or noun in news (us, it, who, may, will, can, not, no,
# me, am, all, one, more, against, down ...). Keep it ASCII and lower-case.
STOPWORDS = frozenset("""
a an and are as at be because been being but by could did do does doing for from had has
have having he her here hers herself him himself his how if in into is its itself my myself
nor of on or our ours ourselves she should than that the their theirs them themselves then
there these they this those through to very was we were what when where which while whom
whose why with would you your yours yourself yourselves
""".split())


@lru_cache(maxsize=TERM_CACHE)
def _fold_cached(word: str) -> str:
    return fold(word)


@lru_cache(maxsize=TERM_CACHE)
def normalize_term(word: str) -> str:
    """The indexed form of one lower-cased token."""
    folded = fold(word)
    script = _script(folded)
    if script is None or len(folded) < 3 or not folded.isalpha():
        return folded
    return _STEMMERS[script].stemWord(folded)


class FoldStemFilter(Filter):
    """Accent-fold and stem each token, dropping `stops` (see module docstring).

    The filter is pickled into the index's schema, so an index keeps the behaviour it was
    built with; indexes made before stopwords existed unpickle without `stops` and fall
    back to the class default (no stopwords), at indexing and query time alike.
    """

    stops: frozenset[str] = frozenset()

    def __init__(self, stem: bool = True, stops: Iterable[str] = ()):
        self.stem = stem
        self.stops = frozenset(stops)

    def __eq__(self, other):
        return (isinstance(other, FoldStemFilter) and other.stem == self.stem
                and other.stops == self.stops)

    def __call__(self, tokens):
        norm = normalize_term if self.stem else fold
        stops = self.stops
        pos = None
        for t in tokens:
            if t.stopped:
                yield t
                continue
            if stops and _fold_cached(t.text) in stops:
                if not t.removestops:
                    t.stopped = True
                    yield t
                continue
            t.text = norm(t.text)
            if t.positions:  # close the gaps stopwords leave, as StopFilter(renumber=True)
                pos = t.pos if pos is None else pos + 1
                t.pos = pos
            yield t


class WordTokenizer(Tokenizer):
    """newsgrep's words (newsgrep/words.py: `U.S.` and `AT&T` kept whole, CJK runs as
    character bigrams) as Whoosh tokens, one position each."""

    def __eq__(self, other):
        return isinstance(other, WordTokenizer)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True, mode="",
                 **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = value
            t.boost = 1.0
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        for pos, (start, end, text) in enumerate(words(value)):
            t.text = text
            t.boost = 1.0
            if keeporiginal:
                t.original = text
            t.stopped = False
            if positions:
                t.pos = start_pos + pos
            if chars:
                t.startchar, t.endchar = start_char + start, start_char + end
            yield t


def text_analyzer(stem: bool = True, stopwords: Iterable[str] | None = None):
    """Tokenize into newsgrep's words (WordTokenizer), lower-case, fold, stem.

    `stopwords`: None means STOPWORDS when stemming (title and body) and none otherwise;
    pass () to keep every word.
    """
    if stopwords is None:
        stopwords = STOPWORDS if stem else ()
    return WordTokenizer() | LowercaseFilter() | FoldStemFilter(stem=stem, stops=stopwords)


_TOKEN = WORD  # the analyzer's word pattern, CJK runs aside (see newsgrep/words.py)


def term_positions(text: str, stops: Iterable[str] | None = None) -> dict[str, list[int]]:
    """Indexed term -> positions, exactly as text_analyzer() would produce them.

    `stops` as text_analyzer(stopwords=...): None means STOPWORDS.
    """
    poses: dict[str, list[int]] = {}
    norm = normalize_term
    if stops is None:
        stops = STOPWORDS
    fold_ = _fold_cached
    pos = None
    for i, (_, _, word) in enumerate(words(text)):
        token = word.lower()
        if stops and fold_(token) in stops:
            continue
        # Renumbered past stopwords as FoldStemFilter does.
        pos = i if pos is None else pos + 1
        word = norm(token)
        lst = poses.get(word)
        if lst is None:
            poses[word] = [pos]
        else:
            lst.append(pos)
    return poses
