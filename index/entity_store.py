"""SQLite files of the entity engine.

- ``entities.sqlite`` in the index directory: per-document extraction (so only changed documents are
  re-extracted), and the resolved table written at every sync (so listing entities is one read).
- ``entity-corrections.sqlite`` in the per-user data directory: the user's corrections, which must
  outlive any rebuild of the index.

The first is derived data: found damaged, it is deleted and made again (its documents are then
extracted again from the catalog), and ``IndexDb.repaired`` says so in one line. The second is the
user's: found damaged, it is never written, deleted or replaced; ``CorrectionsDb.error`` says what
is wrong and where, and entities are resolved without corrections until it is fixed.

Connections are opened per thread; writes take a process-wide lock and an immediate transaction.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from .damage import header_problem, is_damage, remove_sqlite
from .errors import DossierError

SCHEMA = 8
"""Bump when the extraction or the tables change: cached extractions are then redone."""

_INDEX_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS docs (doc_id TEXT PRIMARY KEY, source TEXT, part INTEGER, title TEXT, body BLOB,
                                 mentions TEXT);
CREATE TABLE IF NOT EXISTS surfaces (doc_id TEXT, text TEXT, count INTEGER, person INTEGER,
                                     v_person REAL, v_org REAL, v_place REAL, v_product REAL, v_event REAL);
CREATE INDEX IF NOT EXISTS surfaces_doc ON surfaces(doc_id);
CREATE INDEX IF NOT EXISTS surfaces_text ON surfaces(text);
CREATE TABLE IF NOT EXISTS totals (text TEXT PRIMARY KEY, count INTEGER, person INTEGER, v_person REAL, v_org REAL,
                                   v_place REAL, v_product REAL, v_event REAL);
CREATE TABLE IF NOT EXISTS links (doc_id TEXT, a TEXT, b TEXT);
CREATE INDEX IF NOT EXISTS links_doc ON links(doc_id);
CREATE TABLE IF NOT EXISTS entities (id INTEGER PRIMARY KEY, name TEXT, type TEXT, aliases TEXT,
                                     count INTEGER, docs TEXT, hidden INTEGER, ndocs INTEGER, name_key TEXT);
CREATE INDEX IF NOT EXISTS entities_rank ON entities(hidden, count DESC);
CREATE INDEX IF NOT EXISTS entities_name_key ON entities(name_key);
CREATE TABLE IF NOT EXISTS keymap (key TEXT PRIMARY KEY, entity_id INTEGER, member INTEGER);
CREATE TABLE IF NOT EXISTS localmap (doc_id TEXT, key TEXT, entity_id INTEGER, PRIMARY KEY (doc_id, key));
"""

_CORRECTION_TABLES = """
CREATE TABLE IF NOT EXISTS corrections (id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL,
                                        name TEXT NOT NULL, arg TEXT NOT NULL DEFAULT '', made REAL);
"""


class CorrectionsUnavailable(DossierError):
    """The corrections file is damaged: corrections cannot be read or made (the file is kept)."""


class _Db:
    """One SQLite file, a connection per thread, writes serialised by a lock."""

    def __init__(self, path: Path, tables: str) -> None:
        self.path = path
        self.tables = tables
        self._local = threading.local()
        self.lock = threading.RLock()
        self.generation = 0
        """Bumped when the file is replaced: every thread then opens the new one."""

    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is not None and self._local.generation != self.generation:
            conn.close()
            conn = None
        if conn is None:
            problem = header_problem(self.path)
            if not problem:
                try:
                    conn = self._connect()
                except sqlite3.DatabaseError as exc:
                    if not is_damage(exc):
                        raise
                    problem = str(exc)
            if problem:
                conn = self._damaged(problem)
            self._local.conn, self._local.generation = conn, self.generation
        return conn

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        try:
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
        except BaseException:
            conn.close()
            raise
        return conn

    def _damaged(self, problem: str) -> sqlite3.Connection:
        """A connection in place of the damaged file (``problem``: what is wrong), or raise."""
        raise NotImplementedError

    def write(self):
        return _Tx(self)


class _Tx:
    def __init__(self, db: _Db) -> None:
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        self.db.lock.acquire()
        try:
            conn = self.db.conn()
            conn.execute("BEGIN IMMEDIATE")
        except BaseException:
            self.db.lock.release()
            raise
        return conn

    def __exit__(self, exc_type, exc, tb) -> None:
        conn = self.db.conn()
        try:
            conn.execute("ROLLBACK" if exc_type else "COMMIT")
        finally:
            self.db.lock.release()


class _Bulk:
    INDEXES = ("surfaces_doc", "surfaces_text", "links_doc")

    def __init__(self, db: "IndexDb") -> None:
        self.db = db

    def __enter__(self) -> None:
        with self.db.write() as conn:
            for name in self.INDEXES:
                conn.execute(f"DROP INDEX IF EXISTS {name}")

    def __exit__(self, exc_type, exc, tb) -> None:
        with self.db.lock:
            self.db.conn().executescript(self.db.tables)  # (CREATE ... IF NOT EXISTS: the indexes again)


