"""Running a parsed query fast: one exact pass for the top hits and the total, quick phrases.

Whoosh's defaults cost the most at 10,000 documents in three places, each fixed here without
changing what matches or how it scores:

- ``len(results)`` after a top-N search re-ran the whole query to count, and where the top-N pass
  had pruned a branch of an ``OR`` (its block-quality "replace" step) it returned that pass's partial
  count instead (``past NOT pull``: 2,531 where 3,033 documents match). ``top_hits`` scores every
  match once, with pruning off, so the top N and the total are exact and come from one pass.
- A phrase built a ``Span`` object for every position of every word in every candidate document
  (``"the Global South"`` took 150-300 ms). ``FastPhrase`` checks the same adjacency on plain
  integer sets; matches and scores (the words' own scores, as Whoosh's phrase gives) are the same.
- Expanding fuzzy terms on the multi-segment reader compared the word with every term in the
  field; the per-segment readers use Whoosh's automaton (``leaf_readers``, used by search.py).
"""

from __future__ import annotations

import copy

from whoosh import matching
from whoosh import query as wq
from whoosh.collectors import FilterCollector, TopCollector, UnlimitedCollector
from whoosh.query.compound import PreloadedOr
from whoosh.query.spans import Span, SpanNear2
from whoosh.searching import SearchContext


def top_hits(searcher, q, limit: int, filter=None):
    """``(results, total)``: the ``limit`` best hits and the exact number of matching documents.

    Chooses the collector ``Searcher.search`` would, minus the pruning: every match is scored.
    """
    if limit >= searcher.doc_count():
        collector = UnlimitedCollector()
    else:
        collector = TopCollector(limit, usequality=False, replace=0)
    if filter is not None:
        collector = FilterCollector(collector, filter, None)
    searcher.search_with_collector(q, collector)
    return collector.results(), collector.count()


class FastPhrase(wq.Phrase):
    """``Phrase`` that finds adjacent words by intersecting integer position sets (slop 1 only)."""

    def matcher(self, searcher, context=None):
        fieldname = self.fieldname
        schema = searcher.schema
        if self.slop != 1 or len(self.words) < 2 or fieldname not in schema:
            return super().matcher(searcher, context)
        field = schema[fieldname]
        if not field.format or not field.format.supports("positions"):
            return super().matcher(searcher, context)  # raises Whoosh's own error
        reader = searcher.reader()
        terms = []
        for word in self.words:
            try:
                btext = field.to_bytes(word)
            except ValueError:
                return matching.NullMatcher()
            if (fieldname, btext) not in reader:
                return matching.NullMatcher()
            terms.append(wq.Term(fieldname, btext))
        m = _PhraseMatcher([t.matcher(searcher, context) for t in terms])
        if self.boost != 1.0:
            m = matching.WrappingMatcher(m, boost=self.boost)
        return m


class _PhraseMatcher(SpanNear2.SpanNear2Matcher):
    """Whoosh's ordered, slop-1 ``SpanNear2`` matcher with a quicker span test: same spans."""

    def __init__(self, ms, slop=1, ordered=True, mindist=1):
        super().__init__(ms, slop=slop, ordered=ordered, mindist=mindist)

    def _get_spans(self):
        ms = self.ms
        starts = set(ms[0].value_as("positions"))
        for i in range(1, len(ms)):
            if not starts:
                return []
            starts.intersection_update([p - i for p in ms[i].value_as("positions")])
        last = len(ms) - 1
        return [Span(s, s + last) for s in sorted(starts)]


class _PreloadedTerms:
    """Mixin for a multi-term query (prefix, wildcard, fuzzy, range): its terms are OR-ed the way
    Whoosh does it in segments of up to 5,000 documents, at every segment size.

    Whoosh ORs the expanded terms with a preloaded array matcher and constant scores (the query's
    ``constantscore``) when a segment holds at most 5,000 documents, and with a binary tree of
    union matchers, fully scored, above that. So the same prefix query ranked differently
    depending on how a build happened to split the index into segments, and the tree made prefix,
    fuzzy and date-range queries take 100-300 ms at 10,000 documents. Small corpora (and every
    test) see exactly what they saw before.
    """

    _EVERY = ((wq.Prefix, ""), (wq.Wildcard, "*"), (wq.Regex, ".*"))
    """Patterns Whoosh answers with ``Every``: left to Whoosh."""

    def matcher(self, searcher, context=None):
        if (context is not None and context.needs_current) or any(
            isinstance(self, cls) and self.text == text for cls, text in self._EVERY
        ):
            return super().matcher(searcher, context)
        qs = [wq.Term(self.field(), word) for word in self._btexts(searcher.reader()) if word]
        if len(qs) < 3:  # as Whoosh: nothing, one term, or a union of two
            if not qs:
                return matching.NullMatcher()
            if len(qs) == 1:
                return qs[0].matcher(searcher, context)
        if self.constantscore:
            context = context.set(weighting=None) if context else SearchContext(weighting=None)
        if len(qs) == 2:
            return wq.Or(qs, boost=self.boost).matcher(searcher, context)
        return PreloadedOr(qs, boost=self.boost).matcher(searcher, context)


_PRELOADED: dict[type, type] = {}


def _preloaded(cls: type) -> type:
    sub = _PRELOADED.get(cls)
    if sub is None:
        sub = _PRELOADED[cls] = type(cls.__name__, (_PreloadedTerms, cls), {"__module__": cls.__module__})
    return sub


def fast_phrases(q):
    """``q`` with every slop-1 ``Phrase`` replaced by an equal ``FastPhrase``, and every
    multi-term query OR-ing its terms as ``_PreloadedTerms`` says."""

    def swap(node):
        if type(node) is wq.Phrase and node.slop == 1:
            return FastPhrase(node.fieldname, list(node.words), slop=1, boost=node.boost,
                              char_ranges=node.char_ranges)
        if isinstance(node, wq.MultiTerm) and not isinstance(node, _PreloadedTerms):
            node = copy.copy(node)
            node.__class__ = _preloaded(type(node))
        return node

    return q.accept(swap)
