"""Writing documents into Whoosh fast: an in-memory posting table, and full builds in two processes.

Whoosh's ``SegmentWriter`` sends every posting through a sorting pool that pickles it to a run
file and back (a 10,000-document build spilled ~9 million postings that way) and then looks up
the field length of every posting in the column files it has just written. ``FastWriter`` files
each posting under its term as it comes (documents arrive in order, so every term's list is
already sorted), asks for each document's field lengths once, and writes each term's posting
blocks from those lists: the segment files are the ones Whoosh would write.

``build`` does a full build in two worker processes that each hash, read, parse and index one
half of the files (split by size) into a segment of their own, then writes the index's table of
contents naming both segments, the first half first, so document numbers follow the file order
as a single writer would number them.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import queue
import traceback
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from whoosh.codec.whoosh3 import W3PostingsWriter
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, FileIndex, clean_files
from whoosh.writing import SegmentWriter

from . import forking  # noqa: F401 - forked workers drop the parent's signal handling
from .analysis import BUCKET_NAMES, PAIR_BUCKETS, WordPairs
from .dates import day_of
from .ingest import SkipFile, SourceFile, read_documents
from .models import Document, IndexProgress


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


def catalog_row(d: Document) -> tuple:
    """The catalog's ``documents`` row of a document."""
    return (d.id, d.source, d.part, d.title, d.publisher, d.date, json.dumps(list(d.authors)), d.url, d.body)


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


# -- the writer -----------------------------------------------------------------------------------

class _TermTable:
    """Stands in for Whoosh's posting pool: postings filed by field and term, in memory."""

    def __init__(self) -> None:
        self.fields: dict[str, dict[bytes, tuple]] = {}
        self.unsorted: set[tuple[str, bytes]] = set()
        self.fieldnames: set[str] = set()

    def terms(self, fieldname: str) -> dict[bytes, tuple]:
        terms = self.fields.get(fieldname)
        if terms is None:
            terms = self.fields[fieldname] = {}
            self.fieldnames.add(fieldname)
        return terms

    def add(self, item) -> None:
        """One posting ``(fieldname, tbytes, docnum, weight, vbytes)`` (segments merged in)."""
        fieldname, tbytes, docnum, weight, vbytes = item
        terms = self.terms(fieldname)
        postings = terms.get(tbytes)
        if postings is None:
            postings = terms[tbytes] = (array("I"), array("d"), [])
        elif postings[0][-1] > docnum:
            self.unsorted.add((fieldname, tbytes))
        postings[0].append(docnum)
        postings[1].append(weight)
        postings[2].append(vbytes)

    def iter_postings(self):
        for fieldname in sorted(self.fields):
            terms = self.fields[fieldname]
            for tbytes in sorted(terms):
                for docnum, weight, vbytes in self.postings(fieldname, tbytes):
                    yield fieldname, tbytes, docnum, weight, vbytes

    def postings(self, fieldname: str, tbytes: bytes) -> list[tuple]:
        docs, weights, values = self.fields[fieldname][tbytes]
        rows = list(zip(docs, weights, values))
        if (fieldname, tbytes) in self.unsorted:
            rows.sort(key=lambda r: r[0])
        return rows

    def cleanup(self) -> None:
        self.fields.clear()


class FastWriter(SegmentWriter):
    """A ``SegmentWriter`` that keeps its postings in a ``_TermTable`` (see the module notes).

    For schemas without term vectors or spelling fields (ours); same segment files as Whoosh's.
    """

    def __init__(self, ix, **kwargs) -> None:
        super().__init__(ix, **kwargs)
        for name, fieldobj in self.schema.items():
            if fieldobj.vector or fieldobj.separate_spelling():
                raise ValueError(f"FastWriter cannot index field {name!r} (vectors or spelling)")
        self.pool.cleanup()
        self.pool = _TermTable()
        self._buckets: dict[str, list] = {}  # WordPairs fields: documents per bucket number

    def add_document(self, **fields) -> None:
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        table = self.pool
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                fieldobj = schema[fieldname]
                length = 0
                if type(fieldobj) is WordPairs:  # weight 1.0 (no field or document boosts here)
                    appends = self._buckets.get(fieldname)
                    if appends is None:
                        appends = self._buckets[fieldname] = [array("I").append for _ in range(PAIR_BUCKETS)]
                    for bucket in fieldobj.buckets(value):
                        appends[bucket](docnum)
                elif fieldobj.indexed:
                    fieldboost = self._field_boost(fields, fieldname, docboost)
                    scorable = fieldobj.scorable
                    terms = table.terms(fieldname)
                    for tbytes, freq, weight, vbytes in fieldobj.index(value):
                        if scorable:
                            length += freq
                        postings = terms.get(tbytes)
                        if postings is None:
                            postings = terms[tbytes] = (array("I"), array("d"), [])
                        postings[0].append(docnum)
                        postings[1].append(weight * fieldboost)
                        postings[2].append(vbytes)
                customval = fields.get(f"_stored_{fieldname}", value)
                perdocwriter.add_field(fieldname, fieldobj, customval if fieldobj.stored else None, length)
                column = fieldobj.column_type
                if column and customval is not None:
                    perdocwriter.add_column_value(fieldname, column, fieldobj.to_column_value(customval))
        except Exception:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        table: _TermTable = self.pool
        for fieldname, appends in self._buckets.items():  # as if each posting had been filed
            terms = table.terms(fieldname)
            for bucket, append in enumerate(appends):
                docs = append.__self__
                if docs:
                    name = BUCKET_NAMES[bucket]
                    postings = (docs, array("d", [1.0]) * len(docs), [b""] * len(docs))
                    merged = terms.get(name)  # postings of segments merged in: later documents
                    if merged is not None:
                        postings = tuple(a + b for a, b in zip(postings, merged))
                    terms[name] = postings
        self._buckets.clear()
        fw = self.fieldwriter
        lengths = self.per_document_reader() if self.codec.length_stats else None
        try:
            doccount = self.docnum
            for fieldname in sorted(table.fields):
                terms = table.fields[fieldname]
                if fieldname not in self.schema or not terms:
                    continue
                if lengths is not None:
                    dfl = lengths.doc_field_length
                    lens = [dfl(d, fieldname) for d in range(doccount)]
                else:
                    lens = [0] * doccount
                fw.start_field(fieldname, self.schema[fieldname])
                for tbytes in sorted(terms):
                    fw.start_term(tbytes)
                    if (fieldname, tbytes) in table.unsorted:
                        for docnum, weight, vbytes in table.postings(fieldname, tbytes):
                            fw.add(docnum, weight, vbytes, lens[docnum])
                    else:
                        _write_postings(fw, terms[tbytes], lens)
                    fw.finish_term()
                fw.finish_field()
            fw.close()
        finally:
            if lengths is not None:
                lengths.close()


