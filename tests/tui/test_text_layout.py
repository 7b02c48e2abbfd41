"""Text layout for the Line API panes: wrapping keeps offsets and never splits a word that fits;
fitting a row cuts between words; document text is made safe one character for one."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from rich.text import Text

from tui.widgets.layout import display_text, fit, fit_snippet, wrap_offsets


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
    shifted, moved = fit_snippet(text, marks, 30)
    assert shifted.startswith("…") and cell_len(shifted) <= 30
    assert shifted[moved[0][0] : moved[0][1]] == "needle"


SNIPPETS = [  # (snippet, the marked term, the text it is found in)
    ("Some words and then [red]danger[/red] sits here with more text after it to pad.", "red", "[red]"),
    ("Body with ␛[31mred␛[0m text and [red]danger[/red] and [bold]not bold[/bold] and more", "red", "[red]"),
    ("a long run of words before the https://example.org/path/with/the/needle/inside/it end", "needle", "needle"),
    ("…by 杭州深度求索人工智能基础技术研究有限公司Hangzhou and others", "深度求索", "深度求索"),
    ("supercalifragilisticexpialidocious is one word", "supercalifragilisticexpialidocious", "super"),
]


@pytest.mark.parametrize("text, term, where", SNIPPETS)
@pytest.mark.parametrize("width", [8, 12, 20, 31, 60])
def test_a_fitted_snippet_always_shows_its_marked_term(text, term, where, width):
    """However narrow the row, the term (or as much of it as the row holds) is on it and marked:
    a term inside a long token ([red]danger[/red], a URL) is not cut away with its token."""
    start = text.index(term, text.index(where))
    shown, marks = fit_snippet(text, ((start, start + len(term)),), width)
    assert cell_len(shown) <= width
    assert marks, shown
    a, b = marks[0]
    assert b > a and term.startswith(shown[a:b]) and (shown[a:b] == term or b >= len(shown) - 1), shown
