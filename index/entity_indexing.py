"""How the entity engine keeps up with the corpus: extraction of added and changed documents
(in worker processes for big batches), the extraction cache in SQLite, the user's own entities
from config.yaml, and resolution after each sync (incremental for small ones, see ``entity_build``).

The extractor and its word knowledge are imported only when a document is extracted: listing
entities from the stored table never loads them.
"""

from __future__ import annotations

import json
import os
import re
import zlib
from collections.abc import Iterable
from functools import lru_cache

from .entity_settings import TYPES
from .models import Document

PARALLEL_FROM = 2000
"""A sync of this many documents or more is extracted by a process pool..."""
PARALLEL_CHARS = 4_000_000
"""...and so is one of this many characters or more (a few huge files: one 1 MB part of a 50 MB
file takes ~2-4 s to extract, and the pool spawns in ~1 s)."""
CHUNK_DOCS, CHUNK_CHARS = 100, 1_000_000
"""What a worker is given at a time: small, so the workers finish together."""
INCREMENTAL_UP_TO = 500
"""A sync of at most this many changed or removed documents re-resolves only the entities they touch."""

_TYPE_AT = {t: i for i, t in enumerate(TYPES)}


def prepare(body: str, stoplist: frozenset[str], added: tuple = ()) -> tuple[bytes, str, list[tuple], list[tuple]]:
    """Everything stored about one document: its compressed body, its mentions as JSON, one row
    per surface text (text, mentions, person-shaped, votes in TYPES order) and its stated links.
    ``added``: the user's entities as (name, type, (aliases...)). Runs in worker processes too,
    so it returns plain data, not the extractor's objects."""
    from .entity_extract import extract

    ex = _with_user_entities(body, extract(body, stoplist), added)
    agg: dict[str, list] = {}
    for m in ex.mentions:
        a = agg.get(m.text)
        if a is None:
            a = agg[m.text] = [m.text, 0, 0, 0.0, 0.0, 0.0, 0.0, 0.0]
        a[1] += 1
        if m.person_shape:
            a[2] = 1
        for t, w in m.votes.items():
            a[3 + _TYPE_AT[t]] += w
    mentions = json.dumps([[m.start, m.end, m.text] for m in ex.mentions], ensure_ascii=False)
    return zlib.compress(body.encode("utf-8"), 1), mentions, [tuple(a) for a in agg.values()], ex.links


def _prepare_chunk(args: tuple[list[str], frozenset[str], tuple]) -> list[tuple]:
    """Worker-process entry point: ``prepare`` a chunk of bodies."""
    bodies, stoplist, added = args
    return [prepare(body, stoplist, added) for body in bodies]


@lru_cache(maxsize=8)
def _user_matcher(added: tuple):
    """The pattern finding the user's entities' names and aliases, and name -> (entity, type)."""
    names: dict[str, tuple[str, str]] = {}
    for name, etype, aliases in added:
        for form in [name, *aliases]:
            names[form] = (name, etype)
    if not names:
        return None, names
    alts = sorted(names, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(a) for a in alts) + r")(?!\w)"), names


def _with_user_entities(body: str, ex, added: tuple):
    """Add the mentions of the entities config.yaml names (they win over overlapping ones)."""
    if not added:
        return ex
    pattern, names = _user_matcher(added)
    if pattern is None:
        return ex
    from .entity_extract import Extraction, RawMention

    found = []
    for m in pattern.finditer(body):
        name, etype = names[m.group()]
        rm = RawMention(m.start(), m.end(), m.group())
        rm.votes[etype] += 100
        found.append(rm)
    if not found:
        return ex
    taken = [(m.start, m.end) for m in found]
    keep = [m for m in ex.mentions if not any(s < m.end and m.start < e for s, e in taken)]
    mentions = sorted(keep + found, key=lambda m: m.start)
    links = list(ex.links)
    for m in found:
        name = names[m.text][0]
        if m.text != name:
            links.append((name, m.text))
    return Extraction(mentions, links)


