"""The index's mapping and settings, and the documents in it: an Article as sent (its
text pre-analysed by newsgrep's own analyzer) and a hit as read back."""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime, timedelta

from ...article import Article
from ...dedup import band_keys
from ...words import words
from ..analysis import _TOKEN, fold, term_positions
from ..ranking import DEFAULT as RANKING  # rank as the default engine does

SCHEMA_VERSION = 3  # in the mapping's _meta; bump when the mapping changes incompatibly
SUMMARY_FIELDS = ["id", "path", "line", "title", "date", "source", "url", "lang", "author"]

# The word pattern of the analyzer, for the source field (folded, not stemmed).
_WORD = _TOKEN
# Query-tree field -> OpenSearch field. Text fields map to their pre-analysed twins.
_FIELDS = {
    "title": "title_terms", "body": "body_terms", "source": "source_terms",
    "id": "id", "path": "path", "source_key": "source_key", "domain": "domain",
    "lang": "lang", "lsh": "lsh", "date": "date", "author": "author_terms",
    "exact": "exact_terms",
}

_WS = {"type": "text", "analyzer": "newsgrep_terms"}
MAPPING = {
    "dynamic": "strict",
    "_meta": {"newsgrep_schema": SCHEMA_VERSION},
    # The *_terms fields are derived from title/body/source: not worth storing twice.
    "_source": {"excludes": ["title_terms", "body_terms", "source_terms", "author_terms",
                             "exact_terms"]},
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
        "line": {"type": "integer", "index": False},  # a record's line (Article.line)
        "author": {"type": "text", "index": False},
        "author_terms": _WS,  # folded, not stemmed (as source_terms)
        # Title and body words as written (`=Kind`); as in Whoosh, no positions.
        "exact_terms": {"type": "text", "analyzer": "newsgrep_terms", "index_options": "freqs",
                        "norms": False},
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


# -- documents -----------------------------------------------------------------------

def _analysed(text: str, lang: str | None = None) -> list[str]:
    """The indexed terms of `text` (of an article in `lang`) in position order, exactly as
    Whoosh indexes them (stopwords leave no gaps, see analysis.py), for the
    whitespace-split *_terms fields. A Cyrillic word's Latin sound key shares its
    position; the whitespace tokenizer gives it the next one, so phrases of sound keys
    do not match here (single words do)."""
    by_pos = [(p, t) for t, ps in term_positions(text, lang=lang, keys=True).items() for p in ps]
    by_pos.sort()
    return [t for _, t in by_pos]


def _source_terms(text: str) -> list[str]:
    # Whoosh's `source` field: tokenized, lower-cased, folded, not stemmed, no stopwords.
    return [fold(m.group().lower()) for m in _WORD.finditer(text)]


def _exact_terms(text: str) -> list[str]:
    # Whoosh's `exact` field: newsgrep's words as written, each once (no positions).
    return list(dict.fromkeys(w for _, _, w in words(text)))


def _document(a: Article, seq: int) -> dict:
    doc: dict = {"id": a.id, "path": a.path, "seq": seq, "title": a.title, "body": a.body,
                 "url": a.url, "lang": a.lang}
    if terms := _analysed(a.title, a.lang):
        doc["title_terms"] = " ".join(terms)
    if terms := _analysed(a.body, a.lang):
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
    if a.line is not None:
        doc["line"] = a.line
    if a.author:
        doc["author"] = a.author
        if terms := _source_terms(a.author):
            doc["author_terms"] = " ".join(terms)
    if terms := _exact_terms(f"{a.title}\n{a.body}"):
        doc["exact_terms"] = " ".join(terms)
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
                   source=src.get("source"), url=src.get("url"), lang=src.get("lang"),
                   author=src.get("author"), line=src.get("line"))


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
