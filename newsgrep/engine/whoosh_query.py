"""newsgrep's query language on Whoosh: parsing a user's query into a Whoosh query
tree (Whoosh's query parser serves as the parser, its tree as the AST), the stemmed
prefix, empty-clause detection, the terms to highlight, and the BM25F weighting."""

from __future__ import annotations

import copy
import itertools
import re
from itertools import islice

from whoosh import matching, query
from whoosh.fields import Schema
from whoosh.qparser import (
    AndGroup,
    FieldsPlugin,
    FuzzyTermPlugin,
    GtLtPlugin,
    MultifieldPlugin,
    OrGroup,
    PlusMinusPlugin,
    QueryParser,
)
from whoosh.support.levenshtein import levenshtein

from ..errors import NewsgrepError
from ..query import SearchRequest, lang_code, path_glob
from ..words import has_cjk
from .analysis import (
    QUERY_LANGS,
    MatchTerms,
    fold,
    normalize_term,
    query_keys,
    query_terms,
    romanized,
    term_positions,
)
from .ranking import DEFAULT
from .whoosh_store import _schema

# The shipped ranking's BM25F settings (engine/ranking.py), also used by the OpenSearch
# engine so that both rank alike.
TITLE_BOOST = DEFAULT.title_weight  # BM25F field weight of the title relative to the body
BM25_B = DEFAULT.b  # length normalisation
BM25_K1 = DEFAULT.k1  # term-frequency saturation

_WORD_START = r"(?:(?<=^)|(?<=\s)|(?<=\())"

# The fields a query may scope a word to (`title:latvia`); the schema's other fields are
# the engine's bookkeeping (ids, paths, compressed bodies).
USER_FIELDS = ("title", "body", "source", "lang", "date", "domain", "author", "path", "exact")
# `name:` starts a field scope only when name starts with a letter: `12:30` stays text.
_FIELD_EXPR = r"(?P<text>[^\W\d]\w*|[*]):"

# Bounds on the words one query term may stand for, so no query runs for minutes
# (`a~99` took 458 s, `a*` 17 s on 7.6k articles). Lucene's limits: at most 2 edits,
# and its fuzzy query keeps the 50 closest terms (max_expansions); a prefix or wildcard
# that stands for more than MAX_EXPANSIONS words is refused, as Lucene's
# maxClauseCount (1024) refuses too many clauses.
MAX_EDITS = 2
FUZZY_EXPANSIONS = 50
MAX_EXPANSIONS = 1024
FUZZY_PREFIX = 1  # a fuzzy term's first letter must match (Lucene's spell checker's
# minPrefix): with none, `game~2` tried every word of up to 6 letters (2 s per field)
# A query is typed by a person: longer ones are refused rather than run for minutes (a
# 70,000-character random query took 7 minutes); clauses as Lucene's maxClauseCount.
MAX_QUERY_CHARS = 10_000
MAX_CLAUSES = 1024
_FUZZY_EDITS = re.compile(r"([^\s\"~()]+)~(\d+)")  # word~N; not "a phrase"~N (proximity)


def _match_terms(q: query.Query, reader) -> MatchTerms:
    """Indexed title/body terms the query looks for (prefix and fuzzy terms expanded to
    those in the index), leaving out anything under NOT: the words to highlight. A
    word's forms for other languages are kept apart (MatchTerms.for_lang), so an
    English article does not get the French stem of its query word marked."""
    common: set[str] = set()
    by_lang: dict[str, set[str]] = {}

    def walk(node: query.Query, out: set[str], langs: frozenset[str] | None) -> None:
        if isinstance(node, query.Not):
            return
        if isinstance(node, AnyLanguage):
            for alt, alt_langs in node.alternatives(reader):
                if alt_langs is None:
                    walk(alt, out, langs)
                else:
                    for lang in alt_langs:
                        walk(alt, by_lang.setdefault(lang, set()), alt_langs)
            return
        if node.is_leaf():
            try:
                found = node.existing_terms(reader, phrases=True, expand=True)
            except Exception:  # a leaf Whoosh cannot expand: nothing to highlight
                return
            for field, text in found:
                if field in ("title", "body"):
                    out.add(text.decode("utf-8") if isinstance(text, bytes) else text)
                elif field == "exact":  # marked as written (results.exact_words)
                    out.add("=" + (text.decode("utf-8") if isinstance(text, bytes) else text))
            return
        for child in node.children():
            walk(child, out, langs)

    walk(q, common, None)
    return MatchTerms(common, by_lang)


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
        kept = [q for q, _ in self.alternatives(reader) if not _absent(q, reader)]
        if not kept:
            return self.subqueries[0].matcher(searcher, context)
        if len(kept) == 1:
            return kept[0].matcher(searcher, context)
        return query.Or(kept, boost=self.boost).matcher(searcher, context)

    def estimate_size(self, ixreader):
        return min(sum(q.estimate_size(ixreader) for q, _ in self.alternatives(ixreader)),
                   ixreader.doc_count())


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


