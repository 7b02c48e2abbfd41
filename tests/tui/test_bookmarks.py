"""Bookmarks in the browser: b on a match, a paragraph and a selection; note and tags; the reader
marks; the bookmarks screen's filter, jump, edit, delete and undo; copy; a damaged store."""

from __future__ import annotations

from index.passages import paragraph_at, sentence_at
from tui.screens.bookmarks import BookmarksScreen
from tui.widgets.bookmark_prompt import BookmarkPrompt, ConfirmDelete
from tui.widgets.reader import Reader

from .helpers import settle, type_text


async def open_first(app, pilot, query: str | None = None) -> Reader:
    await settle(app, pilot)
    if query:
        await pilot.press("slash")
        await type_text(pilot, query)
        await settle(app, pilot)
        await pilot.press("enter")  # to the list
    await pilot.press("enter")  # open the top row
    await settle(app, pilot)
    reader = app.screen.query_one(Reader)
    assert reader.document is not None
    return reader


async def answer_prompt(app, pilot, note: str = "", tags: str = "") -> None:
    assert isinstance(app.screen, BookmarkPrompt)
    await type_text(pilot, note)
    await pilot.press("enter")
    await type_text(pilot, tags)
    await pilot.press("enter")
    await settle(app, pilot)


async def open_bookmarks(app, pilot) -> BookmarksScreen:
    """Start the browser and open the bookmarks screen with its list loaded."""
    await settle(app, pilot)
    await pilot.press("B")
    await settle(app, pilot)
    assert isinstance(app.screen, BookmarksScreen)
    return app.screen


def screen_text(app) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_b_on_a_match_bookmarks_its_sentence_with_note_and_tags(make_app, library):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_first(app, pilot, "deepseek")
        assert reader.current_match is not None
        start = reader.matches[reader.current_match][0]
        expected = sentence_at(reader.document.body, start)
        await pilot.press("b")
        await answer_prompt(app, pilot, "worth keeping", "ai, china")

        [mark] = library.bookmarks.list()
        assert (mark.doc_id, mark.start, mark.end) == (reader.document.id, *expected)
        assert mark.note == "worth keeping" and mark.tags == ("ai", "china")
        assert reader.bookmarks == (expected,)  # marked in the reader at once
        assert "┃" in screen_text(app)
        assert "bookmarked #ai #china" in app.screen.notice


async def test_b_without_a_match_bookmarks_the_paragraph_and_esc_cancels(make_app, library):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_first(app, pilot)
        reader.focus()
        await pilot.press("j", "j", "j", "j", "j", "j")
        expected = paragraph_at(reader.document.body, reader.cursor_offset)
        await pilot.press("b")
        assert isinstance(app.screen, BookmarkPrompt)
        await pilot.press("escape")
        await settle(app, pilot)
        assert library.bookmarks.list() == []
        await pilot.press("b")
        await answer_prompt(app, pilot)
        [mark] = library.bookmarks.list()
        assert (mark.start, mark.end) == expected and mark.note == "" and mark.tags == ()


def footer_keys(app) -> list[str]:
    from textual.widgets._footer import FooterKey

    return [key.description for key in app.screen.query(FooterKey) if key.display]


async def test_v_selects_sentences_that_j_k_and_J_extend_before_b(make_app, library):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_first(app, pilot)
        reader.focus()
        body = reader.document.body
        assert "Select more" not in footer_keys(app)
        await pilot.press("v")
        first = reader.selection
        assert first == sentence_at(body, reader.cursor_offset) or first[0] <= reader.cursor_offset
        await pilot.pause(0.2)
        assert {"Select more", "Drop selection"} <= set(footer_keys(app))  # the footer says how
        await pilot.press("j", "j", "k")
        two = reader.selection
        assert two[0] == first[0] and two[1] > first[1]
        assert body[first[1]:two[1]].strip().count(".") >= 1  # one more sentence
        await pilot.press("b")
        await answer_prompt(app, pilot, "two sentences")
        [mark] = library.bookmarks.list()
        assert (mark.start, mark.end) == two and mark.quote == body[two[0]:two[1]]
        assert reader.selection is None  # bookmarking ends the selection

        await pilot.press("v", "escape")
        assert reader.selection is None and app.focused is reader  # Esc drops it, stays in the reader


async def test_y_copies_the_passage_with_title_and_source(make_app, library):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_first(app, pilot, "deepseek")
        start, end = sentence_at(reader.document.body, reader.matches[reader.current_match][0])
        await pilot.press("y")
        assert app.clipboard == f"“{reader.document.body[start:end]}”\n— {reader.document.title}, {reader.document.source}"


