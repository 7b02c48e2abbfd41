"""Plain text layout for the Line API widgets: wrapping by cell width with character offsets kept,
and fitting one line into a width without cutting a word. No Textual imports, so it is cheap to
test and the widgets only have to look lines up.

Offsets are character offsets into the text given (for the reader, ``Document.body``), so the
match and mention spans of ``index/`` apply to wrapped lines without any translation.
"""

from __future__ import annotations

import re

from rich.cells import cell_len, get_character_cell_size
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from index.text import visible

_WORD = re.compile(r"\S+\s*|\s+")
ELLIPSIS = "…"


def display_text(text: str) -> str:
    """``text`` safe for a terminal, one character for one so spans still apply.

    Control characters (ESC included, so no ANSI/OSC sequence survives) become visible symbols;
    tabs become spaces, newlines are kept for the paragraph split.
    """
    return visible(text, keep_newlines=True).replace("\t", " ")


def one_line(text: str) -> str:
    """``text`` on one line for a list row: newlines and tabs as spaces, controls made visible."""
    return visible(text.replace("\n", " ").replace("\r", " ").replace("\t", " "))


def wrap_offsets(text: str, start: int, end: int, width: int) -> list[tuple[int, int]]:
    """Break ``text[start:end]`` (one paragraph) into lines of at most ``width`` cells.

    Returns ``(line_start, line_end)`` offsets into ``text``; breaks fall between words, trailing
    spaces stay on the line they follow (they are not drawn past the width). A word wider than
    the line (a URL, a run of Chinese without spaces) is broken between characters.
    """
    width = max(1, width)
    if start >= end:
        return [(start, start)]
    lines: list[tuple[int, int]] = []
    line_start = start
    col = 0
    for match in _WORD.finditer(text, start, end):
        word_start, word_end = match.span()
        word = match.group()
        stripped = word.rstrip()
        ink = cell_len(stripped)
        if col + ink <= width:
            col += cell_len(word)
            continue
        if col > 0 and ink <= width:
            lines.append((line_start, word_start))
            line_start, col = word_start, cell_len(word)
            continue
        # The word does not fit on any line: fill this line, then break between characters.
        position = word_start
        for char in stripped:
            size = get_character_cell_size(char)
            if col + size > width and col > 0:
                lines.append((line_start, position))
                line_start, col = position, 0
            col += size
            position += 1
        col += cell_len(word[len(stripped):])
    lines.append((line_start, end))
    return lines


def may_break(plain: str, i: int) -> bool:
    """May a line end before ``plain[i]``? At a space, and between characters of Chinese (or
    other wide) text, which has no spaces between its words."""
    before, after = plain[i - 1], plain[i] if i < len(plain) else " "
    return " " in (before, after) or get_character_cell_size(before) == 2 or get_character_cell_size(after) == 2


def fit(text: Text, width: int) -> Text:
    """``text`` cut to ``width`` cells at a word boundary, with an ellipsis when something was cut.

    Styles (marked terms) are kept. Chinese may be cut between any two characters (so a snippet
    never loses its marked Chinese term to the space before it); one long word without a place
    to break is cut between characters.
    """
    if width <= 0:
        return Text("")
    plain = text.plain
    if cell_len(plain) <= width:
        return text
    budget = width - 1  # room for the ellipsis
    position, col = 0, 0
    for char in plain:
        size = get_character_cell_size(char)
        if col + size > budget:
            break
        col += size
        position += 1
    cut = position
    while cut > 0 and not may_break(plain, cut):
        cut -= 1
    if cut == 0:  # one long word: cut it between characters
        cut = position
    result = text[:cut]
    result.rstrip()
    if not result.plain.endswith(ELLIPSIS):  # "files…" cut after its own ellipsis: not "files……"
        result.append(ELLIPSIS)
    return result


_NAME_BREAKS = frozenset(" _-./#,;:")


