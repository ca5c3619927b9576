"""The nodes of newsgrep's query tree on Whoosh's query classes: each word in every
language (AnyLanguage), bounded prefix/wildcard/fuzzy expansion, the stemmed prefix, a
correct AND NOT, path globs."""

from __future__ import annotations

import copy
import itertools
import re
from collections.abc import Callable, Iterator
from itertools import islice

from whoosh import matching, query
from whoosh.support.levenshtein import levenshtein

from ...errors import NewsgrepError
from ...words import has_cjk
from ..analysis import QUERY_LANGS, normalize_term, query_keys, query_terms, romanized
from ..ranking import robertson_idf

# Bounds on the words one query term may stand for, so no query runs for minutes
# (`a~99` took 458 s, `a*` 17 s on 7.6k articles). As Lucene's: at most 2 edits, and its
# fuzzy query keeps the 50 closest terms (max_expansions). A prefix or wildcard standing
# for more than MAX_EXPANSIONS words is refused. Lucene's 1,024 clauses was too few for an
# archive: at 100k bench articles `elect*` stands for 1,841 words (typos and names
# included); at 8,192 the broadest prefix allowed there, `pre*` (7,074 words, 82k
# articles), took 1.0 CPU-s.
MAX_EDITS = 2
FUZZY_EXPANSIONS = 50
MAX_EXPANSIONS = 8192
FUZZY_PREFIX = 1  # a fuzzy term's first letter must match (Lucene's spell checker's
# minPrefix): with none, `game~2` tried every word of up to 6 letters (2 s per field)


def index_languages(reader) -> frozenset[str]:
    """The languages of the articles `reader` holds (its `lang` terms), once per reader."""
    cache = reader.__dict__.setdefault("_newsgrep_langs", [])
    if not cache:
        try:
            found = frozenset(t.decode("utf-8") if isinstance(t, bytes) else t
                              for t in reader.lexicon("lang"))
        except Exception:  # no `lang` field, or a reader without a lexicon
            found = frozenset()
        cache.append(found)
    return cache[0]


def _only_in(langs: frozenset[str]) -> query.Query:
    """Articles in one of `langs` (a filter: Require takes no score from it)."""
    terms: list[query.Query] = [query.Term("lang", lang) for lang in sorted(langs)]
    return terms[0] if len(terms) == 1 else query.Or(terms)


def _absent(q: query.Query, reader) -> bool:
    """Whether `q` is a term (or a term restricted to some languages) `reader` lacks."""
    if isinstance(q, query.Require):
        q = q.a
    return type(q) is query.Term and (q.fieldname, q.text) not in reader


class AnyLanguage(query.Or):
    """One query word (or phrase) in every language: the OR of its indexed forms, each
    as an alternative. The first is the word as the script's default analysis indexes it
    (an English, Russian or Greek article, or one in a language with no stemmer); then
    its cross-script forms (sound keys of Cyrillic words for a Latin word, the Latin
    spelling for a Cyrillic one), which match in any article; then its stems under other
    languages' rules, each required to be in an article of those languages (Require on
    `lang`), so French `news` -> `new` never matches the English word `new`.
    Alternatives for languages the index does not hold are left out when matching.

    children() is the first alternative only: the code that reads a query's words (the
    proximity bonus, feedback's word count, did-you-mean, OpenSearch's suggester) sees
    the word as typed and analysed, not a list of stems that would break its word order.
    The alternatives are for matching and highlighting (alternatives())."""

    def __init__(self, subqueries, boost=1.0,
                 langs: list[frozenset[str] | None] | None = None):
        super().__init__(subqueries, boost=boost)
        self.langs = list(langs) if langs is not None else [None] * len(subqueries)

    def children(self):
        return iter(self.subqueries[:1])

    def apply(self, fn):
        return AnyLanguage([fn(q) for q in self.subqueries], boost=self.boost,
                           langs=self.langs)

    def normalize(self):
        return self

    def alternatives(self, reader) -> list[tuple[query.Query, frozenset[str] | None]]:
        """(alternative, its languages or None for any article), for the languages
        `reader` holds."""
        held = index_languages(reader)
        return [(q, ls) for q, ls in zip(self.subqueries, self.langs, strict=True)
                if ls is None or not ls.isdisjoint(held)]

    def matcher(self, searcher, context=None):
        reader = searcher.reader()
        # Alternatives whose term this reader does not hold are dropped, so that on an
        # index of one language the word is the one term it was before (same matcher).
        kept = [(q, ls) for q, ls in self.alternatives(reader) if not _absent(q, reader)]
        if not kept:
            return self.subqueries[0].matcher(searcher, context)
        alternatives = _one_idf(kept, self.subqueries[0], searcher)
        if len(alternatives) == 1:
            return alternatives[0].matcher(searcher, context)
        return query.Or(alternatives, boost=self.boost).matcher(searcher, context)

    def estimate_size(self, ixreader):
        return min(sum(q.estimate_size(ixreader) for q, _ in self.alternatives(ixreader)),
                   ixreader.doc_count())


