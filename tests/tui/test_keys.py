"""Keys are defined once: every binding has an id and a description, and the footer, the help
screen and the command palette all show the same actions. Tab cycles the panes."""

from __future__ import annotations

from textual.binding import Binding

from tui.app import DossierApp
from tui.screens.help import HelpScreen, key_table
from tui.screens.main import MainScreen
from tui.widgets.document_list import DocumentList
from tui.widgets.entity_sidebar import EntitySidebar
from tui.widgets.reader import Reader
from tui.widgets.search_bar import SearchBar

from .helpers import settle

OWNERS = (DossierApp, MainScreen, SearchBar, DocumentList, Reader, EntitySidebar, HelpScreen)


def test_every_binding_has_an_id_and_a_description():
    for owner in OWNERS:
        for binding in Binding.make_bindings(owner.__dict__["BINDINGS"]):
            assert binding.id, f"{owner.__name__}: {binding.key} has no id"
            assert binding.description, f"{owner.__name__}: {binding.key} has no description"


async def test_help_lists_every_key_and_closes(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        table = key_table(app)
        expected = {b.description for owner in OWNERS[:-1]
                    for b in Binding.make_bindings(owner.__dict__["BINDINGS"])}
        assert expected <= {row.description for row in table}
        sections = {row.description: row.section for row in table}
        assert sections["Select more"] == sections["Bookmarks"] == "Bookmarks"
        assert sections["Search"] == "Everywhere"
        text = _plain(app.screen._table())
        for row in table:
            assert row.description in text and row.keys in text
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


def _plain(renderable) -> str:
    import io

    from rich.console import Console

    console = Console(width=120, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


async def test_palette_offers_every_action_and_runs_it(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for row in key_table(app):
            if row.action != "app.command_palette":
                assert row.description in titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        for char in "Entities":
            await pilot.press(char)
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen.has_class("-no-sidebar")  # the palette ran the toggle: the sidebar is gone
        assert not app.screen.query_one(EntitySidebar).display


async def test_tab_cycles_the_panes(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        seen = []
        for _ in range(4):
            await pilot.press("tab")
            seen.append(app.focused.id)
        assert seen == ["reader", "entity-options", "search", "list"]
        await pilot.press("shift+tab")
        assert app.focused.id == "search"


async def test_q_quits_and_ctrl_c_quits_even_from_the_search_input(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", "q")  # q is a letter in the search input
        assert app.screen.query_one(SearchBar).value == "q"
        await pilot.press("ctrl+c")
        await pilot.pause()
    assert app.return_code == 0


async def test_a_failing_engine_call_is_one_line_for_the_user_not_a_crash(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.screen.apply_correction("hide", "No Such Entity Anywhere")  # the engine raises
        await pilot.pause()
        try:
            await app.workers.wait_for_complete()
        except Exception:
            pass
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("No Such Entity Anywhere" in m and "\n" not in m for m in messages)
        assert app.is_running


async def test_tiny_terminals_do_not_break_the_browser(make_app):
    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter", "n", "e", "e", "question_mark", "escape")
        await settle(app, pilot)
        assert app.is_running


def test_every_binding_id_can_be_chosen_in_config():
    from tui.keymap import binding_ids

    ids = binding_ids()
    for owner in OWNERS:
        for binding in Binding.make_bindings(owner.__dict__["BINDINGS"]):
            assert binding.id in ids


async def test_keys_from_config_replace_the_defaults_everywhere(library):
    from dataclasses import replace

    from index import Library

    lib = Library(replace(library.config, keys={"main.next-match": "ctrl+n", "app.help": "f1"}))
    app = DossierApp(lib)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        for char in "nvidia":
            await pilot.press(char)
        await pilot.press("enter", "enter")
        await settle(app, pilot)
        reader = app.screen.query_one(Reader)
        assert reader.current_match == 0 and len(reader.matches) > 1
        await pilot.press("ctrl+n")
        assert reader.current_match == 1
        await pilot.press("n")  # no longer bound to the action
        assert reader.current_match == 1
        rows = {row.description: row.keys for row in key_table(app)}
        assert rows["Next match"] == "^n" and rows["Help"] == "f1"
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


def test_an_unknown_action_id_in_config_is_a_one_line_error(library):
    from dataclasses import replace

    import pytest

    from index import Library
    from index.errors import ConfigError

    lib = Library(replace(library.config, keys={"main.next-mach": "j"}))
    with pytest.raises(ConfigError, match=r"keys\.main\.next-mach: no browser action has this id"):
        DossierApp(lib)


async def test_enter_in_the_sidebar_is_in_the_footer_help_and_palette(make_app):
    """Every key that does something in the sidebar is one of its bindings, with an id: Enter
    (select) came from OptionList's own bindings and was in none of the three."""
    from textual.widgets._footer import FooterKey

    from tui.widgets.key_footer import KeyFooter

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        app.screen.set_focus(app.screen.query_one("#entity-options"))
        await pilot.pause(0.3)
        sidebar = app.screen.query_one(EntitySidebar)
        for key, active in app.screen.active_bindings.items():
            if active.node in (sidebar, sidebar.options):
                assert active.binding.id and active.binding.description, key
        assert app.screen.active_bindings["enter"].binding.id == "sidebar.select"
        rows = [r for r in key_table(app) if r.id == "sidebar.select"]
        assert len(rows) == 1 and rows[0].section == "Entity sidebar" and rows[0].keys == app.get_key_display(
            Binding("enter", ""))
        assert rows[0].description in [c.title for c in app.get_system_commands(app.screen)]
        footer = [k.description for k in app.screen.query_one(KeyFooter).query_children(FooterKey) if k.display]
        assert rows[0].description in footer
        await pilot.press("enter")  # and it still selects
        await settle(app, pilot)
        assert app.screen.entity == sidebar.highlighted_name is not None
