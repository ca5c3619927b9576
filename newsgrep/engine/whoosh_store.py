"""How newsgrep's articles are laid out in a Whoosh index: the schema, the stored
record, opening and creating the index folder, and the batch writer.

Layout of an index folder: Whoosh's own files, plus `manifest.db` (see manifest.py),
which is engine-independent. Article bodies are stored zlib-compressed in a STORED
field (not in the postings), so `show` and snippets need no second store and the index
stays small.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import types
import uuid
import zlib
from collections import Counter
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

from whoosh import index
from whoosh.analysis import LowercaseFilter, RegexTokenizer
from whoosh.fields import DATETIME, ID, STORED, TEXT, Schema
from whoosh.formats import Existence

from ..article import Article
from ..errors import IndexDamaged, NewsgrepError
from ..words import words
from .analysis import FoldStemFilter, WordTokenizer, text_analyzer
from .fastformat import FastPositions, analyzed

if TYPE_CHECKING:
    from .whoosh_engine import WhooshEngine

INDEX_NAME = "MAIN"
FORMAT_FILE = "newsgrep-format"
FORMAT_VERSION = 4  # bump when the schema, analysis or posting encoding changes
# A random id written when the index is created: the manifest records it, so an index
# folder that was deleted and made again (or swapped for another) is noticed.
IDENTITY_FILE = "newsgrep-id"
# Size and hash of every file of the committed index. Whoosh has no checksums of its
# own: 64 flipped bytes in a .trm or .pst were read back as wrong results, silently.
# Segment files never change once written, so each is hashed once, after its commit.
SUMS_FILE = "newsgrep-sums.json"
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


def exact_text(text: str, counted: bool = False) -> str:
    if not counted:
        return text
    out = ExactText(text)
    out.counts = dict(Counter(w for _, _, w in words(text)))
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
            counts = Counter(w for _, _, w in words(value))
        for word, n in counts.items():
            yield (word, n, n * fb, b"")


def _exact_field() -> TEXT:
    field = TEXT(analyzer=WordTokenizer(), phrase=False)
    field.format = ExactFrequency(field_boost=field.format.field_boost)
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
        line=STORED(),  # where a record of a multi-record file starts (Article.line)
        author=TEXT(analyzer=plain, stored=True),  # folded, not stemmed, as source
        exact=_exact_field(),  # title and body words as written, for `=Kind`
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
        # Always analysed here: the analysis depends on the article's language, which
        # the Whoosh field analyzer does not know.
        "title": analyzed(a.title, a.lang),
        "body": analyzed(a.body, a.lang),
        "body_z": zlib.compress(a.body.encode("utf-8"), 6),
        "url": a.url,
    }
    # Store the plain text, not the Analyzed object with its postings.
    fields["_stored_title"] = str(a.title)
    if a.date:
        fields["date"] = _day_start(a.date)
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
    fields["exact"] = exact_text(f"{a.title}\n{a.body}", counted=analyze)
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
        author=stored.get("author"),
        line=stored.get("line"),
    )


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



def open_index(path: Path, create: bool = False) -> index.Index:
    """The Whoosh index in `path`; with create=True make it if it does not exist."""
    if _has_toc(path):
        check_format(path)
        if not create:  # a few stat calls: a file missing or cut short is named at once
            problems = quick_problems(path)
            if problems:
                raise IndexDamaged(path, problems[0])
        return index.open_dir(str(path), indexname=INDEX_NAME)
    if has_index(path) and not create:
        raise IndexDamaged(path, "its table of contents (_MAIN_*.toc) is missing")
    if create:
        try:
            path.mkdir(parents=True, exist_ok=True)
            _remove_unlisted(path)
            ix = index.create_in(str(path), _schema(), indexname=INDEX_NAME)
            (path / FORMAT_FILE).write_text(f"{FORMAT_VERSION}\n")
            (path / IDENTITY_FILE).write_text(uuid.uuid4().hex + "\n")
            record_sums(ix, path)
            return ix
        except OSError as e:
            raise NewsgrepError(f"cannot create index at {path}: {e.strerror}") from None
    raise NewsgrepError(
        f"no index at {path}: run 'newsgrep index FOLDER' first "
        "(or pass --index / set NEWSGREP_INDEX)"
    )


def _remove_unlisted(path: Path) -> None:
    """Segment files without a table of contents to list them cannot be read again:
    remove them (and their sums) before a new index is made in their place."""
    for name in os.listdir(path):
        if (name.startswith((f"{INDEX_NAME}_", f"_{INDEX_NAME}_"))
                and name != f"{INDEX_NAME}_WRITELOCK") or name == SUMS_FILE:
            try:
                os.unlink(path / name)
            except OSError:
                pass


def check_format(path: Path) -> None:
    """Postings and schema are newsgrep's own: an index from another version cannot be
    read correctly, so say so instead of failing deep inside Whoosh."""
    try:
        found = (path / FORMAT_FILE).read_bytes().decode("ascii").strip()
    except FileNotFoundError:
        raise IndexDamaged(path, f"{FORMAT_FILE} is missing") from None
    except OSError as e:
        raise IndexDamaged(path, f"{FORMAT_FILE} cannot be read ({e.strerror})") from None
    except UnicodeDecodeError:
        found = ""
    if not found.isdigit():
        raise IndexDamaged(path, f"{FORMAT_FILE} is unreadable")
    if found != str(FORMAT_VERSION):
        raise NewsgrepError(
            f"the index at {path} was made by another version of newsgrep (format "
            f"{found}, this one reads {FORMAT_VERSION}): delete that folder and run "
            "'newsgrep index' again")


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
        record_sums(self._engine.ix, self._engine.path)

    def cancel(self) -> None:
        self._w.cancel()


def whoosh_writer_forced() -> bool:
    """NEWSGREP_WHOOSH_WRITER=1: write with Whoosh's own SegmentWriter, as newsgrep did
    before the bulk writer (an escape hatch, and the baseline of scripts/bench_bulk.py)."""
    return os.environ.get("NEWSGREP_WHOOSH_WRITER", "").strip() == "1"


class SegmentIngest:
    """An index run's way to write this index (issue #13): the parsing workers write
    their share of each batch as a staged segment (`write`, called in a worker), the run
    commits them with `writer()`'s BulkWriter (one TOC per batch, atomically, then the
    manifest), and the merge policy runs in the same workers (`begin(submit)`).

    Crash safety is Whoosh's: a staged segment is invisible until a TOC (written to a
    temporary file and renamed) names it; what a killed run staged is removed by the
    next run's `start()`, stray segment files by the next commit's clean-up."""

    def __init__(self, engine: WhooshEngine):
        self.engine = engine
        self.index_dir = str(engine.path)
        self.merger = None

    def _record(self) -> None:
        record_sums(self.engine.ix, self.engine.path)

    def start(self) -> None:
        """Before any work, under the run lock: drop what a killed run staged."""
        from .whoosh_bulk import discard_staging

        discard_staging(self.index_dir)

    def write(self, articles: list[Article]):
        """Worker side: `articles` as one staged segment (None when empty)."""
        from .whoosh_bulk import write_articles

        return write_articles(self.index_dir, articles)

    def stream(self):
        """Worker side: a segment filled one file's articles at a time (`add`), staged by
        `finish()` (None when empty); `cancel()` drops it."""
        from .whoosh_bulk import SegmentStream

        return SegmentStream(self.index_dir)

    def begin(self, submit=None) -> None:
        """Merges from here on go to `submit(fn, args)` (a pool's apply_async); None
        runs them in this process."""
        from .whoosh_merge import Merger, run_inline

        self.merger = Merger(self.index_dir, submit or run_inline)

    def writer(self):
        from .whoosh_bulk import BulkWriter

        return BulkWriter(self.index_dir, merger=self.merger, on_commit=self._record)

    def settle(self, stop=None) -> None:
        """At the end of a run: publish the merges in flight and merge until the policy
        is satisfied (the last merges run side by side on the workers); `stop()` ends
        it early."""
        if self.merger is not None:
            self.merger.settle(on_commit=self._record, stop=stop)

    def close(self) -> None:
        """After the workers have stopped: forget unfinished merges, drop staged files."""
        from .whoosh_bulk import discard_staging

        if self.merger is not None:
            self.merger.discard()
            self.merger = None
        discard_staging(self.index_dir)


# -- integrity: identity, checksums, verification, clean-up --------------------------
def identity(path: Path) -> str | None:
    """The id written when the index in `path` was created (None for an index made
    before newsgrep wrote one, or when it cannot be read)."""
    try:
        return (path / IDENTITY_FILE).read_text(encoding="ascii").strip() or None
    except (OSError, UnicodeDecodeError):
        return None


def _hash(file: Path) -> str:
    with open(file, "rb") as fh:
        return hashlib.file_digest(fh, "blake2b").hexdigest()[:32]


def _committed_files(ix: index.Index) -> list[str]:
    """The files the index's current table of contents needs: the TOC and its segments'."""
    storage = ix.storage
    names = [f"_{INDEX_NAME}_{ix.latest_generation()}.toc"]
    for seg in ix._segments():
        names.extend(seg.list_files(storage))
    return names


def record_sums(ix: index.Index, path: Path) -> None:
    """Write SUMS_FILE for the index as just committed (only new files are hashed)."""
    old = _read_sums(path) or {}
    sums = {}
    for name in _committed_files(ix):
        size = (path / name).stat().st_size
        prev = old.get(name)
        sums[name] = prev if prev and prev[0] == size else [size, _hash(path / name)]
    tmp = path / (SUMS_FILE + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(sums, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path / SUMS_FILE)


def _read_sums(path: Path) -> dict | None:
    try:
        data = json.loads((path / SUMS_FILE).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else None
    except (OSError, ValueError):
        return None


def has_index(path: Path) -> bool:
    """Whether `path` holds an index (readable or not): a table of contents or the
    segment files one would list."""
    try:
        return any(n.startswith((f"_{INDEX_NAME}_", f"{INDEX_NAME}_"))
                   and n != f"{INDEX_NAME}_WRITELOCK" for n in os.listdir(path))
    except OSError:
        return False


def _has_toc(path: Path) -> bool:
    try:
        return any(n.startswith(f"_{INDEX_NAME}_") and n.endswith(".toc")
                   for n in os.listdir(path))
    except OSError:
        return False


def quick_problems(path: Path) -> list[str]:
    """What a look at the folder shows, without reading the index: every file the
    recorded sums name is there with the size it was written with."""
    sums = _read_sums(path)
    if not sums:
        return []
    toc = _latest_toc(path)
    if toc is None:
        return ["its table of contents (_MAIN_*.toc) is missing"]
    if toc not in sums:
        return []  # a commit newer than the sums (e.g. a crash in between): no verdict
    problems = []
    for name, (size, _) in sums.items():
        try:
            have = (path / name).stat().st_size
        except OSError:
            problems.append(f"{name} is missing")
            continue
        if have != size:
            problems.append(f"{name} has {have:,} bytes, {size:,} were written")
    if problems and _latest_toc(path) != toc:
        return []  # an index run committed meanwhile and removed merged segments
    return problems


def _latest_toc(path: Path) -> str | None:
    gens = []
    try:
        for n in os.listdir(path):
            if n.startswith(f"_{INDEX_NAME}_") and n.endswith(".toc"):
                try:
                    gens.append(int(n[len(INDEX_NAME) + 2:-4]))
                except ValueError:
                    continue
    except OSError:
        return None
    return f"_{INDEX_NAME}_{max(gens)}.toc" if gens else None


def verify(path: Path, deep: bool = False) -> list[str]:
    """What is wrong with the index files in `path` (empty: nothing found).

    Checks that the table of contents and every segment file it names can be read,
    compares each file with the size and hash recorded when it was written, and with
    `deep` reads every stored record, column and posting list as a search would."""
    problems: list[str] = []
    try:
        check_format(path)
    except IndexDamaged as e:
        return [e.problem]
    except NewsgrepError as e:
        return [str(e)]
    problems = quick_problems(path)  # names the file, where Whoosh would fail to read it
    if problems:
        return problems
    try:
        ix = index.open_dir(str(path), indexname=INDEX_NAME)
        names = _committed_files(ix)
        segids = {seg.segid for seg in ix._segments()}
    except Exception as e:  # noqa: BLE001 - whatever a damaged TOC raises is the finding
        return [f"its table of contents cannot be read ({_describe(e)})"]
    sums = _read_sums(path) or {}
    # Whoosh lists a segment's files by looking at the folder, so a deleted one is only
    # seen through the sums written with it.
    names += [n for n in sums if n not in names and _segid(n) in segids]
    unsummed = False
    for name in names:
        file = path / name
        if not file.exists():
            problems.append(f"{name} is missing")
            continue
        want = sums.get(name)
        if not want:
            unsummed = True
            continue
        size = file.stat().st_size
        if size != want[0]:
            problems.append(f"{name} has {size:,} bytes, {want[0]:,} were written")
        elif _hash(file) != want[1]:
            problems.append(f"{name} does not hold the bytes that were written (its "
                            "checksum differs)")
    if problems or not (deep or unsummed):
        return problems
    try:
        _read_everything(ix)
    except Exception as e:  # noqa: BLE001 - as above
        problems.append(f"a segment cannot be read ({_describe(e)})")
    return problems


def _segid(name: str) -> str | None:
    prefix = INDEX_NAME + "_"
    return name[len(prefix):].split(".", 1)[0] if name.startswith(prefix) else None


def _describe(e: BaseException) -> str:
    text = " ".join(str(e).split())[:120]
    return f"{type(e).__name__}: {text}" if text else type(e).__name__


def _read_everything(ix: index.Index) -> None:
    """Read every record, column and posting list of every segment."""
    from whoosh.reading import SegmentReader

    for seg in ix._segments():
        reader = SegmentReader(ix.storage, ix.schema, seg)
        try:
            for docnum in range(seg.doc_count_all()):
                reader.stored_fields(docnum)
            for name in ix.schema.names():
                if reader.has_column(name):
                    col = reader.column_reader(name, translate=False)
                    for docnum in range(seg.doc_count_all()):
                        col[docnum]
                if ix.schema[name].scorable:
                    for docnum in range(seg.doc_count_all()):
                        reader.doc_field_length(docnum, name)
            for fieldname, text in reader.all_terms():
                m = reader.postings(fieldname, text)
                for _ in m.all_ids():
                    pass
        finally:
            reader.close()


def path_counts(ix: index.Index) -> dict[str, int]:
    """path -> number of live articles with that path."""
    with ix.searcher() as s:
        reader = s.reader()
        if not reader.doc_count():
            return {}
        # A deleted article's path stays in the term list until its segment is merged.
        counts = {text: sum(1 for _ in reader.postings("path", text).all_ids())
                  for text in reader.field_terms("path")}
        return {p: n for p, n in counts.items() if n}


def duplicate_ids(ix: index.Index) -> int:
    """How many article ids are held by more than one live record."""
    with ix.searcher() as s:
        reader = s.reader()
        dup = 0
        for text in reader.field_terms("id"):
            n = sum(1 for _ in reader.postings("id", text).all_ids())
            dup += n > 1
        return dup


def clean_uncommitted(path: Path) -> None:
    """Remove what a failed write left in `path`: segment files that the current table
    of contents does not name, older TOCs, and Whoosh's temporary folders. (Whoosh
    removes them itself only at its next successful commit, which a full disk prevents.)"""
    try:
        ix = index.open_dir(str(path), indexname=INDEX_NAME)
        keep = set(_committed_files(ix))
    except Exception:  # noqa: BLE001 - nothing committed we could tell apart: keep all
        return
    for entry in os.scandir(path):
        name = entry.name
        if entry.is_dir() and (name.endswith(".tmp") or name == "bulk-staging"):
            shutil.rmtree(entry.path, ignore_errors=True)
        elif (name.startswith((INDEX_NAME + "_", f"_{INDEX_NAME}_")) and name not in keep
              and name != f"{INDEX_NAME}_WRITELOCK" and entry.is_file()):
            try:
                os.unlink(entry.path)
            except OSError:
                pass
