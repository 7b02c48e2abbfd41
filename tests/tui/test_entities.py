"""The entity sidebar: scopes, selection highlighting mentions, ]/[ across documents, the list
filter, and corrections (merge, hide, undo) from the keyboard."""

from __future__ import annotations

from tui.widgets.document_list import DocumentList
from tui.widgets.entity_sidebar import EntitySidebar, entity_name
from tui.widgets.reader import Reader
from tui.widgets.search_bar import SearchBar

from .helpers import settle, status_text, type_text


async def open_newest_and_focus_sidebar(app, pilot) -> None:
    await settle(app, pilot)
    await pilot.press("enter")  # the newest document
    await settle(app, pilot)
    await pilot.press("e")  # 120 columns: the sidebar shows, e hides it; again shows and focuses it
    if app.focused.id != "entity-options":
        await pilot.press("e")
    await settle(app, pilot)


def travelling_entity(library, doc_id: str) -> str:
    """An entity of ``doc_id`` mentioned several times there and in other documents too (the
    tests do not hard-code names, so they survive improvements to extraction)."""
    for entity in library.entities.entities(doc_id=doc_id):
        if entity.count >= 2 and len(library.entities.doc_ids(entity.name)) >= 2:
            return entity.name
    raise AssertionError("the seeds should have such an entity")


def highlight(app, name: str) -> None:
    sidebar = app.screen.query_one(EntitySidebar)
    names = [entity_name(e) for e in sidebar.entities]
    sidebar.options.highlighted = sidebar.options.get_option_index(f"e:{names.index(name)}")


async def test_sidebar_lists_the_open_documents_entities_grouped_with_counts(make_app, library):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_newest_and_focus_sidebar(app, pilot)
        doc = app.screen.query_one(Reader).document
        sidebar = app.screen.query_one(EntitySidebar)
        expected = library.entities.entities(doc_id=doc.id)
        assert sorted(entity_name(e) for e in sidebar.entities) == sorted(e.name for e in expected)
        headers = [o for o in sidebar.options.options if o.disabled]
        assert headers and all("(" in str(h.prompt) for h in headers)  # "Organisations (47)"


async def test_selecting_an_entity_highlights_its_mentions_and_jumps_to_the_first(make_app, library):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_newest_and_focus_sidebar(app, pilot)
        reader = app.screen.query_one(Reader)
        name = travelling_entity(library, reader.document.id)
        highlight(app, name)
        await pilot.press("enter")
        await settle(app, pilot)
        spans = sorted((m.start, m.end) for m in library.entities.mentions_in(reader.document.id) if m.name == name)
        assert list(reader.mentions) == spans and spans
        assert reader.current_mention == 0
        row = reader.row_of(spans[0][0])
        assert reader.cursor == row and round(reader.scroll_y) <= row < round(reader.scroll_y) + reader.size.height
        assert app.screen.position.startswith(f"{name} 1/{len(spans)}  ")
        # drawn in the mention style, which differs from the query match style
        mention = reader.get_component_rich_style("reader--current-mention")
        match = reader.get_component_rich_style("reader--match")
        assert mention != match and mention.reverse and not match.reverse


async def test_brackets_step_mentions_across_documents(make_app, library):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_newest_and_focus_sidebar(app, pilot)
        reader = app.screen.query_one(Reader)
        name = travelling_entity(library, reader.document.id)
        highlight(app, name)
        await pilot.press("enter")
        await settle(app, pilot)
        first_doc = reader.document.id
        for _ in range(len(reader.mentions) - 1):
            await pilot.press("right_square_bracket")
        assert reader.current_mention == len(reader.mentions) - 1
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        mentioning = library.entities.doc_ids(name)
        assert reader.document.id != first_doc and reader.document.id in mentioning
        assert reader.current_mention == 0
        assert f"next document mentioning {name}" in app.screen.notice
        await pilot.press("left_square_bracket")
        await settle(app, pilot)
        assert reader.document.id == first_doc
        assert reader.current_mention == len(reader.mentions) - 1


