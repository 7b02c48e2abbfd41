"""Writing documents into Whoosh fast: what goes where, and full builds in two processes.

``build`` does a full build in two worker processes that each hash, read, parse and index one
half of the files (split by size) with a ``FastWriter`` (index/fastwriter.py) into segments of
their own, then writes the index's table of contents naming them, the first half first, so
document numbers follow the file order as a single writer would number them. Each worker sends
its catalog rows to the parent as it goes, in batches of about ``ROWS_BATCH`` characters.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import queue
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, FileIndex, clean_files

from . import forking  # noqa: F401 - forked workers drop the parent's signal handling
from .catalog import catalog_row
from .dates import day_of
from .fastwriter import FastWriter
from .ingest import SkipFile, SourceFile, read_documents
from .models import Document, IndexProgress

ROWS_BATCH = 4 * 1024 * 1024
"""A build worker sends its catalog rows to the parent whenever this many characters wait."""


# -- what goes where ------------------------------------------------------------------------------

def index_fields(d: Document) -> dict:
    """The Whoosh fields of a document."""
    return {
        "id": d.id,
        "source": " ".join((d.source, d.publisher, d.url)),
        "title": d.title,
        "body": d.body,
        "body_exact": d.body,
        "body_pairs": d.body,
        "author": ", ".join(d.authors),
        "date": day_of(d.date),
    }


def file_sha1(path: Path) -> str:
    """The hex SHA-1 of a file's bytes; empty when it cannot be read."""
    h = hashlib.sha1()
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return ""
    return h.hexdigest()


# -- full builds in two processes -----------------------------------------------------------------

@dataclass
class FileResult:
    """What reading and indexing one file gave (its documents' rows are sent as they come): why
    it was skipped (empty when it was not), what was wrong with the part that was read."""

    path: str
    size: int
    mtime_ns: int
    digest: str
    skipped: str
    warnings: list[str] = field(default_factory=list)


def index_file(writer, corpus: Path, f: SourceFile, rows: Callable[[tuple], None], id_path: str | None = None) -> FileResult:
    """Hash, read and index one file (a fresh build: nothing to delete or compare); ``rows``
    takes each document's catalog row."""
    digest = file_sha1(corpus / f.path)
    result = FileResult(f.path, f.size, f.mtime_ns, digest, "")
    try:
        if not digest:
            raise SkipFile("cannot read")
        for d in read_documents(corpus, f.path, id_path=id_path, warn=result.warnings.append):
            writer.add_document(**index_fields(d))
            rows(catalog_row(d))
    except SkipFile as exc:
        result.skipped = str(exc)
    return result


def halves(files: list[SourceFile], parts: int) -> list[list[SourceFile]]:
    """``files`` cut into ``parts`` runs (order kept) of about equal total size."""
    total = sum(max(f.size, 0) for f in files) or 1
    out: list[list[SourceFile]] = [[] for _ in range(parts)]
    seen = 0
    for f in files:
        k = min(parts - 1, seen * parts // total)
        out[k].append(f)
        seen += max(f.size, 0)
    return out


def _worker(ix_dir: str, corpus: Path, files: list[SourceFile], part: int, results, id_paths: dict[str, str]) -> None:
    try:
        ix = FileIndex(FileStorage(ix_dir))
        writer = FastWriter(ix, _lk=False, compound=False)
        batch: list[tuple] = []
        size = 0

        def row(r: tuple) -> None:
            nonlocal size
            batch.append(r)
            size += len(r[-1]) + 200
            if size >= ROWS_BATCH:
                send()

        def send() -> None:
            nonlocal size
            if batch:
                results.put(("rows", part, list(batch), None))
                batch.clear()
                size = 0

        for n, f in enumerate(files, 1):
            result = index_file(writer, corpus, f, row, id_paths.get(f.path))
            send()  # (a file's rows before its result: the parent counts them as added)
            results.put(("file", part, result, None))
            if n % 25 == 0:
                results.put(("progress", part, 25, f.path))
        results.put(("done", part, writer.segments_written(), None))
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises
        results.put(("error", part, traceback.format_exc(), None))


@dataclass
class Built:
    """A finished parallel build, not yet visible: ``commit`` writes the index's new table of
    contents."""

    ix_dir: str
    segments: list

    def commit(self) -> None:
        storage = FileStorage(self.ix_dir)
        ix = FileIndex(storage)
        info = ix._read_toc()
        generation = info.generation + 1
        TOC(info.schema, self.segments, generation).write(storage, ix.indexname)
        clean_files(storage, ix.indexname, generation, self.segments)
        storage.temp_storage(f"{ix.indexname}.tmp").destroy()


def build(
    ix_dir: str,
    corpus: Path,
    files: list[SourceFile],
    procs: int = 2,
    progress: Callable[[IndexProgress], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    id_paths: dict[str, str] | None = None,
    on_file: Callable[[FileResult], None] | None = None,
    on_rows: Callable[[list[tuple]], None] | None = None,
) -> Built:
    """Index ``files`` into the empty index in ``ix_dir`` with ``procs`` worker processes.

    ``on_rows`` takes the catalog rows of the documents as the workers send them, ``on_file``
    each file's result after its rows; ``id_paths``: path -> the path its ids are made from,
    where they differ. Raises ``Cancelled`` (from ``store``) when ``cancelled()`` turns true,
    ``RuntimeError`` when a worker fails. Nothing is visible in the index until ``Built.commit``.
    """
    from .store import Cancelled

    ctx = multiprocessing.get_context("fork")
    results = ctx.Queue()
    parts = halves(files, procs)
    workers = [
        ctx.Process(target=_worker, args=(ix_dir, corpus, part, k, results, id_paths or {}), daemon=True)
        for k, part in enumerate(parts)
    ]
    for p in workers:
        p.start()
    finished: dict[int, tuple] = {}
    count = 0
    try:
        while len(finished) < len(workers):
            if cancelled and cancelled():
                raise Cancelled
            try:
                kind, part, a, b = results.get(timeout=0.1)
            except queue.Empty:
                if any(p.exitcode not in (None, 0) for p in workers):
                    raise RuntimeError("an indexing process stopped unexpectedly") from None
                continue
            if kind == "error":
                raise RuntimeError(f"indexing failed:\n{a}")
            if kind == "rows":
                if on_rows:
                    on_rows(a)
            elif kind == "file":
                if on_file:
                    on_file(a)
            elif kind == "progress":
                count += a
                if progress:
                    progress(IndexProgress(min(count, len(files)), len(files), b))
            else:
                finished[part] = a
    except BaseException:
        for p in workers:
            if p.is_alive():
                p.terminate()
        for p in workers:
            p.join()
        raise
    for p in workers:
        p.join()
    return Built(ix_dir, [s for k in range(len(workers)) for s in finished[k]])
