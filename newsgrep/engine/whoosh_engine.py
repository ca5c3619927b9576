"""The Whoosh engine: every Whoosh call newsgrep makes lives in this package.

Layout of an index folder: Whoosh's own files, plus `manifest.db` (see manifest.py),
which is engine-independent. Article bodies are stored zlib-compressed in a STORED
field (not in the postings), so `show` and snippets need no second store and the index
stays small.
"""

from __future__ import annotations

import math
import os
import re
import types
import zlib
from datetime import date, datetime, time
from pathlib import Path

from whoosh import index, query, scoring
from whoosh.analysis import LowercaseFilter, RegexTokenizer
from whoosh.fields import DATETIME, ID, STORED, TEXT, Schema
from whoosh.qparser import (
    AndGroup,
    FuzzyTermPlugin,
    GtLtPlugin,
    MultifieldParser,
    OrGroup,
    PlusMinusPlugin,
)
from whoosh.util.times import long_to_datetime

from ..article import Article
from ..dedup import REPRINT_SIMILARITY, collapse, similarity
from ..errors import NewsgrepError
from ..hits import Hit, SearchResult, Snippet
from ..query import SearchRequest
from ..snippets import find_matches, mark, snippets
from .analysis import FoldStemFilter, fold, normalize_term, term_positions, text_analyzer
from .fastformat import FastPositions, analyzed
from .feedback import FEEDBACK_DOCS, expand, feedback_terms

INDEX_NAME = "MAIN"
FORMAT_FILE = "newsgrep-format"
FORMAT_VERSION = 1  # bump when the schema, analysis or posting encoding changes
REPRINT_CANDIDATES = 200  # more-like-this hits checked for reprints by `similar`
COLLAPSE_DEPTH = 5  # with --collapse, rank this many times --limit hits before grouping
TITLE_BOOST = 2.0  # BM25F field weight of the title relative to the body
# Anserini's BM25 defaults, chosen over TREC's news collections (Robust04 and others);
# on the NPL collection they also beat the textbook 1.2/0.75 (docs/ranking.md).
BM25_B = 0.4  # length normalisation
BM25_K1 = 0.9  # term-frequency saturation
# Whoosh raises LockError at once by default; wait a little for a writer that is about
# to finish before telling the user another run is active.
LOCK_TIMEOUT = 3.0


def _text_field(analyzer, stored: bool) -> TEXT:
    field = TEXT(analyzer=analyzer, stored=stored)
    field.format = FastPositions(field_boost=field.format.field_boost)
    return field


def _schema() -> Schema:
    text = text_analyzer(stem=True)
    plain = RegexTokenizer() | LowercaseFilter() | FoldStemFilter(stem=False)
    return Schema(
        id=ID(stored=True, unique=True),
        path=ID(stored=True),
        title=_text_field(text, stored=True),
        body=_text_field(text, stored=False),
        body_z=STORED(),
        date=DATETIME(stored=True, sortable=True),
        source=TEXT(analyzer=plain, stored=True),
        source_key=ID(),
        domain=ID(stored=True),
        url=STORED(),
        lang=ID(stored=True),
        sig=STORED(),
    )


def _day_start(d: date) -> datetime:
    return datetime.combine(d, time.min)


def _day_end(d: date) -> datetime:
    return datetime.combine(d, time.max)


def prepare_article(a: Article) -> None:
    """Do the CPU-heavy part of indexing `a` now (analysis, compression), in whichever
    process calls this: ingest calls it in its parsing workers, so that the one index
    writer only files the results. The engine's writer uses `a.prepared` when present."""
    fields = _doc_fields(a, analyze=True)
    a.title, a.body = fields["title"], fields["body"]  # the same objects: pickled once
    a.prepared = fields