def _expand_term(node: query.Term) -> query.Query:
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


def _expand_phrase(node: query.Phrase) -> query.Query:
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


def _check_fields(q: query.Query) -> None:
    """Unknown field scopes and malformed language codes are errors, not a clause that
    silently matches nothing."""
    for leaf in q.leaves():
        field = getattr(leaf, "fieldname", None)
        if field is None:
            continue
        _check_field(field)


def _check_field(field: str) -> None:
    if field not in USER_FIELDS:
        raise NewsgrepError(f"unknown field {shorten(field + ':')!r}: use one of "
                            f"{', '.join(f + ':' for f in USER_FIELDS)} (put text "
                            "with a ':' in quotes)")


def _has_null(q: query.Query) -> str | None:
    """Why part of the parsed query is empty (an unrecognised clause), if it is."""
    if isinstance(q, query.qcore._NullQuery) or getattr(q, "error", None):
        return str(getattr(q, "error", None) or "empty clause")
    for child in q.children():
        if (why := _has_null(child)) is not None:
            return why
    return None


class _Parser(QueryParser):
    def multitoken_query(self, spec, texts, fieldname, termclass, boost):
        # One query word that analysis splits into several terms: a CJK word into its
        # character bigrams must match them side by side (a phrase), not anywhere in
        # the article, and under --any not as alternatives.
        if any(has_cjk(t) for t in texts):
            spec = "phrase"
        return super().multitoken_query(spec, texts, fieldname, termclass, boost)


def parse_user_query(req: SearchRequest, schema: Schema | None = None,
                     title_boost: float = TITLE_BOOST) -> query.Query:
    """Parse newsgrep's query language into a Whoosh query tree (title/body terms are
    analysed: folded and stemmed). Raises NewsgrepError on anything not understood."""
    schema = schema or _schema()
    group = OrGroup if req.any_words else AndGroup
    parser = _Parser(None, schema, group=group)  # as MultifieldParser() builds it
    parser.add_plugin(MultifieldPlugin(["title", "body"],
                                       fieldboosts={"title": title_boost, "body": 1.0}))
    # Keep unknown field names (`foo:y`) as fields, so they can be reported, instead of
    # Whoosh's default of searching "foo y" as text.
    parser.remove_plugin_class(FieldsPlugin)
    parser.add_plugin(FieldsPlugin(expr=_FIELD_EXPR, remove_unknown=False))
    parser.add_plugin(FuzzyTermPlugin())
    parser.add_plugin(GtLtPlugin())
    # `-word` excludes, only at the start of a word: the stock plugin turned
    # "covid-19" into "covid NOT 19". No `+word`: every word is required already, and
    # the plugin would make the other words optional.
    parser.add_plugin(PlusMinusPlugin(plusexpr=r"(?!)",
                                      minusexpr=_WORD_START + r"-(?=[\w\"(])"))
    text = req.query.strip()
    if not text:
        raise NewsgrepError("empty query: give at least one word")
    if len(text) > MAX_QUERY_CHARS:
        raise NewsgrepError(f"the query is too long ({len(text):,} characters; the limit "
                            f"is {MAX_QUERY_CHARS:,})")
    for m in _FUZZY_EDITS.finditer(text):
        if int(m.group(2)) > MAX_EDITS:
            word = m.group(1).rsplit(":", 1)[-1]
            raise NewsgrepError(f"{shorten(m.group(0))!r}: a fuzzy word allows at most {MAX_EDITS} "
                                f"edits ({word}~1 or {word}~2)")
    try:
        q = parser.parse(exact_scopes(text))
    except Exception as e:  # Whoosh raises assorted errors on odd syntax
        for name in re.findall(r"(?<![\w\"])([^\W\d]\w*):(?=\S)", text):
            _check_field(name)  # e.g. `url:x`, a stored-only field Whoosh cannot parse
        raise NewsgrepError(f"cannot parse query {shorten(text)!r}: {e}") from None
    _check_fields(q)
    if (n := sum(1 for _ in q.leaves())) > MAX_CLAUSES:
        raise NewsgrepError(f"the query has too many words ({n:,} terms; the limit is "
                            f"{MAX_CLAUSES:,})")
    if (why := _has_null(q)) is not None:
        if not term_positions(text) and term_positions(text, stops=()):
            raise NewsgrepError(f"{shorten(text)!r} has only common words such as 'the' or 'of', "
                                "which are not indexed: add a more specific word")
        raise NewsgrepError(f"part of the query was not understood ({why}): "
                            f"{shorten(text)!r}")
    return q.accept(_rewrite)


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


# `=Kind` is `exact:Kind`: at the start of a word, outside quotes (`"a =b"` stays text).
_EXACT_MARK = re.compile(r'"[^"]*"?|(?:(?<=^)|(?<=[\s(])|(?<=^-)|(?<=[\s(]-))=(?=[\w"])')


