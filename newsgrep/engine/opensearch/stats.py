"""Whole-index counts on the OpenSearch engine for newsgrep.narrative (the counterpart of
whoosh/summaries.py): articles per day, by a date_histogram (composite) aggregation over the
request's filters, never by fetching articles."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from ...query import SearchRequest

if TYPE_CHECKING:
    from .engine import OpenSearchEngine


def day_counts(engine: OpenSearchEngine, req: SearchRequest | None = None,
               with_source: bool = False) -> Counter:
    """Articles per (day, source) over the whole index, or over those that pass req's
    filters (its query is ignored)."""
    from .mapping import _ms_date

    flt = engine._filter(req) if req is not None else []
    query = {"bool": {"filter": flt}} if flt else {"match_all": {}}
    sources: list[dict] = [{"d": {"date_histogram": {
        "field": "date", "calendar_interval": "day", "missing_bucket": True}}}]
    if with_source:
        sources.append({"s": {"terms": {"field": "source.raw", "missing_bucket": True}}})
    counts: Counter = Counter()
    for bucket in engine._composite(query, sources):
        key = bucket["key"]
        counts[(_ms_date(key.get("d")), key.get("s"))] += int(bucket["doc_count"])
    return counts
