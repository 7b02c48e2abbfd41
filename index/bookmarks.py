"""The bookmark store: passages a user keeps, with notes and tags, in one SQLite file per corpus.

Bookmarks are the one thing dossier writes that a user cares about: how the file is kept safe
(WAL, short immediate transactions, never writing a damaged file) is in ``bookmark_db``. Here:
the ``Bookmark`` record, adding, editing, deleting (a soft delete, so ``restore`` undoes it) and
re-anchoring (``index.anchoring``) when the text of a document changes. Re-anchoring never alters
what was saved (quote, context, offsets, text hash); it only updates the current position and
status it caches.
"""

from __future__ import annotations

import functools
import json
import secrets
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .anchoring import ANCHORED, MOVED, ORPHANED, RULES, Selector, anchor, find_quote, select, text_hash
from .bookmark_db import (
    BookmarkDatabase, BookmarkError, BookmarksUnavailable, QuoteNotFound, UnknownBookmark,
)


@dataclass(frozen=True)
class Bookmark:
    """A kept passage. ``start``/``end`` are where it is in the document now (its saved offsets
    when ``status`` is ``orphaned``); ``quote``, ``prefix``, ``suffix``, ``saved_start``,
    ``saved_end`` and ``doc_hash`` describe the text it was made on and never change."""

    id: str
    doc_id: str
    source: str
    title: str
    quote: str
    prefix: str
    suffix: str
    saved_start: int
    saved_end: int
    doc_hash: str
    note: str = ""
    tags: tuple[str, ...] = ()
    created: str = ""
    updated: str = ""
    start: int = 0
    end: int = 0
    status: str = ANCHORED
    deleted: str | None = None

    @property
    def selector(self) -> Selector:
        return Selector(self.quote, self.prefix, self.suffix, self.saved_start, self.saved_end)

    def as_json(self) -> dict[str, Any]:
        """The shape of ``dossier bookmarks list --json`` items."""
        return {
            "id": self.id, "doc_id": self.doc_id, "source": self.source, "title": self.title,
            "quote": self.quote, "start": self.start, "end": self.end, "note": self.note,
            "tags": list(self.tags), "status": self.status, "created": self.created,
            "updated": self.updated,
        }


def now() -> str:
    """The current UTC time as ISO 8601 with milliseconds (sorts as text)."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def new_id() -> str:
    return secrets.token_hex(6)


def clean_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Tags as the user meant them: commas split, whitespace trimmed, duplicates (any case) dropped."""
    out: list[str] = []
    seen: set[str] = set()
    for tag in tags:
        for part in str(tag).split(","):
            part = " ".join(part.split()).lstrip("#")
            if part and part.casefold() not in seen:
                seen.add(part.casefold())
                out.append(part)
    return tuple(out)


_COLUMNS = ("id, doc_id, source, title, quote, prefix, suffix, saved_start, saved_end, doc_hash, "
            "note, tags, created, updated, cur_start, cur_end, status, deleted")

