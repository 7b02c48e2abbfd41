"""Library: the one facade over a corpus that the CLI and the TUI both call.

It owns the configuration, the on-disk index (``Store``), the search engine, the entity engine and
the bookmark store. Every method is safe to call from a worker thread; none touches a UI.
"""

from __future__ import annotations

import dataclasses
import pickle
import sqlite3
import struct
import threading
import time
import zlib
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from . import paths
from .config import Config, load_config
from .damage import is_damage
from .errors import CorpusError, IndexDamaged, UnknownDocument
from .ingest import discover
from .models import DocSummary, Document, Hit, IndexProgress, IndexReport, SearchResult, Span
from .store import Store

_READ_DAMAGE = (zlib.error, struct.error, EOFError, pickle.UnpicklingError)
"""What Whoosh raises when a file it reads holds garbage."""


class Library:
    """A corpus, its index and everything dossier knows about it."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.corpus: Path = config.corpus
        self.index_path = paths.index_dir(config.corpus, config.index_dir)
        self.data_path = paths.data_dir(config.corpus, config.data_dir)
        self.state_path = paths.state_dir(config.corpus, config.state_dir)
        self.store = Store(self.index_path)
        self._lock = threading.RLock()
        self._searcher = None
        self._parser = None
        self._ix_name: str | None = None
        self._entities = None
        self._bookmarks = None
        self._reported: set[str] = set()

    @classmethod
    def open(cls, config_path: Path | None = None, corpus: Path | None = None) -> "Library":
        """Load config (``./config.yaml`` when present) and open the library on its corpus."""
        return cls(load_config(config_path, corpus))

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None

    def _check_corpus(self) -> None:
        if not self.corpus.is_dir():
            what = "is a file, not a folder" if self.corpus.exists() else "folder not found"
            raise CorpusError(f"{self.corpus}: corpus {what}")

    # -- index -------------------------------------------------------------------------------
    def update(
        self,
        progress: Callable[[IndexProgress], None] | None = None,
        rebuild: bool = False,
        cancelled: Callable[[], bool] | None = None,
    ) -> IndexReport:
        """Bring the index up to date with the corpus (only added/changed/deleted files are read).

        A missing, damaged, half-written or outdated index is rebuilt; ``IndexReport.rebuilt`` says why.
        """
        self._check_corpus()
        notices = self._new_notices()
        report = self.store.update(self.corpus, progress, rebuild, cancelled, self._sync_entities)
        with self._lock:
            self.close()
        notices += [n for n in self._new_notices() if n not in notices]
        self._reported.update(notices)
        return dataclasses.replace(report, notices=tuple(notices)) if notices else report

    def _new_notices(self) -> list[str]:
        """Problems with the entity files not yet reported (a damaged cache rebuilt, damaged
        corrections left alone): each is reported once, by the next update's report."""
        engine = self.entities
        if engine is None:
            return []
        return [n for n in engine.problems() if n not in self._reported]

    @contextmanager
    def _reading(self):
        """Reads of the index: damage found while reading marks the index for a rebuild and
        becomes ``IndexDamaged`` (one line) instead of a traceback."""
        try:
            yield
        except sqlite3.DatabaseError as exc:
            if not is_damage(exc):
                raise
            self._damaged(f"catalog.sqlite: {exc}")
        except _READ_DAMAGE as exc:
            self._damaged(f"{self.store.meta('whoosh_dir') or 'whoosh'}: {type(exc).__name__}: {exc}")

    def _damaged(self, what: str):
        self.store.mark_damaged(what)
        with self._lock:
            self.close()
        raise IndexDamaged(f"the index is damaged ({what}): it is rebuilt by the next update") from None

    def is_stale(self, deep: bool = True) -> bool:
        """Cheap check: does the corpus differ from what the index holds (or is there no index)?

        ``deep=False`` trusts the catalog's own record of the full-text index (version, a finished
        update, its folder) without opening it: for commands that never search (entities, show,
        bookmarks), which then start without importing whoosh. Searching checks it deeply.
        """
        self._check_corpus()
        if self.store.health(deep) or self._new_notices():
            return True
        return self.store.stale_files(discover(self.corpus))

    def ensure_index(self, progress: Callable[[IndexProgress], None] | None = None) -> IndexReport | None:
        """Update the index if the corpus changed; ``None`` when it was already current."""
        return self.update(progress) if self.is_stale() else None

    # -- documents ---------------------------------------------------------------------------
    def document(self, doc_id: str) -> Document:
        """The document with this id; raises ``UnknownDocument``."""
        with self._reading():
            doc = self.store.document(doc_id)
        if doc is None:
            raise UnknownDocument(f"no document with id {doc_id!r} (ids are listed by `dossier search`)")
        return doc

    def browse(self) -> list[DocSummary]:
        """Every document, newest first, then by title; none when the catalog is damaged (it is
        then marked, and the next update rebuilds it)."""
        try:
            with self._reading():
                return self.store.summaries()
        except IndexDamaged:
            return []

    def count(self) -> int:
        with self._reading():
            return self.store.count()

    # -- search ------------------------------------------------------------------------------
    def _current_searcher(self):
        from .ranking import quick_lengths
        from .search import make_parser

        name = self.store.meta("whoosh_dir")
        if self._searcher is not None and (name != self._ix_name or not self._searcher.up_to_date()):
            self._searcher.close()
            self._searcher = None
        for _ in range(5):
            if self._searcher is not None or not name:
                break  # open, or no index built yet: nothing to wait for
            ix = self.store.open_index(name)
            if ix is not None:
                try:
                    self._searcher, self._ix_name = ix.searcher(), name
                    quick_lengths(self._searcher)
                    self._parser = make_parser(ix.schema)
                    break
                except Exception:  # noqa: BLE001 - a rebuild swapped the index under us
                    pass
            time.sleep(0.05)  # a writer is between steps: read where the index is now
            name = self.store.meta("whoosh_dir")
        return self._searcher

    def search(self, query: str, limit: int | None = None, ids: set[str] | None = None) -> SearchResult:
        """Ranked hits for ``query`` (never raises on bad syntax); ``ids`` restricts to those docs.

        ``entity:"Name"`` (or ``entity:Name``) keeps documents that mention that entity under any alias.
        Raises ``IndexDamaged`` when it finds the index damaged.
        """
        with self._reading():
            return self._search(query, limit, ids)

    def _search(self, query: str, limit: int | None, ids: set[str] | None) -> SearchResult:
        from whoosh import query as wq

        from .ranking import top_hits
        from .search import looks_broken, make_snippet, match_plan, parse, split_entity_filters, words_query

        limit = limit or self.config.search_limit
        text, names = split_entity_filters(query)
        allowed = set(ids) if ids is not None else None
        for name in names:
            found = self.entities.doc_ids(name) if self.entities is not None else set()
            allowed = found if allowed is None else allowed & found
        if allowed is not None and not allowed:
            return SearchResult(query, 0, ())
        with self._lock:
            searcher = self._current_searcher()
            if searcher is None:
                return SearchResult(query, 0, ())
            if text.strip():
                q, fallback = parse(self._parser, text)
            else:
                q, fallback = wq.Every(), False
            filt = wq.Or([wq.Term("id", i) for i in allowed]) if allowed is not None else None
            ranked, total = top_hits(searcher, q, limit, filt)
            if not total and not fallback and looks_broken(text):
                # Misread syntax ("date:[2025 TO nvidia") finds nothing: try the plain words.
                words = words_query(self._parser, text)
                retry, retry_total = top_hits(searcher, words, limit, filt)
                if retry_total:
                    q, ranked, total, fallback = words, retry, retry_total, True
            plan = match_plan(q, searcher.reader())
        docs = self.store.documents(i for i, _ in ranked)
        hits = []
        for doc_id, score in ranked:
            doc = docs.get(doc_id)
            if doc is None:  # removed by a concurrent update
                continue
            spans = plan.spans(doc.body)
            hits.append(Hit(
                id=doc.id, source=doc.source, title=doc.title, score=float(score or 0.0),
                snippet=make_snippet(doc.body, spans, self.config.snippet_chars), matches=spans,
                publisher=doc.publisher, date=doc.date,
            ))
        return SearchResult(query, total, tuple(hits), fallback)

    def matches(self, doc_id: str, query: str) -> tuple[Span, ...]:
        """The spans of ``query`` in the body of ``doc_id`` (same spans a search hit would carry)."""
        with self._reading():
            return self._matches(doc_id, query)

    def _matches(self, doc_id: str, query: str) -> tuple[Span, ...]:
        from .search import match_plan, parse, split_entity_filters

        doc = self.document(doc_id)
        text, _ = split_entity_filters(query)
        if not text.strip():
            return ()
        with self._lock:
            searcher = self._current_searcher()
            if searcher is None:
                return ()
            q, _ = parse(self._parser, text)
            plan = match_plan(q, searcher.reader())
        return plan.spans(doc.body)

    # -- entities and bookmarks ----------------------------------------------------------------
    @property
    def entities(self):
        """The entity engine (``index.entities.EntityIndex``), or ``None`` before it exists."""
        if self._entities is None:
            try:
                from .entities import EntityIndex
            except ImportError:
                return None
            self._entities = EntityIndex(self.index_path, self.data_path, self.config.entities)
        return self._entities

    @property
    def bookmarks(self):
        """The bookmark store (``index.bookmarks.BookmarkStore``) of this corpus, opened on first use."""
        with self._lock:
            if self._bookmarks is None:
                from .bookmarks import BookmarkStore, store_path

                self._bookmarks = BookmarkStore(store_path(self.config))
            return self._bookmarks

    def _sync_entities(self, changed: list[str], removed: list[str], rebuilt: bool) -> None:
        engine = self.entities
        if engine is None:
            return
        if rebuilt:
            engine.clear()
        store = self.store
        engine.sync((d for i in changed if (d := store.document(i)) is not None), removed)