def _doc_fields(a: Article, analyze: bool = False) -> dict:
    fields = {
        "id": a.id,
        "path": a.path,
        "title": analyzed(a.title) if analyze else a.title,
        "body": analyzed(a.body) if analyze else a.body,
        "body_z": zlib.compress(a.body.encode("utf-8"), 6),
        "url": a.url,
    }
    if analyze:  # store the plain text, not the Analyzed object with its postings
        fields["_stored_title"] = str(a.title)
    if a.date:
        fields["date"] = _day_start(a.date)
    if a.source:
        fields["source"] = a.source
        fields["source_key"] = a.source.lower()
    from ..normalize import domain_of

    if dom := domain_of(a.url) or (domain_of(a.source) if a.source else None):
        fields["domain"] = dom
    if a.lang:
        fields["lang"] = a.lang
    if a.signature:
        # Only the signature: indexing its LSH band keys as terms (16 near-unique terms
        # per article) made the index 1.9x the text instead of 1.45x and writing 60%
        # slower; `similar` finds reprint candidates with more-like-this instead.
        fields["sig"] = a.signature
    return fields


def _body(stored) -> str:
    """The article text of a stored record (kept zlib-compressed; see the schema)."""
    body_z = stored.get("body_z")
    return zlib.decompress(body_z).decode("utf-8") if body_z else ""


def _title_and_body(stored) -> str:
    return (stored.get("title") or "") + "\n" + _body(stored)


def _article(stored: dict) -> Article:
    d = stored.get("date")
    return Article(
        id=stored["id"],
        path=stored["path"],
        title=stored.get("title") or "",
        body=_body(stored),
        date=d.date() if isinstance(d, datetime) else None,
        source=stored.get("source"),
        url=stored.get("url"),
        lang=stored.get("lang"),
    )


_WORD_START = r"(?:(?<=^)|(?<=\s)|(?<=\())"


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


def _total(searcher, results, q: query.Query, flt: query.Query | None, limit: int | None
           ) -> int:
    """The true number of matches. With a filter, Whoosh's len(results) counts the
    query's matches *ignoring* the filter (measured: 12 for a filter nothing passed), so
    count what the collector kept, or, when the limit cut it short, an unscored pass."""
    if flt is None:
        return len(results)
    if limit is None or results.scored_length() < limit:
        return results.scored_length()
    return searcher.search(q, filter=flt, limit=None, scored=False).scored_length()


def _match_terms(q: query.Query, reader) -> set[str]:
    """Indexed title/body terms the query looks for (prefix and fuzzy terms expanded to
    those in the index), leaving out anything under NOT: the words to highlight."""
    out: set[str] = set()

    def walk(node: query.Query) -> None:
        if isinstance(node, query.Not):
            return
        if node.is_leaf():
            try:
                found = node.existing_terms(reader, phrases=True, expand=True)
            except Exception:  # a leaf Whoosh cannot expand: nothing to highlight
                return
            for field, text in found:
                if field in ("title", "body"):
                    out.add(text.decode("utf-8") if isinstance(text, bytes) else text)
            return
        for child in node.children():
            walk(child)

    walk(q)
    return out


def _has_null(q: query.Query) -> str | None:
    """Why part of the parsed query is empty (an unrecognised clause), if it is."""
    if isinstance(q, query.qcore._NullQuery) or getattr(q, "error", None):
        return str(getattr(q, "error", None) or "empty clause")
    for child in q.children():
        if (why := _has_null(child)) is not None:
            return why
    return None


class NewsgrepBM25F(scoring.BM25F):
    """BM25F with the standard (Robertson/Sparck Jones) idf, log((N-df+0.5)/(df+0.5)),
    floored just above zero so a word in most articles adds ~nothing. Whoosh's default
    idf, log(N/(df+1))+1, ranked worse on the NPL collection: MAP 0.2836 -> 0.2909
    (docs/ranking.md)."""

    def idf(self, searcher, fieldname, text):
        n = searcher.doc_count_all()
        df = searcher.doc_frequency(fieldname, text)
        return max(1e-6, math.log((n - df + 0.5) / (df + 0.5)))


