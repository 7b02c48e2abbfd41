"""What the browser remembers between runs, per user and corpus: the last query, the open document
and the reading position (a body offset, so it survives a different terminal width).

Plain JSON in ``index.paths.state_dir``; a damaged or unreadable file is ignored, never fatal.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path

FILE = "browser.json"


@dataclass(frozen=True)
class Session:
    """The browser state worth restoring."""

    query: str = ""
    doc_id: str | None = None
    offset: int = 0
    """Body offset of the reader's cursor line."""
    scope: str = "doc"
    entity: str | None = None
    match: int | None = None
    """Body offset where the current match starts (None when no match was stepped to)."""
    mention: int | None = None
    """Body offset where the current mention starts."""


def session_path(library) -> Path:
    from index.paths import state_dir

    return state_dir(library.config.corpus, library.config.state_dir) / FILE


def load_session(path: Path) -> Session:
    """The saved session, or a fresh one when there is none or it cannot be read."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Session()
    if not isinstance(raw, dict):
        return Session()
    known = {f.name: f.type for f in fields(Session)}
    values = {k: v for k, v in raw.items() if k in known}
    session = Session()
    try:
        session = Session(**values)
    except TypeError:
        return Session()
    if not isinstance(session.query, str) or not isinstance(session.offset, int):
        return Session()
    if not all(isinstance(v, int) or v is None for v in (session.match, session.mention)):
        return Session(session.query, session.doc_id, session.offset, session.scope, session.entity)
    return session


def save_session(path: Path, session: Session) -> None:
    """Write ``session`` atomically; failures (read-only home, full disk) are ignored."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(asdict(session), ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass
