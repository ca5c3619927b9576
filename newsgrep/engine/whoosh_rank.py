"""The ranking passes of a `Ranking` (engine/ranking.py) on Whoosh: the BM25F weighting,
BM25F proper over the best matches (one saturation per word over title and body), guarded
pseudo-relevance feedback (RM3) by rescoring, and the term-proximity bonus.

Every pass only re-orders the best `rerank_depth` matches of the query: feedback words and
the proximity bonus only add to the scores of matches, so the matches, the count and the
highlighted words are those of the query.
"""

from __future__ import annotations

import copy
import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from itertools import accumulate
from typing import Any

from whoosh import query as wq
from whoosh import scoring
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import FilterMatcher, MultiMatcher
from whoosh.reading import TermNotFound

from .feedback import feedback_terms
from .querylang.nodes import AnyLanguage
from .ranking import Ranking, robertson_idf


class RobertsonBM25F(scoring.BM25F):
    """BM25F with the standard (Robertson/Sparck Jones) idf, log((N-df+0.5)/(df+0.5)),
    floored just above zero so a word in most articles adds ~nothing (the same as the
    engine's NewsgrepBM25F)."""

    def idf(self, searcher, fieldname, text):
        return robertson_idf(searcher.doc_count_all(), searcher.doc_frequency(fieldname, text))


def weighting(r: Ranking) -> scoring.BM25F:
    """The searcher weighting for `r`."""
    extra = {} if r.title_b is None else {"title_B": r.title_b}
    return RobertsonBM25F(B=r.b, K1=r.k1, **extra)


def query_words(q: wq.Query, field: str = "body") -> list[str]:
    """The query's own `field` terms in query order, once each, leaving out anything under
    NOT (the words whose proximity counts)."""
    out: list[str] = []

    def walk(node: wq.Query) -> None:
        if isinstance(node, wq.Not):
            return
        if isinstance(node, wq.AndNot):  # `a -b`: only a's words
            walk(node.a)
            return
        if isinstance(node, wq.Term):
            if node.fieldname == field:
                text = node.text.decode("utf-8") if isinstance(node.text, bytes) \
                    else node.text
                if text not in out:
                    out.append(text)
            return
        for child in node.children():
            walk(child)

    walk(q)
    return out


def count(searcher, q: wq.Query, flt: wq.Query | None) -> int:
    """The exact number of matches: one unscored pass. Whoosh's len(results) cannot be
    trusted: with a filter it counts the query's matches *ignoring* the filter
    (measured: 12 for a filter nothing passed), and for a query with NOT its top-k
    collector's count was off both ways (`troops NOT covid`: 12 for 11)."""
    if (n := _set_count(searcher, q, flt)) is not None:
        return n
    return searcher.search(q, filter=flt, limit=None, scored=False).scored_length()


def _set_count(searcher, q: wq.Query, flt: wq.Query | None = None) -> int | None:
    """The matches of a query of words (terms under Or, And, Require and a word's
    languages, as `government` or `trade deal` parse), counted as sets of document
    numbers read a posting block at a time, and so the filter (a --source: terms); None
    for any other query or filter (a date range, a phrase, NOT...). Whoosh's unscored
    pass steps its matcher tree one document at a time (a word is an Or of ~30 forms
    in two fields): 34 of the 153 CPU-ms of `government --count` at 20k."""
    n = 0
    for sub, _offset in searcher.leaf_searchers():
        reader = sub.reader()
        docs = _docs(reader, q)
        if docs is None:
            return None
        if flt is not None and docs:
            if (passed := _docs(reader, flt)) is None:
                return None
            docs &= passed
        if docs and reader.has_deletions():
            docs = docs.difference(reader.deleted_docs_set)
        n += len(docs)
    return n


