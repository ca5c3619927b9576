"""Term statistics on the Whoosh engine for newsgrep.narrative's `terms`: the foreground
and background document frequencies it scores. Functions take a WhooshEngine."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from whoosh import query

from ...query import SearchRequest
from .. import whoosh_rank
from ..analysis import _TOKEN as TOKEN
from ..analysis import STOPWORDS, _fold_cached, normalize_term
from ..querylang.parser import parse_user_query
from .filters import request_filter
from .schema import stored_body

if TYPE_CHECKING:
    from .engine import WhooshEngine


# -- terms -----------------------------------------------------------------------------
# Beyond the index's English stopwords: Russian function words (the demo corpus's other
# language), which JLH would otherwise rank by chance on a small match set. English words
# such as "said" are left to the score: as common in the matches as elsewhere, they score 0.
EXTRA_STOPWORDS = frozenset("""
что как это его она они так все был была было были уже или если только еще даже также
при для под над без после через между чтобы более менее чем около который которые
которая которого этом этого того тем том них нее ему ним
""".split())


_JOIN = re.compile(r"[\s\w'’-]*")


def _tokens(text: str) -> Iterator[tuple[str | None, int, int]]:
    """(indexed term or None for a word that is left out, start, end) per word: the
    analysis of the index (fold, stem), minus stopwords, numbers and very short words."""
    for m in TOKEN.finditer(text):
        raw = m.group()
        low = raw.lower()
        folded = _fold_cached(low)
        if folded in STOPWORDS or folded in EXTRA_STOPWORDS or low in EXTRA_STOPWORDS:
            yield None, m.start(), m.end()
            continue
        if not any(c.isalpha() for c in raw) or (len(raw) < 3 and not raw.isupper()):
            yield None, m.start(), m.end()
            continue
        yield normalize_term(low), m.start(), m.end()


def count_terms(texts: Iterable[str]) -> tuple[int, Counter, Counter, dict]:
    """Document frequencies of terms and of adjacent term pairs over `texts`, with the
    forms they were written in: (documents, df of term, df of (term, term),
    {term or pair: Counter of surface forms})."""
    n = 0
    df: Counter = Counter()
    pair_df: Counter = Counter()
    surfaces: dict = {}
    for text in texts:
        n += 1
        seen: set = set()
        prev: tuple[str, int, int] | None = None
        for term, start, end in _tokens(text):
            if term is None:
                # Adjacency breaks at a left-out word, unless it is an index stopword
                # (the index closes those gaps: "Bank of America" is a phrase there).
                if _fold_cached(text[start:end].lower()) not in STOPWORDS:
                    prev = None
                continue
            surfaces.setdefault(term, Counter())[text[start:end]] += 1
            seen.add(term)
            # A pair only across spaces, hyphens and stopwords, not punctuation: the
            # end of one clause and the start of the next are no phrase.
            if prev is not None and prev[0] != term and \
                    _JOIN.fullmatch(text, prev[2], start):
                key = (prev[0], term)
                seen.add(key)
                surfaces.setdefault(key, Counter())[text[prev[1]:end]] += 1
            prev = (term, start, end)
        for key in seen:
            if isinstance(key, tuple):
                pair_df[key] += 1
            else:
                df[key] += 1
    return n, df, pair_df, surfaces


def matching_texts(engine: WhooshEngine, req: SearchRequest, sample: int | None = None
                   ) -> tuple[int, list[str]]:
    """(number of matches, bodies of the matches): all of them, or the `sample` best
    ranked when there are more."""
    q = parse_user_query(req, engine.ix.schema, title_boost=engine.ranking.title_weight)
    flt = request_filter(req)
    with engine.ix.searcher(weighting=whoosh_rank.weighting(engine.ranking)) as s:
        flt = whoosh_rank.filter_docs(s, flt)
        results = s.search(q, filter=flt, limit=sample, scored=sample is not None)
        total = results.scored_length() if sample is None else \
            s.search(q, filter=flt, limit=None, scored=False).scored_length()
        docs = list(results.docs()) if sample is None else [h.docnum for h in results]
        return total, [stored_body(s.stored_fields(d)) for d in docs]


def background(engine: WhooshEngine, terms: Iterable[str],
               pairs: Iterable[tuple[str, str]] = ()) -> tuple[int, dict, dict]:
    """(articles in the index, df of each term, df of each pair as a phrase) over the
    article bodies of the whole index."""
    with engine.ix.searcher() as s:
        reader = s.reader()
        n = s.doc_count()
        df = {t: reader.doc_frequency("body", t) for t in terms}
        pdf = {}
        for a, b in pairs:
            q = query.Phrase("body", [a, b])
            pdf[(a, b)] = s.search(q, limit=None, scored=False).scored_length()
    return n, df, pdf
