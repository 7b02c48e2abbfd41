"""DocumentList: every document (no query) or the ranked hits, as fixed-height rows.

A Line API widget rather than an ``OptionList``: OptionList measures the height of every option
whenever options change, which for a 10,000-document browse list costs about a second; rows of a
fixed height let ``render_line`` draw only what is on screen, whatever the length of the list.
"""

from __future__ import annotations

from dataclasses import dataclass

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

from index.models import DocSummary, Hit, Span

from .layout import centre_on, fit, foreground, one_line, text_segments, wrap_offsets


@dataclass(frozen=True)
class Row:
    """What one list row shows; ``matches`` is None for a plain (no query) row."""

    id: str
    title: str
    meta: str
    matches: tuple[Span, ...] | None = None
    snippet: str = ""
    marks: tuple[Span, ...] = ()

    @classmethod
    def of_summary(cls, doc: DocSummary) -> "Row":
        return cls(doc.id, doc.title, _meta(doc.source, doc.publisher, doc.date))

    @classmethod
    def of_hit(cls, hit: Hit) -> "Row":
        return cls(
            hit.id, hit.title, _meta(hit.source, hit.publisher, hit.date), hit.matches,
            hit.snippet.text, tuple(hit.snippet.marks),
        )


def _meta(source: str, publisher: str, date: str | None) -> str:
    return " · ".join(x for x in (publisher, (date or "")[:10], source) if x)


TWO_LINE_TITLES_BELOW = 30
"""A list narrower than this many columns gives each title two lines."""


def _title_line(title: str, part: int, lines: int, width: int) -> str:
    """Line ``part`` of ``title`` wrapped between words onto ``lines`` lines of ``width`` cells;
    the last line keeps the rest (``fit`` cuts it with an ellipsis)."""
    if lines == 1:
        return title
    breaks = wrap_offsets(title, 0, len(title), width)
    if part >= len(breaks):
        return ""
    start, end = breaks[part]
    return (title[start:end] if part < lines - 1 else title[start:]).rstrip()