def exact_scopes(text: str) -> str:
    """The query with each `=word` / `="a phrase"` written as the `exact:` scope."""
    return _EXACT_MARK.sub(lambda m: m.group() if m.group().startswith('"') else "exact:",
                           text)


class PathGlob(query.Wildcard):
    """`path:PATTERN` / `--path`: a glob over the stored path (query.path_glob), `*`
    also matching `/`; `[` is a plain character (folder names have them), and there is
    no bound on the paths it stands for (one per file)."""

    def _get_pattern(self):
        return "".join(".*" if c == "*" else "." if c == "?" else re.escape(c)
                       for c in self.text) + r"\Z"


def _exact_phrase(node: query.Phrase) -> query.Query:
    """`="Kind Regards"`: the exact field keeps no positions (it would double its
    size), so: the phrase as the title/body match it (case-insensitive, stemmed), and
    every word as written somewhere in the article."""
    words = [w for w in node.words if w]
    folded = [t for t, _ in sorted(term_positions(" ".join(words)).items(),
                                   key=lambda kv: kv[1][0])]
    exact = [query.Term("exact", w, boost=node.boost) for w in words]
    if len(folded) < 2:
        return query.And(exact)
    phrase = query.Or([query.Phrase(f, folded, slop=node.slop, boost=node.boost)
                       for f in ("title", "body")])
    return query.And([phrase, *exact])


def _key(q: query.Query):
    """What makes two query nodes the same search: an AnyLanguage word is its default
    form (two inflections of one word with one stem, `libraries library`, are one)."""
    if isinstance(q, AnyLanguage):
        return ("any", _key(q.subqueries[0]))
    if isinstance(q, query.CompoundQuery):
        return (type(q).__name__, q.boost, tuple(_key(c) for c in q.subqueries))
    return q


def _deduplicated(node: query.Query) -> query.Query:
    """An Or/And with each search once, as Whoosh's normalize() left it when the parser
    still stemmed: a word repeated in another form (`library ... libraries`) would
    otherwise count twice in the ranking."""
    seen: set = set()
    subs = []
    for child in node.subqueries:
        k = _key(child)
        if k not in seen:
            seen.add(k)
            subs.append(child)
    if len(subs) == len(node.subqueries):
        return node
    out = copy.copy(node)
    out.subqueries = subs
    return out


def _rewrite(node: query.Query) -> query.Query:
    """Swap Whoosh's query classes for newsgrep's (subclasses, so code that reads the
    tree, such as the OpenSearch translation, sees the same node types), and expand
    title/body words (only folded by the analyzer in query mode) to their stems under
    each language (AnyLanguage)."""
    if getattr(node, "fieldname", None) == "path" and isinstance(
            node, query.Term | query.Prefix | query.Wildcard):
        text = node.text + ("*" if type(node) is query.Prefix else "")
        return PathGlob("path", path_glob(text), boost=node.boost)
    if type(node) is query.Phrase and node.fieldname == "exact":
        return _exact_phrase(node)
    if type(node) is query.Prefix and node.fieldname == "exact":  # `=Kind*`: as written
        return BoundedWildcard("exact", node.text + "*", boost=node.boost)
    if type(node) is query.Prefix and node.fieldname in ("title", "body"):
        return StemmedPrefix(node.fieldname, fold(node.text.lower()), boost=node.boost)
    if type(node) is query.Term and node.fieldname in ("title", "body") and \
            len(node.text) == 1 and has_cjk(node.text):
        # A lone CJK character is indexed only where it stands alone; elsewhere it is
        # the first or second half of a bigram.
        f, ch, b = node.fieldname, node.text, node.boost
        return query.Or([node, BoundedWildcard(f, ch + "?", boost=b),
                         BoundedWildcard(f, "?" + ch, boost=b)])
    if type(node) is query.Term and node.fieldname in ("title", "body"):
        return _expand_term(node)
    if type(node) is query.Phrase and node.fieldname in ("title", "body"):
        return _expand_phrase(node)
    if type(node) is query.Term and node.fieldname == "lang":
        return query.Term("lang", lang_code(node.text), boost=node.boost)
    if type(node) is query.Wildcard:
        return BoundedWildcard(node.fieldname, node.text, boost=node.boost)
    if type(node) is query.FuzzyTerm:
        text = fold(node.text) if node.fieldname in ("title", "body") else node.text
        return BoundedFuzzy(node.fieldname, text, boost=node.boost,
                            maxdist=min(node.maxdist, MAX_EDITS),
                            prefixlength=max(FUZZY_PREFIX, node.prefixlength))
    if type(node) is query.AndNot:
        return SafeAndNot(node.a, node.b)
    if type(node) in (query.Or, query.And):
        return _deduplicated(node)
    return node