class _CachedLengths:
    """Per-document field lengths, memoised.

    When Whoosh writes a segment's postings it looks up the field length of the
    posting's document for every single posting (a column read, ~12 us); there are a
    few hundred postings per document, so memoising cuts about a quarter of the
    commit time.
    """

    def __init__(self, pdr):
        self._pdr = pdr
        self._cache: dict[tuple[int, str], int] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        key = (docnum, fieldname)
        v = self._cache.get(key)
        if v is None:
            v = self._cache[key] = self._pdr.doc_field_length(docnum, fieldname, default)
        return v

    def close(self) -> None:
        self._pdr.close()


def _flush_segment_fast(self) -> None:
    # whoosh.writing.SegmentWriter._flush_segment, with the lengths reader memoised.
    self.perdocwriter.close()
    pdr = _CachedLengths(self.per_document_reader()) if self.codec.length_stats else None
    self.fieldwriter.add_postings(self.schema, pdr, self.pool.iter_postings())
    self.fieldwriter.close()
    if pdr:
        pdr.close()


def parse_user_query(req: SearchRequest, schema: Schema | None = None) -> query.Query:
    """Parse newsgrep's query language into a Whoosh query tree (title/body terms are
    analysed: folded and stemmed). Raises NewsgrepError on anything not understood."""
    schema = schema or _schema()
    group = OrGroup if req.any_words else AndGroup
    parser = MultifieldParser(["title", "body"], schema,
                              fieldboosts={"title": TITLE_BOOST, "body": 1.0}, group=group)
    parser.add_plugin(FuzzyTermPlugin())
    parser.add_plugin(GtLtPlugin())
    # `-word` excludes, only at the start of a word: the stock plugin turned
    # "covid-19" into "covid NOT 19". No `+word`: every word is required already, and
    # the plugin would make the other words optional.
    parser.add_plugin(PlusMinusPlugin(plusexpr=r"(?!)",
                                      minusexpr=_WORD_START + r"-(?=[\w\"(])"))
    text = req.query.strip()
    if not text:
        raise NewsgrepError("empty query: give at least one word")
    try:
        q = parser.parse(text)
    except Exception as e:  # Whoosh raises assorted errors on odd syntax
        raise NewsgrepError(f"cannot parse query {text!r}: {e}") from None
    if (why := _has_null(q)) is not None:
        if not term_positions(text) and term_positions(text, stops=()):
            raise NewsgrepError(f"{text!r} has only common words such as 'the' or 'of', "
                                "which are not indexed: add a more specific word")
        raise NewsgrepError(f"part of the query was not understood ({why}): {text!r}")
    return q.accept(_stemmed_prefix)


# Beginnings of the suffixes the English Snowball stemmer strips (Porter2, steps 0-5).
_EN_SUFFIXES = ("ational", "tional", "enci", "anci", "abli", "entli", "izer", "ization",
                "ation", "ator", "alism", "aliti", "alli", "fulness", "ousli", "ousness",
                "iveness", "iviti", "biliti", "bli", "ogi", "fulli", "lessli", "li", "alize",
                "icate", "iciti", "ical", "ful", "ness", "al", "ance", "ence", "er", "ic",
                "able", "ible", "ant", "ement", "ment", "ent", "ism", "ate", "iti", "ous",
                "ive", "ize", "ion", "ing", "ingli", "ed", "edli", "eed", "eedli", "s", "es",
                "ies", "ied", "us", "ss", "y", "e", "ly")


class StemmedPrefix(query.Prefix):
    """`immigra*` over stemmed terms: the stem of a word starting with `immigra` may be
    shorter than it (`immigration` -> `immigr`), so also take an indexed term the prefix
    starts with when the letters cut off could begin a suffix the stemmer strips (`a` of
    `-ation`; but `springbo*` must not match `spring`)."""

    def _btexts(self, ixreader):
        yield from super()._btexts(ixreader)
        text = self.text
        if not text.isascii() or not text.isalpha():
            return
        for cut in range(max(3, len(text) - 3), len(text)):
            rest = text[cut:]
            if any(suffix.startswith(rest) for suffix in _EN_SUFFIXES) and \
                    (self.fieldname, text[:cut]) in ixreader:
                yield text[:cut].encode("utf-8")


