"""The SQLite file under the bookmark store: opening, health checks, schema migrations, and the
short transactions every change goes through.

- WAL mode and ``synchronous=FULL``: a change is on disk when ``COMMIT`` returns, so a process
  killed at any moment loses nothing it reported saved, and readers never block writers.
- Every change is one ``BEGIN IMMEDIATE`` transaction with a long busy timeout: writers from
  several processes queue instead of failing or deadlocking, and none is lost.
- A file that is not a healthy bookmark database (not SQLite, damaged, made by a newer dossier)
  is never written: it is checked over a read-only connection before anything opens it for
  writing (which could checkpoint a write-ahead log into it), then only read, and ``error``
  holds one line naming it. What can still be read of a damaged file is read (``salvage``).
- A connection per operation: safe from any thread and after a fork.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .errors import DossierError

SCHEMA_VERSION = 1
HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT = 30.0
"""Seconds a writer waits for another process's transaction before giving up."""


class BookmarkError(DossierError):
    """A bookmark operation the user asked for cannot be done."""


class UnknownBookmark(BookmarkError, LookupError):
    """No bookmark has this id (or the id prefix is ambiguous)."""


class QuoteNotFound(BookmarkError):
    """The text to bookmark does not occur in the document."""


class BookmarksUnavailable(BookmarkError):
    """The bookmark database cannot be written (damaged, newer schema, unwritable): read-only."""


class DamagedDatabase(BookmarksUnavailable):
    """The bookmark database file is damaged: what can be read is read row by row, nothing written."""


_MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE bookmarks (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        doc_id TEXT NOT NULL,
        source TEXT NOT NULL DEFAULT '',
        title TEXT NOT NULL DEFAULT '',
        quote TEXT NOT NULL,
        prefix TEXT NOT NULL DEFAULT '',
        suffix TEXT NOT NULL DEFAULT '',
        saved_start INTEGER NOT NULL,
        saved_end INTEGER NOT NULL,
        doc_hash TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',
        tags TEXT NOT NULL DEFAULT '[]',
        created TEXT NOT NULL,
        updated TEXT NOT NULL,
        cur_start INTEGER NOT NULL,
        cur_end INTEGER NOT NULL,
        cur_hash TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'anchored',
        deleted TEXT
    );
    CREATE INDEX bookmarks_doc ON bookmarks (doc_id);
    CREATE INDEX bookmarks_created ON bookmarks (created);
    """,
}


class BookmarkDatabase:
    """The bookmark SQLite file ``path`` (created with its folder on first use).

    Never raises on open: a file it must not write leaves it read-only with ``error`` set.
    """

    def __init__(self, path: Path, timeout: float = BUSY_TIMEOUT) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self.error: str | None = None
        """One line saying why bookmarks are read-only, or ``None`` when they are writable."""
        self.damaged = False
        """The file is damaged: its indexes cannot be trusted to find every row (a damaged index
        can answer a query with nothing, without an error), so reads go through ``salvage``."""
        try:
            self._open()
        except BookmarksUnavailable as exc:
            self.error = str(exc)
            self.damaged = isinstance(exc, DamagedDatabase)

    @property
    def read_only(self) -> bool:
        return self.error is not None

    # -- opening -------------------------------------------------------------------------------
    def _open(self) -> None:
        if self.path.exists():
            self._check_header()
            if self.path.stat().st_size > 0:
                self._check_health()
        else:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise BookmarksUnavailable(f"{self.path}: cannot create the bookmark folder ({exc.strerror or exc})") from None
        try:
            con = self._raw_connect()
        except sqlite3.Error as exc:
            raise self._unavailable(exc) from None
        try:
            self._migrate(con)
        except sqlite3.Error as exc:
            raise self._unavailable(exc) from None
        finally:
            con.close()

    def _check_health(self) -> None:
        """SQLite's quick check of the file, over a read-only connection."""
        try:
            con = self._raw_connect(read_only=True)
        except sqlite3.Error as exc:
            raise self._unavailable(exc) from None
        try:
            rows = con.execute("PRAGMA quick_check").fetchall()
        except sqlite3.Error as exc:
            raise self._unavailable(exc) from None
        finally:
            con.close()
        if rows != [("ok",)]:
            raise DamagedDatabase(f"{self.path}: bookmark database is damaged ({_problems(rows)}); "
                                  "bookmarks are read-only, the file is left as it is")

    def _check_header(self) -> None:
        try:
            with open(self.path, "rb") as f:
                head = f.read(len(HEADER))
        except OSError as exc:
            raise BookmarksUnavailable(f"{self.path}: cannot read the bookmark database ({exc.strerror or exc})") from None
        if head and head != HEADER:
            raise DamagedDatabase(f"{self.path}: not an SQLite database (damaged?); bookmarks are read-only, "
                                  "the file is left as it is")

    def _unavailable(self, exc: Exception) -> BookmarksUnavailable:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        damaged = isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError)
        return (DamagedDatabase if damaged else BookmarksUnavailable)(
            f"{self.path}: bookmark database cannot be used ({message}); "
            "bookmarks are read-only, the file is left as it is")

    def _migrate(self, con: sqlite3.Connection) -> None:
        version = con.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise BookmarksUnavailable(f"{self.path}: bookmarks were saved by a newer dossier (schema {version}, "
                                       f"this one knows {SCHEMA_VERSION}); read-only")
        if version == SCHEMA_VERSION:
            self._check_tables(con)
            return
        if con.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            self._retry(lambda: con.execute("PRAGMA journal_mode=WAL"))
        con.execute("BEGIN IMMEDIATE")
        try:
            version = con.execute("PRAGMA user_version").fetchone()[0]  # another process may have won
            if version == 0 and con.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                raise BookmarksUnavailable(f"{self.path}: an SQLite file that is not a dossier bookmark database; "
                                           "read-only, the file is left as it is")
            for target in range(version + 1, SCHEMA_VERSION + 1):
                for statement in _MIGRATIONS[target].split(";"):
                    if statement.strip():
                        con.execute(statement)
                con.execute(f"PRAGMA user_version = {target}")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    def _check_tables(self, con: sqlite3.Connection) -> None:
        names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "bookmarks" not in names:
            raise DamagedDatabase(f"{self.path}: bookmark database has no bookmarks table (damaged?); read-only")

    def _retry(self, fn: Callable[[], Any]) -> Any:
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                return fn()
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)

    def _raw_connect(self, read_only: bool = False) -> sqlite3.Connection:
        if read_only:
            con = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True,
                                  timeout=self.timeout, isolation_level=None)
        else:
            con = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
            con.execute("PRAGMA synchronous=FULL")
        return con

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection | None]:
        """A connection for reading; ``None`` when the file cannot be read at all."""
        try:
            con = self._raw_connect(read_only=self.read_only)
        except sqlite3.Error:
            yield None
            return
        try:
            yield con
        finally:
            con.close()

    def query(self, sql: str, args: tuple | list = (), strict: bool = False) -> list[tuple]:
        """Rows of a read-only query; none when the file cannot be read (``strict``: raise
        ``sqlite3.DatabaseError`` instead). Damage found only now makes the store read-only."""
        with self.read() as con:
            if con is None:
                if strict:
                    raise sqlite3.DatabaseError("cannot open the file")
                return []
            try:
                return con.execute(sql, args).fetchall()
            except sqlite3.DatabaseError as exc:
                if not isinstance(exc, sqlite3.OperationalError) and not self.error:
                    self.error = str(self._unavailable(exc))
                    self.damaged = True
                if strict:
                    raise
                return []

    def salvage(self, columns: str, chunk: int = 256) -> list[tuple]:
        """Every row of ``bookmarks`` that can still be read from a damaged file, in ``seq``
        order: ranges of rows first, then row by row inside a range that fails."""
        rows: list[tuple] = []
        with self.read() as con:
            if con is None:
                return rows
            # Damage can leave bytes that are not UTF-8 in a text column: read them with
            # replacement characters rather than lose the whole bookmark.
            con.text_factory = lambda raw: raw.decode("utf-8", "replace")
            try:
                top = con.execute("SELECT max(seq) FROM bookmarks").fetchone()[0] or 0
            except sqlite3.DatabaseError:
                try:
                    top = con.execute("SELECT seq FROM sqlite_sequence WHERE name = 'bookmarks'").fetchone()[0]
                except (sqlite3.DatabaseError, TypeError):
                    return rows
            top = min(int(top), 1_000_000)  # a garbage maximum must not make this endless
            sql = f"SELECT {columns} FROM bookmarks WHERE seq >= ? AND seq < ?"
            for low in range(0, top + 1, chunk):
                try:
                    rows += con.execute(sql, (low, low + chunk)).fetchall()
                    continue
                except sqlite3.DatabaseError:
                    pass
                for seq in range(low, low + chunk):
                    try:
                        rows += con.execute(sql, (seq, seq + 1)).fetchall()
                    except sqlite3.DatabaseError:
                        continue
        return rows

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One short write transaction, taken with BEGIN IMMEDIATE so writers queue, never deadlock."""
        if self.error:
            raise BookmarksUnavailable(self.error)
        try:
            con = self._raw_connect()
        except sqlite3.Error as exc:
            raise self._fail(exc) from None
        try:
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            raise self._fail(exc) from None
        finally:
            con.close()

    def _fail(self, exc: sqlite3.Error) -> BookmarksUnavailable:
        text = str(exc)
        if isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text):
            return BookmarksUnavailable(f"{self.path}: bookmark database stayed locked by another process "
                                        f"for {self.timeout:g} s; nothing was changed")
        err = self._unavailable(exc)
        if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
            self.error = str(err)  # damaged under us: stop writing to it
            self.damaged = True
        return err


def _problems(rows: list[tuple]) -> str:
    """SQLite's integrity report (rows of lines, under a "*** in database main ***" heading) as
    one line: its first problem, and how many more there are."""
    lines = [line.strip() for row in rows for line in str(row[0] if row else "").splitlines()
             if line.strip() and not line.startswith("*** ")]
    if not lines:
        return "sqlite's check gave no answer"
    more = len(lines) - 1
    return lines[0] + (f"; {more} more problem{'s' * (more != 1)}" if more else "")
