"""The ``entities:`` section of config.yaml: entities to add (name, type, aliases) and a stoplist."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .errors import ConfigError

TYPES = ("PERSON", "ORG", "PLACE", "PRODUCT", "EVENT")
"""The entity types, in the order their votes are stored."""


def validate_settings(settings: Any, where: str = "config.yaml", at: Callable[..., str] | None = None,
                      ) -> tuple[list[tuple[str, str, list[str]]], frozenset[str]]:
    """The ``entities:`` section as (added entities, folded stoplist); ConfigError on bad values.
    ``at(*path)`` names the place of a setting in the section (``at("add", 0, "type")`` ->
    ``file:line``); without it, every message names ``where``."""
    if at is None:
        def at(*path) -> str:
            return where
    if settings is None:
        return [], frozenset()
    if not isinstance(settings, dict):
        raise ConfigError(f"{at()}: entities must be a mapping with 'add' and 'stoplist', got {settings!r}")
    unknown = sorted(set(settings) - {"add", "stoplist"})
    if unknown:
        raise ConfigError(f"{at(unknown[0])}: unknown setting entities.{unknown[0]} (known: add, stoplist)")
    added: list[tuple[str, str, list[str]]] = []
    raw_add = settings.get("add") or []
    if not isinstance(raw_add, list):
        raise ConfigError(f"{at('add')}: entities.add must be a list of {{name, type, aliases}}, got {raw_add!r}")
    for n, item in enumerate(raw_add, 1):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"].strip():
            raise ConfigError(f"{at('add', n - 1)}: entities.add item {n} needs a name (text), got {item!r}")
        etype = str(item.get("type", "")).upper()
        if etype not in TYPES:
            raise ConfigError(f"{at('add', n - 1, 'type')}: entities.add {item['name']!r}: type must be one of {', '.join(TYPES)}, got {item.get('type')!r}")
        aliases = item.get("aliases") or []
        if isinstance(aliases, str):
            aliases = [aliases]
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            raise ConfigError(f"{at('add', n - 1, 'aliases')}: entities.add {item['name']!r}: aliases must be a list of names, got {aliases!r}")
        extra = sorted(set(item) - {"name", "type", "aliases"})
        if extra:
            raise ConfigError(f"{at('add', n - 1, extra[0])}: entities.add {item['name']!r}: unknown key {extra[0]!r} (known: name, type, aliases)")
        added.append((item["name"].strip(), etype, [a.strip() for a in aliases]))
    stop = settings.get("stoplist") or []
    if isinstance(stop, str):
        stop = [stop]
    if not isinstance(stop, list) or not all(isinstance(s, str) and s.strip() for s in stop):
        raise ConfigError(f"{at('stoplist')}: entities.stoplist must be a list of words, got {stop!r}")
    from .entity_lexicon import fold

    return added, frozenset(fold(s.strip()) for s in stop)
