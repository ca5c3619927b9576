"""The Whoosh engine: searching a newsgrep index in a folder (the top of this package;
see __init__.py for the layers below)."""

from __future__ import annotations

import copy
import os
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from whoosh import matching, query, sorting

from ...article import Article
from ...errors import NewsgrepError
from ...hits import SearchResult, Snippet
from ...query import SearchRequest
from .. import results, whoosh_rank
from ..querylang.highlight import match_terms
from ..querylang.nodes import shorten
from ..querylang.parser import parse_user_query
from ..ranking import DEFAULT, Ranking
from ..results import Found
from . import fastskip, folder
from .filters import request_filter
from .folder import open_index
from .schema import date_column, stored_article, stored_body, title_and_body

# Imported when used, not by every search: summaries (sources, stats, timelines) and
# suggest (did-you-mean, when nothing matched).
if TYPE_CHECKING:  # the writers load numpy and the codec: imported when writing
    from .bulk import BulkWriter
    from .classic_writer import WhooshWriter
    from .segment_ingest import SegmentIngest

fastskip.install()  # a bisect inside posting blocks (fastskip.py): same postings, faster

REPRINT_CANDIDATES = 200  # more-like-this hits checked for reprints by `similar`

# The raw date-column value of an undated article (the column's default, the largest
# unsigned 64-bit value): Whoosh's own sort puts it first when sorting newest first.
_UNDATED = 2**64 - 1


class _DateOrder(sorting.FacetType):
    """Sort key: the date (newest or oldest first), undated articles last whatever the
    direction, then relevance. Whoosh's sorting collector sees every match, so the
    order is exact over all matches, not only the top N."""

    def __init__(self, newest: bool):
        self.newest = newest

    def categorizer(self, global_searcher):
        return _DateCategorizer(self.newest)


class _DateCategorizer(sorting.Categorizer):
    needs_current = True  # for the score

    def __init__(self, newest: bool):
        self.newest = newest
        self._col = None

    def set_searcher(self, segment_searcher, docoffset):
        r = segment_searcher.reader()
        self._col = r.column_reader("date", translate=False) if r.has_column("date") \
            else None

    def key_for(self, matcher, docid):
        v = self._col[docid] if self._col is not None else _UNDATED
        if not 0 < v < _UNDATED:
            key = _UNDATED
        else:
            key = -v if self.newest else v
        return (key, -matcher.score())


class _FieldPresent(query.Every):
    """Every(field): the documents with a word in `field`, found from the field's
    lengths. A field's length is the sum of its postings' frequencies (both writers), so
    a document has a word in the field exactly when its length there is not 0; a field
    that keeps no lengths (an ID: path, lang, domain...) is left to Whoosh. Whoosh's
    own Every(field) reads the posting list of every word of the field instead: `*`
    (Or of Every title, Every body) took 35 CPU-s at 20k articles, and each `--source`
    of a search with several is checked with one (index.unknown_sources)."""

    def matcher(self, searcher, context=None):
        reader = searcher.reader()
        field = self.fieldname
        if field not in reader.schema or not reader.schema[field].scorable:
            return super().matcher(searcher, context)
        length = reader.doc_field_length
        ids = [d for d in reader.all_doc_ids() if length(d, field)]  # all_doc_ids: live
        return matching.ListMatcher(ids, all_weights=self.boost)


def _fast_every(q: query.Query) -> query.Query:
    """`q` with each Every(field) a _FieldPresent (the same matches and scores); `q`
    itself when it has none. Nodes on the way are copied, not rebuilt, so what the
    parser set on them (e.g. `repeats`) stays."""
    if type(q) is query.Every:
        return q if q.fieldname is None else _FieldPresent(q.fieldname, boost=q.boost)
    subs = getattr(q, "subqueries", None)
    if isinstance(subs, list | tuple) and subs:
        new = [_fast_every(c) for c in subs]
        if all(a is b for a, b in zip(new, subs, strict=True)):
            return q
        q = copy.copy(q)
        q.subqueries = type(subs)(new)
        if isinstance(q, query.BinaryQuery):
            q.a, q.b = new
        return q
    for attr in ("child", "query"):  # WrappingQuery's child, Not's query
        child = getattr(q, attr, None)
        if isinstance(child, query.Query) and (new_child := _fast_every(child)) is not child:
            q = copy.copy(q)
            setattr(q, attr, new_child)
    return q