def _docs(reader, q: wq.Query) -> set[int] | None:
    """The segment's documents matching `q` (live or not), or None if `q` is not made
    of the nodes _set_count reads."""
    kind = type(q)
    if kind is wq.Term:
        return _term_docs(reader, q.fieldname, q.text)
    if kind is wq.Or or isinstance(q, AnyLanguage):
        if getattr(q, "minmatch", 0):
            return None
        out: set[int] = set()
        for c in q.subqueries:  # all of AnyLanguage's forms: those it leaves out match none
            if (d := _docs(reader, c)) is None:
                return None
            out |= d
        return out
    if isinstance(q, wq.NumericRange):  # a date filter (DateRange is one)
        return _range_docs(reader, q)
    if kind is wq.And or kind is wq.Require:
        both: set[int] | None = None
        for c in q.subqueries:
            if (d := _docs(reader, c)) is None:
                return None
            both = d if both is None else both & d
        return both if both is not None else None
    return None


def _range_docs(reader, q: wq.NumericRange) -> set[int] | None:
    """The segment's documents whose value of a sortable numeric field (the date) lies in
    `q`'s range, read from the field's column. Whoosh answers a range with the union of
    its trie terms, stepped one document at a time through a tree of union matchers:
    `--from 2015-01-01 --to 2024-12-31` over 100k articles took 4.7 CPU-s. Articles
    without a value hold the column's default, which no range includes (they have no
    terms either)."""
    field = q.fieldname
    if not reader.has_column(field):
        return None
    missing = reader.schema[field].default
    lo = -math.inf if q.start is None else q.start
    hi = math.inf if q.end is None else q.end
    col = reader.column_reader(field, translate=False)
    return {d for d, v in enumerate(col)
            if lo <= v <= hi and v != missing
            and not (q.startexcl and v == lo) and not (q.endexcl and v == hi)}


def filter_docs(searcher, flt: wq.Query | None):
    """`flt` as the set of (top-level) document numbers it passes, when it is made of
    what _docs reads (dates, sources, languages) and passes some; else `flt` itself for
    Whoosh to run. An empty set is not returned: Whoosh's collector takes it for "no
    filter"."""
    if flt is None:
        return None
    out: set[int] = set()
    for sub, offset in searcher.leaf_searchers():
        docs = _docs(sub.reader(), flt)
        if docs is None:
            return flt
        out.update(d + offset for d in docs)
    return out or flt


def _term_docs(reader, field: str, text) -> set[int]:
    m = _postings_of(reader, field, text)
    if m is None:
        return set()
    if isinstance(m, FilterMatcher) and m._exclude:
        m = m.child  # deletions are taken out by the caller
    if not isinstance(m, W3LeafMatcher):
        return set(m.all_ids())
    out: set[int] = set()
    while m.is_active():
        if (ids := m._ids) is None:
            if m._data is None:
                m._read_data()
            ids = m._data[0]
            ids = ids if m._byteids else accumulate(ids)
        out.update(ids)
        m._next_block()
    return out


def top(searcher, q: wq.Query, flt: wq.Query | None, limit: int | None):
    """The `limit` best matches by relevance, exactly, and their exact count. Whoosh's
    top-k collector by default swaps in cheaper matchers and skips blocks by their best
    possible score as the top-k fills; for queries with NOT that dropped articles that
    belong in the top k (`vaccine -government`, limit 1, missed the best match; 66 of
    792 NOT queries wrong on the demo corpus), and for an expanded Or it bounds the best
    score by the best single term, not the sum. Without those shortcuts the collector
    sees every match: the top k are exact and it counts as it goes."""
    c = searcher.collector(limit=limit, optimize=False, filter=filter_docs(searcher, flt))
    inner = c
    while hasattr(inner, "child"):
        inner = inner.child
    inner.replace = 0
    searcher.search_with_collector(q, c)
    return c.results(), c.count()


