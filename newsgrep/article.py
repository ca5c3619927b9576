"""The two records ingest passes on: RawDoc as a reader found it, Article once normalized."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from .urls import domain_of


def article_id(path: str, part: int | None = None) -> str:
    """A short id that stays the same while the file stays where it is.

    Derived from the absolute path (plus the record number for `.jsonl`), not from the
    content, so `show ID` keeps working after the article is edited and re-indexed.
    """
    # Imported here: hashlib loads OpenSSL (milliseconds); only ingest and `show PATH`
    # compute an id.
    import hashlib

    key = path if part is None else f"{path}#{part}"
    return hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def location(path: str, line: int | None) -> str:
    """`path:LINE` for a record of a multi-record file, the bare path otherwise."""
    return path if line is None else f"{path}:{line}"


def record_label(path: str, line: int) -> str:
    """How a message names a record of a multi-record file: its line in a .jsonl, its
    number in a .json list."""
    kind = "record" if path.lower().endswith((".json", ".json.gz")) else "line"
    return f"{kind} {line}"


@dataclass
class RawDoc:
    """What a reader found, before normalization."""

    path: str
    part: int | None = None  # record number inside a .jsonl/.json list
    text: str | None = None  # whole text of a .txt/.md file
    title: str | None = None
    body: str | None = None
    date: str | None = None
    url: str | None = None
    source: str | None = None
    lang: str | None = None
    author: str | None = None  # the byline, as the record or page names it
    # Where the record starts in a file of several: the 1-based line of a .jsonl record,
    # the 1-based record number in a .json list (json.loads keeps no line numbers);
    # None for a one-article file. `part` (the id's key) stays as it was.
    line: int | None = None
    # Notes about the file a reader had to drop parts of (bad .jsonl lines), carried into
    # the article's warnings and so into the index summary.
    warnings: list[str] = field(default_factory=list)


@dataclass
class Article:
    """One clean article: what search matches and what `show` prints."""

    id: str
    path: str
    title: str
    body: str
    date: date | None = None
    source: str | None = None
    url: str | None = None
    lang: str | None = None
    author: str | None = None
    line: int | None = None  # where in a file of several records (see RawDoc.line)
    # Notes about what ingest had to drop or could not understand (e.g. an implausible
    # date); they end up in the index summary, never in the searchable text.
    warnings: list[str] = field(default_factory=list)
    # MinHash signature of the body (dedup.py), for finding reprints; not user-facing.
    signature: bytes | None = field(default=None, repr=False)
    # Engine-specific index data computed ahead in a worker (engine.prepare_article).
    prepared: dict | None = field(default=None, repr=False, compare=False)

    @property
    def location(self) -> str:
        """Where to find it: `file.jsonl:LINE` for a record of a multi-record file (what
        `show` accepts), else the path."""
        return location(self.path, self.line)

    @property
    def domain(self) -> str | None:
        """The site's domain: the URL's host, else a source written as a domain."""
        return domain_of(self.url) or (domain_of(self.source) if self.source else None)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["date"] = self.date.isoformat() if self.date else None
        d.pop("warnings")
        d.pop("signature")
        d.pop("prepared")
        return d
