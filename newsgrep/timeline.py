"""Matches over time: the picture of when a story started and who carried it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

PERIODS = ("day", "week", "month", "quarter", "year")
OTHER = "(other)"
AUTO = "auto"
MAX_BARS = 60  # by="auto": the finest period that draws at most this many bars


def period_start(d: date, by: str) -> date:
    if by == "day":
        return d
    if by == "week":  # ISO weeks start on Monday
        return d - timedelta(days=d.weekday())
    if by == "month":
        return d.replace(day=1)
    if by == "quarter":
        return date(d.year, (d.month - 1) // 3 * 3 + 1, 1)
    return d.replace(month=1, day=1)


def next_period(d: date, by: str) -> date:
    if by == "day":
        return d + timedelta(days=1)
    if by == "week":
        return d + timedelta(days=7)
    if by == "month":
        return date(d.year + d.month // 12, d.month % 12 + 1, 1)
    if by == "quarter":
        m = d.month + 2  # d is a quarter's first day
        return date(d.year + m // 12, m % 12 + 1, 1)
    return date(d.year + 1, 1, 1)


def period_label(d: date, by: str) -> str:
    if by == "day":
        return d.isoformat()
    if by == "week":
        y, w, _ = d.isocalendar()
        return f"{y}-W{w:02d}"
    if by == "month":
        return f"{d.year}-{d.month:02d}"
    if by == "quarter":
        return f"{d.year}-Q{(d.month - 1) // 3 + 1}"
    return str(d.year)


def periods_between(first: date, last: date, by: str) -> int:
    """How many bars of `by` cover first..last."""
    a, b = period_start(first, by), period_start(last, by)
    if by == "day":
        return (b - a).days + 1
    if by == "week":
        return (b - a).days // 7 + 1
    months = (b.year - a.year) * 12 + b.month - a.month
    if by == "month":
        return months + 1
    if by == "quarter":
        return months // 3 + 1
    return b.year - a.year + 1


def auto_period(first: date, last: date, max_bars: int = MAX_BARS) -> str:
    """The finest period that draws first..last in at most `max_bars` bars: ~20-60 bars
    for most spans (173 months become 58 quarters; 5,199 days, 57 quarters)."""
    for by in PERIODS:
        if periods_between(first, last, by) <= max_bars:
            return by
    return "year"


@dataclass
class Bucket:
    period: str
    start: date
    count: int = 0
    sources: dict[str, int] = field(default_factory=dict)
    # With share (add_totals): all articles of the period, and of each source shown.
    total: int | None = None
    source_totals: dict[str, int] = field(default_factory=dict)

    @property
    def share(self) -> float | None:
        """Matches as a fraction of all the period's articles (None: no totals, or none)."""
        return self.count / self.total if self.total else None

    def source_share(self, name: str) -> float | None:
        total = self.source_totals.get(name)
        return self.sources.get(name, 0) / total if total else None


@dataclass
class Timeline:
    by: str
    buckets: list[Bucket]
    undated: int
    sources: list[str]  # the series shown, biggest first (OTHER last), if split by source
    with_totals: bool = False  # add_totals() filled each bucket's total (timeline --share)

    def to_dict(self) -> dict:
        return {
            "by": self.by,
            "undated": self.undated,
            "sources": self.sources,
            **({"share": True} if self.with_totals else {}),
            "buckets": [self._bucket_dict(b) for b in self.buckets],
        }

    def _bucket_dict(self, b: Bucket) -> dict:
        d: dict = {"period": b.period, "start": b.start.isoformat(), "count": b.count}
        if self.sources:
            d["sources"] = b.sources
        if self.with_totals:
            d["total"] = b.total
            d["share"] = _rounded(b.share)
            if self.sources:
                d["source_totals"] = b.source_totals
                d["source_shares"] = {s: _rounded(b.source_share(s)) for s in self.sources}
        return d


def _rounded(x: float | None) -> float | None:
    return None if x is None else round(x, 6)


def add_totals(tl: Timeline, totals: Mapping[tuple[date | None, str | None], int]
               ) -> Timeline:
    """Give each bucket the number of all articles in its period (and, split by source,
    of each source shown; OTHER: the rest), from (day, source) -> articles counts, so a
    bar can be read as a share of what the archive holds for that period."""
    per: Counter[date] = Counter()
    per_source: dict[date, Counter[str]] = {}
    for (d, source), n in totals.items():
        if d is None:
            continue
        start = period_start(d, tl.by)
        per[start] += n
        if tl.sources:
            per_source.setdefault(start, Counter())[source or "(unknown)"] += n
    for b in tl.buckets:
        b.total = per.get(b.start, 0)
        if tl.sources:
            src = per_source.get(b.start, Counter())
            b.source_totals = {s: src.get(s, 0) for s in tl.sources if s != OTHER}
            if OTHER in tl.sources:
                b.source_totals[OTHER] = b.total - sum(b.source_totals.values())
    tl.with_totals = True
    return tl


def build(matches: Iterable[tuple[date | None, str | None]], by: str = "month",
          by_source: bool = False, top_sources: int = 5) -> Timeline:
    """Count (date, source) matches per period, empty periods included; by="auto"
    chooses the period (auto_period) from the matches' dates."""
    if by != AUTO and by not in PERIODS:
        raise ValueError(f"unknown period {by!r}")
    if by == AUTO:
        matches = list(matches)
        dated = [d for d, _ in matches if d is not None]
        by = auto_period(min(dated), max(dated)) if dated else "month"
    counts: Counter[date] = Counter()
    per_source: dict[date, Counter[str]] = {}
    totals: Counter[str] = Counter()
    undated = 0
    for d, source in matches:
        if d is None:
            undated += 1
            continue
        start = period_start(d, by)
        counts[start] += 1
        if by_source:
            name = source or "(unknown)"
            per_source.setdefault(start, Counter())[name] += 1
            totals[name] += 1
    series: list[str] = []
    if by_source:
        series = [s for s, _ in totals.most_common(top_sources)]
        if len(totals) > top_sources:
            series.append(OTHER)
    buckets: list[Bucket] = []
    if counts:
        cur, last = min(counts), max(counts)
        while cur <= last:
            b = Bucket(period_label(cur, by), cur, counts.get(cur, 0))
            if by_source:
                src = per_source.get(cur, Counter())
                b.sources = {s: src.get(s, 0) for s in series if s != OTHER}
                if OTHER in series:
                    b.sources[OTHER] = b.count - sum(b.sources.values())
            buckets.append(b)
            cur = next_period(cur, by)
    return Timeline(by, buckets, undated, series)
