"""The OpenSearch engine: newsgrep's index in an OpenSearch (or Elasticsearch-API) cluster.

Same protocol as WhooshEngine (see engine/__init__.py), so ingest, the CLI and the
printer do not know which engine runs. Matching is made to agree with Whoosh exactly:

* Title, body and source are indexed *pre-analysed*: newsgrep's own analyzer
  (analysis.py: fold accents, stem per script, drop stopwords, renumber positions) runs
  in Python, and the space-joined terms go to `*_terms` fields that OpenSearch only
  splits on whitespace. The user's query is parsed once by `parse_query()` (terms
  already folded and stemmed) and its Whoosh query tree is translated node by node into
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

import base64
import fnmatch
import logging
import math
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import quote, unquote, urlsplit

from opensearchpy import OpenSearch
from opensearchpy import exceptions as osx
from whoosh import query as wq
from whoosh.util.times import long_to_datetime

from ..article import Article
from ..dedup import band_keys
from ..errors import NewsgrepError
from ..hits import SearchResult, Snippet
from ..query import SearchRequest
from . import parse_query, results
from .analysis import _TOKEN, STOPWORDS, fold, normalize_term, term_positions
from .feedback import FEEDBACK_DOCS, expand, feedback_terms
from .ranking import DEFAULT as RANKING  # rank as the default engine does
from .results import Found
from .whoosh_query import FUZZY_EXPANSIONS

SCHEMA_VERSION = 1  # in the mapping's _meta; bump when the mapping changes incompatibly
MAX_WINDOW = 10_000  # index.max_result_window: beyond it, page with search_after
PAGE = 1000  # hits per page when reading everything
BULK_DOCS = 500  # articles per _bulk request
BULK_BYTES = 8 * 1024 * 1024  # ... or about this many bytes of JSON, whichever comes first
FLUSH_DOCS = 2000  # a writer sends its buffer early past this many articles (bounded memory)
BULK_TRIES = 5  # attempts per _bulk request on 429/5xx/connection failures
BULK_BACKOFF = 0.5  # seconds before the first retry; doubles each time
BULK_MAX_BACKOFF = 8.0
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
TIMEOUT = 60  # seconds per request (delete_by_query and big bulks can be slow)
MLT_TERMS = 15  # key terms of `similar`, as Whoosh's more_like(numterms=15)
SUMMARY_FIELDS = ["id", "path", "title", "date", "source", "url", "lang"]

# opensearch-py logs every 4xx (a missing id is a normal 404) and retry as a warning, which
# Python's last-resort handler would print on stderr: the CLI reports errors itself.
logging.getLogger("opensearch").addHandler(logging.NullHandler())

# The word pattern of the analyzer, for the source field (folded, not stemmed).
_WORD = _TOKEN
_INDEX_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,254}$")
# A pattern query (prefix, wildcard, fuzzy) highlights the indexed terms it expands to;
# a stopword is never indexed, so its normalised form is not one of them.
_STOP_TERMS = frozenset(normalize_term(w) for w in STOPWORDS)

# Query-tree field -> OpenSearch field. Text fields map to their pre-analysed twins.
_FIELDS = {
    "title": "title_terms", "body": "body_terms", "source": "source_terms",
    "id": "id", "path": "path", "source_key": "source_key", "domain": "domain",
    "lang": "lang", "lsh": "lsh", "date": "date",
}

_WS = {"type": "text", "analyzer": "newsgrep_terms"}
MAPPING = {
    "dynamic": "strict",
    "_meta": {"newsgrep_schema": SCHEMA_VERSION},
    # The *_terms fields are derived from title/body/source: not worth storing twice.
    "_source": {"excludes": ["title_terms", "body_terms", "source_terms"]},
    "properties": {
        "id": {"type": "keyword"},
        "path": {"type": "keyword"},
        "seq": {"type": "long"},  # insertion order (records of one .jsonl in file order)
        "title": {"type": "text"},  # OpenSearch's own analysis, for Dashboards & co.
        "title_terms": _WS,
        "body": {"type": "text", "index": False},
        "body_terms": _WS,
        "date": {"type": "date", "format": "strict_date_optional_time||epoch_millis"},
        "source": {"type": "text", "fields": {"raw": {"type": "keyword"}}},
        "source_key": {"type": "keyword"},
        "source_terms": _WS,
        "domain": {"type": "keyword"},
        "url": {"type": "keyword", "index": False, "doc_values": False},
        "lang": {"type": "keyword"},
        "lsh": {"type": "keyword"},  # near-duplicate band keys (dedup.py)
        "sig": {"type": "binary"},  # MinHash signature, base64
    },
}
SETTINGS = {
    "analysis": {"analyzer": {"newsgrep_terms": {"type": "custom", "tokenizer": "whitespace"}}},
    # The Whoosh engine's BM25 parameters, so both rank alike (fixed when an index is made).
    "similarity": {"default": {"type": "BM25", "k1": RANKING.k1, "b": RANKING.b}},
    # One replica where there is a second node to hold it, none on a single node (whose
    # index would otherwise stay yellow for ever, its replica unassignable).
    "auto_expand_replicas": "0-1",
}


# -- connection ----------------------------------------------------------------------

@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    index: str
    user: str | None
    password: str | None

    @property
    def safe_url(self) -> str:
        """The URL with the password masked: the only form that goes into messages."""
        auth = f"{quote(self.user, safe='')}:***@" if self.user else ""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{auth}{host}:{self.port}/{self.index}"

    def scrub(self, text: str) -> str:
        """`text` as one line, with the password masked wherever it appears."""
        text = " ".join(str(text).split())
        if self.password:
            for secret in {self.password, quote(self.password, safe="")}:
                text = text.replace(secret, "***")
        return text


def parse_url(url: str) -> Target:
    """`scheme://user:pass@host:port/index` -> Target (raises NewsgrepError)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
        host = parts.hostname
    except ValueError as e:
        raise NewsgrepError(f"bad --url: {e}") from None
    password = unquote(parts.password) if parts.password is not None else None
    user = unquote(parts.username) if parts.username is not None else None
    masked = Target(parts.scheme or "?", host or "?", port or 9200, "?", user, password)
    if parts.scheme not in ("http", "https") or not host:
        raise NewsgrepError(
            f"bad --url {masked.scrub(url)!r}: use http(s)://[user:password@]host:port/index")
    index = parts.path.strip("/") or "newsgrep"
    if not _INDEX_NAME.match(index):
        raise NewsgrepError(f"bad index name {index!r} in --url: use lower-case letters, "
                            "digits, '-', '_' or '.', one path segment")
    if user is None and os.environ.get("NEWSGREP_USER"):
        user = os.environ["NEWSGREP_USER"]
    if password is None and os.environ.get("NEWSGREP_PASSWORD"):
        password = os.environ["NEWSGREP_PASSWORD"]
    return Target(parts.scheme, host, port or 9200, index, user, password)