class Indexing:
    """The indexing half of ``EntityIndex`` (its queries and corrections are in ``entities``)."""

    # -- indexing ---------------------------------------------------------------------------
    def clear(self) -> None:
        """Forget every document (before a full rebuild). Corrections are kept."""
        with self._sync_lock:
            self.db.clear()
            with self.db.write() as conn:
                conn.execute("DELETE FROM meta WHERE key IN ('resolved_at', 'misspelt', 'idle')")
                self.db.set_meta(conn, "fingerprint", self.fingerprint)
            self._checked = True

    def sync(self, changed: Iterable[Document], removed_ids: Iterable[str]) -> None:
        """Extract the added or changed documents, forget the removed ones, resolve again.

        Thousands of documents at once (a full build) are extracted by a pool of processes, one
        per core; a few are extracted here."""
        with self._sync_lock:
            self._ensure_current()
            removed = list(removed_ids)
            changed = list(changed)
            ids = [d.id for d in changed] + removed
            small = len(ids) <= INCREMENTAL_UP_TO and self.db.meta("resolved_at") is not None
            before = self.db.surfaces_of_docs(ids) if small else None
            with self.db.write() as conn:  # until resolved again: a sync cut short is redone whole
                conn.execute("DELETE FROM meta WHERE key='resolved_at'")
            self._extract_all(changed)
            if removed:
                with self.db.write() as conn:
                    self.db.remove_docs(conn, removed)
            touched = None
            if before is not None:  # the texts whose counts or votes changed in some document
                touched = {row[1] for row in before ^ self.db.surfaces_of_docs([d.id for d in changed])}
            self.db.refresh_totals(touched)
            self._resolve(touched)

    @property
    def _added(self) -> tuple:
        return tuple((name, etype, tuple(aliases)) for name, etype, aliases in self.added)

    def _store(self, docs: list[Document], prepared: list[tuple] | None = None, fresh: bool = False) -> None:
        """Store documents and what ``prepare`` made of them (extracted here when not given).
        ``fresh``: none of them is stored yet (no old rows to remove)."""
        if prepared is None:
            prepared = [prepare(d.body, self.stoplist, self._added) for d in docs]
        with self.db.write() as conn:
            if not fresh:
                self.db.remove_docs(conn, [d.id for d in docs])
            conn.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?)",
                             [(d.id, d.source, d.part, d.title, p[0], p[1]) for d, p in zip(docs, prepared)])
            conn.executemany("INSERT INTO surfaces VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             [(d.id, *row) for d, p in zip(docs, prepared) for row in p[2]])
            conn.executemany("INSERT INTO links VALUES (?, ?, ?)",
                             [(d.id, a, b) for d, p in zip(docs, prepared) for a, b in p[3]])

    def _store_parallel(self, docs: list[Document], fresh: bool) -> None:
        """Extract ``docs`` in worker processes (spawned: safe beside the browser's threads)."""
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        workers = min(os.cpu_count() or 1, 4)
        chunks: list[list[Document]] = [[]]
        size = 0
        for d in docs:
            if len(chunks[-1]) == CHUNK_DOCS or (chunks[-1] and size + len(d.body) > CHUNK_CHARS):
                chunks.append([])
                size = 0
            chunks[-1].append(d)
            size += len(d.body)
        done = 0
        try:
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
                results = pool.map(_prepare_chunk, [([d.body for d in c], self.stoplist, self._added) for c in chunks])
                for chunk, prepared in zip(chunks, results):
                    self._store(chunk, prepared, fresh)
                    done += 1
        except (OSError, RuntimeError, ImportError):  # no processes here (sandbox, frozen app): do it inline
            rest = [d for c in chunks[done:] for d in c]
            for start in range(0, len(rest), 500):
                self._store(rest[start:start + 500], fresh=fresh)

    def _ensure_current(self) -> None:
        """Re-extract every stored document when the settings or the extractor changed; fill an
        empty cache from the corpus's document store (an index built before the entity engine, or
        by an older dossier)."""
        if self._checked:
            return
        with self._sync_lock:
            if self._checked:
                return
            self._ensure_current_locked()

    def _ensure_current_locked(self) -> None:
        docs: list[Document] | None = None
        if self.db.conn().execute("SELECT COUNT(*) FROM docs").fetchone()[0] == 0:
            if (self.db.path.parent / "catalog.sqlite").exists():
                from .store import Store

                docs = list(Store(self.db.path.parent).iter_documents()) or None
        elif self.db.meta("fingerprint") != self.fingerprint:
            docs = [Document(id=i, source=src, title=title, body=zlib.decompress(body).decode("utf-8"), part=part)
                    for i, src, part, title, body in
                    self.db.conn().execute("SELECT doc_id, source, part, title, body FROM docs")]
        self._checked = True
        with self.db.write() as conn:
            self.db.set_meta(conn, "fingerprint", self.fingerprint)
        if docs:
            self._extract_all(docs)
            self.db.refresh_totals()
            self._resolve()

    def _extract_all(self, docs: list[Document]) -> None:
        fresh = self.db.conn().execute("SELECT 1 FROM docs LIMIT 1").fetchone() is None
        many = len(docs) >= PARALLEL_FROM or sum(len(d.body) for d in docs) >= PARALLEL_CHARS
        if many and len(docs) > 1 and (os.cpu_count() or 1) > 1:
            if fresh:
                with self.db.bulk():
                    self._store_parallel(docs, fresh)
            else:
                self._store_parallel(docs, fresh)
        else:
            for start in range(0, len(docs), 500):
                self._store(docs[start:start + 500], fresh=fresh)

    def _resolve_keys(self, keys: set[str]) -> None:
        """Resolve again after a correction: the groups of ``keys`` (and of every correction), or
        everything when the last sync never finished resolving."""
        if self.db.meta("resolved_at") is None:
            self.db.refresh_totals()
            self._resolve()
        else:
            self._resolve(set(), keys)

    def _resolve(self, touched: set[str] | None = None, extra_keys: set[str] = frozenset()) -> None:
        """Resolve again: only what ``touched`` (surface texts of changed documents) and
        ``extra_keys`` affect, or everything when ``touched`` is None (see ``entity_build``)."""
        # the user's own entities keep the name config.yaml gives them
        corrections = [("merge", alias, name) for name, _t, aliases in self.added for alias in aliases]
        corrections += [(k, n, a) for _, k, n, a, _ in self.corrections_db.all()]
        from .entity_build import resolve_into

        resolve_into(self.db, corrections, touched, extra_keys)
