"""Dates: metadata values, date lines at the top of articles, and relative --since/--until.

Ingest calls this for several lines of every article, so the common cases go through regexes,
`datetime.fromisoformat` and a month-name table built from dateparser's own translation data
(date_words.py). dateparser itself (0.7 s to import, milliseconds per parse) is only a lazy,
memoized fallback. Dates are taken as written in their own time zone; nothing is converted to UTC.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from typing import TYPE_CHECKING

from .date_words import BASE_LANGS, BYLINE, NOISE, norm_lang, tables

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

__all__ = ["ImplausibleDate", "parse_date", "parse_date_line", "parse_relative"]

MIN_DATE = dt.date(1800, 1, 1)
MAX_LINE = 100  # longer lines are prose, not date lines
_MAX_VALUE = 200  # a metadata value longer than this is not a date
_FALLBACK_WORDS = 8  # date lines our fast path missed are short; sentences never go to dateparser
_MAX_NAMES = 4  # capitalised names a date line may hold after a byline word ("By Jane Doe |")

_DIGIT = re.compile(r"[0-9]")
_YEAR4 = re.compile(r"[0-9]{4}")
_LETTERS = re.compile(r"[^\W\d_]{3,}")
_ISO_GATE = re.compile(r"[0-9]{4}-[0-9]")
_ISO_GATE_COMPACT = re.compile(r"[0-9]{4}-?[0-9W]")
_RFC_GATE = re.compile(
    r"(?:[a-z]{3},\s*)?[0-9]{1,2}\s+[a-z]{3}\s+[0-9]{2,4}\s+[0-9]{1,2}:[0-9]{2}", re.I
)
# Clock times (with am/pm and a zone offset) and the ISO "T"; removed before looking for dates.
_TIME = re.compile(
    r"(?<![0-9])[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]+)?)?"
    r"(?:\s*[ap]\.?\s?m\b\.?)?"
    r"(?:\s*(?:z\b|[+\-−][0-9]{2}(?::?[0-9]{2})?(?![0-9])))?"
    r"|\b(?:utc|gmt)\s*[+\-−]\s*[0-9]{1,2}(?::?[0-9]{2})?(?![0-9])"
    r"|(?<=[0-9])t(?=[0-9]{2}:)",
    re.I,
)
# "12.30", "10h30": only safe to drop once the date itself is gone (24.01 looks the same).
_DOT_TIME = re.compile(r"(?<![0-9])[0-9]{1,2}[.h][0-9]{2}(?![0-9])", re.I)
_NUM_YMD = re.compile(r"(?<![0-9])([0-9]{4})([-/.])([0-9]{1,2})\2([0-9]{1,2})(?![0-9])\.?")
_NUM_DMY = re.compile(
    r"(?<![0-9])([0-9]{1,2})(?:([-/.])|\.\s+)([0-9]{1,2})(?:\2|\.\s*)([0-9]{4}|[0-9]{2})(?![0-9])"
)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_SEP = re.compile(r"[|•·—–,:;()/\-]")
# Parts around a month word. Ordinals: 3rd, 1er, 1º, 2e; fillers: "of", "de", "gada", "m.", "г.".
_ORD = r"(?:st|nd|rd|th|er|re|e|º|ª|°)?"
_DAY_BEFORE = re.compile(
    r"(?<![0-9])([0-3]?[0-9])" + _ORD + r"\.?[\s,/-]*(?:(?:of|de|the)\s+)?\Z", re.I
)
_YEAR_AFTER = re.compile(r"\.?[\s,/-]*(?:(?:de|del|of)\s+)?([0-9]{4}|[0-9]{2})(?![0-9])", re.I)
_DAY_YEAR_AFTER = re.compile(
    r"\.?[\s,/-]*([0-3]?[0-9])(?![0-9])" + _ORD + r"\.?[\s,/-]*([0-9]{4}|[0-9]{2})(?![0-9])",
    re.I,
)
_YEAR_DAY_BEFORE = re.compile(  # Latvian: 2022. gada 14. februāris
    r"(?<![0-9])([0-9]{4})\.?\s*(?:(?:gada|g)\.?\s*)?([0-3]?[0-9])\.\s*\Z", re.I
)
_YEAR_BEFORE = re.compile(  # Lithuanian, Hungarian: 2022 m. kovo 9 d., 2022. február 1.
    r"(?<![0-9])([0-9]{4})\.?[\s,/-]*(?:(?:m|r|g|gada|г|год|года)\.?\s*)?\Z", re.I
)
_DAY_AFTER = re.compile(r"\.?[\s,/-]*([0-3]?[0-9])(?![0-9])\.?")
# Chinese/Japanese 2022年2月1日 and Korean 2022년 2월 1일: rewritten to ISO before scanning.
_CJK_YMD = re.compile(
    r"(?<![0-9])([0-9]{4})\s*[年년]\s*([0-9]{1,2})\s*[月월]\s*([0-9]{1,2})\s*[日일]?"
)
# A date line always has a day number; lines without one never go to dateparser.
_DAY_NUMBER = re.compile(r"(?<![0-9])[0-3]?[0-9](?![0-9])")


class ImplausibleDate(ValueError):
    """A date was read but cannot be an article's date (before 1800 or after tomorrow)."""

    def __init__(self, value: dt.date, text: str, reason: str) -> None:
        super().__init__(f"implausible date {value.isoformat()} read from {text!r}: {reason}")
        self.date = value
        self.text = text


