"""Text analysis shared by indexing, querying and highlighting (Whoosh analyzers).

Tokens are lower-cased, accent-folded and stemmed with the Snowball stemmer (C-backed
PyStemmer) of the article's language (`lang`: the record's, else detected at ingest)
when that language has one and the token is in its script; otherwise with the default
of the token's script (English for Latin, Russian for Cyrillic, Greek for Greek), as
before languages were told apart. Latin-script languages with no maintained stemmer
(Latvian, Slovak, Slovenian, ...: FOLD_ONLY) are folded only. All languages share the
title and body fields; a query word is expanded to its stems under every language the
index holds, each stem required to be in an article of its language
(engine/querylang/nodes.py: AnyLanguage), so a user never has to say which language an
article is in. Whoosh has no filter that picks a stemmer per token, hence this one;
results are cached per token, which makes it several times faster than Whoosh's own
StemFilter + CharsetFilter chain.

Across scripts: each Cyrillic word is also indexed, at the same position, under a Latin
"sound key" (translit_key: `Навальный` -> `навальн` -> `~navaln`; see fastformat.Analyzed
on the field length). A Latin query word is looked
up under the keys of the Cyrillic words it may stand for (query_keys: `golunov` ->
`~golun`, `~golunov`), and a Cyrillic query word also as the English-language press
spells it (romanized: `Навальный` -> `navalny`). Keys carry a `~` prefix, which no word
has, so they never match a Latin-script word; prefix and fuzzy queries, which keep the
first letter, never reach them.

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

import functools
import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from functools import lru_cache
from itertools import compress, islice, repeat
from operator import is_
from typing import Any

import cyrtranslit
import Stemmer

from ..words import WORD, fold, word_list

# Per-process memo of token -> indexed term. News vocabulary is Zipfian, so 64k entries
# catch nearly all lookups; 500k cost ~200 MB per parsing worker on a growing vocabulary.
TERM_CACHE = 65_536

_STEMMERS = {
    "latin": Stemmer.Stemmer("english"),
    "cyrillic": Stemmer.Stemmer("russian"),
    "greek": Stemmer.Stemmer("greek"),
}

# ISO 639-1 code -> (PyStemmer algorithm, the scripts it stems). English, Russian and
# Greek are the script defaults above (analysed exactly as before languages were told
# apart). Languages left out have no Snowball stemmer (lv, sk, sl, uk, bg, ...): their
# words are folded only, or for Cyrillic take the Russian default. Serbian Snowball
# stems Serbo-Croatian in both scripts, hence hr/bs too.
_LANG_ALGORITHMS = {
    "de": ("german", ("latin",)), "fr": ("french", ("latin",)),
    "es": ("spanish", ("latin",)), "it": ("italian", ("latin",)),
    "pt": ("portuguese", ("latin",)), "nl": ("dutch", ("latin",)),
    "sv": ("swedish", ("latin",)), "no": ("norwegian", ("latin",)),
    "nb": ("norwegian", ("latin",)), "nn": ("norwegian", ("latin",)),
    "da": ("danish", ("latin",)), "fi": ("finnish", ("latin",)),
    "hu": ("hungarian", ("latin",)), "ro": ("romanian", ("latin",)),
    "tr": ("turkish", ("latin",)), "lt": ("lithuanian", ("latin",)),
    "ca": ("catalan", ("latin",)), "cs": ("czech", ("latin",)),
    "pl": ("polish", ("latin",)), "et": ("estonian", ("latin",)),
    "eu": ("basque", ("latin",)), "ga": ("irish", ("latin",)),
    "id": ("indonesian", ("latin",)), "eo": ("esperanto", ("latin",)),
    "sr": ("serbian", ("latin", "cyrillic")), "hr": ("serbian", ("latin",)),
    "bs": ("serbian", ("latin",)),
}
_AVAILABLE = set(Stemmer.algorithms())
LANG_STEMMERS: dict[str, tuple[Stemmer.Stemmer, tuple[str, ...]]] = {
    lang: (Stemmer.Stemmer(algo), scripts)
    for lang, (algo, scripts) in _LANG_ALGORITHMS.items() if algo in _AVAILABLE
}
# Latin-script languages with no stemmer: folded only rather than given English rules.
FOLD_ONLY = frozenset({"lv", "sk", "sl", "sq", "mt", "is", "ms", "tl", "sw", "af",
                       "cy", "gl", "vi", "az", "uz"})
# Every language that analyses differently from the script defaults (English, Russian,
# Greek): a query word is
# expanded under each of them that the index holds.
QUERY_LANGS = tuple(sorted(set(LANG_STEMMERS) | FOLD_ONLY))


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
def normalize_term(word: str, lang: str | None = None) -> str:
    """The indexed form of one lower-cased token of an article in language `lang`."""
    folded = fold(word)
    script = _script(folded)
    if script is None or len(folded) < 3 or not folded.isalpha():
        return folded
    if lang is not None:
        own = LANG_STEMMERS.get(lang)
        if own is not None and script in own[1]:
            # Stemmed before folding: their rules read the accents (Czech `volbách`,
            # Turkish `seçim`), and some write them (Turkish `secim` -> `seç`).
            return fold(own[0].stemWord(word))
        if lang in FOLD_ONLY and script == "latin":
            return folded
    return _STEMMERS[script].stemWord(folded)


def normalize_terms(words: list[str], lang: str | None = None) -> list[str]:
    """[normalize_term(w, lang) for w in words], with one stemmer call for all when every
    word is lower-case ASCII letters, at least 3 long (most words of English text, and
    what snippets.batch_terms passes): for those, normalize_term only picks a stemmer."""
    if not words:
        return []
    joined = "".join(words)  # each test below in C, over all the words at once
    if not (joined.isascii() and joined.isalpha() and joined.islower()) or \
            min(map(len, words)) < 3:
        return [normalize_term(w, lang) for w in words]
    own = LANG_STEMMERS.get(lang) if lang is not None else None
    if own is not None and "latin" in own[1]:
        # Stemmed before folding, as normalize_term: a stem may gain accents (Turkish).
        return [s if s.isascii() else fold(s) for s in own[0].stemWords(words)]
    if lang is not None and lang in FOLD_ONLY:
        return list(words)
    return _STEMMERS["latin"].stemWords(words)  # the script default


def is_cyrillic(term: str) -> bool:
    """Whether the first letter of `term` is Cyrillic."""
    return _script(term) == "cyrillic"


# Spellings that transliteration schemes and languages write differently for one sound
# (`ш` is `sh` in English, `s`/`š` in Lithuanian/Latvian, `sch` in German; `й` is `j`,
# `y` or `i`; `ц` is `ts`, `c` or cyrtranslit's `cz`): a key keeps only what they agree
# on. Hand-written because it is a handful of merges over the library's
# transliteration, not a transliteration table.
_KEY_MERGES = (("shch", "s"), ("shh", "s"), ("sch", "s"), ("sh", "s"), ("zh", "z"),
               ("ch", "c"), ("kh", "h"), ("cz", "c"), ("ts", "c"), ("tz", "c"), ("ck", "k"),
               ("x", "ks"), ("w", "v"), ("q", "k"), ("j", "i"), ("y", "i"))
_NOT_LETTER = re.compile(r"[^a-z]+")
_DOUBLES = re.compile(r"(.)\1+")
KEY_PREFIX = "~"
# English-style romanisations (`Golunova`, `politseyskikh`, `otravleniye`) as written in
# cyrtranslit's own Latin, which reads `kh`, `ts` and `iya` otherwise (`кх`, `тс`, `ыйа`),
# so that the Russian stemmer sees the real ending.
_TO_CYRTRANSLIT = (("shch", "shh"), ("kh", "h"), ("tsya", "тся"), ("ts", "cz"), ("iya", "iя"),
                   ("iye", "iе"), ("iyu", "iю"), ("iyo", "iё"))


def _key_of_latin(latin: str) -> str:
    key = _NOT_LETTER.sub("", fold(latin.lower()))
    for a, b in _KEY_MERGES:
        key = key.replace(a, b)
    key = _DOUBLES.sub(r"\1", key)
    return KEY_PREFIX + key if len(key) >= 3 else ""


@lru_cache(maxsize=TERM_CACHE)
def translit_key(term: str) -> str:
    """The Latin sound key of a Russian-stemmed Cyrillic term (`навальн` -> `~navaln`);
    "" when too short to be worth one. cyrtranslit transliterates (both directions, so
    that query and index meet in one spelling)."""
    return _key_of_latin(cyrtranslit.to_latin(term, "ru"))


def _cyrillic_guesses(latin: str) -> list[str]:
    """A Latin-script word as the Cyrillic words it may stand for. Romanisations drop
    what the stemmer needs to find the ending: `ь` (`prinimat'` -> `prinimat`), and `ы`,
    `ый` and `ий` all become `y`; a name is typed in the nominative, which the Russian
    stemmer cuts differently from its other cases (`голунов` -> `голун`, `голунова` ->
    `голунов`). So the ending is also tried as the others it may be."""
    for a, b in _TO_CYRTRANSLIT:
        latin = latin.replace(a, b)
    cyr = cyrtranslit.to_cyrillic(latin, "ru")
    out = [cyr]
    if cyr.endswith("и") and latin.endswith("y"):
        out += [cyr[:-1] + "ы", cyr[:-1] + "ый", cyr[:-1] + "ий"]
    elif cyr[-1:] not in "аеёиоуыэюяйь":  # a consonant: the genitive, a lost soft sign
        out += [cyr + "а", cyr + "ь"]
    return out


@lru_cache(maxsize=TERM_CACHE)
def query_keys(word: str) -> tuple[str, ...]:
    """The sound keys a Latin-script query word is looked up under: the Cyrillic words
    it may stand for (_cyrillic_guesses), Russian-stemmed and keyed like an indexed
    Cyrillic word (`navalny` -> `навальный` -> `навальн` -> `~navaln`)."""
    folded = fold(word.lower())
    if _script(folded) != "latin" or not folded.isalpha() or len(folded) < 3:
        return ()
    keys = {translit_key(_STEMMERS["cyrillic"].stemWord(c)) for c in _cyrillic_guesses(folded)}
    return tuple(sorted(k for k in keys if k))


# Shorter Cyrillic words (prepositions, particles) are not names: not romanised.
ROMANIZED_MIN = 4


@lru_cache(maxsize=TERM_CACHE)
def romanized(word: str) -> tuple[str, ...]:
    """A Cyrillic query word as the English-language press writes it (iuliia's
    Wikipedia scheme: `Навальный` -> `navalny`, `Зеленский` -> `zelensky`), and its
    Russian stem likewise (`Голунова` -> `golunov`, so a case form finds the name as
    English text writes it), so a Cyrillic query finds the Latin spelling too; () for
    other words, and for words shorter than ROMANIZED_MIN letters, which are not names
    (`ну` as `nu` found Swedish and Icelandic articles ahead of the Russian one:
    docs/multilingual.md)."""
    if len(word) < ROMANIZED_MIN or _script(fold(word)) != "cyrillic":
        return ()
    # Imported here: only a Cyrillic query word needs it, and it loads json and its
    # schemas (milliseconds) in every other search.
    import iuliia

    forms = [fold(iuliia.WIKIPEDIA.translate(word)).lower()]
    stem = normalize_term(word)
    if len(stem) >= 4:
        forms.append(fold(iuliia.WIKIPEDIA.translate(stem)).lower())
    return tuple(dict.fromkeys(f for f in forms if f.isalpha()))


def query_terms(word: str, langs: Iterable[str | None]) -> dict[str | None, set[str]]:
    """Language -> the indexed terms one lower-cased query word stands for in articles of
    that language (None: in any article: the script default's stem and the cross-script
    forms)."""
    out: dict[str | None, set[str]] = {None: {normalize_term(word)}}
    for lang in langs:
        if lang is not None:
            out.setdefault(lang, set()).add(normalize_term(word, lang))
    out[None].update(query_keys(word))
    for roman in romanized(word):
        for lang in (None, *langs):
            out.setdefault(lang, set()).add(normalize_term(roman, lang))
    return out


@lru_cache(maxsize=256)
def term_normalizer(lang: str | None) -> Callable[[str], str]:
    """The indexed form of a lower-cased word of an article in `lang` (normalize_term),
    for marking matches in that article's text."""
    if lang is None or (lang not in LANG_STEMMERS and lang not in FOLD_ONLY):
        return normalize_term
    return functools.partial(normalize_term, lang=lang)


