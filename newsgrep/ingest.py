"""`newsgrep index`: discover -> read/decode -> normalize -> write to the engine.

Incremental: a file whose size and mtime match the manifest is not opened; one whose
bytes hash to the manifest's digest is not re-parsed. Parsing runs on all cores; the
single engine writer commits in batches, each followed by the manifest update, so an
interrupted run keeps every finished batch and the next run picks up the rest.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .article import Article
from .discover import (
    COMPRESSED_SUFFIX,
    FileInfo,
    Skipped,
    article_suffix,
    discover,
    printable_path,
)
from .engine import (
    EngineSpec,
    as_spec,
    clean_uncommitted,
    identity_of,
    is_disk_full,
    open_engine,
    path_counts,
    preparer,
    quick_problems,
    stores_locally,
)
from .errors import NewsgrepError, SkipFile
from .manifest import FileState, Manifest, ManifestDamaged
from .readers import DEFAULT_MAX_BYTES, parse_bytes, read_bytes

BATCH_FILES = 5000  # files per commit: bounds the work an interruption can lose
COMMIT_SECONDS = 30.0  # ...and so does time: a slow run commits at least this often
LOCK_FILE = "index-run.lock"
MAX_IN_FLIGHT = 256  # parsed files (or chunks) waiting for the writer, at most
# A .jsonl file larger than SPLIT_BYTES is cut at line ends into CHUNK_BYTES pieces that all
# workers parse (one 5,000-record file took one core 53 s; the progress bar did not move).
CHUNK_BYTES = 512 * 1024
SPLIT_BYTES = 2 * CHUNK_BYTES


@dataclass
class IndexSummary:
    indexed: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    skipped: list[dict] = field(default_factory=list)  # {"path", "reason"}
    warnings: list[dict] = field(default_factory=list)  # {"path", "reason"}: kept, with a note
    seconds: float = 0.0
    reread: int = 0  # files read again because an older newsgrep had read them (of updated)
    articles: int = 0  # articles written by this run (a .jsonl file gives many)

    def to_dict(self) -> dict:
        return {"indexed": self.indexed, "updated": self.updated, "unchanged": self.unchanged,
                "removed": self.removed, "skipped": self.skipped, "warnings": self.warnings,
                "reread": self.reread, "articles": self.articles,
                "seconds": round(self.seconds, 3)}


class IndexInterrupted(KeyboardInterrupt):
    """Ctrl-C during a run: what was read before it and committed is in `summary`
    (`kept` False when nothing could be kept, as in an interrupted --full rebuild)."""

    def __init__(self, summary: IndexSummary, kept: bool = True):
        super().__init__()
        self.summary, self.kept = summary, kept


@dataclass
class _Outcome:
    info: FileInfo
    digest: str | None = None
    articles: list[Article] | None = None
    skip: str | None = None
    same_content: bool = False
    chunk: tuple[int, int] | None = None  # (index, count) when the file was split
    note: str | None = None  # a chunk's lines that could not be read: a warning, kept
    written: bool = False  # its articles are in a segment a worker wrote (SegmentIngest)


@dataclass
class _Chunk:
    """A run of whole lines of a big .jsonl file, parsed by a worker on its own."""

    info: FileInfo
    digest: str
    index: int
    count: int
    first_line: int
    data: bytes
    records: list | None = None  # a run of records of a big .json list (then no data)


Job = tuple[FileInfo, str | None, int] | _Chunk | _Outcome


# The engine's per-article preparation hook, set before the workers are forked.
_PREPARE: Callable[[Article], None] | None = None
# The engine's segment writer (SegmentIngest.stream), set before the workers are forked
# when they write the index themselves.
_SEGMENTS: Callable[[], Any] | None = None
# Whole files the workers have finished (a shared counter): the parent receives a group's
# outcomes only when the group is done, and the progress bar moves in between.
_FILES_DONE: Any = None


def _articles(path: str, data: bytes, first_line: int = 1) -> list[Article]:
    from .dedup import signature
    from .normalize import normalize

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


def _process_group(group: list[Job]) -> tuple[list[_Outcome], object]:
    """Worker: `_process` each job of the group, then write all their articles as one
    segment of the index (staged: invisible until the parent commits it). The outcomes
    go back with their articles emptied (the parent needs only counts and warnings)."""
    assert _SEGMENTS is not None
    segment = _SEGMENTS()
    outcomes = []
    try:
        for job in group:
            o = _process(job)
            if o.articles:
                segment.add(o.articles)  # filed now, and emptied: memory stays small
            o.written = True
            outcomes.append(o)
            if _FILES_DONE is not None and o.chunk is None:
                with _FILES_DONE.get_lock():  # for the progress bar, between groups
                    _FILES_DONE.value += 1
        staged = segment.finish()
    except BaseException:
        segment.cancel()
        raise
    return outcomes, staged


def _group_jobs(jobs: Iterable[Job], size: int) -> Iterator[list[Job]]:
    """Groups of `size` jobs; each chunk of a split file is a group of its own, so that
    all workers share a big file (its small segments are what the merge policy absorbs)."""
    group: list[Job] = []
    for job in jobs:
        if isinstance(job, _Chunk):
            if group:
                yield group
                group = []
            yield [job]
            continue
        group.append(job)
        if len(group) >= size:
            yield group
            group = []
    if group:
        yield group


def _record_articles(path: str, records: list, first: int) -> list[Article]:
    """A run of a .json list's records, as a whole-file parse reads them: a record that
    is not an article is skipped; `first` is the number of the run's first record."""
    from .dedup import signature
    from .normalize import normalize
    from .readers import record_to_raw

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


