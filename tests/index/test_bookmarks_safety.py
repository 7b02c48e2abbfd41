"""Bookmarks are never lost: several real processes writing at once, a process SIGKILLed while it
writes, and damaged database files, which are never overwritten."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.bookmarks import BookmarkStore, BookmarksUnavailable
from index.models import Document

ROOT = Path(__file__).resolve().parents[2]
BODY = " ".join(f"Sentence number {n} of the long document." for n in range(400))

WRITER = """
import sys, time
from pathlib import Path
from index.bookmarks import BookmarkStore
from index.models import Document

path, count, go, name = Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
body = " ".join(f"Sentence number {n} of the long document." for n in range(400))
doc = Document(id="long", source="long.txt", title="Long", body=body)
store = BookmarkStore(path)
assert store.error is None, store.error
while not go.exists():
    time.sleep(0.005)
n = 0
while count < 0 or n < count:
    start = body.index(f"number {n % 400} ")
    mark = store.add(doc, start, start + 12, note=f"{name} {n}", tags=[name])
    if n % 3 == 0:
        store.edit(mark.id, note=f"{name} {n} edited")
    print(mark.id, flush=True)  # reported saved only once add() has returned
    n += 1
"""


def writer(path: Path, count: int, go: Path, name: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(count), str(go), name],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)


def test_two_processes_adding_200_each_end_with_400(tmp_path):
    path, go = tmp_path / "bookmarks.sqlite", tmp_path / "go"
    procs = [writer(path, 200, go, name) for name in ("left", "right")]
    time.sleep(0.3)  # both open (and race to create) the database, then start together
    go.touch()
    outputs = [p.communicate(timeout=120) for p in procs]
    for proc, (out, err) in zip(procs, outputs):
        assert proc.returncode == 0, err
    reported = {line for out, _ in outputs for line in out.split()}
    marks = BookmarkStore(path).list()
    assert len(reported) == 400 and {m.id for m in marks} == reported
    assert sorted(m.note for m in marks if m.note.startswith("left 3 ")) == ["left 3 edited"]
    assert {m.tags for m in marks} == {("left",), ("right",)}


def test_a_process_killed_mid_write_loses_nothing_it_reported_saved(tmp_path):
    path, go = tmp_path / "bookmarks.sqlite", tmp_path / "go"
    go.touch()
    proc = writer(path, -1, go, "doomed")
    reported = []
    for line in proc.stdout:
        reported.append(line.strip())
        if len(reported) >= 60:
            break
    proc.send_signal(signal.SIGKILL)  # while it is busy adding the next ones
    proc.wait(timeout=30)
    proc.stdout.close()
    proc.stderr.close()

    store = BookmarkStore(path)
    assert store.error is None
    saved = {m.id for m in store.list()}
    assert set(reported) <= saved
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    assert store.add(Document(id="d", source="d.txt", title="D", body=BODY), 0, 8).id  # still writable


def test_the_database_uses_wal(tmp_path):
    store = BookmarkStore(tmp_path / "b.sqlite")
    store.add(Document(id="d", source="d.txt", title="D", body=BODY), 0, 8)
    con = sqlite3.connect(store.path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("PRAGMA user_version").fetchone()[0] >= 1
    con.close()


# -- damaged files ---------------------------------------------------------------------------
def damaged_garbage(path: Path) -> None:
    path.write_bytes(b"this is not a database at all\n" * 200)


def damaged_pages(path: Path) -> None:
    store = BookmarkStore(path)
    doc = Document(id="d", source="d.txt", title="D", body=BODY)
    for n in range(300):
        store.add(doc, n * 10, n * 10 + 40, note="x" * 200)
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page * 3, min(len(data), page * 9), 97):  # scribble over pages 4..9
        data[offset:offset + 7] = b"\xde\xad\xbe\xef\x00\xff\x13"
    path.write_bytes(bytes(data))


def damaged_truncated_header(path: Path) -> None:
    path.write_bytes(b"SQLite for")


@pytest.mark.parametrize("damage, readable", [(damaged_garbage, 0), (damaged_pages, 200), (damaged_truncated_header, 0)])
def test_a_damaged_database_is_reported_kept_as_it_is_and_read_only(tmp_path, damage, readable):
    path = tmp_path / "bookmarks.sqlite"
    damage(path)
    before = path.read_bytes()

    store = BookmarkStore(path)
    assert store.read_only
    assert str(path) in store.error and "\n" not in store.error
    assert len(store.list()) >= readable  # whatever can still be read (of 300); never raises
    with pytest.raises(BookmarksUnavailable, match="read-only"):
        store.add(Document(id="d", source="d.txt", title="D", body=BODY), 0, 8)
    assert path.read_bytes() == before


def test_a_database_from_a_newer_dossier_is_read_but_not_written(tmp_path):
    path = tmp_path / "bookmarks.sqlite"
    store = BookmarkStore(path)
    mark = store.add(Document(id="d", source="d.txt", title="D", body=BODY), 0, 8)
    con = sqlite3.connect(path)
    con.execute("PRAGMA user_version = 99")
    con.close()

    newer = BookmarkStore(path)
    assert "newer dossier" in newer.error and str(path) in newer.error
    assert [m.id for m in newer.list()] == [mark.id]
    with pytest.raises(BookmarksUnavailable):
        newer.delete(mark.id)



def test_a_damaged_database_with_a_write_ahead_log_is_not_checkpointed_into(tmp_path):
    # A process that died with changes still in the -wal file, over a main file that is damaged:
    # opening the file for writing, even only to check it, would copy the log into it.
    path, log = tmp_path / "bookmarks.sqlite", tmp_path / "bookmarks.sqlite-wal"
    damaged_pages(path)
    damaged = path.read_bytes()
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_autocheckpoint = 0")
    con.execute("UPDATE bookmarks SET note = 'in the log' WHERE seq < 3")
    con.commit()
    wal = log.read_bytes()
    con.close()  # this close checkpoints: put back the two files as the dead process left them
    path.write_bytes(damaged)
    log.write_bytes(wal)

    store = BookmarkStore(path)
    assert store.read_only and "damaged" in store.error
    store.list()
    assert path.read_bytes() == damaged