class MatchTerms(frozenset):
    """Indexed terms to mark in a text (snippets.find_matches), where a Cyrillic word
    also counts as matched when its Latin sound key is among them (a Latin query found
    it by that key). `by_lang`: terms to mark only in articles of that language (a query
    word's stem under that language's rules); for_lang() adds them."""

    by_lang: dict[str, frozenset[str]]

    def __new__(cls, terms: Iterable[str] = (),
                by_lang: dict[str, set[str]] | None = None) -> MatchTerms:
        self = super().__new__(cls, terms)
        self.by_lang = {k: frozenset(v) for k, v in (by_lang or {}).items() if v}
        return self

    def __contains__(self, term: object) -> bool:
        if frozenset.__contains__(self, term):
            return True
        return (isinstance(term, str) and "\u0400" <= term[:1] <= "\u04ff"
                and frozenset.__contains__(self, translit_key(term)))

    def for_lang(self, lang: str | None) -> MatchTerms:
        """The terms to mark in an article in `lang`."""
        extra = self.by_lang.get(lang) if lang else None
        return MatchTerms(self | extra) if extra else self


def marks_for(terms: Collection[str], lang: str | None
              ) -> tuple[Collection[str], Callable[[str], str]]:
    """(terms to mark, the word -> term function) for the text of an article in `lang`:
    its words analysed as they were indexed, with that language's rules."""
    if hasattr(terms, "for_lang"):  # MatchTerms, OpenSearch's highlight terms
        terms = terms.for_lang(lang)
    return terms, term_normalizer(lang)


