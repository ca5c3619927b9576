"""The work items of a run: what the parsing workers are given (a file, a chunk of a big
file, or an outcome the parent settled) and what they give back."""

from __future__ import annotations

from dataclasses import dataclass

from ..article import Article
from ..discover import FileInfo


@dataclass
class _Outcome:
    info: FileInfo
    digest: str | None = None
    articles: list[Article] | None = None
    skip: str | None = None
    same_content: bool = False
    chunk: tuple[int, int] | None = None  # (index, count) when the file was split
    note: str | None = None  # a chunk's lines that could not be read: a warning, kept
    written: bool = False  # its articles are in a segment a worker wrote (SegmentIngest)


@dataclass
class _Chunk:
    """A run of whole lines of a big .jsonl file, parsed by a worker on its own."""

    info: FileInfo
    digest: str
    index: int
    count: int
    first_line: int
    data: bytes
    records: list | None = None  # a run of records of a big .json list (then no data)


Job = tuple[FileInfo, str | None, int] | _Chunk | _Outcome
