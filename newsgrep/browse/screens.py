"""The screens opened from the results: help, one article, its reprints and related
articles."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import (
    DataTable,
    Footer,
    Static,
)

from ..display import safe
from ..hits import Hit, SearchResult
from .session import Session
from .widgets import HitTable, ReadingPane, _cell, _date, _from_thread, copy_path, open_in_pager

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
