"""KeyFooter: Textual's Footer, but a key that does not fit is left out instead of cut mid-word.

At 80 columns the reader's keys overrun the footer; Textual's Footer clips the last one ("n Nex").
Here every key that would cross the command-palette key on the right is hidden; the help screen
(``?``) and the palette still list them all. A resize composes the keys again and re-fits them.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class KeyFooter(Footer):
    """A footer of whole keys: what does not fit is hidden, never clipped."""

    async def recompose(self) -> None:
        await super().recompose()
        self.call_after_refresh(self._fit)

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self.recompose)

    def _fit(self, attempts: int = 10) -> None:
        if not self.region or any(not key.region for key in self.query_children(FooterKey)):
            if attempts:  # the new keys are not laid out yet
                self.call_after_refresh(self._fit, attempts - 1)
            return
        keys = [key for key in self.query_children(FooterKey) if not key.has_class("-command-palette")]
        palette = next((key for key in self.query_children(FooterKey) if key.has_class("-command-palette")), None)
        limit = self.content_region.right
        if palette is not None and palette.display:
            limit = palette.region.x
        overflowing = False
        for key in keys:
            overflowing = overflowing or key.region.right > limit
            if overflowing:
                key.display = False