# ---------------------------------------------------------------- the fast scanner


def _mkdate(year: str, month: int, day: int, allow2: bool) -> dt.date | None:
    y = int(year)
    if len(year) == 2:
        if not allow2:
            return None
        y += 2000 if 2000 + y <= dt.date.today().year + 1 else 1900
    try:
        return dt.date(y, month, day)
    except ValueError:
        return None


def _numeric(s: str, month_first: bool, allow2: bool) -> tuple[dt.date, int, int] | None:
    """The first all-digit date: Y-M-D, or D.M.Y / D/M/Y (M/D/Y if month_first)."""
    best = None
    for m in _NUM_YMD.finditer(s):
        d = _mkdate(m.group(1), int(m.group(3)), int(m.group(4)), allow2)
        if d is not None:
            best = (d, m.start(), m.end())
            break
    for m in _NUM_DMY.finditer(s):
        if best is not None and m.start() > best[1]:
            break
        a, b, y = int(m.group(1)), int(m.group(3)), m.group(4)
        if month_first:
            a, b = b, a
        # Only one order may be a real date ("28/9/16"); then take it whichever flag was given.
        d = _mkdate(y, b, a, allow2) or _mkdate(y, a, b, allow2)
        if d is not None:
            if best is None or m.start() < best[1]:
                best = (d, m.start(), m.end())
            break
    return best


def _worded(s: str, months: dict[str, int], allow2: bool) -> tuple[dt.date, int, int] | None:
    """The first date with a month name, in the orders languages write them."""
    for w in _WORD.finditer(s):
        num = months.get(w.group().lower().replace("’", "'"))
        if num is None:
            continue
        a, b = w.span()
        before, after = s[:a], s[b:]
        # D M Y: "1 lutego 2022", "3rd of March 2021", "1 de marzo de 2022"
        mb = _DAY_BEFORE.search(before)
        if mb:
            ma = _YEAR_AFTER.match(after)
            if ma and (d := _mkdate(ma.group(1), num, int(mb.group(1)), allow2)):
                return d, mb.start(), b + ma.end()
        # M D Y: "February 18, 2022", "March 3rd, 2021"
        ma = _DAY_YEAR_AFTER.match(after)
        if ma and (d := _mkdate(ma.group(2), num, int(ma.group(1)), allow2)):
            return d, a, b + ma.end()
        # Y D M: "2022. gada 14. februāris"
        mb = _YEAR_DAY_BEFORE.search(before)
        if mb and (d := _mkdate(mb.group(1), num, int(mb.group(2)), False)):
            return d, mb.start(), b
        # Y M D: "2022 m. kovo 9 d."
        mb = _YEAR_BEFORE.search(before)
        if mb:
            ma = _DAY_AFTER.match(after)
            if ma and (d := _mkdate(mb.group(1), num, int(ma.group(1)), False)):
                return d, mb.start(), b + ma.end()
    return None


