"""BookmarksScreen (``B``): every bookmark, newest first, to filter, open, edit, delete and undo.

The list shows what the store has at once (the cached places and statuses), then re-anchors every
bookmark against the current documents in a thread worker and redraws when that is done. Every
store call is a thread worker; results come back as messages. The screen is dismissed with the
bookmark to open (Enter) or ``None`` (Esc).
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Static

from index.bookmarks import Bookmark, BookmarkStore
from index.errors import DossierError, UnknownDocument

from ..widgets.bookmark_list import BookmarkList
from ..widgets.bookmark_prompt import BookmarkPrompt, ConfirmDelete, NoteAndTags
from ..widgets.key_footer import KeyFooter



FILTER_STARTS = [c for c in string.ascii_letters + string.digits if c not in "edyujkgGq"]
"""Letters that start the filter when typed on the list: all but this screen's, the list's and
the app's own keys (e d y u, j k g G, q)."""

FIRST_PAGE = 200
"""With more bookmarks than this, the newest this many are shown while the rest are read."""


@dataclass
class BookmarksListed(Message):
    """The bookmarks to show; ``placed`` once they were re-anchored against the current documents."""

    marks: tuple[Bookmark, ...]
    placed: bool
    haystacks: dict[str, str]
    """What the filter searches in, per bookmark id (built in the worker, not on keystrokes)."""
    complete: bool = True
    """False for the first page, shown while the rest is read."""


@dataclass
class BookmarkChanged(Message):
    """A bookmark was edited (``how`` "edited"), deleted ("deleted") or brought back ("restored")."""

    mark: Bookmark
    how: str


def haystack(mark: Bookmark) -> str:
    """The text the filter looks in: quote, note, title and tags (also as #tag), folded."""
    tags = " ".join(mark.tags)
    return " ".join((mark.quote, mark.note, mark.title, tags, " ".join(f"#{t}" for t in mark.tags))).casefold()


def copy_text(mark: Bookmark) -> str:
    """What ``y`` puts on the clipboard: the passage, then where it comes from."""
    where = ", ".join(x for x in (mark.title, mark.source) if x)
    return f"“{mark.quote.strip()}”\n— {where}" + (f"\n{mark.note}" if mark.note else "")


