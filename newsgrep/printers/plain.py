"""The listing of hits on a pipe or in a file without colour: the terminal printer's
lines (listing.py) as plain text, one per line, never wrapped, without importing rich
(a third of a piped `newsgrep search`'s imports)."""

from __future__ import annotations

from typing import IO

from ..hits import SearchResult
from .listing import Line, footer, hit_lines, no_hits_message


def wants_plain(stream: IO[str], color: str) -> bool:
    """Whether output to `stream` is plain text (a pipe or a file, colours not forced):
    then the plain printer prints what the rich one would, without rich."""
    if color == "always":
        return False
    try:
        return not stream.isatty()
    except (AttributeError, ValueError):
        return True


def write_line(out: IO[str], line: Line) -> None:
    out.write(line.first + line.text + "\n")


class PlainPrinter:
    """Ranked hits as TerminalPrinter prints them to a pipe (see listing.py)."""

    def __init__(self, out: IO[str]):
        self.out = out

    def print(self, result: SearchResult) -> None:
        for hit in result.hits:
            for line in hit_lines(hit):
                write_line(self.out, line)
        write_line(self.out, footer(result))


def print_no_hits(result: SearchResult, out: IO[str], note: str | None = None) -> None:
    out.write(no_hits_message(result, note) + "\n")


def write_note(out: IO[str], message: str) -> None:
    """A line on stderr (a warning, why nothing matched), as rich printed it to a pipe:
    the control characters rich drops are dropped here too (on a terminal, left to the
    terminal to wrap)."""
    out.write(message.translate(_RICH_STRIPS) + "\n")


# rich.control.strip_control_codes: BEL, BS, VT, FF, CR
_RICH_STRIPS = dict.fromkeys((7, 8, 11, 12, 13))
