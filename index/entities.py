"""EntityIndex: people, organisations, places, products and events of a corpus, with every mention.

The engine's parts: ``entity_extract`` finds the mentions in one document (with ``entity_text``,
``entity_typing`` for type votes and ``entity_links`` for the aliases a document states, on the
word knowledge of ``entity_lexicon``); ``entity_resolve`` merges aliases across the corpus and
``entity_build`` turns the groups into entity rows (only those a small sync touched);
``entity_store`` keeps both in SQLite; ``entity_settings`` reads config.yaml's ``entities:``;
``entity_indexing`` keeps the store in step with the corpus. This module applies the user's
corrections and answers the queries of the CLI, the search filter and the browser's sidebar.

Thread safety: every SQLite connection is per thread; syncs and corrections are serialised.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from .entity_indexing import Indexing
from .entity_settings import TYPES, validate_settings
from .entity_store import SCHEMA, CorrectionsDb, IndexDb
from .errors import DossierError
from .models import Entity, Mention

__all__ = ["EntityIndex", "Correction", "UnknownEntity", "TYPES", "validate_settings"]


def key(text: str) -> str:
    """The matching key of a name: ``entity_resolve.key``, imported on first use (listing the
    stored entities never needs it), which then takes this function's place in the module."""
    global key
    from .entity_resolve import key as resolve_key

    key = resolve_key
    return resolve_key(text)


class UnknownEntity(DossierError, LookupError):
    """No entity has this name or alias."""


@dataclass(frozen=True)
class Correction:
    """One correction the user made, in the order made."""

    id: int
    kind: str
    """merge, unmerge, retype, hide or unhide."""
    name: str
    arg: str = ""
    made: float = 0.0

    def describe(self) -> str:
        if self.kind == "merge":
            return f"merge {self.name} into {self.arg}"
        if self.kind == "unmerge":
            return f"unmerge {self.arg} from {self.name}"
        if self.kind == "retype":
            return f"retype {self.name} as {self.arg}"
        return f"{self.kind} {self.name}"


