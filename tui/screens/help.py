"""The key table (one source for the help screen and the command palette) and HelpScreen (``?``).

Keys are defined once, as ``Binding``s with ids and descriptions on the app, the main screen and
the panes; the footer shows them from the same objects, so footer, help and palette agree. A key
remapped with ``App.set_keymap`` shows its new key here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

if TYPE_CHECKING:
    from textual.app import App


@dataclass(frozen=True)
class KeyRow:
    """One action and every key bound to it."""

    section: str
    keys: str
    description: str
    action: str
    node: Any
    id: str


def key_table(app: "App") -> list[KeyRow]:
    """Every binding of dossier, grouped by where it works, keys of one action joined."""
    from ..widgets.document_list import DocumentList
    from ..widgets.entity_sidebar import EntitySidebar
    from ..widgets.reader import Reader
    from ..widgets.search_bar import SearchBar
    from .bookmark_keys import BookmarkKeys
    from .main import MainScreen

    main = next((s for s in app.screen_stack if isinstance(s, MainScreen)), None)
    sections: list[tuple[str, Any, type]] = [("Everywhere", app, type(app))]
    if main is not None:
        sections += [
            ("Everywhere", main, MainScreen),
            ("Bookmarks", main, BookmarkKeys),
            ("Search", main.query_one(SearchBar), SearchBar),
            ("Document list", main.query_one(DocumentList), DocumentList),
            ("Reader", main.query_one(Reader), Reader),
            ("Entity sidebar", main.query_one(EntitySidebar), EntitySidebar),
        ]
    keymap = getattr(app, "_keymap", {}) or {}
    sectioned = {cls for _, _, cls in sections}
    rows: list[KeyRow] = []
    for section, node, cls in sections:
        grouped: dict[str, list[Binding]] = {}
        # The class and its dossier mixins (BookmarkKeys, ...), not Textual's own base classes.
        # A mixin with a section of its own (BookmarkKeys) is listed there, not under its screen.
        own = [
            c for c in reversed(cls.__mro__)
            if c.__module__.startswith("tui.") and "BINDINGS" in c.__dict__
            and (c is cls or c not in sectioned)
        ]
        for binding in Binding.make_bindings([b for c in own for b in c.__dict__["BINDINGS"]]):
            if not binding.description:
                continue
            grouped.setdefault(binding.id or binding.action, []).append(binding)
        for bid, bindings in grouped.items():
            first = bindings[0]
            if bid in keymap:
                keys = " ".join(app.get_key_display(first.with_key(k.strip())) for k in keymap[bid].split(","))
            else:
                keys = " ".join(app.get_key_display(b) for b in bindings)
            rows.append(KeyRow(section, keys, first.description, first.action, node, bid))
    palette = app.COMMAND_PALETTE_BINDING
    rows.insert(1, KeyRow("Everywhere", app.get_key_display(Binding(palette, "")), "Command palette", "app.command_palette", app, "app.command-palette"))
    return rows


class HelpScreen(ModalScreen[None]):
    """Every key, by pane. Esc, q or ? closes it."""

    BINDINGS = [
        Binding("escape,q,question_mark", "close", "Close help", id="help.close"),
        Binding("j", "scroll(1)", "Down", id="help.down", show=False),
        Binding("k", "scroll(-1)", "Up", id="help.up", show=False),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(self._table(), id="help-table")

    def _table(self) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(justify="right", style="bold", no_wrap=True)
        table.add_column()
        section = None
        for row in key_table(self.app):
            if row.section != section:
                if section is not None:
                    table.add_row("", "")
                table.add_row("", Text(row.section, style="bold underline"))
                section = row.section
            table.add_row(Text(row.keys), Text(row.description))
        return table

    def on_mount(self) -> None:
        box = self.query_one("#help")
        box.border_title = "Keys"
        box.border_subtitle = "Esc closes · Ctrl+P runs any of them by name"
        box.focus()

    def action_scroll(self, step: int) -> None:
        box = self.query_one("#help", VerticalScroll)
        box.scroll_to(y=box.scroll_y + step, animate=False)

    def action_close(self) -> None:
        self.dismiss(None)