class BookmarksScreen(Screen[Bookmark | None]):
    """All bookmarks: type (or ``/``) to filter; Enter opens one at its passage."""

    DEFAULT_CSS = """
    BookmarksScreen {
        layout: vertical;
    }
    #bookmarks-title {
        height: 1;
        padding: 0 1;
        background: $panel;
    }
    #bookmarks-error {
        height: auto;
        padding: 0 1;
        color: $error;
        display: none;
    }
    BookmarksScreen.-read-only #bookmarks-error {
        display: block;
    }
    #bookmarks-filter {
        height: 1;
        margin: 0 1;
    }
    #bookmarks-list {
        height: 1fr;
    }
    """

    # Keys typed ahead in one burst (SSH) must reach what the keys before them opened or focused,
    # so everything that opens a dialog or moves the focus is a priority binding: it runs when the
    # App takes the key, before the App hands on the keys after it (set_focus, not focus(), and
    # dialogs awaited until mounted). A priority key is still a character in the filter: Textual
    # drops priority bindings for keys a focused Input takes.
    BINDINGS = [
        Binding("escape", "close", "Back", id="bookmarks.close", priority=True),
        Binding("slash", "focus_filter", "Filter", id="bookmarks.filter", key_display="/", priority=True),
        Binding("enter", "leave_filter", "To list", id="bookmarks.leave-filter", show=False, priority=True),
        Binding("e", "edit", "Edit", id="bookmarks.edit", priority=True),
        Binding("d", "delete", "Delete", id="bookmarks.delete", priority=True),
        Binding("u", "undo", "Undo delete", id="bookmarks.undo"),
        Binding("y", "copy", "Copy", id="bookmarks.copy"),
        # Typing on the list starts the filter with the letter typed; as a binding per key (those
        # no other key of this screen takes), so the letters after it reach the filter too.
        *(Binding(key, f"type_filter({key!r}, {char!r})", "Filter", show=False, priority=True)
          for key, char in [(c, c) for c in FILTER_STARTS] + [("number_sign", "#")]),
    ]

    def __init__(self, store: BookmarkStore, library: Any = None) -> None:
        super().__init__()
        self.store = store
        self.library = library
        self.marks: list[Bookmark] = []
        """Every bookmark, newest first."""
        self.shown: list[Bookmark] = []
        """The bookmarks the filter lets through, in list order."""
        self.deleted: list[str] = []
        """Ids deleted here, most recent last (what ``u`` brings back)."""
        self._haystacks: dict[str, str] = {}
        self._complete = False

    def compose(self) -> ComposeResult:
        yield Static(Text("Bookmarks", style="bold"), id="bookmarks-title")
        yield Static(id="bookmarks-error")
        # Not select_on_focus: the Focus event arrives after the letter that started the filter is
        # in, and selecting then made the next letter replace it.
        yield Input(placeholder="filter by text, note or tag (/)", id="bookmarks-filter", compact=True,
                    select_on_focus=False)
        yield BookmarkList(id="bookmarks-list")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._show_error()
        self.set_focus(self.options)  # now, not after a refresh: keys typed after B go to the list
        self.load()

    @property
    def options(self) -> BookmarkList:
        return self.query_one(BookmarkList)

    @property
    def current(self) -> Bookmark | None:
        return self.options.current

    def _show_error(self) -> None:
        self.set_class(self.store.read_only, "-read-only")
        if self.store.error:
            self.query_one("#bookmarks-error", Static).update(Text(self.store.error))

    # -- loading ---------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="bookmarks-load", exit_on_error=False)
    def load(self) -> None:
        """List what is saved at once (the newest first page first, when there are many), then
        place every bookmark in its document's current text."""
        first = tuple(self.store.list(limit=FIRST_PAGE))
        if len(first) == FIRST_PAGE:
            self.post_message(BookmarksListed(first, False, {}, complete=False))
        marks = tuple(self.store.list())
        self.post_message(BookmarksListed(marks, False, {m.id: haystack(m) for m in marks}))
        if self.library is None:
            return

        def lookup(doc_id: str):
            try:
                return self.library.document(doc_id)
            except (UnknownDocument, NotImplementedError):
                return None

        marks = tuple(self.store.refresh(lookup))
        self.post_message(BookmarksListed(marks, True, {m.id: haystack(m) for m in marks}))

    @on(BookmarksListed)
    def _listed(self, message: BookmarksListed) -> None:
        self.marks = list(message.marks)
        self._haystacks = message.haystacks
        self._complete = message.complete
        self._fill(keep=self.current.id if self.current else None)
        self._show_error()

    def _haystack(self, mark: Bookmark) -> str:
        hay = self._haystacks.get(mark.id)
        if hay is None:
            hay = self._haystacks[mark.id] = haystack(mark)
        return hay

    def _fill(self, keep: str | None = None) -> None:
        words = self.filter_field.value.casefold().split()
        self.shown = [m for m in self.marks if all(w in self._haystack(m) for w in words)] if words else list(self.marks)
        total = len(self.marks)
        empty = "No bookmarks yet: b in the reader bookmarks a passage." if not total else "No bookmark matches the filter."
        self.options.show(tuple(self.shown), placeholder=empty, keep=keep)
        if not self._complete:
            counted = f"the newest {total} (reading the rest…)"
        elif words:
            counted = f"{len(self.shown)} of {total} bookmarks"
        else:
            counted = f"{total} bookmark{'s' if total != 1 else ''}"
        title = Text("Bookmarks", style="bold")
        title.append(f"  {counted}", style="dim")
        self.query_one("#bookmarks-title", Static).update(title)

    # -- filtering -------------------------------------------------------------------------
    @on(Input.Changed, "#bookmarks-filter")
    def _filter_changed(self) -> None:
        self._fill(keep=self.current.id if self.current else None)

    @property
    def filter_field(self) -> Input:
        return self.query_one("#bookmarks-filter", Input)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "leave_filter":
            return self.focused is self.filter_field  # on the list, Enter opens
        if action == "type_filter":
            return self.focused is self.options
        return super().check_action(action, parameters)

    def action_focus_filter(self) -> None:
        """``/``: to the filter, its text selected (typing replaces it, an arrow key edits it)."""
        self.set_focus(self.filter_field)
        self.filter_field.select_all()

    def action_leave_filter(self) -> None:
        self.set_focus(self.options)

    def action_type_filter(self, key: str, char: str) -> None:
        """A letter typed on the list: to the filter with it. The key is handed to the field as a
        key, behind any it has not handled yet (a backspace typed just before), not inserted."""
        field = self.filter_field
        self.set_focus(field)
        field.post_message(events.Key(key, char))

    def on_key(self, event) -> None:
        """Any other character typed on the list (one no key is bound to: punctuation, accented or
        Chinese letters) starts the filter with it too."""
        if self.focused is self.options and event.is_printable and event.character \
                and event.key not in self.app.active_bindings:
            self.action_type_filter(event.key, event.character)
            event.stop()
            event.prevent_default()

    def action_close(self) -> None:
        if self.focused is self.filter_field:
            self.set_focus(self.options)
            return
        self.dismiss(None)

    # -- acting on one bookmark ------------------------------------------------------------
    @on(BookmarkList.Opened)
    def _selected(self, event: BookmarkList.Opened) -> None:
        self.dismiss(event.mark)

    def _writable(self) -> bool:
        if self.store.read_only:
            self.notify(self.store.error or "bookmarks are read-only", severity="error", markup=False)
            return False
        return True

    async def action_edit(self) -> None:
        mark = self.current
        if mark is None or not self._writable():
            return

        def done(answer: NoteAndTags | None) -> None:
            if answer is not None:
                self.edit(mark.id, answer.note, answer.tags)

        await self.app.push_screen(BookmarkPrompt("Edit bookmark", mark.quote, mark.note, mark.tags), done)

    async def action_delete(self) -> None:
        mark = self.current
        if mark is None or not self._writable():
            return

        def done(yes: bool | None) -> None:
            if yes:
                self.delete(mark.id)

        await self.app.push_screen(ConfirmDelete(mark.quote), done)

    def action_undo(self) -> None:
        if not self.deleted:
            self.notify("nothing to undo", markup=False)
            return
        if self._writable():
            self.restore(self.deleted.pop())

    def action_copy(self) -> None:
        mark = self.current
        if mark is not None:
            self.app.copy_to_clipboard(copy_text(mark))
            self.notify("copied the passage with its title and source", markup=False)

    @work(thread=True, group="bookmarks-write", exit_on_error=False)
    def edit(self, bid: str, note: str, tags: tuple[str, ...]) -> None:
        self.post_message(BookmarkChanged(self.store.edit(bid, note=note, tags=tags), "edited"))

    @work(thread=True, group="bookmarks-write", exit_on_error=False)
    def delete(self, bid: str) -> None:
        self.post_message(BookmarkChanged(self.store.delete(bid), "deleted"))

    @work(thread=True, group="bookmarks-write", exit_on_error=False)
    def restore(self, bid: str) -> None:
        try:
            mark = self.store.restore(bid)
        except DossierError:
            self.deleted.append(bid)  # keep it undoable after a failure (e.g. read-only now)
            raise
        self.post_message(BookmarkChanged(mark, "restored"))

    @on(BookmarkChanged)
    def _changed(self, message: BookmarkChanged) -> None:
        mark, how = message.mark, message.how
        keep = self.current.id if self.current else None
        self._haystacks.pop(mark.id, None)
        if how == "deleted":
            index = next((i for i, m in enumerate(self.shown) if m.id == mark.id), None)
            self.marks = [m for m in self.marks if m.id != mark.id]
            self.deleted.append(mark.id)
            if keep == mark.id and index is not None:
                rest = [m for m in self.shown if m.id != mark.id]
                keep = rest[min(index, len(rest) - 1)].id if rest else None
            self.notify("bookmark deleted: u undoes", markup=False)
        elif how == "restored":
            self.marks = sorted([*self.marks, mark], key=lambda m: (m.created, m.id), reverse=True)
            keep = mark.id
            self.notify("bookmark restored", markup=False)
        else:
            self.marks = [mark if m.id == mark.id else m for m in self.marks]
            self.notify("bookmark saved", markup=False)
        self._fill(keep=keep)