def weight_repeats(q: wq.Query, r: Ranking) -> wq.Query:
    """`q` with each word the parser marked as typed n times (`repeats`) weighted
    r.repeat_weight(n): the boosts of its title/body terms scaled, the matches the same."""
    if not r.qtf_k3:
        return q

    def scaled(node: wq.Query, f: float) -> wq.Query:
        if getattr(node, "fieldname", None) in ("title", "body"):
            node = copy.copy(node)
            node.boost = node.boost * f
            return node
        if isinstance(node, wq.Require):  # the language filter is not scored
            return type(node)(scaled(node.a, f), node.b)
        return node if node.is_leaf() else node.apply(lambda c: scaled(c, f))

    # The parser marks the words of the query's top group only.
    if (n := getattr(q, "repeats", 1)) > 1:
        return scaled(q, r.repeat_weight(n))
    subs = getattr(q, "subqueries", None)
    if type(q) not in (wq.Or, wq.And) or not subs or \
            all(getattr(c, "repeats", 1) == 1 for c in subs):
        return q
    out = copy.copy(q)
    out.subqueries = [scaled(c, r.repeat_weight(n)) if (n := getattr(c, "repeats", 1)) > 1
                      else c for c in subs]
    return out


def expanded_query(q: wq.Query, terms: list[tuple[str, float]], r: Ranking) -> wq.Query:
    """`q` with the feedback words as optional terms: the matches stay those of `q`."""
    if not terms:
        return q
    extra: list[wq.Query] = []
    for term, w in terms:
        extra.append(wq.Term("body", term, boost=r.fb_weight * w))
        if r.fb_title:
            extra.append(wq.Term("title", term, boost=r.fb_weight * w * r.title_weight))
    return wq.AndMaybe(q, wq.Or(extra))


def search(searcher, q: wq.Query, flt, limit: int | None, r: Ranking, text_of
           ) -> tuple[list, int]:
    """The hits of `q` (best first, at most `limit`) ranked by `r`, and the number of
    matches. `searcher` must use weighting(r); `text_of(hit)` is a hit's title and body
    (the engine's stored-body decompression)."""
    q = weight_repeats(q, r)
    if r.fb_docs and r.fb_mode == "requery":
        return _search_requeried(searcher, q, flt, limit, r, text_of, query_words(q))
    depth = r.rerank_depth
    results, total = top(searcher, q, flt, None if limit is None else max(limit, depth))
    hits = list(results)
    if depth and len(hits) > 1:
        head, tail = hits[:depth], hits[depth:]
        lengths = _Lengths(searcher)
        words = query_words(q)
        if r.bm25f == "combined" and words:
            # All of the head, so its scores stay on one scale.
            combine_fields(searcher, head, words, r, lengths)
            head.sort(key=lambda h: (-(h.score or 0.0), h.docnum))
        if r.fb_docs and len(words) >= r.fb_min_words and total >= max(1, r.fb_min_matches):
            fed = [(h.score or 0.0, text_of(h)) for h in head[:r.fb_docs]]
            if terms := feedback_terms(fed, r.fb_terms, r.fb_doc_temp,
                                       lambda t: _idf(searcher, "body", t), r.fb_idf):
                if r.fb_norm == "sum":  # feedback words together weigh as the query's
                    mass = sum(w for _, w in terms)
                    terms = [(t, w * len(words) / mass) for t, w in terms]
                if r.bm25f == "combined":
                    add_combined_scores(searcher, head, terms, r, lengths)
                else:
                    add_term_scores(searcher, head, terms, r, lengths)
        if r.prox_weight and 1 < len(words) <= (r.prox_max_words or len(words)):
            # The best prox_depth hits so far (the head may be deeper, for feedback).
            head.sort(key=lambda h: (-(h.score or 0.0), h.docnum))
            add_proximity(searcher, head[:r.prox_depth], words, r)
        head.sort(key=lambda h: (-(h.score or 0.0), h.docnum))
        _below(tail, head)
        hits = head + tail
    return (hits if limit is None else hits[:limit]), total


def _below(tail: list, head: list) -> None:
    """Scale the scores of the hits past the re-ranked head (in first-pass order) so the
    shown scores keep falling down the list: BM25F proper can lower a head hit's score
    below the first-pass score of a hit after it."""
    if not tail or not head:
        return
    floor, top_ = head[-1].score or 0.0, tail[0].score or 0.0
    if top_ > floor > 0:
        for h in tail:
            h.score = (h.score or 0.0) * floor / top_


