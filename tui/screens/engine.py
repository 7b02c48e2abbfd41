"""The main screen's calls into the engine: every one a thread worker, so no keypress waits on the
index. Each posts an immutable message tagged with the generation of its request; the screen drops
any that is no longer the newest. Workers never touch widgets.

A newer request of a group cancels the older one (``exclusive``); searches also take a lock, so a
burst of keystrokes runs one search at a time and the queued, cancelled ones never reach the index.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any

from textual import work
from textual.worker import get_current_worker

from index.errors import UnknownDocument

from ..messages import (
    CorrectionApplied,
    DocumentLoaded,
    DocumentMissing,
    EntitiesListed,
    EntityLoaded,
    FilterLoaded,
    IndexingFinished,
    IndexingProgress,
    ListLoaded,
    MatchesLoaded,
    MergeTargets,
)

if TYPE_CHECKING:
    from index import Library

QUICK_LIMIT = 20
"""Hits fetched for each keystroke; the rest (up to ``search.limit``) follows when typing pauses."""
REST_AFTER = 0.3
"""Seconds without a newer query before the rest of the hits is fetched."""


def mention_spans(library: "Library", doc_id: str, name: str) -> tuple[tuple[int, int], ...]:
    """Body spans of the mentions of entity ``name`` in ``doc_id``."""
    entities = getattr(library, "entities", None)
    if entities is None:
        return ()
    spans = []
    for mention in entities.mentions_in(doc_id):
        label = getattr(mention, "name", None) or getattr(mention, "entity", None)
        if label == name:
            spans.append((mention.start, mention.end))
    return tuple(sorted(spans))


class EngineCalls:
    """Mixed into ``MainScreen``: the thread workers, one group per kind of request."""

    library: "Library"

    def _init_engine(self) -> None:
        self._search_lock = threading.Lock()
        self._all_docs: tuple | None = None

    @property
    def entity_index(self) -> Any:
        """The library's entity index, or None while the entity engine is not there."""
        try:
            return getattr(self.library, "entities", None)
        except NotImplementedError:
            return None

    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def prepare_index(self) -> None:
        """List what the index holds at once, then bring it up to date (posting progress) and
        list again if anything changed. The staleness check stats every file (~0.2 s at 10,000
        documents), so it runs after the first screen is filled, not before."""
        worker = get_current_worker()
        library = self.library
        documents = tuple(library.browse())
        if documents:
            self._all_docs = documents
            self.post_message(IndexingFinished(None, documents))
        if library.is_stale() and not worker.is_cancelled:
            report = library.update(progress=lambda p: self.post_message(IndexingProgress(p)), cancelled=lambda: worker.is_cancelled)
            if worker.is_cancelled:
                return
            documents = tuple(library.browse())
            self._all_docs = documents
            self.post_message(IndexingFinished(report, documents))
        elif not documents:
            self.post_message(IndexingFinished(None, documents))

    @work(thread=True, exclusive=True, group="list", exit_on_error=False)
    def load_list(self, generation: int, query: str, filter_name: str | None, ids: frozenset[str] | None) -> None:
        """Rows for ``query`` (ranked hits) or for no query (every document), within ``ids``.

        A query is answered in two steps: the first ``QUICK_LIMIT`` hits at once (fewer snippets
        and spans to build: what a keystroke waits for), then, if no newer keystroke came within
        ``REST_AFTER`` seconds, the rest up to the configured limit.
        """
        worker = get_current_worker()
        limit = self.library.config.search_limit
        allowed = set(ids) if ids is not None else None
        with self._search_lock:
            if worker.is_cancelled:
                return
            if not query.strip():
                documents = self._all_docs if self._all_docs is not None else tuple(self.library.browse())
                if ids is not None:
                    documents = tuple(d for d in documents if d.id in ids)
                if not worker.is_cancelled:
                    self.post_message(ListLoaded(generation, query, filter_name, None, documents))
                return
            result = self.library.search(query, min(limit, QUICK_LIMIT), allowed)
        if worker.is_cancelled:
            return
        self.post_message(ListLoaded(generation, query, filter_name, result))
        if len(result.hits) >= result.total or limit <= QUICK_LIMIT:
            return
        for _ in range(int(REST_AFTER / 0.05)):  # still typing? then the rest is not wanted
            time.sleep(0.05)
            if worker.is_cancelled:
                return
        with self._search_lock:
            if worker.is_cancelled:
                return
            result = self.library.search(query, limit, allowed)
        if not worker.is_cancelled:
            self.post_message(ListLoaded(generation, query, filter_name, result, extends=True))

    @work(thread=True, exclusive=True, group="document", exit_on_error=False)
    def load_document(
        self, generation: int, doc_id: str, query: str, matches: tuple | None, entity: str | None, land: Any, notice: str = ""
    ) -> None:
        """The document, the spans of the query in it (unless given) and the entity's mentions."""
        worker = get_current_worker()
        try:
            document = self.library.document(doc_id)
        except UnknownDocument:
            self.post_message(DocumentMissing(generation, doc_id))
            return
        if matches is None:
            matches = self.library.matches(doc_id, query) if query.strip() else ()
        mentions = mention_spans(self.library, doc_id, entity) if entity else ()
        if not worker.is_cancelled:
            self.post_message(DocumentLoaded(generation, document, query, tuple(matches), entity, mentions, land, notice))

    @work(thread=True, exclusive=True, group="matches", exit_on_error=False)
    def load_matches(self, generation: int, doc_id: str, query: str) -> None:
        """The spans of a changed query in the open document."""
        matches = self.library.matches(doc_id, query) if query.strip() else ()
        if not get_current_worker().is_cancelled:
            self.post_message(MatchesLoaded(generation, doc_id, query, tuple(matches)))

    @work(thread=True, exclusive=True, group="entity", exit_on_error=False)
    def load_entity(self, generation: int, name: str, doc_id: str | None, jump: bool = True) -> None:
        """Mentions of ``name`` in the open document, and the documents that mention it."""
        index = self.entity_index
        if index is None:
            return
        mentions = mention_spans(self.library, doc_id, name) if doc_id else ()
        entity = index.entity(name)
        doc_ids = tuple(d for d, _ in entity.documents) if entity is not None else tuple(sorted(index.doc_ids(name)))
        if not get_current_worker().is_cancelled:
            self.post_message(EntityLoaded(generation, name, doc_id, mentions, doc_ids, jump))

    @work(thread=True, exclusive=True, group="entities", exit_on_error=False)
    def load_entities(self, generation: int, scope: str, effective: str, doc_id: str | None, doc_ids: tuple[str, ...]) -> None:
        """The sidebar's entities for ``scope`` (asked as ``effective``: "results" of an
        unfiltered list is the corpus)."""
        index = self.entity_index
        if index is None:
            self.post_message(EntitiesListed(generation, scope, (), "Entities are not available."))
            return
        empty = "No entities."
        if effective == "doc":
            if doc_id is None:
                self.post_message(EntitiesListed(generation, scope, (), "Open a document to see its entities."))
                return
            entities = index.entities(doc_id=doc_id)
            empty = "No entities in this document."
        elif effective == "results":
            entities = index.entities(doc_ids=list(doc_ids))
            empty = "No entities in these results."
        else:
            from ..widgets.entity_sidebar import CORPUS_LIMIT

            entities = index.entities()[:CORPUS_LIMIT]
        if not get_current_worker().is_cancelled:
            self.post_message(EntitiesListed(generation, scope, tuple(entities), empty))

    @work(thread=True, exclusive=True, group="filter", exit_on_error=False)
    def load_filter(self, generation: int, name: str) -> None:
        """The documents that mention ``name`` (for ``f``)."""
        index = self.entity_index
        if index is None:
            return
        doc_ids = frozenset(index.doc_ids(name))
        if not get_current_worker().is_cancelled:
            self.post_message(FilterLoaded(generation, name, doc_ids))

    @work(thread=True, exclusive=True, group="correction", exit_on_error=False)
    def apply_correction(self, kind: str, name: str | None, target: str | None = None) -> None:
        """Merge ``name`` into ``target``, hide ``name``, or undo the last correction."""
        index = self.entity_index
        if index is None:
            return
        if kind == "merge":
            done = index.merge(name, target)
        elif kind == "hide":
            done = index.hide(name)
        else:
            done = index.undo()
        described = done.describe() if hasattr(done, "describe") else str(done or "")
        if kind == "undo":
            summary = f"undid: {described}" if described else "nothing to undo"
        else:
            summary = described or f"{kind} {name}"
        self.post_message(CorrectionApplied(summary, kind, name, target))

    @work(thread=True, exclusive=True, group="merge-targets", exit_on_error=False)
    def load_merge_targets(self, name: str) -> None:
        """What ``name`` can be merged into: every entity of the corpus, not only the listed ones."""
        index = self.entity_index
        if index is None:
            return
        names = tuple(e.name for e in index.entities(documents=False) if e.name != name)
        if not get_current_worker().is_cancelled:
            self.post_message(MergeTargets(name, names))
