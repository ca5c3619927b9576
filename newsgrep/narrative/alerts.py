"""Saved searches and alerts: `newsgrep alert add/list/rm/run`, and `watch --alerts`.

An alert is a query with search's filters, saved under a name in INDEX/alerts.db
(SQLite, beside the index, so it survives restarts and moves with the index). Running
it reports the matching articles it has not reported before: per alert, the ids already
reported are kept, and they are marked only after they were handed to `emit` (printed),
all in one transaction that also holds the database's write lock for the run. So:

- a run killed at any point (even kill -9) before its commit marks nothing: the next
  run reports those articles again, none is lost;
- a run that committed never reports them again, and two runs of one alert at the same
  time cannot both report an article (the second waits for the first's commit).

Delivery is at least once: output printed by a run killed before its commit is printed
again by the next run.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ..engine import as_spec, open_engine, parse_query
from ..errors import NewsgrepError
from ..hits import Hit
from ..query import SearchRequest, date_bound, path_glob
from ..search import Target, search

ALERTS_DB = "alerts.db"
BUSY_TIMEOUT = 30.0  # seconds a run waits for another run of the same database
_NAME = re.compile(r"^[\w.-]{1,64}$")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS alerts (
    name TEXT PRIMARY KEY,
    query TEXT NOT NULL,
    filters TEXT NOT NULL,      -- JSON: the options as given (relative dates stay relative)
    created TEXT NOT NULL,
    last_run TEXT
);
CREATE TABLE IF NOT EXISTS reported (
    alert TEXT NOT NULL,
    id TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (alert, id)
) WITHOUT ROWID;
"""

FILTER_KEYS = ("date_from", "date_to", "since", "until", "sources", "lang", "any_words",
               "paths")


