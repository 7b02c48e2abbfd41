"""The bookmark dialogs as a user meets them: the prompt after ``b`` takes keys typed ahead in one
burst (SSH) where they were meant to go, and the delete confirmation is a framed, centred dialog."""

from __future__ import annotations

from textual import events

from tui.widgets.bookmark_prompt import BookmarkPrompt, ConfirmDelete

from .helpers import settle
from .test_bookmarks import open_bookmarks, open_first, screen_text, seed_bookmarks

CHARS = {"slash": "/", "backspace": "\x7f", "space": " ", "enter": "\r", "tab": "\t", "escape": "\x1b"}


def burst(app, *keys: str) -> None:
    """Post ``keys`` all at once, as keys arrive over a slow link (no pause between them);
    a key is one character (named as the terminal driver names it: '#' is number_sign) or a key name."""
    from textual.keys import _character_to_key

    for key in keys:
        if len(key) == 1:
            app.post_message(events.Key(_character_to_key(key), key))
        else:
            app.post_message(events.Key(key, CHARS.get(key)))


async def test_keys_typed_ahead_after_b_land_in_note_then_tags(make_app, library):
    """``b``, then "key claim x", Tab, "chips", Enter in one burst: the first characters reach the
    note (none lost to the reader or the dialog still opening) and Tab moves to the tags."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await open_first(app, pilot, "deepseek")
        doc = reader.document.id
        burst(app, "b", *"key claim x", "tab", *"chips", "enter")
        await settle(app, pilot)
        await settle(app, pilot)
        [mark] = library.bookmarks.list()
        assert (mark.doc_id, mark.note, mark.tags) == (doc, "key claim x", ("chips",))
        assert app.clipboard == "" and not app.screen.has_class("-sidebar")  # no y, no e for the main screen
        assert not isinstance(app.screen, BookmarkPrompt)


async def test_enter_typed_ahead_in_the_note_moves_to_the_tags(make_app, library):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first(app, pilot, "deepseek")
        burst(app, "b", *"why", "enter", *"ai, china", "enter", "j")
        await settle(app, pilot)
        await settle(app, pilot)
        [mark] = library.bookmarks.list()
        assert (mark.note, mark.tags) == ("why", ("ai", "china"))


async def test_shift_tab_and_escape_typed_ahead_in_the_prompt(make_app, library):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await open_first(app, pilot, "deepseek")
        burst(app, "b", "tab", *"t1", "shift+tab", *"n1", "enter", "enter")
        await settle(app, pilot)
        [mark] = library.bookmarks.list()
        assert (mark.note, mark.tags) == ("n1", ("t1",))
        burst(app, "b", *"draft", "escape", "k")  # Esc cancels; the key after it reaches the reader
        await settle(app, pilot)
        assert not isinstance(app.screen, BookmarkPrompt) and app.focused is reader
        assert len(library.bookmarks.list()) == 1


async def test_d_then_y_typed_ahead_deletes(make_app, library):
    store, marks = seed_bookmarks(library)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_bookmarks(app, pilot)
        burst(app, "d", "y")
        await settle(app, pilot)
        assert store.count() == 2 and app.clipboard == ""  # deleted, not copied


async def test_e_typed_ahead_edits_note_and_tags(make_app, library):
    store, marks = seed_bookmarks(library)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_bookmarks(app, pilot)
        # (Editing keys such as ctrl+u are Input bindings, which Textual runs after the characters
        # typed with them in the same burst; plain typing is what has to land in order.)
        burst(app, "e", *" more", "tab", *", fresh", "enter", "j")
        await settle(app, pilot)
        edited = store.get(marks[-1].id)
        assert (edited.note, edited.tags) == ("note 2 more", ("tag2", "fresh"))
        assert app.screen.current.id == marks[1].id  # the j after Enter moved the list cursor


async def test_B_then_escape_typed_ahead_closes_the_bookmarks_screen(make_app, library):
    from tui.screens.bookmarks import BookmarksScreen

    seed_bookmarks(library)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first(app, pilot)
        burst(app, "B", "escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, BookmarksScreen)


async def test_b_and_B_in_the_search_bar_are_characters(make_app, library):
    from tui.widgets.search_bar import SearchBar

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first(app, pilot)
        burst(app, "slash", *"bB")
        await settle(app, pilot)
        assert app.screen.query_one(SearchBar).value == "bB" and library.bookmarks.list() == []


async def test_the_delete_confirmation_is_a_framed_dialog_centred_over_the_list(make_app, library):
    store, marks = seed_bookmarks(library)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_bookmarks(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDelete)
        lines = screen_text(app).splitlines()
        row = next(i for i, line in enumerate(lines) if "Delete this bookmark?" in line)
        left = lines[row].index("│")
        right = lines[row].rindex("│")
        assert 0 < row < 23 and 2 <= left and abs(left - (79 - right)) <= 1  # centred, not top-left
        top = max(i for i in range(row) if "╭" in lines[i])
        bottom = next(i for i in range(row, 24) if "╰" in lines[i])
        assert abs(top - (23 - bottom)) <= 1 and lines[top][left] == "╭" and lines[bottom][right] == "╯"
        box = "\n".join(line[left + 1:right] for line in lines[top + 1:bottom])
        assert "y / Enter: delete" in box and "n / Esc: keep" in box  # the keys, inside the frame
        assert "Bookmarks" in lines[0] and marks[-1].title[:10] in "\n".join(lines)  # the list shows around it


def test_a_dialog_quotes_a_long_passage_cut_between_words():
    from tui.widgets.bookmark_prompt import preview

    words = "the challenges that China is currently facing, the characteristics of Chinese policy"
    shown = preview(words * 4, 160)
    assert len(shown) <= 160 and shown.endswith("…") and (words * 4).startswith(shown[:-1])
    assert (words * 4)[len(shown) - 1] == " "  # the cut falls between two words
    assert preview("深度求索" * 100, 40) == "深度求索" * 9 + "深度求" + "…"  # no spaces: cut between characters



async def test_a_filter_typed_on_the_list_in_one_burst_keeps_every_character(make_app, library):
    """'long-tag' typed on the list at once: the first letter starts the filter and the rest (g,
    a list key, included) reach it in order; Enter then leaves the filter and Enter opens."""
    store, marks = seed_bookmarks(library)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_bookmarks(app, pilot)
        filter_field = screen.query_one("#bookmarks-filter")
        burst(app, *"tag1")
        await settle(app, pilot)
        assert filter_field.value == "tag1" and [m.id for m in screen.shown] == [marks[1].id]
        burst(app, "escape", "slash", *"#tag2")  # / selects the filter: typing replaces it
        await settle(app, pilot)
        assert filter_field.value == "#tag2" and [m.id for m in screen.shown] == [marks[2].id]
        # (Editing keys such as backspace are Input bindings, which Textual runs after the
        # characters typed with them in the same burst: not used here.)
        burst(app, "enter", "enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, type(screen))  # opened at its passage


async def test_a_hash_typed_on_the_list_starts_a_tag_filter(make_app, library):
    store, marks = seed_bookmarks(library)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_bookmarks(app, pilot)
        burst(app, *"#tag0")
        await settle(app, pilot)
        assert screen.filter_field.value == "#tag0" and [m.id for m in screen.shown] == [marks[0].id]