def shorten(label: str, width: int, least: int = 3) -> str:
    """``label`` (a publisher, a file name) in ``width`` cells: whole, or cut before a space or a
    name separator (``_ - . /``) with an ellipsis, or between Chinese characters; ``""`` when
    fewer than ``least`` characters would be left, rather than a token cut in the middle."""
    if cell_len(label) <= width:
        return label
    budget, col, cut = width - 1, 0, 0
    for i, char in enumerate(label):
        if i and (char in _NAME_BREAKS or get_character_cell_size(char) == 2 or get_character_cell_size(label[i - 1]) == 2):
            cut = i
        col += get_character_cell_size(char)
        if col > budget:
            break
    kept = label[:cut].rstrip("".join(_NAME_BREAKS))
    return kept + ELLIPSIS if cell_len(kept) >= least else ""


def _cells_until(text: str, start: int, cells: int) -> int:
    """The furthest offset ``end`` with ``text[start:end]`` at most ``cells`` cells wide."""
    col, end = 0, start
    while end < len(text):
        col += get_character_cell_size(text[end])
        if col > cells:
            break
        end += 1
    return end


def fit_snippet(text: str, marks: tuple[tuple[int, int], ...], width: int) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A one-line snippet in ``width`` cells that shows its first mark (the matched term).

    The view starts at the beginning, or (when the mark lies further on) at a word a little before
    the mark, after an ellipsis; it ends between words with an ellipsis. When the mark sits in a
    word too long for that (``[red]danger[/red]``, a URL), the view starts at that word or at the
    mark itself and is cut inside the word, rather than cut back to a space and lose the term.
    Returns the text to draw and its marks moved with it (a mark cut by the end is shortened).
    """
    if not marks or cell_len(text) <= width or width < 2:
        return text, marks
    first, last = marks[0]
    word = text.rfind(" ", 0, first) + 1  # where the mark's word begins
    context = word
    if cell_len(text[:last]) > width - 8:  # the mark would sit at the far end: show some text before it
        context = max(0, first - max(8, width // 4))
        space = text.find(" ", context, first)
        context = space + 1 if space != -1 else first if context > word else word
    else:
        context = 0
    for start, whole_words in ((context, True), (word, True), (word, False), (first, False)):
        lead = 1 if start > 0 else 0
        if cell_len(text[start:]) <= width - lead:
            end = len(text)
        else:
            end = _cells_until(text, start, width - lead - 1)
            if whole_words:
                while end > last and not may_break(text, end):
                    end -= 1
                if end < last or not may_break(text, end):
                    continue  # the mark's word does not fit after this start: try a later one
            elif end < last and start < first:
                continue  # the mark would be cut: start at the mark
        shown = (ELLIPSIS if lead else "") + text[start:end].rstrip() + (ELLIPSIS if end < len(text) else "")
        shift = start - lead
        moved = tuple((max(a, start) - shift, min(b, end) - shift) for a, b in marks if a < end and b > start)
        return shown, moved
    return text, marks  # not reached: the last start is the mark itself


def foreground(style: Style) -> Style:
    """``style`` without its background: the colour and attributes to lay over a row's own background.

    Textual's full component styles carry the widget background (and blend alpha colours against
    it), partial ones drop alpha blending; taking the full style and removing the background gives
    the right colours on a highlighted row as well as on a plain one.
    """
    return Style(
        color=style.color, bold=style.bold, dim=style.dim, italic=style.italic, underline=style.underline,
        reverse=style.reverse, strike=style.strike,
    )


def text_segments(text: Text, console: Console, base: Style | None = None) -> list[Segment]:
    """The segments of ``text`` over ``base``, with the Text's own style applied.

    ``Text.render`` leaves the Text's base style to ``__rich_console__``; a Line API widget calls it
    directly, so the style is applied here.
    """
    own = text.style if isinstance(text.style, Style) else Style.parse(text.style) if text.style else Style()
    style = base + own if base is not None else own
    return list(Segment.apply_style(text.render(console), style))
