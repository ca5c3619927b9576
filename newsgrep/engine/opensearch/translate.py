"""Query translation: newsgrep's query tree (querylang.parse_query) as OpenSearch query
DSL."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import timedelta

from whoosh import query as wq
from whoosh.util.times import long_to_datetime

from ...errors import NewsgrepError
from ..querylang.nodes import FUZZY_EXPANSIONS, AnyLanguage, weigh_forms
from .mapping import _FIELDS, _iso_ms


def _field(name: str | None) -> str:
    if name not in _FIELDS:
        raise NewsgrepError(f"the OpenSearch engine cannot search the field {name!r}")
    return _FIELDS[name]


def _boosted(clause: dict, boost: float) -> dict:
    if boost != 1.0:
        inner = next(iter(clause.values()))
        inner["boost"] = boost
    return clause


@dataclass
class FormStats:
    """What the cross-script rule (querylang.nodes.weigh_forms) reads: per query-tree
    field, how many documents have it (Lucene's N for that field's idf) and how many
    hold each form of the query's words. Read by one request (stats_request)."""

    docs: dict[str, int] = field(default_factory=dict)
    df: dict[tuple[str, str], int] = field(default_factory=dict)

    def doc_frequency(self, fieldname: str, text: str) -> int:
        return self.df.get((fieldname, text), 0)

    def idf(self, fieldname: str):
        """Lucene's BM25 idf over `fieldname`'s documents, ln(1 + (N - n + 0.5) / (n + 0.5))
        (what OpenSearch scores a term with; tests/test_opensearch_real.py)."""
        n = self.docs.get(fieldname, 0)
        return lambda df: math.log(1 + (n - df + 0.5) / (df + 0.5))


def form_terms(q: wq.Query) -> set[tuple[str, str]]:
    """(field, term) of every word form whose frequency weigh_forms reads: the own form
    and the other forms (cross-script, and other languages' stems) of each AnyLanguage
    word."""
    out: set[tuple[str, str]] = set()

    def walk(node: wq.Query) -> None:
        if isinstance(node, AnyLanguage):
            own = node.subqueries[0]
            if type(own) is not wq.Term:
                return
            forms = [c.a if isinstance(c, wq.Require) else c for c in node.subqueries[1:]]
            others = [(c.fieldname, c.text) for c in forms if type(c) is wq.Term]
            if others:
                out.update([(own.fieldname, own.text), *others])
            return
        for child in node.children():
            walk(child)

    walk(q)
    return {t for t in out if t[0] in _FIELDS}


def stats_request(terms: set[tuple[str, str]]) -> dict:
    """One size-0 search counting the documents of each (field, term) of `terms` and of
    each field (a filters aggregation: bucket `t<i>` per term in sorted order, `n:<field>`
    per field)."""
    filters: dict[str, dict] = {}
    for i, (f, text) in enumerate(sorted(terms)):
        filters[f"t{i}"] = {"term": {_FIELDS[f]: text}}
    for f in sorted({f for f, _ in terms}):
        filters[f"n:{f}"] = {"exists": {"field": _FIELDS[f]}}
    return {"size": 0, "track_total_hits": False,
            "aggs": {"forms": {"filters": {"filters": filters}}}}


def read_stats(terms: set[tuple[str, str]], resp: dict) -> FormStats:
    buckets = resp["aggregations"]["forms"]["buckets"]
    stats = FormStats()
    for i, t in enumerate(sorted(terms)):
        stats.df[t] = int(buckets[f"t{i}"]["doc_count"])
    for f in {f for f, _ in terms}:
        stats.docs[f] = int(buckets[f"n:{f}"]["doc_count"])
    return stats


def _date_bound(value: int, excl: bool, upper: bool) -> str:
    # Whoosh dates are microseconds; OpenSearch keeps milliseconds, and every stored date
    # is a whole day, so rounding inwards keeps the same documents in range.
    dt = long_to_datetime(value)
    if excl:
        dt += timedelta(microseconds=-1 if upper else 1)
    extra = dt.microsecond % 1000
    if extra and not upper:
        dt += timedelta(microseconds=1000 - extra)
    elif extra:
        dt -= timedelta(microseconds=extra)
    return _iso_ms(dt)


