"""`newsgrep browse`: an interactive terminal front end (Textual) over the library.

Textual is an optional dependency (`pip install 'newsgrep[browse]'`), imported only
when the browser starts; session.py holds the index calls and needs no Textual.
"""

from __future__ import annotations

import importlib.util

INSTALL_HINT = "newsgrep browse needs Textual: pip install 'newsgrep[browse]'"


def have_textual() -> bool:
    return importlib.util.find_spec("textual") is not None
