"""Where the index lives: --index, else $NEWSGREP_INDEX, else the XDG data folder."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import NewsgrepError


def index_dir(option: str | os.PathLike | None = None) -> Path:
    """The index folder; an existing file there is an error (it cannot hold an index)."""
    if option:
        path = Path(option).expanduser()
    elif env := os.environ.get("NEWSGREP_INDEX"):
        path = Path(env).expanduser()
    else:
        base = os.environ.get("XDG_DATA_HOME") or os.path.join(Path.home(), ".local", "share")
        path = Path(base) / "newsgrep" / "index"
    if path.exists() and not path.is_dir():
        raise NewsgrepError(f"the index {path} is a file, not a folder")
    return path
