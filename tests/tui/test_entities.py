"""The entity sidebar: scopes, selection highlighting mentions, ]/[ across documents, the list
filter, and corrections (merge, hide, undo) from the keyboard."""

from __future__ import annotations

from tui.widgets.document_list import DocumentList
from tui.widgets.entity_sidebar import EntitySidebar, entity_name
from tui.widgets.reader import Reader
from tui.widgets.search_bar import SearchBar

from .helpers import settle, type_text


async def open_newest_and_focus_sidebar(app, pilot) -> None:
    await settle(app, pilot)
    await pilot.press("enter")  # the newest document
    await settle(app, pilot)
    await pilot.press("e")  # 120 columns: the sidebar shows, e hides it; again shows and focuses it
    if app.focused.id != "entity-options":
        await pilot.press("e")
    await settle(app, pilot)


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
        highlight(app, "Liang Wenfeng")
        await pilot.press("enter")
        await settle(app, pilot)
        spans = sorted((m.start, m.end) for m in library.entities.mentions_in(reader.document.id) if m.name == "Liang Wenfeng")
        assert list(reader.mentions) == spans and spans
        assert reader.current_mention == 0
        row = reader.row_of(spans[0][0])
        assert reader.cursor == row and round(reader.scroll_y) <= row < round(reader.scroll_y) + reader.size.height
        assert app.screen.position == f"Liang Wenfeng 1/{len(spans)}"
        # drawn in the mention style, which differs from the query match style
        mention = reader.get_component_rich_style("reader--current-mention")
        match = reader.get_component_rich_style("reader--match")
        assert mention != match and mention.reverse and not match.reverse


async def test_brackets_step_mentions_across_documents(make_app, library):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_newest_and_focus_sidebar(app, pilot)
        reader = app.screen.query_one(Reader)
        highlight(app, "Liang Wenfeng")
        await pilot.press("enter")
        await settle(app, pilot)
        first_doc = reader.document.id
        for _ in range(len(reader.mentions) - 1):
            await pilot.press("right_square_bracket")
        assert reader.current_mention == len(reader.mentions) - 1
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        mentioning = library.entities.doc_ids("Liang Wenfeng")
        assert reader.document.id != first_doc and reader.document.id in mentioning
        assert reader.current_mention == 0
        assert "next document mentioning Liang Wenfeng" in app.screen.notice
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
        highlight(app, "Liang Wenfeng")
        await pilot.press("f")
        await settle(app, pilot)
        rows = app.screen.query_one(DocumentList).rows
        assert {r.id for r in rows} == library.entities.doc_ids("Liang Wenfeng")
        assert "filter: Liang Wenfeng" in app.screen.summary
        app.screen.query_one(SearchBar).value = "founder"
        await settle(app, pilot)
        rows = app.screen.query_one(DocumentList).rows
        assert rows and {r.id for r in rows} <= library.entities.doc_ids("Liang Wenfeng")
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
        highlight(app, "KrAsia")
        await pilot.press("x")
        await settle(app, pilot)
        assert "KrAsia" not in [entity_name(e) for e in sidebar.entities]
        await pilot.press("u")
        await settle(app, pilot)
        assert "KrAsia" in [entity_name(e) for e in sidebar.entities]
        highlight(app, "High-Flyer Quant")
        await pilot.press("m")
        await settle(app, pilot)
        await type_text(pilot, "deepseek")
        await pilot.press("enter")
        await settle(app, pilot)
        names = [entity_name(e) for e in sidebar.entities]
        assert "High-Flyer Quant" not in names
        merged = library.entities.entity("High-Flyer Quant")
        assert merged is not None and merged.name == "DeepSeek"
        assert app.screen.notice.endswith("u undoes")


async def test_the_selected_entity_is_restored_with_the_document_and_position(make_app, library):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_newest_and_focus_sidebar(app, pilot)
        highlight(app, "Liang Wenfeng")
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("right_square_bracket", "right_square_bracket")
        reader = app.screen.query_one(Reader)
        doc, offset, mentions = reader.document.id, reader.cursor_offset, reader.mentions
        await pilot.press("q")
    again = make_app()
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(again, pilot)
        reader = again.screen.query_one(Reader)
        assert again.screen.entity == "Liang Wenfeng"
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