def _dsl(node: wq.Query, flat_spans: bool = False, stats: FormStats | None = None) -> dict:
    """One node of newsgrep's parsed query (a Whoosh query tree) as query DSL.
    flat_spans: no nested span_near (for servers without it, e.g. the osmem emulator).
    stats: the frequencies of the query's word forms (form_terms), for ranked searches:
    each word's cross-script forms are then weighed as the Whoosh engine weighs them."""

    def sub(child: wq.Query) -> dict:
        return _dsl(child, flat_spans, stats)

    boost = float(getattr(node, "boost", 1.0) or 1.0)
    if isinstance(node, AnyLanguage) and stats is not None and \
            (own := node.subqueries[0]).fieldname in stats.docs:
        forms = weigh_forms(list(zip(node.subqueries, node.langs, strict=True)), own,
                            stats.doc_frequency, stats.idf(own.fieldname))
        return _boosted({"bool": {"should": [sub(c) for c in forms],
                                  "minimum_should_match": 1}}, boost)
    if isinstance(node, wq.Not):
        return {"bool": {"must_not": [sub(node.query)]}}
    if isinstance(node, wq.AndNot):
        return _boosted({"bool": {"must": [sub(node.a)], "must_not": [sub(node.b)]}}, boost)
    if isinstance(node, wq.AndMaybe):
        return _boosted({"bool": {"must": [sub(node.a)], "should": [sub(node.b)]}}, boost)
    if isinstance(node, wq.Require):
        return _boosted({"bool": {"must": [sub(node.a)], "filter": [sub(node.b)]}}, boost)
    if isinstance(node, wq.DisjunctionMax):
        return _boosted({"dis_max": {"queries": [sub(c) for c in node.subqueries],
                                     "tie_breaker": node.tiebreak}}, boost)
    if isinstance(node, wq.And):
        if not node.subqueries:
            return {"match_none": {}}
        return _boosted({"bool": {"must": [sub(c) for c in node.subqueries]}}, boost)
    if isinstance(node, wq.Or):
        if not node.subqueries:
            return {"match_none": {}}
        return _boosted({"bool": {"should": [sub(c) for c in node.subqueries],
                                  "minimum_should_match": 1}}, boost)
    if isinstance(node, wq.ConstantScoreQuery):
        return {"constant_score": {"filter": sub(node.child), "boost": boost}}
    if isinstance(node, wq.Phrase):
        return _phrase(_field(node.fieldname), list(node.words), node.slop, boost,
                       flat_spans)
    if isinstance(node, wq.FuzzyTerm):
        # Whoosh counts plain Levenshtein edits (no transpositions); Lucene allows at
        # most 2 edits.
        return {"fuzzy": {_field(node.fieldname): {
            "value": node.text, "fuzziness": min(int(node.maxdist), 2),
            "prefix_length": int(node.prefixlength), "transpositions": False,
            "max_expansions": FUZZY_EXPANSIONS, "boost": boost}}}
    if isinstance(node, wq.Prefix):
        return {"prefix": {_field(node.fieldname): {"value": node.text, "boost": boost}}}
    if isinstance(node, wq.Wildcard):
        text = node.text.replace("\\", "\\\\") if node.fieldname == "path" else node.text
        return {"wildcard": {_field(node.fieldname): {"value": text, "boost": boost}}}
    if isinstance(node, wq.NumericRange):  # dates (DATETIME fields are numeric in Whoosh)
        if node.fieldname != "date":
            raise NewsgrepError(f"the OpenSearch engine cannot search the field "
                                f"{node.fieldname!r} by range")
        rng: dict = {"format": "strict_date_optional_time"}
        if node.start is not None:
            rng["gte"] = _date_bound(node.start, node.startexcl, upper=False)
        if node.end is not None:
            rng["lte"] = _date_bound(node.end, node.endexcl, upper=True)
        return {"range": {"date": rng}}
    if isinstance(node, wq.TermRange):
        rng = {}
        if node.start is not None:
            rng["gt" if node.startexcl else "gte"] = node.start
        if node.end is not None:
            rng["lt" if node.endexcl else "lte"] = node.end
        return {"range": {_field(node.fieldname): rng}}
    if isinstance(node, wq.Every):
        if not node.fieldname or node.fieldname == "*":
            return {"match_all": {}}
        return {"exists": {"field": _field(node.fieldname)}}
    if isinstance(node, wq.Term):
        return {"term": {_field(node.fieldname): {"value": node.text, "boost": boost}}}
    if isinstance(node, wq.qcore._NullQuery):
        return {"match_none": {}}
    raise NewsgrepError(f"the OpenSearch engine cannot run this kind of query: "
                        f"{type(node).__name__}")


def _phrase(field: str, words: list[str], slop: int, boost: float,
            flat_spans: bool = False) -> dict:
    """Whoosh's phrase: the words in order, each at most `slop` positions after the
    previous one (slop=1: adjacent). match_phrase does the exact case. Lucene's sloppy
    match_phrase counts moves over the whole phrase and allows reordering, so a slop
    becomes ordered span_near instead, nested left to right: span_near(span_near(a, b),
    c) with slop-1 free positions per step, so each word is within `slop` of the one
    before it, as in Whoosh. (With flat_spans, for servers that reject nested spans: the
    whole phrase within the summed gaps and every neighbouring pair within `slop`, which
    can be met by different occurrences; see docs/scaling-out.md.)"""
    if slop < 1 or not words:
        return {"match_none": {}}
    if len(words) == 1:
        return {"term": {field: {"value": words[0], "boost": boost}}}
    if slop == 1:
        return {"match_phrase": {field: {"query": " ".join(words), "slop": 0,
                                         "boost": boost}}}

    def near(clauses: list[dict], gaps: int) -> dict:
        return {"span_near": {"clauses": clauses, "slop": gaps, "in_order": True}}

    def term(w: str) -> dict:
        return {"span_term": {field: w}}

    if not flat_spans or len(words) == 2:
        span = near([term(words[0]), term(words[1])], slop - 1)
        for w in words[2:]:
            span = near([span, term(w)], slop - 1)
        span["span_near"]["boost"] = boost
        return span
    whole = near([term(w) for w in words], (slop - 1) * (len(words) - 1))
    pairs = [near([term(words[i]), term(words[i + 1])], slop - 1)
             for i in range(len(words) - 1)]
    return {"bool": {"must": [whole], "filter": pairs, "boost": boost}}