_TOKEN = WORD  # the analyzer's word pattern, CJK runs aside (see newsgrep/words.py)

# term_positions' memo, per (language, stopwords): each word as written -> its indexed
# term, or None for a stopword. One dict lookup per word where the lru_caches took two
# calls (stopword fold, then the term keyed on (word, lang)): analysis is most of an
# ingest worker's time. Bounded: all are dropped once they hold TERM_CACHE words, and
# refill with the frequent ones at once (Zipf).
_WORD_TERMS: dict[tuple[str | None, frozenset[str]], dict[str, str | None]] = {}
_cached_words = [0]


def _word_terms(lang: str | None, stops: frozenset[str]) -> dict[str, str | None]:
    cache = _WORD_TERMS.get((lang, stops))
    if cache is None:
        cache = _WORD_TERMS[(lang, stops)] = {}
    return cache


def _terms_of(missing: set[str], lang: str | None, stops: frozenset[str],
              cache: dict[str, str | None]) -> dict[str, str | None]:
    """Words (as written) of an article in `lang` that the memo lacks -> their terms as
    term_positions indexes them (None: a stopword), added to the memo. ASCII words, most
    of them, skip folding and go through the stemmer in one call (stemWords): a word
    the memo lacks cost ~20 µs one by one, and a corpus with many rare words (names,
    typos) has dozens per article."""
    out: dict[str, str | None] = {}
    plain: list[str] = []  # as written, and lower-cased: for the stemmer
    lowered: list[str] = []
    for word in missing:
        token = word.lower()
        if not word.isascii():  # fold and script rules: normalize_term's, one by one
            out[word] = None if stops and _fold_cached(token) in stops else \
                normalize_term(token, lang)
        elif stops and token in stops:  # folding leaves ASCII as it is
            out[word] = None
        elif len(token) < 3 or not token.isalpha():  # normalize_term: folded only
            out[word] = token
        else:
            plain.append(word)
            lowered.append(token)
    if lowered:  # Latin script: normalize_term's choice of stemmer, for all at once
        own = LANG_STEMMERS.get(lang) if lang is not None else None
        if own is not None and "latin" in own[1]:
            stems = [s if s.isascii() else fold(s) for s in own[0].stemWords(lowered)]
        elif lang in FOLD_ONLY:
            stems = lowered
        else:
            stems = _STEMMERS["latin"].stemWords(lowered)
        out.update(zip(plain, stems, strict=True))
    room = TERM_CACHE - _cached_words[0]
    if len(out) > room:  # bounded: emptied, and refilled with the frequent words at once
        for c in _WORD_TERMS.values():
            c.clear()
        _cached_words[0] = 0
        room = TERM_CACHE
    if len(out) > room:
        cache.update(islice(out.items(), room))
    else:
        cache.update(out)
    _cached_words[0] += min(len(out), room)
    return out


