"""Damaged index files: everything in the index folder is rebuilt with a one-line notice, never a
traceback; the user's corrections file is never touched, only reported."""

from __future__ import annotations

import gc
import os
import sqlite3
from pathlib import Path

import pytest

from index import Library
from index.errors import IndexDamaged
from tui.cli import main

from .conftest import make_library


def write(corpus: Path, name: str, text: str) -> None:
    (corpus / name).write_text(text, encoding="utf-8")


def two_files(corpus: Path) -> None:
    write(corpus, "a.txt", "Alpha\nLiang Wenfeng founded DeepSeek in Hangzhou. Zebras graze.\n")
    write(corpus, "b.txt", "Beta\nDeepSeek and OpenAI compete. Liang Wenfeng spoke.\n")


def garble(path: Path, keep_mtime: bool = False) -> None:
    """Overwrite the start of ``path`` in place, as ``printf garbage | dd conv=notrunc`` does."""
    gc.collect()  # SQLite connections of the commands run before close, as their processes would
    st = path.stat()
    with open(path, "r+b") as fh:
        fh.write(b"garbage garbage garbage")
    if keep_mtime:
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def truncate(path: Path, size: int = 1000) -> None:
    gc.collect()
    with open(path, "r+b") as fh:
        fh.truncate(size)


def whoosh_file(library: Library, suffix: str) -> Path:
    folder = library.index_path / library.store.meta("whoosh_dir")
    return next(p for p in sorted(folder.iterdir()) if p.name.endswith(suffix))


@pytest.mark.parametrize("damage", [truncate, garble], ids=["truncated", "header-overwritten"])
def test_a_damaged_catalog_is_rebuilt_with_a_notice(library, corpus, damage):
    two_files(corpus)
    library.update()
    library.close()
    library.store._close_db()
    damage(library.index_path / "catalog.sqlite")
    assert library.browse() == []  # the browser's first call: no traceback
    assert library.is_stale()
    report = library.update()
    assert "damaged" in report.rebuilt and "catalog.sqlite" in report.rebuilt and "\n" not in report.rebuilt
    assert report.documents == 2 and library.search("zebras").total == 1


@pytest.mark.parametrize("damage", [truncate, garble], ids=["truncated", "header-overwritten"])
def test_an_explicit_rebuild_replaces_a_damaged_catalog(library, corpus, damage):
    two_files(corpus)
    library.update()
    library.store._close_db()
    damage(library.index_path / "catalog.sqlite")
    report = library.update(rebuild=True)
    assert "damaged" in report.rebuilt
    assert library.search("zebras").total == 1 and len(library.browse()) == 2


def test_a_modified_whoosh_file_is_rebuilt_by_a_plain_update(library, corpus):
    two_files(corpus)
    library.update()
    library.close()
    garble(whoosh_file(library, "_stored.col"))
    report = library.update()
    assert "damaged" in report.rebuilt and "_stored.col" in report.rebuilt
    assert library.search("zebras").total == 1


def test_damage_only_a_read_finds_marks_the_index_for_a_rebuild(library, corpus):
    two_files(corpus)
    library.update()
    library.close()
    garble(whoosh_file(library, "_stored.col"), keep_mtime=True)  # the checks cannot see it
    assert not library.is_stale()
    with pytest.raises(IndexDamaged, match="damaged"):
        library.search("zebras")
    report = library.update()
    assert "damaged" in report.rebuilt
    assert library.search("zebras").total == 1
    assert not library.is_stale()


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def cli_library(corpus: Path) -> Library:
    return Library.open(None, corpus)


def test_cli_search_and_rebuild_on_a_damaged_catalog(capsys, corpus):
    two_files(corpus)
    assert run(capsys, "--corpus", str(corpus), "index")[0] == 0
    catalog = cli_library(corpus).index_path / "catalog.sqlite"
    truncate(catalog)
    code, out, err = run(capsys, "--corpus", str(corpus), "search", "zebras")
    assert code == 0 and "1 documents match" in out
    assert "Traceback" not in err and err.count("damaged") == 1
    garble(catalog)
    code, out, err = run(capsys, "--corpus", str(corpus), "index", "--rebuild")
    assert code == 0 and "2 added" in out and err.count("damaged") == 1


def test_cli_search_rebuilds_when_a_read_finds_damage(capsys, corpus):
    two_files(corpus)
    run(capsys, "--corpus", str(corpus), "index")
    garble(whoosh_file(cli_library(corpus), "_stored.col"), keep_mtime=True)
    code, out, err = run(capsys, "--corpus", str(corpus), "search", "zebras")
    assert code == 0 and "1 documents match" in out
    assert err.count("damaged") == 1 and "Traceback" not in err


def test_a_damaged_entity_index_is_rebuilt(capsys, corpus):
    two_files(corpus)
    run(capsys, "--corpus", str(corpus), "index")
    entities = cli_library(corpus).index_path / "entities.sqlite"
    for command in (["entities"], ["mentions", "Liang Wenfeng"], ["index", "--rebuild"]):
        garble(entities)
        code, out, err = run(capsys, "--corpus", str(corpus), *command)
        assert code == 0, err
        assert err.count("entity index was damaged") == 1 and "Traceback" not in err
        if command[0] != "index":
            assert "Liang Wenfeng" in out


def test_damaged_corrections_are_reported_never_touched_and_applied_once_readable(capsys, corpus):
    two_files(corpus)
    run(capsys, "--corpus", str(corpus), "index")
    assert run(capsys, "--corpus", str(corpus), "entities", "hide", "OpenAI")[0] == 0
    corrections = cli_library(corpus).data_path / "entity-corrections.sqlite"
    gc.collect()
    good = corrections.read_bytes()
    garble(corrections)
    damaged = corrections.read_bytes()
    code, out, err = run(capsys, "--corpus", str(corpus), "index", "--rebuild")
    assert code == 0 and "2 added" in out
    assert err.count(str(corrections)) == 1 and "not applied" in err
    code, out, err = run(capsys, "--corpus", str(corpus), "entities")
    assert code == 0 and "OpenAI" in out  # carried on without corrections
    code, out, err = run(capsys, "--corpus", str(corpus), "entities", "hide", "DeepSeek")
    assert code == 1 and "Traceback" not in err and str(corrections) in err
    assert run(capsys, "--corpus", str(corpus), "entities", "corrections")[0] == 1
    assert corrections.read_bytes() == damaged  # never written, deleted or replaced
    assert not [p for p in corrections.parent.iterdir() if p.name != corrections.name]
    corrections.write_bytes(good)  # the user repairs it: the corrections apply again
    code, out, err = run(capsys, "--corpus", str(corpus), "entities")
    assert code == 0 and "OpenAI" not in out and "DeepSeek" in out and not err


def test_the_library_reports_a_damaged_entity_index_once(tmp_path, corpus):
    two_files(corpus)
    first = make_library(corpus, tmp_path)
    first.update()
    entities = first.index_path / "entities.sqlite"
    del first
    garble(entities)
    library = make_library(corpus, tmp_path)
    assert library.is_stale()
    report = library.update()
    assert len(report.notices) == 1 and "entity index was damaged" in report.notices[0]
    assert not report.rebuilt and not library.is_stale()
    assert "Liang Wenfeng" in [e.name for e in library.entities.entities()]
    with sqlite3.connect(entities) as db:
        assert db.execute("PRAGMA quick_check").fetchone() == ("ok",)