class IndexDb(_Db):
    """The extraction cache and the resolved table."""

    def __init__(self, index_dir: Path) -> None:
        super().__init__(Path(index_dir) / "entities.sqlite", _INDEX_TABLES)
        self.repaired = ""
        """Set when the file was found damaged and made again: the one-line notice."""

    def _damaged(self, problem: str) -> sqlite3.Connection:
        with self.lock:
            remove_sqlite(self.path)
            self.generation += 1
            self.repaired = f"the entity index was damaged ({self.path.name}: {problem}): rebuilt it"
            return self._connect()

    def bulk(self):
        """Context for inserting thousands of documents into empty tables: the row indexes are
        dropped while rows go in and built once at the end (faster than row by row)."""
        return _Bulk(self)

    def meta(self, key: str) -> str | None:
        row = self.conn().execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, conn: sqlite3.Connection, key: str, value: str) -> None:
        conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def clear(self) -> None:
        with self.write() as conn:
            for table in ("docs", "surfaces", "totals", "links", "entities", "keymap", "localmap"):
                conn.execute(f"DELETE FROM {table}")

    def remove_docs(self, conn: sqlite3.Connection, ids: Iterable[str]) -> None:
        rows = [(i,) for i in ids]
        for table in ("docs", "surfaces", "links"):
            conn.executemany(f"DELETE FROM {table} WHERE doc_id=?", rows)

    def surfaces_of_docs(self, ids: list[str]) -> set[tuple]:
        """The surface rows of these documents (all columns)."""
        out: set[tuple] = set()
        conn = self.conn()
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            out.update(conn.execute(f"SELECT * FROM surfaces WHERE doc_id IN ({','.join('?' * len(chunk))})", chunk))
        return out

    def refresh_totals(self, texts: set[str] | None = None) -> None:
        """Sum the surfaces of ``texts`` (of every text when ``None``) over the corpus again."""
        sums = ("SELECT text, SUM(count), MAX(person), SUM(v_person), SUM(v_org), SUM(v_place), SUM(v_product), "
                "SUM(v_event) FROM surfaces")
        with self.write() as conn:
            if texts is None:
                conn.execute("DELETE FROM totals")
                conn.execute(f"INSERT INTO totals {sums} GROUP BY text")
                return
            items = list(texts)
            for start in range(0, len(items), 500):
                chunk = items[start:start + 500]
                marks = ",".join("?" * len(chunk))
                conn.execute(f"DELETE FROM totals WHERE text IN ({marks})", chunk)
                conn.execute(f"INSERT INTO totals {sums} WHERE text IN ({marks}) GROUP BY text", chunk)

    def surface_totals(self) -> list[tuple[str, int, tuple[float, ...], bool]]:
        """Per surface text, summed over the corpus: mentions, type votes, person-shaped (text order)."""
        return [(t, c, (a, b, e, d, f), bool(p)) for t, c, p, a, b, e, d, f in self.conn().execute(
            "SELECT text, count, person, v_person, v_org, v_place, v_product, v_event FROM totals ORDER BY text")]

    def surface_rows(self, texts: set[str] | None = None) -> list[tuple[str, str, int]]:
        """(doc_id, text, count) of the surfaces with these texts (all when ``None``)."""
        conn = self.conn()
        if texts is None:
            return conn.execute("SELECT doc_id, text, count FROM surfaces").fetchall()
        items = list(texts)
        out: list[tuple[str, str, int]] = []
        for start in range(0, len(items), 500):
            chunk = items[start:start + 500]
            out.extend(conn.execute(f"SELECT doc_id, text, count FROM surfaces WHERE text IN ({','.join('?' * len(chunk))})",
                                    chunk))
        return out

    def all_links(self) -> list[tuple[str, str, str]]:
        """Every stated link, sorted (the resolution must not depend on the order they were stored)."""
        return sorted(self.conn().execute("SELECT doc_id, a, b FROM links"))

    def doc_order(self) -> dict[str, int]:
        rows = self.conn().execute("SELECT doc_id FROM docs ORDER BY source, part, doc_id").fetchall()
        return {r[0]: n for n, r in enumerate(rows)}

    def resolved_state(self) -> tuple[dict[str, int], dict[tuple[str, str], int], set[str], set[str]]:
        """What the last resolution stored: member key -> entity id, (doc_id, key) -> entity id,
        misspelt keys, keys of groups without a mention of their own, keys that name an entity
        without being one of its members."""
        conn = self.conn()
        members, extras = {}, set()
        for k, e, m in conn.execute("SELECT key, entity_id, member FROM keymap"):
            if m:
                members[k] = e
            else:
                extras.add(k)
        local = {(d, k): e for d, k, e in conn.execute("SELECT doc_id, key, entity_id FROM localmap")}
        return (members, local, set(json.loads(self.meta("misspelt") or "[]")), set(json.loads(self.meta("idle") or "[]")),
                extras)

    def entities_named(self, keys: set[str]) -> dict[int, dict]:
        """id -> name, type, aliases, count of the entity rows whose name has one of these keys."""
        out: dict[int, dict] = {}
        items = list(keys)
        for start in range(0, len(items), 500):
            chunk = items[start:start + 500]
            out.update({i: {"name": n, "type": t, "aliases": json.loads(a), "count": c} for i, n, t, a, c in self.conn().execute(
                f"SELECT id, name, type, aliases, count FROM entities WHERE name_key IN ({','.join('?' * len(chunk))})", chunk)})
        return out

    def entity_ids(self) -> set[int]:
        return {i for (i,) in self.conn().execute("SELECT id FROM entities")}

    def write_resolved(self, entities: dict[int, dict], keymap: dict[str, int], members: set[str],
                       localmap: dict[tuple[str, str], int], misspelt: set[str], idle: set[str],
                       drop: set[int] | None = None) -> None:
        """Store a resolution: every row when ``drop`` is None, else delete the rows ``drop`` and
        write those of ``entities`` (the others stay), and the key maps where they differ."""
        with self.write() as conn:
            if drop is None:
                for table in ("entities", "keymap", "localmap"):
                    conn.execute(f"DELETE FROM {table}")
                old_keys: dict[str, tuple[int, int]] = {}
                old_local: dict[tuple[str, str], int] = {}
            else:
                conn.executemany("DELETE FROM entities WHERE id=?", [(i,) for i in drop])
                old_keys = {k: (e, m) for k, e, m in conn.execute("SELECT key, entity_id, member FROM keymap")}
                old_local = {(d, k): e for d, k, e in conn.execute("SELECT doc_id, key, entity_id FROM localmap")}
            conn.executemany(
                "INSERT OR REPLACE INTO entities VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(i, e["name"], e["type"], json.dumps(e["aliases"], ensure_ascii=False), e["count"],
                  json.dumps(e["docs"]), int(e["hidden"]), len(e["docs"]), e["key"]) for i, e in entities.items()],
            )
            new_keys = {k: (i, int(k in members)) for k, i in keymap.items()}
            conn.executemany("DELETE FROM keymap WHERE key=?", [(k,) for k in old_keys if k not in new_keys])
            conn.executemany("INSERT OR REPLACE INTO keymap VALUES (?, ?, ?)",
                             [(k, i, m) for k, (i, m) in new_keys.items() if old_keys.get(k) != (i, m)])
            conn.executemany("DELETE FROM localmap WHERE doc_id=? AND key=?", [dk for dk in old_local if dk not in localmap])
            conn.executemany("INSERT OR REPLACE INTO localmap VALUES (?, ?, ?)",
                             [(d, k, i) for (d, k), i in localmap.items() if old_local.get((d, k)) != i])
            self.set_meta(conn, "misspelt", json.dumps(sorted(misspelt), ensure_ascii=False))
            self.set_meta(conn, "idle", json.dumps(sorted(idle), ensure_ascii=False))
            self.set_meta(conn, "resolved_at", str(time.time()))


