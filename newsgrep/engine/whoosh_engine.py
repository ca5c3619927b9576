"""The Whoosh engine: searching a newsgrep index in a folder. Every Whoosh call
newsgrep makes lives in this package: the index layout and writer in whoosh_store.py,
the query language in whoosh_query.py."""

from __future__ import annotations

import functools
import itertools
import os
import re
import unicodedata
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from whoosh import query, sorting
from whoosh.analysis import LowercaseFilter, RegexTokenizer
from whoosh.support.levenshtein import damerau_levenshtein
from whoosh.util.times import long_to_datetime

from ..article import Article
from ..errors import NewsgrepError
from ..hits import SearchResult, Snippet
from ..query import SearchRequest
from ..snippets import find_matches
from . import results, whoosh_rank, whoosh_store
from .analysis import fold, normalize_term
from .ranking import DEFAULT, Ranking
from .results import Found
from .whoosh_query import (  # noqa: F401 - BM25_* and TITLE_BOOST: the shipped ranking's
    BM25_B,
    BM25_K1,
    TITLE_BOOST,
    PathGlob,
    _match_terms,
    parse_user_query,
    shorten,
)
from .whoosh_store import (  # noqa: F401 - prepare_article: the engine's ingest hook
    WhooshWriter,
    _article,
    _body,
    _day_end,
    _day_start,
    _title_and_body,
    open_index,
    prepare_article,
)

if TYPE_CHECKING:
    from .whoosh_bulk import BulkWriter

REPRINT_CANDIDATES = 200  # more-like-this hits checked for reprints by `similar`
SUGGEST_MAX_LEN = 30  # longer unknown words get no suggestion
SUGGEST_MAX_QUERY = 200  # nor do queries longer than this (characters)
SUGGEST_SHORTLIST = 8  # closest stems looked up as written in an article, per word
SUGGEST_CANDIDATES = 3  # closest known words tried per unknown word
SUGGEST_TRIES = 12  # combinations of them tried against the index


def _date_column(reader):
    """docnum -> publication date (or None), read from the date column. Raw values: an
    undated article holds a sentinel that Whoosh's own translation overflows on."""
    if not reader.has_column("date"):  # e.g. an index with no segments yet
        return lambda docnum: None
    col = reader.column_reader("date", translate=False)
    return lambda docnum: _long_to_date(col[docnum])


