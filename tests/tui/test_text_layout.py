"""Text layout for the Line API panes: wrapping keeps offsets and never splits a word that fits;
fitting a row cuts between words; document text is made safe one character for one."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from rich.text import Text

from tui.widgets.layout import centre_on, display_text, fit, wrap_offsets


@pytest.mark.parametrize(
    "text, width",
    [
        ("The quick brown fox jumps over the lazy dog", 10),
        ("short", 80),
        ("https://example.org/a/very/long/url/that/cannot/fit/anywhere/at/all", 20),
        ("杭州深度求索人工智能基础技术研究有限公司Hangzhou DeepSeek", 12),
        ("mixed 中文 and English words 深度求索 here", 9),
        ("trailing spaces    between   words", 8),
    ],
)
def test_wrapping_covers_the_text_within_the_width(text, width):
    lines = wrap_offsets(text, 0, len(text), width)
    assert lines[0][0] == 0 and lines[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(lines, lines[1:]))  # contiguous: offsets still apply
    for start, end in lines:
        assert cell_len(text[start:end].rstrip()) <= width
    words = [w for w in text.split() if cell_len(w) <= width and w.isascii()]
    drawn = [text[s:e].split() for s, e in lines]
    for word in words:  # a word that fits a line is never split
        assert any(word in line for line in drawn)


@pytest.mark.parametrize(
    "plain, width, expected",
    [
        ("How AI start-up DeepSeek upended industry", 30, "How AI start-up DeepSeek…"),
        ("fits", 10, "fits"),
        ("Escapes and [bold]brackets[/bold]", 20, "Escapes and…"),
        ("Supercalifragilistic", 8, "Superca…"),
        # Chinese breaks between characters: the marked term after "by" is not cut away
        ("…by 杭州深度求索人工智能基础技术研究有限公司Hangzhou", 21, "…by 杭州深度求索人工…"),
    ],
)
def test_fit_cuts_between_words_and_marks_the_cut(plain, width, expected):
    out = fit(Text(plain), width)
    assert out.plain == expected and out.cell_len <= width


def test_display_text_neutralises_escapes_and_keeps_length():
    raw = "a\x1b[31mred\x1b[0m\x07b\tc\nd"
    shown = display_text(raw)
    assert len(shown) == len(raw) and "\x1b" not in shown and "\x07" not in shown
    assert shown == "a␛[31mred␛[0m␇b c\nd"


def test_a_snippet_is_shifted_so_its_first_mark_shows():
    text = "x " * 60 + "needle and more"
    marks = ((120, 126),)
    shifted, moved = centre_on(text, marks, 30)
    assert shifted.startswith("…")
    assert shifted[moved[0][0] : moved[0][1]] == "needle"
    assert cell_len(shifted[: moved[0][1]]) <= 30
