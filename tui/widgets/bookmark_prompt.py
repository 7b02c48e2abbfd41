"""Small dialogs of the bookmark flow: the note-and-tags prompt and the delete confirmation.

Both are modal screens returning their answer through ``dismiss`` (``None`` / ``False`` on Esc).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from index.text import visible

QUOTE_PREVIEW = 240
"""Characters of the passage shown in a dialog."""


def preview(quote: str, limit: int = QUOTE_PREVIEW) -> str:
    """A passage on one line, control characters made visible, cut at ``limit`` characters."""
    text = visible(" ".join(quote.split()))
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class NoteAndTags:
    """What the prompt returns: the note and the tags as typed (comma-separated)."""

    note: str
    tags: tuple[str, ...]


class BookmarkPrompt(ModalScreen[NoteAndTags | None]):
    """Note and comma-separated tags for a passage being bookmarked (or edited).

    Enter in the note moves to the tags; Enter in the tags saves; Esc cancels.
    """

    DEFAULT_CSS = """
    BookmarkPrompt, ConfirmDelete {
        align: center middle;
    }
    .bookmark-dialog {
        width: 72;
        max-width: 95%;
        height: auto;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    .bookmark-dialog--quote {
        color: $text-muted;
        margin-bottom: 1;
        max-height: 6;
    }
    .bookmark-dialog Input {
        margin-bottom: 1;
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="bookmark-prompt.cancel")]

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
        self.query_one("#bookmark-note", Input).focus()

    @on(Input.Submitted, "#bookmark-note")
    def _note_done(self) -> None:
        self.query_one("#bookmark-tags", Input).focus()

    @on(Input.Submitted, "#bookmark-tags")
    def _tags_done(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        note = self.query_one("#bookmark-note", Input).value
        tags = tuple(t.strip() for t in self.query_one("#bookmark-tags", Input).value.split(",") if t.strip())
        self.dismiss(NoteAndTags(note.strip(), tags))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDelete(ModalScreen[bool]):
    """"Delete this bookmark?": y or Enter deletes, n or Esc keeps it."""

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