class CorrectionsDb(_Db):
    """The user's corrections, in the order made."""

    def __init__(self, data_dir: Path) -> None:
        super().__init__(Path(data_dir) / "entity-corrections.sqlite", _CORRECTION_TABLES)
        self.error = ""
        """Set when the file is damaged: what is wrong and where (one line). It is then never
        written, and entities are resolved without corrections."""
        self._problem = ""

    def _damaged(self, problem: str) -> sqlite3.Connection:
        self._problem = problem
        self.error = (f"{self.path}: damaged ({problem}); entity corrections are not applied and cannot be "
                      "made until it is repaired or moved away (dossier leaves it as it is)")
        raise self.unavailable()

    def unavailable(self) -> CorrectionsUnavailable:
        """The error for reading or changing corrections while the file is damaged."""
        return CorrectionsUnavailable(f"cannot use the entity corrections: {self.path} is damaged ({self._problem})")

    def check(self) -> str:
        """Open the file if there is one; what is wrong with it, or ``""``."""
        if not self.error and self.path.exists():
            try:
                self.conn()
            except CorrectionsUnavailable:
                pass
        return self.error

    def add(self, kind: str, name: str, arg: str = "") -> int:
        if self.error:
            raise self.unavailable()
        with self.write() as conn:
            cur = conn.execute("INSERT INTO corrections (kind, name, arg, made) VALUES (?, ?, ?, ?)",
                               (kind, name, arg, time.time()))
            return int(cur.lastrowid)

    def all(self) -> list[tuple[int, str, str, str, float]]:
        """Every correction, oldest first; none when the file is damaged (``error`` says so)."""
        if self.error or not self.path.exists():
            return []
        try:
            return list(self.conn().execute("SELECT id, kind, name, arg, made FROM corrections ORDER BY id"))
        except CorrectionsUnavailable:
            return []
        except sqlite3.DatabaseError as exc:
            if not is_damage(exc):
                raise
            try:
                self._damaged(str(exc))
            except CorrectionsUnavailable:
                return []

    def pop(self) -> tuple[int, str, str, str, float] | None:
        if self.error:
            raise self.unavailable()
        with self.write() as conn:
            row = conn.execute("SELECT id, kind, name, arg, made FROM corrections ORDER BY id DESC LIMIT 1").fetchone()
            if row:
                conn.execute("DELETE FROM corrections WHERE id=?", (row[0],))
            return row
