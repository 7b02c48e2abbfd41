"""Library: the one facade over a corpus that the CLI and the TUI both call.

It owns the configuration, the on-disk index (``store``), the search engine (``search``), the entity
engine and the bookmark store. Every method is safe to call from a worker thread; none touches a UI.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .config import Config, load_config
from .errors import CorpusError, UnknownDocument
from .models import DocSummary, Document, IndexProgress, IndexReport, SearchResult, Span


class Library:
    """A corpus, its index and everything dossier knows about it."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.corpus: Path = config.corpus

    @classmethod
    def open(cls, config_path: Path | None = None, corpus: Path | None = None) -> "Library":
        """Load config (``./config.yaml`` when present) and open the library on its corpus."""
        return cls(load_config(config_path, corpus))

    # -- index -------------------------------------------------------------------------------
    def update(
        self,
        progress: Callable[[IndexProgress], None] | None = None,
        rebuild: bool = False,
        cancelled: Callable[[], bool] | None = None,
    ) -> IndexReport:
        """Bring the index up to date with the corpus (only added/changed/deleted files are read)."""
        raise NotImplementedError

    def is_stale(self) -> bool:
        """Cheap check: does the corpus differ from what the index holds (or is there no index)?"""
        raise NotImplementedError

    # -- documents ---------------------------------------------------------------------------
    def document(self, doc_id: str) -> Document:
        """The document with this id; raises ``UnknownDocument``."""
        raise NotImplementedError

    def browse(self) -> list[DocSummary]:
        """Every document, newest first, then by title."""
        raise NotImplementedError

    # -- search ------------------------------------------------------------------------------
    def search(self, query: str, limit: int | None = None, ids: set[str] | None = None) -> SearchResult:
        """Ranked hits for ``query`` (never raises on bad syntax); ``ids`` restricts to those docs."""
        raise NotImplementedError

    def matches(self, doc_id: str, query: str) -> tuple[Span, ...]:
        """The spans of ``query`` in the body of ``doc_id`` (same spans a search hit would carry)."""
        raise NotImplementedError
