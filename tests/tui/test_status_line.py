"""The status line at 80 columns: a notice gets the room to be read (never cut to one word) and
clears itself; what stays true (the entity filter) stays on the line; toasts keep off the text."""

from __future__ import annotations

import re

from tui.screens import status
from tui.widgets.document_list import DocumentList
from tui.widgets.entity_sidebar import EntitySidebar
from tui.widgets.reader import Reader
from tui.widgets.status_line import StatusLine

from .helpers import settle, status_text, type_text


def cut_between_words(shown: str, full: str) -> bool:
    """``shown`` is ``full``, or ``full`` cut at a space with an ellipsis."""
    if shown == full:
        return True
    kept = shown[:-1].rstrip()
    return shown.endswith("…") and full.startswith(kept) and full[len(kept)] == " "


async def test_crossing_documents_at_80_columns_says_where_it_went_in_words(make_app, library):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        await type_text(pilot, "nvidia")
        await pilot.press("enter", "enter")
        await settle(app, pilot)
        reader = app.screen.query_one(Reader)
        for _ in range(len(reader.matches)):
            await pilot.press("n")
        await settle(app, pilot)
        rows = app.screen.query_one(DocumentList).rows
        assert reader.document.id == rows[1].id
        line = status_text(app)
        assert len(line) <= app.screen.query_one(StatusLine).size.width
        assert line.endswith(app.screen.position) or line.endswith(app.screen.position.rsplit("  ", 1)[0])
        shown = line[: line.index("  ", len("next document: "))].rstrip() if "  " in line else line
        full = f"next document: {rows[1].title}"
        assert shown.startswith("next document: ") and len(shown.split()) >= 5, line
        assert cut_between_words(shown, full), (shown, full)


async def test_a_notice_clears_after_a_few_seconds_and_when_the_query_changes(make_app, monkeypatch):
    monkeypatch.setattr(status, "NOTICE_SECONDS", 1.0)  # margins of half a second, for loaded machines
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("n")  # no query
        assert app.screen.notice and app.screen.notice in status_text(app)
        await pilot.pause(1.6)
        assert app.screen.notice == "" and "14 documents" in status_text(app)
        await pilot.press("n", "n")  # the same notice again shows for as long again
        await pilot.pause(0.6)
        await pilot.press("n")
        await pilot.pause(0.6)
        assert app.screen.notice
        monkeypatch.setattr(status, "NOTICE_SECONDS", 30)
        await pilot.press("n")
        await pilot.press("slash", "c")
        await settle(app, pilot)
        assert app.screen.notice == ""


async def test_the_entity_filter_stays_on_the_status_line_after_its_notice(make_app, library, monkeypatch):
    monkeypatch.setattr(status, "NOTICE_SECONDS", 30)  # long enough to be read however loaded the machine
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("e")  # the sidebar in the list's place
        await settle(app, pilot)
        name = app.screen.query_one(EntitySidebar).highlighted_name
        await pilot.press("f")
        await settle(app, pilot)
        assert app.screen.notice.endswith("F clears")
        line = status_text(app)
        assert f"filter: {name}" in line and "F clears" in line
        await pilot.press("f")  # f on the filtered entity clears it ...
        await settle(app, pilot)
        assert app.screen.filter_name is None
        monkeypatch.setattr(status, "NOTICE_SECONDS", 0.3)
        await pilot.press("f")  # ... and again filters, this time with a notice that soon expires
        for _ in range(50):
            await pilot.pause(0.1)
            if app.screen.filter_name == name and not app.screen.notice:
                break
        assert app.screen.notice == ""
        assert f"filter: {name}" in status_text(app)


async def test_nothing_on_the_status_line_is_cut_mid_word(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        screen.summary = "12 of 340 hits"
        screen.filter_name = "United States"
        screen.position = "match 12/140  United States 3/16  85%"
        words = set(re.findall(r"\S+", " ".join((screen.corpus, "14 documents", screen.summary, "filter: United States",
                                                  screen.position))))
        notices = ["United States: in 11 documents · ] and [ step", "next document: " + "word " * 30, ""]
        for width in (40, 60, 80, 100):
            await pilot.resize_terminal(width, 24)
            for notice in notices:
                screen.notice = notice
                await pilot.pause()
                line = status_text(app)
                assert len(line) <= width
                whole = words | set(notice.split()) | {"·"}
                for word in re.findall(r"\S+", line):
                    assert word in whole or word.endswith("…") and word[:-1] in whole, (width, notice, line)
                if width >= 80 and notice:
                    assert notice.split()[0] in line and "match 12/140" in line, line


async def test_a_notification_keeps_off_the_reader_and_the_status_line_at_80x24(make_app):
    from textual.widgets._toast import Toast

    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        app.notify("copied the passage with its title and source", markup=False)
        await pilot.pause(0.2)
        toasts = list(app.screen.query(Toast))
        assert toasts
        covered = [app.screen.query_one(Reader).region, app.screen.query_one(StatusLine).region]
        for toast in toasts:
            assert not any(toast.region.overlaps(region) for region in covered), toast.region