def _stemmed_prefix(node: query.Query) -> query.Query:
    if type(node) is query.Prefix and node.fieldname in ("title", "body"):
        return StemmedPrefix(node.fieldname, fold(node.text.lower()), boost=node.boost)
    return node


class WhooshWriter:
    """A batch of changes; nothing is visible to searches until commit()."""

    def __init__(self, engine: WhooshEngine, procs: int = 1, limitmb: int = 128):
        self._engine = engine
        ix = engine.ix
        try:
            if procs > 1:
                # procs>1 only works with multisegment=True (whoosh-pitfalls #2).
                self._w = ix.writer(timeout=LOCK_TIMEOUT, procs=procs, limitmb=limitmb,
                                    multisegment=True, compound=False)
            else:
                self._w = ix.writer(timeout=LOCK_TIMEOUT, limitmb=limitmb, compound=False)
                if hasattr(self._w, "_flush_segment"):
                    self._w._flush_segment = types.MethodType(_flush_segment_fast, self._w)
        except index.LockError:
            raise NewsgrepError(
                f"another process is writing to the index at {engine.path}; "
                "wait for it to finish and try again"
            ) from None

    def delete_path(self, path: str) -> None:
        self._w.delete_by_term("path", path)

    def add(self, article: Article) -> None:
        self._w.add_document(**(article.prepared or _doc_fields(article)))

    def commit(self, optimize: bool = False, merge: bool = True) -> None:
        self._w.commit(optimize=optimize, merge=merge)

    def cancel(self) -> None:
        self._w.cancel()


