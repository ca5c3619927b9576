"""The search screen's filter panel: the date boxes, the sort, and the sources and
languages of the matches with their counts. The screen owns the filters and handles the
panel's changes (they bubble up to it); the panel shows the facets it is given."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Label, RadioButton, RadioSet, SelectionList
from textual.widgets.selection_list import Selection

from ..display import safe
from ..query import SORTS
from .session import Facets, Filters
from .widgets import QueryBox


class FilterPanel(VerticalScroll):
    """From/To boxes, the sort, and the source and language lists with their counts."""

    def __init__(self, filters: Filters, **kwargs) -> None:
        super().__init__(**kwargs)
        self._initial = filters  # the values the boxes start with
        self._source_options: list[tuple[str, str, bool]] = []
        self._lang_options: list[tuple[str, str, bool]] = []

    def compose(self) -> ComposeResult:
        f = self._initial
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

    def show_facets(self, facets: Facets, filters: Filters) -> None:
        """List the sources and languages of the matches; the chosen ones stay listed
        (and ticked) even when they have no match now."""
        chosen = set(filters.sources)
        listed = {name for name, _ in facets.sources}
        options = [(f"{name} ({n:,})", name, name in chosen) for name, n in facets.sources]
        options += [(f"{name} (0)", name, True) for name in sorted(chosen - listed)]
        if not facets.sources_complete:
            options.append(("… (biggest sources only)", "", False))
        self._source_options = self._refill(self.query_one("#sources", SelectionList),
                                            options, self._source_options)
        langs = [(f"{code} ({n:,})", code, code == filters.lang)
                 for code, n in facets.langs]
        if filters.lang and filters.lang not in {c for c, _ in facets.langs}:
            langs.append((f"{filters.lang} (0)", filters.lang, True))
        self._lang_options = self._refill(self.query_one("#langs", SelectionList), langs,
                                          self._lang_options)

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