def seed_bookmarks(library):
    store = library.bookmarks
    docs = [library.document(d.id) for d in library.browse()[:3]]
    marks = []
    for n, doc in enumerate(docs):
        start, end = paragraph_at(doc.body, len(doc.body) // 2)
        marks.append(store.add(doc, start, end, note=f"note {n}", tags=[f"tag{n}"]))
    return store, marks


async def test_bookmarks_screen_filters_and_enter_opens_the_passage_selected(make_app, library):
    store, marks = seed_bookmarks(library)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_bookmarks(app, pilot)
        screen = app.screen
        assert isinstance(screen, BookmarksScreen)
        assert [m.id for m in screen.shown] == [m.id for m in reversed(marks)]  # newest first
        await type_text(pilot, "tag1")  # typing on the list starts the filter
        assert [m.id for m in screen.shown] == [marks[1].id]
        await pilot.press("enter")  # leave the filter
        await pilot.press("enter")  # open
        await settle(app, pilot)
        reader = app.screen.query_one(Reader)
        assert reader.document.id == marks[1].doc_id
        assert reader.selection == (marks[1].start, marks[1].end)
        assert reader.line_span(reader.cursor) is not None
        top = round(reader.scroll_y)
        assert top <= reader.row_of(marks[1].start) < top + reader.size.height
        assert (marks[1].start, marks[1].end) in reader.bookmarks


async def test_bookmarks_screen_edit_delete_with_confirmation_and_undo(make_app, library):
    store, marks = seed_bookmarks(library)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_bookmarks(app, pilot)
        newest = marks[-1]
        await pilot.press("e")
        assert isinstance(app.screen, BookmarkPrompt)
        await pilot.press("ctrl+u")  # clear the note field
        await answer_prompt(app, pilot, "rewritten", ", extra")
        assert store.get(newest.id).note == "rewritten"
        assert store.get(newest.id).tags == ("tag2", "extra")

        await pilot.press("y")
        edited = store.get(newest.id)
        assert app.clipboard == f"“{edited.quote.strip()}”\n— {edited.title}, {edited.source}\nrewritten"

        await pilot.press("d")
        assert isinstance(app.screen, ConfirmDelete)
        await pilot.press("n")  # keep it
        await settle(app, pilot)
        assert store.count() == 3
        await pilot.press("d", "y")
        await settle(app, pilot)
        assert store.count() == 2 and newest.id not in {m.id for m in app.screen.shown}
        await pilot.press("u")
        await settle(app, pilot)
        assert store.count() == 3 and app.screen.shown[0].id == newest.id
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, BookmarksScreen)


async def test_a_damaged_bookmark_file_is_shown_and_writes_are_refused(make_app, library):
    from index.bookmarks import store_path

    path = store_path(library.config)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not a database" * 64)
    before = path.read_bytes()
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first(app, pilot)
        await pilot.press("b")
        await settle(app, pilot)
        assert not isinstance(app.screen, BookmarkPrompt)
        assert str(path) in app.screen.notice
        await pilot.press("B")
        await settle(app, pilot)
        assert isinstance(app.screen, BookmarksScreen) and app.screen.has_class("-read-only")
        assert "read-only" in screen_text(app)
    assert path.read_bytes() == before


async def test_a_damaged_bookmark_file_still_shows_what_can_be_read(make_app, library):
    from index.bookmarks import store_path

    from tests.index.test_bookmarks_safety import damaged_pages

    path = store_path(library.config)
    path.parent.mkdir(parents=True, exist_ok=True)
    damaged_pages(path)  # 300 bookmarks, some pages scribbled over
    before = path.read_bytes()
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_bookmarks(app, pilot)
        await settle(app, pilot)
        assert screen.has_class("-read-only") and len(screen.shown) >= 200
        for key in ("d", "e"):
            await pilot.press(key)
            await settle(app, pilot)
            assert app.screen is screen  # refused, no prompt, no crash
        assert len(screen.shown) >= 200
    assert path.read_bytes() == before


async def test_bookmarks_screen_draws_titles_bold_and_notes_italic(make_app, library):
    store, marks = seed_bookmarks(library)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_bookmarks(app, pilot)
        from tui.widgets.bookmark_list import BookmarkList

        view = app.screen.query_one(BookmarkList)
        newest = marks[-1]
        title = [seg for seg in view.render_line(0) if newest.title[:8] in seg.text]
        assert title and all(seg.style.bold for seg in title)
        note = [seg for seg in view.render_line(2) if newest.note and newest.note[:6] in seg.text]
        assert note and all(seg.style.italic for seg in note)


async def test_many_bookmarks_show_the_newest_page_first_then_all(make_app, library):
    from tui.screens.bookmarks import FIRST_PAGE

    store = library.bookmarks
    doc = library.document(library.browse()[0].id)
    start, end = paragraph_at(doc.body, len(doc.body) // 2)
    for n in range(FIRST_PAGE + 30):
        store.add(doc, start, end, note=f"note {n}")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_bookmarks(app, pilot)
        screen = app.screen
        assert len(screen.shown) == FIRST_PAGE + 30
        assert screen.shown[0].note == f"note {FIRST_PAGE + 29}"  # newest first
        assert f"{FIRST_PAGE + 30} bookmarks" in screen_text(app)


def row_lines(view) -> list[str]:
    return ["".join(seg.text for seg in view.render_line(y)) for y in range(view.size.height)]


async def test_a_long_note_gives_way_to_the_tags_on_the_bookmarks_screen(make_app, library):
    """Filtering by a tag must show a row with that tag on it, however long its note or title."""
    from tui.widgets.bookmark_list import BookmarkList

    doc = library.document(library.browse()[0].id)
    note = "a rather long note that goes on and on about why this passage matters so much to me " * 2
    library.bookmarks.add(doc, 0, 40, note=note.strip(), tags=["long-tag", "other"])
    for size in ((80, 24), (120, 40)):
        app = make_app()
        async with app.run_test(size=size) as pilot:
            await open_bookmarks(app, pilot)
            await pilot.press(*"long-tag")
            await settle(app, pilot)
            view = app.screen.query_one(BookmarkList)
            lines = row_lines(view)
            assert "#long-tag #other" in lines[2], lines[2]
            assert lines[2].lstrip("▌▏ ").startswith("a rather long note") and "… · #long-tag" in lines[2]
            assert lines[0].rstrip().endswith(library.bookmarks.list()[0].created[:10])  # the date stays too
            tags = [seg for seg in view.render_line(2) if "#long-tag" in seg.text]
            assert tags and not tags[0].style.italic  # drawn as tags, not as part of the note
