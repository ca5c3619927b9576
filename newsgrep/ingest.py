"""`newsgrep index`: discover -> read/decode -> normalize -> write to the engine.

Incremental: a file whose size and mtime match the manifest is not opened; one whose
bytes hash to the manifest's digest is not re-parsed. Parsing runs on all cores; the
single engine writer commits in batches, each followed by the manifest update, so an
interrupted run keeps every finished batch and the next run picks up the rest.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .article import Article
from .discover import FileInfo, Skipped, discover
from .engine import EngineSpec, as_spec, open_engine, preparer
from .errors import NewsgrepError, SkipFile
from .manifest import FileState, Manifest
from .readers import DEFAULT_MAX_BYTES, parse_bytes, read_bytes

BATCH_FILES = 5000  # files per commit: bounds the work an interruption can lose
LOCK_FILE = "index-run.lock"
MAX_IN_FLIGHT = 256  # parsed articles waiting for the writer, at most


@dataclass
class IndexSummary:
    indexed: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    skipped: list[dict] = field(default_factory=list)  # {"path", "reason"}
    warnings: list[dict] = field(default_factory=list)  # {"path", "reason"}: kept, with a note
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return {"indexed": self.indexed, "updated": self.updated, "unchanged": self.unchanged,
                "removed": self.removed, "skipped": self.skipped, "warnings": self.warnings,
                "seconds": round(self.seconds, 3)}


@dataclass
class _Outcome:
    info: FileInfo
    digest: str | None = None
    articles: list[Article] | None = None
    skip: str | None = None
    same_content: bool = False


# The engine's per-article preparation hook, set before the workers are forked.
_PREPARE: Callable[[Article], None] | None = None


def _process(job: tuple[FileInfo, str | None, int]) -> _Outcome:
    """Worker: read, hash and (if the content changed) parse one file. Never raises."""
    info, old_digest, max_bytes = job
    try:
        data = read_bytes(info.path, max_bytes)
        digest = hashlib.blake2b(data, digest_size=16).hexdigest()
        if digest == old_digest:
            return _Outcome(info, digest, same_content=True)
        from .dedup import signature
        from .normalize import normalize

        articles = [normalize(raw) for raw in parse_bytes(info.path, data)]
        if not articles:
            return _Outcome(info, digest, skip="no articles in file")
        for a in articles:
            a.signature = signature(a.body)
            if _PREPARE is not None:
                _PREPARE(a)
        return _Outcome(info, digest, articles=articles)
    except SkipFile as e:
        return _Outcome(info, skip=str(e))
    except RecursionError:
        return _Outcome(info, skip="unparsable (nesting too deep)")
    except Exception as e:  # a bug in one parser must not stop the run
        return _Outcome(info, skip=f"unparsable: {type(e).__name__}: {e}")


def _warm_up() -> None:
    # Load the language model and parsers once in the parent so forked workers share them.
    from .dedup import signature
    from .language import detect_language
    from .normalize import normalize  # noqa: F401

    detect_language("warm up the language identifier with a short english sentence")
    signature("warm up the minhash permutations")


def _ignore_sigint() -> None:
    # Ctrl-C reaches the whole process group: let the parent stop the run cleanly
    # (it terminates the pool) instead of every worker printing a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _parallel(jobs: list[tuple[FileInfo, str | None, int]], n_jobs: int) -> Iterator[_Outcome]:
    if n_jobs <= 1 or len(jobs) < 64:
        yield from map(_process, jobs)
        return
    import multiprocessing as mp
    import threading

    # Pool.imap reads its input as fast as the workers go and buffers every result the
    # writer has not taken yet: parsing outruns the single index writer, so without this
    # bound a big run held most of its parsed articles in memory (1.2 GB at 20k).
    slots = threading.BoundedSemaphore(MAX_IN_FLIGHT)
    stop = threading.Event()

    def feed() -> Iterator[tuple[FileInfo, str | None, int]]:
        for job in jobs:
            while not slots.acquire(timeout=0.1):
                if stop.is_set():
                    return
            yield job

    ctx = mp.get_context("fork") if hasattr(os, "fork") else mp.get_context()
    with ctx.Pool(n_jobs, initializer=_ignore_sigint) as pool:
        try:
            for outcome in pool.imap(_process, feed(), chunksize=8):
                slots.release()
                yield outcome
        finally:
            stop.set()  # before the pool's exit joins the feeding thread


def index_paths(
    paths: Iterable[str | os.PathLike],
    index_dir: EngineSpec | str | os.PathLike,
    *,
    full: bool = False,
    jobs: int | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Callable[[int, int], None] | None = None,
    commit_every: int = BATCH_FILES,
) -> IndexSummary:
    """Bring the index up to date with the article files under `paths`.

    `progress(done, total)` is called as files are processed. Raises NewsgrepError only
    when nothing can be done (a missing path, an index that cannot be written).
    """
    t0 = time.perf_counter()
    roots = []
    for p in paths:
        if not os.path.exists(p):
            raise NewsgrepError(f"no such file or folder: {p}")
        roots.append(os.path.realpath(p))
    spec = as_spec(index_dir)
    engine = open_engine(spec, create=True)
    try:
        spec.path.mkdir(parents=True, exist_ok=True)  # manifest + lock, whatever the engine
    except OSError as e:
        raise NewsgrepError(f"cannot create index folder {spec.path}: {e.strerror}") from None
    summary = IndexSummary()
    global _PREPARE
    _PREPARE = preparer(spec)
    with run_lock(spec.path, summary):
        manifest = Manifest(spec.path)
        try:
            _run(engine, manifest, roots, summary, full, jobs, max_bytes, progress,
                 max(1, commit_every))
        finally:
            manifest.close()
    summary.seconds = time.perf_counter() - t0
    return summary


def _run(engine, manifest: Manifest, roots: list[str], summary: IndexSummary, full: bool,
         jobs: int | None, max_bytes: int, progress: Callable[[int, int], None] | None,
         commit_every: int) -> None:
    known = manifest.under(roots)
    found: list[FileInfo] = []
    for item in discover(roots):
        if isinstance(item, Skipped):
            summary.skipped.append({"path": item.path, "reason": item.reason})
        else:
            found.append(item)
    found_paths = {f.path for f in found}
    gone = [p for p in known if p not in found_paths]

    todo: list[tuple[FileInfo, str | None, int]] = []
    for info in found:
        old = known.get(info.path)
        if (not full and old is not None and old.size == info.size
                and old.mtime_ns == info.mtime_ns):
            summary.unchanged += 1
        else:
            todo.append((info, None if full or old is None else old.digest, max_bytes))

    total = len(todo)
    if progress:
        progress(0, total)
    n_jobs = jobs or os.cpu_count() or 1
    if todo:
        _warm_up()
    batch = _Batch(engine, manifest, known, summary, fresh=engine.doc_count() == 0)
    done = 0
    try:
        for outcome in _parallel(todo, n_jobs):
            batch.add(outcome)  # Whoosh analyses this while the workers parse ahead
            done += 1
            if progress:
                progress(done, total)
            if batch.files >= commit_every:
                batch.commit()
        batch.remove(gone)
        batch.commit()
    except BaseException:
        batch.cancel()
        raise


@contextmanager
def run_lock(index_dir: Path, summary: IndexSummary) -> Iterator[None]:
    """One index run at a time per index (searches are never blocked).

    A POSIX record lock: the kernel releases it when its holder dies, even by kill -9,
    and unlike flock() it is not inherited by the forked parsing workers, which could
    otherwise outlive a killed parent and keep it. The pid in the file only serves the
    messages.
    """
    path = index_dir / LOCK_FILE
    try:
        fh = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held for the whole run
    except OSError as e:
        raise NewsgrepError(f"cannot write to the index at {index_dir}: {e.strerror}") from None
    try:
        fh.seek(0)
        old_pid = fh.read().strip()
        try:
            fcntl.lockf(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
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
        fh.write(str(os.getpid()))
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
                 summary: IndexSummary, fresh: bool):
        self.engine, self.manifest, self.known, self.summary = engine, manifest, known, summary
        self.fresh = fresh  # nothing committed yet: no stale records to delete
        self.writer = None
        self.files = 0
        self.upserts: list[FileState] = []
        self.deletes: list[str] = []
        self.removed = 0

    def _w(self):
        if self.writer is None:
            self.writer = self.engine.writer()
        return self.writer

    def add(self, o: _Outcome) -> None:
        info, summary = o.info, self.summary
        self.files += 1
        if o.same_content:
            summary.unchanged += 1
            self.upserts.append(FileState(info.path, info.size, info.mtime_ns, o.digest or ""))
            return
        if o.skip is not None:
            summary.skipped.append({"path": info.path, "reason": o.skip})
            if info.path in self.known:  # indexed before: its old record is stale now
                self._w().delete_path(info.path)
                self.deletes.append(info.path)
            return
        w = self._w()
        if info.path in self.known:
            w.delete_path(info.path)
            summary.updated += 1
        else:
            if not self.fresh:  # a crashed run may have left records without a manifest row
                w.delete_path(info.path)
            summary.indexed += 1
        for a in o.articles or []:
            w.add(a)
            for note in a.warnings:
                summary.warnings.append({"path": info.path, "reason": note})
        self.upserts.append(FileState(info.path, info.size, info.mtime_ns, o.digest or ""))

    def remove(self, paths: list[str]) -> None:
        if paths:
            w = self._w()
            for path in paths:
                w.delete_path(path)
                self.deletes.append(path)
            self.removed += len(paths)

    def commit(self) -> None:
        if self.writer is not None:
            self.writer.commit()
            self.writer = None
            self.fresh = False
        self.manifest.apply(self.upserts, self.deletes)
        self.summary.removed += self.removed
        self.upserts, self.deletes, self.files, self.removed = [], [], 0, 0

    def cancel(self) -> None:
        if self.writer is not None:
            self.writer.cancel()
            self.writer = None
