"""The one result builder: engines find plain rows, this makes what a search returns.

An engine's part ends at `Found`: the matching rows (stored fields and a score), the total,
the index terms to highlight and a did-you-mean. Everything presentational is made here,
once for every engine: `Hit`s, snippets (with the lead of the article when no match lies in
the body), title marks, `--collapse` groups and the order of `similar`.

A row is a mapping with `id` and `path`, optionally `title`, `date` (a `datetime.date` or
None), `source`, `url`, `lang`, `author`, `line` (int or None), `score` (float), `body`
(the text, needed for snippets) and `sig` (the MinHash signature as bytes, needed by
--collapse and `similar`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..hits import Hit, SearchResult, Snippet
from ..query import SearchRequest
from ..snippets import find_matches, mark, snippets
from .analysis import marks_for

Row = Mapping[str, Any]

COLLAPSE_DEPTH = 5  # with --collapse, rank this many times --limit hits before grouping
LEAD_CHARS = 200  # the lead shown when no match lies in the body (a title-only match)


@dataclass
class Found:
    """What an engine's search found, before any presentation."""

    rows: Sequence[Row]
    total: int
    # Index terms to mark, and `=word` for a word to mark only as written (`=Kind`).
    terms: Collection[str] = field(default_factory=frozenset)
    suggestion: str | None = None


def fetch_limit(req: SearchRequest) -> int | None:
    """How many rows an engine should rank for `req`: with --collapse, further down, since
    reprints fold away under the hit they repeat."""
    if req.collapse and req.limit is not None:
        return req.limit * COLLAPSE_DEPTH
    return req.limit


def build(req: SearchRequest, found: Found) -> SearchResult:
    """Hits for a search: ranked from 1, with snippets when `req` asks for them and, with
    --collapse, each story once with its reprints under it."""
    if req.collapse:
        from ..dedup import collapse  # only --collapse and `similar` read signatures

        hits = []
        for i, (row, dups) in enumerate(collapse(found.rows)[:req.limit]):
            hit = make_hit(row, i + 1, req.snippets, found.terms)
            hit.duplicates = [make_hit(d, 0) for d in dups]
            hits.append(hit)
    else:
        hits = [make_hit(row, i + 1, req.snippets, found.terms)
                for i, row in enumerate(found.rows)]
    return SearchResult(hits=hits, total=found.total, suggestion=found.suggestion)


def make_hit(row: Row, rank: int, top_snippets: int = 0,
             terms: Collection[str] = frozenset()) -> Hit:
    """One `Hit`; with `top_snippets`, the body's best passages and the title's marks."""
    hit = Hit(rank=rank, id=row["id"], path=row["path"], title=row.get("title") or "",
              date=row.get("date"), source=row.get("source"), url=row.get("url"),
              lang=row.get("lang"), score=float(row.get("score") or 0.0),
              author=row.get("author"), line=row.get("line"))
    if top_snippets:
        body = row.get("body") or ""
        exact = exact_words(terms)
        # The article's words as its own language's analysis indexed them.
        terms, term_of = marks_for(terms, hit.lang)
        hit.snippets = snippets(body, terms, term_of, top=top_snippets, exact=exact)
        if not hit.snippets and body:
            hit.snippets = [[(_lead(body), False)]]
        hit.title_marks = mark(hit.title, find_matches(hit.title, terms, term_of, exact))
    return hit


def split_reprints(sig: bytes | None, rows: Iterable[Row]
                   ) -> tuple[list[tuple[Row, float]], list[Row]]:
    """Candidates for `similar`, split by MinHash similarity to the article's signature:
    (reprints with their similarity, most alike first; the rest, in the order given)."""
    from ..dedup import REPRINT_SIMILARITY, similarity

    reprints: list[tuple[Row, float]] = []
    others: list[Row] = []
    for row in rows:
        sim = similarity(sig, row.get("sig") or b"") if sig else 0.0
        if sim >= REPRINT_SIMILARITY:
            reprints.append((row, sim))
        else:
            others.append(row)
    reprints.sort(key=lambda t: -t[1])
    return reprints, others


def similar_result(reprints: list[tuple[Row, float]], related: Iterable[Row], limit: int
                   ) -> SearchResult:
    """`similar`'s answer: the reprints first (with their similarity), then the related."""
    found: list[tuple[Row, float | None]] = list(reprints)
    found.extend((row, None) for row in related)
    hits = []
    for i, (row, sim) in enumerate(found[:limit]):
        hit = make_hit(row, i + 1)
        hit.similarity = sim
        hits.append(hit)
    return SearchResult(hits=hits, total=len(hits))


def marked_body(body: str, terms: Collection[str], lang: str | None = None
                ) -> list[Snippet]:
    """The whole body (of an article in `lang`) as one snippet, the words whose index
    term is in `terms` marked."""
    exact = exact_words(terms)
    terms, term_of = marks_for(terms, lang)
    return [mark(body, find_matches(body, terms, term_of, exact))]


def exact_words(terms: Collection[str]) -> frozenset[str]:
    """The words to mark as written (`=Kind`): an engine lists them among the terms to
    highlight as `=Kind` (no indexed term starts with `=`)."""
    return frozenset(t[1:] for t in terms if isinstance(t, str) and t.startswith("="))


def _lead(body: str, n: int = LEAD_CHARS) -> str:
    return body[:n].rsplit(" ", 1)[0] + " …" if len(body) > n else body
