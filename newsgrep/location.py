"""Where the index lives: --index, else $NEWSGREP_INDEX, else the XDG data folder."""

from __future__ import annotations

import os
from pathlib import Path


def index_dir(option: str | os.PathLike | None = None) -> Path:
    if option:
        return Path(option).expanduser()
    if env := os.environ.get("NEWSGREP_INDEX"):
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(Path.home(), ".local", "share")
    return Path(base) / "newsgrep" / "index"