def _residual_ok(rest: str, words: frozenset[str]) -> bool:
    """Is what is left after removing the date only labels, weekdays, times and bylines?"""
    rest = _DOT_TIME.sub(" ", rest)
    names: list[str] = []
    byline = False
    for tok in _TOKEN.findall(rest):
        low = tok.lower().replace("’", "'")
        if low in BYLINE:
            byline = byline or not names  # only a byline if it comes before the names
            continue
        if low in NOISE or low in words:
            continue
        if _DIGIT.search(tok) or not tok[0].isupper():
            return False  # other numbers, or lowercase prose
        names.append(tok)
    if not names:
        return True
    if byline:
        return len(names) <= _MAX_NAMES
    # "Reuters | 1 Feb 2022", "Kyiv, 24 February 2022": a short proper name set off by punctuation
    return len(names) <= 3 and _SEP.search(rest) is not None


def _scan(s: str, lang: str | None, month_first: bool, allow2: bool) -> tuple[dt.date | None, bool]:
    """(first date found, whether the rest of s is only date-line furniture)."""
    months, words = tables(lang)
    if "年" in s or "년" in s:
        s = _CJK_YMD.sub(lambda m: f" {m.group(1)}-{m.group(2)}-{m.group(3)} ", s)
    rest = _TIME.sub(" ", s)
    first = None
    for _ in range(3):  # "Published 1 Feb 2022, updated 3 Feb 2022": every date is furniture
        num = _numeric(rest, month_first, allow2)
        wrd = _worded(rest, months, allow2)
        hit = num if wrd is None or (num is not None and num[1] <= wrd[1]) else wrd
        if hit is None:
            break
        first = first or hit[0]
        rest = rest[: hit[1]] + " " + rest[hit[2] :]
    if first is None:
        return None, False
    return first, _residual_ok(rest, words)


# ---------------------------------------------------------------- exact formats and fallback


def _iso(s: str, compact: bool) -> dt.date | None:
    gate = _ISO_GATE_COMPACT if compact else _ISO_GATE
    if not gate.match(s):
        return None
    if s[-1] in "Zz":
        s = s[:-1] + "+00:00"
    try:
        return dt.datetime.fromisoformat(s).date()  # an aware value keeps its own local date
    except (ValueError, OverflowError):
        return None


def _rfc2822(s: str) -> dt.date | None:
    if not _RFC_GATE.match(s):
        return None
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(s).date()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


@functools.lru_cache(maxsize=16)
def _dateparser(langs: tuple[str, ...], month_first: bool) -> DateDataParser:
    from dateparser.date import DateDataParser  # 0.7 s: only when a date really needs it

    settings = {
        "PREFER_DAY_OF_MONTH": "first",
        "DATE_ORDER": "MDY" if month_first else "DMY",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "REQUIRE_PARTS": ["day", "month", "year"],
        "PREFER_DATES_FROM": "past",
    }
    try:
        return DateDataParser(languages=list(langs), settings=settings, try_previous_locales=False)
    except ValueError:  # a language dateparser has data for but cannot use
        return DateDataParser(
            languages=list(BASE_LANGS), settings=settings, try_previous_locales=False
        )


def _fallback(s: str, lang: str | None, month_first: bool) -> dt.date | None:
    code = norm_lang(lang)
    langs = BASE_LANGS if code is None else tuple(dict.fromkeys((code, "en")))
    try:
        data = _dateparser(langs, month_first).get_date_data(s)
        obj = data["date_obj"]
    except Exception:  # third-party parser on arbitrary text: any failure means "no date"
        return None
    return obj.date() if isinstance(obj, dt.datetime) else None


# ---------------------------------------------------------------- public API


def _check(d: dt.date | None, text: str) -> dt.date | None:
    if d is None:
        return None
    if d < MIN_DATE:
        raise ImplausibleDate(d, text, f"before {MIN_DATE.isoformat()}")
    limit = dt.date.today() + dt.timedelta(days=1)
    if d > limit:
        raise ImplausibleDate(d, text, f"after tomorrow ({limit.isoformat()})")
    return d


@functools.lru_cache(maxsize=8192)
def _parse_value(s: str, lang: str | None, month_first: bool) -> dt.date | None:
    d = _iso(s, compact=True) or _rfc2822(s)
    if d is not None:
        return d
    d, clean = _scan(s, lang, month_first, allow2=True)
    if d is not None and clean:
        return d
    if _YEAR4.search(s) and _LETTERS.search(s):
        return _fallback(s, lang, month_first)
    return None


