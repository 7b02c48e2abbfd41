"""Matchers that answer a parsed query fast: quick phrases, terms and multi-term queries.

Whoosh's defaults cost the most at 10,000 documents in these places, each fixed here without
changing what matches or how it scores (``ranking.py`` then scores the matches and counts them):

- A phrase built a ``Span`` object for every position of every word in every candidate document
  (``"the Global South"`` took 150-300 ms). ``FastPhrase`` checks the same adjacency on plain
  integer sets; matches and scores (the words' own scores, as Whoosh's phrase gives) are the same.
- Expanding fuzzy terms on the multi-segment reader compared the word with every term in the
  field; the per-segment readers use Whoosh's automaton (``leaf_readers``, used by search.py).
"""

from __future__ import annotations

import copy
from bisect import bisect_left
from itertools import accumulate
from pickle import loads

from whoosh import matching
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import ReadTooFar
from whoosh.matching.wrappers import FilterMatcher
from whoosh.formats import Positions
from whoosh.query.spans import Span, SpanNear2
from whoosh.scoring import WeightLengthScorer
from whoosh.searching import SearchContext

from .analysis import pair_bucket_terms


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
        pairs = None
        if _PAIRS.get(fieldname) in schema:
            pairs = _pair_docs(reader, _PAIRS[fieldname], self.words)
            if pairs is not None and not pairs:
                return matching.NullMatcher()
        ms = [t.matcher(searcher, context) for t in terms]
        if type(field.format) is Positions and all(_readable(m) for m in ms):
            m = _phrase_list(ms, pairs)
        else:
            m = _PhraseMatcher(ms)
        if self.boost != 1.0:
            m = matching.WrappingMatcher(m, boost=self.boost)
        return m


_PAIRS = {"body_exact": "body_pairs"}
"""Fields whose adjacent-term pairs are indexed (``analysis.WordPairs``), and where."""


def _pair_docs(reader, fieldname: str, words) -> set[int] | None:
    """The documents of this segment holding the bucket of every adjacent pair of ``words`` (a
    superset of those holding the phrase); ``None`` when they cannot be read here."""
    docs: set[int] | None = None
    for btext in dict.fromkeys(pair_bucket_terms(words)):
        if (fieldname, btext) not in reader:
            return set()
        m = reader.postings(fieldname, btext)
        if _leaf(m)[0] is None:
            return None
        found = _ids_of(m)
        docs = found if docs is None else docs & found
        if not docs:
            break
    return docs


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


def _leaf(m):
    """``(leaf, deleted)``: the on-disk leaf matcher of a term, and the deleted documents its
    segment filters out (Whoosh wraps the leaf in a ``FilterMatcher`` once a segment has
    deletions, as after any re-index); ``(None, None)`` for any other matcher."""
    deleted = ()
    if type(m) is FilterMatcher and m._exclude and m.boost == 1.0:
        deleted, m = m._ids, m.child
    if type(m) is W3LeafMatcher and not m._byteids:
        return m, deleted
    return None, None


def _scorer(m):
    return _leaf(m)[0].scorer


def _readable(m) -> bool:
    """Whether the term matcher ``m`` can be read block by block and scored here."""
    leaf = _leaf(m)[0]
    scorer = getattr(leaf, "scorer", None)
    return (leaf is not None and isinstance(scorer, WeightLengthScorer)
            and type(scorer).score is WeightLengthScorer.score and hasattr(scorer, "dfl"))


def _ids_of(m) -> set[int]:
    """The documents of a fresh term matcher (deleted ones left out), read a block at a time."""
    leaf, deleted = _leaf(m)
    found: set[int] = set()
    while not leaf._atend:
        leaf._read_ids()
        found.update(leaf._ids)
        leaf._next_block()
    found.difference_update(deleted)
    return found


def _postings(m) -> dict[int, tuple[float, bytes]]:
    """Every posting of a fresh term matcher, ``{docnum: (weight, value)}`` (deleted documents
    left out), read a block at a time."""
    leaf, deleted = _leaf(m)
    out: dict[int, tuple[float, bytes]] = {}
    while not leaf._atend:
        leaf._read_ids()
        leaf._read_weights()
        leaf._read_values()
        out.update(zip(leaf._ids, zip(leaf._weights, leaf._values)))
        leaf._next_block()
    for docnum in deleted:
        out.pop(docnum, None)
    return out


def _positions(value: bytes):
    """``Positions.decode_positions``, without a Python step per position."""
    if not value.endswith(b"."):
        value += b"."
    return accumulate(loads(value[4:]))


def _memo_score(scorer):
    """``scorer._score(weight, length)`` remembered per pair: a term's weights are small whole
    numbers and lengths come from 255 steps, so the same pairs recur thousands of times."""
    memo: dict[tuple, float] = {}
    raw = scorer._score

    def score(weight, length):
        key = (weight, length)
        value = memo.get(key)
        if value is None:
            value = memo[key] = raw(weight, length)
        return value

    return score


def _tree_sum(scores: list[float]) -> float:
    """Sum the scores in the order Whoosh's binary tree of intersection matchers adds them."""
    if len(scores) == 1:
        return scores[0]
    half = len(scores) // 2
    return _tree_sum(scores[:half]) + _tree_sum(scores[half:])


