"""What the user asked for, engine-neutral: query text plus filters, validated.

The query string itself is parsed by the engine (it owns the field analysis); this
module turns CLI-style options (dates, relative dates, sources) into a SearchRequest.
"""

from __future__ import annotations

import calendar
import os
import re
from dataclasses import dataclass, field
from datetime import date

from .errors import NewsgrepError

SORTS = ("relevance", "newest", "oldest")


@dataclass
class SearchRequest:
    query: str
    any_words: bool = False
    date_from: date | None = None
    date_to: date | None = None
    sources: list[str] = field(default_factory=list)
    lang: str | None = None
    limit: int | None = 10
    sort: str = "relevance"
    snippets: int = 3  # fragments per hit; 0 = none (faster, for -l / --count)
    collapse: bool = False  # fold reprints of one story under its best-ranked hit
    expand: bool = False  # re-rank with words from the best hits (engine/feedback.py)
    # --path: globs over the stored (absolute) path, any of which may match; made
    # whole by path_glob() when the request is made.
    paths: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.sort not in SORTS:
            raise NewsgrepError(f"unknown sort {self.sort!r}: use one of {', '.join(SORTS)}")
        if self.limit is not None and self.limit < 1:
            raise NewsgrepError("--limit must be at least 1")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise NewsgrepError(
                f"--from {self.date_from} is after --to {self.date_to}: nothing can match"
            )
        if self.lang:
            self.lang = lang_code(self.lang)
        self.paths = [path_glob(p) for p in self.paths]

    @property
    def feedback(self) -> bool:
        """Whether ranking uses pseudo-relevance feedback (only relevance order needs it)."""
        return self.expand and self.sort == "relevance"

    @property
    def has_date_filter(self) -> bool:
        return self.date_from is not None or self.date_to is not None


_GLOB_CHARS = frozenset("*?")


def path_glob(pattern: str) -> str:
    """`--path PATTERN` / `path:PATTERN` as a glob over an article's absolute path, where
    `*` matches any characters (`/` too) and `?` one:

    * a file or folder that exists (relative to the working folder, as a shell would
      take it): that file (`FILE`), or everything under the folder (`FOLDER/*`);
    * else a pattern with `*` or `?`: as given when it starts with `/` or `*`, else under
      any folder (`bbc/*` -> `*/bbc/*`);
    * else plain text: paths that contain it (`bbc` -> `*bbc*`).

    Idempotent, so a request can be made twice from the same options."""
    text = pattern.strip()
    if not text:
        raise NewsgrepError("--path needs a pattern, e.g. --path '*/bbc/*'")
    if not _GLOB_CHARS & set(text) and os.path.exists(text):
        real = os.path.realpath(text)
        return real.rstrip("/") + "/*" if os.path.isdir(real) else real
    if _GLOB_CHARS & set(text):
        return text if text.startswith(("/", "*")) else "*/" + text
    return f"*{text}*"


_LANG = re.compile(r"^([a-z]{2})(?:[-_][a-z0-9]+)*$")


def lang_code(value: str) -> str:
    """An ISO 639-1 language code as articles carry it (`EN`, `en-US` -> `en`); anything
    else (`english`) is an error rather than a filter that matches nothing."""
    m = _LANG.match(value.strip().lower())
    if not m:
        raise NewsgrepError(f"unknown language {value!r}: use a two-letter ISO 639-1 code "
                            "such as en, de, fr, ru, zh ('newsgrep stats' lists the "
                            "languages in the index)")
    return m.group(1)


_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def date_bound(value: str, end: bool, *, relative: bool = False, today: date | None = None
               ) -> date:
    """`YYYY`, `YYYY-MM` or `YYYY-MM-DD` as the first (or, with end=True, last) day of the
    period it names. With relative=True also "3 days", "last month", "yesterday"..."""
    text = value.strip()
    m = _PARTIAL.match(text)
    if m:
        y, mo, d = int(m.group(1)), m.group(2), m.group(3)
        try:
            if mo is None:
                return date(y, 12, 31) if end else date(y, 1, 1)
            mo_i = int(mo)
            if d is None:
                last = calendar.monthrange(y, mo_i)[1]
                return date(y, mo_i, last) if end else date(y, mo_i, 1)
            return date(y, mo_i, int(d))
        except ValueError:
            raise NewsgrepError(f"invalid date {value!r}") from None
    if relative:
        from .dates import parse_relative

        rel = parse_relative(text, today=today)
        if rel is not None:
            return rel
        raise NewsgrepError(
            f"cannot read date {value!r}: use YYYY, YYYY-MM, YYYY-MM-DD or e.g. '3 days', "
            "'2 weeks', 'last month', 'yesterday'"
        )
    raise NewsgrepError(f"cannot read date {value!r}: use YYYY, YYYY-MM or YYYY-MM-DD")

