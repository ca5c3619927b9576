"""Pseudo-relevance feedback: re-rank a query's matches with words from its best hits.

RM3 (Lavrenko & Croft's relevance model, interpolated with the query, as Anserini and
Lucene's Indri implementations use it): the top FEEDBACK_DOCS hits of the first pass are
taken as relevant; each word's weight is its share of each document's words, summed
over those documents in proportion to their scores; the FEEDBACK_TERMS heaviest words,
scaled so the heaviest is 1 and multiplied by FEEDBACK_WEIGHT, are added to the query.

Hand-written because no maintained Python library does this over an arbitrary engine; it
is twenty lines over `term_positions`, the analyzer's own term list, so the feedback words
are exactly the indexed terms (stems, folded, no stopwords).

The expanded words are *optional*: the query becomes AndMaybe(query, words), which
matches exactly the articles the query matches and only changes their order. So a
`--any` search never returns an article containing none of its words, counts do not
change, and only the user's own words are highlighted.

Measured on NPL, CISI and CACM (docs/ranking.md), feedback is worth 0.01-0.03 MAP on
each, so it is part of the default ranking (`ranking.DEFAULT`), guarded: it runs only
when a query matches at least `fb_min_matches` articles, because on a handful of matches
the best hits feed it off-topic words. `search --expand` runs it whatever the count.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

from whoosh import query as wq

from .analysis import term_positions

FEEDBACK_DOCS = 10  # hits taken as relevant (Anserini's default fbDocs)
FEEDBACK_TERMS = 10  # words added (Anserini's default fbTerms)
FEEDBACK_WEIGHT = 0.5  # weight of the heaviest added word relative to a query word


def feedback_terms(docs: Iterable[tuple[float, str]], n_terms: int = FEEDBACK_TERMS,
                   doc_temp: float | None = None,
                   idf: Callable[[str], float] | None = None, idf_power: float = 0.0
                   ) -> list[tuple[str, float]]:
    """The relevance model of (score, text) pairs: its `n_terms` heaviest indexed terms
    with weights in (0, 1], the heaviest first.

    A document counts in proportion to its score, or with `doc_temp` t to
    exp(t * score / best score) (t=0: uniformly). With `idf` and `idf_power` p, a word's
    weight is multiplied by idf(word)**p, so words common in the whole collection do not
    take the places of the topical ones."""
    docs = [(s, t) for s, t in docs if s > 0 and t]
    if doc_temp is not None and docs:
        best = max(s for s, _ in docs)
        docs = [(math.exp(doc_temp * (s / best - 1.0)), t) for s, t in docs]
    total = sum(s for s, _ in docs)
    if not 0 < total < math.inf:
        return []
    weights: dict[str, float] = {}
    for s, text in docs:
        tp = term_positions(text)
        length = sum(len(p) for p in tp.values())
        if not length:
            continue
        share = s / total / length
        for term, positions in tp.items():
            if len(term) > 1:
                weights[term] = weights.get(term, 0.0) + share * len(positions)
    if idf is not None and idf_power:
        weights = {t: w * idf(t) ** idf_power for t, w in weights.items()}
    top = sorted(((t, w) for t, w in weights.items() if w > 0),  # > 0: no underflow
                 key=lambda kv: (-kv[1], kv[0]))[:n_terms]
    if not top:
        return []
    heaviest = top[0][1]
    return [(t, w / heaviest) for t, w in top]


def expand(q: wq.Query, terms: list[tuple[str, float]], title_boost: float,
           weight: float = FEEDBACK_WEIGHT) -> wq.Query:
    """`q` with the feedback words as optional title/body terms (see module docstring)."""
    if not terms:
        return q
    extra = []
    for term, w in terms:
        extra.append(wq.Term("body", term, boost=weight * w))
        extra.append(wq.Term("title", term, boost=weight * w * title_boost))
    return wq.AndMaybe(q, wq.Or(extra))
