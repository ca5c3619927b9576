"""Credit lines: "Source: [Site](url)" and the article's own bare URL, in an article's text.

Scraped articles name where they were first published in a line near the top or the bottom;
normalize.py decides which lines to ask about, this module says what a line holds.
"""

from __future__ import annotations

import re

from .urls import domain_of

# "Source:" in the languages SPEC lists and their neighbours. Hand-written because no
# library knows these labels; the value may be a Markdown link, a URL or a plain name.
_SOURCE_LABELS = (
    "source", "sources", "original source", "source originale", "quelle", "quellen",
    "źródło", "zrodlo", "źródła", "avots", "šaltinis", "saltinis", "allikas", "источник",
    "джерело", "крыніца", "fonte", "fuente", "bron", "kilde", "källa", "lähde", "zdroj",
    "forrás", "izvor", "kaynak", "sursa", "πηγή", "originally published (?:at|in|on|by)",
    "first published (?:at|in|on|by)", "original article", "via",
)
_SOURCE_LINE = re.compile(
    r"^[*_]*(?:" + "|".join(s if "(" in s else re.escape(s) for s in _SOURCE_LABELS)
    + r")[*_]*\s*[:：]\s*[*_]*(.+?)[*_]*$",
    re.IGNORECASE,
)
# [Name](url) and [Name](<url> "title"), the forms Markdown writers produce.
_MD_LINK = re.compile(r"^\[([^\]]*)\]\(\s*<?(\S+?)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)")
_URL = re.compile(r"^<?(https?://[^\s<>]+?)>?$", re.IGNORECASE)
_NAME_THEN_URL = re.compile(r"^(.{1,80}?)[\s,(\-–—|:]+<?(https?://[^\s<>()]+?)>?\)?$", re.I)
_LINK_URL = re.compile(r"\(?<?https?://\S+")
_MAX_SOURCE_VALUE = 120  # a longer "Source: …" is a sentence about sources, not a credit line


def parse_source_value(value: str) -> tuple[str | None, str | None]:
    """`[Site](url)` / `https://site/...` / `Site (url)` / `Site name` -> (source name, url)."""
    value = value.strip().strip("*_").strip()
    if m := _MD_LINK.match(value):
        name, url = m.group(1).strip().strip("*_"), m.group(2)
        return (name or domain_of(url)), url
    if m := _URL.match(value):
        return domain_of(m.group(1)), m.group(1)
    if m := _NAME_THEN_URL.match(value):
        return m.group(1).strip(" ,-–—|:(") or domain_of(m.group(2)), m.group(2)
    if "." in value and " " not in value and domain_of(value):
        return value, None  # "BalticWord.com": a site name written as its domain
    return (value or None), None


def source_line(line: str) -> tuple[str | None, str | None] | None:
    """(source name, url) when `line` is a "Source: …" credit line, else None."""
    # Only the words count towards the length limit: article URLs can be long.
    words = _LINK_URL.sub("", line)
    if len(words) > _MAX_SOURCE_VALUE + 30 or len(line) > 4000:
        return None
    m = _SOURCE_LINE.match(line)
    if not m or len(_LINK_URL.sub("", m.group(1))) > _MAX_SOURCE_VALUE:
        return None
    return parse_source_value(m.group(1))


def bare_url(line: str) -> str | None:
    """The URL when `line` is nothing but a link (bare or Markdown), else None."""
    m = _URL.match(line)
    if m is None and line.startswith("[") and (md := _MD_LINK.fullmatch(line)):
        m = _URL.match(md.group(2))  # a lone Markdown link to the article
    return m.group(1) if m and domain_of(m.group(1)) else None
