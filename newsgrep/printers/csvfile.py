"""CSV with a header row: `search --csv`, for spreadsheets.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is written with a
leading `'` (the OWASP rule against CSV formula injection): a spreadsheet shows it as
text instead of running it. Names and metadata have control characters escaped
visibly (`\\e`), as on the terminal.
"""

from __future__ import annotations

import csv
from typing import IO

from ..display import safe
from ..hits import SearchResult
from .jsonl import hit_to_dict

DEFAULT_FIELDS = ["id", "path", "line", "title", "date", "source", "url", "lang", "author",
                  "score", "snippet"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """`cell` as a spreadsheet must show it: text, never a formula."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def cell(key: str, value) -> object:
    """A value as a safe CSV cell (`key` body keeps its line breaks)."""
    if value is None:
        return ""
    if isinstance(value, list):  # highlights, duplicates: as JSON-ish text
        value = str(value)
    if not isinstance(value, str):
        return value
    if key == "body":  # keep its paragraphs; escape anything else
        value = "\n".join(safe(line) for line in value.split("\n"))
    else:
        value = safe(value)
    return neutralise(value)


class CsvPrinter:
    def __init__(self, out: IO[str], fields: list[str] | None = None, body: bool = False):
        self.out = out
        self.fields = list(fields) if fields else DEFAULT_FIELDS + (["body"] if body else [])

    def print(self, result: SearchResult) -> None:
        w = csv.writer(self.out, lineterminator="\n")
        w.writerow(self.fields)
        for hit in result.hits:
            d = hit_to_dict(hit, self.fields)
            w.writerow([cell(k, d[k]) for k in self.fields])
