"""Read one file into raw records, per format. No cleaning beyond decoding happens here.

Text formats (`.txt`, `.md`) yield the whole decoded text; the normalizer finds the
title, date and source lines in it. Structured formats (`.json`, `.jsonl`, `.html`)
yield the fields they carry.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

from .decode import clean_text, decode_bytes
from .errors import SkipFile

DEFAULT_MAX_BYTES = 50 * 1024 * 1024

# Field names used by common scrapers (newspaper3k, news-please, Fundus, trafilatura...).
TITLE_KEYS = ("title", "headline")
BODY_KEYS = ("text", "body", "content", "maintext", "content_original", "article")
DATE_KEYS = ("date", "published", "date_publish", "publish_date", "published_at",
             "publishing_date", "pubdate", "datePublished")
URL_KEYS = ("url", "link", "canonical_url")
SOURCE_KEYS = ("source", "source_domain", "sitename", "site_name", "publisher", "outlet")


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


def read_bytes(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The file's bytes, or SkipFile with a reason users can act on."""
    try:
        size = os.path.getsize(path)
        if size > max_bytes:
            raise SkipFile(f"too large ({size:,} bytes > limit {max_bytes:,})")
        with open(path, "rb") as fh:
            return fh.read(max_bytes + 1)
    except FileNotFoundError:
        raise SkipFile("file vanished during the run") from None
    except PermissionError:
        raise SkipFile("permission denied") from None
    except IsADirectoryError:
        raise SkipFile("is a directory") from None
    except OSError as e:
        raise SkipFile(f"cannot read: {e.strerror or e}") from None


def parse_bytes(path: str, data: bytes) -> list[RawDoc]:
    """Decode one file's bytes and split them into raw records by format."""
    text = decode_bytes(data)
    suffix = os.path.splitext(path)[1].lower()
    if suffix in (".html", ".htm"):
        return [_read_html(path, text)]
    if suffix == ".json":
        return _read_json(path, text)
    if suffix == ".jsonl":
        return _read_jsonl(path, text)
    return [RawDoc(path=path, text=text)]


def read_file(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> list[RawDoc]:
    """Read and decode one article file. Raises SkipFile with the reason."""
    return parse_bytes(path, read_bytes(path, max_bytes))


def _first(rec: dict, keys: tuple[str, ...]) -> str | None:
    for k in keys:
        v = rec.get(k)
        if isinstance(v, list):  # e.g. Fundus/news-please body as a list of paragraphs
            v = "\n\n".join(str(x) for x in v if x)
        if isinstance(v, int | float) and not isinstance(v, bool):
            v = str(v)
        if isinstance(v, str) and v.strip():
            return clean_text(v).strip()
    return None


def record_to_raw(rec: dict, path: str, part: int | None) -> RawDoc:
    """Map a scraper's JSON object onto a RawDoc (field names as SPEC lists)."""
    if not isinstance(rec, dict):
        raise SkipFile("JSON value is not an object")
    body = _first(rec, BODY_KEYS)
    title = _first(rec, TITLE_KEYS)
    if not body and not title:
        raise SkipFile("JSON record has no title or text")
    lang = rec.get("lang") or rec.get("language")
    return RawDoc(
        path=path,
        part=part,
        title=title,
        body=body or "",
        date=_first(rec, DATE_KEYS),
        url=_first(rec, URL_KEYS),
        source=_first(rec, SOURCE_KEYS),
        lang=lang if isinstance(lang, str) else None,
    )


def _read_json(path: str, text: str) -> list[RawDoc]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise SkipFile(f"invalid JSON: {e.msg} at line {e.lineno}") from None
    if isinstance(data, list):
        return [record_to_raw(r, path, i) for i, r in enumerate(data) if isinstance(r, dict)]
    return [record_to_raw(data, path, None)]


def _read_jsonl(path: str, text: str) -> list[RawDoc]:
    docs: list[RawDoc] = []
    bad = 0
    for i, line in enumerate(text.split("\n")):
        if not line.strip():
            continue
        try:
            docs.append(record_to_raw(json.loads(line), path, i + 1))
        except (json.JSONDecodeError, SkipFile):
            bad += 1  # one bad line must not cost the file's other records
    if not docs:
        raise SkipFile(f"no valid JSON records ({bad} bad lines)")
    return docs


def _read_html(path: str, html: str) -> RawDoc:
    # trafilatura finds the main text and the page's title, date and site name, and drops
    # navigation, cookie banners and related-article lists: hand-written rules would not.
    import trafilatura

    doc = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=True,
        favor_precision=True, as_dict=True,
    )
    if not doc or not (doc.get("text") or doc.get("title")):
        raise SkipFile("no article text found in HTML")
    return RawDoc(
        path=path,
        title=doc.get("title"),
        body=clean_text(doc.get("text") or ""),
        date=doc.get("date"),
        url=doc.get("url"),
        source=doc.get("sitename") or doc.get("hostname"),
        lang=doc.get("language"),
    )
