"""The main screen: the query box, the results list (results_table.py) and the filter
panel (filter_panel.py: dates, sort, sources and languages with their counts), searching
in worker threads as the user types."""

from __future__ import annotations

import time
from dataclasses import replace
from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import (
    DataTable,
    Footer,
    Input,
    RadioButton,
    RadioSet,
    SelectionList,
    Sparkline,
    Static,
)
from textual.worker import get_current_worker

from ..errors import NewsgrepError
from ..hits import Hit, SearchResult
from .filter_panel import FilterPanel
from .results_table import ResultsTable
from .screens import ArticleScreen, RelatedScreen
from .session import PAGE, Facets, Filters, Session
from .widgets import (
    QueryBox,
    _from_thread,
    copy_path,
    open_in_pager,
)

DEBOUNCE = 0.18  # seconds of quiet typing before a query runs
# Facets wait this long after the results are on screen: counting holds the GIL, so it
# must not run while the user is still typing (it would slow the next query's results).
FACETS_DELAY = 0.3
WIDE = 100  # from this many columns the filter panel shows without asking


class SearchScreen(Screen[None]):
    """The query box, the filters with their counts, the results and the timeline."""

    BINDINGS = [
        Binding("slash", "focus_query", "Search"),
        Binding("f", "toggle_filters", "Filters"),
        Binding("s", "cycle_sort", "Sort"),
        Binding("r", "related", "Related"),
        Binding("o", "pager", "Pager"),
        Binding("y", "copy", "Copy"),
        Binding("escape", "escape", "Search box / results", show=False),
    ]
    DEFAULT_CSS = """
    SearchScreen #query { margin: 0 1; background: $boost; }
    SearchScreen #status { height: 1; padding: 0 1; color: $text-muted; }
    SearchScreen #status.-error { color: $error; text-style: bold; }
    SearchScreen #main { height: 1fr; }
    SearchScreen #filters { width: 28; padding: 0 1; border-right: tall $panel; }
    SearchScreen #filters.-hidden { display: none; }
    SearchScreen #filters Label { margin-top: 1; text-style: bold; }
    SearchScreen #filters Input { background: $boost; }
    SearchScreen #filters RadioSet, SearchScreen #filters SelectionList {
        border: none; height: auto; max-height: 14; padding: 0; }
    SearchScreen #results { height: 1fr; }
    SearchScreen #timeline-label { height: 1; padding: 0 1; color: $text-muted; }
    SearchScreen #timeline { height: 2; margin: 0 1; }
    """

    def __init__(self, session: Session, filters: Filters) -> None:
        super().__init__()
        self.session = session
        self.filters = filters
        self.result: SearchResult | None = None
        self.facets: Facets | None = None
        self.timeline: list[tuple[str, int]] = []
        self.show_filters: bool | None = None  # None: by the terminal's width
        self._timer: Timer | None = None
        self._facets_timer: Timer | None = None
        self.gen = 0  # queries issued; a worker's answer for an older one is dropped
        self.shown_gen = 0  # the query whose results the list shows
        self.shown: Filters | None = None  # ... and its filters
        self.facets_gen = 0
        self.error: str | None = None
        self.issued_at = 0.0  # perf_counter and process_time when the last query was issued
        self.issued_cpu = 0.0
        self.latency = 0.0  # seconds from issuing the last query to its rows in the list
        # (query, perf_counter, process_time) when its rows reached the screen
        self.painted: tuple[int, float, float] = (0, 0.0, 0.0)
        self._loading_more = False

    # -- layout ----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        f = self.filters
        yield QueryBox(value=f.query, id="query", compact=True,
                       placeholder='search: words, "a phrase", a OR b, title:word … (f1: help)')
        yield Static(id="status")
        with Horizontal(id="main"):
            yield FilterPanel(f, id="filters")
            with Vertical(id="results-pane"):
                yield ResultsTable(id="results", cursor_type="row", zebra_stripes=True)
                yield Static(id="timeline-label")
                yield Sparkline([], id="timeline")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._layout_filters()
        self.query_one("#query", Input).focus()
        self.start_search()

    def on_resize(self) -> None:
        self._layout_filters()
        self.call_after_refresh(self._fill_table)

    def _filters_shown(self) -> bool:
        return self.show_filters if self.show_filters is not None else self.size.width >= WIDE

    def _layout_filters(self) -> None:
        self.query_one("#filters").set_class(not self._filters_shown(), "-hidden")

    # -- searching -------------------------------------------------------------------
    def schedule_search(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE, self.start_search)

    def start_search(self) -> None:
        """Run the current filters now, in a worker; the list updates when it answers."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self._facets_timer is not None:
            self._facets_timer.stop()
            self._facets_timer = None
        self.gen += 1
        gen, filters = self.gen, replace(self.filters, sources=list(self.filters.sources))
        if not filters.query.strip():
            self._show_results(gen, filters, SearchResult([], 0), None)
            self._set_status('type a query: words, "a phrase", a OR b, title:word … '
                             "(f1: help)")
            return
        self.issued_at = time.perf_counter()
        self.issued_cpu = time.process_time()
        self.run_worker(partial(self._search_worker, gen, filters), thread=True,
                        exclusive=True, group="search")

    def _search_worker(self, gen: int, filters: Filters) -> None:
        try:
            result, err = self.session.search(filters), None
        except NewsgrepError as e:
            result, err = None, str(e)
        except Exception as e:  # a bug must show as a line, not end the session
            result, err = None, f"cannot run this query: {e}"
        if not get_current_worker().is_cancelled:
            _from_thread(self.app, self._show_results, gen, filters, result, err)

    def _show_results(self, gen: int, filters: Filters, result: SearchResult | None,
                      err: str | None) -> None:
        if gen != self.gen:
            return
        if result is None:
            # Keep the last good list on screen while the query is being typed.
            self.error = err
            self._set_status(err or "error", error=True)
            return
        self.error = None
        self.result = result
        self._loading_more = False
        self._fill_table()
        self.shown_gen, self.shown = gen, filters
        self.latency = time.perf_counter() - self.issued_at
        self._set_status(self._summary(filters, result))
        self.call_after_refresh(self._painted, gen, filters, result.total)

    def _painted(self, gen: int, filters: Filters, total: int) -> None:
        """The rows are on screen: stamp it (scripts/bench_browse.py) and, unless a newer
        query came meanwhile, count the facets a little later."""
        self.painted = (gen, time.perf_counter(), time.process_time())
        if gen != self.gen:
            return
        if total:
            self._facets_timer = self.set_timer(FACETS_DELAY, partial(
                self.run_worker, partial(self._facets_worker, gen, filters, total),
                thread=True, exclusive=True, group="facets"))
        else:
            self._show_facets(gen, Facets([], []), ([], 0))

    def _summary(self, filters: Filters, result: SearchResult) -> str:
        n = result.total
        parts = [f"{n:,} match{'es' if n != 1 else ''}"]
        if n > len(result.hits):
            parts[0] += f" (first {len(result.hits)} shown)"
        if n == 0 and result.suggestion:
            parts.append(f"did you mean: {result.suggestion}")
        parts.append(f"sort {filters.sort}")
        if filters.date_from or filters.date_to:
            parts.append(f"date {filters.date_from or '…'} to {filters.date_to or '…'}")
        if filters.sources:
            parts.append("source " + ", ".join(filters.sources))
        if filters.lang:
            parts.append(f"lang {filters.lang}")
        parts.append(f"{self.latency * 1000:.0f} ms")
        return " · ".join(parts)

    def _set_status(self, text: str, error: bool = False) -> None:
        status = self.query_one("#status", Static)
        status.update(Text(("⚠ " if error else "") + text, no_wrap=True, overflow="ellipsis"))
        status.set_class(error, "-error")

    def _fill_table(self) -> None:
        hits = self.result.hits if self.result else []
        width = self.size.width - (28 if self._filters_shown() else 0)
        self.query_one("#results", ResultsTable).show_hits(hits, width)

    @on(DataTable.RowHighlighted, "#results")
    def _more_at_the_end(self, event: DataTable.RowHighlighted) -> None:
        """At the last row, fetch the next page of hits (in a worker) and append it."""
        r = self.result
        if r is None or self.shown is None or self._loading_more or \
                event.cursor_row < len(r.hits) - 1 or r.total <= len(r.hits):
            return
        self._loading_more = True
        self.run_worker(partial(self._more_worker, self.shown_gen, self.shown,
                                len(r.hits) + PAGE), thread=True, group="more")

    def _more_worker(self, gen: int, filters: Filters, limit: int) -> None:
        try:
            result = self.session.search(filters, limit=limit)
        except Exception:  # the first page is still there; nothing to add
            result = None
        _from_thread(self.app, self._append, gen, result)

    def _append(self, gen: int, result: SearchResult | None) -> None:
        self._loading_more = False
        if result is None or self.result is None or gen != self.gen or gen != self.shown_gen:
            return
        have = {h.id for h in self.result.hits}
        self.query_one("#results", ResultsTable).add_hits(
            [h for h in result.hits if h.id not in have])
        self.result = result
        if self.shown is not None:
            self._set_status(self._summary(self.shown, result))

    # -- facets and timeline ---------------------------------------------------------
    def _facets_worker(self, gen: int, filters: Filters, total: int) -> None:
        worker = get_current_worker()
        try:
            facets = self.session.facets(filters, total,
                                         cancelled=lambda: worker.is_cancelled)
            timeline = self.session.timeline(filters) if facets else None
        except Exception as e:  # facets are an extra: a failure is a note, not a stop
            _from_thread(self.app, self.notify, f"cannot count facets: {e}",
                                      severity="warning")
            return
        if facets is not None and not worker.is_cancelled:
            _from_thread(self.app, self._show_facets, gen, facets, timeline)

    def _show_facets(self, gen: int, facets: Facets,
                     timeline: tuple[list[tuple[str, int]], int]) -> None:
        if gen != self.gen:
            return
        self.facets = facets
        self.facets_gen = gen
        self.query_one("#filters", FilterPanel).show_facets(facets, self.filters)
        buckets, undated = timeline
        self.timeline = buckets
        self.query_one("#timeline", Sparkline).data = [n for _, n in buckets] or [0]
        label = "timeline: "
        if buckets:
            peak = max(buckets, key=lambda b: b[1])
            label += f"{buckets[0][0]} … {buckets[-1][0]}, peak {peak[1]} in {peak[0]}"
        else:
            label += "no dated match"
        if undated:
            label += f", {undated} undated"
        self.query_one("#timeline-label", Static).update(Text(label))

    # -- events ----------------------------------------------------------------------
    @on(Input.Changed, "#query")
    def _query_changed(self, event: Input.Changed) -> None:
        if event.value != self.filters.query:
            self.filters.query = event.value
            self.schedule_search()

    @on(Input.Submitted, "#query")
    def _query_submitted(self) -> None:
        if self._timer is not None or self.filters.query != self.query_one("#query", Input).value:
            self.start_search()
        self.action_focus_results()

    @on(Input.Submitted, "#date-from")
    @on(Input.Submitted, "#date-to")
    def _date_submitted(self) -> None:
        self.start_search()
        self.action_focus_results()

    @on(Input.Changed, "#date-from")
    @on(Input.Changed, "#date-to")
    def _dates_changed(self, event: Input.Changed) -> None:
        key = "date_from" if event.input.id == "date-from" else "date_to"
        if getattr(self.filters, key) != event.value:
            setattr(self.filters, key, event.value)
            self.schedule_search()

    @on(RadioSet.Changed, "#sort")
    def _sort_changed(self, event: RadioSet.Changed) -> None:
        name = event.pressed.name or "relevance"
        if name != self.filters.sort:
            self.filters.sort = name
            self.start_search()

    @on(SelectionList.SelectedChanged, "#sources")
    def _sources_changed(self, event: SelectionList.SelectedChanged) -> None:
        chosen = [v for v in event.selection_list.selected if v]
        if sorted(chosen) != sorted(self.filters.sources):
            self.filters.sources = chosen
            self.start_search()

    @on(SelectionList.SelectedChanged, "#langs")
    def _langs_changed(self, event: SelectionList.SelectedChanged) -> None:
        widget = event.selection_list
        chosen = set(widget.selected)
        new = chosen - {self.filters.lang}
        lang = new.pop() if new else (self.filters.lang if self.filters.lang in chosen
                                      else None)
        for other in chosen - {lang}:  # one language at a time, as the engine filters
            widget.deselect(other)
        if lang != self.filters.lang:
            self.filters.lang = lang
            self.start_search()

    @on(DataTable.RowSelected, "#results")
    def _open(self, event: DataTable.RowSelected) -> None:
        hits = self.result.hits if self.result else []
        self.app.push_screen(ArticleScreen(self.session, str(event.row_key.value),
                                           self.filters.query, [h.id for h in hits]))

    # -- actions ---------------------------------------------------------------------
    def current_hit(self) -> Hit | None:
        table = self.query_one("#results", DataTable)
        hits = self.result.hits if self.result else []
        if not hits or table.cursor_row is None:
            return None
        return hits[min(table.cursor_row, len(hits) - 1)]

    def action_focus_query(self) -> None:
        self.query_one("#query", Input).focus()

    def action_focus_results(self) -> None:
        self.query_one("#results", DataTable).focus()

    def action_escape(self) -> None:
        if self.focused is self.query_one("#results"):
            self.action_focus_query()
        else:
            self.action_focus_results()

    def action_toggle_filters(self) -> None:
        self.show_filters = not self._filters_shown()
        self._layout_filters()
        if not self.show_filters and self.focused is not None and \
                self.query_one("#filters") in self.focused.ancestors:
            self.action_focus_results()
        self._fill_table()

    def action_cycle_sort(self) -> None:
        nxt = self.filters.next_sort()
        for button in self.query(RadioButton):
            if button.name == nxt:
                button.value = True  # RadioSet.Changed runs the search

    def action_related(self) -> None:
        if hit := self.current_hit():
            self.app.push_screen(RelatedScreen(self.session, hit.id, self.filters.query))

    def action_pager(self) -> None:
        if hit := self.current_hit():
            open_in_pager(self.app, hit.path)

    def action_copy(self) -> None:
        if hit := self.current_hit():
            copy_path(self.app, hit.path)
