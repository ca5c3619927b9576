"""A worker's job: read and hash a file (or take a chunk of one), parse and normalise its
articles, and give back an outcome. Never raises: a bad file is skipped with a reason."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from ..article import Article
from ..errors import SkipFile
from ..readers import parse_bytes, read_bytes
from .jobs import Job, _Chunk, _Outcome

# The engine's per-article preparation hook, set before the workers are forked.
_PREPARE: Callable[[Article], None] | None = None


def _use_preparer(prepare: Callable[[Article], None] | None) -> None:
    """Set the engine's hook (before the workers are forked: they inherit it)."""
    global _PREPARE
    _PREPARE = prepare


def _articles(path: str, data: bytes, first_line: int = 1) -> list[Article]:
    from ..dedup import signature
    from ..normalize import normalize

    articles = [normalize(raw) for raw in parse_bytes(path, data, first_line)]
    for a in articles:
        a.signature = signature(a.body)
        if _PREPARE is not None:
            _PREPARE(a)
    return articles


# Bump when reading or normalising the same bytes gives different records (a new title
# rule, a date form, furniture): the manifest's digests carry it, so the next run re-reads
# every file once, even unchanged ones, instead of keeping records made by older rules.
READER_VERSION = "r4"  # r4: records carry their line and author


def _digest(data: bytes) -> str:
    return f"{READER_VERSION}:{hashlib.blake2b(data, digest_size=16).hexdigest()}"


def _current(digest: str) -> bool:
    """Whether this newsgrep's readers made the digest (else the file is read again)."""
    return digest.startswith(READER_VERSION + ":")


def _process(job: Job) -> _Outcome:
    """Worker: read, hash and (if the content changed) parse one file. Never raises."""
    if isinstance(job, _Outcome):  # settled by the parent while splitting a big file
        return job
    if isinstance(job, _Chunk):
        return _process_chunk(job)
    info, old_digest, max_bytes = job
    try:
        data = read_bytes(info.path, max_bytes)
        digest = _digest(data)
        if digest == old_digest:
            return _Outcome(info, digest, same_content=True)
        articles = _articles(info.path, data)
        if not articles:
            return _Outcome(info, digest, skip="no articles in file")
        return _Outcome(info, digest, articles=articles)
    except SkipFile as e:
        return _Outcome(info, skip=str(e))
    except RecursionError:
        return _Outcome(info, skip="unparsable (nesting too deep)")
    except Exception as e:  # a bug in one parser must not stop the run
        return _Outcome(info, skip=f"unparsable: {type(e).__name__}: {e}")


def _record_articles(path: str, records: list, first: int) -> list[Article]:
    """A run of a .json list's records, as a whole-file parse reads them: a record that
    is not an article is skipped; `first` is the number of the run's first record."""
    from ..dedup import signature
    from ..normalize import normalize
    from ..readers import record_to_raw

    articles = []
    for i, rec in enumerate(records, start=first):
        try:
            articles.append(normalize(record_to_raw(rec, path, i)))
        except SkipFile:
            continue
    for a in articles:
        a.signature = signature(a.body)
        if _PREPARE is not None:
            _PREPARE(a)
    return articles


def _process_chunk(c: _Chunk) -> _Outcome:
    """Worker: one chunk of a split .jsonl or .json list; lines that are not records are
    skipped (as in a whole file), and the file is judged when its last chunk arrives."""
    note = None
    if c.records is not None:
        try:
            articles = _record_articles(c.info.path, c.records, c.first_line)
        except Exception as e:  # a bug in one parser must not stop the run
            articles = []
            note = (f"records {c.first_line}+ unparsable: {type(e).__name__}: {e}")
        return _Outcome(c.info, c.digest, articles=articles, chunk=(c.index, c.count),
                        note=note)
    try:
        # A whole-file parse sniffs only the file's start for NULs (the parent did that)
        # and then drops them as control characters; a chunk must not be called binary.
        articles = _articles(c.info.path, c.data.replace(b"\x00", b""), c.first_line)
    except SkipFile as e:  # e.g. a chunk of blank or broken lines only
        articles = []
        note = f"lines {c.first_line}+: {e}"
    except Exception as e:  # a bug in one parser must not stop the run (as in _process)
        articles = []
        note = (f"lines {c.first_line}+ ({len(c.data):,} bytes) unparsable: "
                f"{type(e).__name__}: {e}")
    return _Outcome(c.info, c.digest, articles=articles, chunk=(c.index, c.count), note=note)
