"""Raw record -> clean Article: title, date, source/url, language, body without furniture."""

from __future__ import annotations

import datetime as dt
import os
import re

from .article import Article, RawDoc, article_id
from .dates import ImplausibleDate, parse_date, parse_date_line
from .decode import clean_text
from .furniture import strip_furniture
from .language import detect_language
from .sources import bare_url, source_line
from .urls import domain_of  # also re-exported: the engines import it from here for now

_HEADING_MARKS = re.compile(r"^(?:#{1,6}\s+|\*\*)|\*\*$")
_EPOCH = re.compile(r"\d{10}(?:\d{3})?(?:\.\d+)?")

# Lines near the top that may hold the date (after the title) and near the bottom that
# may hold the Source line or a bare URL: scraped articles put them there. The tail window
# is wide because the Source line often sits above a "Read also" list and a comment form.
_HEAD_LINES = 5
_TAIL_LINES = 12
_TAIL_URL_LINES = 4
_MAX_TITLE = 300


def _clean_title(line: str) -> str:
    return _HEADING_MARKS.sub("", line).strip().strip("*_").strip() or line.strip()


def _lang_code(value: str | None) -> str | None:
    """'en', 'en-US', 'pt_BR' -> ISO 639-1; anything else -> None."""
    if not isinstance(value, str):
        return None
    code = value.strip().lower().replace("_", "-").split("-")[0]
    return code if len(code) == 2 and code.isalpha() and code.isascii() else None


def _meta_date(value: str, lang: str | None, warnings: list[str]) -> dt.date | None:
    """A record's date field: ISO/RFC/worded strings, or Unix seconds/milliseconds."""
    value = value.strip()
    try:
        if _EPOCH.fullmatch(value):
            secs = float(value) / (1000 if len(value.split(".")[0]) == 13 else 1)
            d = dt.datetime.fromtimestamp(secs, dt.UTC).date()
            return parse_date(d.isoformat())
        return parse_date(value, lang, month_first=_month_first(value))
    except ImplausibleDate as e:
        warnings.append(str(e))
    except (ValueError, OverflowError, OSError):
        pass
    return None


def normalize(raw: RawDoc) -> Article:
    """Turn what a reader found into an Article. Never raises on odd text."""
    try:
        return _normalize(raw)
    except Exception as e:  # pragma: no cover - a bug here must cost a field, not the article
        text = raw.text if raw.text is not None else (raw.body or "")
        lines = [ln.strip() for ln in str(text).split("\n") if ln.strip()]
        return Article(
            id=article_id(raw.path, raw.part), path=raw.path,
            title=(raw.title or (lines[0] if lines else "") or _fallback_title(raw.path)),
            body="\n\n".join(lines),
            warnings=[*raw.warnings, f"normalizer error: {type(e).__name__}"],
        )


def _fallback_title(path: str) -> str:
    return os.path.basename(path) or "(untitled)"


def _normalize(raw: RawDoc) -> Article:
    warnings: list[str] = []
    title = clean_text(raw.title).strip() if raw.title else None
    # Metadata from HTML entities may hold characters the decoder never saw (&#27;).
    source = (clean_text(raw.source).strip() or None) if raw.source else None
    url = (clean_text(raw.url).strip() or None) if raw.url else None
    text = raw.text if raw.text is not None else (raw.body or "")
    paras = [p for p in (ln.strip() for ln in text.split("\n")) if p]

    lang = _lang_code(raw.lang)
    if lang is None:
        # The first lines are enough: the identifier reads only the first 500 characters.
        lang = detect_language(" ".join(paras[:20]))

    date = _meta_date(raw.date, lang, warnings) if raw.date else None

    if raw.text is not None:
        # Leading bare URL line: the article's own link, written above the title.
        while paras and (u := bare_url(paras[0])):
            url = url or u
            paras.pop(0)
        # A date line written above the title ("1 lutego 2022" / "Title").
        if paras and len(paras) > 1 and date is None and not warnings:
            try:
                if (d := parse_date_line(paras[0], lang)) is not None:
                    date = d
                    paras.pop(0)
            except ImplausibleDate as e:
                warnings.append(str(e))
                paras.pop(0)
        if paras and not title:
            title = _clean_title(paras.pop(0))
    elif title and paras and _clean_title(paras[0]) == title:
        paras.pop(0)  # extractors often repeat the headline as the body's first line

    # Date, source and URL lines near the top; Source and URL lines near the bottom.
    keep: list[str] = []
    n = len(paras)
    for i, p in enumerate(paras):
        head = i < _HEAD_LINES
        tail = i >= n - _TAIL_LINES
        if head and not warnings:
            # A date line is dropped from the body even when metadata already gave the date
            # ("Publié le 28 mars 2022" under an HTML headline); then dateparser is not needed.
            try:
                d = parse_date_line(p, lang, fallback=date is None)
            except ImplausibleDate as e:
                if date is None:
                    warnings.append(str(e))
                continue
            if d is not None:
                date = date or d
                continue
        if head or tail:
            if (s := source_line(p)) is not None:
                source = source or s[0]
                url = url or s[1]
                continue
            if (u := bare_url(p)) is not None and (i < 2 or i >= n - _TAIL_URL_LINES):
                url = url or u
                continue
        keep.append(p)

    if source is None and url:
        source = domain_of(url)
    elif source and source.lower().startswith("www.") and " " not in source:
        source = domain_of(source) or source  # "www.site.com" from a source_domain field
    body_paras = strip_furniture(keep)
    if not title:
        title = body_paras[0] if body_paras else _fallback_title(raw.path)
    title = " ".join(title.split())[:_MAX_TITLE] or _fallback_title(raw.path)
    return Article(
        id=article_id(raw.path, raw.part),
        path=raw.path,
        title=title,
        body="\n\n".join(body_paras),
        date=date,
        source=source,
        url=url,
        lang=lang,
        warnings=raw.warnings + warnings,
    )


def _month_first(value: str) -> bool:
    """Slash dates in scraper metadata (`9/28/16`) are US month-first unless they cannot be."""
    m = re.fullmatch(r"\s*(\d{1,2})/(\d{1,2})/(\d{2,4})\s*", value)
    return bool(m) and int(m.group(1)) <= 12
