"""A request's filters (dates, sources, language, paths) as a Whoosh query."""

from __future__ import annotations

from whoosh import query
from whoosh.analysis import LowercaseFilter, RegexTokenizer

from ...query import SearchRequest
from ..analysis import fold
from ..querylang.nodes import PathGlob
from .schema import day_end, day_start


def request_filter(req: SearchRequest) -> query.Query | None:
    """The request's filters as one query (None: it has none); its query text is not read."""
    parts: list[query.Query] = []
    if req.has_date_filter:
        start = day_start(req.date_from) if req.date_from else None
        end = day_end(req.date_to) if req.date_to else None
        parts.append(query.DateRange("date", start, end))
    if req.sources:
        parts.append(query.Or([q for name in req.sources for q in _source_query(name)]))
    if req.lang:
        parts.append(query.Term("lang", req.lang))
    if req.paths:
        parts.append(query.Or([PathGlob("path", p) for p in req.paths]))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else query.And(parts)


def _source_query(name: str) -> list[query.Query]:
    """The ways `--source NAME` can match: the whole name, the domain, or all its words."""
    key = name.strip().lower()
    if not key:
        return []
    alts: list[query.Query] = [query.Term("source_key", key),
                               query.Term("domain", key.removeprefix("www."))]
    words = [fold(w) for w in _words(key)]
    if words:
        alts.append(query.And([query.Term("source", w) for w in words]))
    return alts


def _words(text: str) -> list[str]:
    return [t.text for t in (RegexTokenizer() | LowercaseFilter())(text)]
