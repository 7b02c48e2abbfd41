"""SQLite files of the entity engine.

- ``entities.sqlite`` in the index directory: per-document extraction (so only changed documents are
  re-extracted), and the resolved table written at every sync (so listing entities is one read).
- ``entity-corrections.sqlite`` in the per-user data directory: the user's corrections, which must
  outlive any rebuild of the index.

Connections are opened per thread; writes take a process-wide lock and an immediate transaction.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterable
from pathlib import Path

SCHEMA = 6
"""Bump when the extraction or the tables change: cached extractions are then redone."""

_INDEX_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS docs (doc_id TEXT PRIMARY KEY, source TEXT, part INTEGER, title TEXT, body BLOB,
                                 mentions TEXT);
CREATE TABLE IF NOT EXISTS surfaces (doc_id TEXT, text TEXT, count INTEGER, person INTEGER,
                                     v_person REAL, v_org REAL, v_place REAL, v_product REAL, v_event REAL);
CREATE INDEX IF NOT EXISTS surfaces_doc ON surfaces(doc_id);
CREATE TABLE IF NOT EXISTS links (doc_id TEXT, a TEXT, b TEXT);
CREATE INDEX IF NOT EXISTS links_doc ON links(doc_id);
CREATE TABLE IF NOT EXISTS entities (id INTEGER PRIMARY KEY, name TEXT, type TEXT, aliases TEXT,
                                     count INTEGER, docs TEXT, hidden INTEGER, ndocs INTEGER);
CREATE INDEX IF NOT EXISTS entities_rank ON entities(hidden, count DESC);
CREATE TABLE IF NOT EXISTS keymap (key TEXT PRIMARY KEY, entity_id INTEGER);
CREATE TABLE IF NOT EXISTS localmap (doc_id TEXT, key TEXT, entity_id INTEGER, PRIMARY KEY (doc_id, key));
"""

_CORRECTION_TABLES = """
CREATE TABLE IF NOT EXISTS corrections (id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL,
                                        name TEXT NOT NULL, arg TEXT NOT NULL DEFAULT '', made REAL);
"""


class _Db:
    """One SQLite file, a connection per thread, writes serialised by a lock."""

    def __init__(self, path: Path, tables: str) -> None:
        self.path = path
        self.tables = tables
        self._local = threading.local()
        self.lock = threading.RLock()

    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version != SCHEMA:
                # tables of an older dossier: start again (extraction is redone from the next sync)
                with self.lock:
                    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall():
                        if not name.startswith("sqlite_") and name != "corrections":
                            conn.execute(f"DROP TABLE IF EXISTS {name}")
            conn.executescript(self.tables)
            conn.execute(f"PRAGMA user_version={SCHEMA}")
            self._local.conn = conn
        return conn

    def write(self):
        return _Tx(self)


class _Tx:
    def __init__(self, db: _Db) -> None:
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        self.db.lock.acquire()
        conn = self.db.conn()
        conn.execute("BEGIN IMMEDIATE")
        return conn

    def __exit__(self, exc_type, exc, tb) -> None:
        conn = self.db.conn()
        try:
            conn.execute("ROLLBACK" if exc_type else "COMMIT")
        finally:
            self.db.lock.release()


class IndexDb(_Db):
    """The extraction cache and the resolved table."""

    def __init__(self, index_dir: Path) -> None:
        super().__init__(Path(index_dir) / "entities.sqlite", _INDEX_TABLES)

    def meta(self, key: str) -> str | None:
        row = self.conn().execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, conn: sqlite3.Connection, key: str, value: str) -> None:
        conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def clear(self) -> None:
        with self.write() as conn:
            for table in ("docs", "surfaces", "links", "entities", "keymap", "localmap"):
                conn.execute(f"DELETE FROM {table}")

    def remove_docs(self, conn: sqlite3.Connection, ids: Iterable[str]) -> None:
        rows = [(i,) for i in ids]
        for table in ("docs", "surfaces", "links"):
            conn.executemany(f"DELETE FROM {table} WHERE doc_id=?", rows)

    def surface_totals(self) -> list[tuple[str, int, tuple[float, ...], bool]]:
        """Per surface text, summed over the corpus: mentions, type votes, person-shaped."""
        return [(t, c, (a, b, e, d, f), bool(p)) for t, c, a, b, e, d, f, p in self.conn().execute(
            "SELECT text, SUM(count), SUM(v_person), SUM(v_org), SUM(v_place), SUM(v_product), SUM(v_event), "
            "MAX(person) FROM surfaces GROUP BY text")]

    def surfaces_per_doc(self) -> list[tuple[str, str, int]]:
        """(doc_id, text, count) in reading order of the documents."""
        return self.conn().execute(
            "SELECT s.doc_id, s.text, s.count FROM docs d JOIN surfaces s ON s.doc_id = d.doc_id "
            "ORDER BY d.source, d.part, d.doc_id").fetchall()

    def all_links(self) -> list[tuple[str, str, str]]:
        return list(self.conn().execute("SELECT doc_id, a, b FROM links"))

    def doc_order(self) -> dict[str, int]:
        rows = self.conn().execute("SELECT doc_id FROM docs ORDER BY source, part, doc_id").fetchall()
        return {r[0]: n for n, r in enumerate(rows)}

    def write_resolved(self, resolved) -> None:
        with self.write() as conn:
            conn.execute("DELETE FROM entities")
            conn.execute("DELETE FROM keymap")
            conn.execute("DELETE FROM localmap")
            conn.executemany(
                "INSERT INTO entities VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(e["id"], e["name"], e["type"], json.dumps(e["aliases"], ensure_ascii=False), e["count"],
                  json.dumps(e["docs"]), int(e["hidden"]), len(e["docs"])) for e in resolved.entities],
            )
            conn.executemany("INSERT OR REPLACE INTO keymap VALUES (?, ?)", resolved.keymap.items())
            conn.executemany("INSERT OR REPLACE INTO localmap VALUES (?, ?, ?)",
                             [(d, k, n) for (d, k), n in resolved.localmap.items()])
            self.set_meta(conn, "resolved_at", str(time.time()))


class CorrectionsDb(_Db):
    """The user's corrections, in the order made."""

    def __init__(self, data_dir: Path) -> None:
        super().__init__(Path(data_dir) / "entity-corrections.sqlite", _CORRECTION_TABLES)

    def add(self, kind: str, name: str, arg: str = "") -> int:
        with self.write() as conn:
            cur = conn.execute("INSERT INTO corrections (kind, name, arg, made) VALUES (?, ?, ?, ?)",
                               (kind, name, arg, time.time()))
            return int(cur.lastrowid)

    def all(self) -> list[tuple[int, str, str, str, float]]:
        if not self.path.exists():
            return []
        return list(self.conn().execute("SELECT id, kind, name, arg, made FROM corrections ORDER BY id"))

    def pop(self) -> tuple[int, str, str, str, float] | None:
        with self.write() as conn:
            row = conn.execute("SELECT id, kind, name, arg, made FROM corrections ORDER BY id DESC LIMIT 1").fetchone()
            if row:
                conn.execute("DELETE FROM corrections WHERE id=?", (row[0],))
            return row
