"""Search as you type, open a hit, step through matches within and across documents."""

from __future__ import annotations

from tui.widgets.document_list import DocumentList
from tui.widgets.reader import Reader
from tui.widgets.search_bar import SearchBar

from .helpers import settle, type_text


async def test_start_lists_every_document_newest_first(make_app, library):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        rows = app.screen.query_one(DocumentList).rows
        assert [r.id for r in rows] == [d.id for d in library.browse()]
        assert app.screen.documents == len(rows) == 14
        assert app.focused is app.screen.query_one(DocumentList)


async def test_typing_searches_and_enter_moves_to_the_list(make_app, library):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        assert isinstance(app.focused, SearchBar)
        await type_text(pilot, "deepseek")
        await settle(app, pilot)
        expected = library.search("deepseek", library.config.search_limit)
        rows = app.screen.query_one(DocumentList).rows
        assert [r.id for r in rows] == [h.id for h in expected.hits]
        assert all(r.matches for r in rows)
        assert app.screen.summary == f"{expected.total} hits"
        await pilot.press("enter")
        assert isinstance(app.focused, DocumentList)
        await pilot.press("slash", "escape")
        assert isinstance(app.focused, DocumentList)


async def test_late_results_for_an_older_query_are_dropped(make_app, library):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        await type_text(pilot, "trump")  # every keystroke starts a search; only the last may show
        await settle(app, pilot)
        rows = app.screen.query_one(DocumentList).rows
        assert [r.id for r in rows] == [h.id for h in library.search("trump").hits]
        from tui.messages import ListLoaded

        stale = ListLoaded(1, "t", None, library.search("t"))
        app.screen.post_message(stale)
        await settle(app, pilot)
        assert [r.id for r in app.screen.query_one(DocumentList).rows] == [h.id for h in library.search("trump").hits]


async def test_opening_a_hit_lands_on_its_first_match_in_view(make_app, library):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        await type_text(pilot, "nvidia")
        await pilot.press("enter")
        await settle(app, pilot)
        first = app.screen.query_one(DocumentList).rows[0]
        await pilot.press("enter")
        await settle(app, pilot)
        reader = app.screen.query_one(Reader)
        assert app.focused is reader
        assert reader.document.id == first.id
        assert reader.matches == tuple(sorted(first.matches))
        assert reader.current_match == 0
        row = reader.row_of(reader.matches[0][0])
        assert reader.cursor == row
        top = round(reader.scroll_y)
        assert top <= row < top + reader.scrollable_content_region.height
        assert app.screen.position.startswith(f"match 1/{len(reader.matches)}  ")


async def test_n_steps_through_exactly_the_highlighted_spans_then_the_next_document(make_app, library):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        await type_text(pilot, "nvidia")
        await pilot.press("enter", "enter")
        await settle(app, pilot)
        reader = app.screen.query_one(Reader)
        rows = app.screen.query_one(DocumentList).rows
        assert len(rows) >= 2
        first_doc = reader.document.id
        stepped = [reader.matches[reader.current_match]]
        for _ in range(len(reader.matches) - 1):
            await pilot.press("n")
            stepped.append(reader.matches[reader.current_match])
        assert stepped == list(reader.matches) == sorted(library.matches(first_doc, "nvidia"))
        await pilot.press("n")  # past the last match: the next document with matches
        await settle(app, pilot)
        assert reader.document.id == rows[1].id
        assert reader.current_match == 0
        assert app.screen.notice.startswith("next document: ")
        await pilot.press("N")  # and back: the previous document, on its last match
        await settle(app, pilot)
        assert reader.document.id == first_doc
        assert reader.current_match == len(reader.matches) - 1
        assert app.screen.notice.startswith("previous document: ")


async def test_chinese_query_highlights_and_steps_its_matches(make_app, library):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.screen.query_one(SearchBar).value = "深度求索"
        await settle(app, pilot)
        rows = app.screen.query_one(DocumentList).rows
        assert rows, "the CJK query finds the seed that names 深度求索"
        app.screen.query_one(DocumentList).focus()
        await pilot.press("enter")
        await settle(app, pilot)
        reader = app.screen.query_one(Reader)
        body = reader.document.body
        assert reader.matches and all(body[a:b] == "深度求索" for a, b in reader.matches)


