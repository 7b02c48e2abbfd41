"""Document list rows as a user reads them at 80 and 120 columns: title, number of matches, date
and source on every row (the source shortened between words or name segments, never mid-token),
and a snippet that shows a marked term whenever the document matches."""

from __future__ import annotations

import pytest

from tui.widgets.document_list import DocumentList, source_label
from tui.widgets.layout import shorten
from tui.widgets.search_bar import SearchBar

from .helpers import settle

BREAKS = " _-./#,;:"


def check_meta(text: str, row, doc, width: int) -> bool:
    """``text`` (a drawn meta line, ``width`` cells for text) has the row's count and date whole,
    and its source whole, cut at a boundary, or left out only when not even its first word fits.
    Returns whether the source is shown."""
    parts = text.split(" · ")
    if row.matches is not None:
        count = len(row.matches)
        assert parts[0] in (f"{count}×", f"{count} match", f"{count} matches"), text
        parts = parts[1:]
    if doc.date:
        assert parts and parts[0] == doc.date[:10], f"no date in {text!r}"
        parts = parts[1:]
    label = source_label(doc.source, doc.publisher)
    assert len(parts) <= 1, text
    if not parts:
        assert shorten(label, width - len(text) - 3) == "", f"{label!r} left out of {text!r}"
        return False
    if parts[0] != label:
        kept = parts[0][:-1]
        assert parts[0].endswith("…") and label.startswith(kept) and label[len(kept)] in BREAKS, (parts[0], label)
    return True


def text_width(doc_list) -> int:
    return doc_list.scrollable_content_region.width - 2  # the cursor mark and the open bullet


def drawn_rows(doc_list):
    """(row, meta line, snippet line or None) for every row on screen."""
    width = doc_list.scrollable_content_region.width
    lines = ["".join(seg.text for seg in doc_list.render_line(y))[2:width].rstrip() for y in range(doc_list.size.height)]
    height, titles = doc_list.row_height, doc_list.title_lines
    for index in range(min(len(doc_list.rows), len(lines) // height)):
        row_lines = lines[index * height:(index + 1) * height]
        yield doc_list.rows[index], row_lines[titles], row_lines[titles + 1] if height > titles + 1 else None


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.parametrize("query", ["", "china"])
async def test_every_row_shows_count_date_and_a_whole_source(make_app, library, size, query):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        app.screen.query_one(SearchBar).value = query
        await settle(app, pilot)
        doc_list = app.screen.query_one(DocumentList)
        seen, counts = 0, set()
        for row, meta, _ in drawn_rows(doc_list):
            check_meta(meta, row, library.document(row.id), text_width(doc_list))
            counts.add("×" in meta.split(" · ")[0])
            seen += 1
        assert seen >= 3
        assert len(counts) == 1, "every row counts its matches the same way"
        if size == (120, 40):  # room for the source on every row, shortened if need be
            assert all(check_meta(meta, row, library.document(row.id), text_width(doc_list))
                       for row, meta, _ in drawn_rows(doc_list))
        dated = [row for row, meta, _ in drawn_rows(doc_list) if row.date]
        assert dated, "the seeds have dated documents on the first screen"


@pytest.mark.parametrize(
    "label, width, expected",
    [
        ("China Academy", 20, "China Academy"),
        ("China Academy", 8, "China…"),
        ("000_ad4e16329fe5ae12.txt", 12, "000…"),
        ("000_ad4e16329fe5ae12.txt", 23, "000_ad4e16329fe5ae12…"),
        ("SCMP.COM", 6, "SCMP…"),
        ("Supercalifragilistic", 10, ""),  # one token that does not fit: left out, not cut
        ("杭州深度求索人工智能", 7, "杭州深…"),  # Chinese may be cut between characters
    ],
)
def test_a_source_is_shortened_at_a_word_or_segment_boundary(label, width, expected):
    assert shorten(label, width) == expected


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_row_snippet_shows_its_marked_term_inside_bracket_text(tmp_path, make_app, size):
    """'red' in '[red]danger[/red]' (and escape sequences around it): the row's snippet keeps the
    matched term, marked, instead of cutting back to the word before it ('…and…')."""
    from index import Config, Library

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "esc.txt").write_text(
        "Escapes and [bold]brackets[/bold]\n\nBody with \x1b[31mred\x1b[0m text and [red]danger[/red] and"
        " [bold]not bold[/bold] and [link=http://x]a link[/link] and an OSC \x1b]8;;http://evil\x07link end.\n",
        encoding="utf-8",
    )
    (corpus / "plain.txt").write_text(
        "Brackets only\n\nSome words and then [red]danger[/red] sits here with more text after it.\n", encoding="utf-8")
    lib = Library(Config(corpus=corpus, index_dir=tmp_path / "i", data_dir=tmp_path / "d", state_dir=tmp_path / "s"))
    app = make_app(lib)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        app.screen.query_one(SearchBar).value = "red"
        await settle(app, pilot)
        doc_list = app.screen.query_one(DocumentList)
        assert len(doc_list.rows) == 2
        height, titles = doc_list.row_height, doc_list.title_lines
        for index in range(2):
            strip = doc_list.render_line(index * height + titles + 1)
            marked = "".join(seg.text for seg in strip if seg.style and seg.style.underline)
            assert "red" in marked.lower(), "".join(seg.text for seg in strip)
            assert "\x1b" not in "".join(seg.text for seg in strip)