def term_positions(text: str, stops: Iterable[str] | None = None,
                   lang: str | None = None, keys: bool = False,
                   tokens: list[str] | None = None) -> dict[str, list[int]]:
    """Indexed term -> positions of an article in language `lang` (None: the script
    defaults, as text_analyzer() produces them); with `keys`, also each Cyrillic word's
    Latin sound key (translit_key, `~...`) at the word's position, as the index holds
    them (fastformat.analyzed). `tokens`: the text's word_list(), if already made.

    `stops` as text_analyzer(stopwords=...): None means STOPWORDS.
    """
    stopset = STOPWORDS if stops is None else frozenset(stops)
    cache = _word_terms(lang, stopset)
    if tokens is None:
        tokens = word_list(text)
    # Every word's term in one C-level pass over the memo; the words it lacks, once each.
    terms = list(map(cache.get, tokens, repeat(_MISSING)))
    if _MISSING in terms:
        missing = set(compress(tokens, map(is_, terms, repeat(_MISSING))))
        # Taken from what _terms_of returns: the memo may have been emptied (bounded).
        new = _terms_of(missing, lang, stopset, cache)
        terms = list(map(new.get, tokens, terms))
    first = 0
    if None in terms:  # stopwords: dropped, the words after renumbered (FoldStemFilter)
        while first < len(terms) and terms[first] is None:
            first += 1
        terms = [t for t in terms if t is not None]
    kept: list[str] = terms  # type: ignore[assignment]  # no None left
    poses: dict[str, list[int]] = defaultdict(list)
    if keys and _CYRILLIC.search("".join(kept)):
        # Some term is (or may be) Cyrillic: its sound key goes in after it, in order.
        for pos, term in enumerate(kept, first):
            poses[term].append(pos)
            if "\u0400" <= term[:1] <= "\u04ff" and (key := translit_key(term)):
                poses[key].append(pos)
    else:
        for pos, term in enumerate(kept, first):
            poses[term].append(pos)
    return dict(poses)


_CYRILLIC = re.compile("[\u0400-\u04ff]")
_MISSING: Any = object()
