"""Splitting text into words, and folding them: the one tokenizer that indexing,
queries, snippets, highlighting and reprint detection share (engine/analysis.py wraps it
for Whoosh), so what is marked in a snippet is exactly what was indexed.

A word is a run of word characters, kept together across `.` and `&` between them
(`U.S.`, `AT&T`, `S&P`: split at `&`, `AT&T` became the stopword `at` and `t`, which
matched half of any English corpus).

Chinese, Japanese and Korean are not written with spaces between words, so a run of
their characters is one "word" to `\\w+` and a query for a word inside it found nothing.
Such runs are cut into overlapping character bigrams (`习近平` -> `习近`, `近平`), as
Lucene's CJKBigramFilter and Elasticsearch's `cjk` analyzer do; a query word becomes the
phrase of its bigrams, so it matches wherever those characters stand together. A lone
CJK character is kept as it is. Hand-written (one regex and a loop) because a real
segmenter (jieba, MeCab) is one language each and far heavier; bigrams need no
dictionary and are the standard baseline for CJK search.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator

WORD = re.compile(r"\w+(?:[.&]\w+)*")

# Han (with extensions and compatibility ideographs), Hiragana, Katakana (with the
# half-width forms and the prolonged sound mark), Hangul syllables and jamo.
_CJK_CHARS = (
    "\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f"
)


# Compiled on first use, each: compiling these classes costs milliseconds (the BMP
# ranges become a big charset, built in Python), paid by every process that imports this
# module (each search), and most never meet CJK text, many no non-ASCII word.
@functools.cache
def _cjk() -> re.Pattern[str]:
    return re.compile(f"[{_CJK_CHARS}]")


@functools.cache
def _cjk_run() -> re.Pattern[str]:
    return re.compile(f"[{_CJK_CHARS}]+")


# Every character that may be CJK, and more: all from U+1100 up but the punctuation,
# symbols and arrows of U+2000-U+2BFF (curly quotes, dashes, in most news text). Cheap to
# compile (few ranges, negated); a text it finds nothing in needs no _cjk().
_MAYBE_CJK = re.compile("[^\x00-\u10ff\u2000-\u2bff]")


def has_cjk(text: str) -> bool:
    # isascii() reads a flag of the string, without a scan.
    if text.isascii() or _MAYBE_CJK.search(text) is None:
        return False
    return _cjk().search(text) is not None


def words(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, word) of each word of `text`, in order, as written (not lower-cased);
    runs of CJK characters as their bigrams (see the module docstring)."""
    if not has_cjk(text):
        for m in WORD.finditer(text):
            yield m.start(), m.end(), m.group()
        return
    for m in WORD.finditer(text):
        word = m.group()
        if not has_cjk(word):
            yield m.start(), m.end(), word
            continue
        yield from _split_cjk(word, m.start())


# The last text raw_words() was asked about, and its words (by identity: strings are
# immutable, and the reference kept here stops the id being reused).
_LAST: tuple[str | None, list[str]] = (None, [])


def raw_words(text: str) -> list[str]:
    """WORD's matches in `text`, CJK runs not cut into bigrams; the list is shared: do not
    change it. Remembered for the last text asked, so that an article's body is split
    once for reprint detection (dedup.py) and for indexing (word_list)."""
    global _LAST
    last = _LAST
    if last[0] is text:
        return last[1]
    found = WORD.findall(text)
    _LAST = (text, found)
    return found


def word_list(text: str) -> list[str]:
    """The words of `text` as words() yields them, without the offsets: findall is
    several times faster than that generator, which only CJK text needs. Do not change
    the list (it may be raw_words')."""
    if has_cjk(text):
        return [w for _, _, w in words(text)]
    return raw_words(text)


def _split_cjk(word: str, offset: int) -> Iterator[tuple[int, int, str]]:
    pos = 0
    for run in _cjk_run().finditer(word):
        if run.start() > pos:  # Latin letters or digits before the run: `iPhone手机`
            yield from _plain(word[pos:run.start()], offset + pos)
        s, chars = run.start(), run.group()
        if len(chars) == 1:
            yield offset + s, offset + s + 1, chars
        else:
            for i in range(len(chars) - 1):
                yield offset + s + i, offset + s + i + 2, chars[i:i + 2]
        pos = run.end()
    if pos < len(word):
        yield from _plain(word[pos:], offset + pos)


def _plain(piece: str, offset: int) -> Iterator[tuple[int, int, str]]:
    for m in WORD.finditer(piece):  # what is left may start or end with `.`/`&`
        yield offset + m.start(), offset + m.end(), m.group()


# Letters NFKD does not decompose into base + accent.
_SPECIAL_FOLD = str.maketrans({
    "ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "ß": "ss", "æ": "ae", "œ": "oe",
    "ı": "i", "ħ": "h", "ŧ": "t", "ё": "е",
})


def fold(word: str) -> str:
    """Lower-case word without accents: `anušauskas` -> `anusauskas`, `łódź` -> `lodz`."""
    word = word.translate(_SPECIAL_FOLD)
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    # Keep Cyrillic й (и + breve) whole: Russian stemming needs it.
    out: list[str] = []
    for ch in decomposed:
        if unicodedata.combining(ch) and not (out and out[-1] in "иИ" and ch == "\u0306"):
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))