def _search_requeried(searcher, q: wq.Query, flt, limit: int | None, r: Ranking, text_of,
                      words: list[str]) -> tuple[list, int]:
    """Anserini's RM3: a second full query AndMaybe(query, words) over every match
    (measured against rescoring in docs/ranking.md; about twice the time)."""
    first, total = top(searcher, q, flt, r.fb_docs)
    terms: list[tuple[str, float]] = []
    if len(words) >= r.fb_min_words and total >= max(1, r.fb_min_matches):
        terms = feedback_terms([(h.score or 0.0, text_of(h)) for h in first], r.fb_terms,
                               r.fb_doc_temp, lambda t: _idf(searcher, "body", t), r.fb_idf)
    results, _ = top(searcher, expanded_query(q, terms, r), flt, limit)
    return list(results), total


def add_term_scores(searcher, hits: list, terms: list[tuple[str, float]], r: Ranking,
                    lengths: _Lengths | None = None) -> None:
    """Add to each hit's score the weighted BM25F score of each feedback word in it, as
    AndMaybe(query, words) would (the weighting's own formula, idf and field lengths, so
    the same floats), visiting only the hits' documents. Computed here rather than by
    Whoosh's term matchers: those read each document's field length from its column
    once per word and skip along long posting lists one document at a time, which made
    this the costliest pass of a query."""
    by_doc = {h.docnum: h for h in hits}
    docnums = sorted(by_doc)
    lengths = _Lengths(searcher) if lengths is None else lengths
    fields = _fields(r, r.fb_title)
    avgfl = {f: searcher.avg_field_length(f) or 1 for f, _, _ in fields}
    k1 = r.k1
    norm = {f: _Norms(lengths, f, k1, b, avgfl[f]) for f, _, b in fields}
    for h in hits:
        h.score = h.score or 0.0
    for term, w in terms:
        for field, fw, _ in fields:
            tfs = _tfs(searcher, field, term, docnums)
            if not tfs:
                continue
            boost = r.fb_weight * w * fw
            idf, lnorm = searcher.idf(field, term), norm[field]
            for d, tf in tfs.items():  # bm25(idf, tf, ...) * boost, as Whoosh's scorer
                by_doc[d].score += idf * ((tf * (k1 + 1)) / (tf + lnorm[d])) * boost


def _idf(searcher, field: str, term: str) -> float:
    """Robertson idf of `term` in `field`, floored just above zero (as the weighting)."""
    return robertson_idf(max(1, searcher.doc_count_all()), searcher.doc_frequency(field, term))


def _postings(searcher, field: str, term: str):
    """The reader's posting matcher of `term` in `field` (no scorer), or None."""
    return _postings_of(searcher.reader(), field, term)


def _postings_of(reader, field: str, term):
    try:
        return reader.postings(field, term)
    except (TermNotFound, KeyError):
        return None


def _tfs(searcher, field: str, term: str, docnums: list[int]) -> dict[int, float]:
    """docnum -> frequency of `term` in `field`, for the given (sorted) documents."""
    m = _postings(searcher, field, term)
    return {} if m is None else _values_at(m, docnums)


def _values_at(m, docnums: list[int], value: Callable[[Any], Any] | None = None) -> dict:
    """docnum -> value(leaf matcher) (None: the frequency) at each of the (sorted)
    documents that posting matcher `m` holds. Whoosh's own posting blocks are read a
    block at a time: a block with none of the documents is passed over undecoded, and
    the others are intersected with the documents in C (skip_to and next() cost
    microseconds of Python per posting, which made these look-ups the costliest part
    of re-ranking)."""
    if isinstance(m, FilterMatcher) and m._exclude:
        # Deleted documents left out: the documents asked for are matches, so live.
        m = m.child
    if isinstance(m, MultiMatcher):  # an index of several segments
        out = {}
        bounds = list(m.offsets[1:]) + [math.inf]
        for sub, lo, hi in zip(m.matchers, m.offsets, bounds, strict=True):
            mine = [d - lo for d in docnums if lo <= d < hi]
            if mine:
                out.update({d + lo: v for d, v in _values_at(sub, mine, value).items()})
        return out
    if isinstance(m, W3LeafMatcher):
        return _block_values_at(m, docnums, value)
    out = {}
    for d in docnums:  # any other matcher: skip along it
        if not m.is_active():
            break
        if m.id() < d:
            m.skip_to(d)
            if not m.is_active():
                break
        if m.id() == d:
            out[d] = m.weight() if value is None else value(m)
    return out


