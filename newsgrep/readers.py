"""Read one file into raw records, per format. No cleaning beyond decoding happens here.

Text formats (`.txt`, `.md`) yield the whole decoded text; the normalizer finds the
title, date and source lines in it. Structured formats (`.json`, `.jsonl`, `.html`)
yield the fields they carry.
"""

from __future__ import annotations

import html as htmlmod
import json
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from .article import RawDoc
from .decode import clean_text, decode_bytes
from .discover import COMPRESSED_SUFFIX, NOT_REGULAR, article_suffix
from .errors import SkipFile
from .urls import domain_of

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
            return fh.read(max_bytes + 1)
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
        return [_read_html(path, text)]
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
            docs.append(record_to_raw(json.loads(line), path, i))
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
        source=_first(fields, SOURCE_KEYS), lang=lang,
    )


def _read_html(path: str, html: str) -> RawDoc:
    # trafilatura finds the main text and drops navigation, cookie banners and
    # related-article lists: hand-written rules would not. The page's own metadata
    # (ld+json, Open Graph, <h1>) names title, date and site better than its heuristics,
    # and reading it ourselves is ~35 ms cheaper per page than trafilatura's metadata pass.
    import trafilatura
    from trafilatura.utils import load_html

    try:
        tree = load_html(html)
    except Exception:  # lxml on hostile markup: treat as "no article", never crash the run
        tree = None
    if tree is None:
        raise SkipFile("no article text found in HTML")
    try:
        meta = _page_meta(tree)
    except Exception:  # metadata is a bonus: odd markup must not cost the article text
        meta = PageMeta()
    try:
        doc = trafilatura.bare_extraction(
            tree, url=meta.url, with_metadata=False, include_comments=False,
            include_tables=True, favor_precision=True,
        )
    except Exception:  # third-party extractor on arbitrary markup: treat as "no text"
        doc = None
    # trafilatura 2.x returns a Document, 1.x a dict (pyproject allows both)
    text = doc.get("text") if isinstance(doc, dict) else getattr(doc, "text", None)
    if not (text or meta.title):
        raise SkipFile("no article text found in HTML")
    # Without date metadata: the page's first <time datetime> (what its byline shows), then
    # htmldate (URL path /2022/02/01/, other tags, date expressions near the top).
    date = meta.date or _time_element(tree) or _htmldate(tree, meta.url)
    return RawDoc(
        path=path,
        title=meta.title,
        body=clean_text(text or ""),
        date=date,
        url=meta.url,
        source=meta.site_name,
    )


# ---------------------------------------------------------------- page metadata

# Publication-date fields in the order sites fill them reliably; ld+json comes first.
_META_DATE_KEYS = (
    "article:published_time", "og:published_time", "article:published", "datepublished",
    "publishdate", "publish-date", "publish_date", "pubdate", "parsely-pub-date",
    "sailthru.date", "dc.date.issued", "dc.date", "dcterms.created", "dcterms.date", "date",
)
_ARTICLE_TYPES = ("article", "posting", "report")  # NewsArticle, BlogPosting, Report ...
# An <h1> inside navigation or a breadcrumb trail names the page in the trail (sites put an
# SEO title there, often hidden); it is not the headline the reader sees.
_IN_NAV = ("ancestor-or-self::*[self::nav or contains(@itemtype, 'BreadcrumbList') or "
           "contains(translate(@class, 'BREADCRUMB', 'breadcrumb'), 'breadcrumb')]")
# Separators between a headline and the site name/section in <title>/og:title.
_TITLE_TAIL = re.compile(r"^(.{8,}?)\s+(?:[|·•»–—-]|::)\s+([^|·•»–—]{1,60})$")
_ALNUM = re.compile(r"[\W_]+")


@dataclass
class PageMeta:
    title: str | None = None
    date: str | None = None
    url: str | None = None
    site_name: str | None = None


def _ws(s: object) -> str:
    # clean_text after unescaping: `&shy;` in a headline is a soft hyphen only now, and
    # left in it would make two equal headlines compare unequal.
    if not isinstance(s, str):
        return ""
    return " ".join(clean_text(htmlmod.unescape(s)).split())


def _ld_objects(tree) -> list[dict]:
    """Every JSON object in the page's ld+json blocks (including @graph members)."""
    out: list[dict] = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "", strict=False)
        except (ValueError, RecursionError):
            continue
        stack = [data]
        while stack and len(out) < 200:
            x = stack.pop()
            if isinstance(x, list):
                stack.extend(reversed(x))
            elif isinstance(x, dict):
                out.append(x)
                if isinstance(x.get("@graph"), list):
                    stack.extend(reversed(x["@graph"]))
    return out


def _is_article(obj: dict) -> bool:
    t = obj.get("@type")
    types = t if isinstance(t, list) else [t]
    return any(isinstance(x, str) and any(a in x.lower() for a in _ARTICLE_TYPES)
               for x in types)


def _name_key(s: str) -> str:
    return _ALNUM.sub("", s.lower())


