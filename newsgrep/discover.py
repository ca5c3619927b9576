"""Find the article files under the paths a user gives."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ARTICLE_SUFFIXES = frozenset({".txt", ".md", ".html", ".htm", ".json", ".jsonl"})
# Scrapers often store what they fetched gzipped (Fundus: page.html.gz); read through.
COMPRESSED_SUFFIX = ".gz"
# A corpus folder's own documentation (README.md, LICENSE.txt...) is not an article; it
# is still read when named explicitly on the command line.
_DOC_NAMES = ("readme", "license", "licence", "copying", "changelog")


@dataclass(frozen=True)
class FileInfo:
    path: str  # absolute, symlinks resolved
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str


def discover(paths: Iterable[str | os.PathLike]) -> Iterator[FileInfo | Skipped]:
    """Yield every article file under `paths` (files or folders, recursively).

    Hidden files and folders are skipped; so are symlink loops (each real folder is
    visited once) and files that vanish or cannot be stat'ed (reported as Skipped).
    Yields in sorted order so runs are reproducible.
    """
    seen_dirs: set[str] = set()
    seen_files: set[str] = set()
    for given in paths:
        p = Path(given).expanduser()
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
        st = os.stat(real)
    except OSError as e:
        return Skipped(str(p.absolute()), f"cannot read: {e.strerror or e}")
    if real in seen:
        return None
    seen.add(real)
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
            yield from _walk(Path(entry.path), seen_dirs, seen_files)
        else:
            info = _file(Path(entry.path), seen_files)
            if info is not None:
                yield info