class DocumentList(ScrollView, can_focus=True):
    """The documents to choose from. Enter (or a click) opens the row under the cursor."""

    COMPONENT_CLASSES = {
        "document-list--title",
        "document-list--meta",
        "document-list--snippet",
        "document-list--mark",
        "document-list--cursor",
        "document-list--open",
        "document-list--placeholder",
    }

    BINDINGS = [
        Binding("j,down", "cursor_down", "Down", id="list.cursor-down", show=False),
        Binding("k,up", "cursor_up", "Up", id="list.cursor-up", show=False),
        Binding("g,home", "first", "First", id="list.first", show=False),
        Binding("G,end", "last", "Last", id="list.last", show=False),
        Binding("pagedown", "page_down", "Page down", id="list.page-down", show=False),
        Binding("pageup", "page_up", "Page up", id="list.page-up", show=False),
        Binding("enter", "screen.open_row", "Open", id="list.open"),
    ]

    class Opened(Message):
        """The user clicked a row to open its document (Enter runs the screen's ``open_row``
        action directly, so that keys typed after it wait for the document)."""

        def __init__(self, row: Row) -> None:
            super().__init__()
            self.row = row

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.rows: tuple[Row, ...] = ()
        """The rows shown, in order."""
        self.cursor = 0
        self.open_id: str | None = None
        """The id of the document open in the reader (marked in its row)."""
        self.placeholder = "Loading…"
        self._version = 0
        self._cache: LRUCache[tuple, Strip] = LRUCache(256)

    # -- content ---------------------------------------------------------------------------
    @property
    def title_lines(self) -> int:
        """Title lines per row: two in a narrow list (80 columns), where one would cut most titles."""
        width = self.scrollable_content_region.width or self.size.width
        return 2 if 0 < width < TWO_LINE_TITLES_BELOW else 1

    @property
    def row_height(self) -> int:
        return self.title_lines + (2 if any(row.matches is not None for row in self.rows[:1]) else 1)

    def show_rows(self, rows: tuple[Row, ...], placeholder: str = "", keep: str | None = None, extend: bool = False) -> None:
        """Replace the rows; the cursor goes to the row with id ``keep`` when present, else the top.
        With ``extend`` (more rows of the same list) the view stays where it is."""
        self.rows = rows
        self.placeholder = placeholder
        self.cursor = 0
        if keep is not None:
            self.cursor = next((i for i, row in enumerate(rows) if row.id == keep), 0)
        self.virtual_size = Size(self.scrollable_content_region.width, len(rows) * self.row_height)
        if not extend:
            self.scroll_to(y=0, animate=False, immediate=True, force=True)
        self._scroll_to_cursor()
        self._changed()

    def set_open(self, doc_id: str | None) -> None:
        """Mark the row of the open document."""
        self.open_id = doc_id
        self._changed()

    def index_of(self, doc_id: str | None) -> int | None:
        return next((i for i, row in enumerate(self.rows) if row.id == doc_id), None)

    @property
    def current(self) -> Row | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def move_to(self, index: int) -> None:
        """Put the cursor on row ``index`` and scroll it into view."""
        if not self.rows:
            return
        self.cursor = max(0, min(index, len(self.rows) - 1))
        self._scroll_to_cursor()
        self._changed()

    def _changed(self) -> None:
        self._version += 1
        self.refresh()

    def _scroll_to_cursor(self) -> None:
        height = max(1, self.scrollable_content_region.height or self.size.height)
        top = self.cursor * self.row_height
        bottom = top + self.row_height
        if top < self.scroll_y:
            self.scroll_to(y=top, animate=False, immediate=True, force=True)
        elif bottom > self.scroll_y + height:
            self.scroll_to(y=bottom - height, animate=False, immediate=True, force=True)

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.rows) * self.row_height)
        self._scroll_to_cursor()

    # -- actions ---------------------------------------------------------------------------
    def action_cursor_down(self) -> None:
        self.move_to(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_to(self.cursor - 1)

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(len(self.rows) - 1)

    def _page(self) -> int:
        return max(1, (self.scrollable_content_region.height or 1) // self.row_height)

    def action_page_down(self) -> None:
        self.move_to(self.cursor + self._page())

    def action_page_up(self) -> None:
        self.move_to(self.cursor - self._page())

    def action_open(self) -> None:
        if self.current is not None:
            self.post_message(self.Opened(self.current))

    def on_click(self, event: events.Click) -> None:
        index = (round(self.scroll_y) + event.y) // self.row_height
        if 0 <= index < len(self.rows):
            self.move_to(index)
            self.action_open()

    def on_focus(self) -> None:
        self._changed()

    def on_blur(self) -> None:
        self._changed()

    # -- drawing ---------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width or self.size.width
        base = self.rich_style
        line = round(self.scroll_y) + y
        if not self.rows:
            if y == 0 and self.placeholder:
                text = fit(Text(" " + self.placeholder, style=base + self.get_component_rich_style("document-list--placeholder")), width)
                return Strip(text_segments(text, self.app.console)).crop_extend(0, width, base)
            return Strip.blank(width, base)
        index, part = divmod(line, self.row_height)
        if index >= len(self.rows):
            return Strip.blank(width, base)
        key = (self._version, index, part, width, self.has_focus)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._render_part(self.rows[index], index, part, width, base)
            self._cache[key] = strip
        return strip

    def _render_part(self, row: Row, index: int, part: int, width: int, base: Style) -> Strip:
        style = self.get_component_rich_style
        if index == self.cursor:
            base = style("document-list--cursor")
            marker = "▌" if self.has_focus else "▏"
        else:
            marker = " "
        is_open = row.id == self.open_id
        inner = max(1, width - 2)
        titles = self.title_lines
        if part < titles:
            text = Text(_title_line(one_line(row.title) or "(untitled)", part, titles, inner),
                        style=foreground(style("document-list--title")))
            if is_open:
                text.stylize(foreground(style("document-list--open")))
        elif part == titles:
            meta = one_line(row.meta)
            if row.matches is not None:
                count = len(row.matches)
                meta = f"{count} match{'es' if count != 1 else ''} · {meta}"
            text = Text(meta, style=foreground(style("document-list--meta")))
        else:
            snippet, marks = centre_on(one_line(row.snippet), row.marks, inner)
            text = Text(snippet, style=foreground(style("document-list--snippet")))
            for start, end in marks:
                text.stylize(style("document-list--mark"), start, end)
        text = fit(text, inner)
        text.end = ""
        bullet = "•" if is_open and part == 0 else " "
        segments = [Segment(marker + bullet, base)]
        segments += text_segments(text, self.app.console, base)
        return Strip(segments).crop_extend(0, width, base)
