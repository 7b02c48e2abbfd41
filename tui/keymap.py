"""The ``keys:`` section of config.yaml: a user's own keys for any browser action.

Every binding has an id (``main.next-match``, ``reader.page-down``, ...); ``keys:`` maps ids to
keys and Textual's keymap applies them, so the footer, the help screen and the palette show the
user's keys. An id that no binding has is an error naming it, before the browser starts.
"""

from __future__ import annotations

import importlib
import pkgutil

from textual.binding import Binding

from index.errors import ConfigError


def binding_ids() -> dict[str, str]:
    """Every binding id of the browser and its description."""
    import tui.screens
    import tui.widgets

    modules = [importlib.import_module("tui.app")]
    for package in (tui.screens, tui.widgets):
        modules += [importlib.import_module(f"{package.__name__}.{m.name}") for m in pkgutil.iter_modules(package.__path__)]
    ids: dict[str, str] = {}
    for module in modules:
        for cls in vars(module).values():
            if isinstance(cls, type) and cls.__module__ == module.__name__ and "BINDINGS" in cls.__dict__:
                for binding in Binding.make_bindings(cls.__dict__["BINDINGS"]):
                    if binding.id:
                        ids.setdefault(binding.id, binding.description)
    return ids


def checked_keymap(keys: dict[str, str], where: str = "config.yaml") -> dict[str, str]:
    """``keys`` when every id in it is a binding's id; else a ConfigError naming the first that is not."""
    if not keys:
        return {}
    known = binding_ids()
    for action in keys:
        if action not in known:
            close = sorted(k for k in known if k.split(".")[-1] == action.split(".")[-1])
            hint = f" (did you mean {close[0]}?)" if close else " (the ids are listed in README.md, 'Your own keys')"
            raise ConfigError(f"{where}: keys.{action}: no browser action has this id{hint}")
    return dict(keys)
