"""The search screen's results: a row per hit (rank, title, date, source), the title and
source columns sized to the width the screen gives the table."""

from __future__ import annotations

from rich.text import Text

from ..hits import Hit
from .widgets import HitTable, _cell, _date


class ResultsTable(HitTable):
    """The hits of the current query, more appended as the user reaches the end."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._title_w, self._source_w = 40, 12

    def show_hits(self, hits: list[Hit], width: int) -> None:
        """List `hits` in `width` columns, the cursor kept on its row where it can be."""
        row = self.cursor_row
        source_w = 18 if width >= 90 else 12
        title_w = max(10, width - 3 - 10 - source_w - 8 - 4)  # padding, scrollbar
        if (title_w, source_w) != (self._title_w, self._source_w) or not self.columns:
            self._title_w, self._source_w = title_w, source_w
            self.clear(columns=True)
            self.add_column("#", width=3, key="rank")
            self.add_column("title", width=title_w, key="title")
            self.add_column("date", width=10, key="date")
            self.add_column("source", width=source_w, key="source")
        else:
            self.clear()  # same columns: re-laying them out costs a visible frame
        self.add_hits(hits)
        if hits and row:
            self.move_cursor(row=min(row, len(hits) - 1), animate=False)

    def add_hits(self, hits: list[Hit]) -> None:
        for hit in hits:
            self.add_row(Text(str(hit.rank), justify="right"), _cell(hit.title, self._title_w),
                         _date(hit), _cell(hit.source, self._source_w), key=hit.id)