def _splittable(info: FileInfo) -> bool:
    # A .jsonl.gz is read first: its size on disk says little about its size unpacked.
    return article_suffix(info.path) in (".jsonl", ".json") and (
        info.size > SPLIT_BYTES or info.path.lower().endswith(COMPRESSED_SUFFIX))


def _json_list(data: bytes) -> list | None:
    """The records of a .json file that holds a list of them (bare, or in a container
    such as {"articles": [...]}, as readers.py reads it); None when it holds no list or
    does not parse (then a worker parses it whole and gives the reason)."""
    from .decode import decode_bytes
    from .readers import BODY_KEYS, CONTAINER_KEYS, TITLE_KEYS

    try:
        data_ = json.loads(decode_bytes(data))
    except (ValueError, RecursionError, SkipFile):
        return None
    if isinstance(data_, dict) and not any(k in data_ for k in TITLE_KEYS + BODY_KEYS):
        data_ = next((data_[k] for k in CONTAINER_KEYS if isinstance(data_.get(k), list)),
                     data_)
    return data_ if isinstance(data_, list) and len(data_) > 1 else None


def _record_chunks(info: FileInfo, digest: str, data: bytes, records: list
                   ) -> Iterator[_Chunk]:
    # Runs of about CHUNK_BYTES of the file each (json.loads in the parent is fast C;
    # normalising the records is the slow part that the workers share).
    per = max(1, CHUNK_BYTES * len(records) // max(1, len(data)))
    starts = range(0, len(records), per)
    for i, start in enumerate(starts):
        yield _Chunk(info, digest, i, len(starts), start, b"", records[start:start + per])


def _expand(todo: list[tuple[FileInfo, str | None, int]]) -> Iterator[Job]:
    """The jobs for `todo`: a big .jsonl file becomes its chunks (read and hashed here)."""
    for job in todo:
        info, old_digest, max_bytes = job
        if not _splittable(info):
            yield job
            continue
        try:
            data = read_bytes(info.path, max_bytes)
        except SkipFile as e:
            yield _Outcome(info, skip=str(e))
            continue
        digest = _digest(data)
        if digest == old_digest:
            yield _Outcome(info, digest, same_content=True)
        elif article_suffix(info.path) == ".json":
            records = _json_list(data)
            if records is None:
                yield job
            else:
                yield from _record_chunks(info, digest, data, records)
        elif data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:8192]:
            yield job  # UTF-16 (or binary): a line end is not one byte, parse it whole
        else:
            yield from _chunks(info, digest, data)


def _lines_in(data: bytes, start: int, stop: int) -> int:
    # As clean_text counts them: \r\n, \n and a lone \r each end a line.
    return (data.count(b"\n", start, stop) + data.count(b"\r", start, stop)
            - data.count(b"\r\n", start, stop))


def _chunks(info: FileInfo, digest: str, data: bytes) -> Iterator[_Chunk]:
    starts = [0]
    while True:
        end = data.find(b"\n", starts[-1] + CHUNK_BYTES)
        if end < 0 or end + 1 >= len(data):
            break
        starts.append(end + 1)
    line = 1
    for i, start in enumerate(starts):
        stop = starts[i + 1] if i + 1 < len(starts) else len(data)
        yield _Chunk(info, digest, i, len(starts), line, data[start:stop])
        line += _lines_in(data, start, stop)


def _warm_up() -> None:
    # Load the language model and parsers once in the parent so forked workers share them.
    from .dedup import signature
    from .language import detect_language
    from .normalize import normalize  # noqa: F401

    detect_language("warm up the language identifier with a short english sentence")
    signature("warm up the minhash permutations")


PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _init_worker(parent: int) -> None:
    # Ctrl-C reaches the whole process group: let the parent stop the run cleanly
    # (it terminates the pool) instead of every worker printing a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A parent killed outright (kill -9, OOM) cannot terminate its pool: the workers
    # went on for seconds and printed BrokenPipeError tracebacks. Ask the kernel to kill
    # each worker with its parent (Linux); elsewhere, at least keep them quiet.
    # Should one outlive it all the same (seen once in 22 trials under heavy load), it
    # exits within half a second and says nothing: multiprocessing prints the
    # BrokenPipeError of a worker whose parent is gone straight to stderr.
    sys.stderr = _QuietOrphan(sys.stderr, parent)
    _die_with_parent()
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(ORPHAN_EXIT)
    # Not Linux, or the kernel's signal did not come: look twice a second.
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


ORPHAN_EXIT = 75  # a worker's exit status when it finds its parent gone


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(ORPHAN_EXIT)


class _QuietOrphan:
    """A worker's stderr that writes nothing once the parent has died."""

    def __init__(self, stream, parent: int):
        self._stream, self._parent = stream, parent

    def write(self, text: str) -> int:
        if os.getppid() != self._parent:
            return len(text)
        return self._stream.write(text)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def _die_with_parent() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _parallel(jobs: Iterable[Job], n_jobs: int, chunksize: int = 8) -> Iterator[_Outcome]:
    if n_jobs <= 1:
        yield from map(_process, jobs)
        return
    import multiprocessing as mp
    import threading

    # Pool.imap reads its input as fast as the workers go and buffers every result the
    # writer has not taken yet: parsing outruns the single index writer, so without this
    # bound a big run held most of its parsed articles in memory (1.2 GB at 20k).
    slots = threading.BoundedSemaphore(MAX_IN_FLIGHT)
    stop = threading.Event()

    def feed() -> Iterator[Job]:
        for job in jobs:
            while not slots.acquire(timeout=0.1):
                if stop.is_set():
                    return
            yield job

    ctx = mp.get_context("fork") if hasattr(os, "fork") else mp.get_context()
    with ctx.Pool(n_jobs, initializer=_init_worker, initargs=(os.getpid(),)) as pool:
        try:
            for outcome in pool.imap(_process, feed(), chunksize=chunksize):
                slots.release()
                yield outcome
        finally:
            stop.set()  # before the pool's exit joins the feeding thread


@contextmanager
def _pool(n_jobs: int) -> Iterator:
    import multiprocessing as mp

    global _FILES_DONE
    ctx = mp.get_context("fork") if hasattr(os, "fork") else mp.get_context()
    _FILES_DONE = ctx.Value("q", 0)  # before the fork: the workers inherit it
    try:
        with ctx.Pool(n_jobs, initializer=_init_worker, initargs=(os.getpid(),)) as pool:
            yield pool  # leaving terminates the workers (and a merge or group in hand)
    finally:
        _FILES_DONE = None


def _grouped(pool, jobs: Iterable[Job], size: int, window: int,
             stop: Callable[[], bool], tick: Callable[[int], None] | None = None
             ) -> Iterator[tuple[list[_Outcome], object]]:
    """(outcomes, staged segment) per group of jobs, in order, from `pool`; at most
    `window` groups in flight (bounds memory, and lets a merge the parent submits meanwhile
    start soon: a worker takes it before the groups queued after it). Returns early when
    `stop()` says so (a Ctrl-C), without waiting for the groups in hand."""
    from collections import deque

    groups = _group_jobs(jobs, size)
    pending: deque = deque()

    def fill() -> None:
        while len(pending) < window:
            group = next(groups, None)
            if group is None:
                return
            pending.append(pool.apply_async(_process_group, (group,)))

    fill()
    received = 0  # whole files whose outcomes came back
    while pending:
        head = pending[0]
        while not head.ready():
            head.wait(0.1)
            if stop():
                return
            if tick is not None and _FILES_DONE is not None:
                tick(max(0, _FILES_DONE.value - received))  # finished, not yet received
        pending.popleft()
        result = head.get()
        received += sum(1 for o in result[0] if o.chunk is None)
        fill()
        yield result