async def test_s_cycles_the_scope_through_results_and_corpus(make_app, library):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        await type_text(pilot, "nvidia")
        await settle(app, pilot)
        await pilot.press("enter", "enter")
        await settle(app, pilot)
        app.screen.set_focus(app.screen.query_one("#entity-options"))
        sidebar = app.screen.query_one(EntitySidebar)
        await pilot.press("s")
        await settle(app, pilot)
        assert app.screen.scope == sidebar.scope == "results"
        hits = [r.id for r in app.screen.query_one(DocumentList).rows]
        assert sorted(entity_name(e) for e in sidebar.entities) == sorted(e.name for e in library.entities.entities(doc_ids=hits))
        await pilot.press("s")
        await settle(app, pilot)
        assert sidebar.scope == "corpus"
        assert len(sidebar.entities) == len(library.entities.entities())
        await pilot.press("s")
        await settle(app, pilot)
        assert sidebar.scope == "doc"


async def test_f_filters_the_list_to_documents_mentioning_the_entity(make_app, library):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_newest_and_focus_sidebar(app, pilot)
        name = travelling_entity(library, app.screen.query_one(Reader).document.id)
        highlight(app, name)
        await pilot.press("f")
        await settle(app, pilot)
        rows = app.screen.query_one(DocumentList).rows
        assert {r.id for r in rows} == library.entities.doc_ids(name)
        assert f"filter: {name}" in status_text(app)
        app.screen.query_one(SearchBar).value = name.split()[0].lower()
        await settle(app, pilot)
        rows = app.screen.query_one(DocumentList).rows
        assert {r.id for r in rows} <= library.entities.doc_ids(name)
        await pilot.press("F")
        await settle(app, pilot)
        assert app.screen.filter_name is None


async def test_hide_then_undo_and_merge_from_the_keyboard(make_app, seeds_home, tmp_path):
    # Corrections re-resolve the entity table kept with the index: work on a copy of it.
    import shutil

    from .conftest import library_on

    shutil.copytree(seeds_home / "index", tmp_path / "index")
    library = library_on(seeds_home / "corpus", tmp_path / "index", tmp_path)
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_newest_and_focus_sidebar(app, pilot)
        sidebar = app.screen.query_one(EntitySidebar)
        names = [entity_name(e) for e in sidebar.entities]
        victim, into = names[-1], names[0]  # the least and the most mentioned
        highlight(app, victim)
        await pilot.press("x")
        await settle(app, pilot)
        assert victim not in [entity_name(e) for e in sidebar.entities]
        await pilot.press("u")
        await settle(app, pilot)
        assert victim in [entity_name(e) for e in sidebar.entities]
        highlight(app, victim)
        await pilot.press("m")
        await settle(app, pilot)
        await type_text(pilot, into)
        await pilot.press("enter")
        await settle(app, pilot)
        assert victim not in [entity_name(e) for e in sidebar.entities]
        merged = library.entities.entity(victim)
        assert merged is not None and merged.name == into
        assert app.screen.notice.endswith("u undoes")


async def test_the_selected_entity_is_restored_with_the_document_and_position(make_app, library):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_newest_and_focus_sidebar(app, pilot)
        name = travelling_entity(library, app.screen.query_one(Reader).document.id)
        highlight(app, name)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("right_square_bracket")
        reader = app.screen.query_one(Reader)
        doc, offset, mentions = reader.document.id, reader.cursor_offset, reader.mentions
        await pilot.press("q")
    again = make_app()
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(again, pilot)
        reader = again.screen.query_one(Reader)
        assert again.screen.entity == name
        assert reader.document.id == doc and reader.cursor_offset == offset
        assert reader.mentions == mentions