def _strip_site(title: str, names: set[str]) -> str:
    """'Headline | Site' / 'Headline - Site.de' / 'Headline | DW | 28.04.2023' -> 'Headline'."""
    for _ in range(3):
        m = _TITLE_TAIL.match(title)
        if not m:
            break
        tail = m.group(2).strip()
        key = _name_key(tail)
        is_site = bool(key) and any(
            key == n or (len(n) >= 3 and (key.startswith(n) or n.startswith(key)))
            for n in names
        )
        if not (is_site or key.isdigit() or tail.lower().startswith("by ")):
            break
        title = m.group(1).strip()
    return title


_SUFFIX_SEPS = "|-–—:：｜·•*/"


def _drop_suffix(title: str, others: list[str]) -> str:
    """'Headline | Sport' -> 'Headline' when another candidate is just 'Headline'."""
    for other in others:
        if len(other) >= 8 and len(other) < len(title) and title.startswith(other):
            rest = title[len(other):].lstrip()
            if rest[:1] in _SUFFIX_SEPS:
                return other
    return title


_KICKER_SEPS = ":|-–—/"


def _kicker_split(title: str, headline: str) -> bool:
    """Whether `title` is `headline` behind a kicker: 'Iran attacks Israel: <headline>'.

    The kicker (German "Dachzeile", English "eyebrow") is the short topic label news pages
    print above or before the headline; it must be shorter than the headline it labels.
    """
    n = len(headline)
    if n < 10 or n >= len(title) or not title.endswith(headline) or not title[-n - 1].isspace():
        return False
    head = title[:-n].rstrip()
    kicker = head[:-1].strip()
    return head[-1:] in _KICKER_SEPS and 0 < len(kicker) < n and len(kicker) <= 60


def _shared_headline(title: str, h1: str) -> str:
    """Metadata 'Kicker A: Headline' and visible <h1> 'Kicker B - Headline' -> 'Headline'.

    When the page shows a different kicker than its metadata puts before the same words,
    the kickers are interchangeable topic labels and the shared words are the headline.
    """
    n = 0
    while n < min(len(title), len(h1)) and title[-1 - n] == h1[-1 - n]:
        n += 1
    shared = title[len(title) - n:].lstrip(_KICKER_SEPS + " ")
    if _kicker_split(title, shared) and _kicker_split(h1, shared):
        k1, k2 = _name_key(title[:-len(shared)]), _name_key(h1[:-len(shared)])
        if k1 and k2 and k1 not in k2 and k2 not in k1:
            return shared
    return title


Heading = tuple[str, list[str]]  # a heading's text, and the texts of its parts in order


def _headings(tree) -> Iterator[Heading]:
    """The <h1>/<h2> headings outside navigation, each with its parts.

    Parts are the heading's child elements and loose text runs, so a heading printed as
    <span>Kicker</span><span>Headline</span> gives ['Kicker', 'Headline'].
    """
    for h in tree.xpath("//h1|//h2"):
        if h.xpath(_IN_NAV):
            continue
        parts = [_ws(h.text)]
        for child in h:
            if isinstance(child.tag, str) and child.tag not in ("meta", "link", "script", "style"):
                parts.append(_ws(child.text_content()))
            parts.append(_ws(child.tail))
        yield _ws(h.text_content()), [x for x in parts if x]


def _shows(heading: Heading, title: str) -> bool:
    """Whether the heading prints `title`: whole, as its headline part after a kicker part,
    or as kicker and headline parts that `title` joins with a separator ('Kicker: Headline')."""
    text, parts = heading
    if title == text:
        return True
    if len(parts) < 2:
        return False
    # The kicker part may carry its own (often visually hidden) separator: '49-Euro-Ticket :'
    kicker, headline = parts[0].rstrip(_KICKER_SEPS + " "), parts[-1]
    if title == headline:
        return True
    if len(title) < len(kicker) + len(headline):
        return False
    middle = title[len(kicker):len(title) - len(headline)].strip()
    return (title.startswith(kicker) and title.endswith(headline)
            and (middle == "" or (len(middle) == 1 and middle in _KICKER_SEPS)))


def _shown_rank(title: str, h1: str, headings: list[Heading]) -> int:
    """2: the page's visible <h1>; 1: printed by another heading; 0: not on the page."""
    if title == h1:
        return 2
    return int(any(_shows(h, title) for h in headings))