def _write_postings(fw, postings: tuple, lens: list) -> None:
    """One term's postings, block by block, as ``W3PostingsWriter.add_posting`` would buffer them."""
    docs, weights, values = postings
    pw = fw._postwriter
    if type(pw) is not W3PostingsWriter:
        for docnum, weight, vbytes in zip(docs, weights, values):
            fw.add(docnum, weight, vbytes or b"", lens[docnum])
        return
    limit = pw._blocklimit
    n = len(docs)
    for start in range(0, n, limit):
        ids = docs[start : start + limit]
        ws = weights[start : start + limit]
        known = [x for x in (lens[d] for d in ids) if x]
        pw._ids = ids
        pw._weights = array("f", ws)
        pw._values = [v for v in values[start : start + limit] if v]
        pw._maxweight = max(0, max(ws))
        pw._minlength = min(known) if known else None
        pw._maxlength = max(known) if known else 0
        if start + limit < n:
            pw._write_block()  # a full block followed by more: written now, as add_posting does
    # the last block is written by finish_postings (flagged as the last)


# -- full builds in two processes -----------------------------------------------------------------

@dataclass
class FileResult:
    """What reading and indexing one file gave: its catalog row, its documents' rows, why it was
    skipped (empty when it was not)."""

    path: str
    size: int
    mtime_ns: int
    digest: str
    skipped: str
    rows: list[tuple] = field(default_factory=list)


def index_file(writer, corpus: Path, f: SourceFile) -> FileResult:
    """Hash, read and index one file (a fresh build: nothing to delete or compare)."""
    digest = file_sha1(corpus / f.path)
    try:
        if not digest:
            raise SkipFile("cannot read")
        docs = list(read_documents(corpus, f.path))
    except SkipFile as exc:
        return FileResult(f.path, f.size, f.mtime_ns, digest, str(exc))
    for d in docs:
        writer.add_document(**index_fields(d))
    return FileResult(f.path, f.size, f.mtime_ns, digest, "", [catalog_row(d) for d in docs])


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


def _worker(ix_dir: str, corpus: Path, files: list[SourceFile], part: int, results) -> None:
    try:
        ix = FileIndex(FileStorage(ix_dir))
        writer = FastWriter(ix, _lk=False, compound=False)
        done: list[FileResult] = []
        for n, f in enumerate(files, 1):
            done.append(index_file(writer, corpus, f))
            if n % 25 == 0:
                results.put(("progress", part, 25, f.path))
        segment = writer._finalize_segment() if writer._added else None
        if segment is None:
            writer._close_segment()
        results.put(("done", part, segment, done))
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises
        results.put(("error", part, traceback.format_exc(), None))


@dataclass
class Built:
    """A finished parallel build, not yet visible: ``commit`` writes the index's new table of
    contents."""

    ix_dir: str
    segments: list
    files: list[FileResult]

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
) -> Built:
    """Index ``files`` into the empty index in ``ix_dir`` with ``procs`` worker processes.

    Raises ``Cancelled`` (from ``store``) when ``cancelled()`` turns true, ``RuntimeError`` when a
    worker fails. Nothing is visible in the index until ``Built.commit``.
    """
    from .store import Cancelled

    ctx = multiprocessing.get_context("fork")
    results = ctx.Queue()
    parts = halves(files, procs)
    workers = [
        ctx.Process(target=_worker, args=(ix_dir, corpus, part, k, results), daemon=True)
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
            if kind == "progress":
                count += a
                if progress:
                    progress(IndexProgress(min(count, len(files)), len(files), b))
            else:
                finished[part] = (a, b)
    except BaseException:
        for p in workers:
            if p.is_alive():
                p.terminate()
        for p in workers:
            p.join()
        raise
    for p in workers:
        p.join()
    segments = [finished[k][0] for k in range(len(workers)) if finished[k][0] is not None]
    done = [r for k in range(len(workers)) for r in finished[k][1]]
    return Built(ix_dir, segments, done)
