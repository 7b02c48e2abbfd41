"""DocumentList: every document (no query) or the ranked hits, as fixed-height rows.

A ``RowList`` (Line API, fixed-height rows) rather than an ``OptionList``, which measures every
option whenever the options change: about a second for a 10,000-document browse list.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.strip import Strip

from index.models import DocSummary, Hit, Span

from .layout import ELLIPSIS, fit, fit_snippet, foreground, one_line, shorten, text_segments, wrap_offsets
from .row_list import RowList


@dataclass(frozen=True)
class Row:
    """What one list row shows; ``matches`` is None for a plain (no query) row."""

    id: str
    title: str
    date: str = ""
    """The date in short form (``2025-02-08``), or empty."""
    source: str = ""
    """Where the document comes from: its publisher, else its file name."""
    matches: tuple[Span, ...] | None = None
    snippet: str = ""
    marks: tuple[Span, ...] = ()

    @classmethod
    def of_summary(cls, doc: DocSummary) -> "Row":
        return cls(doc.id, doc.title, short_date(doc.date), source_label(doc.source, doc.publisher))

    @classmethod
    def of_hit(cls, hit: Hit) -> "Row":
        return cls(
            hit.id, hit.title, short_date(hit.date), source_label(hit.source, hit.publisher), hit.matches,
            hit.snippet.text, tuple(hit.snippet.marks),
        )


def short_date(date: str | None) -> str:
    """``2025-02-08`` for ``2025-02-08T11:00:00+00:00``: the day is what a list row needs."""
    return one_line(date or "")[:10]


def source_label(source: str, publisher: str) -> str:
    """The publisher when there is one, else the file's name (without its folders)."""
    return one_line(publisher.strip() or PurePosixPath(source).name or source)


SEPARATOR = " · "


def meta_line(count: int | None, date: str, source: str, width: int, short: bool = False) -> str:
    """The row's second line: number of matches (``12 matches``, or ``12×`` when ``short``), date
    and source, in ``width`` cells.

    The count and the date are never cut; the source is shortened between words or name segments
    (``China…``, ``000…``), or left out when not even its first word fits.
    """
    counted = None
    if count is not None:
        counted = f"{count}×" if short else f"{count} match{'es' if count != 1 else ''}"
    head = SEPARATOR.join(x for x in (counted, date) if x)
    room = width - cell_len(head) - (cell_len(SEPARATOR) if head else 0)
    label = shorten(source, room) if source and room > 0 else ""
    return SEPARATOR.join(x for x in (head, label) if x)  # a head wider than the row: fit() cuts it


def needs_short_counts(rows: tuple["Row", ...], width: int) -> bool:
    """Would some row of a result list lose its source (or more) with counts written in full?
    Then the whole list counts as ``12×``, so its rows read alike."""
    for row in rows:
        if row.matches is not None:
            line = meta_line(len(row.matches), row.date, row.source, width)
            if cell_len(line) > width or (row.source and not line.endswith((row.source, ELLIPSIS))):
                return True
    return False


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
        self._counts_width: int | None = None
        """The width ``_counts_short`` was decided for (None: decide again, the rows changed)."""
        self._counts_short = False

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
        self._counts_width = None
        self.replace_items(rows, placeholder, cursor, extend)

    def _short_counts(self, width: int) -> bool:
        """Whether this list, at ``width``, counts matches as ``12×`` (decided once per list and width)."""
        if self._counts_width != width:
            self._counts_width, self._counts_short = width, needs_short_counts(self.items, width)
        return self._counts_short

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
            count = None if row.matches is None else len(row.matches)
            line = meta_line(count, row.date, row.source, inner, self._short_counts(inner))
            text = Text(line, style=foreground(style("document-list--meta")))
        else:
            snippet, marks = fit_snippet(one_line(row.snippet), row.marks, inner)
            text = Text(snippet, style=foreground(style("document-list--snippet")))
            for start, end in marks:
                text.stylize(style("document-list--mark"), start, end)
        text = fit(text, inner)
        text.end = ""
        bullet = "•" if is_open and part == 0 else " "
        segments = [Segment(marker + bullet, base)]
        segments += text_segments(text, self.app.console, base)
        return Strip(segments).crop_extend(0, width, base)
