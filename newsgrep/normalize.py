"""Raw record -> clean Article: title, date, source/url, language, body without furniture."""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

from .article import Article, article_id
from .dates import ImplausibleDate, parse_date, parse_date_line
from .furniture import strip_furniture
from .language import detect_language
from .readers import RawDoc

# "Source:" in the languages SPEC lists and their neighbours. Hand-written because no
# library knows these labels; the value may be a Markdown link, a URL or a plain name.
_SOURCE_LABELS = (
    "source", "sources", "quelle", "źródło", "zrodlo", "źródła", "avots", "šaltinis",
    "saltinis", "allikas", "источник", "джерело", "fonte", "fuente", "bron", "kilde",
    "källa", "lähde", "zdroj", "forrás", "izvor", "kaynak", "sursa", "πηγή", "source originale",
)
_SOURCE_LINE = re.compile(
    r"^[*_]*(?:" + "|".join(re.escape(s) for s in _SOURCE_LABELS)
    + r")[*_]*\s*[:：]\s*[*_]*(.+?)[*_]*$",
    re.IGNORECASE,
)
_MD_LINK = re.compile(r"^\[([^\]]*)\]\(\s*(\S+?)\s*\)")
_URL = re.compile(r"^<?(https?://[^\s<>]+?)>?$", re.IGNORECASE)
_HEADING_MARKS = re.compile(r"^(?:#{1,6}\s+|\*\*)|\*\*$")

# Lines near the top that may hold the date (after the title) and near the bottom that
# may hold a bare URL: scraped articles put them there.
_HEAD_LINES = 5
_TAIL_LINES = 4


def domain_of(url: str | None) -> str | None:
    """The URL's host without `www.`, lower case; None for things that are not URLs."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    return host[4:] if host.startswith("www.") else host


def parse_source_value(value: str) -> tuple[str | None, str | None]:
    """`[Site](url)` / `https://site/...` / `Site name` -> (source name, url)."""
    value = value.strip()
    if m := _MD_LINK.match(value):
        name, url = m.group(1).strip(), m.group(2)
        return (name or domain_of(url)), url
    if m := _URL.match(value):
        return domain_of(m.group(1)), m.group(1)
    if "." in value and " " not in value and domain_of(value):
        return value, None  # "BalticWord.com": a site name written as its domain
    return (value or None), None


def _source_line(line: str) -> tuple[str | None, str | None] | None:
    if len(line) > 300:
        return None
    m = _SOURCE_LINE.match(line)
    if not m:
        return None
    return parse_source_value(m.group(1))


def _bare_url(line: str) -> str | None:
    m = _URL.match(line)
    return m.group(1) if m and domain_of(m.group(1)) else None


def _clean_title(line: str) -> str:
    return _HEADING_MARKS.sub("", line).strip() or line.strip()


def normalize(raw: RawDoc) -> Article:
    """Turn what a reader found into an Article. Never raises on odd text."""
    warnings: list[str] = []
    title = raw.title
    date_str = raw.date
    source, url = raw.source, raw.url
    if raw.text is not None:
        paras = [ln.strip() for ln in raw.text.split("\n")]
        paras = [p for p in paras if p]
    else:
        paras = [p.strip() for p in (raw.body or "").split("\n") if p.strip()]

    lang = raw.lang if raw.lang and len(raw.lang) == 2 else None
    if lang is None:
        lang = detect_language(" ".join(paras[:40]))

    date = None
    if date_str:
        try:
            date = parse_date(date_str, lang, month_first=_month_first(date_str))
        except ImplausibleDate as e:
            warnings.append(str(e))

    if raw.text is not None:
        # Leading bare URL line: the article's own link, written above the title.
        while paras and (u := _bare_url(paras[0])):
            url = url or u
            paras.pop(0)
        if paras and not title:
            title = _clean_title(paras.pop(0))

    # Date, source and URL lines near the top.
    keep: list[str] = []
    for i, p in enumerate(paras):
        if i < _HEAD_LINES and date is None and not warnings:
            try:
                d = parse_date_line(p, lang)
            except ImplausibleDate as e:
                warnings.append(str(e))
                continue
            if d is not None:
                date = d
                continue
        if i < _HEAD_LINES or i >= len(paras) - _TAIL_LINES - 2:
            if (s := _source_line(p)) is not None:
                source = source or s[0]
                url = url or s[1]
                continue
            if (u := _bare_url(p)) is not None and (i < 2 or i >= len(paras) - _TAIL_LINES):
                url = url or u
                continue
        keep.append(p)

    if source is None and url:
        source = domain_of(url)
    body_paras = strip_furniture(keep)
    if not title:
        title = body_paras[0][:200] if body_paras else os.path.basename(raw.path)
    return Article(
        id=article_id(raw.path, raw.part),
        path=raw.path,
        title=title,
        body="\n\n".join(body_paras),
        date=date,
        source=source,
        url=url,
        lang=lang,
        warnings=warnings,
    )


def _month_first(value: str) -> bool:
    """Slash dates in scraper metadata (`9/28/16`) are US month-first unless they cannot be."""
    m = re.fullmatch(r"\s*(\d{1,2})/(\d{1,2})/(\d{2,4})\s*", value)
    return bool(m) and int(m.group(1)) <= 12
