"""The index on disk: incremental updates, rebuilds of damaged indexes, readers during writes."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from index.version import SCHEMA_VERSION

from .conftest import make_library


def write(corpus: Path, name: str, text: str) -> None:
    path = corpus / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*")}


def test_incremental_add_change_delete(library, corpus):
    write(corpus, "a.txt", "Alpha\nThe first apple.\n")
    write(corpus, "sub/b.md", "# Beta\nA banana.\n")
    first = library.update()
    assert (first.added, first.updated, first.removed, first.documents) == (2, 0, 0, 2)

    again = library.update()
    assert (again.added, again.updated, again.removed, again.changed) == (0, 0, 0, False)

    write(corpus, "c.txt", "Gamma\nA cherry.\n")
    write(corpus, "a.txt", "Alpha\nThe first apricot.\n")
    (corpus / "sub/b.md").unlink()
    report = library.update()
    assert (report.added, report.updated, report.removed, report.documents) == (1, 1, 1, 2)
    assert library.search("apricot").total == 1
    assert library.search("apple").total == 0
    assert library.search("banana").total == 0
    assert library.search("cherry").total == 1


def test_only_changed_files_are_read(library, corpus, monkeypatch):
    for n in range(5):
        write(corpus, f"{n}.txt", f"Doc {n}\nText {n}.\n")
    library.update()
    write(corpus, "3.txt", "Doc 3\nChanged text.\n")
    read = []
    import index.incremental as incremental

    real = incremental.read_documents
    monkeypatch.setattr(incremental, "read_documents", lambda c, p, **kw: read.append(p) or real(c, p, **kw))
    report = library.update()
    assert read == ["3.txt"]
    assert report.updated == 1


def test_touched_but_unchanged_file_is_not_reindexed(library, corpus):
    write(corpus, "a.txt", "Alpha\nSame.\n")
    library.update()
    os.utime(corpus / "a.txt", ns=(time.time_ns(), time.time_ns() + 10**9))
    report = library.update()
    assert (report.added, report.updated, report.removed) == (0, 0, 0)
    assert not library.is_stale()


def test_ids_survive_reindexing_and_unchanged_feed_items_stay(library, corpus):
    from index.paths import SEEDS

    feed = "001_cc206f8e9133d8aa.txt"
    write(corpus, feed, (SEEDS / feed).read_text(encoding="utf-8"))
    library.update()
    before = {d.title: d.id for d in library.browse()}
    text = (corpus / feed).read_text(encoding="utf-8").replace("Every US president", "Every American president")
    write(corpus, feed, text)
    report = library.update()
    assert report.updated == 1 and report.added == 0
    assert {d.title: d.id for d in library.browse()} == before
    rebuilt = library.update(rebuild=True)
    assert rebuilt.added == 10
    assert {d.title: d.id for d in library.browse()} == before


def test_skipped_files_are_reported_each_with_a_reason(library, corpus):
    write(corpus, "good.txt", "Good\nText.\n")
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "bin.txt").write_bytes(b"\x00\x01\x02binary")
    (corpus / "locked.txt").write_text("Locked\nx\n")
    os.chmod(corpus / "locked.txt", 0)
    (corpus / "ignored.pdf").write_bytes(b"%PDF")
    try:
        report = library.update()
    finally:
        os.chmod(corpus / "locked.txt", 0o644)
    reasons = dict(report.skipped)
    assert set(reasons) >= {"empty.txt", "bin.txt"}
    if os.geteuid() != 0:  # root reads anything
        assert "locked.txt" in reasons
    assert "ignored.pdf" not in reasons
    assert report.documents >= 1


def test_index_lives_outside_corpus_and_package(tmp_path, corpus, monkeypatch):
    from index import Config, Library
    from index.paths import SEEDS

    write(corpus, "a.txt", "Alpha\nText.\n")
    before = snapshot(corpus)
    seeds_before = snapshot(SEEDS)
    library = Library(Config(corpus=corpus))  # default per-user directories (XDG set by conftest)
    library.update()
    assert snapshot(corpus) == before
    assert snapshot(SEEDS) == seeds_before
    cache = Path(os.environ["XDG_CACHE_HOME"])
    assert library.index_path.is_relative_to(cache)
    assert (library.index_path / "catalog.sqlite").exists()
    other = tmp_path / "other"
    other.mkdir()
    assert Library(Config(corpus=other)).index_path != library.index_path


def corrupt_whoosh(library, keep_stat: bool = False) -> None:
    """Garbage in the table of contents; ``keep_stat``: same size and mtime, so that only opening
    the index can tell."""
    name = library.store.meta("whoosh_dir")
    for path in (library.index_path / name).iterdir():
        if path.suffix == ".toc":
            st = path.stat()
            path.write_bytes(b"garbage".ljust(st.st_size, b"!") if keep_stat else b"garbage")
            if keep_stat:
                os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def test_corrupt_index_is_rebuilt_with_a_notice(library, corpus):
    write(corpus, "a.txt", "Alpha\nText about zebras.\n")
    library.update()
    corrupt_whoosh(library)
    library.close()
    assert library.is_stale()
    report = library.update()
    assert "damaged" in report.rebuilt and "rebuilt" in report.rebuilt
    assert library.search("zebras").total == 1


def test_the_light_check_trusts_the_catalog_and_a_search_checks_the_index_itself(library, corpus):
    write(corpus, "a.txt", "Alpha\nText about zebras.\n")
    library.update()
    assert library.store.health(deep=False) == library.store.health() == ""
    corrupt_whoosh(library, keep_stat=True)
    library.close()
    assert not library.is_stale(deep=False)  # commands that never search do not open it
    assert library.is_stale()  # a search does, and the damage means a rebuild
    for toc in library.index_path.glob("whoosh-*/_MAIN_*.toc"):
        toc.unlink()
    assert "damaged" in library.store.health(deep=False)  # a folder without an index is noticed


def test_commands_that_never_search_never_load_the_search_engine(tmp_path, corpus):
    write(corpus, "a.txt", "Alpha\nLiang Wenfeng founded DeepSeek in Hangzhou.\n")
    script = (
        "import sys, io, contextlib; from tui.cli import main\n"
        "args = ['--corpus', sys.argv[1], '--config', sys.argv[2]]\n"
        "with contextlib.redirect_stdout(io.StringIO()): main(args + ['index'])\n"
        "for m in [m for m in sys.modules if m.startswith(('whoosh', 'index.'))]: del sys.modules[m]\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(args + ['entities']) == 0 and main(args + ['bookmarks', 'list']) == 0\n"
        "print('whoosh' in sys.modules)\n"
    )
    config = tmp_path / "config.yaml"
    config.write_text(f"index_dir: {tmp_path / 'i'}\ndata_dir: {tmp_path / 'd'}\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", script, str(corpus), str(config)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_half_written_index_is_rebuilt(library, corpus):
    write(corpus, "a.txt", "Alpha\nText.\n")
    library.update()
    db = sqlite3.connect(library.index_path / "catalog.sqlite")
    db.execute("UPDATE meta SET value = '0' WHERE key = 'complete'")
    db.commit()
    report = library.update()
    assert "did not finish" in report.rebuilt
    assert report.added == 1


def test_schema_version_mismatch_is_rebuilt(library, corpus):
    write(corpus, "a.txt", "Alpha\nText.\n")
    library.update()
    db = sqlite3.connect(library.index_path / "catalog.sqlite")
    db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION - 1),))
    db.commit()
    report = library.update()
    assert "format changed" in report.rebuilt
    assert library.search("alpha").total == 1


def test_an_index_of_version_5_is_rebuilt_in_the_new_layout(library, corpus):
    # Version 5 stored Markdown bodies with their markup and had no ``ids`` column for files.
    write(corpus, "a.md", "# Alpha\nSome **bold** text.\n")
    library.update()
    db = sqlite3.connect(library.index_path / "catalog.sqlite")
    db.execute("ALTER TABLE files DROP COLUMN ids")
    db.execute("UPDATE documents SET body = 'Some **bold** text.'")
    db.execute("UPDATE meta SET value = '5' WHERE key = 'schema_version'")
    db.commit()
    db.close()
    write(corpus, "b.txt", "Beta\nMore text.\n")
    report = library.update()
    assert "format changed (version 5" in report.rebuilt
    assert [library.document(d.id).body for d in library.browse() if d.source == "a.md"] == ["Some bold text."]
    assert library.search("beta").total == 1


READER = """
import sys, time
from pathlib import Path
from index import Config, Library
home = Path(sys.argv[2])
lib = Library(Config(corpus=Path(sys.argv[1]), index_dir=home / "index", data_dir=home / "data"))
errors = searches = 0
end = time.time() + float(sys.argv[3])
while time.time() < end:
    try:
        lib.search("common")
        searches += 1
    except Exception as exc:
        errors += 1
        print(repr(exc), file=sys.stderr)
