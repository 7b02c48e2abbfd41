"""StatusLine: corpus, document count, what the list shows, and where the reader is (``match 3/17``)."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from .layout import fit, foreground, one_line


class StatusLine(Widget):
    """One line under the panes; its reactives are bound to the main screen's with ``data_bind``."""

    COMPONENT_CLASSES = {"status-line--corpus", "status-line--position", "status-line--notice"}

    corpus: reactive[str] = reactive("")
    """Name of the corpus folder."""
    documents: reactive[int] = reactive(-1)
    """Documents in the index (-1 while unknown)."""
    summary: reactive[str] = reactive("")
    """What the list shows: hit count for the query, the entity filter."""
    position: reactive[str] = reactive("")
    """Where the reader is: ``match 3/17``, ``mention 2/5 DeepSeek``."""
    notice: reactive[str] = reactive("")
    """A short message about the last action (``next document: …``, indexing progress)."""

    def render(self) -> Text:
        style = self.get_component_rich_style
        right = Text(one_line(self.position), style=foreground(style("status-line--position")))
        left = Text()
        left.append(one_line(self.corpus), style=foreground(style("status-line--corpus")))
        if self.documents >= 0:
            left.append(f" · {self.documents} document{'s' if self.documents != 1 else ''}")
        if self.summary:
            left.append(" · " + one_line(self.summary))
        if self.notice:
            left.append(" · ")
            left.append(one_line(self.notice), style=foreground(style("status-line--notice")))
        width = self.size.width
        room = max(0, width - right.cell_len - 1)
        left = fit(left, room)
        gap = max(1, width - left.cell_len - right.cell_len)
        return Text.assemble(left, " " * gap, right, end="")
