"""Read one file into raw records, per format. No cleaning beyond decoding happens here.

Text formats (`.txt`, `.md`) yield the whole decoded text; the normalizer finds the
title, date and source lines in it. Structured formats (`.json`, `.jsonl`, `.html`)
yield the fields they carry; HTML pages are read in html_reader.py.
"""

from __future__ import annotations

import json
import os
import re
import stat
from typing import BinaryIO

from .article import RawDoc
from .authors import authors
from .decode import clean_text, decode_bytes
from .discover import COMPRESSED_SUFFIX, NOT_REGULAR, article_suffix
from .errors import SkipFile
from .html_reader import read_html

DEFAULT_MAX_BYTES = 50 * 1024 * 1024

# Field names used by common scrapers (newspaper3k, news-please, Fundus, trafilatura,
# NewsAPI...), most specific first.
TITLE_KEYS = ("title", "headline")
BODY_KEYS = ("text", "body", "content", "maintext", "content_original", "article",
             "full_text", "article_text")
DATE_KEYS = ("date", "published", "date_publish", "publish_date", "published_at",
             "publishedAt", "publishing_date", "published_date", "date_published", "pubdate",
             "pub_date", "datePublished")
URL_KEYS = ("url", "link", "canonical_url", "article_url")
SOURCE_KEYS = ("source", "source_domain", "source_name", "sitename", "site_name", "publisher",
               "outlet", "domain")
# Bylines: a string, a list of names, or objects with a name (news-please, Fundus, NewsAPI).
AUTHOR_KEYS = ("author", "authors", "byline", "creator", "creators", "author_name")
# A .json file may wrap its records: {"articles": [...]} (NewsAPI), {"items": [...]} ...
CONTAINER_KEYS = ("articles", "items", "records", "results", "data", "docs")
_NESTED_NAME_KEYS = ("name", "title", "domain", "url")  # "source": {"id": …, "name": …}


