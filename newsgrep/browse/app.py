"""`newsgrep browse`: the Textual app. Screens and widgets only; every index call goes
through session.Session, run in worker threads so typing never waits on a search."""

from __future__ import annotations

import os
import shlex
import subprocess
import time
from dataclasses import replace
from functools import partial

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widgets import (
    DataTable,
    Footer,
    Input,
    Label,
    RadioButton,
    RadioSet,
    SelectionList,
    Sparkline,
    Static,
)
from textual.widgets.selection_list import Selection
from textual.worker import get_current_worker

from ..display import safe
from ..errors import NewsgrepError
from ..hits import Hit, SearchResult
from ..query import SORTS
from .session import PAGE, Facets, Filters, Session

DEBOUNCE = 0.18  # seconds of quiet typing before a query runs
# Facets wait this long after the results are on screen: counting holds the GIL, so it
# must not run while the user is still typing (it would slow the next query's results).
FACETS_DELAY = 0.3
WIDE = 100  # from this many columns the filter panel shows without asking

HELP = """\
[b]newsgrep browse[/b]: the list follows the query as you type.

[b]Search box[/b]
  enter, down       go to the results
  esc               (from the results) back to the box;  /  from anywhere
[b]Results[/b]
  enter, click      read the article
  r                 its reprints and similar articles
  o / y             open the file in $PAGER / copy its path
  f                 show or hide the filters (date, sort, sources, languages)
  s                 next sort: relevance, newest, oldest
  home / end        first / last row (the list fetches more at its end)
[b]Reading[/b]
  n / N (or p)      next / previous match
  ] / \\[             next / previous article of the list
  r                 reprints and similar articles
  esc, backspace    back
[b]Anywhere[/b]
  ?, f1 this help   t light/dark   q, ctrl+q quit   tab moves between panes

[b]Query syntax[/b]
  troops baltic         all words (title or body)
  "exact phrase"        words in this order
  "troops baltic"~5     the words within 5 positions
  nato OR otan          either;  NOT word, -word exclude;  ( ... ) groups
  deploy*   budgt~      prefix;  fuzzy (one edit)
  title:latvia  source:meduza  lang:ru  date:2022-02  date:\\[2022-01 TO 2022-02]

Filters: From/To take YYYY, YYYY-MM, YYYY-MM-DD or "3 weeks", "last month";
sources and languages show their number of matches; space ticks one.
"""


def _cell(text: str | None, width: int | None = None) -> Text:
    """A table cell shown literally (article text is never markup), cut to width."""
    t = Text(safe(text or ""), no_wrap=True, overflow="ellipsis")
    if width is not None:
        t.truncate(width, overflow="ellipsis")
    return t


def _date(hit: Hit) -> str:
    return hit.date.isoformat() if hit.date else ""


def _from_thread(app: App, callback, *args, **kwargs) -> None:
    """Run callback on the app's thread; nothing if the app closed meanwhile (a worker
    answering after the user quit)."""
    try:
        app.call_from_thread(callback, *args, **kwargs)
    except RuntimeError:
        pass


def open_in_pager(app: App, path: str) -> None:
    """Show the file in $PAGER (less), with the app suspended meanwhile."""
    pager = shlex.split(os.environ.get("PAGER") or "less") or ["less"]
    try:
        with app.suspend():
            subprocess.run([*pager, path], check=False)
    except Exception as e:  # no terminal to hand over (headless), pager missing...
        app.notify(f"cannot open a pager: {e}", severity="error")


def copy_path(app: App, path: str) -> None:
    app.copy_to_clipboard(path)  # OSC 52: works over ssh when the terminal allows it
    app.notify(f"copied {safe(path)}")


class QueryBox(Input):
    """A one-line input whose down arrow leads to the results (typing stays here)."""

    BINDINGS = [Binding("down", "screen.focus_results", "Results", show=False)]


class HitTable(DataTable):
    """A list of articles, one row each; home/end go to its first and last row."""

    BINDINGS = [Binding("home", "scroll_top", "First", show=False),
                Binding("end", "scroll_bottom", "Last", show=False)]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark,f1", "app.pop_screen", "Close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 84; max-width: 100%; height: auto; max-height: 100%;
                                  border: round $accent; background: $surface; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(HELP)


