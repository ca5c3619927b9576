"""Whole-index counts on the OpenSearch engine for newsgrep.narrative (the counterpart of
whoosh/summaries.py): articles per day, by a date_histogram (composite) aggregation over the
request's filters, never by fetching articles."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from .mapping import _ms_date

# The engine's paging composite aggregation: (query, sources) -> every bucket.
Composite = Callable[[dict, list[dict]], Iterable[dict]]


def day_counts(composite: Composite, flt: list[dict], with_source: bool = False) -> Counter:
    """Articles per (day, source) over the whole index, or over those that pass the
    filter clauses `flt` (the engine's filters of a request; its query is ignored)."""
    query = {"bool": {"filter": flt}} if flt else {"match_all": {}}
    sources: list[dict] = [{"d": {"date_histogram": {
        "field": "date", "calendar_interval": "day", "missing_bucket": True}}}]
    if with_source:
        sources.append({"s": {"terms": {"field": "source.raw", "missing_bucket": True}}})
    counts: Counter = Counter()
    for bucket in composite(query, sources):
        key = bucket["key"]
        counts[(_ms_date(key.get("d")), key.get("s"))] += int(bucket["doc_count"])
    return counts
