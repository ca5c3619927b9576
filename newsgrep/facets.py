"""Top values among a query's matches: which outlets, languages and years carried it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from .errors import NewsgrepError

FACETS = ("source", "lang", "year", "month")
_MISSING = {"source": "(no source)", "lang": "(unknown)", "year": "(undated)",
            "month": "(undated)"}


def parse_facets(value: str) -> list[str]:
    """`source,lang,year` as a list of facet names; unknown names are an error."""
    names = [n.strip().lower() for n in value.split(",") if n.strip()]
    bad = [n for n in names if n not in FACETS]
    if bad or not names:
        raise NewsgrepError(f"unknown facet {', '.join(map(repr, bad)) or repr(value)}: "
                            f"use one or more of {', '.join(FACETS)} (comma-separated)")
    return list(dict.fromkeys(names))


@dataclass
class Facets:
    total: int
    # field -> [(value or None, matches)], most frequent first
    fields: dict[str, list[tuple[str | None, int]]] = field(default_factory=dict)

    @staticmethod
    def missing_label(name: str) -> str:
        return _MISSING.get(name, "(none)")

    def to_dict(self) -> dict:
        return {"total": self.total,
                "facets": {name: [{"value": v, "count": n} for v, n in values]
                           for name, values in self.fields.items()}}


def _value(name: str, d: date | None, source: str | None, lang: str | None) -> str | None:
    if name == "source":
        return source
    if name == "lang":
        return lang
    if d is None:
        return None
    return str(d.year) if name == "year" else f"{d.year}-{d.month:02d}"


def count_facets(rows: Iterable[tuple[date | None, str | None, str | None]],
                 names: list[str]) -> Facets:
    """Count (date, source, lang) rows per value of each facet."""
    counters: dict[str, Counter] = {n: Counter() for n in names}
    total = 0
    for d, source, lang in rows:
        total += 1
        for n in names:
            counters[n][_value(n, d, source, lang)] += 1
    return Facets(total, {n: sorted(c.items(), key=lambda kv: (-kv[1], kv[0] is None,
                                                              str(kv[0])))
                          for n, c in counters.items()})
