"""Plain data passed between the engine and its callers: frozen, no behaviour, no engine types."""

from __future__ import annotations

from dataclasses import dataclass

Span = tuple[int, int]
"""A half-open character range ``[start, end)`` in a document body."""


@dataclass(frozen=True)
class Document:
    """One document as the reader shows it: metadata and a clean body with paragraphs kept.

    ``source`` is the file path relative to the corpus root; one file may hold several documents
    (a feed), told apart by ``part``.
    """

    id: str
    source: str
    title: str
    body: str
    publisher: str = ""
    date: str | None = None
    authors: tuple[str, ...] = ()
    url: str = ""
    part: int = 0


@dataclass(frozen=True)
class DocSummary:
    """What a list row needs about a document, without its body."""

    id: str
    source: str
    title: str
    publisher: str = ""
    date: str | None = None


@dataclass(frozen=True)
class Snippet:
    """One line of body text around the best matches, with the spans to mark in ``text``."""

    text: str
    marks: tuple[Span, ...] = ()

    def marked(self, left: str = "**", right: str = "**") -> str:
        """The snippet with every mark wrapped in ``left``/``right`` (for plain-text output)."""
        out, last = [], 0
        for start, end in self.marks:
            out += [self.text[last:start], left, self.text[start:end], right]
            last = end
        out.append(self.text[last:])
        return "".join(out)


@dataclass(frozen=True)
class Hit:
    """A ranked search result. ``matches`` are body spans in the coordinates of ``Document.body``."""

    id: str
    source: str
    title: str
    score: float
    snippet: Snippet
    matches: tuple[Span, ...]
    publisher: str = ""
    date: str | None = None


@dataclass(frozen=True)
class SearchResult:
    """The answer to one query: the hits in rank order and the total number of matching documents."""

    query: str
    total: int
    hits: tuple[Hit, ...]
    fallback: bool = False
    """True when the query could not be parsed and its words were searched instead."""


@dataclass(frozen=True)
class IndexProgress:
    """Progress of an index update: ``done`` of ``total`` files looked at, ``path`` the current one."""

    done: int
    total: int
    path: str = ""


@dataclass(frozen=True)
class IndexReport:
    """What an index update did, counted in documents (one file may hold several)."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: tuple[tuple[str, str], ...] = ()
    """``(path, reason)`` for every file that could not be indexed."""
    seconds: float = 0.0
    rebuilt: str = ""
    """Why the index was rebuilt from scratch, empty when it was not."""
    documents: int = 0
    """Documents in the index after the update."""
    moved: int = 0
    """Documents whose file was moved or renamed with its text unchanged: they keep their ids."""
    warnings: tuple[tuple[str, str], ...] = ()
    """``(path, what)`` for every file indexed only in part (a feed cut short)."""
    notices: tuple[str, ...] = ()
    """One-line notices about the index's other files (an entity cache rebuilt, damaged
    corrections left alone), each to be shown to the user."""

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.moved)


__all__ = [
    "Span",
    "Document",
    "DocSummary",
    "Snippet",
    "Hit",
    "SearchResult",
    "IndexProgress",
    "IndexReport",
]


@dataclass(frozen=True)
class Entity:
    """A named entity of the corpus after alias merging: one per real-world thing.

    ``count`` is the number of mentions (in the scope asked for); ``documents`` holds
    ``(doc_id, count)`` pairs in reading order.
    """

    name: str
    type: str
    """PERSON, ORG, PLACE, PRODUCT or EVENT."""
    aliases: tuple[str, ...] = ()
    """Every other way the text names it (``DS``, ``Deepseek``), most frequent first."""
    count: int = 0
    documents: tuple[tuple[str, int], ...] = ()
    doc_count: int = 0
    """How many documents mention it (also when ``documents`` was not asked for)."""


@dataclass(frozen=True)
class Mention:
    """One mention of an entity: ``Document.body[start:end] == text``."""

    doc_id: str
    start: int
    end: int
    text: str
    name: str
    """The canonical name of the entity mentioned."""
    type: str


__all__ += ["Entity", "Mention"]
