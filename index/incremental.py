"""An update of the files that changed since the last one, through one Whoosh writer: documents
of gone files deleted, of changed files compared with what the catalog holds (only those that
differ are written again), of moved files kept under their ids (index/rename.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .bulk import file_sha1, index_fields
from .catalog import CatalogRows, catalog_row
from .ingest import SkipFile, SourceFile, read_documents
from .models import IndexProgress
from .rename import Renames


@dataclass
class Tally:
    """What an update did, as the report gives it."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    moved: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    changed_ids: list[str] = field(default_factory=list)
    removed_ids: list[str] = field(default_factory=list)


def update_files(  # noqa: C901
    writer,
    corpus: Path,
    todo: list[SourceFile],
    known: dict[str, tuple],
    gone: list[str],
    old_docs: dict[str, list[str]],
    id_paths: dict[str, str],
    rows: CatalogRows,
    old_row: Callable[[str], tuple | None],
    tally: Tally,
    progress: Callable[[IndexProgress], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> None:
    """Read ``todo`` (files added or changed: size or mtime) into ``writer`` and ``rows``.

    ``known``: path -> ``(size, mtime_ns, sha1, skipped)`` as the catalog has them; ``gone``: known
    paths no longer in the corpus; ``old_docs``: path -> the ids of its documents in the catalog;
    ``old_row``: a document's catalog row by id. Raises ``Cancelled`` (from ``store``) when
    ``cancelled()`` turns true; nothing is committed here.
    """
    from .store import Cancelled

    digests = {}
    for f in todo:
        if cancelled and cancelled():
            raise Cancelled
        digests[f.path] = file_sha1(corpus / f.path)
    # A file gone and a new one with the same bytes: moved or renamed. Its documents
    # keep their ids and are reported as moved (index/rename.py).
    renames = Renames(id_paths, known, gone, todo, digests)
    for source in gone:
        if source in renames.moved_away:
            continue
        for doc in old_docs.get(source, []):
            writer.delete_by_term("id", doc)
            tally.removed_ids.append(doc)
        tally.removed += len(old_docs.get(source, []))
    for n, f in enumerate(todo):
        if cancelled and cancelled():
            raise Cancelled
        if progress:
            progress(IndexProgress(n, len(todo), f.path))
        digest = digests[f.path]
        if digest and f.path in known and known[f.path][2] == digest:
            rows.file((f.path, f.size, f.mtime_ns, digest, known[f.path][3], id_paths.get(f.path, f.path)))
            continue
        origin = renames.origin.get(f.path)
        id_path = renames.id_path(f.path)
        before = set(old_docs.get(origin or f.path, []))
        now: set[str] = set()
        problem = ""

        def warn(text: str, path: str = f.path) -> None:
            tally.warnings.append((path, text))

        try:
            if not digest:
                raise SkipFile("cannot read")
            for d in read_documents(corpus, f.path, id_path=id_path, warn=warn):
                now.add(d.id)
                row = catalog_row(d)
                old = old_row(d.id) if d.id in before else None
                if old == row:
                    continue  # an item of a changed feed that did not change itself
                if old is not None:
                    writer.delete_by_term("id", d.id)
                    if origin and old[:1] + old[2:] == row[:1] + row[2:]:
                        tally.moved += 1  # the same document, only its file moved
                    else:
                        tally.updated += 1
                else:
                    tally.added += 1
                writer.add_document(**index_fields(d))
                rows.document(row)
                tally.changed_ids.append(d.id)
        except SkipFile as exc:
            problem = str(exc)
            tally.skipped.append((f.path, problem))
        rows.file((f.path, f.size, f.mtime_ns, digest or "", problem, id_path))
        for doc in before - now:
            writer.delete_by_term("id", doc)
            tally.removed_ids.append(doc)
        tally.removed += len(before - now)
    examined = {f.path for f in todo} | set(gone)  # (the files skipped before and not read again)
    tally.skipped += [(p, k[3]) for p, k in known.items() if k[3] and p not in examined]
    tally.skipped.sort()
    if progress:
        progress(IndexProgress(len(todo), len(todo), ""))
