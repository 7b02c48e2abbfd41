"""EntityPicker: a fuzzy list of entity names to pick one from (the target of a merge).

The names are the whole corpus's (thousands on a big one). Textual's fuzzy matcher tries every
alignment of the typed letters in a name: scoring every name on each keystroke would make typing
wait. So a regular expression first keeps the names that hold the letters in order (what the
matcher would score above zero), and only the first ``SCORED`` of those, most mentioned first,
are scored and sorted.
"""

from __future__ import annotations

import re

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.fuzzy import Matcher
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ..widgets.layout import one_line

SHOWN = 200
"""Names listed at most."""
SCORED = 500
"""Candidate names scored by the fuzzy matcher at most, per keystroke."""


class EntityPicker(ModalScreen[str | None]):
    """Type to narrow the names; Enter picks the highlighted one, Esc cancels."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="picker.cancel"),
        Binding("down", "move(1)", "Down", id="picker.down", show=False),
        Binding("up", "move(-1)", "Up", id="picker.up", show=False),
    ]

    def __init__(self, title: str, names: list[str]) -> None:
        super().__init__()
        self.title_text = title
        self.names = names
        self._folded = [n.casefold() for n in names]

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Static(Text(one_line(self.title_text), style="bold"), id="picker-title")
            yield Input(placeholder="type to filter", id="picker-input", compact=True)
            yield OptionList(id="picker-options")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#picker-input").focus()

    @on(Input.Changed, "#picker-input")
    def _typed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def _fill(self, text: str) -> None:
        if text.strip():
            letters = re.compile(".*?".join(re.escape(c) for c in text.casefold() if not c.isspace()))
            candidates = [n for n, f in zip(self.names, self._folded) if letters.search(f)][:SCORED]
            matcher = Matcher(text)
            scored = sorted(((matcher.match(n), n) for n in candidates), key=lambda p: -p[0])
            chosen = [(matcher.highlight(one_line(n)), n) for score, n in scored if score > 0][:SHOWN]
        else:
            chosen = [(Text(one_line(n)), n) for n in self.names[:SHOWN]]
        options = self.query_one("#picker-options", OptionList)
        options.set_options([Option(prompt, id=f"n:{i}") for i, (prompt, _) in enumerate(chosen)])
        self._chosen = [n for _, n in chosen]
        if chosen:
            options.highlighted = 0

    def action_move(self, step: int) -> None:
        options = self.query_one("#picker-options", OptionList)
        if options.option_count:
            options.highlighted = ((options.highlighted or 0) + step) % options.option_count

    @on(Input.Submitted, "#picker-input")
    def _submitted(self) -> None:
        options = self.query_one("#picker-options", OptionList)
        if options.highlighted is not None and self._chosen:
            self.dismiss(self._chosen[options.highlighted])

    @on(OptionList.OptionSelected, "#picker-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._chosen[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)
