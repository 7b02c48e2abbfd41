"""Telling a damaged SQLite file from a busy one, cheaply.

Every file in the index folder is derived data: one that is damaged is rebuilt with a one-line
notice, never reported as a traceback. These checks read a file's 100-byte header and its size
(no page is read), so they can run before every command.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

HEADER = b"SQLite format 3\x00"
_DAMAGE_CODES = {getattr(sqlite3, "SQLITE_CORRUPT", 11), getattr(sqlite3, "SQLITE_NOTADB", 26)}


def is_damage(exc: BaseException) -> bool:
    """Whether an SQLite error means the file is damaged (not merely locked or busy)."""
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code in _DAMAGE_CODES
    text = str(exc)
    return "malformed" in text or "not a database" in text


def header_problem(path: Path) -> str:
    """What is wrong with the SQLite file ``path`` as its header and size tell, or ``""``.

    Catches a file overwritten at its start and one cut short (SQLite itself only notices a
    missing page when a query reaches it). A missing or empty file is not a problem: it is new.
    """
    try:
        with open(path, "rb") as fh:
            head = fh.read(100)
            size = os.fstat(fh.fileno()).st_size
    except FileNotFoundError:
        return ""
    except OSError as exc:
        return f"cannot read it ({exc.strerror or exc})"
    if not head:
        return ""
    if len(head) < 100 or not head.startswith(HEADER):
        return "not an SQLite database"
    page = int.from_bytes(head[16:18], "big")
    page = 65536 if page == 1 else page
    pages = int.from_bytes(head[28:32], "big")
    # The page count in the header is only meaningful while its "valid-for" counter matches.
    if pages and head[24:28] == head[92:96] and size < page * pages:
        return f"cut short ({size} of {page * pages} bytes)"
    return ""


def remove_sqlite(path: Path) -> None:
    """Delete an SQLite file with its WAL and shared-memory files (derived data only)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        try:
            os.unlink(f"{path}{suffix}")
        except FileNotFoundError:
            pass
