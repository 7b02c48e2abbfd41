"""The SQLite catalog's layout and rows: each document (metadata and body, which ``show`` and the
reader need) and each file (size, mtime, hash, why it was skipped, the path its ids are made from).
"""

from __future__ import annotations

import json
import sqlite3

from .models import Document

ROW_BATCH = 4 * 1024 * 1024
"""Catalog rows are written whenever this many characters of them wait."""

CATALOG_SQL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    sha1 TEXT NOT NULL, skipped TEXT NOT NULL DEFAULT '', ids TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY, source TEXT NOT NULL, part INTEGER NOT NULL, title TEXT NOT NULL,
    publisher TEXT NOT NULL, date TEXT, authors TEXT NOT NULL, url TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS documents_source ON documents (source, part);
CREATE INDEX IF NOT EXISTS documents_order ON documents (date DESC, title);
"""


def catalog_row(d: Document) -> tuple:
    """The catalog's ``documents`` row of a document."""
    return (d.id, d.source, d.part, d.title, d.publisher, d.date, json.dumps(list(d.authors)), d.url, d.body)


class CatalogRows:
    """Catalog rows waiting to be written into the update's open transaction, written in batches
    of about ``ROW_BATCH`` characters (so a big file's bodies are never all in memory)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.files: list[tuple] = []
        self.docs: list[tuple] = []
        self.size = 0

    def file(self, row: tuple) -> None:
        self.files.append(row)
        if len(self.files) >= 1000:
            self.flush()

    def document(self, row: tuple) -> None:
        self.docs.append(row)
        self.size += len(row[-1]) + 200
        if self.size >= ROW_BATCH:
            self.flush()

    def flush(self) -> None:
        self.db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?)", self.files)
        self.db.executemany("INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", self.docs)
        self.files.clear()
        self.docs.clear()
        self.size = 0


def document_of(row) -> Document:
    """The Document of a ``documents`` row read as ``id, source, title, body, publisher, date,
    authors, url, part``."""
    doc_id, source, title, body, publisher, date, authors, url, part = row
    return Document(id=doc_id, source=source, title=title, body=body, publisher=publisher, date=date,
                    authors=tuple(json.loads(authors)), url=url, part=part)
