"""newsgrep's query language: a user's query parsed into a query tree (Whoosh's query
parser serves as the parser, its tree as the AST), with the limits, empty-clause
detection, `=exact` scopes, and the rewrite into nodes.py's classes. Every engine runs
the tree parse_query() gives, its own way."""

from __future__ import annotations

import copy
import re

from whoosh import query
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

from ...errors import NewsgrepError
from ...query import SearchRequest, lang_code, path_glob
from ...words import has_cjk
from ..analysis import fold, term_positions
from ..ranking import DEFAULT
from .fields import USER_FIELDS, query_schema
from .nodes import (
    FUZZY_PREFIX,
    MAX_EDITS,
    AnyLanguage,
    BoundedFuzzy,
    BoundedWildcard,
    PathGlob,
    SafeAndNot,
    StemmedPrefix,
    expand_phrase,
    expand_term,
    shorten,
)

_WORD_START = r"(?:(?<=^)|(?<=\s)|(?<=\())"

# `name:` starts a field scope only when name starts with a letter: `12:30` stays text.
_FIELD_EXPR = r"(?P<text>[^\W\d]\w*|[*]):"


# A query is typed by a person: longer ones are refused rather than run for minutes (a
# 70,000-character random query took 7 minutes); clauses as Lucene's maxClauseCount.
MAX_QUERY_CHARS = 10_000
MAX_CLAUSES = 1024
_FUZZY_EDITS = re.compile(r"([^\s\"~()]+)~(\d+)")  # word~N; not "a phrase"~N (proximity)


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


def parse_query(req: SearchRequest) -> query.Query:
    """The request's query string as a query tree (raises NewsgrepError on bad syntax)."""
    return parse_user_query(req)


def parse_user_query(req: SearchRequest, schema: Schema | None = None,
                     title_boost: float = DEFAULT.title_weight) -> query.Query:
    """Parse newsgrep's query language into a Whoosh query tree (title/body terms are
    analysed: folded and stemmed) with the title weighted `title_boost`, analysing each
    field's text as `schema` does (default: fields.query_schema()). Raises
    NewsgrepError on anything not understood."""
    schema = schema or query_schema()
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
        raw = parser.parse(exact_scopes(text), normalize=False)
        typed = _typed_counts(raw)  # before normalize() drops repeated words
        q = raw.normalize()
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
    return _mark_repeats(q.accept(_rewrite), typed)


def _typed_counts(q: query.Query) -> dict[str, int]:
    """How often each word (as its default stem) was typed in the query, outside NOT."""
    counts: dict[str, int] = {}

    def walk(node: query.Query) -> None:
        if isinstance(node, query.Not):
            return
        if isinstance(node, query.AndNot):
            walk(node.a)
            return
        if type(node) is query.Term and node.fieldname == "body":
            for stem in term_positions(node.text):
                counts[stem] = counts.get(stem, 0) + 1
            return
        for child in node.children():
            walk(child)

    walk(q)
    return counts


def _own_stem(node: query.Query) -> str | None:
    """The default stem of a plain query word (its AnyLanguage, or the title/body Or of
    an all-words query), else None."""
    if isinstance(node, AnyLanguage):
        own = node.subqueries[0]
        return own.text if type(own) is query.Term else None
    if type(node) is query.Or and node.subqueries and \
            all(isinstance(c, AnyLanguage) for c in node.subqueries):
        stems = {_own_stem(c) for c in node.subqueries}
        return stems.pop() if len(stems) == 1 else None
    return None


def _mark_repeats(q: query.Query, typed: dict[str, int]) -> query.Query:
    """Mark each word of the top-level group that was typed more than once with
    `repeats` (the parser searches it once): what a repeated word of a pasted query is
    worth is the ranking's choice (Ranking.qtf_k3, whoosh_rank.weight_repeats)."""
    if not any(n > 1 for n in typed.values()):
        return q
    if type(q) not in (query.Or, query.And) and not isinstance(q, AnyLanguage):
        return q
    nodes = [q] if isinstance(q, AnyLanguage) else list(q.subqueries)
    marked = []
    for node in nodes:
        stem = _own_stem(node)
        if stem is not None and (n := typed.get(stem, 1)) > 1:
            node = copy.copy(node)
            node.repeats = n
        marked.append(node)
    if isinstance(q, AnyLanguage):
        return marked[0]
    out = copy.copy(q)
    out.subqueries = marked
    return out


# `=Kind` is `exact:Kind`: at the start of a word, outside quotes (`"a =b"` stays text).
_EXACT_MARK = re.compile(r'"[^"]*"?|(?:(?<=^)|(?<=[\s(])|(?<=^-)|(?<=[\s(]-))=(?=[\w"])')


def exact_scopes(text: str) -> str:
    """The query with each `=word` / `="a phrase"` written as the `exact:` scope."""
    return _EXACT_MARK.sub(lambda m: m.group() if m.group().startswith('"') else "exact:",
                           text)


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
        return expand_term(node)
    if type(node) is query.Phrase and node.fieldname in ("title", "body"):
        return expand_phrase(node)
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