class ReadingPane(VerticalScroll):
    """An article's text with the matches marked, and a current match to jump between."""

    DEFAULT_CSS = "ReadingPane { height: 1fr; padding: 0 1; }"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.text = ""
        self.marks: list[tuple[int, int]] = []
        self.current = -1

    def compose(self) -> ComposeResult:
        yield Static(id="body")

    def show(self, text: str, marks: list[tuple[int, int]]) -> None:
        self.text, self.marks = text, marks
        self.current = 0 if marks else -1
        self._paint()
        self.call_after_refresh(self._scroll_to_current)

    def jump(self, step: int) -> None:
        if not self.marks:
            return
        self.current = (self.current + step) % len(self.marks)
        self._paint()
        self._scroll_to_current()

    def _paint(self) -> None:
        mono = self.app.no_color
        # Explicit colours (not ANSI names, which themes remap) readable on light and dark.
        style = "reverse" if mono else "bold #000000 on #ffd75f"
        current = "reverse bold underline" if mono else "bold #ffffff on #d7005f"
        t = Text(self.text)
        for i, (s, e) in enumerate(self.marks):
            t.stylize(current if i == self.current else style, s, e)
        self.query_one("#body", Static).update(t)

    def line_of(self, offset: int) -> int:
        """The screen line (after wrapping to the pane's width) holding text[offset]."""
        width = max(1, self.query_one("#body", Static).content_region.width)
        line = 0
        start = 0
        for para in self.text.split("\n"):
            end = start + len(para)
            wrapped = Text(para).wrap(self.app.console, width) if para else [Text()]
            if offset <= end:
                pos = start
                for i, piece in enumerate(wrapped):
                    pos += len(piece.plain)
                    if offset < pos:
                        return line + i
                return line + len(wrapped) - 1
            line += len(wrapped)
            start = end + 1
        return line

    def _scroll_to_current(self) -> None:
        if self.current < 0:
            return
        y = self.line_of(self.marks[self.current][0])
        if not self.scroll_offset.y <= y < self.scroll_offset.y + self.size.height:
            self.scroll_to(y=max(0, y - self.size.height // 3), animate=False)


class ArticleScreen(Screen[None]):
    """One article, clean text, the query's matches highlighted."""

    BINDINGS = [
        Binding("escape,backspace", "app.pop_screen", "Back"),
        Binding("n", "jump(1)", "Next match"),
        Binding("N,p", "jump(-1)", "Prev match"),
        Binding("right_square_bracket", "step(1)", "Next article", show=False),
        Binding("left_square_bracket", "step(-1)", "Prev article", show=False),
        Binding("r", "related", "Related"),
        Binding("o", "pager", "Pager"),
        Binding("y", "copy", "Copy"),
    ]
    DEFAULT_CSS = """
    ArticleScreen #art-title { text-style: bold; padding: 0 1; color: $accent; }
    ArticleScreen #art-meta { color: $text-muted; padding: 0 1; }
    """

    def __init__(self, session: Session, article_id: str, query: str,
                 siblings: list[str] | None = None) -> None:
        super().__init__()
        self.session, self.article_id, self.text_query = session, article_id, query
        self.article_ids = siblings or [article_id]  # the list it was opened from, for ] and [
        self.path = ""
        self._meta = ""

    def compose(self) -> ComposeResult:
        yield Static(id="art-title")
        yield Static(id="art-meta")
        yield ReadingPane(id="reading")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._load()

    def _load(self) -> None:
        article = self.session.article(self.article_id)
        pane = self.query_one(ReadingPane)
        pane.scroll_home(animate=False)
        if article is None:
            self.query_one("#art-title", Static).update("this article is no longer in the index")
            return
        self.path = article.path
        text, marks = self.session.highlight(article, self.text_query)
        self.query_one("#art-title", Static).update(Text(safe(article.title or "(untitled)")))
        self._meta = " · ".join(x for x in (
            article.date.isoformat() if article.date else "undated",
            article.source, article.lang, safe(article.path)) if x)
        pane.show(text, marks)
        self._show_meta()
        pane.focus()

    def _show_meta(self) -> None:
        pane = self.query_one(ReadingPane)
        where = f"match {pane.current + 1} of {len(pane.marks)}" if pane.marks else \
            "no match in the text"
        self.query_one("#art-meta", Static).update(Text(f"{self._meta}\n{where}"))

    def action_jump(self, step: int) -> None:
        self.query_one(ReadingPane).jump(step)
        self._show_meta()

    def action_step(self, step: int) -> None:
        """The next (previous) article of the list this one was opened from."""
        i = self.article_ids.index(self.article_id) + step if self.article_id in self.article_ids \
            else -1
        if 0 <= i < len(self.article_ids):
            self.article_id = self.article_ids[i]
            self._load()

    def action_related(self) -> None:
        self.app.push_screen(RelatedScreen(self.session, self.article_id, self.text_query))

    def action_pager(self) -> None:
        if self.path:
            open_in_pager(self.app, self.path)

    def action_copy(self) -> None:
        if self.path:
            copy_path(self.app, self.path)


class RelatedScreen(Screen[None]):
    """Reprints of an article by other outlets (with how alike), then similar ones."""

    BINDINGS = [
        Binding("escape,backspace", "app.pop_screen", "Back"),
        Binding("o", "pager", "Pager"),
        Binding("y", "copy", "Copy"),
    ]
    DEFAULT_CSS = """
    RelatedScreen #rel-title { text-style: bold; padding: 0 1; }
    RelatedScreen DataTable { height: 1fr; }
    """

    def __init__(self, session: Session, article_id: str, query: str) -> None:
        super().__init__()
        self.session, self.article_id, self.text_query = session, article_id, query
        self.hits: list[Hit] = []

    def compose(self) -> ComposeResult:
        yield Static("reprints and similar articles …", id="rel-title")
        yield HitTable(id="related", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.loading = True
        self.run_worker(self._load, thread=True, group="related")

    def _load(self) -> None:
        try:
            result, err = self.session.related(self.article_id), None
        except Exception as e:  # never crash the app: say it
            result, err = None, str(e)
        _from_thread(self.app, self._show, result, err)

    def _show(self, result: SearchResult | None, err: str | None) -> None:
        table = self.query_one(DataTable)
        table.loading = False
        title = self.query_one("#rel-title", Static)
        if result is None:
            title.update(Text(f"cannot find related articles: {err}"))
            return
        self.hits = result.hits
        reprints = sum(h.similarity is not None for h in self.hits)
        title.update(Text(f"{reprints} reprint(s), {len(self.hits) - reprints} similar"
                          " article(s) · enter reads one"))
        width = max(40, table.size.width or self.app.size.width)
        title_w = max(10, width - 12 - 10 - 16 - 8 - 2)
        table.add_column("kind", width=12)
        table.add_column("title", width=title_w)
        table.add_column("date", width=10)
        table.add_column("source", width=16)
        for h in self.hits:
            kind = f"reprint {h.similarity:.0%}" if h.similarity is not None else "similar"
            table.add_row(_cell(kind), _cell(h.title, title_w), _date(h), _cell(h.source, 16),
                          key=h.id)
        table.focus()

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        self.app.push_screen(ArticleScreen(self.session, str(event.row_key.value),
                                           self.text_query, [h.id for h in self.hits]))

    def _current(self) -> Hit | None:
        table = self.query_one(DataTable)
        if not self.hits or table.cursor_row is None:
            return None
        return self.hits[min(table.cursor_row, len(self.hits) - 1)]

    def action_pager(self) -> None:
        if hit := self._current():
            open_in_pager(self.app, hit.path)

    def action_copy(self) -> None:
        if hit := self._current():
            copy_path(self.app, hit.path)


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
        self._title_w, self._source_w = 40, 12
        self._source_options: list[tuple[str, str, bool]] = []
        self._lang_options: list[tuple[str, str, bool]] = []

    # -- layout ----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        f = self.filters
        yield QueryBox(value=f.query, id="query", compact=True,
                       placeholder='search: words, "a phrase", a OR b, title:word … (f1: help)')
        yield Static(id="status")
        with Horizontal(id="main"):
            with VerticalScroll(id="filters"):
                yield Label("From")
                yield QueryBox(value=f.date_from, id="date-from", compact=True,
                               placeholder="2022-01, 3 weeks")
                yield Label("To")
                yield QueryBox(value=f.date_to, id="date-to", compact=True,
                               placeholder="2022-02-15, yesterday")
                yield Label("Sort")
                with RadioSet(id="sort"):
                    for name in SORTS:
                        yield RadioButton(name, value=name == f.sort, name=name)
                yield Label("Sources")
                yield SelectionList[str](id="sources")
                yield Label("Languages")
                yield SelectionList[str](id="langs")
            with Vertical(id="results-pane"):
                yield HitTable(id="results", cursor_type="row", zebra_stripes=True)
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
        table = self.query_one("#results", DataTable)
        row = table.cursor_row
        hits = self.result.hits if self.result else []
        width = self.size.width - (28 if self._filters_shown() else 0)
        source_w = 18 if width >= 90 else 12
        title_w = max(10, width - 3 - 10 - source_w - 8 - 4)  # padding, scrollbar
        if (title_w, source_w) != (self._title_w, self._source_w) or not table.columns:
            self._title_w, self._source_w = title_w, source_w
            table.clear(columns=True)
            table.add_column("#", width=3, key="rank")
            table.add_column("title", width=title_w, key="title")
            table.add_column("date", width=10, key="date")
            table.add_column("source", width=source_w, key="source")
        else:
            table.clear()  # same columns: re-laying them out costs a visible frame
        self._add_rows(hits)
        if hits and row:
            table.move_cursor(row=min(row, len(hits) - 1), animate=False)

    def _add_rows(self, hits: list[Hit]) -> None:
        table = self.query_one("#results", DataTable)
        for hit in hits:
            table.add_row(Text(str(hit.rank), justify="right"), _cell(hit.title, self._title_w),
                          _date(hit), _cell(hit.source, self._source_w), key=hit.id)

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
        self._add_rows([h for h in result.hits if h.id not in have])
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
        chosen = set(self.filters.sources)
        listed = {name for name, _ in facets.sources}
        options = [(f"{name} ({n:,})", name, name in chosen) for name, n in facets.sources]
        options += [(f"{name} (0)", name, True) for name in sorted(chosen - listed)]
        if not facets.sources_complete:
            options.append(("… (biggest sources only)", "", False))
        self._source_options = self._refill(self.query_one("#sources", SelectionList),
                                            options, self._source_options)
        langs = [(f"{code} ({n:,})", code, code == self.filters.lang)
                 for code, n in facets.langs]
        if self.filters.lang and self.filters.lang not in {c for c, _ in facets.langs}:
            langs.append((f"{self.filters.lang} (0)", self.filters.lang, True))
        self._lang_options = self._refill(self.query_one("#langs", SelectionList), langs,
                                          self._lang_options)
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

    @staticmethod
    def _refill(widget: SelectionList, options: list[tuple[str, str, bool]],
                old: list[tuple[str, str, bool]]) -> list[tuple[str, str, bool]]:
        """Replace a facet list's options, unless unchanged (rebuilding moves the
        cursor of someone moving through it)."""
        if options == old:
            return old
        at = widget.highlighted
        widget.clear_options()
        widget.add_options([Selection(Text(safe(label)), value, state, disabled=not value)
                            for label, value, state in options])
        if at is not None and widget.option_count:
            widget.highlighted = min(at, widget.option_count - 1)
        return options

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


class BrowseApp(App[None]):
    """`newsgrep browse`: one open index, searched as you type."""

    TITLE = "newsgrep browse"
    ENABLE_COMMAND_PALETTE = False  # its key is better spent; t switches light/dark
    BINDINGS = [
        Binding("question_mark,f1", "help", "Help"),
        Binding("t", "toggle_theme", "Light/dark"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, session: Session, filters: Filters | None = None) -> None:
        super().__init__()
        self.session = session
        self.filters = filters or Filters()
        if _light_terminal():
            self.theme = "textual-light"

    def on_mount(self) -> None:
        self.push_screen(SearchScreen(self.session, self.filters))

    @property
    def search_screen(self) -> SearchScreen:
        return next(s for s in self.screen_stack if isinstance(s, SearchScreen))

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"


def _light_terminal() -> bool:
    """Whether the terminal says (COLORFGBG, set by rxvt, Konsole, iTerm2...) that its
    background is light: start in the light theme there."""
    bg = os.environ.get("COLORFGBG", "").rsplit(";", 1)[-1]
    return bg in ("7", "15")
