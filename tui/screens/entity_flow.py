"""The entity side of the main screen, mixed into ``MainScreen``: the sidebar's scopes, selecting an
entity (its mentions highlighted in the reader, the first one in view), ``]``/``[`` across
documents, ``f`` to filter the list, and the corrections (merge, hide, undo)."""

from __future__ import annotations

from textual import on
from textual.screen import Screen

from ..messages import CorrectionApplied, EntitiesListed, EntityLoaded, FilterLoaded, MergeTargets
from ..widgets.entity_sidebar import SCOPE_LABELS, SCOPES, EntitySidebar


class EntityFlow(Screen):
    """Entity state lives in the main screen's reactives ``entity``, ``scope``, ``filter_name``."""

    def refresh_entities(self) -> None:
        """Ask for the sidebar's entities in the current scope."""
        doc_ids: tuple[str, ...] = ()
        scope = self.scope
        if scope == "results":
            if not self.search_query.strip() and self.filter_name is None:
                scope = "corpus"  # the list shows every document: the corpus is the result set
            else:
                doc_ids = tuple(r.id for r in self.doc_list.rows)
        self.load_entities(self._next("entities"), self.scope, scope, self.doc_id, doc_ids)

    @on(EntitiesListed)
    def _entities_listed(self, message: EntitiesListed) -> None:
        if self._current("entities", message.generation) and message.scope == self.scope:
            self.sidebar.show_entities(message.entities, message.empty)

    def watch_scope(self) -> None:
        self.notice = f"entities of the {SCOPE_LABELS[self.scope]}"
        self.refresh_entities()

    @on(EntitySidebar.ScopeRequested)
    def _cycle_scope(self) -> None:
        self.scope = SCOPES[(SCOPES.index(self.scope) + 1) % len(SCOPES)]

    @on(EntitySidebar.Selected)
    def _entity_selected(self, event: EntitySidebar.Selected) -> None:
        # Enter on the selected entity again clears the highlight.
        self.entity = None if event.name == self.entity else event.name

    def watch_entity(self) -> None:
        self.sidebar.selected = self.entity
        if self.entity is None:
            self._entity_docs = ()
            self.reader.set_mentions(())
            self._show_position()
            self.notice = ""
            return
        self.load_entity(self._next("entity"), self.entity, self.doc_id)

    @on(EntityLoaded)
    def _entity_loaded(self, message: EntityLoaded) -> None:
        if not self._current("entity", message.generation) or message.name != self.entity:
            return
        self._entity_docs = message.doc_ids
        count = len(message.doc_ids)
        if message.jump:  # a new selection (not a restore or a refresh after a correction)
            self.notice = f"{message.name}: in {count} document{'s' if count != 1 else ''} · ] and [ step"
        if message.doc_id is not None and message.doc_id != self.doc_id:
            return  # chosen while that document loads: it brings its own mentions, and stays
        if not message.jump:
            self.reader.set_mentions(message.mentions)
            self._show_position()
            return
        if message.doc_id is not None:
            self.reader.set_mentions(message.mentions)
            if message.mentions:
                self.reader.go_to_mention(0)
                self._show_position()
                return
        target = self._entity_neighbour(True, from_start=True)
        if target is not None and target != self.doc_id:
            self.open_document(target, land="first-mention", notice=self.notice)
        self._show_position()

    def _entity_order(self) -> list[str]:
        """Documents mentioning the entity: in list order, then the others newest first."""
        mentioned = set(self._entity_docs)
        order = [r.id for r in self.doc_list.rows if r.id in mentioned]
        seen = set(order)
        rest = [d.id for d in (self._all_docs or ()) if d.id in mentioned and d.id not in seen]
        seen.update(rest)
        return order + rest + sorted(mentioned - seen)

    def _entity_neighbour(self, forward: bool, from_start: bool = False) -> str | None:
        """The next (previous) document mentioning the entity after the open one."""
        order = self._entity_order()
        if not order:
            return None
        if from_start or self.doc_id not in order:
            return order[0] if forward else order[-1]
        index = order.index(self.doc_id) + (1 if forward else -1)
        return order[index] if 0 <= index < len(order) else None

    def action_next_mention(self) -> None:
        self._step_mention(True)

    def action_previous_mention(self) -> None:
        self._step_mention(False)

    def _step_mention(self, forward: bool) -> None:
        if self.entity is None:
            self.notice = "select an entity first: e for the sidebar, then Enter"
            return
        if self._loading:
            return  # the document with the next mentions is on its way
        if self.reader.document is not None and self.reader.step_mention(forward):
            self.notice = ""
            self._show_position()
            return
        target = self._entity_neighbour(forward)
        if target is None or target == self.doc_id:
            self.notice = f"no more mentions of {self.entity}" + (" below" if forward else " above")
            self.app.bell()
            return
        self.open_document(target, land="first-mention" if forward else "last-mention",
                           notice=f"{'next' if forward else 'previous'} document mentioning {self.entity}")

    # -- filter ----------------------------------------------------------------------------
    @on(EntitySidebar.FilterRequested)
    def _filter_requested(self, event: EntitySidebar.FilterRequested) -> None:
        if event.name == self.filter_name:
            self.action_clear_filter()
            return
        self.load_filter(self._next("filter"), event.name)

    @on(FilterLoaded)
    def _filter_loaded(self, message: FilterLoaded) -> None:
        if self._current("filter", message.generation):
            self._filter_ids = message.doc_ids
            self.filter_name = message.name
            count = len(message.doc_ids)
            self.notice = f"{count} document{'s' if count != 1 else ''} · F clears"
            self.refresh_list(keep=True)

    def action_clear_filter(self) -> None:
        if self.filter_name is None:
            return
        self._filter_ids = None
        self.filter_name = None
        self.notice = "filter cleared"
        self.refresh_list(keep=True)

    # -- corrections -----------------------------------------------------------------------
    @on(EntitySidebar.CorrectionRequested)
    def _correction_requested(self, event: EntitySidebar.CorrectionRequested) -> None:
        if event.kind == "merge":
            # The target may be any entity of the corpus, not only one listed in this scope.
            self.load_merge_targets(event.name)
        else:
            self.apply_correction(event.kind, event.name)

    @on(MergeTargets)
    def _merge_targets(self, message: MergeTargets) -> None:
        from .pick_entity import EntityPicker

        if not message.names:
            self.notice = "no other entity to merge into"
            return

        def merge(target: str | None) -> None:
            if target:
                self.apply_correction("merge", message.name, target)

        self.app.push_screen(EntityPicker(f"Merge {message.name} into…", list(message.names)), merge)

    @on(CorrectionApplied)
    def _correction_applied(self, message: CorrectionApplied) -> None:
        self.refresh_entities()
        selected = self.entity
        if selected is not None and message.name == selected and message.kind == "hide":
            self.entity = None  # gone from every list and from the reader
        elif selected is not None:
            # The reader stays where it is: only the mentions are fetched again (a merge into
            # the selected entity adds some; merged into another, it is selected by its new name).
            if message.kind == "merge" and message.name == selected and message.target:
                selected = message.target
                self.set_reactive(type(self).entity, selected)
                self.sidebar.selected = selected
            self.load_entity(self._next("entity"), selected, self.doc_id, jump=False)
        self.notice = message.summary + (" · u undoes" if not message.summary.startswith("undid") else "")
