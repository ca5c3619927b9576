"""Raw record -> clean Article: title, date, source/url, language, body without furniture."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field

from .article import Article, RawDoc, article_id, record_label
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
            id=article_id(raw.path, raw.part), path=raw.path, line=raw.line,
            author=raw.author,
            title=(raw.title or (lines[0] if lines else "") or _fallback_title(raw.path)),
            body="\n\n".join(lines),
            warnings=[*raw.warnings, f"normalizer error: {type(e).__name__}"],
        )


def _fallback_title(path: str) -> str:
    return os.path.basename(path) or "(untitled)"


@dataclass
class _Draft:
    """The article as the stages below build it: the fields found so far, and the lines of
    text no stage has claimed yet (they become the body)."""

    paras: list[str]
    title: str | None = None
    source: str | None = None
    url: str | None = None
    lang: str | None = None
    date: dt.date | None = None
    # This run's notes only: stages that ask "no warning yet?" must not see the reader's.
    warnings: list[str] = field(default_factory=list)


def _normalize(raw: RawDoc) -> Article:
    d = _draft(raw)
    d.lang = _lang_code(raw.lang) or detect_language(" ".join(d.paras[:20]))
    if raw.date:
        d.date = _meta_date(raw.date, d.lang, d.warnings)
    if raw.text is not None:
        _take_head_lines(d)
    elif d.title and d.paras and _clean_title(d.paras[0]) == d.title:
        d.paras.pop(0)  # extractors often repeat the headline as the body's first line
    _take_credit_lines(d)
    _settle_source(d)
    body = strip_furniture(d.paras)
    return Article(
        id=article_id(raw.path, raw.part),
        path=raw.path,
        title=_final_title(d.title, body, raw.path),
        body="\n\n".join(body),
        date=d.date,
        source=d.source,
        url=d.url,
        lang=d.lang,
        author=raw.author,
        line=raw.line,
        # A note about one record of a file of many names it ("line 17: ..."); the
        # reader's notes are about the whole file.
        warnings=raw.warnings + ([f"{record_label(raw.path, raw.line)}: {w}"
                                  for w in d.warnings] if raw.line else d.warnings),
    )


def _draft(raw: RawDoc) -> _Draft:
    """The reader's fields cleaned like decoded text, and its text as non-blank lines."""
    text = raw.text if raw.text is not None else (raw.body or "")
    return _Draft(
        paras=[p for p in (ln.strip() for ln in text.split("\n")) if p],
        title=clean_text(raw.title).strip() if raw.title else None,
        # Metadata from HTML entities may hold characters the decoder never saw (&#27;).
        source=(clean_text(raw.source).strip() or None) if raw.source else None,
        url=(clean_text(raw.url).strip() or None) if raw.url else None,
    )


def _take_head_lines(d: _Draft) -> None:
    """Plain text: the article's own URL and a date line may stand above the title, which
    is the first line left."""
    # Leading bare URL line: the article's own link, written above the title.
    while d.paras and (u := bare_url(d.paras[0])):
        d.url = d.url or u
        d.paras.pop(0)
    # A date line written above the title ("1 lutego 2022" / "Title").
    if len(d.paras) > 1 and d.date is None and not d.warnings:
        try:
            if (day := parse_date_line(d.paras[0], d.lang)) is not None:
                d.date = day
                d.paras.pop(0)
        except ImplausibleDate as e:
            d.warnings.append(str(e))
            d.paras.pop(0)
    if d.paras and not d.title:
        d.title = _clean_title(d.paras.pop(0))


def _take_credit_lines(d: _Draft) -> None:
    """Date, source and URL lines near the top; Source and URL lines near the bottom."""
    keep: list[str] = []
    n = len(d.paras)
    for i, p in enumerate(d.paras):
        head = i < _HEAD_LINES
        tail = i >= n - _TAIL_LINES
        if head and not d.warnings:
            # A date line is dropped from the body even when metadata already gave the date
            # ("Publié le 28 mars 2022" under an HTML headline); then dateparser is not needed.
            try:
                day = parse_date_line(p, d.lang, fallback=d.date is None)
            except ImplausibleDate as e:
                if d.date is None:
                    d.warnings.append(str(e))
                continue
            if day is not None:
                d.date = d.date or day
                continue
        if head or tail:
            if (s := source_line(p)) is not None:
                d.source = d.source or s[0]
                d.url = d.url or s[1]
                continue
            if (u := bare_url(p)) is not None and (i < 2 or i >= n - _TAIL_URL_LINES):
                d.url = d.url or u
                continue
        keep.append(p)
    d.paras = keep


def _settle_source(d: _Draft) -> None:
    """Without a source name, the URL's site is the source; 'www.site.com' is 'site.com'."""
    if d.source is None and d.url:
        d.source = domain_of(d.url)
    elif d.source and d.source.lower().startswith("www.") and " " not in d.source:
        d.source = domain_of(d.source) or d.source  # from a source_domain field


def _final_title(title: str | None, body: list[str], path: str) -> str:
    """The title on one line and of sane length; else the body's first line, the file name."""
    if not title:
        title = body[0] if body else _fallback_title(path)
    return " ".join(title.split())[:_MAX_TITLE] or _fallback_title(path)


def _month_first(value: str) -> bool:
    """Slash dates in scraper metadata (`9/28/16`) are US month-first unless they cannot be."""
    m = re.fullmatch(r"\s*(\d{1,2})/(\d{1,2})/(\d{2,4})\s*", value)
    return m is not None and int(m.group(1)) <= 12
