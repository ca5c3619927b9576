"""JSON Lines: `search --json` and `similar --json`, one object per hit.

Wire format (one JSON object per line, UTF-8; keys in this order):

    id          12 hex digits, stable while the file stays where it is (`newsgrep show ID`)
    path        absolute path of the article's file
    title       str
    date        "YYYY-MM-DD" or null
    source      outlet name or null
    url         str or null
    lang        ISO 639-1 code or null
    score       ranking score (float, 4 decimals; 0 when sorted by date)
    rank        1-based position in this listing
    snippet     passages that matched, joined by " … ", one line
    highlights  [[start, end], ...] offsets of the matched words in `snippet`
    similarity  only from `similar`: how alike a reprint is (0..1), else absent
    duplicates  only with --collapse: [{id, path, title, date, source, url}, ...]
    body        only with --body (or --fields body): the full article text

`--fields a,b,c` keeps only those keys, in that order. Strings hold the text as is,
except that control characters (C0, C1, DEL), Unicode line separators, bidi controls and
the lone surrogates of undecodable file-name bytes are written as `\\uXXXX` escapes, so
no output line can drive a terminal and every line decodes to the exact original.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import IO, Any

from ..hits import Hit, SearchResult, snippet_text

# Everything json.dumps(ensure_ascii=False) leaves raw that a terminal or a line-based
# reader would act on; C0 controls it already escapes.
_RAW = re.compile("[\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")

FIELDS = ("id", "path", "title", "date", "source", "url", "lang", "score", "rank",
          "snippet", "highlights", "similarity", "duplicates", "body")


def dumps(obj) -> str:
    """`obj` as one line of JSON that is safe to print (see the module docstring)."""
    return _RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(obj, ensure_ascii=False))


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def hit_to_dict(hit: Hit, fields: list[str] | None = None) -> dict:
    """The hit as its wire-format object (all default fields, or just `fields`)."""
    snippet, marks = snippet_text(hit.snippets)
    d: dict[str, Any] = {
        "id": hit.id, "path": hit.path, "title": hit.title, "date": _iso(hit.date),
        "source": hit.source, "url": hit.url, "lang": hit.lang,
        "score": round(hit.score, 4), "rank": hit.rank,
        "snippet": snippet, "highlights": marks,
    }
    if hit.similarity is not None:
        d["similarity"] = round(hit.similarity, 3)
    if hit.duplicates:
        d["duplicates"] = [{"id": x.id, "path": x.path, "title": x.title, "date": _iso(x.date),
                            "source": x.source, "url": x.url} for x in hit.duplicates]
    if hit.body is not None:
        d["body"] = hit.body
    if fields is None:
        return d
    return {k: d.get(k) for k in fields}


class JsonLinesPrinter:
    """One object per hit (see the module docstring)."""

    def __init__(self, out: IO[str], fields: list[str] | None = None):
        self.out = out
        self.fields = fields

    def print(self, result: SearchResult) -> None:
        for hit in result.hits:
            self.out.write(dumps(hit_to_dict(hit, self.fields)) + "\n")
