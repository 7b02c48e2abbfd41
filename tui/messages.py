"""Messages that thread workers post back to the UI: immutable results, each tagged with the
request generation so that the handler can drop results that arrived late for an older request."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from textual.message import Message

from index.models import DocSummary, Document, IndexProgress, IndexReport, SearchResult, Span


@dataclass
class IndexingProgress(Message):
    """The start-up index update is ``progress.done`` of ``progress.total`` files in."""

    progress: IndexProgress

    def can_replace(self, message: Message) -> bool:
        # A flood of progress messages coalesces: only the newest one is worth drawing.
        return isinstance(message, IndexingProgress)


@dataclass
class IndexingFinished(Message):
    """The index is ready to be read (``report`` is None when it was already up to date)."""

    report: IndexReport | None
    documents: tuple[DocSummary, ...]
    """Every document, newest first (what the list shows without a query)."""
    error: str = ""


@dataclass
class ListLoaded(Message):
    """The rows for one query (``result``) or for no query (``documents``)."""

    generation: int
    query: str
    filter_name: str | None
    result: SearchResult | None
    documents: tuple[DocSummary, ...] = ()
    extends: bool = False
    """The rest of the hits of a query already shown (the cursor stays where the user put it)."""


@dataclass
class DocumentLoaded(Message):
    """A document to show, with the spans to highlight and where to land."""

    generation: int
    document: Document
    query: str
    matches: tuple[Span, ...]
    entity: str | None
    mentions: tuple[Span, ...]
    land: Any
    """"first-match", "last-match", "first-mention", "last-mention", "top" or ("offset", n)."""
    notice: str = ""


@dataclass
class DocumentMissing(Message):
    """The document asked for is no longer in the index (re-indexed corpus, old saved state)."""

    generation: int
    doc_id: str


@dataclass
class MatchesLoaded(Message):
    """The spans of ``query`` in the open document (after the query changed)."""

    generation: int
    doc_id: str
    query: str
    matches: tuple[Span, ...]


@dataclass
class EntityLoaded(Message):
    """An entity was selected: its mentions in the open document and every document mentioning it."""

    generation: int
    name: str
    doc_id: str | None
    mentions: tuple[Span, ...]
    doc_ids: tuple[str, ...]
    jump: bool = True
    """Go to the first mention (not when restoring a saved position)."""


@dataclass
class EntitiesListed(Message):
    """The entities for the sidebar in one scope."""

    generation: int
    scope: str
    entities: tuple[Any, ...] = field(default_factory=tuple)
    empty: str = "No entities."


@dataclass
class FilterLoaded(Message):
    """The documents mentioning ``name``, to filter the list to."""

    generation: int
    name: str
    doc_ids: frozenset[str]


@dataclass
class MergeTargets(Message):
    """Every entity of the corpus but ``name``, most mentioned first: what ``name`` can merge into."""

    name: str
    names: tuple[str, ...]


@dataclass
class CorrectionApplied(Message):
    """An entity correction (merge, hide, undo) is done; ``summary`` says what it did."""

    summary: str
    kind: str = ""
    """"merge", "hide" or "undo"."""
    name: str | None = None
    """The entity merged or hidden."""
    target: str | None = None
    """The entity merged into."""