@dataclass
class _Options:
    full: bool
    jobs: int | None
    max_bytes: int
    progress: Callable[[float, int, int], None] | None
    commit_every: int
    commit_seconds: float


def index_paths(
    paths: Iterable[str | os.PathLike],
    index_dir: EngineSpec | str | os.PathLike,
    *,
    full: bool = False,
    jobs: int | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Callable[[float, int, int], None] | None = None,
    commit_every: int = BATCH_FILES,
    commit_seconds: float = COMMIT_SECONDS,
    lock: bool = True,
) -> IndexSummary:
    """Bring the index up to date with the article files under `paths`.

    `progress(done, total, articles)` is called as files are processed (`done` has a
    fraction while a big .jsonl file is parsed in chunks; `articles` so far). Raises
    NewsgrepError only when nothing can be done (a missing path, an index that cannot
    be written, a full disk) and IndexInterrupted on Ctrl-C, after committing what was
    read. `lock=False`: the caller holds `run_lock` already (`newsgrep watch` holds it
    for as long as it runs). `full` re-reads everything; for a local index it builds a
    new one beside the old and swaps it in only when complete, so it also repairs a
    damaged index.
    """
    t0 = time.perf_counter()
    roots = []
    for p in paths:
        if not os.path.exists(p):
            raise NewsgrepError(f"no such file or folder: {printable_path(p)}")
        roots.append(os.path.realpath(p))
    spec = as_spec(index_dir)
    if spec.path.exists() and not spec.path.is_dir():
        raise NewsgrepError(f"the index {spec.path} is a file, not a folder")
    try:
        spec.path.mkdir(parents=True, exist_ok=True)  # manifest + lock, whatever the engine
    except OSError as e:
        raise NewsgrepError(f"cannot create index folder {spec.path}: {e.strerror}") from None
    summary = IndexSummary()
    home = os.path.realpath(spec.path)
    for root in roots:
        if _within(home, root):
            summary.warnings.append({"path": str(spec.path), "reason": (
                f"the index lives inside {root}, which is being indexed: keep it in a "
                "folder of its own (the default, or --index DIR elsewhere)")})
    global _PREPARE
    _PREPARE = preparer(spec)
    opts = _Options(full, jobs, max_bytes, progress, max(1, commit_every),
                    max(0.0, commit_seconds))
    with run_lock(spec.path, summary) if lock else nullcontext():
        if full and stores_locally(spec):
            _rebuild(spec, roots, summary, opts)
        else:
            # Files missing or cut short: the index cannot be updated in place, and the
            # manifest must not be trusted. (A missing table of contents only is made
            # again, empty; then every recorded file is read again, below.)
            damage = [p for p in quick_problems(spec) if "table of contents" not in p]
            if damage:
                from .damage import damage_line

                raise NewsgrepError(damage_line(spec, damage[0]))  # names the folders
            try:
                engine = open_engine(spec, create=True)
                manifest = Manifest(spec.path)
                try:
                    _run(engine, spec, manifest, roots, summary, opts)
                finally:
                    manifest.close()
            except Exception as e:
                if not is_disk_full(e):
                    raise
                clean_uncommitted(spec)
                raise NewsgrepError(_disk_full(spec.path)) from None
    summary.seconds = time.perf_counter() - t0
    return summary


def _disk_full(path: Path) -> str:
    return f"no space left on device while writing the index at {path}"