def _long_to_date(value) -> date | None:
    try:
        return long_to_datetime(value).date() if value else None
    except (OverflowError, ValueError, TypeError):
        return None


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
        """The bulk segment writer (whoosh_bulk.py: adds, deletions, commits and merges,
        several times cheaper than Whoosh's). Whoosh's own writer where the bulk one does
        not serve: `procs` > 1 asks for Whoosh's multi-process writer (scripts/eval_*),
        and NEWSGREP_WHOOSH_WRITER=1 for the old path (a fallback and a baseline)."""
        if procs > 1 or whoosh_store.whoosh_writer_forced():
            return WhooshWriter(self, procs=procs, limitmb=limitmb)
        from .whoosh_bulk import BulkWriter

        return BulkWriter(self.path, on_commit=lambda: whoosh_store.record_sums(
            self.ix, self.path))

    def whoosh_writer(self, procs: int = 1, limitmb: int = 128) -> WhooshWriter:
        """Whoosh's own SegmentWriter (tests compare the bulk writer against it)."""
        return WhooshWriter(self, procs=procs, limitmb=limitmb)

    def segment_ingest(self) -> whoosh_store.SegmentIngest | None:
        """For `newsgrep index`: segments written by the parsing workers (None: use
        writer() for everything)."""
        if whoosh_store.whoosh_writer_forced():
            return None
        return whoosh_store.SegmentIngest(self)

    # -- reading -------------------------------------------------------------------
    def doc_count(self) -> int:
        return self.ix.doc_count()

    def identity(self) -> str | None:
        return whoosh_store.identity(self.path)

    def path_counts(self) -> dict[str, int]:
        return whoosh_store.path_counts(self.ix)

    def duplicate_ids(self) -> int:
        return whoosh_store.duplicate_ids(self.ix)

    def day_counts(self, req: SearchRequest | None = None, with_source: bool = False
                   ) -> Counter:
        """(day, source) -> articles passing req's filters (its query is ignored)."""
        from .whoosh_stats import day_counts

        return day_counts(self, req, with_source=with_source)

    def get(self, article_id: str) -> Article | None:
        with self.ix.searcher() as s:
            stored = s.document(id=article_id)
            return _article(stored) if stored else None

    def get_by_path(self, path: str) -> list[Article]:
        with self.ix.searcher() as s:
            return [_article(d) for d in s.documents(path=path)]

    def _parse(self, req: SearchRequest) -> query.Query:
        return parse_user_query(req, self.ix.schema, title_boost=self.ranking.title_weight)

    def _filter(self, req: SearchRequest) -> query.Query | None:
        parts: list[query.Query] = []
        if req.has_date_filter:
            start = _day_start(req.date_from) if req.date_from else None
            end = _day_end(req.date_to) if req.date_to else None
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

    def search(self, req: SearchRequest) -> SearchResult:
        q = self._parse(req)
        flt = self._filter(req)
        r = self.ranking
        if req.expand:  # feed back whatever the number of matches
            r = r.with_(fb_docs=r.fb_docs or 10, fb_min_matches=0)
        with self.ix.searcher(weighting=whoosh_rank.weighting(r)) as s:
            limit = results.fetch_limit(req)
            try:
                if req.sort != "relevance":
                    # Sorted over all matches (the collector sees each one anyway), so
                    # the count is exact and the top N are the true newest/oldest.
                    everything = s.search(q, filter=flt, limit=None,
                                          sortedby=_DateOrder(req.sort == "newest"))
                    total = everything.scored_length()
                    ordered = list(everything)[:limit]
                else:
                    ordered, total = whoosh_rank.search(s, q, flt, limit, r, _title_and_body)
            except NewsgrepError:
                raise
            except Exception as e:  # e.g. "field has no positions" for phrases
                raise NewsgrepError(f"cannot run query {shorten(req.query)!r}: {e}") from None
            terms = _match_terms(q, s.reader()) if req.snippets else set()
            rows = [_row(h, with_body=bool(req.snippets)) for h in ordered]
            suggestion = self._suggest(s, q, req.query) if total == 0 else None
            return results.build(req, Found(rows, total, terms, suggestion))

    def match_dates(self, req: SearchRequest, with_source: bool = False
                    ) -> list[tuple[date | None, str | None]]:
        """(date, source) of every article matching the request, for timelines."""
        q = self._parse(req)
        with self.ix.searcher() as s:
            results = s.search(q, filter=self._filter(req), limit=None, scored=False)
            if not with_source:
                date_of = _date_column(s.reader())
                return [(date_of(docnum), None) for docnum in results.docs()]
            out = []
            for docnum in results.docs():
                f = s.stored_fields(docnum)
                d = f.get("date")
                out.append((d.date() if isinstance(d, datetime) else None, f.get("source")))
            return out

    def count(self, req: SearchRequest) -> int:
        q = self._parse(req)
        flt = self._filter(req)
        with self.ix.searcher() as s:
            return whoosh_rank.count(s, q, flt)

    def similar(self, article_id: str, limit: int = 10) -> SearchResult:
        """Articles most like this one: reprints (by MinHash) first, then by content."""
        with self.ix.searcher() as s:
            docnum = s.document_number(id=article_id)
            if docnum is None:
                raise NewsgrepError(f"no article with id {article_id!r} in the index")
            me = s.stored_fields(docnum)
            text = _title_and_body(me)
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
            terms = _match_terms(q, s.reader())
        return results.marked_body(article.body, terms, article.lang)

    def _suggest(self, searcher, q: query.Query, text: str) -> str | None:
        """The query with each word the index does not know replaced by a close word it
        does know, written as it appears in an article rather than as its stem
        (`troopps` -> `troops`). Candidates are ranked by edit distance (a swap of two
        letters counts as one edit), then frequency: ranking by frequency alone turned
        `impechment` into `impact`. Of the best few per word, the first combination
        with which the whole query matches something wins, so `"hong kongg"` becomes
        `"hong kong"` (a phrase that exists) rather than `"hong king"`."""
        if len(text) > SUGGEST_MAX_QUERY:
            return None
        reader = searcher.reader()
        typed = {normalize_term(w.lower()): w.lower() for w in re.findall(r"\w+", text)}
        options: dict[str, list[tuple[str, str, int]]] = {}
        for stem in _text_words(q):
            if len(stem) > SUGGEST_MAX_LEN:  # not a typo; and the automaton gets slow
                continue
            if stem in options or reader.doc_frequency("body", stem) or \
                    reader.doc_frequency("title", stem):
                continue
            # Also without an ending the stemmer would have stripped from a known word.
            variants = {stem} | {stem[:-len(end)] for end in _ENDINGS
                                 if end and stem.endswith(end) and len(stem) > len(end) + 2}
            try:
                near = {t for v in variants for t in reader.terms_within("body", v, 2, prefix=1)}
            except Exception:
                continue
            freq = {t: reader.doc_frequency("body", t) for t in near}
            # Stems are compared first (cheap), then the best few as written in articles
            # with the word as typed: `chnage` is not stemmed, `change` is `chang`.
            word = typed.get(stem, stem)
            shortlist = sorted(near, key=lambda t: (_distance(t, stem), -freq[t], t))
            cands = []
            for t in shortlist[:SUGGEST_SHORTLIST]:
                surface = self._surface(searcher, t, word) or t
                cands.append((t, surface, damerau_levenshtein(surface, word)))
            cands.sort(key=lambda c: (c[2], -freq[c[0]], c[0]))
            if cands:
                options[stem] = cands[:SUGGEST_CANDIDATES]
        if not options:
            return None
        stems = list(options)
        # Fewest edits in all, then the most frequent words (ranked first per word).
        combos = sorted(itertools.product(*(enumerate(options[st]) for st in stems)),
                        key=lambda c: (sum(d for _, (_, _, d) in c), sum(i for i, _ in c)))
        tries = [[(t, w) for _, (t, w, _) in c] for c in combos[:SUGGEST_TRIES]]
        shown = dict(zip(stems, (w for _, w in tries[0]), strict=True))
        for combo in tries:
            swap = {st: t for st, (t, _) in zip(stems, combo, strict=True)}
            try:
                fixed = q.accept(functools.partial(_swap_words, swap=swap))
                if searcher.search(fixed, limit=1, scored=False).scored_length():
                    shown = dict(zip(stems, (w for _, w in combo), strict=True))
                    break
            except Exception:
                break
        out: list[str] = []
        changed = False
        for piece in re.split(r"(\w+)", text):
            key = normalize_term(piece.lower()) if piece[:1].isalnum() else None
            if key is not None and key in shown:
                out.append(shown[key])
                changed = True
            else:
                out.append(piece)
        if not changed:
            return None
        # Printed on one line: no control or format characters, single spaces.
        text = "".join(c for c in "".join(out) if unicodedata.category(c)[0] != "C" or
                       c.isspace())
        return " ".join(text.split()) or None

    def _surface(self, searcher, stem: str, near: str = "") -> str | None:
        """A word as written in an article whose indexed form is `stem` (of its forms in
        that article, the closest to `near`)."""
        for hit in searcher.search(query.Term("body", stem), limit=1):
            body = _body(hit)
            forms = {body[s:e].lower() for s, e, _ in find_matches(body, {stem},
                                                                   normalize_term)}
            if forms:
                return min(forms, key=lambda w: (damerau_levenshtein(w, near), w))
        return None

    # -- summaries -----------------------------------------------------------------
    def _term_docs(self, s, field: str) -> dict[str, list[int]]:
        """Live documents per term of a keyword field (postings, not stored fields, so a
        summary of 100k articles reads no article)."""
        out: dict[str, list[int]] = {}
        for term in s.reader().field_terms(field):
            docs = s.search(query.Term(field, term), limit=None, scored=False).docs()
            if docs:
                out[term] = sorted(docs)
        return out

    def sources(self) -> list[dict]:
        rows = []
        with self.ix.searcher() as s:
            date_of = _date_column(s.reader())
            groups = list(self._term_docs(s, "source_key").values())
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
        with self.ix.searcher() as s:
            reader = s.reader()
            langs = {k: len(v) for k, v in self._term_docs(s, "lang").items()}
            n_sources = len(self._term_docs(s, "source_key"))
            date_of = _date_column(reader)
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
        row["body"] = _body(row)
    return row


