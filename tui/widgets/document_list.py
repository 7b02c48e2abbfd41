"""DocumentList: every document (no query) or the ranked hits, as fixed-height rows.

A ``RowList`` (Line API, fixed-height rows) rather than an ``OptionList``, which measures every
option whenever the options change: about a second for a 10,000-document browse list.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.strip import Strip

from index.models import DocSummary, Hit, Span

from .layout import centre_on, fit, foreground, one_line, text_segments, wrap_offsets
from .row_list import RowList


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


class DocumentList(RowList[Row]):
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

    PLACEHOLDER_CLASS = "document-list--placeholder"

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("Loading…", id=id, classes=classes)
        self.open_id: str | None = None
        """The id of the document open in the reader (marked in its row)."""

    # -- content ---------------------------------------------------------------------------
    @property
    def rows(self) -> tuple[Row, ...]:
        """The rows shown, in order."""
        return self.items

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
        cursor = next((i for i, row in enumerate(rows) if row.id == keep), 0) if keep is not None else 0
        self.replace_items(rows, placeholder, cursor, extend)

    def set_open(self, doc_id: str | None) -> None:
        """Mark the row of the open document."""
        self.open_id = doc_id
        self._changed()

    def index_of(self, doc_id: str | None) -> int | None:
        return next((i for i, row in enumerate(self.rows) if row.id == doc_id), None)

    def action_open(self) -> None:
        if self.current is not None:
            self.post_message(self.Opened(self.current))

    def open_current(self) -> None:
        self.action_open()

    # -- drawing ---------------------------------------------------------------------------
    def render_row_line(self, row: Row, index: int, part: int, width: int, base: Style) -> Strip:
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
