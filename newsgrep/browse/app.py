"""`newsgrep browse`: the Textual app. Screens and widgets only; every index call goes
through session.Session, run in worker threads so typing never waits on a search."""

from __future__ import annotations

import os

from textual.app import App
from textual.binding import Binding

from .screens import HelpScreen
from .search_screen import SearchScreen
from .session import Filters, Session


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