class BookmarkStore(BookmarkDatabase):
    """Bookmarks of one corpus, kept in the SQLite file ``path``.

    Never raises on open: a file it must not write leaves the store read-only with ``error`` set,
    and every change then raises ``BookmarksUnavailable`` with that line.
    """

    # -- reading -------------------------------------------------------------------------------
    def list(self, tag: str | None = None, doc_id: str | None = None, text: str | None = None,
             deleted: bool = False, limit: int | None = None) -> list[Bookmark]:
        """Bookmarks newest first; ``tag`` (any case), ``doc_id`` and ``text`` (in quote, note, title
        or tags, any case) narrow the list; ``deleted=True`` lists the deleted ones instead;
        ``limit`` keeps the first that many."""
        sql = f"SELECT {_COLUMNS} FROM bookmarks WHERE deleted IS {'NOT ' if deleted else ''}NULL"
        args: list[Any] = []
        if doc_id is not None:
            sql += " AND doc_id = ?"
            args.append(doc_id)
        sql += " ORDER BY " + ("deleted DESC, " if deleted else "") + "created DESC, seq DESC"
        if limit is not None and not (tag or text):
            sql += f" LIMIT {int(limit)}"
        rows = self._rows(sql, args, lambda: self._salvaged(deleted, doc_id))
        marks = [_from_row(r) for r in rows]
        if tag:
            want = tag.strip().lstrip("#").casefold()
            marks = [b for b in marks if any(t.casefold() == want for t in b.tags)]
        if text:
            marks = [b for b in marks if matches_text(b, text)]
        return marks[:limit] if limit is not None else marks

    def _rows(self, sql: str, args: tuple | list, salvaged: Callable[[], list[tuple]]) -> list[tuple]:
        """Rows of ``sql``; of a damaged file, ``salvaged()`` instead: a damaged index can answer a
        query with nothing and no error, so only a row-by-row read finds what is left."""
        if not self.damaged:
            try:
                return self.query(sql, args, strict=True)
            except sqlite3.DatabaseError:
                pass
        return salvaged()

    def _salvaged(self, deleted: bool, doc_id: str | None, any_state: bool = False) -> list[tuple]:
        """What can still be read of a damaged file, filtered and ordered as ``list`` does
        (``any_state``: deleted or not)."""
        rows = []
        for row in self.salvage(_COLUMNS + ", seq"):
            try:
                _from_row(row)
            except (TypeError, ValueError, IndexError):
                continue  # a row whose bytes are garbage
            if not isinstance(row[0], str):
                continue
            if (any_state or (row[17] is not None) == deleted) and (doc_id is None or row[1] == doc_id):
                rows.append(row)
        rows.sort(key=lambda r: (str(r[17] or "") if deleted else "", str(r[12]), r[18]), reverse=True)
        return [r[:18] for r in rows]

    def get(self, bid: str, deleted: bool | None = False) -> Bookmark:
        """The bookmark with this id or unique id prefix (at least 4 characters)."""
        bid = bid.strip()
        if len(bid) < 4:
            raise UnknownBookmark(f"bookmark id {bid!r} is too short: give at least 4 characters")
        where = "" if deleted is None else f" AND deleted IS {'NOT ' if deleted else ''}NULL"
        rows = self._rows(
            f"SELECT {_COLUMNS} FROM bookmarks WHERE id >= ? AND id < ?{where} ORDER BY id LIMIT 2",
            (bid, bid + "\uffff"),
            lambda: sorted(r for r in self._salvaged(bool(deleted), None, deleted is None) if r[0].startswith(bid))[:2])
        if not rows:
            raise UnknownBookmark(f"no {'deleted ' if deleted else ''}bookmark with id {bid!r}")
        if len(rows) > 1 and rows[0][0] != bid:
            raise UnknownBookmark(f"bookmark id {bid!r} is ambiguous: give more characters")
        return _from_row(rows[0])

    def count(self) -> int:
        """How many bookmarks there are (not deleted); of a damaged file, how many can be read."""
        rows = self._rows("SELECT count(*) FROM bookmarks WHERE deleted IS NULL", (),
                          lambda: [(len(self._salvaged(False, None)),)])
        return rows[0][0]

    # -- writing -------------------------------------------------------------------------------
    def add(self, doc: Any, start: int, end: int, note: str = "", tags: Iterable[str] = ()) -> Bookmark:
        """Bookmark ``doc.body[start:end]`` (``doc`` is an ``index.Document``); returns it saved."""
        try:
            sel = select(doc.body, start, end)
        except ValueError as exc:
            raise BookmarkError(f"{doc.id}: cannot bookmark {exc}") from None
        if not sel.quote.strip():
            raise BookmarkError(f"{doc.id}: cannot bookmark an empty passage")
        stamp = now()
        mark = Bookmark(
            id=new_id(), doc_id=doc.id, source=doc.source, title=doc.title, quote=sel.quote,
            prefix=sel.prefix, suffix=sel.suffix, saved_start=start, saved_end=end,
            doc_hash=text_hash(doc.body), note=note.strip(), tags=clean_tags(tags),
            created=stamp, updated=stamp, start=start, end=end, status=ANCHORED,
        )
        with self.write() as con:
            _insert(con, mark, _placed_key(mark.doc_hash))
        return mark

    def add_quote(self, doc: Any, quote: str, note: str = "", tags: Iterable[str] = ()) -> Bookmark:
        """Bookmark the first place ``quote`` occurs in ``doc`` (whitespace may differ)."""
        spans = find_quote(doc.body, quote)
        if not spans:
            shown = " ".join(quote.split())
            shown = shown if len(shown) <= 60 else shown[:57] + "..."
            raise QuoteNotFound(f"{doc.id}: the quote {shown!r} does not occur in {doc.title or doc.source!r}")
        return self.add(doc, spans[0][0], spans[0][1], note, tags)

    def edit(self, bid: str, note: str | None = None, tags: Iterable[str] | None = None) -> Bookmark:
        """Change the note and/or the tags of a bookmark; returns it as saved."""
        mark = self.get(bid)
        changes: dict[str, Any] = {"updated": now()}
        if note is not None:
            changes["note"] = note.strip()
        if tags is not None:
            changes["tags"] = clean_tags(tags)
        mark = replace(mark, **changes)
        # Only the fields given are written, so two people editing note and tags at once both win.
        columns = {"updated": mark.updated}
        if note is not None:
            columns["note"] = mark.note
        if tags is not None:
            columns["tags"] = json.dumps(list(mark.tags), ensure_ascii=False)
        with self.write() as con:
            cur = con.execute(
                f"UPDATE bookmarks SET {', '.join(f'{k} = ?' for k in columns)} WHERE id = ? AND deleted IS NULL",
                (*columns.values(), mark.id))
            if cur.rowcount != 1:
                raise UnknownBookmark(f"bookmark {mark.id!r} was deleted meanwhile")
            row = con.execute(f"SELECT {_COLUMNS} FROM bookmarks WHERE id = ?", (mark.id,)).fetchone()
        return _from_row(row)

    def delete(self, bid: str) -> Bookmark:
        """Delete a bookmark (it can be brought back with ``restore``); returns it."""
        mark = self.get(bid)
        stamp = now()
        with self.write() as con:
            cur = con.execute("UPDATE bookmarks SET deleted = ? WHERE id = ? AND deleted IS NULL", (stamp, mark.id))
            if cur.rowcount != 1:
                raise UnknownBookmark(f"bookmark {mark.id!r} was deleted meanwhile")
        return replace(mark, deleted=stamp)

    def restore(self, bid: str) -> Bookmark:
        """Undo the delete of a bookmark; returns it."""
        mark = self.get(bid, deleted=True)
        with self.write() as con:
            con.execute("UPDATE bookmarks SET deleted = NULL WHERE id = ?", (mark.id,))
        return replace(mark, deleted=None)

    # -- re-anchoring --------------------------------------------------------------------------
    def reanchor(self, doc: Any, marks: list[Bookmark] | None = None) -> list[Bookmark]:
        """Bookmarks of ``doc`` placed in its current body, newest first. Those whose document
        changed since they were last placed are found again and the result saved (when writable)."""
        marks = self.list(doc_id=doc.id) if marks is None else marks
        out, changed = self._place(doc, marks, self._placed_on())
        self._save_places(changed)
        return out

    def _placed_on(self) -> dict[str, str]:
        """For each bookmark id, the hash of the text its current position was found in, and by
        which rules (``_placed_key``)."""
        return dict(self.query("SELECT id, cur_hash FROM bookmarks"))

    @staticmethod
    def _place(doc: Any, marks: list[Bookmark], placed_on: dict[str, str]
               ) -> tuple[list[Bookmark], list[tuple[Bookmark, str]]]:
        digest = _placed_key(text_hash(doc.body))
        out, changed = [], []
        for mark in marks:
            if placed_on.get(mark.id) == digest:
                out.append(mark)
                continue
            hint = mark.start if mark.status != ORPHANED else None
            found = anchor(doc.body, mark.selector, hint)
            mark = replace(mark, start=found.start, end=found.end, status=found.status)
            out.append(mark)
            changed.append((mark, digest))
        return out, changed

    def _save_places(self, changed: list[tuple[Bookmark, str]]) -> None:
        if not changed or self.read_only:
            return
        with self.write() as con:
            con.executemany(
                "UPDATE bookmarks SET cur_start = ?, cur_end = ?, cur_hash = ?, status = ? WHERE id = ?",
                [(m.start, m.end, digest, m.status, m.id) for m, digest in changed])

    def refresh(self, lookup: Callable[[str], Any | None]) -> list[Bookmark]:
        """Re-anchor every bookmark against the documents ``lookup(doc_id)`` returns (``None`` for
        a document that is gone: its bookmarks are orphaned, kept); returns all, newest first."""
        marks = self.list()
        by_doc: dict[str, list[Bookmark]] = {}
        for mark in marks:
            by_doc.setdefault(mark.doc_id, []).append(mark)
        placed_on = self._placed_on()
        placed: dict[str, Bookmark] = {}
        changed: list[tuple[Bookmark, str]] = []
        for doc_id, group in by_doc.items():
            doc = lookup(doc_id)
            if doc is None:
                for mark in group:
                    lost = replace(mark, start=mark.saved_start, end=mark.saved_end, status=ORPHANED)
                    placed[mark.id] = lost
                    if mark.status != ORPHANED or placed_on.get(mark.id):
                        changed.append((lost, ""))
                continue
            out, moved = self._place(doc, group, placed_on)
            placed.update((m.id, m) for m in out)
            changed += moved
        self._save_places(changed)
        return [placed[m.id] for m in marks]

    # -- bulk (import) -------------------------------------------------------------------------
    def merge(self, marks: Iterable[Bookmark]) -> tuple[int, int, int]:
        """Add bookmarks made elsewhere, in one transaction, keyed by id: a known id is left as it
        is (or restored if it was deleted), so merging the same set twice adds nothing.
        Returns ``(added, restored, present)``."""
        added = restored = present = 0
        with self.write() as con:
            for mark in marks:
                row = con.execute("SELECT deleted FROM bookmarks WHERE id = ?", (mark.id,)).fetchone()
                if row is None:
                    _insert(con, mark, "")
                    added += 1
                elif row[0] is not None:
                    con.execute("UPDATE bookmarks SET deleted = NULL WHERE id = ?", (mark.id,))
                    restored += 1
                else:
                    present += 1
        return added, restored, present


