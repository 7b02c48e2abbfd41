"""SearchBar: the query input at the top; every edit searches (the screen debounces nothing:
a newer query cancels the older search and late results are dropped)."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input


class SearchBar(Input):
    """The query. Enter moves to the list, Esc (or Down) leaves the input; focusing it with ``/``
    selects the query, so typing replaces it and an arrow key edits it."""

    # Priority bindings: they run when the key arrives, before the keys typed after it are handed
    # to the input, so "/query Enter Enter n" typed in one burst (over SSH) does what it says.
    BINDINGS = [
        Binding("enter", "screen.focus_pane('list')", "To list", id="search.submit", priority=True),
        Binding("escape", "screen.focus_pane('list')", "Leave search", id="search.leave", priority=True),
        Binding("down", "screen.focus_pane('list')", "To list", id="search.to-list", show=False, priority=True),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            placeholder='Search: words, "a phrase", prefix*, AND OR NOT   (/ to focus)',
            id=id,
            compact=True,
        )