def _one_idf(kept: list[tuple[query.Query, frozenset[str] | None]], own: query.Query,
             searcher) -> list[query.Query]:
    """The alternatives weighed by weigh_forms with the whole index's frequencies (the
    parent of a segment's searcher), as the scorer's idf uses: decided per segment, a
    form's weight would depend on how the index is segmented."""
    whole = searcher.get_parent()
    n = whole.doc_count_all()
    return weigh_forms(kept, own, whole.doc_frequency, lambda df: robertson_idf(n, df))


def weigh_forms(alternatives: list[tuple[query.Query, frozenset[str] | None]],
                own: query.Query, doc_frequency: Callable[[str, str], int],
                idf: Callable[[int], float]) -> list[query.Query]:
    """A word's alternatives (AnyLanguage's (form, languages) pairs) with the boost each
    is scored with, given the index's `doc_frequency(field, term)` and the engine's
    `idf(df)` (both engines run this rule: Whoosh's matcher, OpenSearch's translation).

    Every other form of the word that is rarer than its own default form is scored with
    the own form's idf (its boost scaled by the ratio of the two idfs); the own form
    keeps its idf, so a word's weight in its own language is what it was. Otherwise a
    form's rarity says how few articles of its kind the index holds, not how telling
    the word is: a common English word is also a rare Russian sound key (`film`,
    `~film`), and `president`, English `presid`, is in nearly every French and Spanish
    article as their stem `president`, which is rare in an archive of English ones;
    with their own idf, the key and the French stem put Russian and French articles
    above the English ones that have the word itself (docs/multilingual.md). Where the
    word's own form is in no article (`golunov`, `bundeskanzler`), its forms keep
    their idf; on an index of one language nothing changes."""
    own_df = doc_frequency(own.fieldname, own.text) if type(own) is query.Term else 0
    if not own_df:
        return [q for q, _ in alternatives]
    cap = idf(own_df)
    out = []
    for q, _ in alternatives:
        term = q.a if isinstance(q, query.Require) else q
        if q is not own and type(term) is query.Term and \
                (df := doc_frequency(term.fieldname, term.text)) and (form_idf := idf(df)) > cap:
            term = copy.copy(term)
            term.boost = term.boost * cap / form_idf
            if isinstance(q, query.Require):
                q = copy.copy(q)
                q.a = term
            else:
                q = term
        out.append(q)
    return out


# A phrase's words each have a few forms; at most this many combinations are tried.
MAX_PHRASE_FORMS = 8


def _any_language(first: query.Query, forms: dict, make, boost: float) -> query.Query:
    """AnyLanguage over `first` and `forms` (form -> languages, or None for any
    article), each alternative made by make(form); just `first` when it is alone."""
    subs: list[query.Query] = [first]
    langs: list[frozenset[str] | None] = [None]
    for form, ls in forms.items():
        q = make(form)
        subs.append(q if ls is None else query.Require(q, _only_in(ls)))
        langs.append(ls)
    return first if len(subs) == 1 else AnyLanguage(subs, langs=langs)