@functools.lru_cache(maxsize=8192)
def _parse_line(s: str, lang: str | None, fallback: bool = True) -> dt.date | None:
    d = _iso(s, compact=False)
    if d is not None:
        return d
    d, clean = _scan(s, lang, False, allow2=False)
    if d is not None:
        return d if clean else None  # a date inside prose: not a date line
    if len(s.split()) <= _FALLBACK_WORDS and _LETTERS.search(s) and _DAY_NUMBER.search(s):
        # Our month tables already cover the base languages: for them a miss is final, and
        # skipping dateparser (~1-60 ms) keeps headlines like "Broadband soars in 2004" cheap.
        if fallback and norm_lang(lang) not in BASE_LANGS:
            return _fallback(s, lang, False)
    return None


def parse_date(text: str, lang: str | None = None, *, month_first: bool = False) -> dt.date | None:
    """Read a string that should be a date (metadata value); None if it is not one.

    Numeric D.M.Y / D/M/Y is day first unless `month_first` (and either way, if only one
    order is a valid date, that one). Raises ImplausibleDate before 1800 or after tomorrow.
    """
    if not isinstance(text, str):
        return None
    s = text.strip()
    if not s or len(s) > _MAX_VALUE or not _DIGIT.search(s):
        return None
    return _check(_parse_value(s, lang, month_first), s)


def parse_date_line(
    line: str, lang: str | None = None, *, fallback: bool = True
) -> dt.date | None:
    """The date of an article line that is essentially a date line (label, weekday, time,
    short byline allowed); None for prose, headlines, long lines. May raise ImplausibleDate.
    `fallback=False` skips dateparser (for callers that only want to recognise the line).
    """
    if not isinstance(line, str):
        return None
    s = line.strip()
    if not s or len(s) > MAX_LINE or not _YEAR4.search(s):
        return None
    return _check(_parse_line(s, lang, fallback), s)


_REL_UNIT = {
    "d": "day", "day": "day", "days": "day",
    "w": "week", "wk": "week", "wks": "week", "week": "week", "weeks": "week",
    "mo": "month", "mos": "month", "mth": "month", "mths": "month",
    "month": "month", "months": "month",
    "y": "year", "yr": "year", "yrs": "year", "year": "year", "years": "year",
}  # fmt: skip
_REL_N = re.compile(
    r"(?:(?:last|past|previous)\s+)?([0-9]{1,6}|an?|one)\s*([a-z]+)(?:\s+ago)?", re.ASCII
)
_REL_CAL = re.compile(r"(last|previous|this)\s+(day|week|month|year)", re.ASCII)


def _months_back(d: dt.date, n: int) -> dt.date | None:
    y, m = divmod(d.year * 12 + d.month - 1 - n, 12)
    if y < dt.MINYEAR:
        return None
    return dt.date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def parse_relative(text: str, today: dt.date | None = None) -> dt.date | None:
    """'3 days', '2 weeks ago', 'yesterday', 'last month' -> a date before `today`.

    'last month'/'last year' mean the first day of the previous month/year, 'this week' the
    Monday; 'last week' is 7 days back. Absolute dates are not handled here. Never raises:
    None if not understood or out of the calendar's range.
    """
    if not isinstance(text, str):
        return None
    s = " ".join(text.lower().split())
    if not s or len(s) > 40:
        return None
    today = today or dt.date.today()
    try:
        if s in ("today", "now"):
            return today
        if s == "yesterday":
            return today - dt.timedelta(days=1)
        if m := _REL_CAL.fullmatch(s):
            which, unit = m.groups()
            if which == "this":
                if unit == "day":
                    return today
                if unit == "week":
                    return today - dt.timedelta(days=today.weekday())
                return today.replace(day=1) if unit == "month" else today.replace(month=1, day=1)
            if unit in ("day", "week"):
                return today - dt.timedelta(days=1 if unit == "day" else 7)
            if unit == "month":
                return _months_back(today.replace(day=1), 1)
            return dt.date(today.year - 1, 1, 1)
        if m := _REL_N.fullmatch(s):
            count, unit = m.group(1), _REL_UNIT.get(m.group(2))
            if unit is None:
                return None
            n = int(count) if count.isdigit() else 1
            if unit in ("day", "week"):
                return today - dt.timedelta(days=n * (7 if unit == "week" else 1))
            return _months_back(today, n * (12 if unit == "year" else 1))
    except (OverflowError, ValueError):  # far before year 1
        return None
    return None
