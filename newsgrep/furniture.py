"""Remove site furniture (comment forms, "Read also" lists, share/cookie/ad lines) from bodies.

Scrapers hand us the whole page text, so an article body often ends with (and sometimes
contains) text that belongs to the website, not to the story: a "Read also" list of unrelated
headlines, a comment form, share buttons, cookie notices, copyright lines. If that text is
indexed, a search for a word in an unrelated headline finds this article. `strip_furniture`
drops such lines while keeping every line of the story itself.

Three rules, applied in this order:

1. Tail cut: a comment-form starter ("Leave a Reply", "Comments (12)", "Dodaj komentarz")
   standing on its own line ends the article; it and everything after it is dropped.
2. List blocks: a standalone list heading ("Read also", "Others are currently reading",
   "Читайте также") is dropped together with the headline-like lines that follow it, up to
   the first line that looks like a body paragraph again (long, or ending in sentence
   punctuation; see `_is_headline`). A heading that carries its headline inline ("Read also:
   Ministers meet in Riga") is a single line, and only that line goes.
3. Single lines: short lines that strongly look like furniture (share buttons, "Advertisement",
   "Sign up for our newsletter", cookie notices, copyright, comment-form boilerplate) are
   dropped wherever they are.

The pattern lists are data, in furniture_words.py. Everything is compiled once at import.
The big alternations are split by first character (see `_Bucketed`) because Python's `re`
would otherwise try hundreds of alternatives on every line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

from .furniture_words import (
    FURNITURE_EXACT,
    FURNITURE_LINE_END,
    FURNITURE_LINK_SUFFIX,
    FURNITURE_PHRASES,
    FURNITURE_PREFIX,
    FURNITURE_SENTENCE_START,
    LIST_MARKERS,
    SHARE_WORDS,
    TAIL_MARKERS,
)

__all__ = ["strip_furniture"]

# Length limits. Furniture lines are short; a long line is a paragraph, whatever it starts with.
MAX_FURNITURE_LEN = 200  # single furniture lines (rule 3) and marker lines (rules 1, 2)
MAX_HEADLINE_LEN = 250  # a line in a list block longer than this is body text again
MAX_QUESTION_HEADLINE_LEN = 150  # see _is_question_headline

# ---------------------------------------------------------------------------------------------
# Compiled regexes
# ---------------------------------------------------------------------------------------------

# Decoration around labels: bullets, dashes, arrows, emoji pointers ("» Read also »", "▶ More").
# It is stripped before matching. Quotes are deliberately not decoration: a line opening with a
# quote is someone speaking.
_LEAD_CHARS = "-–—•·*>»›►▶→➤➡⮕|#_~+=👉📌🔗📰\ufe0f\u200b\ufeff"
_TRAIL = r"(?:\s*(?:[:：|»›>→►▶➤➡⮕⟶↓⬇⤵▼–—\-\ufe0f👇]|\.{2,}|…))*\s*"
# What separates an inline list heading from its headline. A colon, bar or arrow is a strong
# sign ("Read more: X", "Related » X"). A dash or an ellipsis also occurs in prose ("More - much
# more - was at stake."), so after those the line must look like a headline too. A bare hyphen
# needs a space before it, so "Related-party deals ..." is never a heading.
_INLINE_SEP_STRONG = r"\s*[:：|»›>→►▶➤➡⮕]\s*"
_INLINE_SEP_WEAK = r"(?:\s+[–—\-]|\s*(?:\.{2,}|…))\s*"
_SHARE_SEP = r"[\s|/·•,:;]+"
_FLAGS = re.IGNORECASE
_REGEX_META = set("\\()[].^$|?*+{")
_SPACE_RE = re.compile(r" ([?*])?")


def _space(m: re.Match[str]) -> str:
    # " ?" / " *" -> optional whitespace; any other space -> one or more whitespace characters.
    return r"\s*" if m.group(1) else r"\s+"


def _fragments(*groups: Mapping[str, tuple[str, ...]]) -> list[str]:
    frags = {_SPACE_RE.sub(_space, f) for group in groups for fs in group.values() for f in fs}
    # Longest first so that "related articles" is tried before "related".
    return sorted(frags, key=lambda f: (-len(f), f))


def _first_char(fragment: str) -> str | None:
    """The literal first character every match of `fragment` starts with, if there is one."""
    if not fragment or fragment[0] in _REGEX_META or fragment[1:2] in ("?", "*", "{"):
        return None
    depth, i = 0, 0
    while i < len(fragment):  # a top-level "a|b" could start with either letter
        c = fragment[i]
        if c == "\\":
            i += 1
        elif c == "[":
            i = fragment.find("]", i + 2)  # "[]...]" is not used in our fragments
            if i < 0:
                return None
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            return None
        i += 1
    return fragment[0].lower()


def _plain(group: Mapping[str, tuple[str, ...]]) -> list[str]:
    """The plain-text phrases of `group`, lower-cased and with single spaces."""
    return sorted({" ".join(p.lower().split()) for fs in group.values() for p in fs})


def _alt(frags: Iterable[str]) -> str:
    return "(?:" + "|".join(frags) + ")"


class _Bucketed:
    """One big alternation, split by the first character of each alternative.

    Python's `re` tries the alternatives of a group one after another, so a 400-way
    alternation is slow even when anchored. Every line is tested against it, and most lines
    start with a character that only a handful of alternatives can start with, so we compile
    one regex per first character (plus the alternatives with no fixed first character) and
    pick the regex by looking at the line. `template` receives each bucket's alternation.
    """

    def __init__(self, frags: list[str], template: Callable[[list[str]], str]) -> None:
        fixed: dict[str, list[str]] = {}
        loose: list[str] = []
        for f in frags:
            c = _first_char(f)
            if c is None:
                loose.append(f)
            else:
                fixed.setdefault(c, []).append(f)
        self._by_char = {
            c: re.compile(template(fs + loose), _FLAGS) for c, fs in fixed.items()
        }
        self._loose = re.compile(template(loose), _FLAGS) if loose else None

    def _regex(self, s: str) -> re.Pattern[str] | None:
        return self._by_char.get(s[:1].lower(), self._loose)

    def fullmatch(self, s: str) -> bool:
        r = self._regex(s)
        return r is not None and r.fullmatch(s) is not None

    def match(self, s: str) -> bool:
        r = self._regex(s)
        return r is not None and r.match(s) is not None


_TAIL = _Bucketed(_fragments(TAIL_MARKERS), lambda fs: _alt(fs) + r"\s*[.!]?" + _TRAIL)
_MARKERS = _fragments(LIST_MARKERS)
_MARKER = _Bucketed(_MARKERS, lambda fs: _alt(fs) + _TRAIL)
_INLINE_STRONG = _Bucketed(_MARKERS, lambda fs: _alt(fs) + _INLINE_SEP_STRONG + r"\S")
_INLINE_WEAK = _Bucketed(_MARKERS, lambda fs: _alt(fs) + _INLINE_SEP_WEAK + r"\S")
_SHARE = _fragments(SHARE_WORDS)
# A bucket of exact lines also holds the share words starting with that character; a row of
# share buttons may continue with any share word.
_EXACT = _Bucketed(
    _fragments(FURNITURE_EXACT) + [f"{w}(?:{_SHARE_SEP}{_alt(_SHARE)})*" for w in _SHARE],
    lambda fs: _alt(fs) + _TRAIL,
)
_PREFIX = _Bucketed(_fragments(FURNITURE_PREFIX), lambda fs: _alt(fs) + r"(?!\w)")
# Substring tests are fast, but not forty of them on every line: index the multi-word phrases
# by their first word and only test those whose first word occurs in the line as a word.
# One-word phrases ("akismet") are few and are always tested, so "©Akismet" is caught too.
_ONE_WORD_PHRASES: list[str] = []
_PHRASES_BY_WORD: dict[str, list[str]] = {}
for _p in _plain(FURNITURE_PHRASES):
    if " " in _p:
        _PHRASES_BY_WORD.setdefault(_p.split()[0], []).append(_p)
    else:
        _ONE_WORD_PHRASES.append(_p)
_LINE_ENDS = tuple(_plain(FURNITURE_LINE_END))
_LINK_SUFFIXES = tuple(" " + p for p in _plain(FURNITURE_LINK_SUFFIX))
_LINE_END_WINDOW = 60  # characters at the end of a line that _ends_with_call looks at
_TRAILING_PUNCT = " \t.!?:;,…)]}»\"”'’*"
_SENTENCE_START_RE = re.compile(
    r"[.!?:]\s+" + _alt(_fragments(FURNITURE_SENTENCE_START)), _FLAGS
)

# A sentence ends in . ! ? … : ; or , (a paragraph that stops mid-sentence is still body),
# optionally followed by closing quotes/brackets. A closing quote straight after a letter
# ends a quoted title, as in the headline 'Claim over the story "Nothing Personal"'.
_BODY_END_RE = re.compile(r"[.!?…:;,][\"”“’'»«)\]\s]*$")
_QUESTION_END_RE = re.compile(r"[?!][\"”“’'»«)\]\s]*$")

# ---------------------------------------------------------------------------------------------
# Line classifiers
# ---------------------------------------------------------------------------------------------


def _label(line: str) -> str:
    """`line` without the bullets, arrows and spaces that may decorate a label."""
    s = line
    while True:
        t = s.lstrip().lstrip(_LEAD_CHARS)
        if t == s:
            return s
        s = t


def _is_tail_marker(line: str) -> bool:
    return len(line) <= MAX_FURNITURE_LEN and _TAIL.fullmatch(_label(line))


def _is_list_marker(line: str) -> bool:
    """A standalone heading of a list of headlines ("Read also", "Related:")."""
    return len(line) <= MAX_FURNITURE_LEN and _MARKER.fullmatch(_label(line))


def _is_inline_marker(line: str) -> bool:
    """A heading with its headline on the same line ("Read also: Ministers meet in Riga")."""
    if len(line) >= MAX_HEADLINE_LEN:
        return False
    s = _label(line)
    return _INLINE_STRONG.match(s) or (_INLINE_WEAK.match(s) and _is_headline(line))


_WRAPPED = re.compile(r"^[\[(](.*)[\])][.]?$")


def _unwrap(line: str) -> str:
    """`[Sign up for …]`, `(Click here …)` and `Advertisement Advertisement` are the same
    furniture as their plain forms."""
    if m := _WRAPPED.match(line):
        line = m.group(1).strip()
    half = len(line) // 2
    if len(line) % 2 == 1 and line[:half] == line[half + 1:] and line[half] == " ":
        line = line[:half]
    return line


def _is_single_furniture(line: str) -> bool:
    if len(line) >= MAX_FURNITURE_LEN:
        return False
    line = _unwrap(line)
    s = _label(line)
    if _EXACT.fullmatch(s) or _PREFIX.match(s):
        return True
    low = line.lower()
    return (
        _has_phrase(low)
        or _ends_with_call(low)
        or low.endswith(_LINK_SUFFIXES)
        or _SENTENCE_START_RE.search(line) is not None
    )


def _has_phrase(low: str) -> bool:
    if any(p in low for p in _ONE_WORD_PHRASES):
        return True
    words = low.split()
    if _PHRASES_BY_WORD.keys().isdisjoint(words):
        return False
    norm = " ".join(words)  # scraped text is full of double and non-breaking spaces
    return any(p in norm for w in words if w in _PHRASES_BY_WORD for p in _PHRASES_BY_WORD[w])


def _ends_with_call(low: str) -> bool:
    # Only the end matters; normalising its whitespace lets "click\xa0here" match too.
    s = " ".join(low[-_LINE_END_WINDOW:].split()).rstrip(_TRAILING_PUNCT)
    if not s.endswith(_LINE_ENDS):
        return False
    for p in _LINE_ENDS:
        if s.endswith(p):
            before = s[: len(s) - len(p)]
            if not before or not (before[-1].isalnum() or before[-1] == "_"):
                return True
    return False


def _is_headline(line: str) -> bool:
    """Headlines are short and carry no sentence punctuation at the end."""
    return len(line) < MAX_HEADLINE_LEN and _BODY_END_RE.search(line) is None


def _is_question_headline(line: str) -> bool:
    """A short line ending in ? or ! could be a headline ("Is Riga ready?") or a short body
    paragraph; the caller decides by looking at what follows."""
    return len(line) < MAX_QUESTION_HEADLINE_LEN and _QUESTION_END_RE.search(line) is not None


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


def strip_furniture(paragraphs: list[str]) -> list[str]:
    """Return `paragraphs` without site furniture, in the same order, other lines untouched.

    `paragraphs` is the article body split into stripped, non-empty lines (title, date and
    source already removed). The result is always a subsequence of the input. Never raises:
    on unexpected input the lines are returned unchanged (keeping text beats losing it).
    """
    try:
        return _strip(paragraphs)
    except Exception:  # pragma: no cover - defensive; _strip is not expected to raise
        try:
            return list(paragraphs)
        except Exception:
            return []


def _strip(paragraphs: list[str]) -> list[str]:
    lines = [p for p in paragraphs if isinstance(p, str)]
    if len(lines) != len(paragraphs):  # not text: cannot judge it, so keep the input as it is
        return list(paragraphs)

    # Rule 1: everything from the first comment-form starter on is the comment section.
    for i, line in enumerate(lines):
        if _is_tail_marker(line):
            lines = lines[:i]
            break

    kept: list[str] = []
    n = len(lines)
    i = 0
    while i < n:
        line = lines[i]
        if _is_list_marker(line):
            # Rule 2: skip the heading and the headlines listed under it.
            i = _skip_list_block(lines, i + 1)
            continue
        if _is_single_furniture(line) or _is_inline_marker(line):
            # Rule 3 (and rule 2's one-line form).
            i += 1
            continue
        kept.append(line)
        i += 1
    return kept


def _skip_list_block(lines: list[str], i: int) -> int:
    """Index of the first line after the headline list that starts at `i`."""
    n = len(lines)
    while i < n:
        line = lines[i]
        if _is_headline(line) or _is_single_furniture(line) or _is_list_marker(line):
            i += 1
            continue
        if _is_question_headline(line):
            # "Is Riga ready?" inside a list is a headline if the list goes on after it (or the
            # article ends); followed by a body paragraph it is more likely a short paragraph.
            j = i + 1
            while j < n and _is_single_furniture(lines[j]):
                j += 1
            if j == n or _is_headline(lines[j]) or _is_question_headline(lines[j]) \
                    or _is_list_marker(lines[j]):
                i += 1
                continue
        break
    return i