def read_bytes(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The file's bytes (uncompressed, for `.gz`), or SkipFile with a reason users can act
    on. `max_bytes` bounds the uncompressed size too, so a gzip bomb is refused."""
    try:
        with _open_regular(path) as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > max_bytes:
                raise SkipFile(f"too large ({size:,} bytes > limit {max_bytes:,})")
            if path.lower().endswith(COMPRESSED_SUFFIX):
                return _read_gzip(fh, max_bytes)
            # Asked for what fstat says (plus one byte, to see a file that grew): a read
            # of max_bytes + 1 allocated (and gave back) a 50 MB buffer for every file.
            data = fh.read(size + 1)
            if len(data) > size:  # it grew since: read on, as far as the limit allows
                data += fh.read(max_bytes + 1 - len(data))
            return data
    except FileNotFoundError:
        raise SkipFile("file vanished during the run") from None
    except PermissionError:
        raise SkipFile("permission denied") from None
    except IsADirectoryError:
        raise SkipFile("is a directory") from None
    except OSError as e:
        raise SkipFile(f"cannot read: {e.strerror or e}") from None


def _open_regular(path: str) -> BinaryIO:
    """Open a regular file for reading; SkipFile for anything else (FIFO, device, socket).

    Checked with stat before opening, as discovery did: opening a FIFO blocks until some
    writer comes. The file may have been swapped since, so it is opened non-blocking and
    checked again on the open descriptor.
    """
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise SkipFile(NOT_REGULAR)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise SkipFile(NOT_REGULAR)
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def _read_gzip(raw: BinaryIO, max_bytes: int) -> bytes:
    import gzip
    import zlib

    try:
        with gzip.GzipFile(fileobj=raw, mode="rb") as fh:
            data = fh.read(max_bytes + 1)
    except (OSError, EOFError, zlib.error) as e:  # not gzip, truncated, corrupt
        raise SkipFile(f"cannot decompress: {e}") from None
    if len(data) > max_bytes:
        raise SkipFile(f"too large uncompressed (> limit {max_bytes:,} bytes)")
    return data


def parse_bytes(path: str, data: bytes, first_line: int = 1) -> list[RawDoc]:
    """Decode one file's bytes (uncompressed) and split them into raw records by format.
    `first_line`: the line number `data` starts at, when it is a chunk of a big .jsonl."""
    text = decode_bytes(data)
    suffix = article_suffix(path)
    if suffix in (".html", ".htm"):
        return [read_html(path, text)]
    if suffix == ".json":
        return _read_json(path, text)
    if suffix == ".jsonl":
        return _read_jsonl(path, text, first_line)
    return [_read_text(path, text)]


def read_file(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> list[RawDoc]:
    """Read and decode one article file. Raises SkipFile with the reason."""
    return parse_bytes(path, read_bytes(path, max_bytes))


def _first(rec: dict, keys: tuple[str, ...]) -> str | None:
    for k in keys:
        v = rec.get(k)
        if isinstance(v, dict):
            v = next((v[n] for n in _NESTED_NAME_KEYS if isinstance(v.get(n), str)), None)
        if isinstance(v, list):  # e.g. Fundus/news-please body as a list of paragraphs
            v = "\n\n".join(str(x) for x in v if x)
        if isinstance(v, int | float) and not isinstance(v, bool):
            v = str(v)
        if isinstance(v, str) and v.strip():
            return clean_text(v).strip()
    return None


def _author(rec: dict) -> str | None:
    for k in AUTHOR_KEYS:
        if (found := authors(rec.get(k))) is not None:
            return found
    return None


def record_to_raw(rec: dict, path: str, part: int | None, line: int | None = None
                  ) -> RawDoc:
    """Map a scraper's JSON object onto a RawDoc (field names as SPEC lists). `part` is
    the record's key in its file (a .jsonl line number, a .json list index); `line` where
    a user finds it, by default the 1-based record number `part + 1`."""
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
        author=_author(rec),
        line=line if line is not None else (None if part is None else part + 1),
    )


def _read_json(path: str, text: str) -> list[RawDoc]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise SkipFile(f"invalid JSON: {e.msg} at line {e.lineno}") from None
    except RecursionError:
        raise SkipFile("invalid JSON: nested too deep") from None
    if isinstance(data, dict) and not any(k in data for k in TITLE_KEYS + BODY_KEYS):
        data = next((data[k] for k in CONTAINER_KEYS if isinstance(data.get(k), list)), data)
    if not isinstance(data, list):
        return [record_to_raw(data, path, None)]
    docs = []
    for i, rec in enumerate(data):
        try:
            docs.append(record_to_raw(rec, path, i))
        except SkipFile:
            continue  # one record without text must not cost the file's other records
    if not docs:
        raise SkipFile("no article records in JSON list")
    return docs


def _read_jsonl(path: str, text: str, first_line: int = 1) -> list[RawDoc]:
    docs: list[RawDoc] = []
    bad = 0
    first_bad = ""
    for i, line in enumerate(text.split("\n"), start=first_line):
        if not line.strip():
            continue
        try:
            docs.append(record_to_raw(json.loads(line), path, i, line=i))
            continue
        except json.JSONDecodeError as e:
            why = f"invalid JSON: {e.msg}"
        except RecursionError:
            why = "invalid JSON: nested too deep"
        except SkipFile as e:
            why = str(e)
        bad += 1  # one bad line must not cost the file's other records
        first_bad = first_bad or f"line {i}: {why}"
    if not docs:
        raise SkipFile(f"no valid JSON records ({bad} bad lines; {first_bad})")
    if bad:  # kept, but the user should know some lines were dropped
        docs[0].warnings.append(
            f"{bad} line{'s' * (bad > 1)} dropped, not article records ({first_bad})")
    return docs


# YAML front matter of Markdown files saved by scrapers and static-site tools:
# ---\ntitle: …\ndate: …\n---. Only flat `key: value` lines are read; no YAML library needed.
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_FM_LINE = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")


def _read_text(path: str, text: str) -> RawDoc:
    m = _FRONT_MATTER.match(text)
    if m is None:
        return RawDoc(path=path, text=text)
    fields: dict[str, str] = {}
    for line in m.group(1).split("\n"):
        if fm := _FM_LINE.match(line):
            value = fm.group(2)
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            fields.setdefault(fm.group(1), value)
    if not fields:
        return RawDoc(path=path, text=text)
    lang = _first(fields, ("lang", "language"))
    return RawDoc(
        path=path, text=text[m.end():], title=_first(fields, TITLE_KEYS),
        date=_first(fields, DATE_KEYS), url=_first(fields, URL_KEYS),
        source=_first(fields, SOURCE_KEYS), lang=lang, author=_author(fields),
    )
