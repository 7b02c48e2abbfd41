"""RowList: a focusable list of fixed-height rows drawn with the Line API.

The base of ``DocumentList`` and ``BookmarkList``. An ``OptionList`` measures every option whenever
the options change (about a second for 10,000 documents); rows of a fixed height let
``render_line`` draw only what is on screen, whatever the length of the list. Subclasses give the
row height and draw one line of a row in ``render_row_line``; the cursor, scrolling, paging, clicks
and the line cache live here.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.cache import LRUCache
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from .layout import fit, text_segments, wrap_offsets

T = TypeVar("T")


class RowList(ScrollView, Generic[T], can_focus=True):
    """Rows of ``row_height`` lines, one cursor; ``open_current`` runs on Enter's action and clicks."""

    PLACEHOLDER_CLASS = ""
    """The component class of the lines shown when there are no rows."""
    TRAILING_BLANK = 0
    """Blank lines closing each row, which need not be scrolled into view with it."""

    def __init__(self, placeholder: str, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.items: tuple[T, ...] = ()
        self.cursor = 0
        self.placeholder = placeholder
        """Shown when there are no rows, wrapped between words."""
        self._version = 0
        self._cache: LRUCache[tuple, Strip] = LRUCache(256)

    # -- to fill in ------------------------------------------------------------------------
    @property
    def row_height(self) -> int:
        raise NotImplementedError

    def render_row_line(self, item: T, index: int, part: int, width: int, base: Style) -> Strip:
        """Line ``part`` of row ``index`` (``item``), ``width`` cells wide over ``base``."""
        raise NotImplementedError

    def open_current(self) -> None:
        """What a click on a row does after moving the cursor there (nothing by default)."""

    # -- content ---------------------------------------------------------------------------
    def replace_items(self, items: tuple[T, ...], placeholder: str, cursor: int = 0, extend: bool = False) -> None:
        """Show ``items`` with the cursor on row ``cursor``; with ``extend`` (more rows of the
        same list) the view stays where it is, else it goes to the top."""
        self.items = items
        self.placeholder = placeholder
        self.cursor = cursor
        self._size_to_rows()
        if not extend:
            self.scroll_to(y=0, animate=False, immediate=True, force=True)
        self._scroll_to_cursor()
        self._changed()

    @property
    def current(self) -> T | None:
        return self.items[self.cursor] if 0 <= self.cursor < len(self.items) else None

    def move_to(self, index: int) -> None:
        """Put the cursor on row ``index`` and scroll it into view."""
        if not self.items:
            return
        self.cursor = max(0, min(index, len(self.items) - 1))
        self._scroll_to_cursor()
        self._changed()

    def _changed(self) -> None:
        self._version += 1
        self.refresh()

    def _size_to_rows(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.items) * self.row_height)

    def _scroll_to_cursor(self) -> None:
        height = max(1, self.scrollable_content_region.height or self.size.height)
        top = self.cursor * self.row_height
        bottom = top + self.row_height - self.TRAILING_BLANK
        if top < self.scroll_y:
            self.scroll_to(y=top, animate=False, immediate=True, force=True)
        elif bottom > self.scroll_y + height:
            self.scroll_to(y=bottom - height, animate=False, immediate=True, force=True)

    def on_resize(self, event: events.Resize) -> None:
        self._size_to_rows()
        self._scroll_to_cursor()

    # -- actions ---------------------------------------------------------------------------
    def action_cursor_down(self) -> None:
        self.move_to(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_to(self.cursor - 1)

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(len(self.items) - 1)

    def _page(self) -> int:
        return max(1, (self.scrollable_content_region.height or 1) // self.row_height)

    def action_page_down(self) -> None:
        self.move_to(self.cursor + self._page())

    def action_page_up(self) -> None:
        self.move_to(self.cursor - self._page())

    def on_click(self, event: events.Click) -> None:
        index = (round(self.scroll_y) + event.y) // self.row_height
        if 0 <= index < len(self.items):
            self.move_to(index)
            self.open_current()

    def on_focus(self) -> None:
        self._changed()

    def on_blur(self) -> None:
        self._changed()

    # -- drawing ---------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width or self.size.width
        base = self.rich_style
        if not self.items:
            lines = wrap_offsets(self.placeholder, 0, len(self.placeholder), width - 1) if self.placeholder else []
            if y < len(lines):
                start, end = lines[y]
                style = base + self.get_component_rich_style(self.PLACEHOLDER_CLASS)
                text = fit(Text(" " + self.placeholder[start:end].rstrip(), style=style), width)
                return Strip(text_segments(text, self.app.console)).crop_extend(0, width, base)
            return Strip.blank(width, base)
        index, part = divmod(round(self.scroll_y) + y, self.row_height)
        if index >= len(self.items):
            return Strip.blank(width, base)
        key = (self._version, index, part, width, self.has_focus)
        strip = self._cache.get(key)
        if strip is None:
            strip = self.render_row_line(self.items[index], index, part, width, base)
            self._cache[key] = strip
        return strip
