"""The OpenSearch engine: newsgrep's index in an OpenSearch (or Elasticsearch-API) cluster.

Same protocol as WhooshEngine (see engine/__init__.py), so ingest, the CLI and the
printer do not know which engine runs. Matching is made to agree with Whoosh exactly:

* Title, body and source are indexed *pre-analysed*: newsgrep's own analyzer
  (analysis.py: fold accents, stem per script, drop stopwords, renumber positions) runs
  in Python, and the space-joined terms go to `*_terms` fields that OpenSearch only
  splits on whitespace. The user's query is parsed once by `querylang.parse_query()`
  (terms already folded and stemmed) and its query tree is translated node by node into
  the query DSL (`_dsl`), so a query finds the same articles in both engines.
* The clean body is kept in `_source` (not indexed as raw text); snippets are made by
  newsgrep's own snippets.py from it, so they are identical too.
* Ranking is OpenSearch's BM25 over the two fields (title boosted 2x, the Whoosh engine's
  K1/B), not Whoosh's BM25F: the same hits, possibly in a slightly different order.

URL: `scheme://[user:password@]host[:port]/index` (credentials may also come from
NEWSGREP_USER / NEWSGREP_PASSWORD). TLS certificates are verified unless
NEWSGREP_TLS_VERIFY=0; NEWSGREP_CA_CERTS names a CA bundle. The password never appears
in a message. See docs/scaling-out.md for the design and the known differences.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date, datetime

from opensearchpy import exceptions as osx
from whoosh import query as wq

from ...article import Article
from ...errors import NewsgrepError
from ...hits import SearchResult, Snippet
from ...query import SearchRequest
from .. import results
from ..feedback import FEEDBACK_DOCS, expand, feedback_terms
from ..querylang import parse_query
from ..querylang.highlight import HighlightTerms, highlight_terms, positive_leaves
from ..ranking import DEFAULT as RANKING  # rank as the default engine does
from ..results import Found
from .client import connect, error, parse_url
from .mapping import (
    MAPPING,
    SCHEMA_VERSION,
    SETTINGS,
    SUMMARY_FIELDS,
    _article,
    _iso_ms,
    _ms_date,
    _row,
    _source_terms,
)
from .similar import similar_articles
from .stats import day_counts
from .translate import FormStats, _dsl, form_terms, read_stats, stats_request
from .writer import OpenSearchWriter

MAX_WINDOW = 10_000  # index.max_result_window: beyond it, page with search_after
PAGE = 1000  # hits per page when reading everything


def _wild(glob: str) -> str:
    """A path glob as an OpenSearch wildcard value (a backslash is its escape)."""
    return glob.replace("\\", "\\\\")


class OpenSearchEngine:
    """An index in an OpenSearch cluster, named by the URL's path."""

    name = "opensearch"

    def __init__(self, url: str, create: bool = False):
        self.target = parse_url(url)
        self.index = self.target.index
        t = self.target
        self.client = connect(t)
        self._mlt_native = True  # cleared when the server turns more_like_this down
        # Nested span_near gives exact sloppy phrases; osmem (the emulator) rejects it.
        self.flat_spans = os.environ.get("NEWSGREP_OPENSEARCH_FLAT_SPANS") == "1"
        try:
            mapping = self.client.indices.get_mapping(index=self.index)
        except osx.NotFoundError:
            if not create:
                raise NewsgrepError(
                    f"no index {self.index!r} at {t.safe_url}: run 'newsgrep --engine "
                    "opensearch --url URL index FOLDER' first") from None
            self._create()
        except Exception as e:
            raise self._error(e, "open the index") from None
        else:
            first: dict = next(iter(mapping.values()), {})
            meta = first.get("mappings", {}).get("_meta") or {}
            if meta.get("newsgrep_schema") != SCHEMA_VERSION:
                raise NewsgrepError(
                    f"the index {self.index!r} at {t.safe_url} was not made by this version "
                    "of newsgrep; use another index name in --url")

    def _create(self) -> None:
        body = {"settings": SETTINGS, "mappings": MAPPING}
        try:
            self.client.indices.create(index=self.index, body=body)
        except osx.RequestError as e:
            if e.error != "resource_already_exists_exception":  # another run was quicker
                raise self._error(e, "create the index") from None
        except Exception as e:
            raise self._error(e, "create the index") from None

    # -- errors --------------------------------------------------------------------
    def _error(self, e: Exception, doing: str) -> NewsgrepError:
        """One line for the user, never with the password."""
        return error(self.target, self.index, e, doing)

    def _call(self, doing: str, fn: Callable, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception as e:
            raise self._error(e, doing) from None

    def _search(self, body: dict, doing: str = "run the search", ranked: bool = False) -> dict:
        """One search request. ranked: scores matter, so gather term statistics from every
        shard first (dfs_query_then_fetch): with shard-local statistics a multi-shard
        index would rank a small corpus differently from a one-shard index."""
        params = {"search_type": "dfs_query_then_fetch"} if ranked else {}
        return self._call(doing, self.client.search, index=self.index, body=body,
                          params=params)

    def day_counts(self, req: SearchRequest | None = None, with_source: bool = False
                   ) -> Counter:
        """(day, source) -> articles passing req's filters (its query is ignored)."""
        flt = self._filter(req) if req is not None else []
        return day_counts(self._composite, flt, with_source=with_source)

    def identity(self) -> str | None:
        """The physical index's uuid (None if it does not exist). It changes when the
        index is deleted and made again, or restored from elsewhere: ingest stores it in
        the manifest and re-reads every file when it differs."""
        try:
            resp = self.client.indices.get_settings(index=self.index, name="index.uuid")
        except osx.NotFoundError:
            return None
        except Exception as e:
            raise self._error(e, "read the index settings") from None
        for body in resp.values():  # one entry, keyed by the concrete name (not an alias)
            uid = body.get("settings", {}).get("index", {}).get("uuid")
            if uid:
                return str(uid)
        return None

    # -- writing -------------------------------------------------------------------
    def writer(self) -> OpenSearchWriter:
        return OpenSearchWriter(self)

    # -- reading -------------------------------------------------------------------
    def doc_count(self) -> int:
        return int(self._call("count articles", self.client.count, index=self.index)["count"])

    def get(self, article_id: str) -> Article | None:
        try:
            doc = self.client.get(index=self.index, id=article_id)
        except osx.NotFoundError as e:
            if isinstance(e.info, dict) and e.info.get("found") is False:
                return None
            raise self._error(e, "read the article") from None
        except Exception as e:
            raise self._error(e, "read the article") from None
        return _article(doc["_source"])

    def get_by_path(self, path: str) -> list[Article]:
        body = {"query": {"term": {"path": path}}, "size": PAGE,
                "sort": [{"seq": "asc"}, {"id": "asc"}]}
        return [_article(h["_source"]) for h in self._search(body)["hits"]["hits"]]

    def _scan(self, body: dict, sort: list, limit: int | None = None,
              ranked: bool = False) -> Iterator[dict]:
        """Hits of `body` in `sort` order (which must end in a unique key), up to `limit`,
        paging with search_after so there is no result-window limit."""
        after = None
        left = limit
        while left is None or left > 0:
            size = PAGE if left is None else min(PAGE, left)
            page = dict(body, size=size, sort=sort, track_total_hits=False)
            if after is not None:
                page["search_after"] = after
            hits = self._search(page, ranked=ranked)["hits"]["hits"]
            yield from hits
            if left is not None:
                left -= len(hits)
            if len(hits) < size:
                return
            after = hits[-1]["sort"]

    # -- searching -----------------------------------------------------------------
    def _query(self, req: SearchRequest, q: wq.Query, ranked: bool = False) -> dict:
        """The DSL of `q` within req's filters; ranked: scores matter, so each word's
        cross-script forms are weighed as the Whoosh engine does (_form_stats)."""
        flt = self._filter(req)
        must = _dsl(q, self.flat_spans, self._form_stats(q) if ranked else None)
        if not flt:
            return must
        return {"bool": {"must": [must], "filter": flt}}

    def _form_stats(self, q: wq.Query) -> FormStats | None:
        """The document frequencies querylang.nodes.weigh_forms reads for `q`'s words
        with cross-script forms (one size-0 request; none without such words). Counted
        by a filters aggregation, so over live documents, where Lucene's idf also
        counts deleted ones until a merge: a small difference on an index with many
        deletions. None if the server cannot answer (the forms keep their own idf)."""
        terms = form_terms(q)
        if not terms:
            return None
        try:
            return read_stats(terms, self._search(stats_request(terms), "weigh the words"))
        except (NewsgrepError, KeyError, TypeError, ValueError):
            return None

    def _filter(self, req: SearchRequest) -> list[dict]:
        """SearchRequest restrictions as filter clauses (as WhooshEngine._filter)."""
        parts: list[dict] = []
        if req.has_date_filter:
            rng: dict = {"format": "strict_date_optional_time"}
            if req.date_from:
                rng["gte"] = _iso_ms(datetime.combine(req.date_from, datetime.min.time()))
            if req.date_to:
                rng["lte"] = _iso_ms(datetime.combine(req.date_to, datetime.max.time()))
            parts.append({"range": {"date": rng}})
        if req.sources:
            alts: list[dict] = []
            for name in req.sources:
                key = name.strip().lower()
                if not key:
                    continue
                alts.append({"term": {"source_key": key}})
                alts.append({"term": {"domain": key.removeprefix("www.")}})
                words = _source_terms(key)
                if words:
                    alts.append({"bool": {"must": [{"term": {"source_terms": w}}
                                                   for w in words]}})
            parts.append({"bool": {"should": alts, "minimum_should_match": 1}}
                         if alts else {"match_none": {}})
        if req.lang:
            parts.append({"term": {"lang": req.lang}})
        if req.paths:  # globs as the Whoosh engine's PathGlob: * and ? only
            parts.append({"bool": {"should": [{"wildcard": {"path": {"value": _wild(p)}}}
                                              for p in req.paths],
                                   "minimum_should_match": 1}})
        return parts

    def _sort(self, req: SearchRequest) -> list:
        if req.sort == "relevance":
            return [{"_score": "desc"}, {"id": "asc"}]
        order = "desc" if req.sort == "newest" else "asc"
        return [{"date": {"order": order, "missing": "_last"}}, {"id": "asc"}]

    def search(self, req: SearchRequest) -> SearchResult:
        q = parse_query(req)
        query = self._query(req, self._with_feedback(req, q) if req.feedback else q,
                            ranked=req.sort == "relevance")
        limit = results.fetch_limit(req)
        fields = list(SUMMARY_FIELDS)
        if req.snippets:
            fields.append("body")
        if req.collapse:
            fields.append("sig")
        body = {"query": query, "_source": fields, "track_scores": True}
        first = dict(body, size=min(limit or PAGE, MAX_WINDOW), sort=self._sort(req),
                     track_total_hits=True)
        ranked = req.sort == "relevance"
        resp = self._search(first, ranked=ranked)
        total = int(resp["hits"]["total"]["value"])
        raw = resp["hits"]["hits"]
        want = total if limit is None else min(limit, total)
        if len(raw) < want and raw:  # more than one window: page on
            rest = dict(body, search_after=raw[-1]["sort"])
            raw = raw + list(self._scan(rest, self._sort(req), want - len(raw), ranked))
        rows = [_row(h) for h in raw]
        terms = highlight_terms(q) if req.snippets else HighlightTerms()
        suggestion = self._suggest(q, req.query) if total == 0 else None
        return results.build(req, Found(rows, total, terms, suggestion))

    def _with_feedback(self, req: SearchRequest, q: wq.Query) -> wq.Query:
        """`q` plus optional words from its best hits (engine/feedback.py)."""
        body = {"query": self._query(req, q, ranked=True), "_source": ["title", "body"],
                "size": FEEDBACK_DOCS, "sort": self._sort(req), "track_scores": True,
                "track_total_hits": False}
        top = [(float(h.get("_score") or 0.0),
                (h["_source"].get("title") or "") + "\n" + (h["_source"].get("body") or ""))
               for h in self._search(body, ranked=True)["hits"]["hits"]]
        return expand(q, feedback_terms(top), RANKING.title_weight)

    def count(self, req: SearchRequest) -> int:
        query = self._query(req, parse_query(req))
        resp = self._call("count the matches", self.client.count, index=self.index,
                          body={"query": query})
        return int(resp["count"])

    def match_dates(self, req: SearchRequest, with_source: bool = False
                    ) -> list[tuple[date | None, str | None]]:
        """(date, source) of every article matching the request, for timelines: counted
        per (day, source) by a composite aggregation, not by fetching every hit."""
        query = self._query(req, parse_query(req))
        sources: list[dict] = [{"d": {"date_histogram": {
            "field": "date", "calendar_interval": "day", "missing_bucket": True}}}]
        if with_source:
            sources.append({"s": {"terms": {"field": "source.raw", "missing_bucket": True}}})
        out: list[tuple[date | None, str | None]] = []
        for bucket in self._composite(query, sources):
            key = bucket["key"]
            item = (_ms_date(key.get("d")), key.get("s"))
            out.extend([item] * int(bucket["doc_count"]))
        return out

    def _composite(self, query: dict, sources: list[dict], aggs: dict | None = None
                   ) -> Iterator[dict]:
        after = None
        while True:
            comp: dict = {"size": PAGE, "sources": sources}
            if after:
                comp["after"] = after
            agg: dict = {"composite": comp}
            if aggs:
                agg["aggs"] = aggs
            body = {"size": 0, "query": query, "track_total_hits": False,
                    "aggs": {"c": agg}}
            res = self._search(body, "aggregate")["aggregations"]["c"]
            yield from res["buckets"]
            after = res.get("after_key")
            if not after or len(res["buckets"]) < PAGE:
                return

    def _suggest(self, q: wq.Query, text: str) -> str | None:
        """"Did you mean": the query text with each word the index does not know replaced
        by the closest indexed term (as Whoosh's correct_query: up to 2 edits, same first
        letter). Best effort: None if the server has no term suggester."""
        spans: dict[tuple[int, int], str] = {}
        for leaf in positive_leaves(q):
            if (type(leaf) is wq.Term and leaf.fieldname in ("title", "body")
                    and getattr(leaf, "startchar", None) is not None):
                spans[(leaf.startchar, leaf.endchar)] = leaf.text
        if not spans:
            return None
        words = sorted(set(spans.values()))
        suggest = {f"w{i}": {"text": w, "term": {
            "field": "body_terms", "suggest_mode": "missing", "max_edits": 2,
            "prefix_length": 1, "min_word_length": 2, "size": 1, "sort": "score"}}
            for i, w in enumerate(words)}
        try:
            resp = self.client.search(index=self.index, body={"size": 0, "suggest": suggest})
        except Exception:  # no suggester (or any trouble): no suggestion
            return None
        fixes: dict[str, str] = {}
        for i, w in enumerate(words):
            for entry in resp.get("suggest", {}).get(f"w{i}", []):
                if entry.get("options"):
                    fixes[w] = entry["options"][0]["text"]
        if not fixes:
            return None
        out = text
        for (start, end), w in sorted(spans.items(), reverse=True):
            if w in fixes and end <= len(out):
                out = out[:start] + fixes[w] + out[end:]
        return out if out != text else None

    # -- similar -------------------------------------------------------------------
    def similar(self, article_id: str, limit: int = 10) -> SearchResult:
        """Articles most like this one: reprints (by MinHash) first, then by content."""
        return similar_articles(self, article_id, limit)

    def highlight_article(self, article: Article, text_query: str) -> list[Snippet]:
        """The whole body with the words matching `text_query` marked."""
        terms = highlight_terms(parse_query(SearchRequest(text_query)))
        return results.marked_body(article.body, terms, article.lang)

    # -- summaries -----------------------------------------------------------------
    def sources(self) -> list[dict]:
        out = []
        aggs = {"lo": {"min": {"field": "date"}}, "hi": {"max": {"field": "date"}}}
        src = [{"s": {"terms": {"field": "source.raw", "missing_bucket": True}}}]
        for b in self._composite({"match_all": {}}, src, aggs):
            out.append({"source": b["key"].get("s"), "articles": int(b["doc_count"]),
                        "first_date": _ms_date(b["lo"].get("value")),
                        "last_date": _ms_date(b["hi"].get("value"))})
        return sorted(out, key=lambda s: (-s["articles"], s["source"] or ""))

    def stats(self) -> dict:
        body = {"size": 0, "track_total_hits": True, "aggs": {
            "langs": {"terms": {"field": "lang", "size": 1000}},
            "lo": {"min": {"field": "date"}}, "hi": {"max": {"field": "date"}}}}
        resp = self._search(body, "read the statistics")
        aggs = resp["aggregations"]
        langs = {b["key"]: int(b["doc_count"]) for b in aggs["langs"]["buckets"]}
        n_sources = sum(1 for s in self.sources() if s["source"] is not None)
        st = self._call("read the statistics", self.client.indices.stats,
                        index=self.index, metric="store")
        size = st.get("_all", {}).get("primaries", {}).get("store", {}).get("size_in_bytes", 0)
        return {"articles": int(resp["hits"]["total"]["value"]), "sources": n_sources,
                "languages": langs, "first_date": _ms_date(aggs["lo"].get("value")),
                "last_date": _ms_date(aggs["hi"].get("value")), "index_bytes": int(size)}
