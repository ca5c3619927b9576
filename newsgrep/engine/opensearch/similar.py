"""`similar` on the OpenSearch engine: an article's reprints (by MinHash band keys, then
the signatures compared), then the articles sharing its key terms (more_like_this on the
pre-analysed body, or the same idea by hand where the server lacks it); the order is
results.similar_result's, as in the Whoosh engine."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import Any, Protocol

from opensearchpy import exceptions as osx

from ...dedup import band_keys
from ...errors import NewsgrepError
from ...hits import SearchResult
from .. import results
from .mapping import SUMMARY_FIELDS, _analysed, _row, _sig

MLT_TERMS = 15  # key terms of `similar`, as Whoosh's more_like(numterms=15)


class Searcher(Protocol):
    """What `similar` needs of its engine (engine.OpenSearchEngine): no import back up."""

    client: Any
    index: str
    # Cleared when the server turns more_like_this down (then key terms by hand).
    _mlt_native: bool

    def _error(self, e: Exception, doing: str) -> NewsgrepError: ...
    def _search(self, body: dict, doing: str = ..., ranked: bool = ...) -> dict: ...
    def _scan(self, body: dict, sort: list, limit: int | None = ...,
              ranked: bool = ...) -> Iterator[dict]: ...


def similar_articles(engine: Searcher, article_id: str, limit: int = 10) -> SearchResult:
    """Articles most like this one: reprints (by MinHash) first, then by content."""
    try:
        me = engine.client.get(index=engine.index, id=article_id)["_source"]
    except osx.NotFoundError:
        raise NewsgrepError(f"no article with id {article_id!r} in the index") from None
    except Exception as e:
        raise engine._error(e, "read the article") from None
    sig = _sig(me)
    reprints: list[tuple[results.Row, float]] = []
    if sig:
        cand = {"query": {"terms": {"lsh": band_keys(sig)}},
                "_source": SUMMARY_FIELDS + ["sig"]}
        rows = [_row(h) for h in engine._scan(cand, [{"id": "asc"}])]
        reprints, _ = results.split_reprints(
            sig, [r for r in rows if r["id"] != article_id])
    related: Sequence[results.Row] = []
    if len(reprints) < limit:
        text = (me.get("title") or "") + "\n" + (me.get("body") or "")
        seen = {article_id} | {r["id"] for r, _ in reprints}
        related = _more_like(engine, text, seen, limit - len(reprints))
    return results.similar_result(reprints, related, limit)


def _more_like(engine: Searcher, text: str, exclude: set[str], size: int) -> list[dict]:
    """Articles sharing the key terms of `text`: OpenSearch's more_like_this on the
    pre-analysed body, or, where the server lacks it, the same idea by hand (the
    MLT_TERMS terms with the highest tf-idf, OR-ed)."""
    terms = _analysed(text)
    if not terms:
        return []
    not_me = {"ids": {"values": sorted(exclude)}}
    if engine._mlt_native:
        # minimum_should_match 1: Whoosh's more_like ORs its key terms; Lucene's
        # default (30% of them) would drop weakly related articles Whoosh lists.
        mlt = {"more_like_this": {"fields": ["body_terms"], "like": " ".join(terms),
                                  "max_query_terms": MLT_TERMS, "min_term_freq": 1,
                                  "min_doc_freq": 2, "minimum_should_match": "1"}}
        body = {"query": {"bool": {"must": [mlt], "must_not": [not_me]}},
                "size": size, "_source": SUMMARY_FIELDS}
        try:
            resp = engine.client.search(index=engine.index, body=body,
                                        params={"search_type": "dfs_query_then_fetch"})
            return [_row(h) for h in resp["hits"]["hits"]]
        except osx.RequestError:  # e.g. "more_like_this is not supported"
            engine._mlt_native = False
        except Exception as e:
            raise engine._error(e, "find similar articles") from None
    should = [{"term": {"body_terms": {"value": t, "boost": round(w, 4)}}}
              for t, w in _key_terms(engine, terms)]
    if not should:
        return []
    body = {"query": {"bool": {"should": should, "minimum_should_match": 1,
                               "must_not": [not_me]}},
            "size": size, "_source": SUMMARY_FIELDS}
    hits = engine._search(body, "find similar articles", ranked=True)["hits"]["hits"]
    return [_row(h) for h in hits]


def _key_terms(engine: Searcher, terms: list[str]) -> list[tuple[str, float]]:
    tf: dict[str, int] = {}
    for t in terms:
        tf[t] = tf.get(t, 0) + 1
    cands = sorted(tf, key=lambda t: -tf[t])[:8 * MLT_TERMS]
    aggs = {"df": {"filters": {"filters": {str(i): {"term": {"body_terms": t}}
                                           for i, t in enumerate(cands)}}}}
    resp = engine._search({"size": 0, "track_total_hits": True, "aggs": aggs},
                          "find similar articles")
    n = max(1, int(resp["hits"]["total"]["value"]))
    buckets = resp["aggregations"]["df"]["buckets"]
    scored = []
    for i, t in enumerate(cands):
        df = int(buckets[str(i)]["doc_count"])
        if df >= 2:  # a term only this article has finds nothing else
            scored.append((t, tf[t] * math.log(1 + n / df)))
    scored.sort(key=lambda x: -x[1])
    return scored[:MLT_TERMS]