class WhooshEngine:
    """Open (or create) the Whoosh index in a folder."""

    name = "whoosh"
    ranking: Ranking = DEFAULT  # how relevance is scored (engine/ranking.py)

    def __init__(self, path: str | os.PathLike, create: bool = False,
                 ranking: Ranking | None = None):
        self.path = Path(path)
        self.ix = open_index(self.path, create=create)
        if ranking is not None:
            self.ranking = ranking

    # -- writing -------------------------------------------------------------------
    def writer(self, procs: int = 1, limitmb: int = 128) -> BulkWriter | WhooshWriter:
        """The bulk segment writer (bulk.py: adds, deletions, commits and merges,
        several times cheaper than Whoosh's). Whoosh's own writer where the bulk one does
        not serve: `procs` > 1 asks for Whoosh's multi-process writer (scripts/eval_*),
        and NEWSGREP_WHOOSH_WRITER=1 for the old path (a fallback and a baseline)."""
        from .bulk import BulkWriter
        from .classic_writer import WhooshWriter, whoosh_writer_forced

        if procs > 1 or whoosh_writer_forced():
            return WhooshWriter(self.ix, self.path, procs=procs, limitmb=limitmb)
        return BulkWriter(self.path, on_commit=lambda: folder.record_sums(
            self.ix, self.path))

    def whoosh_writer(self, procs: int = 1, limitmb: int = 128) -> WhooshWriter:
        """Whoosh's own SegmentWriter (tests compare the bulk writer against it)."""
        from .classic_writer import WhooshWriter

        return WhooshWriter(self.ix, self.path, procs=procs, limitmb=limitmb)

    def segment_ingest(self) -> SegmentIngest | None:
        """For `newsgrep index`: segments written by the parsing workers (None: use
        writer() for everything)."""
        from .classic_writer import whoosh_writer_forced
        from .segment_ingest import SegmentIngest

        if whoosh_writer_forced():
            return None
        return SegmentIngest(self.ix, self.path)

    # -- reading -------------------------------------------------------------------
    def doc_count(self) -> int:
        return self.ix.doc_count()

    def identity(self) -> str | None:
        return folder.identity(self.path)

    def path_counts(self) -> dict[str, int]:
        from . import summaries

        return summaries.path_counts(self.ix)

    def duplicate_ids(self) -> int:
        from . import summaries

        return summaries.duplicate_ids(self.ix)

    def day_counts(self, req: SearchRequest | None = None, with_source: bool = False
                   ) -> Counter:
        """(day, source) -> articles passing req's filters (its query is ignored)."""
        from . import summaries

        flt = request_filter(req) if req is not None else None
        return summaries.day_counts(self.ix, flt, with_source=with_source)

    def get(self, article_id: str) -> Article | None:
        with self.ix.searcher() as s:
            stored = s.document(id=article_id)
            return stored_article(stored) if stored else None

    def get_by_path(self, path: str) -> list[Article]:
        with self.ix.searcher() as s:
            return [stored_article(d) for d in s.documents(path=path)]

    def _parse(self, req: SearchRequest) -> query.Query:
        return _fast_every(parse_user_query(req, self.ix.schema,
                                            title_boost=self.ranking.title_weight))

    def search(self, req: SearchRequest) -> SearchResult:
        q = self._parse(req)
        flt = request_filter(req)
        r = self.ranking
        if req.expand:  # feed back whatever the number of matches
            r = r.with_(fb_docs=r.fb_docs or 10, fb_min_matches=0)
        with self.ix.searcher(weighting=whoosh_rank.weighting(r)) as s:
            limit = results.fetch_limit(req)
            try:
                if req.sort != "relevance":
                    # Sorted over all matches (the collector sees each one anyway), so
                    # the count is exact and the top N are the true newest/oldest.
                    everything = s.search(q, filter=whoosh_rank.filter_docs(s, flt), limit=None,
                                          sortedby=_DateOrder(req.sort == "newest"))
                    total = everything.scored_length()
                    ordered = list(everything)[:limit]
                else:
                    ordered, total = whoosh_rank.search(s, q, flt, limit, r, title_and_body)
            except NewsgrepError:
                raise
            except Exception as e:  # e.g. "field has no positions" for phrases
                raise NewsgrepError(f"cannot run query {shorten(req.query)!r}: {e}") from None
            terms = match_terms(q, s.reader()) if req.snippets else set()
            rows = [_row(h, with_body=bool(req.snippets)) for h in ordered]
            suggestion = None
            if total == 0:
                from .suggest import suggest

                suggestion = suggest(s, q, req.query)
            return results.build(req, Found(rows, total, terms, suggestion))

    def match_dates(self, req: SearchRequest, with_source: bool = False
                    ) -> list[tuple[date | None, str | None]]:
        """(date, source) of every article matching the request, for timelines."""
        q = self._parse(req)
        with self.ix.searcher() as s:
            flt = whoosh_rank.filter_docs(s, request_filter(req))
            results = s.search(q, filter=flt, limit=None, scored=False)
            if not with_source:
                date_of = date_column(s.reader())
                return [(date_of(docnum), None) for docnum in results.docs()]
            out = []
            for docnum in results.docs():
                f = s.stored_fields(docnum)
                d = f.get("date")
                out.append((d.date() if isinstance(d, datetime) else None, f.get("source")))
            return out

    def count(self, req: SearchRequest) -> int:
        q = self._parse(req)
        flt = request_filter(req)
        with self.ix.searcher() as s:
            return whoosh_rank.count(s, q, flt)

    def similar(self, article_id: str, limit: int = 10) -> SearchResult:
        """Articles most like this one: reprints (by MinHash) first, then by content."""
        with self.ix.searcher() as s:
            docnum = s.document_number(id=article_id)
            if docnum is None:
                raise NewsgrepError(f"no article with id {article_id!r} in the index")
            me = s.stored_fields(docnum)
            text = title_and_body(me)
            # A reprint shares nearly all of the article's key terms, so it ranks near the
            # top of more-like-this; its MinHash similarity then says whether it is one.
            more = list(s.more_like(docnum, "body", text=text, top=REPRINT_CANDIDATES,
                                    numterms=15))
            # Scored 0.0 as before: `similar` lists no relevance (its order is its own).
            rows = [_row(h.fields()) for h in more if h.docnum != docnum]
        reprints, related = results.split_reprints(me.get("sig"), rows)
        return results.similar_result(reprints, related, limit)

    def highlight_article(self, article: Article, text_query: str) -> list[Snippet]:
        """The whole body with the words matching `text_query` marked."""
        q = self._parse(SearchRequest(text_query))
        with self.ix.searcher() as s:
            terms = match_terms(q, s.reader())
        return results.marked_body(article.body, terms, article.lang)

    # -- summaries -----------------------------------------------------------------
    def sources(self) -> list[dict]:
        from . import summaries

        rows = []
        with self.ix.searcher() as s:
            date_of = date_column(s.reader())
            groups = list(summaries.term_docs(s, "source_key").values())
            sourced = {d for docs in groups for d in docs}
            unsourced = [d for d in s.reader().all_doc_ids() if d not in sourced]
            for docs in groups + ([unsourced] if unsourced else []):
                dates = [d for d in map(date_of, docs) if d]
                name = s.stored_fields(docs[0]).get("source") if docs is not unsourced \
                    else None
                rows.append({"source": name, "articles": len(docs),
                             "first_date": min(dates, default=None),
                             "last_date": max(dates, default=None)})
        return sorted(rows, key=lambda r: (-r["articles"], r["source"] or ""))

    def stats(self) -> dict:
        from . import summaries

        with self.ix.searcher() as s:
            reader = s.reader()
            langs = {k: len(v) for k, v in summaries.term_docs(s, "lang").items()}
            n_sources = len(summaries.term_docs(s, "source_key"))
            date_of = date_column(reader)
            dates = [d for d in map(date_of, reader.all_doc_ids()) if d]
            n = s.doc_count()
        size = sum(f.stat().st_size for f in self.path.iterdir() if f.is_file())
        return {"articles": n, "sources": n_sources,
                "languages": dict(sorted(langs.items(), key=lambda kv: (-kv[1], kv[0]))),
                "first_date": min(dates, default=None), "last_date": max(dates, default=None),
                "index_bytes": size}


def _row(h, with_body: bool = False) -> dict:
    """A hit's stored fields as the plain row the result builder takes (engine/results.py):
    the date as a date, the score, and the body's text when snippets need it."""
    row = dict(h.fields() if hasattr(h, "fields") else h)
    d = row.get("date")
    row["date"] = d.date() if isinstance(d, datetime) else None
    row["score"] = _score(h)
    if with_body:
        row["body"] = stored_body(row)
    return row


def _score(h) -> float:
    """Relevance of a hit; a date-sorted hit's score is its sort key (date, -score)."""
    score = getattr(h, "score", None)
    if isinstance(score, tuple):
        return -float(score[1])
    return float(score or 0.0)
