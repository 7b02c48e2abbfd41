"""``FastWriter``: Whoosh's ``SegmentWriter`` with an in-memory posting table.

Whoosh's ``SegmentWriter`` sends every posting through a sorting pool that pickles it to a run
file and back (a 10,000-document build spilled ~9 million postings that way) and then looks up
the field length of every posting in the column files it has just written. ``FastWriter`` files
each posting under its term as it comes (documents arrive in order, so every term's list is
already sorted), asks for each document's field lengths once, and writes each term's posting
blocks from those lists: the segment files are the ones Whoosh would write.

Memory is bounded by ``SEGMENT_BUDGET``, not by the size of what is indexed: when the postings
table outgrows it, ``FastWriter`` writes the segment so far and starts another (one huge file
becomes a few segments instead of one table holding all its postings).
"""

from __future__ import annotations

from array import array

from whoosh.codec.whoosh3 import W3PostingsWriter
from whoosh.writing import SegmentWriter

from .analysis import BUCKET_NAMES, PAIR_BUCKETS, WordPairs

SEGMENT_BUDGET = 1024 * 1024 * 1024
"""Bytes of memory a ``FastWriter``'s postings may take before it writes them out as a segment
(estimated: indexing parts of a 50 MB file, the process grew by about this estimate; on ordinary
articles the estimate runs about twice what the process grows by). Every segment costs the queries
that expand terms per segment (prefix, fuzzy, ranges): at 128 MB a 10,000-document build wrote 11
segments instead of 2 and the bench's query p95 went from ~150 to ~330 ms (fuzzy ~170 -> ~550 ms),
at 512 MB 5 segments and p95 ~175 ms. At 1 GB an indexing process of that build writes one; a file
of hundreds of MB still becomes several segments instead of one unbounded table."""


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
        self.written: list = []
        """Segments already written by this writer (when the table outgrew the budget)."""
        self._held = 0  # estimated bytes held by the table

    def _roll(self) -> None:
        """Write the segment so far and go on in a new one (same writer, same lock)."""
        self.written.append(self._finalize_segment())
        codec = self.codec
        self.newsegment = codec.new_segment(self.storage, self.indexname)
        self.perdocwriter = codec.per_document_writer(self.storage, self.newsegment)
        self.fieldwriter = codec.field_writer(self.storage, self.newsegment)
        self.pool = _TermTable()
        self._buckets = {}
        self.docnum = self.docbase = 0
        self._added = False
        self._held = 0

    def segments_written(self) -> list:
        """Every segment this writer wrote, the current one finished (for a worker's result)."""
        if self._added:
            self.written.append(self._finalize_segment())
        else:
            self._close_segment()
        return self.written

    def commit(self, mergetype=None, optimize=None, merge=None) -> None:
        if not self.written:
            return super().commit(mergetype, optimize, merge)
        # As SegmentWriter.commit, with the segments already written listed before the last one.
        self._check_state()
        final = self._merge_segments(mergetype, optimize, merge) + self.written
        if self._added:
            final.append(self._finalize_segment())
        else:
            self._close_segment()
        self._commit_toc(final)
        self._finish()

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
                    before = len(terms)
                    n = 0
                    for n, (tbytes, freq, weight, vbytes) in enumerate(fieldobj.index(value), 1):
                        if scorable:
                            length += freq
                        postings = terms.get(tbytes)
                        if postings is None:
                            postings = terms[tbytes] = (array("I"), array("d"), [])
                        postings[0].append(docnum)
                        postings[1].append(weight * fieldboost)
                        postings[2].append(vbytes)
                    # Estimated once a field, not in the loop above (which runs for every posting):
                    # a new term ~270 bytes (key, tuple, two arrays, a list), a posting ~60 and ~2 a
                    # position. These add up to about half of what the process grows by (allocator
                    # slack, array growth, the analyzer's caches): measured on 1 MB parts.
                    self._held += 2 * (270 * (len(terms) - before) + 60 * n + 2 * length)
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
        if self._held > SEGMENT_BUDGET:
            self._roll()

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
