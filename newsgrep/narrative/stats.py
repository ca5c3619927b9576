"""Engine-side counts the narrative features need: per-day totals are an engine method;
term statistics come from the engine package's *_stats module for its kind."""

from __future__ import annotations

from collections import Counter

from ..errors import NewsgrepError
from ..query import SearchRequest


def _module(engine):
    name = getattr(engine, "name", None)
    if name == "whoosh":
        from ..engine.whoosh import stats as whoosh_stats

        return whoosh_stats
    if name == "opensearch" or type(engine).__name__ == "OpenSearchEngine":
        from ..engine.opensearch import stats as opensearch_stats

        return opensearch_stats
    raise NewsgrepError(f"this engine ({name or type(engine).__name__}) cannot count "
                        "articles per period")


def day_counts(engine, req: SearchRequest | None = None, with_source: bool = False
               ) -> Counter:
    """(day, source) -> articles, over all articles passing req's filters."""
    return engine.day_counts(req, with_source=with_source)


def term_stats(engine):
    """The module with count_terms / matching_texts / background for this engine."""
    mod = _module(engine)
    if not hasattr(mod, "background"):
        raise NewsgrepError("`terms` needs the Whoosh engine (a local index) for now")
    return mod
