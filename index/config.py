"""config.yaml: loading, defaults and validation. Every error names the file (absolute) and, for a
setting in it, the line: ``/home/me/dossier.yaml:3: search.limit must be a positive whole number``.

The whole file is checked when it is loaded, whatever the command, so a mistake in one section
(say ``entities:``) stops ``dossier search`` as surely as ``dossier entities``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError
from .paths import SEEDS

Where = tuple
"""A setting's place in the file: its keys (and list positions), ``("search", "limit")``."""


@dataclass(frozen=True)
class Config:
    """Settings for one corpus. Paths are absolute."""

    corpus: Path = SEEDS
    index_dir: Path | None = None
    """Base directory for indexes; ``None`` means the per-user cache directory."""
    data_dir: Path | None = None
    """Base directory for bookmarks and corrections; ``None`` means the per-user data directory."""
    state_dir: Path | None = None
    search_limit: int = 50
    snippet_chars: int = 160
    entities: dict[str, Any] = field(default_factory=dict)
    """The raw ``entities:`` section, validated by the entity engine."""
    keys: dict[str, str] = field(default_factory=dict)
    """Browser keys chosen by the user: binding id -> comma-separated keys (checked by the browser)."""
    source: Path | None = None
    """The config file these settings came from, if any."""
    lines: dict[Where, int] = field(default_factory=dict, compare=False, repr=False)
    """The line of each setting in ``source``."""

    def where(self, *path) -> str:
        """``file:line`` of the setting at ``path`` (``"keys", "main.quit"``), for error messages:
        the nearest enclosing setting's line when that one has none, the file alone outside it."""
        if self.source is None:
            return "config"
        while path and path not in self.lines:
            path = path[:-1]
        return f"{self.source}:{self.lines[path]}" if path else str(self.source)


_KEYS = {"corpus", "index_dir", "data_dir", "state_dir", "search", "entities", "keys"}
_SEARCH_KEYS = {"limit", "snippet_chars"}


def load_config(path: Path | None = None, corpus: Path | None = None) -> Config:
    """Read ``path`` (default ``./config.yaml`` when present), then apply a ``corpus`` override."""
    explicit = path is not None
    path = Path(path) if explicit else Path("config.yaml")
    raw: dict[str, Any] = {}
    lines: dict[Where, int] = {}
    source = None
    if path.exists() or explicit:
        source = path.expanduser().resolve()
        raw, lines = _read(source)
    config = _build(raw, Config(source=source, lines=lines))
    if corpus is not None:
        config = Config(**{**config.__dict__, "corpus": Path(corpus).expanduser().resolve()})
    return config


class _Loader(yaml.SafeLoader):
    """``yaml.safe_load`` that also gives the line of every setting and rejects a key given twice
    in one mapping (PyYAML keeps the last silently)."""

    def lines(self, node, path: Where = ()) -> dict[Where, int]:
        found: dict[Where, int] = {}
        if isinstance(node, yaml.MappingNode):
            first: dict[Any, int] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge" or not isinstance(key_node, yaml.ScalarNode):
                    continue
                key = self.construct_object(key_node)
                line = key_node.start_mark.line + 1
                if key in first:
                    name = ".".join(str(p) for p in (*path, key))
                    raise ConfigError(f"{self.name}:{line}: {name} is set twice (first on line {first[key]})")
                first[key] = line
                found[(*path, key)] = line
                found.update(self.lines(value_node, (*path, key)))
        elif isinstance(node, yaml.SequenceNode):
            for n, item in enumerate(node.value):
                found[(*path, n)] = item.start_mark.line + 1
                found.update(self.lines(item, (*path, n)))
        return found


def _read(path: Path) -> tuple[dict[str, Any], dict[Where, int]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config file ({exc})") from None
    loader = _Loader(text)
    loader.name = str(path)
    try:
        node = loader.get_single_node()
        lines = loader.lines(node) if node is not None else {}
        raw = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"{where}: the config file does not parse: {problem}") from None
    finally:
        loader.dispose()
    if raw is None:
        return {}, {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: the config file must be a mapping of settings, not {type(raw).__name__}")
    return raw, lines


def _build(raw: dict[str, Any], base_config: Config) -> Config:
    source, where = base_config.source, base_config.where
    base = source.parent if source else Path.cwd()
    unknown = sorted(set(raw) - _KEYS, key=str)
    if unknown:
        raise ConfigError(f"{where(unknown[0])}: unknown setting {unknown[0]!r} (known: {', '.join(sorted(_KEYS))})")

    def path_of(key: str) -> Path | None:
        value = raw.get(key)
        if value in (None, ""):
            return None
        if not isinstance(value, str):
            raise ConfigError(f"{where(key)}: {key} must be a path, got {value!r}")
        p = Path(value).expanduser()
        return (p if p.is_absolute() else base / p).resolve()

    search = raw.get("search") or {}
    if not isinstance(search, dict):
        raise ConfigError(f"{where('search')}: search must be a mapping, got {search!r}")
    unknown = sorted(set(search) - _SEARCH_KEYS, key=str)
    if unknown:
        raise ConfigError(f"{where('search', unknown[0])}: unknown setting search.{unknown[0]} "
                          f"(known: {', '.join(sorted(_SEARCH_KEYS))})")
    limit = search.get("limit", 50)
    snippet = search.get("snippet_chars", 160)
    for key, value in (("limit", limit), ("snippet_chars", snippet)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ConfigError(f"{where('search', key)}: search.{key} must be a positive whole number, got {value!r}")
    entities = raw.get("entities") or {}
    if not isinstance(entities, dict):
        raise ConfigError(f"{where('entities')}: entities must be a mapping, got {entities!r}")
    from .entity_settings import validate_settings

    validate_settings(entities, str(source) if source else "config", lambda *p: where("entities", *p))
    return Config(
        keys=_keys(raw.get("keys"), where),
        corpus=path_of("corpus") or SEEDS,
        index_dir=path_of("index_dir"),
        data_dir=path_of("data_dir"),
        state_dir=path_of("state_dir"),
        search_limit=limit,
        snippet_chars=snippet,
        entities=entities,
        source=source,
        lines=base_config.lines,
    )


def _keys(value: Any, where) -> dict[str, str]:
    """The ``keys:`` section: action id -> a key or a list of keys, as comma-separated keys."""
    if value in (None, {}):
        return {}
    if not isinstance(value, dict):
        raise ConfigError(f"{where('keys')}: keys must map action ids to keys (e.g. main.next-match: j), got {value!r}")
    keys: dict[str, str] = {}
    for action, chosen in value.items():
        if isinstance(chosen, str):
            chosen = [k for k in chosen.split(",")]
        if not isinstance(chosen, list) or not chosen or not all(isinstance(k, str) and k.strip() for k in chosen):
            raise ConfigError(f"{where('keys', action)}: keys.{action} must be a key or a list of keys, got {chosen!r}")
        keys[str(action)] = ",".join(k.strip() for k in chosen)
    return keys
