"""Printers: one module per output format, chosen once by the command.

    terminal  what a person reads (rich): hits, articles, tables, timelines, facets
    plain     the terminal listing of hits on a pipe, as plain text (no rich)
    listing   the lines of that listing, which terminal and plain both print
    jsonl     JSON Lines (its docstring is the wire format) and safe JSON for the rest
    csvfile   CSV with a header row, spreadsheet-safe
    paths     -l: one path per line
    count     -c: a number

Every printer shows text from outside (file names above all) so that it cannot drive a
terminal: `display.safe()` on the terminal and in CSV and paths, `\\uXXXX` escapes in JSON.
"""

from __future__ import annotations

from typing import IO, Protocol

from ..errors import NewsgrepError
from ..hits import SearchResult


class HitPrinter(Protocol):
    def print(self, result: SearchResult) -> None: ...


HIT_FORMATS = ("terminal", "json", "csv", "paths")


def hit_printer(fmt: str, out: IO[str], fields: list[str] | None = None,
                body: bool = False, color: str = "auto") -> HitPrinter:
    """The printer for a listing of hits in `fmt` to `out`. Only the terminal format
    on a terminal (or with colours forced) imports rich; on a pipe it is plain text."""
    if fmt == "json":
        from .jsonl import JsonLinesPrinter

        # The default object carries `body` whenever the hits have it (--body).
        return JsonLinesPrinter(out, fields)
    if fmt == "csv":
        from .csvfile import CsvPrinter

        return CsvPrinter(out, fields, body=body)
    if fmt == "paths":
        from .paths import PathsPrinter

        return PathsPrinter(out)
    if fmt == "terminal":
        from .plain import PlainPrinter, wants_plain

        if wants_plain(out, color):
            return PlainPrinter(out)
        from .console import make_console
        from .terminal import TerminalPrinter

        return TerminalPrinter(make_console(color, file=out))
    raise NewsgrepError(f"unknown output format {fmt!r}")


def parse_fields(value: str | None, body: bool = False) -> list[str] | None:
    """--fields a,b,c as a list (validated); --body adds `body`. None: the default set."""
    if value is None:
        return None
    from .jsonl import FIELDS

    names = [n.strip().lower() for n in value.split(",") if n.strip()]
    bad = [n for n in names if n not in FIELDS]
    if bad or not names:
        raise NewsgrepError(f"unknown field {', '.join(map(repr, bad)) or repr(value)} in "
                            f"--fields: use any of {', '.join(FIELDS)}")
    if body and "body" not in names:
        names.append("body")
    return list(dict.fromkeys(names))
