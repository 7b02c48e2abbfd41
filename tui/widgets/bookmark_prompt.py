"""Small dialogs of the bookmark flow: the note-and-tags prompt and the delete confirmation.

Both are modal screens returning their answer through ``dismiss`` (``None`` / ``False`` on Esc).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from index.text import visible

T = TypeVar("T")

QUOTE_PREVIEW = 240
"""Characters of the passage shown in a dialog."""


def preview(quote: str, limit: int = QUOTE_PREVIEW) -> str:
    """A passage on one line, control characters made visible, cut between words to at most
    ``limit`` characters (between characters only when the last words are one long run)."""
    text = visible(" ".join(quote.split()))
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    if cut < limit * 3 // 4:
        cut = limit - 1
    return text[:cut].rstrip() + "…"


async def typed_ahead(*fields: Widget, timeout: float = 2.0) -> None:
    """Wait until each of ``fields`` has handled the keys already handed to it.

    A key typed ahead (in one burst over SSH) waits in the field's message queue until the field
    gets to it, so its ``value`` lags behind what was typed; a callback queued behind those keys
    runs once they are in. Awaited from a priority binding, which runs in the App's own task, this
    also holds the keys typed after (say) the Enter that saves until the dialog has closed, so
    they reach the screen below instead of the closing fields.
    """
    loop = asyncio.get_running_loop()
    waits = []
    for field in fields:
        done = loop.create_future()
        if field.call_later(lambda done=done: done.done() or done.set_result(None)):
            waits.append(done)
    if waits:
        await asyncio.wait(waits, timeout=timeout)


@dataclass(frozen=True)
class NoteAndTags:
    """What the prompt returns: the note and the tags as typed (comma-separated)."""

    note: str
    tags: tuple[str, ...]


class BookmarkDialog(ModalScreen[T]):
    """A small framed dialog centred over the dimmed screen: the base of both bookmark dialogs.

    The one stylesheet lives here because a widget's ``DEFAULT_CSS`` applies only to that class
    (and its subclasses) and what is inside it: a rule in the prompt's never reached the
    confirmation, which was drawn as bare lines on a blank screen.
    """

    DEFAULT_CSS = """
    BookmarkDialog {
        align: center middle;
    }
    BookmarkDialog > .bookmark-dialog {
        width: 72;
        max-width: 95%;
        height: auto;
        max-height: 95%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    BookmarkDialog .bookmark-dialog--quote {
        color: $text-muted;
        margin-bottom: 1;
        max-height: 6;
    }
    BookmarkDialog .bookmark-dialog Input {
        margin-bottom: 1;
    }
    """


class BookmarkPrompt(BookmarkDialog[NoteAndTags | None]):
    """Note and comma-separated tags for a passage being bookmarked (or edited).

    Enter in the note moves to the tags; Enter in the tags saves; Tab and Shift+Tab switch between
    the two; Esc cancels.
    """

    # Priority bindings run when the App takes the key, before it hands the keys typed after it to
    # the focused field; and the fields are focused with ``set_focus``, not ``focus()`` (which waits
    # a refresh). So "note, Tab, tags, Enter" typed in one burst (over SSH) fills the right fields,
    # as ``/`` does for the search bar.
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="bookmark-prompt.cancel", priority=True),
        Binding("enter", "submit", "Next / save", id="bookmark-prompt.submit", show=False, priority=True),
        Binding("tab", "next_field", "Next field", id="bookmark-prompt.next-field", show=False, priority=True),
        Binding("shift+tab", "next_field", "Previous field", id="bookmark-prompt.previous-field", show=False, priority=True),
    ]

    def __init__(self, title: str, quote: str, note: str = "", tags: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.title_text = title
        self.quote = quote
        self.initial_note = note
        self.initial_tags = tags

    def compose(self) -> ComposeResult:
        with Vertical(id="bookmark-prompt", classes="bookmark-dialog"):
            yield Static(Text(self.title_text, style="bold"), classes="bookmark-dialog--title")
            yield Static(Text("“" + preview(self.quote) + "”", style="italic"), classes="bookmark-dialog--quote")
            yield Label("Note")
            yield Input(self.initial_note, placeholder="optional", id="bookmark-note",
                        select_on_focus=False, compact=True)
            yield Label("Tags")
            yield Input(", ".join(self.initial_tags), placeholder="comma-separated, optional",
                        id="bookmark-tags", select_on_focus=False, compact=True)
            yield Static(Text("Enter saves · Esc cancels", style="dim"), classes="bookmark-dialog--hint")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#bookmark-note", Input))

    async def action_submit(self) -> None:
        """Enter: from the note on to the tags; in the tags, save."""
        if self.focused is self.query_one("#bookmark-note", Input):
            self.action_next_field()
        else:
            await self.action_save()

    def action_next_field(self) -> None:
        """Tab and Shift+Tab: the other of the two fields."""
        note, tags = self.query_one("#bookmark-note", Input), self.query_one("#bookmark-tags", Input)
        self.set_focus(tags if self.focused is note else note)

    async def action_save(self) -> None:
        fields = self.query_one("#bookmark-note", Input), self.query_one("#bookmark-tags", Input)
        await typed_ahead(*fields)
        note, tags = (field.value for field in fields)
        self.dismiss(NoteAndTags(note.strip(), tuple(t.strip() for t in tags.split(",") if t.strip())))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDelete(BookmarkDialog[bool]):
    """"Delete this bookmark?": y or Enter deletes, n or Esc keeps it."""

    DEFAULT_CSS = """
    ConfirmDelete > .bookmark-dialog {
        border: round $error;
    }
    """

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Delete", id="confirm-delete.yes"),
        Binding("n,escape", "answer(False)", "Keep", id="confirm-delete.no"),
    ]

    def __init__(self, quote: str) -> None:
        super().__init__()
        self.quote = quote

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-delete", classes="bookmark-dialog"):
            yield Static(Text("Delete this bookmark?", style="bold"), classes="bookmark-dialog--title")
            yield Static(Text("“" + preview(self.quote, 160) + "”", style="italic"), classes="bookmark-dialog--quote")
            yield Static(Text("y / Enter: delete (u undoes) · n / Esc: keep", style="dim"), classes="bookmark-dialog--hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