def _score(h) -> float:
    """Relevance of a hit; a date-sorted hit's score is its sort key (date, -score)."""
    score = getattr(h, "score", None)
    if isinstance(score, tuple):
        return -float(score[1])
    return float(score or 0.0)


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


def _distance(term: str, unknown: str) -> int:
    """Edits from an unknown word to an indexed stem. A misspelt word is often left
    unstemmed (`chnage`, while `change` is indexed as `chang`), so the stem plus an
    ending the stemmer strips counts too."""
    return min(damerau_levenshtein(term + end, unknown) for end in _ENDINGS)


_ENDINGS = ("", "e", "s", "es", "ed", "ing", "ment", "ion", "y")


def _text_words(q: query.Query) -> list[str]:
    """The title/body words of a query (terms and the words of phrases), not under NOT."""
    out: list[str] = []
    if isinstance(q, query.Not):
        return out
    if isinstance(q, query.AndNot):
        return _text_words(q.a)
    if isinstance(q, query.Term) and q.fieldname in ("title", "body"):
        out.append(q.text)
    elif isinstance(q, query.Phrase) and q.fieldname in ("title", "body"):
        out.extend(q.words)
    for child in q.children():
        out.extend(_text_words(child))
    return out


def _swap_words(node: query.Query, swap: dict[str, str]) -> query.Query:
    if isinstance(node, query.Term) and node.fieldname in ("title", "body") and \
            node.text in swap:
        return query.Term(node.fieldname, swap[node.text], boost=node.boost)
    if isinstance(node, query.Phrase) and node.fieldname in ("title", "body"):
        return query.Phrase(node.fieldname, [swap.get(w, w) for w in node.words],
                            slop=node.slop, boost=node.boost)
    return node


def _words(text: str) -> list[str]:
    return [t.text for t in (RegexTokenizer() | LowercaseFilter())(text)]

