"""One index run at a time per index: the run lock in the index folder."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import NewsgrepError
from .summary import IndexSummary

LOCK_FILE = "index-run.lock"


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
