"""Scoring every match of a query a posting list at a time: the top hits and the exact total.

Whoosh's collector steps the query's matcher tree one document at a time: ``is_active``, ``id``,
``score`` and ``next`` on every node for every match, ~10-20 us a document. At 10,000 documents a
common word matches most of them, so half of a query's time was that walk. Here the same matcher
tree (built by the query for each segment, as the collector builds it) is evaluated bottom-up:

- a term reads its posting list a block at a time and scores it with one call of the scorer per
  distinct (weight, field length) pair;
- union, intersection, exclusion and boosts combine whole ``{docnum: score}`` tables, adding scores
  in the order Whoosh's matchers add them, so every score is the same float;
- any node it does not know is stepped through as the collector would, so nothing is left out.

The top ``limit`` are the highest scores, ties to the lower document number, as ``TopCollector``
keeps them; the total counts every match (after the filter), as ``top_hits`` did before.
"""

from __future__ import annotations

import heapq

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, W3PerDocReader, _lenfield
from whoosh.columns import NumericColumn
from whoosh.collectors import FilterCollector, TopCollector, UnlimitedCollector
from whoosh.matching import (
    AndMaybeMatcher,
    AndNotMatcher,
    InverseMatcher,
    IntersectionMatcher,
    ListMatcher,
    NullMatcherClass,
    UnionMatcher,
    WrappingMatcher,
)
from whoosh.matching.wrappers import FilterMatcher
from whoosh.util.numeric import byte_to_length

from .execution import _PhraseList, _ids_of, _leaf, _readable

Table = dict[int, float]


def top_hits(searcher, q, limit: int, filter=None) -> tuple[list[tuple[str, float]], int]:
    """``([(id, score), ...], total)``: the ``limit`` best documents and how many match ``q``.

    ``filter`` (a query) keeps only the documents it matches, as ``Searcher.search(filter=)``.
    """
    if searcher.weighting.use_final:  # a final score step per document: Whoosh's own collector
        return _collected(searcher, q, limit, filter)
    allowed = searcher._filter_to_comb(filter) if filter is not None else None
    context = searcher.context()
    best: list[tuple[float, int]] = []
    total = 0
    for sub, offset in searcher.leaf_searchers():
        table = Scores(sub).of(q.matcher(sub, context))
        if allowed is not None:
            table = {d: s for d, s in table.items() if d + offset in allowed}
        total += len(table)
        best.extend((s, d + offset) for d, s in _top(table, limit))
    best.sort(key=lambda pair: (-pair[0], pair[1]))
    stored = searcher.stored_fields
    return [(stored(docnum)["id"], score) for score, docnum in best[:limit]], total


def _top(table: Table, limit: int) -> list[tuple[int, float]]:
    """The ``limit`` best ``(docnum, score)`` of ``table``: highest score, then lowest docnum."""
    if len(table) > limit:
        floor = heapq.nlargest(limit, table.values())[-1]
        items = [(d, s) for d, s in table.items() if s >= floor]
    else:
        items = list(table.items())
    items.sort(key=lambda pair: (-pair[1], pair[0]))
    return items[:limit]


def _collected(searcher, q, limit: int, filter=None):
    """Whoosh's collector with pruning off: every match scored, the top ``limit`` kept."""
    if limit >= searcher.doc_count():
        collector = UnlimitedCollector()
    else:
        collector = TopCollector(limit, usequality=False, replace=0)
    if filter is not None:
        collector = FilterCollector(collector, filter, None)
    searcher.search_with_collector(q, collector)
    return [(hit["id"], hit.score) for hit in collector.results()], collector.count()