class WhooshEngine:
    """Open (or create) the Whoosh index in a folder."""

    name = "whoosh"

    def __init__(self, path: str | os.PathLike, create: bool = False):
        self.path = Path(path)
        if index.exists_in(self.path, INDEX_NAME):
            self._check_format()
            self.ix = index.open_dir(str(self.path), indexname=INDEX_NAME)
        elif create:
            try:
                self.path.mkdir(parents=True, exist_ok=True)
                self.ix = index.create_in(str(self.path), _schema(), indexname=INDEX_NAME)
                (self.path / FORMAT_FILE).write_text(f"{FORMAT_VERSION}\n")
            except OSError as e:
                raise NewsgrepError(f"cannot create index at {self.path}: {e.strerror}") from None
        else:
            raise NewsgrepError(
                f"no index at {self.path}: run 'newsgrep index FOLDER' first "
                "(or pass --index / set NEWSGREP_INDEX)"
            )

    def _check_format(self) -> None:
        """Postings and schema are newsgrep's own: an index from another version cannot be
        read correctly, so say so instead of failing deep inside Whoosh."""
        try:
            found = (self.path / FORMAT_FILE).read_text().strip()
        except OSError:
            found = "unknown"
        if found != str(FORMAT_VERSION):
            raise NewsgrepError(
                f"the index at {self.path} was made by another version of newsgrep (format "
                f"{found}, this one reads {FORMAT_VERSION}): delete that folder and run "
                "'newsgrep index' again")

    # -- writing -------------------------------------------------------------------
    def writer(self, procs: int = 1, limitmb: int = 128) -> WhooshWriter:
        return WhooshWriter(self, procs=procs, limitmb=limitmb)

    # -- reading -------------------------------------------------------------------
    def doc_count(self) -> int:
        return self.ix.doc_count()

    def get(self, article_id: str) -> Article | None:
        with self.ix.searcher() as s:
            stored = s.document(id=article_id)
            return _article(stored) if stored else None

    def get_by_path(self, path: str) -> list[Article]:
        with self.ix.searcher() as s:
            return [_article(d) for d in s.documents(path=path)]

    def _parse(self, req: SearchRequest) -> query.Query:
        return parse_user_query(req, self.ix.schema)

    def _filter(self, req: SearchRequest) -> query.Query | None:
        parts: list[query.Query] = []
        if req.has_date_filter:
            start = _day_start(req.date_from) if req.date_from else None
            end = _day_end(req.date_to) if req.date_to else None
            parts.append(query.DateRange("date", start, end))
        if req.sources:
            alts: list[query.Query] = []
            for name in req.sources:
                key = name.strip().lower()
                if not key:
                    continue
                alts.append(query.Term("source_key", key))
                alts.append(query.Term("domain", key.removeprefix("www.")))
                words = [fold(w) for w in _words(key)]
                if words:
                    alts.append(query.And([query.Term("source", w) for w in words]))
            parts.append(query.Or(alts))
        if req.lang:
            parts.append(query.Term("lang", req.lang))
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else query.And(parts)

    def search(self, req: SearchRequest) -> SearchResult:
        q = self._parse(req)
        flt = self._filter(req)
        weighting = NewsgrepBM25F(B=BM25_B, K1=BM25_K1)
        with self.ix.searcher(weighting=weighting) as s:
            limit = req.limit
            if req.collapse and limit is not None:
                limit = limit * COLLAPSE_DEPTH  # reprints fold away: look further down
            kwargs: dict = {"filter": flt, "limit": limit}
            if req.sort != "relevance":
                kwargs["sortedby"] = "date"
                kwargs["reverse"] = req.sort == "newest"
            try:
                if req.feedback:
                    results, total = self._search_with_feedback(s, q, flt, limit)
                else:
                    results = s.search(q, **kwargs)
                    total = _total(s, results, q, flt, limit)
            except Exception as e:  # e.g. "field has no positions" for phrases
                raise NewsgrepError(f"cannot run query {req.query!r}: {e}") from None
            if req.sort != "relevance":
                # Undated articles sort among dated ones in Whoosh; show them last.
                ordered = sorted(results, key=lambda h: h.get("date") is None)
            else:
                ordered = list(results)
            terms = _match_terms(q, s.reader()) if req.snippets else set()
            if req.collapse:
                groups = collapse(ordered)[:req.limit]
                hits = []
                for i, (h, dups) in enumerate(groups):
                    hit = self._hit(h, i + 1, req, terms)
                    hit.duplicates = [self._hit(d, 0, req, set(), with_snippets=False)
                                      for d in dups]
                    hits.append(hit)
            else:
                hits = [self._hit(h, i + 1, req, terms) for i, h in enumerate(ordered)]
            suggestion = None
            if total == 0:
                suggestion = self._suggest(s, q, req.query)
            return SearchResult(hits=hits, total=total, suggestion=suggestion)

    @staticmethod
    def _search_with_feedback(s, q: query.Query, flt: query.Query | None,
                              limit: int | None):
        """Results of `q` re-ranked with words from its best hits (engine/feedback.py),
        and the number of matches (that of `q`: the added words are optional)."""
        first = s.search(q, filter=flt, limit=FEEDBACK_DOCS)
        total = _total(s, first, q, flt, FEEDBACK_DOCS)
        top = [(h.score or 0.0, _title_and_body(h)) for h in first]
        ranked = expand(q, feedback_terms(top), TITLE_BOOST)
        # No pruning: Whoosh bounds an Or's best score by its best single term (not the
        # sum), so skipping by quality (optimize) or swapping in a cheaper matcher once
        # the top-k fills (the collector's `replace`) dropped articles that belonged in
        # the top 10 of an expanded query on a small index.
        c = s.collector(limit=limit, optimize=False, filter=flt)
        inner = c
        while hasattr(inner, "child"):
            inner = inner.child
        inner.replace = 0
        s.search_with_collector(ranked, c)
        return c.results(), total

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
            return _total(s, s.search(q, filter=flt, limit=1), q, flt, 1)

    def _hit(self, h, rank: int, req: SearchRequest, terms: set[str],
             with_snippets: bool = True) -> Hit:
        stored = h.fields() if hasattr(h, "fields") else h
        d = stored.get("date")
        hit = Hit(
            rank=rank,
            id=stored["id"],
            path=stored["path"],
            title=stored.get("title") or "",
            date=d.date() if isinstance(d, datetime) else None,
            source=stored.get("source"),
            url=stored.get("url"),
            lang=stored.get("lang"),
            score=float(getattr(h, "score", None) or 0.0),
        )
        if req.snippets and with_snippets:
            body = _body(stored)
            hit.snippets = snippets(body, terms, normalize_term, top=req.snippets)
            if not hit.snippets and body:
                hit.snippets = [[(_lead(body), False)]]
            hit.title_marks = mark(hit.title, find_matches(hit.title, terms, normalize_term))
        return hit

    def similar(self, article_id: str, limit: int = 10) -> SearchResult:
        """Articles most like this one: reprints (by MinHash) first, then by content."""
        req = SearchRequest("*", limit=limit, snippets=0)
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
            sig = me.get("sig") or b""
            reprints, related = [], []
            for h in more:
                if h.docnum == docnum:
                    continue
                sim = similarity(sig, h.get("sig") or b"") if sig else 0.0
                if sim >= REPRINT_SIMILARITY:
                    reprints.append((h.docnum, h.fields(), sim))
                else:
                    related.append((h.docnum, h.fields(), None))
            reprints.sort(key=lambda t: -t[2])
            found = reprints + related
        hits = []
        for i, (_, stored, sim) in enumerate(found[:limit]):
            hit = self._hit(stored, i + 1, req, set(), with_snippets=False)
            hit.similarity = sim
            hits.append(hit)
        return SearchResult(hits=hits, total=len(hits))

    def highlight_article(self, article: Article, text_query: str) -> list[Snippet]:
        """The whole body with the words matching `text_query` marked."""
        q = self._parse(SearchRequest(text_query))
        with self.ix.searcher() as s:
            terms = _match_terms(q, s.reader())
        return [mark(article.body, find_matches(article.body, terms, normalize_term))]

    def _suggest(self, searcher, q: query.Query, text: str) -> str | None:
        """The query with each word the index does not know replaced by the closest word
        it does know (by edit distance, then frequency), written as it appears in an
        article rather than as its stem: `troopps` -> `troops`."""
        reader = searcher.reader()
        fixes: dict[str, str] = {}
        for leaf in q.leaves():
            if not isinstance(leaf, query.Term) or leaf.fieldname not in ("title", "body"):
                continue
            stem = leaf.text
            if stem in fixes or reader.doc_frequency("body", stem) or \
                    reader.doc_frequency("title", stem):
                continue
            try:
                near = [t for d in (1, 2) for t in reader.terms_within("body", stem, d, prefix=1)]
            except Exception:
                continue
            if near:
                best = max(near, key=lambda t: (reader.doc_frequency("body", t), t))
                fixes[stem] = self._surface(searcher, best) or best
        if not fixes:
            return None
        out, changed = [], False
        for piece in re.split(r"(\w+)", text):
            stem = normalize_term(piece.lower()) if piece[:1].isalnum() else None
            if stem in fixes:
                out.append(fixes[stem])
                changed = True
            else:
                out.append(piece)
        return "".join(out) if changed else None

    def _surface(self, searcher, stem: str) -> str | None:
        """A word as written in an article whose indexed form is `stem`."""
        for hit in searcher.search(query.Term("body", stem), limit=1):
            body = _body(hit)
            found = find_matches(body, {stem}, normalize_term)
            if found:
                s, e, _ = found[0]
                return body[s:e].lower()
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


def _words(text: str) -> list[str]:
    return [t.text for t in (RegexTokenizer() | LowercaseFilter())(text)]


def _lead(body: str, n: int = 200) -> str:
    return body[:n].rsplit(" ", 1)[0] + " …" if len(body) > n else body