def _within(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


REBUILD_SUFFIX = ".rebuild"


def rebuild_dir(index_dir: Path) -> Path:
    """Where `index --full` builds the new index: beside the old one, on the same file
    system, so that the two can be swapped by a rename."""
    return index_dir.parent / f".{index_dir.name}{REBUILD_SUFFIX}"


def _rebuild(spec: EngineSpec, roots: list[str], summary: IndexSummary, opts: _Options
             ) -> None:
    """`index --full` for a local index: read everything into a new folder, then swap it
    with the old one. Until the swap the old index is untouched and searchable; an
    interrupted or failed rebuild leaves it as it was and removes the new folder."""
    # Through a symlinked index folder: swap the real folder, keep the link.
    spec = EngineSpec(Path(os.path.realpath(spec.path)), kind=spec.kind, url=spec.url)
    build = rebuild_dir(spec.path)
    shutil.rmtree(build, ignore_errors=True)  # left by a rebuild that did not finish
    try:
        build.mkdir(parents=True)
    except OSError as e:
        raise NewsgrepError(f"cannot create {build} to rebuild the index in "
                            f"({e.strerror}): the folder that holds the index must be "
                            "writable") from None
    try:
        # The old manifest says which files were indexed (and from which folders); a
        # damaged one can only cost the files outside the folders given now.
        old: Manifest | None = None
        try:
            old = Manifest(spec.path)
            old.all(), old.roots()  # read now: a damaged one shows itself here
        except ManifestDamaged as e:
            summary.warnings.append({"path": str(spec.path), "reason": (
                f"{e}; only the folders given now are read into the new index")})
            if old is not None:
                old.close()
            old = None
        new_spec = EngineSpec(build, kind=spec.kind, url=spec.url)
        manifest = Manifest(build)
        try:
            engine = open_engine(new_spec, create=True)
            _run(engine, new_spec, manifest, roots, summary, opts,
                 previous=old if old is not None else manifest)
            if old is not None:
                manifest.copy_roots_from(old)
        finally:
            manifest.close()
            if old is not None:
                old.close()
        # The lock of the new folder is taken before the swap, so that no other run
        # can start on it between the swap and the end of this one.
        with run_lock(build, IndexSummary()):
            _swap(build, spec.path)
    except IndexInterrupted as e:
        e.kept = False
        raise
    except Exception as e:
        if is_disk_full(e):
            raise NewsgrepError(_disk_full(spec.path)) from None
        raise
    finally:
        # Before the swap: the unfinished new index; after it: the old one.
        shutil.rmtree(build, ignore_errors=True)


def _swap(new: Path, current: Path) -> None:
    """Exchange two folders atomically (Linux renameat2 RENAME_EXCHANGE); elsewhere by
    two renames, with a moment in which `current` does not exist."""
    if _exchange(new, current):
        return
    aside = current.parent / f".{current.name}.old"
    shutil.rmtree(aside, ignore_errors=True)
    os.rename(current, aside)
    os.rename(new, current)
    os.rename(aside, new)


def _exchange(a: Path, b: Path) -> bool:
    # Hand-written: the standard library has no renameat2; glibc >= 2.28 exports it.
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    AT_FDCWD, RENAME_EXCHANGE = -100, 2
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    rc = fn(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    return rc == 0


def _reconcile(engine, spec: EngineSpec, manifest: Manifest, summary: IndexSummary
               ) -> tuple[set[str], list[str]]:
    """Check that the engine holds what the manifest says before trusting it.

    Returns the recorded files to read again (their articles are missing or doubled)
    and the paths the engine holds that no row accounts for (to be removed). Cheap when
    all is well: the engine's identity and article count against the recorded ones.
    """
    meta = manifest.meta()
    rows = manifest.count()
    if not rows:
        return set(), []
    held = engine.doc_count()
    ident, recorded_ident = identity_of(engine), meta.get("identity")
    reason = None
    if ident and recorded_ident and ident != recorded_ident:
        reason = (f"the index at {spec.path} is not the one the manifest describes (it "
                  "was deleted or made again)")
    elif held == 0:
        reason = f"the index held no articles, though {rows:,} files were recorded"
    if reason:
        summary.warnings.append({"path": str(spec.path),
                                 "reason": f"{reason}: reading those files again"})
        return set(manifest.all()), []
    if "articles" not in meta or int(meta["articles"]) == held:
        return set(), []
    counts = path_counts(engine)
    if counts is None:
        return set(), []
    recorded = manifest.all()
    suspect = {p for p, st in recorded.items()
               if (counts.get(p, 0) != st.articles if st.articles is not None
                   else counts.get(p, 0) == 0)}
    stray = [p for p in counts if p not in recorded]
    if suspect or stray:
        summary.warnings.append({"path": str(spec.path), "reason": (
            f"the index held {held:,} articles where {int(meta['articles']):,} were "
            f"recorded: reading {len(suspect):,} files again, removing "
            f"{len(stray):,} paths no file accounts for")})
    return suspect, stray


def _run(engine, spec: EngineSpec, manifest: Manifest, roots: list[str],
         summary: IndexSummary, opts: _Options, previous: Manifest | None = None) -> None:
    """One index run into `engine`. `previous`: in a rebuild, the manifest of the index
    being replaced, which says what was indexed before (written to: nothing)."""
    max_bytes, progress = opts.max_bytes, _monotonic(opts.progress)
    if previous is not None:
        recorded = previous.all()
        suspect, stray = set(recorded), list[str]()
        fresh = True
    else:
        suspect, stray = _reconcile(engine, spec, manifest, summary)
        recorded = manifest.all() if suspect else {}
        fresh = engine.doc_count() == 0
    source = previous if previous is not None else manifest
    known = source.under(roots)
    # Files recorded outside the folders given now whose articles must be written
    # again (a rebuild, a lost index): read them one by one.
    extra = sorted(p for p in suspect if p not in known and os.path.lexists(p))
    for p in suspect:
        if p not in known and p in recorded:
            known[p] = recorded[p]
    found: list[FileInfo] = []
    for item in discover(roots + extra):
        if isinstance(item, Skipped):
            summary.skipped.append({"path": item.path, "reason": item.reason})
        else:
            found.append(item)
    found_paths = {f.path for f in found}
    gone = [p for p in known if p not in found_paths]

    todo: list[tuple[FileInfo, str | None, int]] = []
    stale = 0
    for info in found:
        old = known.get(info.path)
        same = old is not None and old.size == info.size and old.mtime_ns == info.mtime_ns
        if info.path in suspect:
            todo.append((info, None, max_bytes))
        elif old is not None and not old.digest.startswith(READER_VERSION + ":"):
            stale += same  # unchanged, but read by an older newsgrep: read it again
            todo.append((info, None, max_bytes))
        elif not opts.full and same:
            summary.unchanged += 1
        else:
            todo.append((info, None if opts.full or old is None else old.digest, max_bytes))
    if stale:
        summary.reread = stale

    total = len(todo)
    if progress:
        progress(0, total, 0)
    n_jobs = opts.jobs or os.cpu_count() or 1
    splitting = any(_splittable(info) for info, _, _ in todo)
    if len(todo) < 64 and not splitting:
        n_jobs = 1  # starting a pool costs more than it saves
    if todo:
        _warm_up()
    # Engines that can (Whoosh) have the parsing workers write the index: each writes
    # its group of files as a segment, the parent only commits (SegmentIngest).
    seg = getattr(engine, "segment_ingest", lambda: None)()
    global _SEGMENTS
    _SEGMENTS = seg.stream if seg is not None else None
    grouped = seg is not None and n_jobs > 1
    batch = _Batch(engine, manifest, known, summary, fresh=fresh,
                   rebuilding=previous is not None,
                   new_writer=seg.writer if seg is not None else None)
    done = 0
    try:
        if seg is not None:
            seg.start()
        if stray:
            batch.drop(stray)
        with _deferred_interrupt() as interrupted, \
                (_pool(n_jobs) if grouped else nullcontext()) as pool:
            units: Iterator[tuple[list[_Outcome], object]]
            if seg is not None and pool is not None:  # grouped
                seg.begin(pool.apply_async)
                # A worker's group is its share of one commit (larger segments merge
                # less), and no more than its share of the run (both workers get work).
                size = max(1, min(opts.commit_every // n_jobs, -(-total // n_jobs)))
                tick = None
                if progress:
                    def tick(ahead: int) -> None:
                        progress(min(total, done + ahead), total, summary.articles)
                units = _grouped(pool, _expand(todo), size, n_jobs + 1, interrupted, tick)
            else:
                if seg is not None:
                    seg.begin()  # merges in this process
                # Jobs go to workers one at a time when a file is split: in 8s, one
                # worker got all chunks of a 2 MB file.
                units = (([o], None) for o in _parallel(_expand(todo), n_jobs,
                                                        chunksize=1 if splitting else 8))
            for outcomes, staged in units:
                if staged is not None:
                    batch.add_segment(staged)
                for outcome in outcomes:
                    batch.add(outcome)  # the writer files this while workers parse ahead
                    part = 1.0
                    if outcome.chunk is not None:
                        index, count = outcome.chunk
                        part = (index + 1) / count
                    if part == 1.0:
                        done += 1
                    if progress:
                        progress(done if part == 1.0 else done + part, total,
                                 summary.articles)
                if interrupted():
                    break
                if batch.files and (batch.files >= opts.commit_every
                                    or batch.age() >= opts.commit_seconds):
                    batch.commit()
            stopped = interrupted()
            if not stopped:
                batch.remove(gone)
            batch.commit()
            if seg is not None and not stopped:
                seg.settle(interrupted)  # the last merges, on every worker at once
        if stopped:
            raise IndexInterrupted(summary)
        manifest.add_roots(roots)
    except IndexInterrupted:
        raise
    except BaseException:
        batch.cancel()
        raise
    finally:
        if seg is not None:
            seg.close()  # the workers are stopped: what they staged and left goes


def _monotonic(progress: Callable[[float, int, int], None] | None
               ) -> Callable[[float, int, int], None] | None:
    """`progress` that never moves back: the workers' finished files are shown before
    their outcomes arrive, and those then count up from where the bar was."""
    if progress is None:
        return None
    high = [0.0]

    def report(done: float, total: int, articles: int) -> None:
        high[0] = max(high[0], done)
        progress(high[0], total, articles)

    return report


@contextmanager
def _deferred_interrupt() -> Iterator[Callable[[], bool]]:
    """Within: the first Ctrl-C asks the run to stop after the file in hand and commit
    what was read (a KeyboardInterrupt raised anywhere in the writer could leave a
    half-added record); a second Ctrl-C stops at once, keeping only earlier commits."""
    if threading.current_thread() is not threading.main_thread():
        yield lambda: False
        return
    hits: list[int] = []  # signals received

    def handler(signum, frame):
        if hits:
            raise KeyboardInterrupt
        hits.append(signum)

    old = signal.signal(signal.SIGINT, handler)
    try:
        yield lambda: bool(hits)
    finally:
        signal.signal(signal.SIGINT, old)


@contextmanager
def run_lock(index_dir: Path, summary: IndexSummary, role: str = "index") -> Iterator[None]:
    """One index run at a time per index (searches are never blocked).

    A POSIX record lock: the kernel releases it when its holder dies, even by kill -9,
    and unlike flock() it is not inherited by the forked parsing workers, which could
    otherwise outlive a killed parent and keep it. The pid in the file only serves the
    messages, with the `role` of its holder ("index" or "watch").
    """
    path = index_dir / LOCK_FILE
    try:
        fh = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held for the whole run
    except OSError as e:
        raise NewsgrepError(f"cannot write to the index at {index_dir}: {e.strerror}") from None
    try:
        fh.seek(0)
        old_pid, _, old_role = fh.read().strip().partition(" ")
        try:
            fcntl.lockf(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            if old_role == "watch":
                raise NewsgrepError(
                    f"a newsgrep watch (PID {old_pid}) is keeping {index_dir} current and "
                    "indexes new files itself; stop it (Ctrl-C) to run index") from None
            raise NewsgrepError(
                f"another newsgrep index run (PID {old_pid or '?'}) is updating {index_dir}; "
                "wait for it to finish and try again"
            ) from None
        if old_pid and old_pid != str(os.getpid()):
            summary.warnings.append({"path": str(path), "reason":
                                     f"cleared a lock left by PID {old_pid}, which is no "
                                     "longer running; this run completes its work"})
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()) if role == "index" else f"{os.getpid()} {role}")
        fh.flush()
        try:
            yield
        finally:
            fh.seek(0)
            fh.truncate()
            fh.flush()
            fcntl.lockf(fh, fcntl.LOCK_UN)
    finally:
        fh.close()


class _Batch:
    """Changes since the last commit; the manifest follows each engine commit."""

    def __init__(self, engine, manifest: Manifest, known: dict[str, FileState],
                 summary: IndexSummary, fresh: bool, rebuilding: bool = False,
                 new_writer: Callable[[], Any] | None = None):
        self.engine, self.manifest, self.known, self.summary = engine, manifest, known, summary
        self.new_writer = new_writer or engine.writer
        self.fresh = fresh  # nothing committed yet: no stale records to delete
        self.rebuilding = rebuilding  # a new index, each file added once: never any
        self.writer = None
        self.files = 0
        self.started = time.monotonic()
        self.split_articles = 0  # articles of the split file being added, so far
        self.upserts: list[FileState] = []
        self.deletes: list[str] = []
        self.removed = 0
        self.split_started = False  # the split file being added has records in the writer

    def _w(self):
        if self.writer is None:
            self.writer = self.new_writer()
        return self.writer

    def add_segment(self, staged: object) -> None:
        """A segment a worker wrote for the outcomes added next (published at commit)."""
        self._w().add_segment(staged)

    def add(self, o: _Outcome) -> None:
        info, summary = o.info, self.summary
        if o.chunk is not None:
            self._add_chunk(o)
            return
        self.files += 1
        if o.same_content:
            summary.unchanged += 1
            old = self.known.get(info.path)
            self.upserts.append(FileState(info.path, info.size, info.mtime_ns, o.digest or "",
                                          old.articles if old else None))
            return
        if o.skip is not None:
            self._skip(info, o.skip)
            return
        self._begin(info)
        self._add_articles(info, o.articles or [], o.written)
        self.upserts.append(FileState(info.path, info.size, info.mtime_ns, o.digest or "",
                                      len(o.articles or [])))

    def _add_chunk(self, o: _Outcome) -> None:
        # Chunks of a file arrive in order and together (imap keeps the job order); the
        # file is counted and recorded in the manifest with its last chunk, so a batch
        # never commits in the middle of one.
        info = o.info
        index, count = o.chunk or (0, 1)
        if index == 0:
            self.split_started = False
            self.split_articles = 0
        if o.note:
            self.summary.warnings.append({"path": info.path, "reason": o.note})
        if o.articles:
            if not self.split_started:
                self._begin(info)
                self.split_started = True
            self._add_articles(info, o.articles, o.written)
            self.split_articles += len(o.articles)
        if index == count - 1:
            self.files += 1
            if self.split_started:
                self.upserts.append(FileState(info.path, info.size, info.mtime_ns,
                                              o.digest or "", self.split_articles))
            else:
                self._skip(info, "no valid JSON records")

    def _skip(self, info: FileInfo, reason: str) -> None:
        self.summary.skipped.append({"path": info.path, "reason": reason})
        if info.path in self.known:  # indexed before: its old record is stale now
            if not self.fresh:
                self._w().delete_path(info.path)
            self.deletes.append(info.path)

    def _begin(self, info: FileInfo) -> None:
        """Count a file with new content and drop the records it had before."""
        w = self._w()
        # Known or not: a crashed run may have left records without a manifest row.
        if not self.fresh:
            w.delete_path(info.path)
        if info.path in self.known:
            self.summary.updated += 1
        else:
            self.summary.indexed += 1

    def _add_articles(self, info: FileInfo, articles: list[Article], written: bool = False
                      ) -> None:
        w = self._w()
        self.summary.articles += len(articles)
        for a in articles:
            if written:  # in a worker's segment already; a refused record says so
                for note in a.warnings:
                    self.summary.warnings.append({"path": info.path, "reason": note})
                continue
            try:
                w.add(a)
            except (UnicodeError, ValueError, TypeError) as e:  # one bad record, not the run
                self.summary.warnings.append({"path": info.path, "reason":
                                              f"record {a.id} not indexed: {e}"})
                continue
            for note in a.warnings:
                self.summary.warnings.append({"path": info.path, "reason": note})

    def remove(self, paths: list[str]) -> None:
        if paths:
            w = self._w()
            for path in paths:
                w.delete_path(path)
                self.deletes.append(path)
            self.removed += len(paths)

    def drop(self, paths: list[str]) -> None:
        """Delete records that no manifest row accounts for (not counted as removed)."""
        w = self._w()
        for path in paths:
            w.delete_path(path)

    def age(self) -> float:
        return time.monotonic() - self.started

    def commit(self) -> None:
        if self.writer is not None:
            self.writer.commit()
            self.writer = None
            self.fresh = self.rebuilding
        # What the engine holds as committed: the next run compares before trusting.
        meta = {"articles": str(self.engine.doc_count()), "identity": identity_of(self.engine)}
        self.manifest.apply(self.upserts, self.deletes, meta)
        self.summary.removed += self.removed
        self.upserts, self.deletes, self.files, self.removed = [], [], 0, 0
        self.started = time.monotonic()

    def cancel(self) -> None:
        if self.writer is not None:
            writer, self.writer = self.writer, None
            try:
                writer.cancel()
            except Exception:  # noqa: BLE001 - e.g. a full disk: the first error is the one
                pass