def _block_values_at(m: W3LeafMatcher, docnums: list[int],
                     value: Callable[[Any], Any] | None) -> dict:
    out: dict = {}
    if not docnums:
        return out
    wanted = set(docnums)
    done = 0  # docnums[:done] lie in the blocks passed
    while m.is_active():
        last = m.block_max_id()
        upto = bisect_right(docnums, last, done)
        if upto > done:
            if (ids := m._ids) is None:
                # W3LeafMatcher._read_ids, with the delta decoding done in C.
                if m._data is None:
                    m._read_data()
                ids = m._data[0]
                m._ids = ids = ids if m._byteids else tuple(accumulate(ids))
            if value is None:  # frequencies: the block's weight array
                if m._weights is None:
                    m._read_weights()
                weights = m._weights
                for d in wanted.intersection(ids):
                    out[d] = weights[bisect_left(ids, d)]
            else:
                for d in wanted.intersection(ids):
                    m._i = bisect_left(ids, d)  # the block's cursor: value() reads it
                    out[d] = value(m)
            done = upto
            if done == len(docnums):
                break
        m._next_block()
    return out


def _fields(r: Ranking, title: bool = True) -> list[tuple[str, float, float]]:
    """(field, weight, b) of the fields a word is searched in."""
    body = [("body", 1.0, r.b)]
    return body + ([("title", r.title_weight, r.b if r.title_b is None else r.title_b)]
                   if title else [])


class _Norms(dict):
    """docnum -> scoring.bm25's length term k1 * ((1 - b) + b * length / avg) for one
    field, computed once per document that needs it."""

    def __init__(self, lengths: _Lengths, field: str, k1: float, b: float, avg: float):
        super().__init__()
        self.lengths, self.field, self.k1, self.b, self.avg = lengths, field, k1, b, avg

    def __missing__(self, d: int) -> float:
        k1, b = self.k1, self.b
        n = self[d] = k1 * ((1 - b) + b * self.lengths[self.field, d] / self.avg)
        return n


class _Lengths(dict):
    """(field, docnum) -> the field's length in that document, read once per search
    (Whoosh reads it from a column on every call)."""

    def __init__(self, searcher):
        super().__init__()
        self.searcher = searcher

    def __missing__(self, key: tuple[str, int]) -> int:
        n = self[key] = self.searcher.doc_field_length(key[1], key[0], 1)
        return n


def _combined(searcher, docnums: list[int], term: str, fields, k1: float,
              lengths: _Lengths | None = None, known: dict[str, dict[int, float]] | None = None
              ) -> tuple[dict[int, float], dict[int, float]]:
    """docnum -> BM25F proper of `term` (field-weighted normalised tfs added, then one
    saturation), and docnum -> Whoosh's per-field BM25 sum for the same term (the
    weighting's own formula, scoring.bm25, with each field's idf)."""
    lengths = _Lengths(searcher) if lengths is None else lengths
    tf_norm: dict[int, float] = {}
    summed: dict[int, float] = {}
    # The body's document frequency (the title's for a word in no body): then a word
    # in a body only scores as the per-field sum does, so those hits need no rescoring.
    df = 0
    for field, fw, b in fields:
        df = df or searcher.doc_frequency(field, term)
        tfs = (known or {}).get(field)
        if tfs is None:
            tfs = _tfs(searcher, field, term, docnums)
        if not tfs:
            continue
        avg = searcher.avg_field_length(field) or 1.0
        field_idf = searcher.idf(field, term)
        for d, tf in tfs.items():
            norm = (1.0 - b) + b * lengths[field, d] / avg
            tf_norm[d] = tf_norm.get(d, 0.0) + fw * tf / norm
            summed[d] = summed.get(d, 0.0) + fw * field_idf * tf * (k1 + 1.0) / (
                tf + k1 * norm)
    n = max(1, searcher.doc_count_all())
    idf = max(1e-6, math.log((n - df + 0.5) / (df + 0.5)))
    true = {d: idf * t * (k1 + 1.0) / (t + k1) for d, t in tf_norm.items()}
    return true, summed


