"""Where dossier keeps its files: per-user cache (the index), data (bookmarks, corrections), state.

Every directory is keyed by the corpus path, so two corpora never share an index and nothing is
ever written inside the package or the corpus. platformdirs follows the XDG variables on Linux,
which is also how the tests point everything at a temporary directory.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import platformdirs

APP = "dossier"
SEEDS = Path(__file__).resolve().parent.parent / "seeds"
"""The bundled default corpus."""


def corpus_key(corpus: Path) -> str:
    """A directory name unique to ``corpus``: readable name plus a hash of its absolute path."""
    resolved = str(Path(corpus).resolve())
    digest = hashlib.sha1(resolved.encode("utf-8", "surrogateescape")).hexdigest()[:12]
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(resolved).name).strip("-") or "root"
    return f"{name[:40]}-{digest}"


def index_dir(corpus: Path, base: Path | None = None) -> Path:
    """The index directory for ``corpus``, under ``base`` or the per-user cache directory."""
    root = Path(base) if base else Path(platformdirs.user_cache_dir(APP)) / "indexes"
    return root / corpus_key(corpus)


def data_dir(corpus: Path, base: Path | None = None) -> Path:
    """The per-user data directory for ``corpus`` (bookmarks, entity corrections)."""
    root = Path(base) if base else Path(platformdirs.user_data_dir(APP)) / "corpora"
    return root / corpus_key(corpus)


def state_dir(corpus: Path, base: Path | None = None) -> Path:
    """The per-user state directory for ``corpus`` (what the browser restores on start)."""
    root = Path(base) if base else Path(platformdirs.user_state_dir(APP)) / "corpora"
    return root / corpus_key(corpus)
