"""Two folders exchanged in one step, for `index --full`'s swap of the new index."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path


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
