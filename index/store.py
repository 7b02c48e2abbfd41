"""The on-disk index of one corpus: a Whoosh index for search plus an SQLite catalog.

The catalog holds each document (metadata and body, which ``show`` and the reader need) and each
file's size, mtime and hash, so an update reads only added and changed files. Whoosh holds only what
search needs. A write lock (``flock``) lets one process write while any number read; SQLite's WAL
and Whoosh's segment files both let readers go on during a write. Every build writes Whoosh into a
fresh folder named in the catalog, so a rebuild never pulls the floor from under a reader.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .catalog import CATALOG_SQL, CatalogRows, document_of
from .damage import header_problem, is_damage, remove_sqlite
from .ingest import SourceFile, discover
from .version import SCHEMA_VERSION
from .models import DocSummary, Document, IndexProgress, IndexReport

BULK = 200
"""Above this many files to read, the writer uses two processes (a full build, mostly)."""

CATALOG = "catalog.sqlite"
DAMAGED_MARK = "damaged"
"""A file in the index folder holding why the index must be rebuilt: written when a read finds
damage that the checks before every command cannot see (a page in the middle of a file)."""
UPDATING = "updating"
"""A file in the index folder while the full-text index is ahead of the catalog (between the two
commits of an update): found by anyone but the writer, the update did not finish."""



class Store:
    """One corpus's index directory. Thread-safe: each thread gets its own SQLite connection."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._write = threading.Lock()
        self._generation = 0
        """Bumped when a damaged catalog is replaced: every thread then opens the new file."""

    # -- catalog -------------------------------------------------------------------------------
    def db(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is not None and self._local.generation != self._generation:
            conn.close()
            conn = self._local.conn = None
        if conn is None:
            self.path.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path / CATALOG, timeout=30, isolation_level=None)
            try:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.executescript(CATALOG_SQL)
            except BaseException:
                conn.close()
                raise
            self._local.conn, self._local.generation = conn, self._generation
        return conn

    def _close_db(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def meta(self, key: str) -> str | None:
        row = self.db().execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def document(self, doc_id: str) -> Document | None:
        row = self.db().execute(
            "SELECT id, source, title, body, publisher, date, authors, url, part FROM documents WHERE id = ?",
            (doc_id,),
        ).fetchone()
        return document_of(row) if row else None

    def documents(self, ids: Iterable[str]) -> dict[str, Document]:
        ids = list(ids)
        out: dict[str, Document] = {}
        for n in range(0, len(ids), 500):
            chunk = ids[n : n + 500]
            rows = self.db().execute(
                "SELECT id, source, title, body, publisher, date, authors, url, part FROM documents "
                f"WHERE id IN ({','.join('?' * len(chunk))})", chunk,
            )
            out.update((r[0], document_of(r)) for r in rows)
        return out

    def iter_documents(self) -> Iterator[Document]:
        """Every document, in source order (a fresh cursor, so safe while others read)."""
        rows = self.db().execute(
            "SELECT id, source, title, body, publisher, date, authors, url, part FROM documents ORDER BY source, part"
        )
        for row in rows:
            yield document_of(row)

    def summaries(self) -> list[DocSummary]:
        rows = self.db().execute(
            "SELECT id, source, title, publisher, date FROM documents "
            "ORDER BY date IS NULL, date DESC, title COLLATE NOCASE, source, part"
        )
        return [DocSummary(*row) for row in rows]

    def count(self) -> int:
        return self.db().execute("SELECT count(*) FROM documents").fetchone()[0]

    # -- whoosh --------------------------------------------------------------------------------
    def open_index(self, name: str | None = None):
        """The current Whoosh index (or the one in folder ``name``), ``None`` when none opens."""
        name = name or self.meta("whoosh_dir")
        if not name or not (self.path / name).is_dir():
            return None
        from .whoosh_files import open_mapped  # whoosh, only for commands that read the index

        try:
            return open_mapped(str(self.path / name))
        except Exception:  # noqa: BLE001 - any failure to open means: rebuild
            return None

    # -- damage ------------------------------------------------------------------------------
    def _catalog_damage(self, thorough: bool = False) -> str:
        """What is wrong with the catalog file, or ``""``. ``thorough`` reads every page (before
        a rebuild, which must not write into a damaged file); else only the header and one table."""
        problem = header_problem(self.path / CATALOG)
        if problem:
            return problem
        try:
            if thorough:
                rows = self.db().execute("PRAGMA quick_check").fetchall()
                if rows != [("ok",)]:
                    return str(rows[0][0]) if rows else "damaged"
            else:
                self.db().execute("SELECT key, value FROM meta").fetchall()
        except sqlite3.DatabaseError as exc:
            if not is_damage(exc):
                raise
            self._close_db()
            return str(exc)
        return ""

    def mark_damaged(self, reason: str) -> None:
        """Record that the index must be rebuilt (``reason``: what was found, one line)."""
        self.path.mkdir(parents=True, exist_ok=True)
        self._mark(DAMAGED_MARK, reason.replace("\n", " ")[:300])

    def _marked(self) -> str:
        try:
            return (self.path / DAMAGED_MARK).read_text(encoding="utf-8", errors="replace").strip() or "damaged"
        except FileNotFoundError:
            return ""
        except OSError as exc:
            return f"{DAMAGED_MARK}: {exc.strerror or exc}"

    def _whoosh_files(self, name: str) -> dict[str, list[int]]:
        """Size and mtime of every file of the Whoosh folder ``name`` (lock files aside)."""
        out = {}
        with os.scandir(self.path / name) as entries:
            for e in entries:
                if e.is_file() and not e.name.endswith("LOCK"):
                    st = e.stat()
                    out[e.name] = [st.st_size, st.st_mtime_ns]
        return out

    def _whoosh_damage(self, name: str) -> str:
        """Which file of the Whoosh folder differs from what the last update wrote, or ``""``.

        Whoosh never rewrites a file once an update is committed (a change writes new segments
        and a new table of contents), so a file changed, cut or gone since then is damage.
        """
        recorded = self.meta("whoosh_files")
        if recorded is None:
            return "no record of its files"
        folder = self.path / name
        for fname, (size, mtime_ns) in json.loads(recorded).items():
            try:
                st = os.stat(folder / fname)
            except FileNotFoundError:
                return f"{name}/{fname} is missing"
            if st.st_size != size:
                return f"{name}/{fname} changed size"
            if st.st_mtime_ns != mtime_ns:
                return f"{name}/{fname} was modified"
        return ""

    def health(self, deep: bool = True) -> str:
        """Empty when the index is sound; else why it must be rebuilt (one line).

        ``deep=False`` checks only what the catalog records (version, a finished update, the
        Whoosh folder's files) and never opens the Whoosh index.
        """
        damage = self._marked()
        if not damage:
            problem = self._catalog_damage()
            damage = f"{CATALOG}: {problem}" if problem else ""
        if damage:
            return f"the index was damaged ({damage}): rebuilt the index"
        version = self.meta("schema_version")
        if version is None:
            return "no index yet"
        if version != str(SCHEMA_VERSION):
            return f"index format changed (version {version}, now {SCHEMA_VERSION}): rebuilt the index"
        if self.meta("complete") != "1" or (self.path / UPDATING).exists():
            return "the last index update did not finish: rebuilt the index"
        name = self.meta("whoosh_dir")
        if not name or not any((self.path / name).glob("_MAIN_*.toc")):
            return "the index was damaged: rebuilt the index"
        problem = self._whoosh_damage(name)
        if problem:
            return f"the index was damaged ({problem}): rebuilt the index"
        if not deep:
            return ""
        ix = self.open_index()
        if ix is None:
            return "the index was damaged: rebuilt the index"
        try:
            if ix.doc_count() != self.count():
                return "the index did not match its catalog: rebuilt the index"
        except Exception:  # noqa: BLE001
            return "the index was damaged: rebuilt the index"
        finally:
            ix.close()
        return ""

    # -- updating ------------------------------------------------------------------------------
    @contextmanager
    def write_lock(self):
        """Held while writing; a second writer (thread or process) waits for the first."""
        self.path.mkdir(parents=True, exist_ok=True)
        with self._write, open(self.path / "write.lock", "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def stale_files(self, files: list[SourceFile]) -> bool:
        """Whether ``files`` (size and mtime) differ from what the catalog recorded."""
        known = {p: (s, m) for p, s, m in self.db().execute("SELECT path, size, mtime_ns FROM files")}
        if len(known) != len(files):
            return True
        return any(known.get(f.path) != (f.size, f.mtime_ns) for f in files)

    def update(
        self,
        corpus: Path,
        progress: Callable[[IndexProgress], None] | None = None,
        rebuild: bool = False,
        cancelled: Callable[[], bool] | None = None,
        on_changed: Callable[[list[str], list[str], bool], None] | None = None,
    ) -> IndexReport:
        """Bring the index up to date with ``corpus``; see ``Library.update``."""
        started = time.perf_counter()
        with self.write_lock():
            reason = self.health()
            if reason == "no index yet":
                reason, rebuild = "", True
            elif reason:
                rebuild = True
            elif rebuild:
                reason = ""
            if rebuild:
                # A rebuild writes into the catalog: one damaged anywhere is replaced first.
                problem = self._catalog_damage(thorough=True)
                if problem:
                    self._close_db()
                    self._generation += 1
                    remove_sqlite(self.path / CATALOG)
                    reason = reason or f"the index was damaged ({CATALOG}: {problem}): rebuilt the index"
            report = self._update(corpus, progress, rebuild, cancelled, on_changed)
        return IndexReport(**{**report.__dict__, "rebuilt": reason, "seconds": time.perf_counter() - started})

    def _update(self, corpus, progress, rebuild, cancelled, on_changed) -> IndexReport:  # noqa: C901
        """The update itself, under the write lock.

        Memory stays bounded whatever the size of a file: documents are read one at a time (a big
        file streams in parts), their catalog rows go into one open transaction in batches (SQLite
        spills them to its write-ahead log; readers see none of them until ``COMMIT``), and the
        Whoosh writer writes a segment whenever its postings outgrow ``fastwriter.SEGMENT_BUDGET``.
        """
        # The writing side of whoosh, imported only when the index is written.
        from whoosh import index as whoosh_index

        from . import bulk, incremental
        from .analysis import make_schema
        from .fastwriter import FastWriter

        db = self.db()
        files = discover(corpus)
        id_paths = self._id_paths()  # (kept through a rebuild: moved files keep their ids)
        known = {} if rebuild else {
            p: (s, m, h, sk) for p, s, m, h, sk in db.execute("SELECT path, size, mtime_ns, sha1, skipped FROM files")
        }
        old_docs: dict[str, list[str]] = {}
        if not rebuild:
            for doc, source in db.execute("SELECT id, source FROM documents ORDER BY source, part"):
                old_docs.setdefault(source, []).append(doc)
        present = {f.path for f in files}
        gone = [p for p in known if p not in present]
        todo = [f for f in files if f.path not in known or known[f.path][:2] != (f.size, f.mtime_ns)]

        previous = self.meta("whoosh_dir")
        if rebuild:
            ix_name = f"whoosh-{time.time_ns()}"
            (self.path / ix_name).mkdir(parents=True)
            ix = whoosh_index.create_in(str(self.path / ix_name), make_schema())
        else:
            ix_name = self.meta("whoosh_dir")
            ix = self.open_index()
        many = len(todo) > BULK
        tally = incremental.Tally()
        rows = CatalogRows(db)

        db.execute("BEGIN IMMEDIATE")  # everything below is invisible to readers until COMMIT
        try:
            if rebuild:
                db.execute("DROP TABLE IF EXISTS files")  # (a table of an older layout goes too)
                db.execute("DROP TABLE IF EXISTS documents")
                for statement in CATALOG_SQL.split(";"):
                    if statement.strip():
                        db.execute(statement)
            if rebuild and many:
                # A full build: two processes each read and index half of the files (index/bulk.py);
                # each file's rows come back as it is read and go straight into the transaction.
                def file_done(r: bulk.FileResult) -> None:
                    rows.file((r.path, r.size, r.mtime_ns, r.digest, r.skipped, id_paths.get(r.path, r.path)))
                    if r.skipped:
                        tally.skipped.append((r.path, r.skipped))
                    tally.warnings.extend((r.path, w) for w in r.warnings)

                def docs_done(batch: list[tuple]) -> None:
                    for row in batch:
                        rows.document(row)
                        tally.changed_ids.append(row[0])
                    tally.added += len(batch)

                built = bulk.build(str(self.path / ix_name), corpus, todo, 2, progress, cancelled,
                                   id_paths=id_paths, on_file=file_done, on_rows=docs_done)
                tally.skipped.sort()
                if progress:
                    progress(IndexProgress(len(todo), len(todo), ""))
                commit_index = built.commit
            else:
                # compound=False: a searcher maps the segment files instead of copying one compound
                # file into memory (at 10k documents: opening 76 -> 7 ms, a reader ~200 -> ~30 MB).
                if many:
                    writer = ix.writer(procs=2, multisegment=True, limitmb=256, compound=False)
                else:
                    writer = FastWriter(ix, limitmb=128, compound=False)
                try:
                    incremental.update_files(writer, corpus, todo, known, gone, old_docs, id_paths, rows,
                                             self._row, tally, progress, cancelled)
                except BaseException:
                    writer.cancel()
                    raise

                def commit_index():
                    writer.commit(optimize=False) if not many else writer.commit()
            for source in gone:
                db.execute("DELETE FROM files WHERE path = ?", (source,))
            rows.flush()
            db.executemany("DELETE FROM documents WHERE id = ?", [(i,) for i in tally.removed_ids])
            # From here to COMMIT the full-text index is ahead of the catalog: a crash in between
            # leaves the mark, and the next command rebuilds.
            self._mark(UPDATING)
            commit_index()
            files_now = json.dumps(self._whoosh_files(ix_name))
            for key, value in (("schema_version", str(SCHEMA_VERSION)), ("whoosh_dir", ix_name),
                               ("whoosh_files", files_now), ("complete", "1")):
                db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))
            db.execute("COMMIT")
            self._unmark(UPDATING)
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        finally:
            ix.close()
        if rebuild:
            self._remove_old_indexes(keep={ix_name, previous})
            self._unmark(DAMAGED_MARK)
        if on_changed and (tally.changed_ids or tally.removed_ids or rebuild):
            on_changed(tally.changed_ids, tally.removed_ids, rebuild)
        total = self.count()
        t = tally
        return IndexReport(
            added=t.added, updated=t.updated, removed=t.removed, unchanged=total - t.added - t.updated - t.moved,
            skipped=tuple(t.skipped), documents=total, moved=t.moved, warnings=tuple(t.warnings),
        )

    def _id_paths(self) -> dict[str, str]:
        """path -> the path its documents' ids are made from, where the two differ (moved files)."""
        try:
            return {p: i for p, i in self.db().execute("SELECT path, ids FROM files WHERE ids != path AND ids != ''")}
        except sqlite3.OperationalError:  # a catalog of an older layout (no ids column): rebuilt
            return {}

    def _row(self, doc_id: str) -> tuple | None:
        row = self.db().execute(
            "SELECT id, source, part, title, publisher, date, authors, url, body FROM documents WHERE id = ?", (doc_id,),
        ).fetchone()
        return tuple(row) if row else None

    def _mark(self, name: str, text: str = "") -> None:
        """Write the file ``name`` in the index folder, on disk before this returns."""
        tmp = self.path / f"{name}.{os.getpid()}.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path / name)

    def _unmark(self, name: str) -> None:
        try:
            (self.path / name).unlink()
        except FileNotFoundError:
            pass

    def _remove_old_indexes(self, keep: set) -> None:
        """Drop index folders older than the one before this build: a reader that opened the
        previous one a moment ago can still finish with it."""
        for path in self.path.glob("whoosh-*"):
            if path.name not in keep:
                shutil.rmtree(path, ignore_errors=True)


class _Cancelled(Exception):
    pass


Cancelled = _Cancelled