class EntityIndex(Indexing):
    """The entity engine of one corpus (see the module docstring)."""

    def __init__(self, index_dir: Path, data_dir: Path, settings: dict | None = None) -> None:
        self.added, self.stoplist = validate_settings(settings)
        self.db = IndexDb(Path(index_dir))
        self.corrections_db = CorrectionsDb(Path(data_dir))
        fingerprint = json.dumps([SCHEMA, self.added, sorted(self.stoplist)], ensure_ascii=False)
        self.fingerprint = hashlib.sha1(fingerprint.encode()).hexdigest()
        self._sync_lock = threading.RLock()
        self._checked = False

    def problems(self) -> list[str]:
        """One line for each damaged file found: the entity cache (rebuilt on opening) and the
        user's corrections (left as they are, and not applied). Corrections that could not be read
        are applied as soon as they can be read again."""
        self.db.conn()
        error = self.corrections_db.check()
        skipped = self.db.meta("corrections_skipped") == "1"
        if error and not skipped:
            with self.db.write() as conn:
                self.db.set_meta(conn, "corrections_skipped", "1")
        elif skipped and not error:
            with self._sync_lock:
                self._ensure_current()
                self._resolve_keys(set())  # (rebuilds the groups every correction touches)
                with self.db.write() as conn:
                    self.db.set_meta(conn, "corrections_skipped", "0")
        return [p for p in (self.db.repaired, error) if p]

    # -- queries ------------------------------------------------------------------------------
    def _rows(self, ids: Iterable[int] | None = None) -> dict[int, tuple]:
        """Entity rows by id: those of ``ids``, or all."""
        conn = self.db.conn()
        sql = "SELECT id, name, type, aliases, count, docs, hidden FROM entities"
        if ids is None:
            return {r[0]: r for r in conn.execute(sql)}
        ids = list(ids)
        out = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            out.update({r[0]: r for r in conn.execute(f"{sql} WHERE id IN ({','.join('?' * len(chunk))})", chunk)})
        return out

    def _lookup(self, name: str) -> int | None:
        """The id of the entity named ``name`` (canonical or any alias, any case)."""
        self._ensure_current()
        k = key(name)
        conn = self.db.conn()
        row = conn.execute("SELECT entity_id FROM keymap WHERE key=?", (k,)).fetchone()
        if row:
            return row[0]
        row = conn.execute("SELECT entity_id, COUNT(*) c FROM localmap WHERE key=? GROUP BY entity_id ORDER BY c DESC LIMIT 1",
                           (k,)).fetchone()
        if row:
            return row[0]
        row = conn.execute("SELECT id FROM entities WHERE name=? COLLATE NOCASE LIMIT 1", (name,)).fetchone()
        return row[0] if row else None

    def _require(self, name: str) -> int:
        eid = self._lookup(name)
        if eid is None:
            raise UnknownEntity(f"no entity named {name!r} (see `dossier entities`)")
        return eid

    def entities(self, type: str | None = None, doc_id: str | None = None,
                 doc_ids: Iterable[str] | None = None, limit: int | None = None,
                 documents: bool = True) -> list[Entity]:
        """Entities, most mentioned first (at most ``limit``); within ``doc_id`` or ``doc_ids``
        counts are for those documents only. Hidden entities are left out. ``documents=False``
        leaves ``Entity.documents`` empty (``doc_count`` is still set): much faster on a big corpus."""
        self._ensure_current()
        want = type.upper() if type else None
        if doc_id is None and doc_ids is None:
            docs_col = "docs" if documents else "'[]'"
            sql = f"SELECT name, type, aliases, count, {docs_col}, ndocs FROM entities WHERE hidden=0"
            params: list = []
            if want:
                sql += " AND type=?"
                params.append(want)
            sql += " ORDER BY count DESC, name"
            if limit is not None:
                sql += " LIMIT ?"
                params.append(limit)
            return [Entity(name, etype, tuple(json.loads(aliases)), count, tuple(map(tuple, json.loads(docs))), ndocs)
                    for name, etype, aliases, count, docs, ndocs in self.db.conn().execute(sql, params)]
        scope = [doc_id] if doc_id is not None else list(dict.fromkeys(doc_ids or ()))
        per_entity: dict[int, Counter] = defaultdict(Counter)
        for d, pairs in self._mention_ids_many(scope).items():
            for eid, _m in pairs:
                per_entity[eid][d] += 1
        if not per_entity:
            return []
        rows = self._rows(per_entity)
        order = {d: n for n, d in enumerate(scope)}
        out = []
        for eid, counts in per_entity.items():
            row = rows.get(eid)
            if row is None or row[6] or (want and row[2] != want):
                continue
            docs = tuple(sorted(counts.items(), key=lambda x: order.get(x[0], 0)))
            out.append(Entity(row[1], row[2], tuple(json.loads(row[3])), sum(counts.values()), docs, len(docs)))
        out.sort(key=lambda e: (-e.count, e.name))
        return out[:limit] if limit is not None else out

    def count(self) -> int:
        """How many (visible) entities the corpus has."""
        self._ensure_current()
        return self.db.conn().execute("SELECT COUNT(*) FROM entities WHERE hidden=0").fetchone()[0]

    def _localmap(self) -> dict[tuple[str, str], int]:
        return {(d, k): e for d, k, e in self.db.conn().execute("SELECT doc_id, key, entity_id FROM localmap")}

    def _mention_ids(self, doc_id: str, local: dict[str, int] | None = None,
                     glob: dict[str, int] | None = None) -> list[tuple[int, tuple[int, int, str]]]:
        conn = self.db.conn()
        if local is None:
            local = dict(conn.execute("SELECT key, entity_id FROM localmap WHERE doc_id=?", (doc_id,)))
        row = conn.execute("SELECT mentions FROM docs WHERE doc_id=?", (doc_id,)).fetchone()
        rows = json.loads(row[0]) if row and row[0] else []
        if glob is None:
            keys = {key(t) for _, _, t in rows}
            glob = {}
            if keys:
                marks = ",".join("?" * len(keys))
                glob = dict(conn.execute(f"SELECT key, entity_id FROM keymap WHERE key IN ({marks})", list(keys)))
        out = []
        for s, e, t in rows:
            k = key(t)
            eid = local.get(k, glob.get(k))
            if eid is not None:
                out.append((eid, (s, e, t)))
        return out

    def _mention_ids_many(self, doc_ids: list[str]) -> dict[str, list[tuple[int, tuple[int, int, str]]]]:
        """``_mention_ids`` for many documents with a few queries instead of a few per document."""
        conn = self.db.conn()
        blobs: dict[str, list] = {}
        local: dict[str, dict[str, int]] = defaultdict(dict)
        for start in range(0, len(doc_ids), 500):
            chunk = doc_ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for d, m in conn.execute(f"SELECT doc_id, mentions FROM docs WHERE doc_id IN ({marks})", chunk):
                blobs[d] = json.loads(m) if m else []
            for d, k, e in conn.execute(f"SELECT doc_id, key, entity_id FROM localmap WHERE doc_id IN ({marks})", chunk):
                local[d][k] = e
        keys = list({key(t) for rows in blobs.values() for _, _, t in rows})
        glob: dict[str, int] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            glob.update(conn.execute(f"SELECT key, entity_id FROM keymap WHERE key IN ({','.join('?' * len(chunk))})", chunk))
        out: dict[str, list] = {}
        for d in doc_ids:
            loc = local.get(d, {})
            pairs = []
            for s_, e_, t in blobs.get(d, ()):
                k = key(t)
                eid = loc.get(k, glob.get(k))
                if eid is not None:
                    pairs.append((eid, (s_, e_, t)))
            out[d] = pairs
        return out

    def mentions_in(self, doc_id: str) -> list[Mention]:
        """Every mention in one document, by offset (hidden entities left out)."""
        self._ensure_current()
        pairs = self._mention_ids(doc_id)
        rows = self._rows({eid for eid, _ in pairs}) if pairs else {}
        out = []
        for eid, (s, e, t) in pairs:
            row = rows.get(eid)
            if row is None or row[6]:
                continue
            out.append(Mention(doc_id, s, e, t, row[1], row[2]))
        return out

    def mentions(self, name: str) -> list[Mention]:
        """Every mention of the entity called ``name`` (or any alias), in reading order."""
        eid = self._lookup(name)
        if eid is None:
            return []
        conn = self.db.conn()
        row = conn.execute("SELECT name, type, docs, hidden FROM entities WHERE id=?", (eid,)).fetchone()
        if row is None or row[3]:  # hidden: as if it were not there
            return []
        mine = {k for (k,) in conn.execute("SELECT key FROM keymap WHERE entity_id=?", (eid,))}
        local_all = self._localmap()
        by_doc: dict[str, dict[str, int]] = defaultdict(dict)
        for (d, k), e in local_all.items():
            by_doc[d][k] = e
        glob = dict.fromkeys(mine, eid)
        out = []
        for d, _c in json.loads(row[2]):
            for e2, (s, e, t) in self._mention_ids(d, by_doc.get(d, {}), glob):
                if e2 == eid:
                    out.append(Mention(d, s, e, t, row[0], row[1]))
        return out

    def doc_ids(self, name: str) -> set[str]:
        """Ids of the documents that mention ``name`` under any alias (for ``entity:"..."``)."""
        eid = self._lookup(name)
        if eid is None:
            return set()
        row = self.db.conn().execute("SELECT docs, hidden FROM entities WHERE id=?", (eid,)).fetchone()
        return {d for d, _ in json.loads(row[0])} if row and not row[1] else set()

    def entity(self, name: str) -> Entity | None:
        """The entity called ``name`` (or any alias), hidden or not."""
        eid = self._lookup(name)
        if eid is None:
            return None
        r = self._rows([eid]).get(eid)
        if not r:
            return None
        docs = tuple((d, c) for d, c in json.loads(r[5]))
        return Entity(r[1], r[2], tuple(json.loads(r[3])), r[4], docs, len(docs))

    def documents_info(self) -> dict[str, tuple[str, str]]:
        """``doc_id -> (source path, title)`` for every extracted document."""
        return {d: (s, t) for d, s, t in self.db.conn().execute("SELECT doc_id, source, title FROM docs")}

    # -- corrections ----------------------------------------------------------------------------
    def _correct(self, kind: str, name: str, arg: str = "", eid: int | None = None) -> Correction:
        with self._sync_lock:
            cid = self.corrections_db.add(kind, name, arg)
            if eid is not None and kind in ("hide", "unhide", "retype"):
                # these change one row and no merge: no need to resolve the corpus again
                with self.db.write() as conn:
                    if kind == "retype":
                        conn.execute("UPDATE entities SET type=? WHERE id=?", (arg, eid))
                    else:
                        conn.execute("UPDATE entities SET hidden=? WHERE id=?", (int(kind == "hide"), eid))
            else:
                self._resolve_keys({key(name), key(arg)} if arg else {key(name)})
        return Correction(cid, kind, name, arg)

    def merge(self, name: str, into: str) -> Correction:
        """Make ``name`` an alias of ``into`` (``into`` keeps its name)."""
        a, b = self._require(name), self._require(into)
        if a == b:
            raise DossierError(f"{name!r} and {into!r} are already one entity")
        rows = self._rows([a, b])
        return self._correct("merge", rows[a][1], rows[b][1])

    def unmerge(self, name: str, alias: str) -> Correction:
        """Split ``alias`` off the entity ``name``: it becomes an entity of its own."""
        eid = self._require(name)
        row = self._rows([eid])[eid]
        forms = [row[1], *json.loads(row[3])]
        if key(alias) not in {key(f) for f in forms} or key(alias) == key(row[1]) and len(forms) == 1:
            raise UnknownEntity(f"{alias!r} is not an alias of {row[1]!r} (aliases: {', '.join(forms[1:]) or 'none'})")
        return self._correct("unmerge", row[1], alias)

    def retype(self, name: str, etype: str) -> Correction:
        """Give the entity ``name`` the type ``etype`` (PERSON, ORG, PLACE, PRODUCT, EVENT)."""
        t = etype.upper()
        if t not in TYPES:
            raise DossierError(f"unknown entity type {etype!r} (one of {', '.join(TYPES)})")
        eid = self._require(name)
        return self._correct("retype", self._rows([eid])[eid][1], t, eid)

    def hide(self, name: str) -> Correction:
        """Hide a false entity from every list, the reader and the search filter."""
        eid = self._require(name)
        return self._correct("hide", self._rows([eid])[eid][1], eid=eid)

    def unhide(self, name: str) -> Correction:
        eid = self._require(name)
        return self._correct("unhide", self._rows([eid])[eid][1], eid=eid)

    def undo(self) -> str:
        """Undo the last correction; returns what was undone ("" when there was none)."""
        with self._sync_lock:
            row = self.corrections_db.pop()
            if row is None:
                return ""
            self._resolve_keys({key(row[2]), key(row[3])} if row[3] else {key(row[2])})
        return Correction(*row).describe()

    def corrections(self) -> list[Correction]:
        """Every correction in force, oldest first; raises ``CorrectionsUnavailable`` when the
        corrections file is damaged (an empty list would say there are none)."""
        if self.corrections_db.check():
            raise self.corrections_db.unavailable()
        return [Correction(*r) for r in self.corrections_db.all()]

    def hidden(self) -> list[str]:
        """Names of the hidden entities."""
        self._ensure_current()
        return [r[0] for r in self.db.conn().execute("SELECT name FROM entities WHERE hidden=1 ORDER BY name")]