def combine_fields(searcher, hits: list, words: list[str], r: Ranking,
                   lengths: _Lengths | None = None) -> None:
    """Rescore each hit's query words by BM25F proper instead of Whoosh's per-field sum:
    the difference is added, so anything else in the score (phrases, other fields)
    stays. Where a word is in the body only the two agree, so only the hits with the
    word in the title are rescored."""
    by_doc = {h.docnum: h for h in hits}
    docnums = sorted(by_doc)
    fields = _fields(r)
    for w in words:
        in_title = _tfs(searcher, "title", w, docnums)
        if not in_title:
            continue
        true, summed = _combined(searcher, sorted(in_title), w, fields, r.k1, lengths,
                                 {"title": in_title})
        for d, s in true.items():
            h = by_doc[d]
            h.score = (h.score or 0.0) + s - summed.get(d, 0.0)


def add_combined_scores(searcher, hits: list, terms: list[tuple[str, float]], r: Ranking,
                        lengths: _Lengths | None = None) -> None:
    """add_term_scores with BM25F proper for each feedback word."""
    by_doc = {h.docnum: h for h in hits}
    docnums = sorted(by_doc)
    fields = _fields(r, r.fb_title)
    for term, w in terms:
        true, _ = _combined(searcher, docnums, term, fields, r.k1, lengths)
        for d, s in true.items():
            h = by_doc[d]
            h.score = (h.score or 0.0) + r.fb_weight * w * s


def _positions(searcher, field: str, term: str, docnums: list[int]) -> dict[int, list[int]]:
    """docnum -> positions of `term` in `field`, for the given (sorted) documents."""
    m = _postings(searcher, field, term)
    return {} if m is None else _values_at(m, docnums,
                                           lambda leaf: leaf.value_as("positions"))


def _window_count(a: list[int], b: list[int], window: int) -> int:
    """Occurrences of `a` with an occurrence of `b` within `window` positions (either
    side): a two-pointer merge over the sorted position lists."""
    n = j = 0
    for p in a:
        while j < len(b) and b[j] < p - window:
            j += 1
        if j < len(b) and b[j] <= p + window and b[j] != p:
            n += 1
    return n


def add_proximity(searcher, hits: list, words: list[str], r: Ranking) -> None:
    """Add the proximity bonus to each hit: for each pair of adjacent query words, how
    often they occur within `prox_window` positions of each other, BM25-saturated."""
    docnums = sorted(h.docnum for h in hits)
    pos = {w: _positions(searcher, "body", w, docnums) for w in words}
    n = max(1, searcher.doc_count_all())
    idf = {w: max(1e-6, math.log((n - (df := searcher.doc_frequency("body", w)) + 0.5)
                                  / (df + 0.5))) for w in words}
    bonus = dict.fromkeys(docnums, 0.0)
    for a, b in zip(words, words[1:], strict=False):
        pa, pb = pos[a], pos[b]
        weight = min(idf[a], idf[b])
        for d in pa.keys() & pb.keys():  # only the hits holding both words
            if pa[d] and pb[d] and (tf := _window_count(pa[d], pb[d], r.prox_window)):
                bonus[d] += weight * tf / (tf + r.k1)
    for h in hits:
        h.score = (h.score or 0.0) + r.prox_weight * bonus[h.docnum]
