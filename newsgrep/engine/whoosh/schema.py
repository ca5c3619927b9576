"""How newsgrep's articles are laid out in a Whoosh index: the schema (the lowest layer of
the Whoosh engine), the document an article becomes, and reading a stored record back.

Article bodies are stored zlib-compressed in a STORED field (not in the postings), so
`show` and snippets need no second store and the index stays small.
"""

from __future__ import annotations

import os
import zlib
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any

from whoosh import index
from whoosh.analysis import LowercaseFilter, RegexTokenizer
from whoosh.fields import DATETIME, ID, STORED, TEXT, Schema
from whoosh.filedb.filestore import Storage
from whoosh.formats import Existence
from whoosh.index import TOC
from whoosh.util.times import long_to_datetime

from ...article import Article
from ...words import word_list
from ..analyzers import FoldStemFilter, WordTokenizer, text_analyzer
from .fastformat import FastPositions, analyzed

INDEX_NAME = "MAIN"
FORMAT_FILE = "newsgrep-format"
FORMAT_VERSION = 4  # bump when the schema, analysis or posting encoding changes
# A random id written when the index is created: the manifest records it, so an index
# folder that was deleted and made again (or swapped for another) is noticed.
IDENTITY_FILE = "newsgrep-id"
# Whoosh raises LockError at once by default; wait a little for a writer that is about
# to finish before telling the user another run is active.
LOCK_TIMEOUT = 3.0


def _text_field(analyzer, stored: bool) -> TEXT:
    field = TEXT(analyzer=analyzer, stored=stored)
    field.format = FastPositions(field_boost=field.format.field_boost)
    return field


class ExactText(str):
    """Title and body for the `exact` field with its words already counted (in an ingest
    worker, as prepare_article does for the other fields)."""

    counts: dict[str, int]


def exact_text(text: str, counted: bool = False,
               tokens: Iterable[list[str]] | None = None) -> str:
    """`text` for the exact field; with `counted`, its words counted now. `tokens`: the
    word_list() of each part of `text` (title, body: no word spans the line between)."""
    if not counted:
        return text
    out = ExactText(text)
    counts: Counter[str] = Counter()
    for part in (word_list(text),) if tokens is None else tokens:
        counts.update(part)  # counted in C: no generator of (start, end, word)
    out.counts = dict(counts)
    return out


class ExactFrequency(Existence):
    """Postings of the `exact` field: each word as written (case and accents kept, not
    stemmed), for `=Kind`. Counted with one pass of newsgrep's tokenizer (words.py, the
    words the other fields index) instead of Whoosh's token chain, in whichever writer
    runs; queries go through the field's analyzer (WordTokenizer: the same words). No
    positions (they would double the postings for a rare kind of query) and no value per
    posting: the word's count is kept as the posting's weight, which is all BM25 reads
    (Frequency's 4-byte value as well made the index 13% larger on the demo corpus).
    See README (Where the index lives) for the size."""

    def word_values(self, value, analyzer, **kwargs):
        if not isinstance(value, str) or kwargs.get("mode") not in (None, "index"):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        fb = self.field_boost
        counts = getattr(value, "counts", None)
        if counts is None:
            counts = Counter(word_list(value))
        for word, n in counts.items():
            yield (word, n, n * fb, b"")


def _exact_field() -> TEXT:
    field = TEXT(analyzer=WordTokenizer(), phrase=False)
    field.format = ExactFrequency(field_boost=field.format.field_boost)
    return field


def make_schema() -> Schema:
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
        line=STORED(),  # where a record of a multi-record file starts (Article.line)
        author=TEXT(analyzer=plain, stored=True),  # folded, not stemmed, as source
        exact=_exact_field(),  # title and body words as written, for `=Kind`
    )


def read_toc(storage: Storage, indexname: str = INDEX_NAME) -> TOC:
    """The index's table of contents with this code's schema, not the one pickled in it:
    the pickle names each field's classes by module path, so moving one (as the
    re-layout moved ExactFrequency out of engine/whoosh_store.py) would make every index
    made before unreadable. FORMAT_VERSION says when the schema itself changes."""
    return TOC.read(storage, indexname, schema=make_schema())


def open_dir(path: str | os.PathLike) -> index.Index:
    """The index in `path`, read with this code's schema (see read_toc)."""
    return index.open_dir(os.fspath(path), indexname=INDEX_NAME, schema=make_schema())


def day_start(d: date) -> datetime:
    return datetime.combine(d, time.min)


def day_end(d: date) -> datetime:
    return datetime.combine(d, time.max)


def prepare_article(a: Article) -> None:
    """Do the CPU-heavy part of indexing `a` now (analysis, compression), in whichever
    process calls this: ingest calls it in its parsing workers, so that the one index
    writer only files the results. The engine's writer uses `a.prepared` when present."""
    fields = doc_fields(a, analyze=True)
    a.title, a.body = fields["title"], fields["body"]  # the same objects: pickled once
    a.prepared = fields


def doc_fields(a: Article, analyze: bool = False) -> dict:
    """The keyword arguments of add_document for `a` (with `analyze`: the exact field's
    words counted now, as prepare_article does in a worker)."""
    # Each text split into words once, for its postings and the exact field's counts
    # (the body's split is dedup.signature's, when it just made one: words.raw_words).
    body_words, title_words = word_list(a.body), word_list(a.title)
    fields: dict[str, Any] = {
        "id": a.id,
        "path": a.path,
        # Always analysed here: the analysis depends on the article's language, which
        # the Whoosh field analyzer does not know.
        "title": analyzed(a.title, a.lang, title_words),
        "body": analyzed(a.body, a.lang, body_words),
        "body_z": zlib.compress(a.body.encode("utf-8"), 6),
        "url": a.url,
    }
    # Store the plain text, not the Analyzed object with its postings.
    fields["_stored_title"] = str(a.title)
    if a.date:
        fields["date"] = day_start(a.date)
    if a.source:
        fields["source"] = a.source
        fields["source_key"] = a.source.lower()
    if dom := a.domain:
        fields["domain"] = dom
    if a.lang:
        fields["lang"] = a.lang
    if a.line is not None:
        fields["line"] = a.line
    if a.author:
        fields["author"] = a.author
    fields["exact"] = exact_text(f"{a.title}\n{a.body}", counted=analyze,
                                 tokens=(title_words, body_words))
    if a.signature:
        # Only the signature: indexing its LSH band keys as terms (16 near-unique terms
        # per article) made the index 1.9x the text instead of 1.45x and writing 60%
        # slower; `similar` finds reprint candidates with more-like-this instead.
        fields["sig"] = a.signature
    return fields


def stored_body(stored) -> str:
    """The article text of a stored record (kept zlib-compressed; see the schema)."""
    body_z = stored.get("body_z")
    return zlib.decompress(body_z).decode("utf-8") if body_z else ""


def title_and_body(stored) -> str:
    return (stored.get("title") or "") + "\n" + stored_body(stored)


def stored_article(stored: dict) -> Article:
    d = stored.get("date")
    return Article(
        id=stored["id"],
        path=stored["path"],
        title=stored.get("title") or "",
        body=stored_body(stored),
        date=d.date() if isinstance(d, datetime) else None,
        source=stored.get("source"),
        url=stored.get("url"),
        lang=stored.get("lang"),
        author=stored.get("author"),
        line=stored.get("line"),
    )


def date_column(reader):
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