def _phrase_list(ms, pairs: set[int] | None = None):
    """The documents where the words of ``ms`` stand side by side, with the score Whoosh's
    phrase gives (the sum of the words' scores).

    Reads each word's postings whole (a block at a time, no matcher step per document) and
    intersects the document sets; ``_PhraseList`` tests adjacency only in the documents it
    reaches: ``_PhraseMatcher`` walked a tree of intersection matchers (~40-60 us a document).
    ``pairs``: the only documents that can hold the phrase (``_pair_docs``), when known.
    """
    tables = [_postings(m) for m in ms]
    common = set(min(tables, key=len)) if pairs is None else set(pairs)
    for table in tables:
        common.intersection_update(table.keys())
    if not common:
        return matching.NullMatcher()
    m = _PhraseList(sorted(common), tables, ms)
    return m if m.is_active() else matching.NullMatcher()


class _PhraseList(matching.ListMatcher):
    """Candidate documents of a phrase; a candidate is checked for adjacent positions only when
    the matcher reaches it, so an ``AND`` with a rare word skips the checks it never needs
    (``long-term AND analyzing``)."""

    def __init__(self, candidates: list[int], tables: list[dict], ms) -> None:
        super().__init__(candidates)
        self._tables = tables
        self._scorers = [_memo_score(_scorer(m)) for m in ms]
        self._dfl = _scorer(ms[0]).dfl
        n = len(tables)
        self._shifts = [(-i).__add__ for i in range(n)]
        self._find()

    def _adjacent(self, docnum: int) -> bool:
        values = [t[docnum][1] for t in self._tables]
        shifts = self._shifts
        # Start from the word with the fewest positions (the count leads each value, big-endian);
        # the last word to check only needs to meet one start (isdisjoint stops at the first).
        first = min(range(len(values)), key=values.__getitem__)
        starts = set(map(shifts[first], _positions(values[first])))
        rest = [i for i in range(len(values)) if i != first]
        for i in rest[:-1]:
            starts.intersection_update(map(shifts[i], _positions(values[i])))
            if not starts:
                return False
        return not starts.isdisjoint(map(shifts[rest[-1]], _positions(values[rest[-1]])))

    def _find(self) -> None:
        ids, i = self._ids, self._i
        while i < len(ids) and not self._adjacent(ids[i]):
            i += 1
        self._i = i

    def next(self):
        self._i += 1
        self._find()

    def skip_to(self, id):
        if not self.is_active():
            raise ReadTooFar
        if id > self._ids[self._i]:
            self._i = bisect_left(self._ids, id, self._i)
            self._find()

    def all_ids(self):
        while self.is_active():
            yield self.id()
            self.next()

    def score(self):
        return self.score_of(self._ids[self._i])

    def score_of(self, docnum: int) -> float:
        length = self._dfl(docnum)
        parts = [score(t[docnum][0], length) for score, t in zip(self._scorers, self._tables)]
        return parts[0] + parts[1] if len(parts) == 2 else _tree_sum(parts)

    def weight(self):
        docnum = self._ids[self._i]
        return _tree_sum([t[docnum][0] for t in self._tables])

    def supports_block_quality(self):
        return False

    def copy(self):
        twin = object.__new__(_PhraseList)
        twin.__dict__.update(self.__dict__)
        return twin


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
        scored = context.weighting is not None if context else True
        ms = [q.matcher(searcher, context) for q in qs]
        live = [m for m in ms if m.is_active()]
        if all(_leaf(m)[0] is not None and (not scored or _readable(m)) for m in live):
            return _union_list(live, self.boost, scored)
        return matching.ArrayUnionMatcher(ms, searcher.doc_count_all(), boost=self.boost, scored=scored)


def _union_list(ms, boost: float, scored: bool):
    """What ``PreloadedOr``'s ``ArrayUnionMatcher`` gives, read a block at a time: each document
    with the sum of its terms' scores times ``boost`` (added in term order), or with 1.0 when
    not ``scored``; documents whose sum is not above zero left out, as it leaves them."""
    if not scored:
        docs: set[int] = set()
        for m in ms:
            docs.update(_ids_of(m))
        ids = sorted(docs)
        return matching.ListMatcher(ids, all_weights=1.0) if ids else matching.NullMatcher()
    acc: dict[int, float] = {}
    get = acc.get
    for m in ms:
        score, dfl = _scorer(m)._score, _scorer(m).dfl
        for docnum, (weight, _) in _postings(m).items():
            acc[docnum] = get(docnum, 0.0) + score(weight, dfl(docnum)) * boost
    ids = sorted(d for d, total in acc.items() if total > 0)
    return matching.ListMatcher(ids, weights=[acc[d] for d in ids]) if ids else matching.NullMatcher()


class FastTerm(wq.Term):
    """``Term`` whose leaf matcher scores a document through a memo of (weight, length) instead
    of three layers of scorer calls (``to be a``: 9,535 documents, each scored for six terms).
    The matcher still steps and skips block by block, so a rare partner in an ``AND`` still lets
    it jump over the blocks it never needs. Same documents, same scores.
    """

    def matcher(self, searcher, context=None):
        m = super().matcher(searcher, context)
        inner = m.child if type(m) is matching.WrappingMatcher else m
        leaf = _leaf(inner)[0]
        if leaf is not None and _readable(inner):
            score_of, dfl = _memo_score(leaf.scorer), leaf.scorer.dfl
            weight, docnum = leaf.weight, leaf.id
            leaf.score = lambda: score_of(weight(), dfl(docnum()))
        return m


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
        if type(node) is wq.Term:
            return FastTerm(node.fieldname, node.text, boost=node.boost, minquality=node.minquality)
        if type(node) is wq.Phrase and node.slop == 1:
            return FastPhrase(node.fieldname, list(node.words), slop=1, boost=node.boost,
                              char_ranges=node.char_ranges)
        if isinstance(node, wq.MultiTerm) and not isinstance(node, _PreloadedTerms):
            node = copy.copy(node)
            node.__class__ = _preloaded(type(node))
        return node

    return q.accept(swap)