def _tls_verify() -> bool:
    return os.environ.get("NEWSGREP_TLS_VERIFY", "1").strip().lower() not in (
        "0", "false", "no", "off")


def _reason(e: osx.TransportError) -> str:
    info = e.info
    if isinstance(info, dict) and isinstance(info.get("error"), dict):
        err = info["error"]
        causes = err.get("root_cause") or [err]
        first = causes[0] if isinstance(causes[0], dict) else err
        return f"{first.get('type', err.get('type'))}: {first.get('reason', err.get('reason'))}"
    return str(e.error or info or e)


def _connection_reason(e: Exception) -> str:
    text = str(getattr(e, "info", None) or e).lower()
    for needle, why in (("refused", "connection refused"), ("timed out", "timed out"),
                        ("timeout", "timed out"), ("name or service not known", "unknown host"),
                        ("nodename nor servname", "unknown host"),
                        ("temporary failure in name resolution", "unknown host"),
                        ("reset by peer", "connection reset"),
                        ("remote end closed", "connection closed by the server")):
        if needle in text:
            return why
    return text[:200]


class OpenSearchEngine:
    """An index in an OpenSearch cluster, named by the URL's path."""

    name = "opensearch"

    def __init__(self, url: str, create: bool = False):
        self.target = parse_url(url)
        self.index = self.target.index
        t = self.target
        self.client = OpenSearch(
            hosts=[{"host": t.host, "port": t.port, "scheme": t.scheme}],
            http_auth=(t.user, t.password or "") if t.user else None,
            use_ssl=t.scheme == "https",
            verify_certs=_tls_verify(),
            ca_certs=os.environ.get("NEWSGREP_CA_CERTS") or None,
            ssl_show_warn=False,
            timeout=TIMEOUT,
            max_retries=2,
            retry_on_timeout=True,
            http_compress=True,
        )
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
            meta = next(iter(mapping.values()), {}).get("mappings", {}).get("_meta") or {}
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
        where = self.target.safe_url
        if isinstance(e, NewsgrepError):
            return e
        if isinstance(e, osx.SSLError):
            why = (f"TLS failure talking to {where} ({_connection_reason(e)}); set "
                   "NEWSGREP_CA_CERTS=ca.pem, or NEWSGREP_TLS_VERIFY=0 to skip verification")
        elif isinstance(e, osx.ConnectionError):  # also ConnectionTimeout
            why = f"cannot reach OpenSearch at {where}: {_connection_reason(e)}"
        elif isinstance(e, osx.AuthenticationException):
            why = f"OpenSearch at {where} refused the credentials (401)"
        elif isinstance(e, osx.AuthorizationException):
            why = f"OpenSearch at {where} does not allow this user to {doing} (403)"
        elif isinstance(e, osx.NotFoundError):
            why = f"no index {self.index!r} at {where} (it was deleted?)"
        elif isinstance(e, osx.TransportError):
            why = f"OpenSearch at {where} could not {doing}: {e.status_code} {_reason(e)}"
        else:
            why = f"OpenSearch at {where} could not {doing}: {type(e).__name__}: {e}"
        return NewsgrepError(self.target.scrub(why))

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
        from .opensearch_stats import day_counts

        return day_counts(self, req, with_source=with_source)

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
    def _query(self, req: SearchRequest, q: wq.Query) -> dict:
        flt = self._filter(req)
        must = _dsl(q, self.flat_spans)
        if not flt:
            return must
        return {"bool": {"must": [must], "filter": flt}}

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
        return parts

    def _sort(self, req: SearchRequest) -> list:
        if req.sort == "relevance":
            return [{"_score": "desc"}, {"id": "asc"}]
        order = "desc" if req.sort == "newest" else "asc"
        return [{"date": {"order": order, "missing": "_last"}}, {"id": "asc"}]

    def search(self, req: SearchRequest) -> SearchResult:
        q = parse_query(req)
        query = self._query(req, self._with_feedback(req, q) if req.feedback else q)
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
        terms = highlight_terms(q) if req.snippets else _HighlightTerms()
        suggestion = self._suggest(q, req.query) if total == 0 else None
        return results.build(req, Found(rows, total, terms, suggestion))

    def _with_feedback(self, req: SearchRequest, q: wq.Query) -> wq.Query:
        """`q` plus optional words from its best hits (engine/feedback.py)."""
        body = {"query": self._query(req, q), "_source": ["title", "body"],
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
        for leaf in _positive_leaves(q):
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
        try:
            me = self.client.get(index=self.index, id=article_id)["_source"]
        except osx.NotFoundError:
            raise NewsgrepError(f"no article with id {article_id!r} in the index") from None
        except Exception as e:
            raise self._error(e, "read the article") from None
        sig = _sig(me)
        reprints: list[tuple[results.Row, float]] = []
        if sig:
            cand = {"query": {"terms": {"lsh": band_keys(sig)}},
                    "_source": SUMMARY_FIELDS + ["sig"]}
            rows = [_row(h) for h in self._scan(cand, [{"id": "asc"}])]
            reprints, _ = results.split_reprints(
                sig, [r for r in rows if r["id"] != article_id])
        related: list[results.Row] = []
        if len(reprints) < limit:
            text = (me.get("title") or "") + "\n" + (me.get("body") or "")
            seen = {article_id} | {r["id"] for r, _ in reprints}
            related = self._more_like(text, seen, limit - len(reprints))
        return results.similar_result(reprints, related, limit)

    def _more_like(self, text: str, exclude: set[str], size: int) -> list[dict]:
        """Articles sharing the key terms of `text`: OpenSearch's more_like_this on the
        pre-analysed body, or, where the server lacks it, the same idea by hand (the
        MLT_TERMS terms with the highest tf-idf, OR-ed)."""
        terms = _analysed(text)
        if not terms:
            return []
        not_me = {"ids": {"values": sorted(exclude)}}
        if self._mlt_native:
            # minimum_should_match 1: Whoosh's more_like ORs its key terms; Lucene's
            # default (30% of them) would drop weakly related articles Whoosh lists.
            mlt = {"more_like_this": {"fields": ["body_terms"], "like": " ".join(terms),
                                      "max_query_terms": MLT_TERMS, "min_term_freq": 1,
                                      "min_doc_freq": 2, "minimum_should_match": "1"}}
            body = {"query": {"bool": {"must": [mlt], "must_not": [not_me]}},
                    "size": size, "_source": SUMMARY_FIELDS}
            try:
                resp = self.client.search(index=self.index, body=body,
                                          params={"search_type": "dfs_query_then_fetch"})
                return [_row(h) for h in resp["hits"]["hits"]]
            except osx.RequestError:  # e.g. "more_like_this is not supported"
                self._mlt_native = False
            except Exception as e:
                raise self._error(e, "find similar articles") from None
        should = [{"term": {"body_terms": {"value": t, "boost": round(w, 4)}}}
                  for t, w in self._key_terms(terms)]
        if not should:
            return []
        body = {"query": {"bool": {"should": should, "minimum_should_match": 1,
                                   "must_not": [not_me]}},
                "size": size, "_source": SUMMARY_FIELDS}
        hits = self._search(body, "find similar articles", ranked=True)["hits"]["hits"]
        return [_row(h) for h in hits]

    def _key_terms(self, terms: list[str]) -> list[tuple[str, float]]:
        tf: dict[str, int] = {}
        for t in terms:
            tf[t] = tf.get(t, 0) + 1
        cands = sorted(tf, key=lambda t: -tf[t])[:8 * MLT_TERMS]
        aggs = {"df": {"filters": {"filters": {str(i): {"term": {"body_terms": t}}
                                               for i, t in enumerate(cands)}}}}
        resp = self._search({"size": 0, "track_total_hits": True, "aggs": aggs},
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

    def highlight_article(self, article: Article, text_query: str) -> list[Snippet]:
        """The whole body with the words matching `text_query` marked."""
        terms = highlight_terms(parse_query(SearchRequest(text_query)))
        return results.marked_body(article.body, terms)

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


# -- writing -------------------------------------------------------------------------

class OpenSearchWriter:
    """A batch of changes, sent on commit(): deletes by path, then the articles in _bulk
    requests (retried with back-off on 429/5xx), then a refresh. commit() raises
    NewsgrepError if the cluster does not acknowledge every article, so ingest does not
    record the batch's files as indexed and the next run sends them again (the _id is
    the article id: a re-send replaces, never duplicates)."""

    def __init__(self, engine: OpenSearchEngine):
        self._engine = engine
        self._deletes: dict[str, None] = {}  # paths, in order
        self._adds: dict[str, dict] = {}  # article id -> document
        self._seq = time.time_ns()

    def delete_path(self, path: str) -> None:
        # Deletes are sent before the adds: drop what this batch added for the path.
        for aid in [aid for aid, doc in self._adds.items() if doc["path"] == path]:
            del self._adds[aid]
        self._deletes[path] = None

    def add(self, article: Article) -> None:
        self._seq += 1
        self._adds.pop(article.id, None)
        self._adds[article.id] = _document(article, self._seq)
        if len(self._adds) >= FLUSH_DOCS:
            self._flush()

    def commit(self) -> None:
        self._flush()
        e = self._engine
        e._call("refresh the index", e.client.indices.refresh, index=e.index)

    def cancel(self) -> None:
        self._deletes.clear()
        self._adds.clear()

    def _flush(self) -> None:
        e = self._engine
        paths = list(self._deletes)
        for i in range(0, len(paths), 1000):
            resp = e._call("delete old records", e.client.delete_by_query, index=e.index,
                           body={"query": {"terms": {"path": paths[i:i + 1000]}}},
                           conflicts="proceed", refresh=True)
            if resp.get("failures"):
                raise NewsgrepError(e.target.scrub(
                    f"OpenSearch at {e.target.safe_url} could not delete old records: "
                    f"{resp['failures'][0]}"))
        self._deletes.clear()
        docs = list(self._adds.values())
        for chunk in _chunks(docs):
            self._bulk(chunk)
        self._adds.clear()

    def _bulk(self, docs: list[dict]) -> None:
        """Send one chunk; retry what failed for want of capacity (429, 5xx, a dropped
        connection) with exponential back-off; give up with a NewsgrepError."""
        e = self._engine
        pending = docs
        delay = BULK_BACKOFF
        last = ""
        for attempt in range(1, BULK_TRIES + 1):
            body: list[dict] = []
            for d in pending:
                body += [{"index": {"_index": e.index, "_id": d["id"]}}, d]
            try:
                resp = e.client.bulk(body=body)
            except (osx.ConnectionError, osx.TransportError) as exc:
                status = getattr(exc, "status_code", None)
                fatal = isinstance(exc, osx.SSLError) or (
                    not isinstance(exc, osx.ConnectionError) and status not in RETRY_STATUSES)
                if fatal:
                    raise e._error(exc, "index the articles") from None
                last = str(e._error(exc, "index the articles"))
            else:
                retry = []
                retry_status = 0
                for d, item in zip(pending, resp.get("items", []), strict=False):
                    res = next(iter(item.values()))
                    status = int(res.get("status", 500))
                    if status in RETRY_STATUSES:
                        retry.append(d)
                        retry_status = status
                    elif status >= 300:
                        err = res.get("error") or {}
                        raise NewsgrepError(e.target.scrub(
                            f"OpenSearch at {e.target.safe_url} rejected {d['path']}: "
                            f"{err.get('type')}: {err.get('reason')}"))
                if not retry:
                    return
                pending = retry
                last = (f"OpenSearch at {e.target.safe_url} did not take {len(retry)} "
                        f"articles (status {retry_status})")
            if attempt < BULK_TRIES:
                time.sleep(delay)
                delay = min(delay * 2, BULK_MAX_BACKOFF)
        raise NewsgrepError(e.target.scrub(
            f"{last} (gave up after {BULK_TRIES} attempts; this batch is not recorded as "
            "indexed: run the index command again)"))


def _chunks(docs: list[dict]) -> Iterator[list[dict]]:
    chunk: list[dict] = []
    size = 0
    for d in docs:
        n = len(d.get("body") or "") * 2 + 1000  # body, and its terms, dominate
        if chunk and (len(chunk) >= BULK_DOCS or size + n > BULK_BYTES):
            yield chunk
            chunk, size = [], 0
        chunk.append(d)
        size += n
    if chunk:
        yield chunk


# -- documents -----------------------------------------------------------------------

def _analysed(text: str) -> list[str]:
    """The indexed terms of `text` in position order, exactly as Whoosh indexes them
    (stopwords leave no gaps, see analysis.py), for the whitespace-split *_terms fields."""
    by_pos = [(p, t) for t, ps in term_positions(text).items() for p in ps]
    by_pos.sort()
    return [t for _, t in by_pos]


def _source_terms(text: str) -> list[str]:
    # Whoosh's `source` field: tokenized, lower-cased, folded, not stemmed, no stopwords.
    return [fold(m.group().lower()) for m in _WORD.finditer(text)]


def _document(a: Article, seq: int) -> dict:
    doc: dict = {"id": a.id, "path": a.path, "seq": seq, "title": a.title, "body": a.body,
                 "url": a.url, "lang": a.lang}
    if terms := _analysed(a.title):
        doc["title_terms"] = " ".join(terms)
    if terms := _analysed(a.body):
        doc["body_terms"] = " ".join(terms)
    if a.date:
        doc["date"] = a.date.isoformat()
    if a.source:
        doc["source"] = a.source
        doc["source_key"] = a.source.lower()
        if terms := _source_terms(a.source):
            doc["source_terms"] = " ".join(terms)
    if dom := a.domain:
        doc["domain"] = dom
    if a.signature:
        doc["lsh"] = band_keys(a.signature)
        doc["sig"] = base64.b64encode(a.signature).decode("ascii")
    return {k: v for k, v in doc.items() if v is not None}


def _sig(src: dict) -> bytes | None:
    s = src.get("sig")
    return base64.b64decode(s) if s else None


def _row(h: dict) -> dict:
    """A hit as the plain row the result builder takes (engine/results.py)."""
    row = dict(h.get("_source") or {})
    row["date"] = _parse_date(row.get("date"))
    row["score"] = float(h.get("_score") or 0.0)
    if "sig" in row:
        row["sig"] = _sig(row)
    return row


def _article(src: dict) -> Article:
    return Article(id=src["id"], path=src["path"], title=src.get("title") or "",
                   body=src.get("body") or "", date=_parse_date(src.get("date")),
                   source=src.get("source"), url=src.get("url"), lang=src.get("lang"))


def _parse_date(value) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _ms_date(ms) -> date | None:
    if ms is None:
        return None
    return (datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=float(ms))).date()


def _iso_ms(dt: datetime) -> str:
    return (f"{dt.year:04d}-{dt.month:02d}-{dt.day:02d}T{dt.hour:02d}:{dt.minute:02d}:"
            f"{dt.second:02d}.{dt.microsecond // 1000:03d}Z")


# -- query translation ---------------------------------------------------------------

def _field(name: str | None) -> str:
    if name not in _FIELDS:
        raise NewsgrepError(f"the OpenSearch engine cannot search the field {name!r}")
    return _FIELDS[name]


def _boosted(clause: dict, boost: float) -> dict:
    if boost != 1.0:
        inner = next(iter(clause.values()))
        inner["boost"] = boost
    return clause


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


def _dsl(node: wq.Query, flat_spans: bool = False) -> dict:
    """One node of newsgrep's parsed query (a Whoosh query tree) as query DSL.
    flat_spans: no nested span_near (for servers without it, e.g. the osmem emulator)."""

    def sub(child: wq.Query) -> dict:
        return _dsl(child, flat_spans)

    boost = float(getattr(node, "boost", 1.0) or 1.0)
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
        return {"wildcard": {_field(node.fieldname): {"value": node.text, "boost": boost}}}
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


# -- highlighting --------------------------------------------------------------------

def _levenshtein(a: str, b: str, limit: int) -> int:
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


class _HighlightTerms:
    """The indexed terms a query looks for, as a collection for snippets.find_matches:
    exact terms, plus the patterns of prefix/wildcard/fuzzy/range leaves. Whoosh expands
    those against the index's term list; matching the words of the text being
    highlighted against the pattern gives the same marks without the term list."""

    def __init__(self) -> None:
        self.exact: set[str] = set()
        self.patterns: list[Callable[[str], bool]] = []

    def __contains__(self, term: object) -> bool:
        if term in self.exact:
            return True
        return (isinstance(term, str) and term not in _STOP_TERMS
                and any(p(term) for p in self.patterns))

    def __iter__(self) -> Iterator[str]:
        return iter(self.exact)

    def __len__(self) -> int:
        return len(self.exact) + len(self.patterns)


def _positive_leaves(q: wq.Query) -> Iterator[wq.Query]:
    """Leaves not under a Not (as whoosh_engine._match_terms walks the tree)."""
    if isinstance(q, wq.Not):
        return
    if q.is_leaf():
        yield q
        return
    for child in q.children():
        yield from _positive_leaves(child)


def highlight_terms(q: wq.Query) -> _HighlightTerms:
    out = _HighlightTerms()
    for leaf in _positive_leaves(q):
        if getattr(leaf, "fieldname", None) not in ("title", "body"):
            continue
        if isinstance(leaf, wq.Phrase):
            out.exact.update(leaf.words)
        elif isinstance(leaf, wq.FuzzyTerm):
            text, k, n = leaf.text, int(leaf.maxdist), int(leaf.prefixlength)
            out.patterns.append(lambda t, text=text, k=k, n=n: t[:n] == text[:n]
                                and _levenshtein(t, text, k) <= k)
        elif isinstance(leaf, wq.Prefix):
            out.patterns.append(lambda t, p=leaf.text: t.startswith(p))
        elif isinstance(leaf, wq.Wildcard):
            out.patterns.append(re.compile(fnmatch.translate(leaf.text)).match)
        elif isinstance(leaf, wq.TermRange):
            lo, hi, lx, hx = leaf.start, leaf.end, leaf.startexcl, leaf.endexcl
            out.patterns.append(
                lambda t, lo=lo, hi=hi, lx=lx, hx=hx:
                (lo is None or (t > lo if lx else t >= lo))
                and (hi is None or (t < hi if hx else t <= hi)))
        elif isinstance(leaf, wq.Term) and isinstance(leaf.text, str):
            out.exact.add(leaf.text)
    return out
