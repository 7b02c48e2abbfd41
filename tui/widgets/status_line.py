"""StatusLine: corpus, document count, what the list shows, and where the reader is (``match 3/17``).

One line has to hold both what stays true (the corpus, the hit count, an entity filter, the reader's
position) and what the last key did (a notice). At 80 columns they do not all fit, and cutting the
notice to its first word made it useless. So the line is laid out from the most complete form to
the most compact and the first that fits is drawn:

- a notice takes the line's free width: the corpus, document count and hit count give way to it
  while it shows (the screen clears it after a few seconds), the filter and activity stay;
- without a notice, the document count goes first, then the corpus name;
- the reader's position drops its percentage, then everything but its first part (``match 3/17``).

Whatever is cut at the very end is cut between words, with an ellipsis; a first word that does not
fit is left out rather than cut.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from .layout import fit, foreground, may_break, one_line

SEPARATOR = " · "
POSITION_SEPARATOR = "  "
"""Between the parts of ``position`` (``match 3/17``, ``DeepSeek 2/5``, ``40%``)."""


class StatusLine(Widget):
    """One line under the panes; its reactives are bound to the main screen's with ``data_bind``."""

    COMPONENT_CLASSES = {"status-line--corpus", "status-line--position", "status-line--notice", "status-line--state"}

    corpus: reactive[str] = reactive("")
    """Name of the corpus folder."""
    documents: reactive[int] = reactive(-1)
    """Documents in the index (-1 while unknown)."""
    summary: reactive[str] = reactive("")
    """What the list shows: the hit count for the query."""
    filter_name: reactive[str | None] = reactive(None)
    """The entity the list is filtered to: shown for as long as the filter holds."""
    activity: reactive[str] = reactive("")
    """Work in progress that outlasts a notice (``indexing 3/14``)."""
    position: reactive[str] = reactive("")
    """Where the reader is, parts joined by two spaces: ``match 3/17  DeepSeek 2/5  40%``."""
    notice: reactive[str] = reactive("")
    """A short message about the last action (``next document: …``); the screen clears it."""

    def render(self) -> Text:
        width = self.size.width
        lefts, rights = self._lefts(), self._positions()
        # The left side gives way first, down to what it must say; then the position.
        for left, right in [(left, rights[0]) for left in lefts] + [(lefts[-1], right) for right in rights[1:]]:
            if left.cell_len + (right.cell_len + 1 if right.cell_len else 0) <= width:
                return self._line(left, right, width)
        right = rights[-1]
        return self._line(_fit_words(lefts[-1], max(0, width - right.cell_len - 1)), right, width)

    @staticmethod
    def _line(left: Text, right: Text, width: int) -> Text:
        gap = max(1 if right.cell_len else 0, width - left.cell_len - right.cell_len)
        return Text.assemble(left, " " * gap, right, end="")

    def _positions(self) -> list[Text]:
        """The reader's position: full, without its percentage, its first part only."""
        style = foreground(self.get_component_rich_style("status-line--position"))
        parts = [p for p in one_line(self.position).split(POSITION_SEPARATOR) if p]
        forms = [parts]
        if len(parts) > 1 and parts[-1].endswith("%"):
            forms.append(parts[:-1])
        if len(forms[-1]) > 1:
            forms.append(parts[:1])
        return [Text(POSITION_SEPARATOR.join(form), style=style) for form in forms]

    def _lefts(self) -> list[Text]:
        """The left side, from the most complete form to the most compact."""
        style = self.get_component_rich_style
        state: list[Text] = []
        if self.filter_name:
            state.append(Text("filter: " + one_line(self.filter_name), style=foreground(style("status-line--state"))))
        if self.activity:
            state.append(Text(one_line(self.activity)))
        if self.notice:
            return [_join(*state, Text(one_line(self.notice), style=foreground(style("status-line--notice"))))]
        corpus = Text(one_line(self.corpus), style=foreground(style("status-line--corpus")))
        count = Text(f"{self.documents} document{'s' if self.documents != 1 else ''}") if self.documents >= 0 else None
        summary = Text(one_line(self.summary)) if self.summary else None
        return [_join(corpus, count, summary, *state), _join(corpus, summary, *state), _join(summary, *state)]


def _fit_words(text: Text, width: int) -> Text:
    """``fit`` to ``width``, or nothing when not even the first word fits whole (``fit`` would
    cut a lone word between characters)."""
    fitted = fit(text, width)
    kept = fitted.plain[:-1].rstrip()
    if fitted.plain == text.plain or (kept and may_break(text.plain, len(kept))):
        return fitted
    return Text("")


def _join(*parts: Text | None) -> Text:
    return Text(SEPARATOR).join(p for p in parts if p is not None and p.plain)