def matches_text(mark: Bookmark, text: str) -> bool:
    """Does every word of ``text`` occur (any case) in the quote, note, title or tags?"""
    hay = " ".join((mark.quote, mark.note, mark.title, " ".join(mark.tags))).casefold()
    return all(word in hay for word in text.casefold().split())


def _placed_key(doc_hash: str) -> str:
    """What ``cur_hash`` holds once a bookmark is placed: the hash of the text it was placed in
    and the version of the anchoring rules that placed it. Positions cached by other rules (or
    in another text) are found again, so a bookmark an older dossier attached to the wrong text
    is corrected on the next look, not kept until the document changes."""
    return f"{doc_hash}+r{RULES}"


def _insert(con: sqlite3.Connection, mark: Bookmark, cur_hash: str) -> None:
    con.execute(
        "INSERT INTO bookmarks (id, doc_id, source, title, quote, prefix, suffix, saved_start, saved_end, "
        "doc_hash, note, tags, created, updated, cur_start, cur_end, cur_hash, status, deleted) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (mark.id, mark.doc_id, mark.source, mark.title, mark.quote, mark.prefix, mark.suffix,
         mark.saved_start, mark.saved_end, mark.doc_hash, mark.note,
         json.dumps(list(mark.tags), ensure_ascii=False), mark.created, mark.updated,
         mark.start, mark.end, cur_hash, mark.status, mark.deleted),
    )


def _from_row(row: tuple) -> Bookmark:
    # Positional, in the column order of _COLUMNS: listing 10,000 bookmarks is this loop.
    status = row[16] if row[16] in _STATUSES else ANCHORED
    return Bookmark(*row[:11], _tags(row[11]), *row[12:16], status, row[17])


_STATUSES = frozenset((ANCHORED, MOVED, ORPHANED))


@functools.lru_cache(maxsize=4096)
def _tags(raw: str | None) -> tuple[str, ...]:
    """The tags column (JSON) as a tuple; the same few tag sets recur across thousands of rows."""
    if not raw or raw == "[]":
        return ()
    try:
        tags = json.loads(raw)
    except ValueError:
        return ()
    return tuple(str(t) for t in tags) if isinstance(tags, list) else ()


def store_path(config: Any) -> Path:
    """Where the bookmarks of ``config.corpus`` live: ``bookmarks.sqlite`` in its data directory."""
    from .paths import data_dir

    return data_dir(config.corpus, config.data_dir) / "bookmarks.sqlite"
