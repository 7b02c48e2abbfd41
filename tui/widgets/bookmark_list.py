"""BookmarkList: bookmarks as fixed-height rows (title and status, the quote, note and tags).

A Line API widget, like ``DocumentList``: an ``OptionList`` of 10,000 bookmarks took ~1.7 s to
open and ~1.4 s per filter keystroke (it measures every option); fixed-height rows drawn by
``render_line`` cost only what is on screen.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from index.bookmarks import Bookmark

from .layout import fit, one_line, text_segments

ROW_HEIGHT = 4
"""Title line, quote line, note-and-tags line, blank line."""


class BookmarkList(ScrollView, can_focus=True):
    """The bookmarks to choose from. Enter (or a click) opens the one under the cursor."""

    COMPONENT_CLASSES = {
        "bookmark-list--title",
        "bookmark-list--meta",
        "bookmark-list--quote",
        "bookmark-list--extra",
        "bookmark-list--moved",
        "bookmark-list--orphaned",
        "bookmark-list--cursor",
        "bookmark-list--placeholder",
    }

    DEFAULT_CSS = """
    BookmarkList {
        overflow-x: hidden;
        scrollbar-gutter: stable;
        scrollbar-size-vertical: 1;
    }
    BookmarkList > .bookmark-list--title { text-style: bold; }
    BookmarkList > .bookmark-list--meta { color: $text-muted; }
    BookmarkList > .bookmark-list--quote { color: $text; }
    BookmarkList > .bookmark-list--extra { color: $text-muted; text-style: italic; }
    BookmarkList > .bookmark-list--moved { color: $warning; text-style: bold; }
    BookmarkList > .bookmark-list--orphaned { color: $error; text-style: bold reverse; }
    BookmarkList > .bookmark-list--cursor { background: $primary 30%; }
    BookmarkList:focus > .bookmark-list--cursor { background: $primary 55%; }
    BookmarkList > .bookmark-list--placeholder { color: $text-muted; text-style: italic; }
    """

    BINDINGS = [
        Binding("j,down", "cursor_down", "Down", id="bookmark-list.cursor-down", show=False),
        Binding("k,up", "cursor_up", "Up", id="bookmark-list.cursor-up", show=False),
        Binding("g,home", "first", "First", id="bookmark-list.first", show=False),
        Binding("G,end", "last", "Last", id="bookmark-list.last", show=False),
        Binding("pagedown", "page_down", "Page down", id="bookmark-list.page-down", show=False),
        Binding("pageup", "page_up", "Page up", id="bookmark-list.page-up", show=False),
        Binding("enter", "open", "Open", id="bookmark-list.open"),
    ]

    class Opened(Message):
        """The user asked to open the passage of a bookmark."""

        def __init__(self, mark: Bookmark) -> None:
            super().__init__()
            self.mark = mark

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.marks: tuple[Bookmark, ...] = ()
        """The bookmarks shown, in order."""
        self.cursor = 0
        self.placeholder = "Loading bookmarks…"
        self._version = 0
        self._cache: LRUCache[tuple, Strip] = LRUCache(256)

    # -- content ---------------------------------------------------------------------------
    def show(self, marks: tuple[Bookmark, ...], placeholder: str = "", keep: str | None = None) -> None:
        """Replace the bookmarks; the cursor goes to the one with id ``keep`` when present, else the top."""
        self.marks = marks
        self.placeholder = placeholder
        self.cursor = next((i for i, m in enumerate(marks) if m.id == keep), 0) if keep else 0
        self.virtual_size = Size(self.scrollable_content_region.width, len(marks) * ROW_HEIGHT)
        self.scroll_to(y=0, animate=False, immediate=True, force=True)
        self._scroll_to_cursor()
        self._changed()

    @property
    def current(self) -> Bookmark | None:
        return self.marks[self.cursor] if 0 <= self.cursor < len(self.marks) else None

    def move_to(self, index: int) -> None:
        """Put the cursor on row ``index`` and scroll it into view."""
        if not self.marks:
            return
        self.cursor = max(0, min(index, len(self.marks) - 1))
        self._scroll_to_cursor()
        self._changed()

    def _changed(self) -> None:
        self._version += 1
        self.refresh()

    def _scroll_to_cursor(self) -> None:
        height = max(1, self.scrollable_content_region.height or self.size.height)
        top = self.cursor * ROW_HEIGHT
        bottom = top + ROW_HEIGHT - 1
        if top < self.scroll_y:
            self.scroll_to(y=top, animate=False, immediate=True, force=True)
        elif bottom > self.scroll_y + height:
            self.scroll_to(y=bottom - height, animate=False, immediate=True, force=True)

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.marks) * ROW_HEIGHT)
        self._scroll_to_cursor()

    # -- actions ---------------------------------------------------------------------------
    def action_cursor_down(self) -> None:
        self.move_to(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_to(self.cursor - 1)

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(len(self.marks) - 1)

    def _page(self) -> int:
        return max(1, (self.scrollable_content_region.height or 1) // ROW_HEIGHT)

    def action_page_down(self) -> None:
        self.move_to(self.cursor + self._page())

    def action_page_up(self) -> None:
        self.move_to(self.cursor - self._page())

    def action_open(self) -> None:
        if self.current is not None:
            self.post_message(self.Opened(self.current))

    def on_click(self, event: events.Click) -> None:
        index = (round(self.scroll_y) + event.y) // ROW_HEIGHT
        if 0 <= index < len(self.marks):
            self.move_to(index)

    def on_focus(self) -> None:
        self._changed()

    def on_blur(self) -> None:
        self._changed()

    # -- drawing ---------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width or self.size.width
        base = self.rich_style
        line = round(self.scroll_y) + y
        if not self.marks:
            if y == 0 and self.placeholder:
                style = base + self.get_component_rich_style("bookmark-list--placeholder")
                text = fit(Text(" " + self.placeholder, style=style), width)
                return Strip(text_segments(text, self.app.console)).crop_extend(0, width, base)
            return Strip.blank(width, base)
        index, part = divmod(line, ROW_HEIGHT)
        if index >= len(self.marks):
            return Strip.blank(width, base)
        key = (self._version, index, part, width, self.has_focus)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._render_part(self.marks[index], index, part, width, base)
            self._cache[key] = strip
        return strip

    def _render_part(self, mark: Bookmark, index: int, part: int, width: int, base: Style) -> Strip:
        style = self.get_component_rich_style
        if part == ROW_HEIGHT - 1:
            return Strip.blank(width, base)
        if index == self.cursor:
            base = base + style("bookmark-list--cursor", partial=True)
            marker = "▌ " if self.has_focus else "▏ "
        else:
            marker = "  "
        inner = max(1, width - 2)
        if part == 0:
            text = Text(one_line(mark.title or mark.source or mark.doc_id), style=style("bookmark-list--title", partial=True))
            if mark.status != "anchored":
                text.append(f" {mark.status} ", style=style(f"bookmark-list--{mark.status}", partial=True))
            text.append(f"  {mark.created[:10]}", style=style("bookmark-list--meta", partial=True))
        elif part == 1:
            text = Text("“" + one_line(" ".join(mark.quote[:width * 3].split())) + "”", style=style("bookmark-list--quote", partial=True))
        else:
            extra = " · ".join(x for x in (one_line(mark.note), " ".join(f"#{one_line(t)}" for t in mark.tags)) if x)
            text = Text(extra, style=style("bookmark-list--extra", partial=True))
        text = fit(text, inner)
        text.end = ""
        segments = [Segment(marker, base)]
        segments += text_segments(text, self.app.console, base)
        return Strip(segments).crop_extend(0, width, base)
