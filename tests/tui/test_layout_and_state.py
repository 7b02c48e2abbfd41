"""Small and large terminals, text shown as text, a corpus with no index yet, restore on start."""

from __future__ import annotations

from index import Config, Library
from tui.messages import IndexingProgress
from tui.widgets.document_list import DocumentList
from tui.widgets.entity_sidebar import EntitySidebar
from tui.widgets.reader import Reader
from tui.widgets.search_bar import SearchBar

from .helpers import settle, type_text
from .test_list_rows import check_meta


def screen_text(widget) -> list[str]:
    """The lines a Line API widget draws now, as plain text."""
    return ["".join(seg.text for seg in widget.render_line(y)) for y in range(widget.size.height)]


async def test_all_three_panes_at_120x40(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        panes = [app.screen.query_one(t) for t in (DocumentList, Reader, EntitySidebar)]
        assert all(p.display and p.size.width >= 24 for p in panes)
        regions = [p.region for p in panes]
        assert regions[0].right <= regions[1].x and regions[1].right <= regions[2].x  # side by side


async def test_at_80x24_the_sidebar_folds_away_and_e_swaps_it_with_the_list(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        sidebar = app.screen.query_one(EntitySidebar)
        doc_list = app.screen.query_one(DocumentList)
        assert not sidebar.display and doc_list.display
        await pilot.press("e")
        await pilot.pause()
        assert sidebar.display and not doc_list.display
        assert app.focused.id == "entity-options"
        reader = app.screen.query_one(Reader)
        assert not sidebar.region.overlaps(reader.region)
        await pilot.press("e")
        await pilot.pause()
        assert doc_list.display and not sidebar.display
        assert app.focused is doc_list


async def test_list_rows_fit_their_width_and_are_cut_between_words(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        doc_list = app.screen.query_one(DocumentList)
        assert doc_list.title_lines == 2, "at 80 columns titles get two lines"
        width = doc_list.scrollable_content_region.width
        drawn: dict[int, list[str]] = {}
        for y, line in enumerate(screen_text(doc_list)):
            index, part = divmod(y, doc_list.row_height)
            if index >= len(doc_list.rows):
                break
            text = line[2:width].rstrip()
            assert len(line[:width].rstrip()) <= width
            if part < doc_list.title_lines:
                drawn.setdefault(index, []).append(text)
            elif part == doc_list.title_lines:  # date and source whole or cut between segments
                check_meta(text, doc_list.rows[index], app.library.document(doc_list.rows[index].id), width - 2)
        cut = wrapped = 0
        for index, lines in drawn.items():
            full = doc_list.rows[index].title
            first, second = lines
            assert full.startswith(first), (first, full)
            if not second:
                assert first == full
                continue
            wrapped += 1
            assert full[len(first)] == " ", "the title wraps between words"
            rest = full[len(first):].lstrip()
            if second.endswith("…"):
                cut += 1
                kept = second[:-1]
                assert rest.startswith(kept) and rest[len(kept)] == " ", (kept, rest)
            else:
                assert second == rest
        assert wrapped, "at 80 columns some titles take two lines"
        assert cut, "and some are long enough to be cut, between words"


async def test_document_text_is_shown_as_text_never_as_markup_or_escapes(tmp_path, make_app):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "esc.txt").write_text(
        "Escapes and [bold]brackets[/bold]\n\n"
        "Body with \x1b[31mred\x1b[0m text and [bold]not bold[/bold] and [link=http://x]a link[/link]"
        " and an OSC \x1b]8;;http://evil\x07link\x1b]8;;\x07 end.\n",
        encoding="utf-8",
    )
    lib = Library(Config(corpus=corpus, index_dir=tmp_path / "i", data_dir=tmp_path / "d", state_dir=tmp_path / "s"))
    app = make_app(lib)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        doc_list = app.screen.query_one(DocumentList)
        listed = "\n".join(screen_text(doc_list))
        assert "Escapes and [bold]brackets[/bold]" in listed or "Escapes and…" in listed
        await pilot.press("enter")
        await settle(app, pilot)
        reader = app.screen.query_one(Reader)
        drawn = " ".join(line[2:].strip() for line in screen_text(reader))  # lines joined as wrapped
        assert "Escapes and [bold]brackets[/bold]" in drawn
        assert "[bold]not bold[/bold]" in drawn and "[link=http://x]a link[/link]" in drawn
        assert "\x1b" not in drawn and "\x07" not in drawn
        assert "␛[31mred␛[0m" in drawn and "␛]8;;http://evil␇link" in drawn
        segments = [seg for y in range(reader.size.height) for seg in reader.render_line(y)]
        assert not any(seg.style and (seg.style.link or seg.style.bold and "not bold" in seg.text) for seg in segments)


async def test_a_corpus_without_an_index_opens_at_once_shows_progress_then_fills_in(tmp_path, make_app, seeds_home):
    import shutil

    corpus = tmp_path / "corpus"
    shutil.copytree(seeds_home / "corpus", corpus)
    lib = Library(Config(corpus=corpus, index_dir=tmp_path / "i", data_dir=tmp_path / "d", state_dir=tmp_path / "s"))
    progress = []
    app = make_app(lib)
    async with app.run_test(size=(120, 40), message_hook=lambda m: progress.append(m) if isinstance(m, IndexingProgress) else None) as pilot:
        await pilot.pause()
        assert app.screen.query_one(DocumentList).display  # the browser is up before the index
        await settle(app, pilot)
        assert progress, "indexing progress reached the UI"
        assert len(app.screen.query_one(DocumentList).rows) == 14
        assert app.screen.notice.startswith("indexed 14 documents")


async def test_restores_query_document_and_position_on_the_next_start(make_app, library):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        await type_text(pilot, "liang")
        await pilot.press("enter", "enter")
        await settle(app, pilot)
        for _ in range(5):
            await pilot.press("n")
        await settle(app, pilot)
        reader = app.screen.query_one(Reader)
        doc, offset = reader.document.id, reader.cursor_offset
        assert offset > 0
        await pilot.press("q")
    again = make_app()
    async with again.run_test(size=(100, 30)) as pilot:  # another width: restored by offset, not row
        await settle(again, pilot)
        assert again.screen.query_one(SearchBar).value == "liang"
        assert again.screen.search_query == "liang"
        reader = again.screen.query_one(Reader)
        assert reader.document.id == doc
        assert reader.cursor_offset <= offset < reader.cursor_offset + reader.size.width * 2
        assert reader.matches  # the query is highlighted again
        top = round(reader.scroll_y)
        assert top <= reader.cursor < top + reader.size.height


async def test_a_damaged_state_file_is_ignored(make_app, library):
    from tui.session import session_path

    path = session_path(library)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{not json", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert len(app.screen.query_one(DocumentList).rows) == 14


async def test_resizing_relayouts_and_rewraps_keeping_the_place(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        await type_text(pilot, "liang")
        await pilot.press("enter", "enter", "n", "n", "n")
        await settle(app, pilot)
        reader = app.screen.query_one(Reader)
        match = reader.matches[reader.current_match]
        await pilot.resize_terminal(80, 24)
        await settle(app, pilot)
        assert not app.screen.query_one(EntitySidebar).display
        assert all(len(line.rstrip()) <= reader.size.width for line in screen_text(reader))
        row = reader.row_of(match[0])
        assert reader.cursor == row and round(reader.scroll_y) <= row < round(reader.scroll_y) + reader.size.height
        await pilot.resize_terminal(120, 40)
        await settle(app, pilot)
        assert app.screen.query_one(EntitySidebar).display


async def test_quitting_before_the_index_is_open_keeps_the_saved_state(make_app, library):
    from tui.session import Session, load_session, save_session, session_path

    doc = library.browse()[3].id
    save_session(session_path(library), Session("china", doc, 500))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")  # before the first list arrives
    assert load_session(session_path(library)).doc_id == doc


async def test_the_footer_shows_whole_keys_only_and_more_of_them_when_wider(make_app):
    from textual.widgets._footer import FooterKey

    from tui.widgets.key_footer import KeyFooter

    def shown(app) -> list[str]:
        footer = app.screen.query_one(KeyFooter)
        keys = [k for k in footer.query_children(FooterKey) if not k.has_class("-command-palette")]
        palette = next(k for k in footer.query_children(FooterKey) if k.has_class("-command-palette"))
        visible = [k for k in keys if k.display]
        assert all(k.region.right <= palette.region.x for k in visible), "no key runs under the palette key"
        return [k.description for k in visible]

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("tab")  # the reader: its keys and the screen's overrun 80 columns
        await pilot.pause(0.3)
        narrow = shown(app)
        assert "Page down" in narrow and "Next match" in narrow
        await pilot.resize_terminal(160, 40)
        await pilot.pause(0.5)
        wide = shown(app)
        assert len(wide) > len(narrow) and wide[: len(narrow)] == narrow


async def test_the_restored_reader_knows_which_match_it_is_at(make_app, library):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        await type_text(pilot, "liang")
        await pilot.press("enter", "enter", "n", "n", "n")
        await settle(app, pilot)
        reader = app.screen.query_one(Reader)
        assert reader.current_match == 3
        total = len(reader.matches)
        await pilot.press("q")
    again = make_app()
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(again, pilot)
        reader = again.screen.query_one(Reader)
        assert reader.current_match == 3
        assert again.screen.position.startswith(f"match 4/{total}  ")
        await pilot.press("n")  # the next match, not the one it is already at
        assert reader.current_match == 4


async def test_bidi_overrides_and_zero_width_characters_are_made_visible(tmp_path, make_app):
    """Like control characters, they must not reach the terminal: an override can make text read
    backwards, a zero-width character hides in a word. One visible mark each (spans still apply)."""
    invisible = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200c\u200d\u200e\u200f\ufeff"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "bidi.txt").write_text(
        "Title \u202egnirts\u202c with\u200bzero width\n\n"
        f"Body \u202eevil\u202c text, pay\u200b\u200dpal and {invisible} marks.\n", encoding="utf-8")
    lib = Library(Config(corpus=corpus, index_dir=tmp_path / "i", data_dir=tmp_path / "d", state_dir=tmp_path / "s"))
    app = make_app(lib)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        doc_list = app.screen.query_one(DocumentList)
        listed = "".join(screen_text(doc_list))
        await pilot.press("enter")
        await settle(app, pilot)
        drawn = "".join(screen_text(app.screen.query_one(Reader)))
        for text in (listed, drawn):
            assert not any(c in text for c in invisible)
        assert "Title �gnirts� with�zero" in listed
        assert "Title �gnirts� with�zero width" in drawn and "Body �evil� text, pay��pal" in drawn
        assert "�" * len(invisible) in drawn


async def test_indexing_progress_reads_well_at_80_columns(tmp_path, make_app):
    """One ellipsis, not "files……"; and one document is not "1 documents"."""
    import threading

    from index.models import IndexProgress

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "one.txt").write_text("The only document\n\nIts body.\n", encoding="utf-8")
    lib = Library(Config(corpus=corpus, index_dir=tmp_path / "i", data_dir=tmp_path / "d", state_dir=tmp_path / "s"))
    update, release = lib.update, threading.Event()

    def slow_update(progress=None, cancelled=None):
        progress(IndexProgress(5, 5))
        release.wait(10)
        return update(progress=progress, cancelled=cancelled)

    lib.update = slow_update
    app = make_app(lib)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(50):
            await pilot.pause(0.05)
            if app.screen.activity:
                break
        await pilot.pause()
        lines = [line.strip() for line in screen_text(app.screen.query_one(DocumentList)) if line.strip()]
        release.set()
        assert lines and lines[0].startswith("Indexing 5/5 files…")
        assert "……" not in " ".join(lines)
        assert " ".join(lines) == "Indexing 5/5 files… the list fills in when done."
        await settle(app, pilot)
        assert app.screen.notice.startswith("indexed 1 document in ")
