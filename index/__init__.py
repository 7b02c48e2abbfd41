"""dossier's headless engine: ingestion, analysis, index, search, entities and bookmarks.

Nothing here imports textual; every whoosh import stays inside this package.
"""

from .config import Config, load_config
from .errors import ConfigError, CorpusError, DossierError, UnknownDocument
from .library import Library
from .models import DocSummary, Document, Hit, IndexProgress, IndexReport, SearchResult, Snippet, Span

__all__ = [
    "Config",
    "ConfigError",
    "CorpusError",
    "DocSummary",
    "DossierError",
    "Document",
    "Hit",
    "IndexProgress",
    "IndexReport",
    "Library",
    "SearchResult",
    "Snippet",
    "Span",
    "UnknownDocument",
    "load_config",
]
