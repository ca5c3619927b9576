"""The two records ingest passes on: RawDoc as a reader found it, Article once normalized."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import date

from .urls import domain_of


def article_id(path: str, part: int | None = None) -> str:
    """A short id that stays the same while the file stays where it is.

    Derived from the absolute path (plus the record number for `.jsonl`), not from the
    content, so `show ID` keeps working after the article is edited and re-indexed.
    """
    key = path if part is None else f"{path}#{part}"
    return hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:12]


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
    # Notes about what ingest had to drop or could not understand (e.g. an implausible
    # date); they end up in the index summary, never in the searchable text.
    warnings: list[str] = field(default_factory=list)
    # MinHash signature of the body (dedup.py), for finding reprints; not user-facing.
    signature: bytes | None = field(default=None, repr=False)
    # Engine-specific index data computed ahead in a worker (engine.prepare_article).
    prepared: dict | None = field(default=None, repr=False, compare=False)

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
