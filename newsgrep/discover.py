"""Find the article files under the paths a user gives."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ARTICLE_SUFFIXES = frozenset({".txt", ".md", ".html", ".htm", ".json", ".jsonl"})
# Scrapers often store what they fetched gzipped (Fundus: page.html.gz); read through.
COMPRESSED_SUFFIX = ".gz"
# A corpus folder's own documentation (README.md, LICENSE.txt...) is not an article; it
# is still read when named explicitly on the command line.
_DOC_NAMES = ("readme", "license", "licence", "copying", "changelog")


# Slotted: a run holds one per file to read, and forked workers inherit the list (no
# per-instance dict: ~100 bytes less a file, 10 MB at 100k files in each process's RSS).
@dataclass(frozen=True, slots=True)
class FileInfo:
    path: str  # absolute, symlinks resolved
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class Skipped:
    path: str  # printable: a name that is not UTF-8 shows its bytes as \xNN
    reason: str


NOT_UTF8 = "file name is not valid UTF-8"
NOT_UTF8_FOLDER = "folder name is not valid UTF-8"
NOT_REGULAR = "not a regular file"


def valid_name(path: str | os.PathLike) -> bool:
    """Whether the path is valid UTF-8 throughout.

    Python hands undecodable bytes of a file name over as lone surrogates ("\\udcff"), which
    neither the index nor the manifest nor a terminal can store or show; such a file is
    skipped with a reason (reading it back would need the raw bytes, which the index
    cannot hold).
    """
    try:
        os.fspath(path).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def printable_path(path: str | os.PathLike) -> str:
    """The path as text that can be printed and stored: undecodable bytes as `\\xff`."""
    p = os.fspath(path)
    if valid_name(p):
        return p
    return os.fsencode(p).decode("utf-8", "backslashreplace")


def discover(paths: Iterable[str | os.PathLike]) -> Iterator[FileInfo | Skipped]:
    """Yield every article file under `paths` (files or folders, recursively).

    Hidden files and folders are skipped; so are symlink loops (each real folder is
    visited once). Reported as Skipped: files that vanish or cannot be stat'ed, anything
    that is not a regular file once symlinks are resolved (a FIFO would hang the run,
    /dev/zero never ends), and names that are not valid UTF-8 (see `valid_name`).
    Yields in sorted order so runs are reproducible.
    """
    seen_dirs: set[str] = set()
    seen_files: set[str] = set()
    for given in paths:
        p = Path(given).expanduser()
        if not valid_name(p) or not valid_name(os.path.realpath(p)):
            yield Skipped(printable_path(os.path.abspath(p)), NOT_UTF8)
            continue
        if p.is_dir():
            yield from _walk(p, seen_dirs, seen_files)
        else:
            info = _file(p, seen_files, explicit=True)
            if info is not None:
                yield info


def article_suffix(path: str | os.PathLike) -> str:
    """The format suffix of an article file, seen through gzip: `a.html.gz` -> `.html`."""
    name = os.path.basename(path).lower()
    if name.endswith(COMPRESSED_SUFFIX):
        name = name[:-len(COMPRESSED_SUFFIX)]
    return os.path.splitext(name)[1]


def _file(p: Path, seen: set[str], explicit: bool = False) -> FileInfo | Skipped | None:
    suffix = article_suffix(p)
    if not explicit and (suffix not in ARTICLE_SUFFIXES
                         or p.name.lower().startswith(_DOC_NAMES)):
        return None
    try:
        real = os.path.realpath(p)
        st = os.stat(real)  # stat only: opening a FIFO blocks until a writer comes
    except OSError as e:
        return Skipped(printable_path(p.absolute()), f"cannot read: {e.strerror or e}")
    if not valid_name(real):
        return Skipped(printable_path(real), NOT_UTF8)
    if real in seen:
        return None
    seen.add(real)
    if not stat.S_ISREG(st.st_mode):  # the name the user knows, not /dev/zero
        return Skipped(printable_path(p.absolute()), NOT_REGULAR)
    if explicit and suffix not in ARTICLE_SUFFIXES:
        kind = "".join(p.suffixes[-2:]) if p.suffix.lower() == COMPRESSED_SUFFIX else p.suffix
        return Skipped(real, f"unsupported file type {kind or '(none)'}")
    return FileInfo(real, st.st_size, st.st_mtime_ns)


def _walk(root: Path, seen_dirs: set[str], seen_files: set[str]) -> Iterator[FileInfo | Skipped]:
    real_root = os.path.realpath(root)
    if real_root in seen_dirs:
        return
    seen_dirs.add(real_root)
    try:
        entries = sorted(os.scandir(real_root), key=lambda e: e.name)
    except OSError as e:
        yield Skipped(real_root, f"cannot list folder: {e.strerror or e}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            if not valid_name(entry.name):  # one line for the folder, not one per file
                yield Skipped(printable_path(entry.path), NOT_UTF8_FOLDER)
                continue
            yield from _walk(Path(entry.path), seen_dirs, seen_files)
        else:
            info = _file(Path(entry.path), seen_files)
            if info is not None:
                yield info
