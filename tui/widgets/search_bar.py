"""SearchBar: the query input at the top; every edit searches (the screen debounces nothing:
a newer query cancels the older search and late results are dropped)."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input


class SearchBar(Input):
    """The query. Enter moves to the list, Esc (or Down) leaves the input."""

    BINDINGS = [
        Binding("escape", "screen.focus_pane('list')", "Leave search", id="search.leave"),
        Binding("down", "screen.focus_pane('list')", "To list", id="search.to-list", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            placeholder='Search: words, "a phrase", prefix*, AND OR NOT   (/ to focus)',
            id=id,
            select_on_focus=False,
            compact=True,
        )
