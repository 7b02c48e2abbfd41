"""The status line's side of the main screen, mixed into ``MainScreen``: the reader's position
(``match 3/17``, the entity's ``2/5``, how far in), indexing progress, and notices that clear
themselves.

A notice says what the last key did (``next document: …``, ``no more matches below``). It is not
state: it clears after ``NOTICE_SECONDS`` or when the query changes, so it never stays up saying
something that stopped being true. What is state (the entity filter, indexing in progress) has
reactives of its own that the status line shows for as long as they hold.
"""

from __future__ import annotations

from textual import on
from textual.screen import Screen
from textual.timer import Timer

from ..messages import IndexingProgress
from ..widgets.reader import Reader

NOTICE_SECONDS = 5.0
"""How long a notice stays in the status line."""


class StatusFlow(Screen):
    """Fills the main screen's ``position``, ``activity`` and ``notice`` reactives."""

    _notice_timer: Timer | None = None

    def watch_notice(self, notice: str) -> None:
        if self._notice_timer is not None:
            self._notice_timer.stop()
            self._notice_timer = None
        if notice:
            self._notice_timer = self.set_timer(NOTICE_SECONDS, self._notice_expired)

    def _notice_expired(self) -> None:
        self._notice_timer = None
        self.notice = ""

    @on(IndexingProgress)
    def _indexing_progress(self, message: IndexingProgress) -> None:
        p = message.progress
        self.activity = f"indexing {p.done}/{p.total}" if p.total else "indexing…"
        self.doc_list.placeholder = f"Indexing {p.done}/{p.total} files… the list fills in when done."
        self.doc_list.refresh()

    def indexing_done(self, report, documents) -> None:
        """Say what the start-up update did (nothing when the index was current)."""
        self.activity = ""
        if report is None:
            return
        notice = ""
        if report.changed:
            count = report.added + report.updated + report.moved
            notice = f"indexed {count} document{'s' if count != 1 else ''} in {report.seconds:.1f} s"
            if report.removed and self.doc_id and self.doc_id not in {d.id for d in documents}:
                notice += " · the open document is no longer in the corpus"
        warnings = [w for w in (report.rebuilt, *report.notices, *(f"{p}: {w}" for p, w in report.warnings)) if w]
        if warnings:  # a damaged or outdated index rebuilt, damaged corrections: say so first
            notice = " · ".join([*warnings, notice] if notice else warnings)
        if notice:
            self.notice = notice

    def _show_position(self) -> None:
        reader = self.reader
        parts = []
        if reader.document is not None and self.search_query.strip():
            total = len(reader.matches)
            if reader.current_match is not None:
                parts.append(f"match {reader.current_match + 1}/{total}")
            else:
                parts.append(f"{total} match{'es' if total != 1 else ''}")
        if self.entity:
            total = len(reader.mentions)
            current = f"{reader.current_mention + 1}/{total}" if reader.current_mention is not None else f"–/{total}"
            parts.append(f"{self.entity} {current}")
        if reader.document is not None and self._percent >= 0:
            parts.append(f"{self._percent}%")
        self.position = "  ".join(parts)

    @on(Reader.Moved)
    def _reader_moved(self, event: Reader.Moved) -> None:
        self._percent = event.percent
        self._show_position()