print(searches, errors)
"""


def test_readers_keep_working_while_a_writer_updates(tmp_path, corpus):
    for n in range(30):
        write(corpus, f"{n}.txt", f"Doc {n}\ncommon words {n}\n")
    library = make_library(corpus, tmp_path)
    library.update()
    readers = [
        subprocess.Popen([sys.executable, "-c", READER, str(corpus), str(tmp_path), "4"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    deadline = time.time() + 3.5
    rounds = 0
    while time.time() < deadline:
        rounds += 1
        for n in range(0, 30, 3):
            write(corpus, f"{n}.txt", f"Doc {n}\ncommon words {n} round {rounds}\n")
        library.update(rebuild=rounds % 3 == 0)
    for proc in readers:
        out, err = proc.communicate(timeout=30)
        searches, errors = map(int, out.split())
        assert errors == 0, err
        assert searches > 0
    assert library.search("common", limit=100).total == 30


def test_two_writers_do_not_corrupt_the_index(tmp_path, corpus):
    for n in range(20):
        write(corpus, f"{n}.txt", f"Doc {n}\nshared text {n}\n")
    script = ("import sys; from pathlib import Path; from index import Config, Library; h=Path(sys.argv[2]);"
              "Library(Config(corpus=Path(sys.argv[1]), index_dir=h/'index', data_dir=h/'data')).update()")
    procs = [subprocess.Popen([sys.executable, "-c", script, str(corpus), str(tmp_path)]) for _ in range(3)]
    assert [p.wait(timeout=60) for p in procs] == [0, 0, 0]
    library = make_library(corpus, tmp_path)
    assert library.store.health() == ""
    assert library.search("shared", limit=100).total == 20


# -- moved and renamed files ---------------------------------------------------------------------

def test_a_moved_file_keeps_its_ids_and_is_reported_as_moved(library, corpus):
    write(corpus, "a.txt", "Alpha\nText about zebras.\n")
    write(corpus, "b.txt", "Beta\nText about lions.\n")
    library.update()
    (alpha,) = library.search("zebras").hits
    (corpus / "sub").mkdir()
    (corpus / "a.txt").rename(corpus / "sub" / "a.txt")
    report = library.update()
    assert (report.added, report.updated, report.removed, report.moved) == (0, 0, 0, 1)
    doc = library.document(alpha.id)
    assert doc.source == "sub/a.txt"
    assert [h.id for h in library.search("source:sub").hits] == [alpha.id]
    assert library.search("zebras").hits[0].source == "sub/a.txt"
    write(corpus, "sub/a.txt", "Alpha\nText about zebras, edited.\n")  # an edit after the move
    report = library.update()
    assert (report.added, report.updated) == (0, 1) and library.document(alpha.id).body.endswith("edited.")
    write(corpus, "a.txt", "Alpha again\nA new file where the old one was.\n")  # ids of its own
    report = library.update()
    assert report.added == 1 and library.document(alpha.id).source == "sub/a.txt"
    assert len({d.id for d in library.browse()}) == 3
    ids = {d.source: d.id for d in library.browse()}
    library.update(rebuild=True)  # a rebuild keeps them
    assert {d.source: d.id for d in library.browse()} == ids


def test_a_renamed_feed_keeps_the_ids_of_its_items(library, corpus):
    from index.paths import SEEDS

    feed = "001_cc206f8e9133d8aa.txt"
    write(corpus, feed, (SEEDS / feed).read_text(encoding="utf-8"))
    library.update()
    before = {d.title: d.id for d in library.browse()}
    (corpus / feed).rename(corpus / "renamed.txt")
    report = library.update()
    assert (report.moved, report.added, report.removed) == (10, 0, 0)
    assert {d.title: d.id for d in library.browse()} == before


def test_a_copy_is_a_new_document(library, corpus):
    write(corpus, "a.txt", "Alpha\nText about zebras.\n")
    library.update()
    write(corpus, "copy.txt", "Alpha\nText about zebras.\n")
    report = library.update()
    assert (report.added, report.moved) == (1, 0) and library.search("zebras").total == 2


def test_bookmarks_follow_a_moved_file(library, corpus):
    write(corpus, "a.txt", "Alpha\nThe quick brown fox jumps over the lazy dog.\n")
    library.update()
    (hit,) = library.search("fox").hits
    mark = library.bookmarks.add_quote(library.document(hit.id), "brown fox")
    (corpus / "a.txt").rename(corpus / "moved.txt")
    library.update()
    (placed,) = library.bookmarks.refresh(lambda i: library.store.document(i))
    assert placed.id == mark.id and placed.status != "orphaned"
    assert library.document(placed.doc_id).body[placed.start:placed.end] == "brown fox"


# -- bounded memory ------------------------------------------------------------------------------

def test_postings_beyond_the_budget_are_written_as_more_segments(tmp_path, corpus, monkeypatch):
    from index import fastwriter

    for n in range(12):
        write(corpus, f"{n}.txt", f"Doc {n}\n" + " ".join(f"word{n}x{k} common" for k in range(300)) + "\n")
    whole = make_library(corpus, tmp_path / "whole")
    whole.update()
    monkeypatch.setattr(fastwriter, "SEGMENT_BUDGET", 20_000)  # a segment every document or two
    rolled = make_library(corpus, tmp_path / "rolled")
    rolled.update()
    ix = rolled.store.open_index()
    assert len(ix._segments()) > 4
    ix.close()
    for q in ("common", "word3x7", '"word5x1 common"', "word1*", "doc"):
        a, b = whole.search(q, limit=50), rolled.search(q, limit=50)
        assert (a.total, sorted(h.id for h in a.hits)) == (b.total, sorted(h.id for h in b.hits)), q
    write(corpus, "3.txt", "Doc 3\nReplaced text.\n")  # an update with deletions in rolled segments
    rolled.update()
    assert rolled.search("word3x7").total == 0 and rolled.search("replaced").total == 1
    assert rolled.store.health() == ""


def test_catalog_rows_are_written_in_batches_and_seen_only_when_committed(library, corpus, monkeypatch):
    import index.catalog as catalog

    monkeypatch.setattr(catalog, "ROW_BATCH", 1000)
    for n in range(30):
        write(corpus, f"{n}.txt", f"Doc {n}\n" + "Some words of text. " * 100 + "\n")
    seen = []
    real = catalog.CatalogRows.flush

    def flush(self):
        # another connection (another process) sees none of the rows written so far
        other = sqlite3.connect(library.index_path / "catalog.sqlite")
        seen.append(other.execute("SELECT count(*) FROM documents").fetchone()[0])
        other.close()
        real(self)

    monkeypatch.setattr(catalog.CatalogRows, "flush", flush)
    report = library.update()
    assert report.added == 30 and library.count() == 30
    assert len(seen) > 10 and set(seen) == {0}


def test_a_feed_cut_short_is_indexed_with_a_warning(library, corpus):
    feed = ("<rss><channel><title>C</title>"
            + "".join(f"<item><title>I{n}</title><link>https://x.example/{n}</link><description>T{n}.</description></item>"
                      for n in range(2)) + "<item><title>I2")
    write(corpus, "broken.xml", feed)
    report = library.update()
    assert report.added == 2 and not report.skipped
    assert [p for p, _ in report.warnings] == ["broken.xml"]
