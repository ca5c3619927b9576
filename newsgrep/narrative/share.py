"""`timeline --share`: matches per period as a share of all articles in that period."""

from __future__ import annotations

from dataclasses import replace

from ..engine import open_engine
from ..query import SearchRequest
from ..search import Target
from ..timeline import Timeline, add_totals, build
from .stats import day_counts


def share_timeline(req: SearchRequest, index_dir: Target, by: str = "auto",
                   by_source: bool = False, top_sources: int = 5) -> Timeline:
    """The timeline of `req` (as search.timeline) with each bucket's total: all articles
    of that period that pass the same filters (--from/--to/--source/--lang), and with
    by_source, each shown source's articles, so a rise in coverage is told apart from a
    rise in what was collected."""
    engine = open_engine(index_dir)
    matches = engine.match_dates(req, with_source=by_source)
    tl = build(matches, by=by, by_source=by_source, top_sources=top_sources)
    filters = replace(req, query="*", any_words=False, expand=False)
    return add_totals(tl, day_counts(engine, filters, with_source=by_source))
