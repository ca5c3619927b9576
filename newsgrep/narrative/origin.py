"""`newsgrep origin ID|QUERY`: where a story started.

For an article: its reprint group (the articles `similar` finds as reprints, similarity
at least dedup.REPRINT_SIMILARITY, and the article itself) in date order, the earliest
outlet first. For a query: the first matching article of each source, in date order.
Each row says how many days after the first it appeared.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace

from ..dedup import REPRINT_SIMILARITY
from ..engine import open_engine
from ..errors import NewsgrepError
from ..hits import Hit
from ..query import SearchRequest
from ..search import Target, search, show

CANDIDATES = 500  # `similar` hits examined for reprints
_ID = re.compile(r"^[0-9a-f]{12}$")


@dataclass
class OriginRow:
    hit: Hit
    days_after: int | None  # None: undated (or the first is undated)

    def to_dict(self) -> dict:
        h = self.hit
        d: dict[str, object] = {
            "id": h.id, "date": h.date.isoformat() if h.date else None, "source": h.source,
            "title": h.title, "path": h.path, "url": h.url, "lang": h.lang,
            "days_after": self.days_after}
        if h.similarity is not None:
            d["similarity"] = round(h.similarity, 3)
        return d


@dataclass
class Origin:
    kind: str  # "article" (a reprint group) or "query" (first article per source)
    ref: str  # the article id, or the query
    rows: list[OriginRow]
    matches: int  # articles in the reprint group, or matching the query

    def to_dict(self) -> dict:
        return {"kind": self.kind, "ref": self.ref, "matches": self.matches,
                "sources": len({r.hit.source for r in self.rows}),
                "outlets": [r.to_dict() for r in self.rows]}


def _order(h: Hit) -> tuple:
    return (h.date is None, h.date or 0, h.source or "", h.id)


def _rows(hits: list[Hit]) -> list[OriginRow]:
    hits = sorted(hits, key=_order)
    first = hits[0].date if hits else None
    out = []
    for i, h in enumerate(hits):
        h.rank = i + 1
        out.append(OriginRow(h, (h.date - first).days if h.date and first else None))
    return out


def article_origin(ref: str, index_dir: Target) -> Origin:
    """The reprint group of the article with this id or path, earliest first."""
    a = show(ref, index_dir)
    me = Hit(rank=0, id=a.id, path=a.path, title=a.title, date=a.date, source=a.source,
             url=a.url, lang=a.lang, score=0.0, similarity=1.0)
    found = open_engine(index_dir).similar(a.id, limit=CANDIDATES).hits
    group = [me] + [h for h in found
                    if h.similarity is not None and h.similarity >= REPRINT_SIMILARITY]
    return Origin("article", a.id, _rows(group), len(group))


def query_origin(req: SearchRequest, index_dir: Target) -> Origin:
    """The first matching article of each source (undated ones only for a source with
    no dated match), in date order."""
    result = search(replace(req, sort="oldest", limit=None, snippets=0, collapse=False),
                    index_dir)
    first: dict[str | None, Hit] = {}
    for h in result.hits:  # oldest first, undated last
        first.setdefault(h.source, h)
    return Origin("query", req.query, _rows(list(first.values())), result.total)


def is_article_ref(text: str, index_dir: Target) -> bool:
    """Whether `text` names an article (an id in the index, or an existing file) rather
    than being a query."""
    if os.path.exists(text):
        return True
    return bool(_ID.match(text)) and open_engine(index_dir).get(text) is not None


def origin(text: str, index_dir: Target, req: SearchRequest | None = None) -> Origin:
    """article_origin for an id or path, else query_origin of `req` (or of `text`)."""
    if is_article_ref(text, index_dir):
        if req is not None and (req.has_date_filter or req.sources or req.lang):
            raise NewsgrepError("filters (--from, --source, --lang...) apply to a query, "
                                "not to an article's reprint group")
        return article_origin(text, index_dir)
    return query_origin(req or SearchRequest(text), index_dir)