@dataclass
class Alert:
    name: str
    query: str
    filters: dict = field(default_factory=dict)  # FILTER_KEYS, as the command line gave
    created: str = ""
    last_run: str | None = None
    reported: int = 0

    def request(self) -> SearchRequest:
        """The search this alert runs (every match, oldest first); --since/--until are
        counted from today, at each run."""
        f = self.filters
        since, until = f.get("since"), f.get("until")
        lo = f.get("date_from") or since
        hi = f.get("date_to") or until
        return SearchRequest(
            query=self.query, any_words=bool(f.get("any_words")),
            date_from=date_bound(lo, end=False, relative=bool(since)) if lo else None,
            date_to=date_bound(hi, end=True, relative=bool(until)) if hi else None,
            sources=list(f.get("sources") or []), lang=f.get("lang"), limit=None,
            paths=list(f.get("paths") or []),
            sort="oldest", snippets=1)

    def to_dict(self) -> dict:
        return {"name": self.name, "query": self.query,
                "filters": {k: v for k, v in self.filters.items() if v},
                "created": self.created, "last_run": self.last_run,
                "reported": self.reported}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class AlertStore:
    """The alerts of one index (INDEX/alerts.db)."""

    def __init__(self, index_dir: Target):
        self.index = index_dir
        folder = as_spec(index_dir).path
        if not folder.is_dir():
            raise NewsgrepError(f"no index at {folder}: run 'newsgrep index FOLDER' first "
                                "(or pass --index / set NEWSGREP_INDEX)")
        self.path = Path(folder) / ALERTS_DB
        try:
            # Autocommit mode: transactions are begun explicitly (BEGIN IMMEDIATE).
            self.db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.executescript(_SCHEMA)
        except sqlite3.Error as e:
            raise NewsgrepError(f"cannot open the alerts in {self.path}: {e}") from None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> AlertStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- saved searches -----------------------------------------------------------------
    def add(self, name: str, query: str, filters: dict | None = None) -> Alert:
        """Save an alert; the query and filters are checked now, not at its first run."""
        if not _NAME.match(name):
            raise NewsgrepError(f"alert name {name!r}: use up to 64 letters, digits, '.', "
                                "'_' or '-'")
        filters = {k: v for k, v in (filters or {}).items() if k in FILTER_KEYS and v}
        if "sources" in filters:
            filters["sources"] = list(filters["sources"])
        if "paths" in filters:  # made absolute now: a run may start in another folder
            filters["paths"] = [path_glob(p) for p in filters["paths"]]
        alert = Alert(name, query, filters, created=_now())
        open_engine(self.index)  # raises unless the index can be read
        parse_query(alert.request())  # raises on a query that cannot run
        try:
            self.db.execute("INSERT INTO alerts (name, query, filters, created) "
                            "VALUES (?, ?, ?, ?)",
                            (name, query, json.dumps(filters), alert.created))
        except sqlite3.IntegrityError:
            raise NewsgrepError(f"an alert called {name!r} exists already "
                                f"('newsgrep alert rm {name}' first)") from None
        return alert

    def list(self) -> list[Alert]:
        rows = self.db.execute(
            "SELECT a.name, a.query, a.filters, a.created, a.last_run, "
            "(SELECT COUNT(*) FROM reported r WHERE r.alert = a.name) "
            "FROM alerts a ORDER BY a.name").fetchall()
        return [Alert(n, q, json.loads(f), c, lr, k) for n, q, f, c, lr, k in rows]

    def get(self, name: str) -> Alert:
        for a in self.list():
            if a.name == name:
                return a
        have = ", ".join(a.name for a in self.list()) or "none ('newsgrep alert add')"
        raise NewsgrepError(f"no alert called {name!r}; the alerts: {have}")

    def remove(self, name: str) -> None:
        self.get(name)
        self.db.execute("BEGIN IMMEDIATE")
        self.db.execute("DELETE FROM reported WHERE alert = ?", (name,))
        self.db.execute("DELETE FROM alerts WHERE name = ?", (name,))
        self.db.execute("COMMIT")

    # -- running ------------------------------------------------------------------------
    def run(self, name: str, emit: Callable[[str, Hit], None]) -> int:
        """Hand each match of the alert not reported before to `emit(name, hit)`, oldest
        first, then mark them reported (see the module docstring). Returns how many."""
        alert = self.get(name)
        req = alert.request()
        self.db.execute("BEGIN IMMEDIATE")  # one run of this database at a time
        try:
            seen = {r[0] for r in self.db.execute(
                "SELECT id FROM reported WHERE alert = ?", (name,))}
            hits = [h for h in search(req, self.index).hits if h.id not in seen]
            for i, h in enumerate(hits):
                h.rank = i + 1
                h.score = 0.0  # in date order (the engine may put its sort key here)
                emit(name, h)
            now = _now()
            self.db.executemany("INSERT OR IGNORE INTO reported (alert, id, at) "
                                "VALUES (?, ?, ?)", [(name, h.id, now) for h in hits])
            self.db.execute("UPDATE alerts SET last_run = ? WHERE name = ?", (now, name))
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        return len(hits)

    def skip_existing(self, name: str) -> int:
        """Mark every current match reported, so the alert reports only what comes later."""
        return self.run(name, lambda _n, _h: None)

    def run_all(self, names: Iterable[str] | None, emit: Callable[[str, Hit], None]
                ) -> dict[str, int]:
        """Run the named alerts (all when None), in name order: name -> new matches."""
        wanted = list(names) if names else [a.name for a in self.list()]
        for n in wanted:
            self.get(n)  # an unknown name is an error before anything is reported
        return {n: self.run(n, emit) for n in wanted}


def run_alerts(index_dir: Target, names: Iterable[str] | None = None,
               emit: Callable[[str, Hit], None] | None = None) -> dict[str, list[Hit]]:
    """Library shortcut: run alerts and return their new matches (marked reported once
    this returns; pass `emit` to act on each before that)."""
    out: dict[str, list[Hit]] = {}

    def collect(name: str, hit: Hit) -> None:
        out.setdefault(name, []).append(hit)
        if emit:
            emit(name, hit)

    with AlertStore(index_dir) as store:
        counts = store.run_all(names, collect)
    return {n: out.get(n, []) for n in counts}

