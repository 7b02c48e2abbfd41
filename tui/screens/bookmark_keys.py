"""The bookmark keys of the main screen, mixed into ``MainScreen`` (``class MainScreen(BookmarkKeys, ...)``).

- ``b`` bookmarks the passage under the cursor: the selection when there is one, else the sentence
  holding the current match, else the paragraph at the cursor; a prompt takes a note and tags.
- ``v`` starts a selection at the sentence under the cursor (or the current match); while it is
  on, ``j``/``k`` (or ``)``/``(``) grow and shrink it by a sentence, ``J``/``K`` (or ``}``/``{``)
  by a paragraph, ``b`` or Enter bookmarks it, ``y`` copies it and Esc drops it.
- ``y`` copies the passage with its title and source (Textual's clipboard: OSC 52, works over SSH).
- ``B`` opens the bookmarks screen; Enter there opens the document at the passage, selected.
- The open document's bookmarks are marked in the reader (``Reader.set_bookmarks``).

Store calls are thread workers posting messages; a read-only (damaged) store is shown as one line
and its writes are refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import on, work
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen

from index.bookmarks import Bookmark, BookmarkStore
from index.errors import UnknownDocument
from index.models import Document, Span
from index.passages import extend, paragraph_at, sentence_at

from ..messages import DocumentLoaded, IndexingFinished
from ..widgets.bookmark_prompt import BookmarkPrompt, NoteAndTags
from .bookmarks import BookmarksScreen

SELECTING_ACTIONS = {"grow", "shrink", "cancel_selection", "bookmark_selection"}


@dataclass
class ReaderMarksLoaded(Message):
    """The bookmarks of document ``doc_id``, placed in its current text."""

    doc_id: str
    marks: tuple[Bookmark, ...]


@dataclass
class BookmarkSaved(Message):
    """A bookmark was added (``added``) or its note and tags were changed."""

    mark: Bookmark
    added: bool


class BookmarkKeys(Screen):
    """The main screen's bookmark keys and reader marks (see the module docstring)."""

    BINDINGS = [
        # Priority, and the prompt is awaited until it is mounted with its note focused: the App
        # hands the keys typed after "b" (in one burst over SSH) to the note, not to the reader.
        # A focused input keeps "b" as a character (Textual drops priority keys an Input consumes).
        Binding("b", "bookmark", "Bookmark", id="main.bookmark", priority=True),
        Binding("v", "select", "Select", id="main.select", show=False),  # in help; the footer is full at 80 columns
        Binding("y", "copy_passage", "Copy", id="main.copy", show=False),
        Binding("B", "bookmarks", "Bookmarks", id="main.bookmarks", priority=True),  # as "b"
        # Only while selecting (check_action lets them fall through to the reader otherwise, and
        # keeps them out of the footer):
        Binding("j,right_parenthesis", "grow('sentence')", "Select more", id="main.select-more", priority=True),
        Binding("k,left_parenthesis", "shrink('sentence')", "Select less", id="main.select-less", priority=True),
        Binding("J,right_curly_bracket", "grow('paragraph')", "Select paragraph", id="main.select-paragraph", show=False, priority=True),
        Binding("K,left_curly_bracket", "shrink('paragraph')", "Select paragraph less", id="main.select-paragraph-less", show=False, priority=True),
        Binding("enter", "bookmark_selection", "Bookmark selection", id="main.bookmark-selection", priority=True),
        Binding("escape", "cancel_selection", "Drop selection", id="main.drop-selection", priority=True),
    ]

    library: Any
    selecting: bool = False
    """True between ``v`` and bookmarking, copying or dropping the selection."""

    # -- plumbing --------------------------------------------------------------------------
    @property
    def bookmark_store(self) -> BookmarkStore:
        return self.library.bookmarks

    def _doc_marks(self) -> tuple[Bookmark, ...]:
        return getattr(self, "_reader_marks", ())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in SELECTING_ACTIONS:
            return self.selecting and self.focused is self.reader
        return super().check_action(action, parameters)

    def _say(self, text: str) -> None:
        self.notice = text

    def _passage(self) -> Span | None:
        """What ``b`` and ``y`` act on: selection, else the current match's sentence, else the paragraph."""
        reader = self.reader
        doc = reader.document
        if doc is None:
            return None
        if reader.selection:
            return reader.selection
        if reader.current_match is not None and reader.matches:
            return sentence_at(doc.body, reader.matches[reader.current_match][0])
        span = paragraph_at(doc.body, reader.cursor_offset)
        return span if span[1] > span[0] else None

    # -- reader marks ----------------------------------------------------------------------
    @on(DocumentLoaded)
    def _bookmarks_document_loaded(self, message: DocumentLoaded) -> None:
        doc = message.document
        if self.reader.document is not doc:
            return  # a stale load the screen dropped
        self._reader_marks = ()
        self._set_reader_marks(())
        jump = getattr(self, "_jump", None)
        if jump is not None and jump.doc_id == doc.id:
            self._jump = None
            if jump.status == "orphaned":
                self._say("this bookmark is orphaned: its passage is no longer in the document")
            else:
                # After the reader's first layout of this document, or a scroll can be lost.
                self.call_after_refresh(self._select, (jump.start, jump.end), False)
                self._say(f"bookmark: {jump.note}" if jump.note else "bookmarked passage")
        self.load_reader_marks(doc)

    @work(thread=True, exclusive=True, group="bookmarks-reader", exit_on_error=False)
    def load_reader_marks(self, doc: Document) -> None:
        """Place the document's bookmarks in its current text (saved back if they moved)."""
        self.post_message(ReaderMarksLoaded(doc.id, tuple(self.bookmark_store.reanchor(doc))))

    @on(ReaderMarksLoaded)
    def _reader_marks_loaded(self, message: ReaderMarksLoaded) -> None:
        if self.reader.document is None or self.reader.document.id != message.doc_id:
            return
        self._reader_marks = message.marks
        self._set_reader_marks(message.marks)
        store = self.bookmark_store
        if store.error and not getattr(self, "_store_error_shown", False):
            self._store_error_shown = True
            self.notify(store.error, title="bookmarks are read-only", severity="error", markup=False, timeout=10)

    def _set_reader_marks(self, marks: tuple[Bookmark, ...]) -> None:
        self.reader.set_bookmarks(tuple((m.start, m.end) for m in marks if m.status != "orphaned"))

    @on(IndexingFinished)
    def _bookmarks_reindexed(self, message: IndexingFinished) -> None:
        if message.report is not None and message.report.changed:
            self.replace_bookmarks()

    @work(thread=True, exclusive=True, group="bookmarks-refresh", exit_on_error=False)
    def replace_bookmarks(self) -> None:
        """Documents changed: find every bookmark again (orphaning those whose passage is gone)."""
        library = self.library

        def lookup(doc_id: str):
            try:
                return library.document(doc_id)
            except UnknownDocument:
                return None

        self.bookmark_store.refresh(lookup)

    # -- b: bookmark -----------------------------------------------------------------------
    async def action_bookmark(self) -> None:
        doc = self.reader.document
        span = self._passage()
        if doc is None or span is None:
            self._say("open a document first: b bookmarks the passage under the cursor")
            return
        store = self.bookmark_store
        if store.read_only:
            self._say(store.error or "bookmarks are read-only")
            self.app.bell()
            return
        existing = next((m for m in self._doc_marks() if (m.start, m.end) == span and m.status != "orphaned"), None)
        quote = doc.body[span[0]:span[1]]

        def done(answer: NoteAndTags | None) -> None:
            self._end_selection()
            if answer is None:
                self._say("bookmark cancelled")
            elif existing is not None:
                self.save_bookmark_edit(existing.id, answer.note, answer.tags)
            else:
                self.save_bookmark(doc, span, answer.note, answer.tags)

        title = "Edit bookmark" if existing else "Bookmark this passage"
        await self.app.push_screen(BookmarkPrompt(title, quote, existing.note if existing else "",
                                                  existing.tags if existing else ()), done)

    async def action_bookmark_selection(self) -> None:
        await self.action_bookmark()

    @work(thread=True, group="bookmarks-write", exit_on_error=False)
    def save_bookmark(self, doc: Document, span: Span, note: str, tags: tuple[str, ...]) -> None:
        self.post_message(BookmarkSaved(self.bookmark_store.add(doc, span[0], span[1], note, tags), added=True))

    @work(thread=True, group="bookmarks-write", exit_on_error=False)
    def save_bookmark_edit(self, bid: str, note: str, tags: tuple[str, ...]) -> None:
        self.post_message(BookmarkSaved(self.bookmark_store.edit(bid, note=note, tags=tags), added=False))

    @on(BookmarkSaved)
    def _bookmark_saved(self, message: BookmarkSaved) -> None:
        mark = message.mark
        if self.reader.document is not None and self.reader.document.id == mark.doc_id:
            marks = [m for m in self._doc_marks() if m.id != mark.id] + [mark]
            self._reader_marks = tuple(marks)
            self._set_reader_marks(self._reader_marks)
        tags = " ".join(f"#{t}" for t in mark.tags)
        self._say(("bookmarked" if message.added else "bookmark saved") + (f" {tags}" if tags else "") + " (B lists bookmarks)")

    # -- v: select -------------------------------------------------------------------------
    def action_select(self) -> None:
        reader = self.reader
        doc = reader.document
        if doc is None:
            self._say("open a document first: v selects text in the reader")
            return
        if self.selecting:
            self.action_cancel_selection()
            return
        if reader.current_match is not None and reader.matches:
            start = reader.matches[reader.current_match][0]
        else:
            start = reader.cursor_offset
        self._select(sentence_at(doc.body, start))
        reader.focus()
        self._say("selecting: j/k a sentence more/less, J/K a paragraph, b bookmarks, y copies, Esc drops")

    def _select(self, span: Span, select_mode: bool = True) -> None:
        """Select ``span``: in selection mode the cursor follows its end (what j/k move), else its start."""
        reader = self.reader
        if self.selecting != select_mode:
            self.selecting = select_mode
            self.refresh_bindings()  # the footer shows the selection keys while selecting
        reader.set_selection(span)
        head = max(span[0], span[1] - 1) if select_mode else span[0]
        reader.move_cursor(reader.row_of(head), centre=True)

    def _end_selection(self) -> None:
        if self.selecting:
            self.selecting = False
            self.refresh_bindings()
            self.reader.set_selection(None)

    def action_grow(self, unit: str) -> None:
        reader = self.reader
        if reader.document is not None and reader.selection:
            self._select(extend(reader.document.body, reader.selection, unit, forward=True))

    def action_shrink(self, unit: str) -> None:
        reader = self.reader
        if reader.document is not None and reader.selection:
            self._select(extend(reader.document.body, reader.selection, unit, forward=False))

    def action_cancel_selection(self) -> None:
        self._end_selection()
        self._say("selection dropped")

    # -- y: copy ---------------------------------------------------------------------------
    def action_copy_passage(self) -> None:
        doc = self.reader.document
        span = self._passage()
        if doc is None or span is None:
            self._say("open a document first: y copies the passage under the cursor")
            return
        quote = doc.body[span[0]:span[1]]
        where = ", ".join(x for x in (doc.title, doc.source) if x)
        self.app.copy_to_clipboard(f"“{quote.strip()}”\n— {where}")
        self._end_selection()
        self._say(f"copied {len(quote)} characters with title and source")

    # -- B: the bookmarks screen -----------------------------------------------------------
    async def action_bookmarks(self) -> None:
        self._end_selection()

        def opened(mark: Bookmark | None) -> None:
            if mark is None:
                if self.reader.document is not None:
                    self.load_reader_marks(self.reader.document)  # edits and deletes show at once
                return
            self._jump = mark
            self.open_document(mark.doc_id, land=("offset", mark.start), focus=True)

        await self.app.push_screen(BookmarksScreen(self.bookmark_store, self.library), opened)


__all__ = ["BookmarkKeys", "BookmarkSaved", "ReaderMarksLoaded"]
