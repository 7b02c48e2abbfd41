"""EntitySidebar: the entities of the open document, of the search results, or of the whole corpus,
grouped by type with mention counts. Selecting one highlights its mentions in the reader."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from .layout import one_line, wrap_offsets

SCOPES = ("doc", "results", "corpus")
"""What the sidebar lists: the open document, the documents in the list, every document."""
SCOPE_LABELS = {"doc": "doc", "results": "results", "corpus": "corpus"}
TYPE_LABELS = {
    "PERSON": "People",
    "ORG": "Organisations",
    "GPE": "Places",
    "LOC": "Places",
    "PLACE": "Places",
    "PRODUCT": "Products",
    "EVENT": "Events",
    "WORK": "Works",
}
COUNT_WIDTH = 5
"""Cells of the mention count in front of each name."""
CORPUS_LIMIT = 500
"""Entities listed in the corpus scope (the most mentioned); the rest are a search away."""


def entity_name(entity: Any) -> str:
    return getattr(entity, "name", str(entity))


def entity_type(entity: Any) -> str:
    return str(getattr(entity, "type", "") or "OTHER")


def entity_count(entity: Any) -> int:
    for attr in ("count", "mentions", "mention_count", "n"):
        value = getattr(entity, attr, None)
        if isinstance(value, int):
            return value
        if isinstance(value, (tuple, list)):
            return len(value)
    return 0


class EntityOptions(OptionList, inherit_bindings=False):
    """The option list inside the sidebar (keeps OptionList's name: it is one).

    It has no bindings of its own: OptionList's (Enter, arrows, Home/End, PgUp/PgDn) had no ids
    and no place in the footer, help or palette. The sidebar binds those keys, with ids and
    descriptions, and they reach it from here.
    """


class EntitySidebar(Vertical):
    """Entities grouped by type; Enter selects, ``s`` cycles the scope, ``f`` filters the list."""

    BINDINGS = [
        Binding("enter", "select", "Select entity", id="sidebar.select"),
        Binding("j,down", "move(1)", "Down", id="sidebar.cursor-down", show=False),
        Binding("k,up", "move(-1)", "Up", id="sidebar.cursor-up", show=False),
        Binding("g,home", "move_to('first')", "First", id="sidebar.first", show=False),
        Binding("G,end", "move_to('last')", "Last", id="sidebar.last", show=False),
        Binding("pagedown", "page(1)", "Page down", id="sidebar.page-down", show=False),
        Binding("pageup", "page(-1)", "Page up", id="sidebar.page-up", show=False),
        Binding("escape", "screen.focus_pane('list')", "Back to list", id="sidebar.leave", show=False),
        Binding("s", "cycle_scope", "Scope", id="sidebar.cycle-scope"),
        Binding("f", "filter", "Filter list", id="sidebar.filter"),
        Binding("m", "merge", "Merge", id="sidebar.merge"),
        Binding("x", "hide", "Hide", id="sidebar.hide"),
        Binding("u", "undo", "Undo", id="sidebar.undo"),
    ]

    scope: reactive[str] = reactive("doc")
    """Which documents the entities come from (one of ``SCOPES``), bound to the screen's."""

    class Selected(Message):
        """An entity was chosen (Enter or click)."""

        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    class ScopeRequested(Message):
        """The user asked for the next scope."""

    class FilterRequested(Message):
        """Filter the document list to the documents mentioning ``name``."""

        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    class CorrectionRequested(Message):
        """``kind`` is "merge", "hide" or "undo"; ``name`` the highlighted entity (None for undo)."""

        def __init__(self, kind: str, name: str | None) -> None:
            super().__init__()
            self.kind = kind
            self.name = name

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.entities: list[Any] = []
        """The entities listed, in display order."""
        self.selected: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="sidebar-title")
        yield EntityOptions(id="entity-options")

    def on_mount(self) -> None:
        self._title()

    def watch_scope(self) -> None:
        if self.is_mounted:
            self._title()

    def _title(self) -> None:
        text = Text()
        for scope in SCOPES:
            label = SCOPE_LABELS[scope]
            text.append(f" {label} ", style="reverse bold" if scope == self.scope else "dim")
        self.query_one("#sidebar-title", Static).update(text)

    @property
    def options(self) -> EntityOptions:
        return self.query_one(EntityOptions)

    def show_entities(self, entities: Iterable[Any], empty: str = "No entities.") -> None:
        """List ``entities`` grouped by type, most mentioned first within a type."""
        self._shown = (tuple(entities), empty)
        entities = self._shown[0]
        width = self.options.scrollable_content_region.width or 24
        self._shown_width = width
        groups: dict[str, list[Any]] = {}
        for entity in entities:
            groups.setdefault(TYPE_LABELS.get(entity_type(entity).upper(), entity_type(entity).title()), []).append(entity)
        options: list[Option] = []
        ordered: list[Any] = []
        for label in sorted(groups, key=lambda g: (-sum(entity_count(e) for e in groups[g]), g)):
            members = sorted(groups[label], key=lambda e: (-entity_count(e), entity_name(e).casefold()))
            options.append(Option(Text(f"{label} ({len(members)})", style="bold underline"), disabled=True))
            for entity in members:
                row = Text(f"{entity_count(entity):>4} ", style="dim")
                name = one_line(entity_name(entity))
                # Long names wrap under the name, not under the count (a hanging indent).
                lines = wrap_offsets(name, 0, len(name), max(8, width - COUNT_WIDTH))
                row.append(("\n" + " " * COUNT_WIDTH).join(name[a:b].rstrip() for a, b in lines))
                options.append(Option(row, id=f"e:{len(ordered)}"))
                ordered.append(entity)
        if not options:
            options.append(Option(Text(empty, style="dim italic"), disabled=True))
        keep = self.highlighted_name  # by name: the same row may hold another entity now
        self.entities = ordered
        lst = self.options
        lst.set_options(options)
        names = [entity_name(e) for e in ordered]
        target = keep if keep in names else self.selected if self.selected in names else None
        if target is not None:
            lst.highlighted = lst.get_option_index(f"e:{names.index(target)}")
        elif ordered:
            lst.highlighted = lst.get_option_index("e:0")

    def on_resize(self) -> None:
        shown = getattr(self, "_shown", None)
        if shown is not None and self.options.scrollable_content_region.width != self._shown_width:
            self.show_entities(*shown)

    @property
    def highlighted_name(self) -> str | None:
        lst = self.options
        option = lst.highlighted_option
        if option is None or not option.id:
            return None
        index = int(option.id[2:])
        return entity_name(self.entities[index]) if index < len(self.entities) else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        name = self.highlighted_name
        if name is not None:
            self.selected = name
            self.post_message(self.Selected(name))

    def action_select(self) -> None:
        """Enter: select the highlighted entity (again: clear the selection)."""
        self.options.action_select()

    def action_move(self, step: int) -> None:
        """j/k and the arrows (group headers are skipped)."""
        options = self.options
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    def action_page(self, step: int) -> None:
        if step > 0:
            self.options.action_page_down()
        else:
            self.options.action_page_up()

    def action_move_to(self, where: str) -> None:
        options = self.options
        if where == "first":
            options.action_first()
        else:
            options.action_last()

    def action_cycle_scope(self) -> None:
        self.post_message(self.ScopeRequested())

    def action_filter(self) -> None:
        name = self.highlighted_name or self.selected
        if name is not None:
            self.post_message(self.FilterRequested(name))

    def action_merge(self) -> None:
        if self.highlighted_name:
            self.post_message(self.CorrectionRequested("merge", self.highlighted_name))

    def action_hide(self) -> None:
        if self.highlighted_name:
            self.post_message(self.CorrectionRequested("hide", self.highlighted_name))

    def action_undo(self) -> None:
        self.post_message(self.CorrectionRequested("undo", None))