class Scores:
    """Evaluates a segment's matcher tree to ``{docnum: score}`` (``of``) or a docnum set (``ids``).

    A matcher may already have stepped past some documents when its parent was built (an
    intersection moves its children to their first common document); the documents it passed
    cannot be in its parent's result, and reading from the start of its current block only adds
    documents it truly holds, so the parent's table is exact.
    """

    def __init__(self, subsearcher) -> None:
        perdoc = getattr(subsearcher.reader(), "_perdoc", None)
        lengths = getattr(perdoc, "doc_field_length", None)
        self._lengths = lengths if isinstance(lengths, _Lengths) else None

    def of(self, m) -> Table:
        kind = type(m)
        if kind is NullMatcherClass or not m.is_active():
            return {}
        if kind is W3LeafMatcher or kind is FilterMatcher:
            table = self._term(m)
            if table is not None:
                return table
        if kind is FilterMatcher:
            ids, table = m._ids, self.of(m.child)
            keep = (lambda d: d not in ids) if m._exclude else ids.__contains__
            return _boosted({d: s for d, s in table.items() if keep(d)}, m.boost)
        if kind is WrappingMatcher:
            return _boosted(self.of(m.child), m.boost)
        if kind is UnionMatcher:
            return _union(self.of(m.a), self.of(m.b))
        if kind is IntersectionMatcher:
            a, b = self.of(m.a), self.of(m.b)
            return {d: a[d] + b[d] for d in a.keys() & b.keys()}
        if kind is AndNotMatcher:
            a, exclude = self.of(m.a), self.ids(m.b)
            return {d: s for d, s in a.items() if d not in exclude}
        if kind is AndMaybeMatcher:
            a, b = self.of(m.a), self.of(m.b)
            return {d: (s + b[d] if d in b else s) for d, s in a.items()}
        if kind is InverseMatcher:
            return dict.fromkeys(self._inverse(m), m._weight)
        if kind is _PhraseList:
            return _phrase(m)
        if kind is ListMatcher and m._scorer is None:
            ids = m._ids[m._i:]
            if m._all_weights or not m._weights:
                return dict.fromkeys(ids, m._all_weights or 1.0)
            return dict(zip(ids, m._weights[m._i:]))
        return _stepped(m)

    def ids(self, m) -> set[int]:
        """The documents ``m`` matches (for the excluded side of a NOT, which is not scored)."""
        kind = type(m)
        if kind is NullMatcherClass or not m.is_active():
            return set()
        if (kind is W3LeafMatcher or kind is FilterMatcher) and _leaf(m)[0] is not None:
            return _ids_of(m)
        if kind is FilterMatcher:
            found = self.ids(m.child)
            return found - m._ids if m._exclude else found & m._ids
        if kind is WrappingMatcher:
            return self.ids(m.child)
        if kind is UnionMatcher:
            return self.ids(m.a) | self.ids(m.b)
        if kind is IntersectionMatcher:
            return self.ids(m.a) & self.ids(m.b)
        if kind is AndNotMatcher:
            return self.ids(m.a) - self.ids(m.b)
        if kind is InverseMatcher:
            return self._inverse(m)
        return set(m.all_ids())

    def _inverse(self, m: InverseMatcher) -> set[int]:
        excluded, missing = self.ids(m.child), m.missing
        return {d for d in range(m._id, m.limit) if d not in excluded and not missing(d)}

    def _term(self, m) -> Table | None:
        """A term's postings scored: ``scorer._score(weight, length)`` once per distinct pair."""
        leaf, deleted = _leaf(m)
        if leaf is None or not _readable(m):
            return None
        ids: list[int] = []
        weights: list[float] = []
        while not leaf._atend:
            leaf._read_ids()
            leaf._read_weights()
            ids.extend(leaf._ids)
            weights.extend(leaf._weights)
            leaf._next_block()
        scorer = leaf.scorer
        column = self._lengths.column(leaf._term[0]) if self._lengths is not None and leaf._term else None
        lengths = list(map(column.__getitem__, ids)) if column is not None else list(map(scorer.dfl, ids))
        pairs = list(zip(weights, lengths))
        score = scorer._score
        scored = {pair: score(*pair) for pair in set(pairs)}
        table = dict(zip(ids, map(scored.__getitem__, pairs)))
        for docnum in deleted:
            table.pop(docnum, None)
        return table


def _boosted(table: Table, boost: float) -> Table:
    return table if boost == 1.0 else {d: s * boost for d, s in table.items()}


def _union(a: Table, b: Table) -> Table:
    """``UnionMatcher``: a document in both gets ``a + b``."""
    out = {**a, **b}
    for d in a.keys() & b.keys():
        out[d] = a[d] + b[d]
    return out


def _phrase(m: _PhraseList) -> Table:
    """Every remaining candidate of a phrase whose words stand side by side, with its score."""
    out: Table = {}
    for docnum in m._ids[m._i:]:
        if m._adjacent(docnum):
            out[docnum] = m.score_of(docnum)
    return out


def _stepped(m) -> Table:
    """Any other matcher, stepped through as Whoosh's collector does."""
    out: Table = {}
    while m.is_active():
        out[m.id()] = m.score()
        m.next()
    return out


# -- field lengths ------------------------------------------------------------------------------

def quick_lengths(searcher) -> None:
    """Field lengths of each segment read into a list on first use (per field), so scoring a
    document no longer looks its length up in the column file (~2 us, once per matching document
    and term). Same values: ``W3PerDocReader.doc_field_length``, including its ``None`` for a
    length of zero."""
    for leaf, _ in searcher.reader().leaf_readers():
        perdoc = getattr(leaf, "_perdoc", None)
        if type(perdoc) is W3PerDocReader and "doc_field_length" not in vars(perdoc):
            perdoc.doc_field_length = _Lengths(perdoc)


_BYTE_LENGTHS = [None] + [byte_to_length(b) for b in range(1, 256)]


class _Lengths:
    """A segment's ``doc_field_length``, from lists of every document's length per field."""

    def __init__(self, perdoc: W3PerDocReader) -> None:
        self._perdoc = perdoc
        self._slow = type(perdoc).doc_field_length.__get__(perdoc)
        self._fields: dict[str, list | None] = {}

    def __call__(self, docnum, fieldname, default=0):
        lengths = self.column(fieldname)
        if lengths is None or not 0 <= docnum < len(lengths):
            return self._slow(docnum, fieldname, default)
        return lengths[docnum]

    def column(self, fieldname) -> list | None:
        """Every document's length in ``fieldname``, or ``None`` where it cannot be read whole."""
        lengths = self._fields.get(fieldname, False)
        if lengths is False:
            lengths = self._fields[fieldname] = self._load(fieldname)
        return lengths

    def _load(self, fieldname):
        perdoc = self._perdoc
        column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if type(column) is not NumericColumn.Reader or column._typecode != "B" or column._reverse:
            return None
        data = column._dbfile.get(column._basepos, column._count)
        count = perdoc.doc_count_all()
        lengths = [_BYTE_LENGTHS[b] for b in data[:count]]
        lengths += [_BYTE_LENGTHS[column._unpack(column._defaultbytes)[0]]] * (count - len(lengths))
        return lengths
