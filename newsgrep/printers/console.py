"""The terminal side every printer shares: the console, wrapping, paging, colour."""

from __future__ import annotations

import os
import re
import shlex
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

# Piped or redirected output is never wrapped: a console that is not a terminal gets a
# width no line reaches (rich would otherwise wrap at 80 columns, or at the width of
# whatever terminal stdin or stderr is).
UNWRAPPED_WIDTH = 1_000_000


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def make_console(color: str = "auto", stderr: bool = False, file: IO[str] | None = None
                 ) -> Console:
    """A console that colours a terminal unless NO_COLOR is set; `color="always"` colours
    whatever the environment says (an explicit flag wins, as no-color.org asks), "never"
    never colours. A console on a pipe or file does not wrap lines (see `is_piped`)."""
    stream = file or (sys.stderr if stderr else sys.stdout)
    tty = _isatty(stream)
    if color == "always":
        no_color = False
    elif color == "never":
        no_color = True
    else:
        no_color = bool(os.environ.get("NO_COLOR"))
    return Console(file=stream, force_terminal=True if color == "always" else None,
                   no_color=no_color, highlight=False, markup=False, emoji=False,
                   soft_wrap=not tty, width=None if tty else UNWRAPPED_WIDTH,
                   color_system=None if no_color else ("standard" if color == "always"
                                                       and not tty else "auto"))


def is_piped(console: Console) -> bool:
    """Whether the console writes to a pipe or file (make_console set soft wrapping)."""
    return console.soft_wrap


def colored(console: Console) -> bool:
    return console.color_system is not None and not console.no_color


def print_wrapped(console: Console, text: Text, first: str = "", rest: str | None = None,
                  wrap: bool = True) -> None:
    """`first` + `text`; on a terminal, wrapped at word boundaries with continuation lines
    starting under `rest` (default: as many spaces as `first`), never splitting a word
    (a path or URL stays whole). wrap=False: one line, left to the terminal.
    Piped output: one line, never wrapped."""
    rest = " " * len(first) if rest is None else rest
    if is_piped(console) or not wrap:
        console.print(Text(first) + text, no_wrap=True, overflow="ignore", crop=False)
        return
    width = max(console.width - max(len(first), len(rest)), 20)
    for i, line in enumerate(text.divide(_breaks(text.plain, width))):
        line.rstrip()
        console.print(Text(first if i == 0 else rest) + line, no_wrap=True, overflow="ignore",
                      crop=False)


_WORD_AND_SPACE = re.compile(r"\S+\s*")


def _breaks(plain: str, width: int) -> list[int]:
    """Offsets where `plain` wraps at `width` cells: only between words, so a word wider
    than the line (a URL) overflows whole instead of being cut (rich's wrap folds it)."""
    offsets: list[int] = []
    used = 0
    for m in _WORD_AND_SPACE.finditer(plain):
        word = cell_len(m.group().rstrip())
        if used and used + word > width:
            offsets.append(m.start())
            used = 0
        used += cell_len(m.group())
    return offsets


def less_env(current: str | None) -> str:
    """$LESS with the options newsgrep's paged output needs: R (show colours, not raw
    `ESC[1m`), F (quit at once when it fits one screen) and X (leave it on the screen),
    added to whatever the user's LESS holds (`-i`, `-S`...), as git does."""
    if not current or not current.strip():
        return "-FRX"
    have: set[str] = set()
    try:
        tokens = shlex.split(current)
    except ValueError:
        tokens = current.split()
    for tok in tokens:
        if tok.startswith("--") or tok.startswith("-+"):
            continue
        for ch in tok.lstrip("-"):
            if not ch.isalpha():
                break  # the rest is an option's argument (-x4, -j.5)
            have.add(ch)
    missing = [f"-{o}" for o in "RFX" if o not in have and not (o == "R" and "r" in have)]
    return " ".join([current.strip(), *missing])


@contextmanager
def paging(console: Console, enabled: bool) -> Iterator[None]:
    """Send what is printed inside through the user's pager when `enabled` and both ends
    are a terminal; colours survive whatever $LESS holds."""
    if not enabled or is_piped(console) or not _isatty(sys.stdin):
        yield
        return
    os.environ["LESS"] = less_env(os.environ.get("LESS"))
    with console.pager(styles=True):
        yield