def _grouped(per_lang: dict, first) -> dict:
    """form -> frozenset of languages (None: any article) for each form but `first`;
    a form that some language and the script default share matches in any article."""
    anywhere = per_lang.get(None, set())
    out: dict = {f: None for f in anywhere if f != first}
    for lang, forms in per_lang.items():
        for form in forms:
            if lang is None or form == first or form in anywhere:
                continue
            out.setdefault(form, set()).add(lang)
    return {f: (None if ls is None else frozenset(ls)) for f, ls in out.items()}


def expand_term(node: query.Term) -> query.Query:
    word = node.text
    first = copy.copy(node)  # keeps the parser's startchar/endchar (suggestions)
    first.text = normalize_term(word)
    if has_cjk(word) or not any(c.isalpha() for c in word):
        return first
    forms = _grouped(query_terms(word, QUERY_LANGS), first.text)
    return _any_language(first, forms, lambda f: query.Term(node.fieldname, f,
                                                            boost=node.boost), node.boost)


def _combos(options: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    return list(islice(itertools.product(*options), MAX_PHRASE_FORMS))


def expand_phrase(node: query.Phrase) -> query.Query:
    words = list(node.words)
    first = copy.copy(node)
    first.words = [normalize_term(w) for w in words]
    if any(has_cjk(w) for w in words):
        return first
    per_lang: dict[str | None, set[tuple[str, ...]]] = {None: set()}
    for lang in QUERY_LANGS:
        per_lang[lang] = {tuple(normalize_term(w, lang) for w in words)}
    keys = [query_keys(w) for w in words]
    if all(keys):  # a Latin phrase as a Cyrillic article's sound keys
        per_lang[None].update(_combos(keys))
    romans = [romanized(w) or (w,) for w in words]
    if any(romanized(w) for w in words):  # a Cyrillic phrase in Latin letters
        for combo in _combos(romans):
            per_lang[None].add(tuple(normalize_term(r) for r in combo))
            for lang in QUERY_LANGS:
                per_lang[lang].add(tuple(normalize_term(r, lang) for r in combo))
    forms = _grouped(per_lang, tuple(first.words))
    f, slop, boost = node.fieldname, node.slop, node.boost
    return _any_language(first, forms, lambda ws: query.Phrase(f, list(ws), slop=slop,
                                                               boost=boost), boost)


def shorten(text: str, width: int = 60) -> str:
    """Query text as quoted in an error message: one short line whatever the query."""
    return text if len(text) <= width else text[:width - 1] + "…"


# Beginnings of the suffixes the English Snowball stemmer strips (Porter2, steps 0-5).
_EN_SUFFIXES = ("ational", "tional", "enci", "anci", "abli", "entli", "izer", "ization",
                "ation", "ator", "alism", "aliti", "alli", "fulness", "ousli", "ousness",
                "iveness", "iviti", "biliti", "bli", "ogi", "fulli", "lessli", "li", "alize",
                "icate", "iciti", "ical", "ful", "ness", "al", "ance", "ence", "er", "ic",
                "able", "ible", "ant", "ement", "ment", "ent", "ism", "ate", "iti", "ous",
                "ive", "ize", "ion", "ing", "ingli", "ed", "edli", "eed", "eedli", "s", "es",
                "ies", "ied", "us", "ss", "y", "e", "ly")


class _BoundedExpansion:
    """A multi-term query (prefix, wildcard) that refuses to stand for more than
    MAX_EXPANSIONS indexed words, expanding each reader once (matching, counting and
    highlighting all ask for the words)."""

    text: str  # set by the Whoosh query class it is mixed into

    def _unbounded(self, ixreader) -> Iterator[bytes]:
        """Every indexed word the term stands for (each subclass says how)."""
        raise NotImplementedError

    def _expansion(self, ixreader) -> list[bytes]:
        cache = self.__dict__.setdefault("_expanded", {})
        key = id(ixreader)
        if key not in cache:
            words = list(islice(self._unbounded(ixreader), MAX_EXPANSIONS + 1))
            if len(words) > MAX_EXPANSIONS:
                raise NewsgrepError(
                    f"{shorten(self._shown())!r} matches more than {MAX_EXPANSIONS:,} "
                    "different words in the index: make it longer or more specific")
            cache[key] = words
        return cache[key]

    def _btexts(self, ixreader):
        return iter(self._expansion(ixreader))

    def _shown(self) -> str:
        return self.text


class BoundedWildcard(_BoundedExpansion, query.Wildcard):
    def _unbounded(self, ixreader):
        return query.Wildcard._btexts(self, ixreader)


class BoundedFuzzy(query.FuzzyTerm):
    """`word~N`: the FUZZY_EXPANSIONS indexed words closest to `word` (fewest edits,
    then the most frequent), sharing at least its first FUZZY_PREFIX letters."""

    def _btexts(self, ixreader):
        cache = self.__dict__.setdefault("_expanded", {})
        key = id(ixreader)
        if key not in cache:
            field, text = self.fieldname, self.text
            near = set(ixreader.terms_within(field, text, min(self.maxdist, MAX_EDITS),
                                             prefix=self.prefixlength))
            ranked = sorted(near, key=lambda t: (levenshtein(t, text),
                                                 -ixreader.doc_frequency(field, t), t))
            cache[key] = [t.encode("utf-8") for t in ranked[:FUZZY_EXPANSIONS]]
        return iter(cache[key])


class StemmedPrefix(_BoundedExpansion, query.Prefix):
    """`immigra*` over stemmed terms: the stem of a word starting with `immigra` may be
    shorter than it (`immigration` -> `immigr`), so also take an indexed term the prefix
    starts with when the letters cut off could begin a suffix the stemmer strips (`a` of
    `-ation`; but `springbo*` must not match `spring`)."""

    def _shown(self) -> str:
        return self.text + "*"

    def _unbounded(self, ixreader):
        yield from query.Prefix._btexts(self, ixreader)
        text = self.text
        if not text.isascii() or not text.isalpha():
            return
        for cut in range(max(3, len(text) - 3), len(text)):
            rest = text[cut:]
            if any(suffix.startswith(rest) for suffix in _EN_SUFFIXES) and \
                    (self.fieldname, text[:cut]) in ixreader:
                yield text[:cut].encode("utf-8")


class _AndNotMatcher(matching.AndNotMatcher):
    """Whoosh's AndNotMatcher, whose first document is checked against the excluded
    side only when both happen to start on the same document: when the excluded side
    starts earlier, the first match is kept even if it is excluded
    (`impeachment -trump` listed an article with "Trump" in it and counted it). The
    collector re-creates the matcher as it goes (`replace`), so this also dropped
    articles from the middle of top-k lists."""

    def _find_first(self):
        if self.a.is_active() and self.b.is_active():
            self._find_next()


class SafeAndNot(query.AndNot):
    """`a -b` / `a ANDNOT b` with _AndNotMatcher."""

    def matcher(self, searcher, context=None):
        scoredm = self.a.matcher(searcher, context)
        notm = self.b.matcher(searcher, searcher.boolean_context())
        return _AndNotMatcher(scoredm, notm)


class PathGlob(query.Wildcard):
    """`path:PATTERN` / `--path`: a glob over the stored path (query.path_glob), `*`
    also matching `/`; `[` is a plain character (folder names have them), and there is
    no bound on the paths it stands for (one per file)."""

    def _get_pattern(self):
        return "".join(".*" if c == "*" else "." if c == "?" else re.escape(c)
                       for c in self.text) + r"\Z"