def pick_title(ld_headline: str = "", og_title: str = "", h1: str = "",
               twitter_title: str = "", title_tag: str = "",
               site_names: Iterable[str] = (), headings: Iterable[Heading] = ()) -> str | None:
    """The headline a reader sees, chosen among a page's title fields.

    The fields are the ld+json `headline`, the Open Graph title, the page's first <h1>
    outside navigation, the Twitter title and <title>, as written in the page.
    `site_names` are `_name_key`s of the site's names, whose suffixes are removed;
    `headings` are the page's <h1>/<h2> headings outside navigation (see `_headings`),
    read only when the ld+json headline and the Open Graph title differ.
    """
    names = set(site_names)
    ld, og, h1, tw, tag = (_strip_site(_ws(c), names) if c else ""
                           for c in (ld_headline, og_title, h1, twitter_title, title_tag))
    cands = [c for c in (ld, og, h1, tw, tag) if c]
    if not cands:
        return None
    # The article's own ld+json headline first; 'Headline | Section' loses the section when
    # another field holds the bare headline.
    title = _drop_suffix(cands[0], cands[1:])
    # When the ld+json headline and the Open Graph title disagree, the one the page prints
    # as its headline (the <h1>, else another heading) is what the reader sees; the other
    # was written for search engines or share cards ("11 Best Sleeping Bags (2024): …" in
    # ld+json, "The Best Sleeping Bags for Every Adventure" in og:title and <h1>).
    if og and og != title:
        heads = list(headings)
        if _shown_rank(og, h1, heads) > _shown_rank(title, h1, heads):
            title = og
    # The Open Graph title is the headline without the kicker the other fields put first
    # ("Neue Leipziger Schule: Judy Lybke, …" -> "Judy Lybke, …"): the kicker is a topic
    # label printed above the headline, not part of it.
    if og and _kicker_split(title, og):
        title = og
    return _shared_headline(title, h1) if h1 else title


def _page_meta(tree) -> PageMeta:
    """Title, publication date, canonical URL and site name from the page's own metadata."""
    meta: dict[str, str] = {}
    for el in tree.xpath("//meta[@content]"):
        key = el.get("property") or el.get("name") or el.get("itemprop")
        if key:
            meta.setdefault(key.strip().lower(), el.get("content") or "")
    objs = _ld_objects(tree)
    arts = [o for o in objs if _is_article(o)] or [o for o in objs if "headline" in o]
    art = arts[0] if arts else {}

    url = None
    for href in tree.xpath('//link[@rel="canonical"]/@href'):
        if href.startswith("http"):
            url = href.strip()
            break
    url = url or (meta.get("og:url") or "").strip() or None
    if url is None and isinstance(art.get("url"), str) and art["url"].startswith("http"):
        url = art["url"]

    pub = art.get("publisher")
    pub_name = pub.get("name") if isinstance(pub, dict) else None
    site = _ws(meta.get("og:site_name")) or _ws(pub_name) or _ws(meta.get("application-name"))

    names = {_name_key(x) for x in (site, _ws(pub_name), meta.get("twitter:site", "").lstrip("@"))}
    if url:
        host = domain_of(url) or ""
        names |= {_name_key(host), *(_name_key(p) for p in host.split(".")[-3:-1])}
    names.discard("")

    h1 = next((t for h in tree.xpath("//h1")
               if not h.xpath(_IN_NAV) and (t := _ws(h.text_content()))), "")
    title_tag = next((t for h in tree.xpath("//title") if (t := _ws(h.text_content()))), "")
    title = pick_title(_ws(art.get("headline")), _ws(meta.get("og:title")), h1,
                       _ws(meta.get("twitter:title")), title_tag, names, _headings(tree))
    # Microdata on any element: <time itemprop="datePublished" datetime="…">
    micro = [el.get("datetime") or el.get("content") or el.text_content()
             for el in tree.xpath('//*[@itemprop="datePublished"]')[:1]]
    date = None
    for value in (art.get("datePublished"), art.get("dateCreated"),
                  *(meta.get(k) for k in _META_DATE_KEYS), *micro):
        if isinstance(value, str) and value.strip():
            date = value.strip()
            break
    return PageMeta(title=title, date=date, url=url, site_name=site or None)


# Dates in navigation, asides and footers belong to other articles or to the site.
_OUTSIDE_ARTICLE = "ancestor::*[self::nav or self::aside or self::footer]"
_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")


def _time_element(tree) -> str | None:
    """The datetime of the page's first <time> outside navigation, asides and footers.

    htmldate ranks ld+json `dateModified` above it, which gives the date of the last edit
    (on Fundus pages stripped of their publication metadata: 214 -> 232 of 257 right).
    """
    try:
        for el in tree.xpath("//time[@datetime]"):
            value = (el.get("datetime") or "").strip()
            # A year, or it is a time of day or a duration ("PT5M"): not the date
            if _YEAR.search(value) and not el.xpath(_OUTSIDE_ARTICLE):
                return value
    except Exception:  # lxml on hostile markup: no date rather than a crash
        return None
    return None


def _htmldate(tree, url: str | None = None) -> str | None:
    """htmldate's guess, for pages that carry no date metadata; `url` lets it read the
    date in the URL path (/2022/02/01/)."""
    try:
        from copy import deepcopy

        from htmldate import find_date

        # Without the page's navigation, asides and footer: their dates are other articles'
        # (a related story's <time>) or the site's (an update stamp, the copyright year).
        tree = deepcopy(tree)
        for el in tree.xpath("//nav|//aside|//footer"):
            if el.getparent() is not None:
                el.getparent().remove(el)
        return find_date(tree, extensive_search=False, original_date=True, url=url)
    except Exception:  # third-party heuristics on arbitrary markup: no date rather than a crash
        return None
