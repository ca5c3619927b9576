"""Relevance ranking settings and the re-ranking passes the Whoosh engine runs over a query's
matches: BM25F parameters, guarded pseudo-relevance feedback (RM3) and an optional
term-proximity bonus. Measured on three test collections (docs/ranking.md,
scripts/eval_ranking.py).

Every pass here only re-orders the articles the user's query matches: feedback words only
add to the scores of matches (rescoring, or AndMaybe in "requery" mode) and so does the
proximity bonus, so the matches, the count and the highlighted words are those of the query.

`Ranking` is frozen: one value describes a complete ranking, so an evaluation can compare
candidates through the same code path the CLI uses.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from whoosh import query as wq
from whoosh import scoring

from .feedback import feedback_terms


@dataclass(frozen=True)
class Ranking:
    """One complete relevance ranking."""

    k1: float = 0.9  # BM25 term-frequency saturation
    b: float = 0.4  # BM25 length normalisation (body, and title unless title_b is set)
    title_b: float | None = None  # the title field's own length normalisation
    title_weight: float = 2.0  # BM25F weight of a title match relative to a body match
    # Pseudo-relevance feedback (RM3); fb_docs=0 turns it off.
    fb_docs: int = 0  # best first-pass hits taken as relevant
    fb_terms: int = 10  # feedback words added (optional terms)
    fb_weight: float = 0.5  # weight of the heaviest feedback word relative to a query word
    fb_title: bool = True  # feedback words also searched in titles
    # How the feedback words are scored. "rescore": one pass of the query to depth
    # max(limit, fb_depth), then the feedback words' BM25F scores are added to those hits
    # only (term matchers skipped to each hit). "requery": Anserini's way, a second full
    # query AndMaybe(query, words) over every match (about twice the time).
    fb_mode: str = "rescore"
    fb_depth: int = 100
    # Drift guard: feed back only when the first pass matched at least this many articles
    # (on a handful of matches the "best hits" are mostly off topic) ...
    fb_min_matches: int = 0
    # ... and only when the query has at least this many distinct words (one- or two-word
    # queries are usually names or precise terms that feedback dilutes).
    fb_min_words: int = 1
    # Term proximity: a bonus for adjacent query words within `prox_window` positions of
    # each other (the unordered-window part of the sequential dependence model), added to
    # the best `prox_depth` matches. prox_weight=0 turns it off.
    prox_weight: float = 0.0
    prox_window: int = 8
    prox_depth: int = 100

    def with_(self, **changes) -> Ranking:
        return replace(self, **changes)

    @property
    def reranks(self) -> bool:
        """Whether anything beyond one BM25F pass runs."""
        return self.fb_docs > 0 or self.prox_weight > 0

    def label(self) -> str:
        parts = [f"k1={self.k1:g}", f"b={self.b:g}"]
        if self.title_b is not None:
            parts.append(f"title_b={self.title_b:g}")
        parts.append(f"title={self.title_weight:g}")
        if self.fb_docs:
            fb = f"rm3({self.fb_docs}d,{self.fb_terms}t,w{self.fb_weight:g}"
            if not self.fb_title:
                fb += ",body"
            fb += f",{self.fb_mode}" + (f"{self.fb_depth}" if self.fb_mode == "rescore"
                                        else "")
            if self.fb_min_matches:
                fb += f",min{self.fb_min_matches}"
            if self.fb_min_words > 1:
                fb += f",words>={self.fb_min_words}"
            parts.append(fb + ")")
        if self.prox_weight:
            parts.append(f"prox(w{self.prox_weight:g},win{self.prox_window},"
                         f"top{self.prox_depth})")
        return " ".join(parts)


# The shipped ranking before issue #14: BM25F 0.9/0.4, title weight 2, no re-ranking.
BASELINE = Ranking()
# The ranking chosen in issue #14 over NPL, CISI and CACM together, by the worst ratio to
# the best anchor (docs/ranking.md): BM25F 0.9/0.6 with title weight 1.5, RM3 feedback
# (10 docs, 10 words, weight 0.5) when the query matches at least 20 articles, and a
# small proximity bonus for adjacent query words within 8 positions.
DEFAULT = Ranking(k1=0.9, b=0.6, title_weight=1.5, fb_docs=10, fb_terms=10,
                  fb_weight=0.5, fb_min_matches=20, prox_weight=0.25, prox_window=8,
                  prox_depth=100)


class RobertsonBM25F(scoring.BM25F):
    """BM25F with the standard (Robertson/Sparck Jones) idf, log((N-df+0.5)/(df+0.5)),
    floored just above zero so a word in most articles adds ~nothing (the same as the
    engine's NewsgrepBM25F)."""

    def idf(self, searcher, fieldname, text):
        n = searcher.doc_count_all()
        df = searcher.doc_frequency(fieldname, text)
        return max(1e-6, math.log((n - df + 0.5) / (df + 0.5)))


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


def _count(searcher, results, q: wq.Query, flt, limit: int | None) -> int:
    # As whoosh_engine._total: with a filter Whoosh's len() ignores it.
    if flt is None:
        return len(results)
    if limit is None or results.scored_length() < limit:
        return results.scored_length()
    return searcher.search(q, filter=flt, limit=None, scored=False).scored_length()


def _unpruned(searcher, q: wq.Query, flt, limit: int | None):
    """Search without Whoosh's top-k pruning: it bounds an Or's best score by its best
    single term, not the sum, and dropped true top hits of expanded queries."""
    c = searcher.collector(limit=limit, optimize=False, filter=flt)
    inner = c
    while hasattr(inner, "child"):
        inner = inner.child
    inner.replace = 0
    searcher.search_with_collector(q, c)
    return c.results()


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
    words = query_words(q)
    if r.fb_docs and r.fb_mode == "rescore":
        hits, total = _search_rescored(searcher, q, flt, limit, r, text_of, words)
    elif r.fb_docs:
        hits, total = _search_requeried(searcher, q, flt, limit, r, text_of, words)
    else:
        results = searcher.search(q, filter=flt, limit=limit)
        total = _count(searcher, results, q, flt, limit)
        hits = list(results)
    if r.prox_weight and len(words) > 1 and hits:
        hits = proximity_rerank(searcher, hits, words, r)
    return hits, total


def _search_requeried(searcher, q: wq.Query, flt, limit: int | None, r: Ranking, text_of,
                      words: list[str]) -> tuple[list, int]:
    first = searcher.search(q, filter=flt, limit=r.fb_docs)
    total = _count(searcher, first, q, flt, r.fb_docs)
    terms: list[tuple[str, float]] = []
    if len(words) >= r.fb_min_words and total >= max(1, r.fb_min_matches):
        terms = feedback_terms([(h.score or 0.0, text_of(h)) for h in first], r.fb_terms)
    if terms:
        results = _unpruned(searcher, expanded_query(q, terms, r), flt, limit)
    elif total <= r.fb_docs:  # the first pass already holds every match
        results = first
    else:
        results = searcher.search(q, filter=flt, limit=limit)
    return list(results), total


def _search_rescored(searcher, q: wq.Query, flt, limit: int | None, r: Ranking, text_of,
                     words: list[str]) -> tuple[list, int]:
    depth = None if limit is None else max(limit, r.fb_depth)
    results = searcher.search(q, filter=flt, limit=depth)
    total = _count(searcher, results, q, flt, depth)
    hits = list(results)
    if len(words) >= r.fb_min_words and total >= max(1, r.fb_min_matches):
        top = [(h.score or 0.0, text_of(h)) for h in hits[:r.fb_docs]]
        terms = feedback_terms(top, r.fb_terms)
        if terms:
            add_term_scores(searcher, hits, terms, r)
            hits.sort(key=lambda h: (-h.score, h.docnum))
    return hits[:limit] if limit is not None else hits, total


def add_term_scores(searcher, hits: list, terms: list[tuple[str, float]], r: Ranking
                    ) -> None:
    """Add to each hit's score the weighted BM25F score of each feedback word in it, as
    AndMaybe(query, words) would, visiting only the hits' documents."""
    by_doc = {h.docnum: h for h in hits}
    docnums = sorted(by_doc)
    fields = [("body", 1.0)] + ([("title", r.title_weight)] if r.fb_title else [])
    context = searcher.context()
    for term, w in terms:
        for field, fw in fields:
            if (field, term) not in searcher.reader():
                continue
            m = wq.Term(field, term, boost=r.fb_weight * w * fw).matcher(searcher, context)
            for d in docnums:
                if not m.is_active():
                    break
                if m.id() < d:
                    m.skip_to(d)
                    if not m.is_active():
                        break
                if m.id() == d:
                    h = by_doc[d]
                    h.score = (h.score or 0.0) + m.score()


def _positions(searcher, field: str, term: str, docnums: list[int]) -> dict[int, list[int]]:
    """docnum -> positions of `term` in `field`, for the given (sorted) documents."""
    out: dict[int, list[int]] = {}
    try:
        m = searcher.postings(field, term)
    except Exception:  # term not in the index
        return out
    for d in docnums:
        if not m.is_active():
            break
        if m.id() < d:
            m.skip_to(d)
            if not m.is_active():
                break
        if m.id() == d:
            out[d] = m.value_as("positions")
    return out


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


def proximity_rerank(searcher, hits: list, words: list[str], r: Ranking) -> list:
    """Add the proximity bonus to the best `prox_depth` hits and re-sort them; hits below
    keep their place (their scores are below every re-scored hit's)."""
    head, tail = hits[:r.prox_depth], hits[r.prox_depth:]
    docnums = sorted(h.docnum for h in head)
    pos = {w: _positions(searcher, "body", w, docnums) for w in words}
    n = max(1, searcher.doc_count_all())
    idf = {w: max(1e-6, math.log((n - (df := searcher.doc_frequency("body", w)) + 0.5)
                                  / (df + 0.5))) for w in words}
    pairs = list(zip(words, words[1:], strict=False))
    for h in head:
        bonus = 0.0
        for a, b in pairs:
            pa, pb = pos[a].get(h.docnum), pos[b].get(h.docnum)
            if pa and pb:
                tf = _window_count(pa, pb, r.prox_window)
                if tf:
                    bonus += min(idf[a], idf[b]) * tf / (tf + r.k1)
        h.score = (h.score or 0.0) + r.prox_weight * bonus
    head.sort(key=lambda h: -h.score)
    return head + tail
