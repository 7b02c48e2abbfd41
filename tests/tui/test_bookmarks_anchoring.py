"""Bookmarks in the browser after the corpus changed: marks follow their passage, and a passage
that is gone shows as orphaned (kept, never attached elsewhere)."""

from __future__ import annotations

from tui.screens.bookmarks import BookmarksScreen
from tui.widgets.reader import Reader

from .conftest import library_on
from .helpers import settle

BEFORE = ("The Harbour\n\nThe harbour was quiet that morning. Mara walked along the pier counting the empty "
          "moorings. The lighthouse keeper waved from his window.\n\nIn the afternoon the wind turned.\n")
AFTER = ("The Harbour\n\nA new opening paragraph, written later, pushes everything down.\n\n"
         "The harbour was quiet that morning. Mara walked along the pier counting the empty moorings.\n\n"
         "In the afternoon the wind turned.\n")


async def test_marks_follow_edits_and_lost_passages_are_orphaned(make_app, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "harbour.txt").write_text(BEFORE, encoding="utf-8")
    first = library_on(corpus, tmp_path / "index", tmp_path)
    first.update()
    doc = first.document(first.browse()[0].id)
    store = first.bookmarks
    kept = store.add_quote(doc, "Mara walked along the pier")
    lost = store.add_quote(doc, "The lighthouse keeper waved from his window.")

    (corpus / "harbour.txt").write_text(AFTER, encoding="utf-8")
    library = library_on(corpus, tmp_path / "index", tmp_path)  # a later session
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)  # the index catches up with the edit on start
        await pilot.press("enter")
        await settle(app, pilot)
        reader = app.screen.query_one(Reader)
        body = reader.document.body
        assert "A new opening paragraph" in body
        [(start, end)] = reader.bookmarks
        assert body[start:end] == "Mara walked along the pier"

        await pilot.press("B")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, BookmarksScreen)
        status = {m.id: m.status for m in screen.shown}
        assert status == {kept.id: "moved", lost.id: "orphaned"}
        assert {m.quote for m in screen.shown} == {kept.quote, lost.quote}  # the saved text is kept
