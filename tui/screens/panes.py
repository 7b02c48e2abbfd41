"""The panes of the main screen, mixed into ``MainScreen``: which pane has the keys, Tab and
Shift+Tab between them, ``/`` to the search box, Space paging the reader from anywhere, and the
sidebar folding away below ``NARROW`` columns (``e`` swaps it with the list there)."""

from __future__ import annotations

from textual.screen import Screen

from ..widgets.search_bar import SearchBar

NARROW = 110
"""Below this many columns the sidebar folds away (``e`` swaps it with the list)."""
PANES = {"search": "#search", "list": "#list", "reader": "#reader", "sidebar": "#entity-options"}


class Panes(Screen):
    """Pane focus and the narrow layout; the panes and the key bindings are the main screen's."""

    def on_resize(self) -> None:
        self.set_class(self.size.width < NARROW, "-narrow")

    def action_scroll_reader(self) -> None:
        """Space from the list pages the reader, as in a mail reader."""
        self.reader.action_page_down()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "focus_pane" and parameters == ("search",) and isinstance(self.focused, SearchBar):
            return False
        return super().check_action(action, parameters)

    def action_focus_pane(self, name: str) -> None:
        if name == "sidebar" and self.has_class("-narrow"):
            self.add_class("-sidebar")
        if name == "list" and self.has_class("-narrow"):
            self.remove_class("-sidebar")
        # set_focus now, not focus() (which waits a refresh): keys typed ahead over a slow link
        # (``/query`` Enter Enter n) must reach the pane they were meant for.
        self.set_focus(self.query_one(PANES[name]))

    def focus_pane(self, name: str) -> None:
        self.action_focus_pane(name)

    def action_toggle_sidebar(self) -> None:
        if self.has_class("-narrow"):
            self.toggle_class("-sidebar")
            shown = self.has_class("-sidebar")
        else:
            self.toggle_class("-no-sidebar")
            shown = not self.has_class("-no-sidebar")
        if shown:
            self.set_focus(self.query_one("#entity-options"))
        elif self.focused is None or self.focused.id == "entity-options":
            self.set_focus(self.query_one("#list"))