async def test_j_and_k_move_in_the_sidebar_and_escape_goes_back_to_the_list(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("e")  # 80 columns: the sidebar takes the list's place
        await settle(app, pilot)
        sidebar = app.screen.query_one(EntitySidebar)
        first = sidebar.highlighted_name
        await pilot.press("j")
        second = sidebar.highlighted_name
        assert second and second != first
        await pilot.press("k")
        assert sidebar.highlighted_name == first
        await pilot.press("escape")
        assert app.focused is app.screen.query_one(DocumentList) and app.focused.display


def corrections_library(seeds_home, tmp_path):
    """The seeds with a copy of their index: corrections re-resolve the entity table kept with it."""
    import shutil

    from .conftest import library_on

    shutil.copytree(seeds_home / "index", tmp_path / "index")
    return library_on(seeds_home / "corpus", tmp_path / "index", tmp_path)


async def test_the_sidebar_cursor_follows_the_selected_entity_into_the_next_document(make_app, library):
    """After ] crosses into another document the sidebar lists that document's entities: the
    cursor stays on the selected entity, not on the row it had (f, x and m act on the cursor)."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_newest_and_focus_sidebar(app, pilot)
        reader = app.screen.query_one(Reader)
        sidebar = app.screen.query_one(EntitySidebar)
        first_doc = reader.document.id
        # the fewest mentions here first: each try presses ] once per mention
        for entity in sorted(library.entities.entities(doc_id=first_doc), key=lambda e: e.count):
            if len(library.entities.doc_ids(entity.name)) < 2:
                continue
            if reader.document.id != first_doc:
                app.screen.open_document(first_doc)
                await settle(app, pilot)
            highlight(app, entity.name)
            before = [entity_name(e) for e in sidebar.entities].index(entity.name)
            await pilot.press("enter")
            await settle(app, pilot)
            for _ in range(entity.count + 1):
                await pilot.press("right_square_bracket")
                await settle(app, pilot)
                if reader.document.id != first_doc:
                    break
            else:
                continue  # the first document is the last to mention it: ] goes nowhere
            assert sidebar.highlighted_name == entity.name == app.screen.entity
            after = [entity_name(e) for e in sidebar.entities].index(entity.name)
            if after != before and before < len(sidebar.entities):
                break  # its old row holds another entity there, and the cursor went with it
        else:
            raise AssertionError("some entity should sit on another row in the next document")


async def test_merge_offers_every_entity_of_the_corpus_not_only_the_documents(make_app, seeds_home, tmp_path):
    library = corrections_library(seeds_home, tmp_path)
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_newest_and_focus_sidebar(app, pilot)
        sidebar = app.screen.query_one(EntitySidebar)
        here = [entity_name(e) for e in sidebar.entities]
        elsewhere = next(e.name for e in library.entities.entities() if e.name not in here and e.name.isascii())
        victim = here[-1]
        highlight(app, victim)
        await pilot.press("m")
        await settle(app, pilot)
        await type_text(pilot, elsewhere)
        await pilot.press("enter")
        await settle(app, pilot)
        merged = library.entities.entity(victim)
        assert merged is not None and merged.name == elsewhere


async def select_travelling_entity_and_step(app, pilot, library) -> tuple[Reader, str]:
    """Open the newest document, select an entity that other documents mention too, press ]."""
    await open_newest_and_focus_sidebar(app, pilot)
    reader = app.screen.query_one(Reader)
    name = travelling_entity(library, reader.document.id)
    highlight(app, name)
    await pilot.press("enter")
    await settle(app, pilot)
    await pilot.press("right_square_bracket")
    return reader, name


async def test_hiding_another_entity_leaves_the_reader_where_it_is(make_app, seeds_home, tmp_path):
    library = corrections_library(seeds_home, tmp_path)
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        reader, name = await select_travelling_entity_and_step(app, pilot, library)
        doc, cursor, mention = reader.document.id, reader.cursor, reader.current_mention
        assert mention == 1
        sidebar = app.screen.query_one(EntitySidebar)
        other = next(entity_name(e) for e in reversed(sidebar.entities) if entity_name(e) != name)
        highlight(app, other)
        await pilot.press("x")
        await settle(app, pilot)
        assert other not in [entity_name(e) for e in sidebar.entities]
        assert app.screen.entity == name
        assert (reader.document.id, reader.cursor, reader.current_mention) == (doc, cursor, mention)
        assert app.screen.notice == f"hide {other} · u undoes"
        highlight(app, name)  # hiding the selected entity itself deselects it
        await pilot.press("x")
        await settle(app, pilot)
        assert app.screen.entity is None and reader.mentions == ()
        assert reader.document.id == doc


async def test_merging_the_selected_entity_selects_it_by_its_new_name_in_place(make_app, seeds_home, tmp_path):
    library = corrections_library(seeds_home, tmp_path)
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        reader, name = await select_travelling_entity_and_step(app, pilot, library)
        doc, cursor, before = reader.document.id, reader.cursor, set(reader.mentions)
        into = next(entity_name(e) for e in app.screen.query_one(EntitySidebar).entities if entity_name(e) != name)
        await pilot.press("m")
        await settle(app, pilot)
        await type_text(pilot, into)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen.entity == into and library.entities.entity(name).name == into
        assert (reader.document.id, reader.cursor) == (doc, cursor)
        assert before < set(reader.mentions)  # its mentions and those of the one it went into
        assert app.screen.notice == f"merge {name} into {into} · u undoes"
