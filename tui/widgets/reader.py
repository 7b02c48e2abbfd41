"""Reader: one document, drawn with Textual's Line API so only the visible lines cost anything.

A 52 KB document in a ``Static`` took ~250 ms to switch (MEASURED.md); here opening a document
wraps its paragraphs once (offsets kept, see ``layout.wrap_offsets``) and ``render_line`` styles
the few lines on screen. Spans from ``index/`` are body offsets, so highlighting is a lookup.

The reader has a cursor line (the ``▌`` in the gutter) that j/k move and that a match or mention
jump lands on. ``cursor_offset`` and ``passage_at_cursor()`` tell other features (bookmarks) which
passage the user is looking at; ``selection`` is drawn when set.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import NamedTuple

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

from index.models import Document, Span

from .layout import display_text, foreground, text_segments, wrap_offsets

MAX_MEASURE = 100
"""Longest line of body text in cells: wider than this is hard to read."""
GUTTER = 2


def _starting_at(spans: tuple[Span, ...], start: int | None) -> int | None:
    """The index of the span that starts at ``start``, or None."""
    index = bisect_left(spans, (start,)) if start is not None else len(spans)
    return index if index < len(spans) and spans[index][0] == start else None


class Line(NamedTuple):
    """One screen line: ``source`` 0 is the body (offsets into it), other values index header texts."""

    source: int
    start: int
    end: int
    component: str


class Reader(ScrollView, can_focus=True):
    """The open document: metadata header, then the body with matches and mentions highlighted."""

    COMPONENT_CLASSES = {
        "reader--title",
        "reader--meta",
        "reader--rule",
        "reader--body",
        "reader--match",
        "reader--current-match",
        "reader--mention",
        "reader--current-mention",
        "reader--cursor",
        "reader--selection",
        "reader--placeholder",
        "reader--bookmark",
        "reader--bookmark-sign",
    }

    BINDINGS = [
        Binding("j,down", "cursor_down", "Line down", id="reader.cursor-down", show=False),
        Binding("k,up", "cursor_up", "Line up", id="reader.cursor-up", show=False),
        Binding("space", "page_down", "Page down", id="reader.page-down", key_display="space"),
        Binding("pagedown", "page_down", "Page down", id="reader.page-down", show=False),
        Binding("pageup", "page_up", "Page up", id="reader.page-up", show=False),
        Binding("g,home", "top", "Top", id="reader.top", show=False),
        Binding("G,end", "bottom", "Bottom", id="reader.bottom", show=False),
        Binding("escape", "screen.focus_pane('list')", "Back to list", id="reader.leave", show=False),
    ]

    class Moved(Message):
        """The cursor line moved (the screen shows how far into the document it is)."""

        def __init__(self, percent: int) -> None:
            super().__init__()
            self.percent = percent

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, Reader.Moved)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.document: Document | None = None
        """The document shown, or None."""
        self.matches: tuple[Span, ...] = ()
        """Query match spans, sorted; exactly the spans n/N step through."""
        self.current_match: int | None = None
        self.mentions: tuple[Span, ...] = ()
        """Mention spans of the selected entity, sorted."""
        self.current_mention: int | None = None
        self.selection: Span | None = None
        """A body span drawn as selected (for features that select passages)."""
        self.bookmarks: tuple[Span, ...] = ()
        """Bookmarked body spans, sorted: a gutter sign and a subtle background."""
        self._bookmark_ends: list[int] = []
        self.cursor = 0
        """Index of the cursor line in the laid-out lines."""
        self.placeholder = "Open a document from the list (Enter)."
        self._texts: list[str] = [""]
        self._lines: list[Line] = []
        self._body_starts: list[int] = []
        self._body_rows: list[int] = []
        self._match_ends: list[int] = []
        self._mention_ends: list[int] = []
        self._width = 0
        self._version = 0
        self._cache: LRUCache[tuple, Strip] = LRUCache(512)

    # -- content ---------------------------------------------------------------------------
    def show(self, document: Document | None, matches: tuple[Span, ...] = (), mentions: tuple[Span, ...] = ()) -> None:
        """Show ``document`` with these spans, cursor at the top (callers then jump where they want)."""
        self.document = document
        self.selection = None
        self.cursor = 0
        self._texts = [display_text(document.body)] if document else [""]
        self.matches = self.mentions = ()  # another document: no current match or mention carries over
        self.current_match = self.current_mention = None
        self._match_ends, self._mention_ends = [], []
        self.set_matches(matches)
        self.set_mentions(mentions)
        self.set_bookmarks(())
        self._layout(force=True)
        self.scroll_to(0, 0, animate=False, immediate=True, force=True)

    def set_matches(self, matches: tuple[Span, ...]) -> None:
        """Replace the query matches (no current match until one is stepped to, unless they are
        the same spans: then the current one stays)."""
        matches = tuple(sorted(matches))
        if matches != self.matches:
            self.matches, self.current_match = matches, None
            self._match_ends = [end for _, end in self.matches]
        self._changed()

    def set_mentions(self, mentions: tuple[Span, ...]) -> None:
        """Replace the highlighted entity mentions (no current one until stepped to, unless they
        are the same spans)."""
        mentions = tuple(sorted(mentions))
        if mentions != self.mentions:
            self.mentions, self.current_mention = mentions, None
            self._mention_ends = [end for _, end in self.mentions]
        self._changed()

    def set_bookmarks(self, spans: tuple[Span, ...]) -> None:
        """Replace the bookmarked spans drawn in the open document."""
        self.bookmarks = tuple(sorted(spans))
        self._bookmark_ends = sorted(end for _, end in self.bookmarks)
        self._changed()

    def set_selection(self, span: Span | None) -> None:
        """Draw ``span`` as selected (None clears it)."""
        self.selection = span
        self._changed()

    def _bookmarked(self, start: int, end: int) -> bool:
        """Does a bookmark cover part of body range ``[start, end)``?"""
        return any(a < end and b > start for a, b in self.bookmarks)

    def _changed(self) -> None:
        self._version += 1
        self.refresh()
        percent = round(100 * self.cursor / max(1, len(self._lines) - 1)) if self.document is not None else -1
        if percent != getattr(self, "_percent", None):
            self._percent = percent
            self.post_message(self.Moved(percent))

    # -- layout ----------------------------------------------------------------------------
    def _measure(self) -> int:
        width = self.scrollable_content_region.width or self.size.width or 80
        return max(10, min(MAX_MEASURE, width - GUTTER - 1))

    def _layout(self, force: bool = False) -> None:
        width = self._measure()
        if not force and width == self._width:
            return
        keep = self._anchor() if self._lines else None
        self._width = width
        self._texts = self._texts[:1]
        lines: list[Line] = []
        doc = self.document
        if doc is not None:
            self._header(doc, lines, width)
            body = self._texts[0]
            position = 0
            while position <= len(body):
                end = body.find("\n", position)
                end = len(body) if end == -1 else end
                if end > position and body[position:end].strip():
                    for start, stop in wrap_offsets(body, position, end, width):
                        lines.append(Line(0, start, stop, "reader--body"))
                    lines.append(Line(-1, 0, 0, ""))
                position = end + 1
        self._lines = lines
        self._body_rows = [row for row, line in enumerate(lines) if line.source == 0]
        self._body_starts = [lines[row].start for row in self._body_rows]
        self.virtual_size = Size(self.scrollable_content_region.width, len(lines))
        if keep is not None and not force:
            self.cursor = self.row_of(keep)
            self.scroll_to(y=max(0, self.cursor - self._height() // 3), animate=False, immediate=True, force=True)
        self._changed()

    def _header(self, doc: Document, lines: list[Line], width: int) -> None:
        def add(text: str, component: str) -> None:
            text = display_text(text).replace("\n", " ")
            self._texts.append(text)
            source = len(self._texts) - 1
            for start, stop in wrap_offsets(text, 0, len(text), width):
                lines.append(Line(source, start, stop, component))

        add(doc.title or "(untitled)", "reader--title")
        when = (doc.date or "")[:10]
        source = doc.source + (f" #{doc.part}" if doc.part else "")
        add(" · ".join(x for x in (doc.publisher, when, source) if x), "reader--meta")
        if doc.authors:
            add("by " + ", ".join(doc.authors), "reader--meta")
        if doc.url:
            add(doc.url, "reader--meta")
        self._texts.append("─" * min(width, 40))
        lines.append(Line(len(self._texts) - 1, 0, min(width, 40), "reader--rule"))
        lines.append(Line(-1, 0, 0, ""))

    def _anchor(self) -> int:
        """The body offset to keep in view across a re-wrap: the current match or mention, or
        the start of the cursor line."""
        if self.current_match is not None and self.current_match < len(self.matches):
            return self.matches[self.current_match][0]
        if self.current_mention is not None and self.current_mention < len(self.mentions):
            return self.mentions[self.current_mention][0]
        return self.cursor_offset

    def on_resize(self, event: events.Resize) -> None:
        self._layout()

    def on_mount(self) -> None:
        self._layout(force=True)

    # -- positions -------------------------------------------------------------------------
    def row_of(self, offset: int) -> int:
        """The screen line holding body ``offset`` (the first body line when before it)."""
        if not self._body_starts:
            return 0
        index = max(0, bisect_right(self._body_starts, offset) - 1)
        return self._body_rows[index]

    @property
    def cursor_offset(self) -> int:
        """Body offset at the start of the cursor line (or of the first body line below it)."""
        for line in self._lines[self.cursor :]:
            if line.source == 0:
                return line.start
        return len(self._texts[0])

    def passage_at_cursor(self) -> Span:
        """The paragraph under the cursor as a body span (what a bookmark of "here" should anchor)."""
        body = self._texts[0]
        offset = min(self.cursor_offset, len(body))
        start = body.rfind("\n", 0, offset) + 1
        end = body.find("\n", offset)
        return (start, len(body) if end == -1 else end)

    def line_span(self, row: int) -> Span | None:
        """The body span drawn on screen line ``row``, or None for header and blank lines."""
        if 0 <= row < len(self._lines) and self._lines[row].source == 0:
            return (self._lines[row].start, self._lines[row].end)
        return None

    @property
    def line_count(self) -> int:
        return len(self._lines)

    def _height(self) -> int:
        return max(1, self.scrollable_content_region.height or self.size.height or 1)

    def move_cursor(self, row: int, centre: bool = False) -> None:
        """Put the cursor on ``row`` and scroll it into view (a third from the top when ``centre``)."""
        row = max(0, min(row, len(self._lines) - 1)) if self._lines else 0
        self.cursor = row
        height = self._height()
        top = round(self.scroll_y)
        if centre and not (top <= row < top + height - 1):
            self.scroll_to(y=max(0, row - height // 3), animate=False, immediate=True, force=True)
        elif row < top:
            self.scroll_to(y=row, animate=False, immediate=True, force=True)
        elif row >= top + height:
            self.scroll_to(y=row - height + 1, animate=False, immediate=True, force=True)
        self._changed()

    def go_to_offset(self, offset: int, match: int | None = None, mention: int | None = None) -> None:
        """Cursor to the line holding body ``offset``, scrolled to the top of the view; the match
        (mention) that starts at body offset ``match`` (``mention``) becomes the current one."""
        self.current_match = _starting_at(self.matches, match)
        self.current_mention = _starting_at(self.mentions, mention)
        row = self.row_of(offset)
        self.cursor = row
        self.scroll_to(y=max(0, row - 1), animate=False, immediate=True, force=True)
        self._changed()

    # -- stepping --------------------------------------------------------------------------
    def step_match(self, forward: bool = True) -> bool:
        """Make the next (previous) match current; False when there is none that way."""
        index = self._step(self.matches, self.current_match, forward)
        if index is None:
            return False
        self.current_match = index
        self.move_cursor(self.row_of(self.matches[index][0]), centre=True)
        return True

    def step_mention(self, forward: bool = True) -> bool:
        """Make the next (previous) mention current; False when there is none that way."""
        index = self._step(self.mentions, self.current_mention, forward)
        if index is None:
            return False
        self.current_mention = index
        self.move_cursor(self.row_of(self.mentions[index][0]), centre=True)
        return True

    def go_to_match(self, index: int) -> None:
        """Make match ``index`` current (negative counts from the end) and scroll to it."""
        if self.matches:
            self.current_match = index % len(self.matches)
            self.move_cursor(self.row_of(self.matches[self.current_match][0]), centre=True)

    def go_to_mention(self, index: int) -> None:
        """Make mention ``index`` current (negative counts from the end) and scroll to it."""
        if self.mentions:
            self.current_mention = index % len(self.mentions)
            self.move_cursor(self.row_of(self.mentions[self.current_mention][0]), centre=True)

    def _step(self, spans: tuple[Span, ...], current: int | None, forward: bool) -> int | None:
        if not spans:
            return None
        if current is None:
            # Nothing stepped to yet: start from the cursor, so n continues from where one reads.
            offset = self.cursor_offset if self.cursor else 0
            starts = [start for start, _ in spans]
            index = bisect_left(starts, offset) if forward else bisect_left(starts, offset) - 1
        else:
            index = current + (1 if forward else -1)
        return index if 0 <= index < len(spans) else None

    # -- actions ---------------------------------------------------------------------------
    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor - 1)

    def action_page_down(self) -> None:
        step = max(1, self._height() - 2)
        self.scroll_to(y=self.scroll_y + step, animate=False, immediate=True, force=True)
        self.move_cursor(self.cursor + step)

    def action_page_up(self) -> None:
        step = max(1, self._height() - 2)
        self.scroll_to(y=max(0, self.scroll_y - step), animate=False, immediate=True, force=True)
        self.move_cursor(self.cursor - step)

    def action_top(self) -> None:
        self.move_cursor(0)

    def action_bottom(self) -> None:
        self.move_cursor(len(self._lines) - 1)

    def on_click(self, event: events.Click) -> None:
        self.move_cursor(int(self.scroll_y) + event.y)

    def on_focus(self) -> None:
        self._changed()

    def on_blur(self) -> None:
        self._changed()

    # -- drawing ---------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width or self.size.width
        row = round(self.scroll_y) + y
        base = self.rich_style
        if not self._lines:
            if y == 1 and self.placeholder:
                text = Text("  " + self.placeholder, style=base + self.get_component_rich_style("reader--placeholder"))
                return Strip(text_segments(text, self.app.console)).crop_extend(0, width, base)
            return Strip.blank(width, base)
        if row >= len(self._lines):
            return Strip.blank(width, base)
        key = (self._version, row, width, self.has_focus)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._render_row(row, width, base)
            self._cache[key] = strip
        return strip

    def _render_row(self, row: int, width: int, base: Style) -> Strip:
        line = self._lines[row]
        if row == self.cursor:
            gutter = Segment("▌ ", base + self.get_component_rich_style("reader--cursor"))
        else:
            gutter = Segment("  ", base)
        if line.source < 0:
            return Strip([gutter], GUTTER).crop_extend(0, width, base)
        if line.source == 0 and self.bookmarks and self._bookmarked(line.start, line.end):
            sign = self.get_component_rich_style("reader--bookmark-sign")
            gutter = Segment(gutter.text[0] + "┃", gutter.style + sign if row != self.cursor else gutter.style)
        source = self._texts[line.source]
        text = Text(source[line.start : line.end].rstrip(), style=base + foreground(self.get_component_rich_style(line.component)), end="")
        if line.source == 0:
            self._stylize(text, line.start, line.end)
        segments = [gutter, *text_segments(text, self.app.console)]
        return Strip(segments).crop_extend(0, width, base)

    def _stylize(self, text: Text, start: int, end: int) -> None:
        """Style the spans that fall on body range ``[start, end)`` onto ``text`` (which starts at ``start``)."""
        style = self.get_component_rich_style
        for a, b in self.bookmarks:
            if a < end and b > start:
                text.stylize(style("reader--bookmark"), max(a, start) - start, min(b, end) - start)
        layers = (
            (self.mentions, self._mention_ends, self.current_mention, "reader--mention", "reader--current-mention"),
            (self.matches, self._match_ends, self.current_match, "reader--match", "reader--current-match"),
        )
        for spans, ends, current, normal, strong in layers:
            index = bisect_right(ends, start)
            while index < len(spans) and spans[index][0] < end:
                a, b = spans[index]
                name = strong if index == current else normal
                text.stylize(style(name), max(a, start) - start, min(b, end) - start)
                index += 1
        if self.selection:
            a, b = self.selection
            if a < end and b > start:
                text.stylize(style("reader--selection"), max(a, start) - start, min(b, end) - start)
