"""config.yaml: loading, defaults and validation. Every error names the file (and line) at fault."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError
from .paths import SEEDS


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


_KEYS = {"corpus", "index_dir", "data_dir", "state_dir", "search", "entities", "keys"}


def load_config(path: Path | None = None, corpus: Path | None = None) -> Config:
    """Read ``path`` (default ``./config.yaml`` when present), then apply a ``corpus`` override."""
    explicit = path is not None
    path = Path(path) if explicit else Path("config.yaml")
    raw: dict[str, Any] = {}
    if path.exists() or explicit:
        raw = _read(path)
        source = path.resolve()
    else:
        source = None
    config = _build(raw, source)
    if corpus is not None:
        config = Config(**{**config.__dict__, "corpus": Path(corpus).expanduser().resolve()})
    return config


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config file ({exc})") from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"{where}: config.yaml does not parse: {problem}") from None
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: config.yaml must be a mapping of settings, not {type(raw).__name__}")
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise ConfigError(f"{path}: unknown setting {unknown[0]!r} (known: {', '.join(sorted(_KEYS))})")
    return raw


def _build(raw: dict[str, Any], source: Path | None) -> Config:
    base = source.parent if source else Path.cwd()
    where = str(source) if source else "config"

    def path_of(key: str) -> Path | None:
        value = raw.get(key)
        if value in (None, ""):
            return None
        if not isinstance(value, str):
            raise ConfigError(f"{where}: {key} must be a path, got {value!r}")
        p = Path(value).expanduser()
        return (p if p.is_absolute() else base / p).resolve()

    search = raw.get("search") or {}
    if not isinstance(search, dict):
        raise ConfigError(f"{where}: search must be a mapping, got {search!r}")
    limit = search.get("limit", 50)
    snippet = search.get("snippet_chars", 160)
    for key, value in (("search.limit", limit), ("search.snippet_chars", snippet)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ConfigError(f"{where}: {key} must be a positive whole number, got {value!r}")
    entities = raw.get("entities") or {}
    if not isinstance(entities, dict):
        raise ConfigError(f"{where}: entities must be a mapping, got {entities!r}")
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
    )


def _keys(value: Any, where: str) -> dict[str, str]:
    """The ``keys:`` section: action id -> a key or a list of keys, as comma-separated keys."""
    if value in (None, {}):
        return {}
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: keys must map action ids to keys (e.g. main.next-match: j), got {value!r}")
    keys: dict[str, str] = {}
    for action, chosen in value.items():
        if isinstance(chosen, str):
            chosen = [k for k in chosen.split(",")]
        if not isinstance(chosen, list) or not chosen or not all(isinstance(k, str) and k.strip() for k in chosen):
            raise ConfigError(f"{where}: keys.{action} must be a key or a list of keys, got {chosen!r}")
        keys[str(action)] = ",".join(k.strip() for k in chosen)
    return keys
