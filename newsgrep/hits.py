"""What a search returns, independent of the engine and of how it is printed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .article import location

# A snippet is a list of (text, matched) pieces, so printers never parse markup out of
# article text: matched pieces are styled, everything else is shown literally.
Snippet = list[tuple[str, bool]]


@dataclass
class Hit:
    rank: int
    id: str
    path: str
    title: str
    date: date | None
    source: str | None
    url: str | None
    lang: str | None
    score: float
    title_marks: Snippet = field(default_factory=list)
    snippets: list[Snippet] = field(default_factory=list)
    body: str | None = None  # only when asked for (show)
    # Reprints of this story by other outlets, folded under it (search --collapse) or
    # its estimated similarity to the article `similar` started from.
    duplicates: list[Hit] = field(default_factory=list)
    similarity: float | None = None
    author: str | None = None
    line: int | None = None  # where a record of a multi-record file starts (Article.line)

    @property
    def location(self) -> str:
        """`file.jsonl:LINE` for a record of a multi-record file, else the path: what the
        terminal and -l print, and what `newsgrep show` takes."""
        return location(self.path, self.line)


@dataclass
class SearchResult:
    hits: list[Hit]
    total: int
    suggestion: str | None = None


def snippet_text(snippets: list[Snippet], sep: str = " … ") -> tuple[str, list[list[int]]]:
    """Plain text of the snippets plus [start, end) offsets of the matched words."""
    out: list[str] = []
    marks: list[list[int]] = []
    pos = 0
    for i, snip in enumerate(snippets):
        if i:
            out.append(sep)
            pos += len(sep)
        for text, matched in snip:
            text = " ".join(text.split("\n"))  # one line per snippet; offsets stay valid
            if matched:
                marks.append([pos, pos + len(text)])
            out.append(text)
            pos += len(text)
    return "".join(out), marks
