"""Moved and renamed files keep their documents' ids (bookmarks and history stay on them).

A document's id is made from a path and a key (``ingest.doc_id``). The path is the file's own
unless the file was moved: then it is the path its documents first had, kept in the catalog
(``files.ids``) through updates and rebuilds. A file that is gone and a new one with the same bytes
in the same update is a move; a new file at a path whose ids a moved file still uses gets ids
of its own (``path`` and a number), so no two documents ever share an id.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .ingest import SourceFile


class Renames:
    """The moves found in one update, and the path each file's ids are made from.

    ``id_paths``: path -> id path where the two differ, as stored (updated in place); ``known``:
    path -> ``(size, mtime_ns, sha1, skipped)`` of the files in the catalog; ``gone``: known paths
    no longer in the corpus; ``todo``: the files to read, with ``digests`` of their bytes.
    """

    def __init__(self, id_paths: dict[str, str], known: Mapping[str, tuple], gone: Iterable[str],
                 todo: Iterable[SourceFile], digests: Mapping[str, str]) -> None:
        self.id_paths = id_paths
        self._known = known
        by_digest: dict[str, list[str]] = {}
        for p in gone:
            if known[p][2] and not known[p][3]:  # (a file skipped has no documents to keep)
                by_digest.setdefault(known[p][2], []).append(p)
        self.origin: dict[str, str] = {}
        """New path -> the path of the gone file it is."""
        for f in todo:
            candidates = by_digest.get(digests[f.path]) if f.path not in known else None
            if candidates:
                self.origin[f.path] = candidates.pop(0)
        self.moved_away = set(self.origin.values())
        self._taken = {id_paths.get(p, p) for p in known}  # (those of files moved away too)
        for p, old in self.origin.items():
            id_paths[p] = id_paths.pop(old, old)

    def id_path(self, path: str) -> str:
        """The path ``path``'s ids are made from (one of its own for a new file where ids are taken)."""
        if path not in self.id_paths and path not in self._known and path in self._taken:
            k = 1
            while f"{path}\x00{k}" in self._taken:
                k += 1
            self.id_paths[path] = f"{path}\x00{k}"
        id_path = self.id_paths.get(path, path)
        self._taken.add(id_path)
        return id_path
