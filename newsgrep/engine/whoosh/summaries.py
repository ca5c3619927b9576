"""Whole-index summaries read from postings and columns, so that no article is opened:
articles per path, per id, per term of a keyword field, per (day, source)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from whoosh import index, query

from .schema import date_column


def path_counts(ix: index.Index) -> dict[str, int]:
    """path -> number of live articles with that path."""
    with ix.searcher() as s:
        reader = s.reader()
        if not reader.doc_count():
            return {}
        # A deleted article's path stays in the term list until its segment is merged.
        counts = {text: sum(1 for _ in reader.postings("path", text).all_ids())
                  for text in reader.field_terms("path")}
        return {p: n for p, n in counts.items() if n}


def duplicate_ids(ix: index.Index) -> int:
    """How many article ids are held by more than one live record."""
    with ix.searcher() as s:
        reader = s.reader()
        dup = 0
        for text in reader.field_terms("id"):
            n = sum(1 for _ in reader.postings("id", text).all_ids())
            dup += n > 1
        return dup


def term_docs(s, field: str) -> dict[str, list[int]]:
    """Live documents per term of a keyword field (postings, not stored fields, so a
    summary of 100k articles reads no article)."""
    out: dict[str, list[int]] = {}
    for term in s.reader().field_terms(field):
        docs = s.search(query.Term(field, term), limit=None, scored=False).docs()
        if docs:
            out[term] = sorted(docs)
    return out


DayCounts = Counter  # (date | None, source | None) -> articles


def _source_names(searcher) -> dict[int, str]:
    """docnum -> source name, from the source_key postings (one stored read per source)."""
    out: dict[int, str] = {}
    for docs in term_docs(searcher, "source_key").values():
        name = searcher.stored_fields(docs[0]).get("source")
        for d in docs:
            out[d] = name
    return out


def _docs(searcher, flt: query.Query | None) -> Iterable[int]:
    if flt is None:
        return searcher.reader().all_doc_ids()  # live documents only
    return searcher.search(query.Every(), filter=flt, limit=None, scored=False).docs()


def day_counts(ix: index.Index, flt: query.Query | None = None, with_source: bool = False
               ) -> DayCounts:
    """Articles per (day, source) over the whole index, or over the articles that pass
    the filter `flt` (filters.request_filter: dates, sources, language). Read from the
    date column and the source postings, so no article is opened."""
    counts: DayCounts = Counter()
    with ix.searcher() as s:
        date_of = date_column(s.reader())
        source_of = _source_names(s) if with_source else {}
        for docnum in _docs(s, flt):
            counts[(date_of(docnum), source_of.get(docnum))] += 1
    return counts
