"""KeyFooter: Textual's Footer, but a key that does not fit is left out instead of cut mid-word.

At 80 columns the reader's keys overrun the footer; Textual's Footer clips the last one ("n Nex").
Here every key that would cross the command-palette key on the right is hidden; the help screen
(``?``) and the palette still list them all.

Which keys fit is decided while composing, from the widths of their texts and the screen's width,
not from the laid-out regions: a footer on a screen under a modal (the help) is composed again but
not always laid out again, and waiting for its layout made what it showed depend on timing.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

# Cells a key takes besides its texts (Footer's non-compact CSS): " k " + "description ".
KEY_PADDING = 3


def key_width(key: FooterKey) -> int:
    if not key.description:
        return cell_len(key.key_display)
    return cell_len(key.key_display) + cell_len(key.description) + KEY_PADDING


class KeyFooter(Footer):
    """A footer of whole keys: what does not fit is hidden, never clipped."""

    def compose(self) -> ComposeResult:
        widgets = list(super().compose())
        width = self.size.width or self.screen.size.width or self.app.size.width
        palette = [w for w in widgets if isinstance(w, FooterKey) and w.has_class("-command-palette")]
        room = width - sum(key_width(key) for key in palette)
        used = 0
        for widget in widgets:
            if isinstance(widget, FooterKey) and widget not in palette:
                used += key_width(widget)
                if used > room:
                    widget.display = False
        yield from widgets

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self.recompose)