async def test_changing_the_query_rehighlights_the_open_document(make_app, library):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")  # open the newest document, no query
        await settle(app, pilot)
        reader = app.screen.query_one(Reader)
        doc = reader.document.id
        assert reader.matches == ()
        app.screen.query_one(SearchBar).value = "china"
        await settle(app, pilot)
        assert reader.document.id == doc
        assert reader.matches == tuple(sorted(library.matches(doc, "china")))
        assert reader.current_match is None  # typing does not yank the reader around
        await pilot.press("n")
        assert reader.current_match == 0


async def test_keys_typed_ahead_in_one_burst_do_what_they_say(make_app, library):
    """Over a slow link "/query Enter Enter n n" arrives at once: it must still search, open the
    top hit and step to its third match (not type "nn" into the search or step the old list)."""
    from textual import events

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        keys = ["slash", *"liang wenfeng", "enter", "enter", "n", "n"]
        for key in keys:
            char = {"slash": "/", "enter": "\r"}.get(key, key)
            app.post_message(events.Key("space" if key == " " else key, char))
        await settle(app, pilot)
        await settle(app, pilot)
        assert app.screen.query_one(SearchBar).value == "liang wenfeng"
        reader = app.screen.query_one(Reader)
        assert reader.document.id == library.search("liang wenfeng").hits[0].id
        assert reader.current_match == 2
        assert app.focused is reader


async def test_a_keystroke_gets_the_top_hits_first_and_the_rest_when_typing_pauses(make_app, library, monkeypatch):
    from tui.messages import ListLoaded
    from tui.screens import engine

    monkeypatch.setattr(engine, "QUICK_LIMIT", 3)  # the seeds have 14 documents, not thousands
    batches = []
    app = make_app()
    hook = lambda m: batches.append((m.query, len(m.result.hits), m.extends)) if isinstance(m, ListLoaded) and m.result else None  # noqa: E731
    async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
        await settle(app, pilot)
        app.screen.query_one(SearchBar).value = "china"
        await settle(app, pilot)
        total = library.search("china").total
        assert ("china", 3, False) in batches and ("china", min(total, 50), True) in batches
        rows = app.screen.query_one(DocumentList).rows
        assert [r.id for r in rows] == [h.id for h in library.search("china").hits]


async def open_with_no_query(app, pilot, doc_id: str) -> Reader:
    """Open ``doc_id`` from the unfiltered list (no query: the reader opens at the top)."""
    await settle(app, pilot)
    doc_list = app.screen.query_one(DocumentList)
    doc_list.move_to(doc_list.index_of(doc_id))
    await pilot.press("enter")
    await settle(app, pilot)
    return app.screen.query_one(Reader)


async def test_opening_the_hit_that_is_already_open_lands_on_its_first_match(make_app, library):
    """Read a document, then search for something in it: Enter on its hit goes to the first
    match, as opening any other hit does (it used to stay at the top, "4 matches")."""
    hit = library.search("sanctions").hits[0]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await open_with_no_query(app, pilot, hit.id)
        assert reader.document.id == hit.id and reader.cursor == 0
        await pilot.press("slash")
        await type_text(pilot, "sanctions")
        await pilot.press("enter", "enter")
        await settle(app, pilot)
        assert reader.document.id == hit.id and app.focused is reader
        assert reader.current_match == 0
        row = reader.row_of(reader.matches[0][0])
        assert row > reader.size.height, "the first match is below the first screen"
        top = round(reader.scroll_y)
        assert reader.cursor == row and top <= row < top + reader.scrollable_content_region.height
        assert app.screen.position.startswith(f"match 1/{len(reader.matches)}  ")
        await pilot.press("n")
        assert reader.current_match == 1
        await pilot.press("escape", "enter")  # again, while at a match: the reader stays there
        assert reader.current_match == 1


async def test_n_typed_ahead_of_reopening_the_open_document_steps_from_its_first_match(make_app, library):
    from textual import events

    hit = library.search("sanctions").hits[0]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_with_no_query(app, pilot, hit.id)
        for key in ["slash", *"sanctions", "enter", "enter", "n"]:
            char = {"slash": "/", "enter": "\r"}.get(key, key)
            app.post_message(events.Key(key, char))
        await settle(app, pilot)
        reader = app.screen.query_one(Reader)
        assert reader.document.id == hit.id
        assert reader.current_match == 1
