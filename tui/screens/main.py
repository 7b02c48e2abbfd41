"""MainScreen: search bar, document list, reader, entity sidebar, status line and footer.

Screen state lives here in reactives (``search_query`` (``query`` would shadow ``DOMNode.query``),
``doc_id``, ``entity``, ``scope``, ``filter_name`` and the status fields bound to the StatusLine
with ``data_bind``). Engine calls are the thread
workers of ``EngineCalls``; their results come back as messages and are dropped when stale.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Input
from textual.worker import Worker

from index.errors import IndexDamaged
from index.models import Document

from ..messages import DocumentLoaded, DocumentMissing, IndexingFinished, ListLoaded, MatchesLoaded
from ..session import Session, load_session, save_session, session_path
from ..widgets.document_list import DocumentList, Row
from ..widgets.entity_sidebar import SCOPES, EntitySidebar
from ..widgets.key_footer import KeyFooter
from ..widgets.reader import Reader
from ..widgets.search_bar import SearchBar
from ..widgets.status_line import StatusLine
from .bookmark_keys import BookmarkKeys
from .engine import EngineCalls
from .entity_flow import EntityFlow
from .panes import NARROW, Panes
from .status import StatusFlow

SEARCHING_AFTER = 0.25
"""Seconds a search may take before the status line says "searching…"."""


class MainScreen(Panes, BookmarkKeys, EntityFlow, StatusFlow, EngineCalls, Screen):
    """The browser. Keys that work in every pane are bound here; pane keys live on the panes."""

    BINDINGS = [
        # Priority, so the keys typed right after "/" reach the input even in one burst (SSH);
        # check_action lets "/" through as a character while the input has focus.
        Binding("slash", "focus_pane('search')", "Search", id="main.search", key_display="/", priority=True),
        Binding("n", "next_match", "Next match", id="main.next-match"),
        Binding("N", "previous_match", "Prev match", id="main.previous-match"),
        Binding("right_square_bracket", "next_mention", "Next mention", id="main.next-mention", key_display="]"),
        Binding("left_square_bracket", "previous_mention", "Prev mention", id="main.previous-mention", key_display="["),
        Binding("e", "toggle_sidebar", "Entities", id="main.toggle-sidebar"),
        Binding("F", "clear_filter", "Clear filter", id="main.clear-filter", show=False),
        Binding("space", "scroll_reader", "Scroll reader", id="main.scroll-reader", show=False),
        Binding("tab", "app.focus_next", "Next pane", id="main.next-pane", show=False),
        Binding("shift+tab", "app.focus_previous", "Previous pane", id="main.previous-pane", show=False),
    ]

    search_query: reactive[str] = reactive("", init=False)
    """The search query; empty lists every document."""
    doc_id: reactive[str | None] = reactive(None, init=False)
    """The document open in the reader."""
    entity: reactive[str | None] = reactive(None, init=False)
    """The entity selected in the sidebar, whose mentions are highlighted."""
    scope: reactive[str] = reactive("doc", init=False)
    """Which entities the sidebar lists: "doc", "results" or "corpus"."""
    filter_name: reactive[str | None] = reactive(None, init=False)
    """The entity the list is filtered to, or None."""
    corpus: reactive[str] = reactive("")
    """The corpus folder's name (status line)."""
    documents: reactive[int] = reactive(-1)
    """Documents in the index, -1 until known (status line)."""
    summary: reactive[str] = reactive("")
    """What the list shows: the hit count (status line)."""
    activity: reactive[str] = reactive("")
    """Work in progress, ``indexing 3/14`` (status line)."""
    position: reactive[str] = reactive("")
    """``match 3/17`` and the entity's ``2/5`` (status line, right)."""
    notice: reactive[str] = reactive("", always_update=True)
    """What the last action did (status line); cleared after a few seconds, so set again even
    when unchanged, to show it for as long again."""

    def __init__(self, library: Any) -> None:
        super().__init__()
        self.library = library
        self._init_engine()
        self._index_ready = False
        self._loading = False
        self._queued_steps = 0
        self._percent = -1
        self._keep_cursor = False
        self._list_pending = False
        self._open_when_listed = False
        self._focus_reader_on_load = False
        self._generations: dict[str, int] = {}
        self._filter_ids: frozenset[str] | None = None
        self._entity_docs: tuple[str, ...] = ()
        self._docs: OrderedDict[str, Document] = OrderedDict()
        self._session_path = session_path(library)
        self._restore: Session | None = None
        self.corpus = library.config.corpus.name or str(library.config.corpus)

    def compose(self) -> ComposeResult:
        yield SearchBar(id="search")
        with Horizontal(id="panes"):
            yield DocumentList(id="list")
            yield Reader(id="reader")
            yield EntitySidebar(id="sidebar").data_bind(MainScreen.scope)
        yield StatusLine(id="status").data_bind(
            MainScreen.corpus, MainScreen.documents, MainScreen.summary, MainScreen.filter_name,
            MainScreen.activity, MainScreen.position, MainScreen.notice,
        )
        yield KeyFooter()

    # -- helpers ---------------------------------------------------------------------------
    @property
    def reader(self) -> Reader:
        return self.query_one(Reader)

    @property
    def doc_list(self) -> DocumentList:
        return self.query_one(DocumentList)

    @property
    def sidebar(self) -> EntitySidebar:
        return self.query_one(EntitySidebar)

    def _next(self, channel: str) -> int:
        self._generations[channel] = self._generations.get(channel, 0) + 1
        return self._generations[channel]

    def _current(self, channel: str, generation: int) -> bool:
        return self._generations.get(channel) == generation

    # -- start and stop --------------------------------------------------------------------
    def on_mount(self) -> None:
        self.set_class(self.size.width < NARROW, "-narrow")
        session = load_session(self._session_path)
        self._restore = session
        if session.scope in SCOPES:
            self.scope = session.scope
        if session.query:
            self.query_one(SearchBar).value = session.query
            self.search_query = session.query
        self.doc_list.show_rows((), placeholder="Opening the index…")
        self.query_one("#list").focus()
        self.prepare_index()

    def save_session(self) -> None:
        """Remember query, document and position for the next start."""
        if self._restore is not None:
            return  # quit before the saved state was even restored: keep it as it was
        reader = self.reader
        shown = reader.document is not None
        match = reader.matches[reader.current_match][0] if shown and reader.current_match is not None else None
        mention = reader.mentions[reader.current_mention][0] if shown and reader.current_mention is not None else None
        save_session(
            self._session_path,
            Session(self.search_query, self.doc_id, reader.cursor_offset if shown else 0, self.scope, self.entity, match, mention),
        )

    @on(Worker.StateChanged)
    def _worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        self.app.worker_failed(worker)
        if worker.group == "document" and worker.error is not None:
            self._restore = None
            self._loading = False
        if isinstance(worker.error, IndexDamaged) and worker.group != "index":
            self.prepare_index()  # the index is marked damaged: rebuild it (the notice follows)
        if worker.group == "index" and worker.error is not None:
            text = str(worker.error).splitlines()[0] if str(worker.error) else type(worker.error).__name__
            self.doc_list.show_rows((), placeholder=f"Cannot open the index: {text}")

    @on(IndexingFinished)
    def _indexing_finished(self, message: IndexingFinished) -> None:
        first = not self._index_ready
        self._index_ready = True
        self.documents = len(message.documents)
        report = message.report
        self.indexing_done(report, message.documents)
        if first or (report is not None and report.changed):
            self.refresh_list(keep=True)
        restore = self._restore if first else None
        known = {d.id for d in message.documents}
        if restore is not None and restore.doc_id not in known:
            self._restore = restore = None  # nothing (left) to restore: from now on, save
        if restore and restore.doc_id:
            # self._restore stays until the document is in, so quitting before keeps the state.
            if restore.entity:
                # Selected again without its watcher: the restored document and position win
                # over "jump to the first mention".
                self.set_reactive(MainScreen.entity, restore.entity)
                self.sidebar.selected = restore.entity
                self.load_entity(self._next("entity"), restore.entity, restore.doc_id, jump=False)
            self.open_document(restore.doc_id, land=("offset", restore.offset, restore.match, restore.mention))
        elif first:
            self.refresh_entities()

    # -- the list --------------------------------------------------------------------------
    @on(Input.Changed, "#search")
    def _query_typed(self, event: Input.Changed) -> None:
        self.search_query = event.value

    def watch_search_query(self) -> None:
        self.notice = ""  # what the last key did is about the old query
        self.refresh_list()

    def refresh_list(self, keep: bool = False) -> None:
        """Ask for the rows of the current query and filter (the newest request wins)."""
        if not self._index_ready:
            return
        self._keep_cursor = keep
        self._list_pending = True
        generation = self._next("list")
        self.load_list(generation, self.search_query, self.filter_name, self._filter_ids)
        # Most searches answer within a frame or two; a slow one says so instead of looking stuck.
        self.set_timer(SEARCHING_AFTER, lambda: self._still_searching(generation))

    def _still_searching(self, generation: int) -> None:
        if self._list_pending and self._current("list", generation):
            self.summary = "searching…"

    @on(ListLoaded)
    def _list_loaded(self, message: ListLoaded) -> None:
        if not self._current("list", message.generation) or message.query != self.search_query:
            return  # a newer query is on its way: drop this one
        self._list_pending = False
        keep = self.doc_id if self._keep_cursor else None
        if message.extends:
            keep = self.doc_list.current.id if self.doc_list.current else None
        if message.result is None:
            rows = tuple(Row.of_summary(d) for d in message.documents)
            empty = "No documents mention this entity." if self.filter_name else "No documents in the corpus."
            self.summary = ""
        else:
            result = message.result
            rows = tuple(Row.of_hit(h) for h in result.hits)
            empty = f"No documents match {result.query.strip()!r}."
            shown = len(rows)
            self.summary = (f"{shown} of {result.total} hits" if shown < result.total else f"{result.total} hit{'s' if result.total != 1 else ''}")
            if result.fallback:
                self.summary += " (query did not parse: searched its words)"
        if self.filter_name and message.result is None:
            self.summary = f"{len(rows)} listed"  # the filter itself is on the status line
        self.doc_list.show_rows(rows, placeholder=empty, keep=keep, extend=message.extends)
        self.doc_list.set_open(self.doc_id)
        self._update_open_matches(rows)
        if self.scope == "results":
            self.refresh_entities()
        if self._open_when_listed:
            self._open_when_listed = False
            self._loading = False
            if self.doc_list.current is not None:
                self.open_row(self.doc_list.current)
            else:
                self._queued_steps = 0

    def _update_open_matches(self, rows: tuple[Row, ...]) -> None:
        """Re-highlight the open document for the current query (spans from its hit when listed)."""
        if self.reader.document is None or self.reader.document.id != self.doc_id:
            return
        row = next((r for r in rows if r.id == self.doc_id and r.matches is not None), None)
        if row is not None:
            self.reader.set_matches(row.matches)
            self._show_position()
        elif not self.search_query.strip():
            self.reader.set_matches(())
            self._show_position()
        else:
            self.load_matches(self._next("matches"), self.doc_id, self.search_query)

    @on(MatchesLoaded)
    def _matches_loaded(self, message: MatchesLoaded) -> None:
        if self._current("matches", message.generation) and message.doc_id == self.doc_id and message.query == self.search_query:
            self.reader.set_matches(message.matches)
            self._show_position()

    @on(DocumentList.Opened)
    def _row_opened(self, event: DocumentList.Opened) -> None:
        self.open_row(event.row)

    def action_open_row(self) -> None:
        """Enter in the list: bound as ``screen.open_row`` so it takes effect before the keys
        typed after it (n, N) are handled, even when they all arrive in one burst."""
        if self._list_pending:
            # Enter typed ahead of the results (Enter, Enter after a query): open the top row
            # of the list being loaded, not of the one it replaces.
            self._open_when_listed = True
            self._loading = True  # n/N typed meanwhile wait for this document
            return
        if self.doc_list.current is not None:
            self.open_row(self.doc_list.current)

    def open_row(self, row: Row) -> None:
        """Open the document of ``row`` on its first match (or first mention), focus the reader."""
        if row.id == self.doc_id and self.reader.document is not None and not self._loading:
            self._open_again(row)
            return
        land = "first-match" if row.matches else "top"
        if self.entity and not row.matches:
            land = "first-mention"
        self.open_document(row.id, land=land, matches=row.matches, focus=True)

    def _open_again(self, row: Row) -> None:
        """Enter on the row of the open document: a hit lands on its first match, as any opened
        hit does, unless the reader is already at one of its matches (then it stays there)."""
        reader = self.reader
        if row.matches and reader.matches and reader.current_match is None:
            self._land("first-match")
        elif self.entity and not row.matches and reader.mentions and reader.current_mention is None:
            self._land("first-mention")
        self._show_position()
        self.set_focus(reader)
        self._run_queued_steps()

    # -- the reader ------------------------------------------------------------------------
    def open_document(self, doc_id: str, land: Any = "top", matches: tuple | None = None, notice: str = "", focus: bool = False) -> None:
        """Open ``doc_id`` in the reader and land on its first match (or ``land``)."""
        if self._restore is not None and doc_id != self._restore.doc_id:
            self._restore = None  # the user went elsewhere before the restored document came in
        if focus:
            self._focus_reader_on_load = True
        self._loading = True
        if matches is None and not self.search_query.strip():
            matches = ()
        self.load_document(self._next("document"), doc_id, self.search_query, matches, self.entity, land, notice)

    @on(DocumentMissing)
    def _document_missing(self, message: DocumentMissing) -> None:
        if self._current("document", message.generation):
            self._loading = False
            self._queued_steps = 0
            self._restore = None
            self.notice = "that document is no longer in the corpus"

    @on(DocumentLoaded)
    def _document_loaded(self, message: DocumentLoaded) -> None:
        if not self._current("document", message.generation) or message.query != self.search_query:
            return
        self._loading = False
        self._restore = None
        doc = message.document
        reader = self.reader
        reader.show(doc, message.matches, message.mentions if message.entity == self.entity else ())
        self._land(message.land)
        changed = self.doc_id != doc.id
        self.doc_id = doc.id
        self.doc_list.set_open(doc.id)
        index = self.doc_list.index_of(doc.id)
        if index is not None:
            self.doc_list.move_to(index)
        self.notice = message.notice
        self._show_position()
        if self._focus_reader_on_load:
            self._focus_reader_on_load = False
            self.set_focus(reader)
        if changed and self.scope == "doc":
            self.refresh_entities()
        self.save_session()
        self._run_queued_steps()

    def _land(self, land: Any) -> None:
        """Put the reader where ``land`` says (see ``DocumentLoaded.land``)."""
        reader = self.reader
        if isinstance(land, tuple) and land[0] == "offset":
            reader.go_to_offset(*land[1:])
        elif land == "first-match" and reader.matches:
            reader.go_to_match(0)
        elif land == "last-match" and reader.matches:
            reader.go_to_match(-1)
        elif land == "first-mention" and reader.mentions:
            reader.go_to_mention(0)
        elif land == "last-mention" and reader.mentions:
            reader.go_to_mention(-1)

    def _run_queued_steps(self) -> None:
        """The n/N typed while the document was on its way."""
        steps, self._queued_steps = self._queued_steps, 0
        for _ in range(abs(steps)):
            self._step_match(steps > 0)

    def _neighbour(self, forward: bool, wanted) -> Row | None:
        """The next (previous) row after the open document for which ``wanted(row)`` holds."""
        rows = self.doc_list.rows
        index = self.doc_list.index_of(self.doc_id)
        if index is None:
            index = self.doc_list.cursor - (1 if forward else -1)
        order = range(index + 1, len(rows)) if forward else range(index - 1, -1, -1)
        return next((rows[i] for i in order if wanted(rows[i])), None)

    def action_next_match(self) -> None:
        self._step_match(True)

    def action_previous_match(self) -> None:
        self._step_match(False)

    def _step_match(self, forward: bool) -> None:
        if not self.search_query.strip():
            self.notice = "no query: type one after /"
            return
        if self._loading:
            # Typed ahead of a document still loading (slow link, big corpus): step once it is in.
            self._queued_steps += 1 if forward else -1
            return
        if self.reader.document is not None and self.reader.step_match(forward):
            self.notice = ""
            self._show_position()
            return
        row = self._neighbour(forward, lambda r: bool(r.matches))
        if row is None:
            self.notice = "no more matches" + (" below" if forward else " above")
            self.app.bell()
            return
        self.open_document(
            row.id, land="first-match" if forward else "last-match", matches=row.matches,
            notice=f"{'next' if forward else 'previous'} document: {row.title}",
        )
