"""BookmarkList: bookmarks as fixed-height rows (title and status, the quote, note and tags).

A ``RowList``, like ``DocumentList``: an ``OptionList`` of 10,000 bookmarks took ~1.7 s to open
and ~1.4 s per filter keystroke (it measures every option); fixed-height rows drawn by
``render_line`` cost only what is on screen.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.strip import Strip

from index.bookmarks import Bookmark

from .layout import fit, one_line, text_segments
from .row_list import RowList

ROW_HEIGHT = 4
"""Title line, quote line, note-and-tags line, blank line."""


SEPARATOR = " · "


def tag_line(tags: tuple[str, ...], width: int) -> str:
    """``#ai #china`` in ``width`` cells: whole tags, then ``+2`` for those that do not fit."""
    shown = [f"#{one_line(t)}" for t in tags]
    while shown:
        rest = len(tags) - len(shown)
        line = " ".join(shown) + (f" +{rest}" if rest else "")
        if cell_len(line) <= width:
            return line
        shown.pop()
    return f"+{len(tags)}" if tags and width >= len(f"+{len(tags)}") else ""


class BookmarkList(RowList[Bookmark]):
    """The bookmarks to choose from. Enter (or a click) opens the one under the cursor."""

    COMPONENT_CLASSES = {
        "bookmark-list--title",
        "bookmark-list--meta",
        "bookmark-list--quote",
        "bookmark-list--extra",
        "bookmark-list--tags",
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
    BookmarkList > .bookmark-list--tags { color: $accent; text-style: bold; }
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

    PLACEHOLDER_CLASS = "bookmark-list--placeholder"
    TRAILING_BLANK = 1

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("Loading bookmarks…", id=id, classes=classes)

    # -- content ---------------------------------------------------------------------------
    @property
    def marks(self) -> tuple[Bookmark, ...]:
        """The bookmarks shown, in order."""
        return self.items

    @property
    def row_height(self) -> int:
        return ROW_HEIGHT

    def show(self, marks: tuple[Bookmark, ...], placeholder: str = "", keep: str | None = None) -> None:
        """Replace the bookmarks; the cursor goes to the one with id ``keep`` when present, else the top."""
        cursor = next((i for i, m in enumerate(marks) if m.id == keep), 0) if keep else 0
        self.replace_items(marks, placeholder, cursor)

    def action_open(self) -> None:
        if self.current is not None:
            self.post_message(self.Opened(self.current))

    # -- drawing ---------------------------------------------------------------------------
    def render_row_line(self, mark: Bookmark, index: int, part: int, width: int, base: Style) -> Strip:
        style = self.get_component_rich_style
        if part == ROW_HEIGHT - 1:
            return Strip.blank(width, base)
        if index == self.cursor:
            base = base + style("bookmark-list--cursor", partial=True)
            marker = "▌ " if self.has_focus else "▏ "
        else:
            marker = "  "
        inner = max(1, width - 2)
        if part == 0:  # the title gives way to the status and the date
            tail = Text()
            if mark.status != "anchored":
                tail.append(f" {mark.status} ", style=style(f"bookmark-list--{mark.status}", partial=True))
            tail.append(f"  {mark.created[:10]}", style=style("bookmark-list--meta", partial=True))
            title = fit(Text(one_line(mark.title or mark.source or mark.doc_id)), inner - tail.cell_len)
            text = Text.assemble((title.plain, style("bookmark-list--title", partial=True)), tail)
        elif part == 1:
            text = Text("“" + one_line(" ".join(mark.quote[:width * 3].split())) + "”", style=style("bookmark-list--quote", partial=True))
        else:  # the note gives way to the tags
            tags = tag_line(mark.tags, inner)
            room = inner - cell_len(tags) - (len(SEPARATOR) if tags else 0)
            note = fit(Text(one_line(" ".join(mark.note.split()))), room) if mark.note and room > 0 else Text("")
            text = Text.assemble((note.plain, style("bookmark-list--extra", partial=True)))
            if tags:
                text.append(SEPARATOR if note.plain else "", style=style("bookmark-list--meta", partial=True))
                text.append(tags, style=style("bookmark-list--tags", partial=True))
        text = fit(text, inner)
        text.end = ""
        segments = [Segment(marker, base)]
        segments += text_segments(text, self.app.console, base)
        return Strip(segments).crop_extend(0, width, base)
