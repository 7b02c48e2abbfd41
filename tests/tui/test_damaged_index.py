"""The browser on a damaged index: it says so in the status line and rebuilds, never crashes."""

from __future__ import annotations

import gc
import shutil

from index import Config, Library
from tui.widgets.document_list import DocumentList

from .helpers import settle


async def test_a_damaged_catalog_is_rebuilt_with_the_notice_on_screen(tmp_path, make_app, seeds_home):
    corpus = tmp_path / "corpus"
    shutil.copytree(seeds_home / "corpus", corpus)

    def library() -> Library:
        return Library(Config(corpus=corpus, index_dir=tmp_path / "i", data_dir=tmp_path / "d", state_dir=tmp_path / "s"))

    first = library()
    first.update()
    catalog = first.index_path / "catalog.sqlite"
    del first
    gc.collect()
    with open(catalog, "r+b") as fh:
        fh.write(b"garbage garbage garbage")
    app = make_app(library())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert len(app.screen.query_one(DocumentList).rows) == 14
        notice = app.screen.notice
        assert notice.startswith("the index was damaged (catalog.sqlite") and "rebuilt" in notice


async def test_moved_files_and_a_feed_cut_short_are_in_the_notice(tmp_path, make_app, seeds_home):
    corpus = tmp_path / "corpus"
    shutil.copytree(seeds_home / "corpus", corpus)
    lib = Library(Config(corpus=corpus, index_dir=tmp_path / "i", data_dir=tmp_path / "d", state_dir=tmp_path / "s"))
    lib.update()
    (corpus / "002_f4ea0c5f37071933.txt").rename(corpus / "renamed.txt")
    (corpus / "cut.xml").write_text(
        "<rss><channel><title>C</title><item><title>Kept</title><link>https://x.example/k</link>"
        "<description>Kept text.</description></item><item><title>Lost", encoding="utf-8")
    app = make_app(lib)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        notice = app.screen.notice
        assert notice.startswith("cut.xml: feed cut short") and " · indexed 2 documents in " in notice  # 1 new, 1 moved
