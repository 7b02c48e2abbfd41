"""Analyzers and the Whoosh schema: the one place they are defined.

English is folded for case (full case folding: ``straße`` is ``strasse``, ``İstanbul`` is
``istanbul``), compatibility forms (``ﬁnance`` is ``finance``, ``Ａ`` is ``a``) and accents; the ``body`` field is also stemmed (``sanction`` finds
``sanctions``) while ``body_exact`` keeps whole words with positions, so quoted phrases, prefixes and
fuzzy terms match the words as written. Runs of Chinese (and other CJK) characters are split into
overlapping two-character tokens, so any run of two or more characters finds the document.

Whoosh pickles the schema, custom filters included, into the index: keep this module's path and
class names stable, and bump ``SCHEMA_VERSION`` (index/version.py) whenever analysis changes.
"""

from __future__ import annotations

import re
import threading
import unicodedata
import zlib
from collections import Counter
from functools import lru_cache
from itertools import chain
from operator import xor
from pickle import dumps

from whoosh.analysis import Filter, RegexTokenizer, StemFilter
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.formats import Frequency, Positions
from whoosh.lang.porter2 import stem as porter2
from whoosh.support.charset import accent_map
from whoosh.system import pack_uint

from .marks import MARKS

_PART = rf"\w+(?:[{MARKS}]+\w*)*"
WORD_PATTERN = rf"{_PART}(?:\.{_PART})*"
"""Tokens: runs of word characters with the combining marks that follow them (a decomposed
``Cafe\u0301`` is one word, accent included), keeping inner dots (``U.S``, ``2.0``)."""

CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{CJK}]+|[^{CJK}]+")
_HAS_CJK = re.compile(f"[{CJK}]")


def has_cjk(text: str) -> bool:
    return bool(_HAS_CJK.search(text))


class CjkBigramFilter(Filter):
    """Split CJK runs inside tokens into overlapping bigrams; other text passes through whole.

    ``杭州深度求索Hangzhou`` becomes ``杭州 州深 深度 度求 求索 hangzhou``: offsets stay exact and
    positions are renumbered so phrase queries over bigrams match adjacent characters.
    """

    def __call__(self, tokens):
        pos = -1
        for t in tokens:
            text = t.text
            if not _HAS_CJK.search(text):
                if t.positions:
                    pos += 1
                    t.pos = pos
                yield t
                continue
            start = t.startchar if t.chars else 0
            original = text
            for run in _CJK_RUN.finditer(original):
                piece, offset = run.group(), run.start()
                if _HAS_CJK.match(piece):
                    grams = [(piece[i : i + 2], i) for i in range(len(piece) - 1)] or [(piece, 0)]
                else:
                    grams = [(piece, 0)]
                for gram, i in grams:
                    t.text = gram
                    if t.positions:
                        pos += 1
                        t.pos = pos
                    if t.chars:
                        t.startchar = start + offset + i
                        t.endchar = t.startchar + len(gram)
                    yield t


_ACCENTS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
"""The combining diacritical mark blocks (Latin, Greek, Cyrillic accents). Other scripts' marks
(kana voicing, Indic vowel signs) are part of their letters and kept."""


def fold(text: str) -> str:
    """One token folded for search: compatibility forms (``ﬁ`` -> ``fi``, full-width letters),
    full case folding (``ß`` -> ``ss``, ``İ`` -> ``i``) and accents (``é`` -> ``e``, ``ø`` -> ``o``)."""
    if text.isascii():
        return text.lower()
    folded = unicodedata.normalize("NFKD", text).casefold()
    # accent_map: the letters with no decomposition that accent folding still maps (ø -> o, ł -> l)
    folded = unicodedata.normalize("NFC", _ACCENTS.sub("", folded)).translate(accent_map)
    return folded or text.lower()


class FoldFilter(Filter):
    """``fold`` on every token's text (offsets are the tokenizer's: a span still covers the
    original characters, ``ﬁ`` and combining accents included)."""

    def __call__(self, tokens):
        for t in tokens:
            text = t.text
            t.text = text.lower() if text.isascii() else fold(text)
            yield t


def exact_analyzer():
    """Words folded for case, compatibility forms and accents, CJK as bigrams; no stemming."""
    return RegexTokenizer(WORD_PATTERN) | CjkBigramFilter() | FoldFilter()


def stem_analyzer():
    """``exact_analyzer`` plus English stemming (Porter2: ``innovating`` and ``innovation`` meet,
    which the original Porter stemmer misses)."""
    return exact_analyzer() | StemFilter(stemfn=porter2, cachesize=50000)


def path_analyzer():
    """Path, site and publisher words: ``seeds/004_ac28.txt`` gives ``seeds 004 ac28 txt``."""
    return RegexTokenizer(rf"[^\W_]+(?:[{MARKS}]+[^\W_]*)*") | FoldFilter()


class WordText(TEXT):
    """A ``TEXT`` field on ``exact_analyzer`` (or ``stem_analyzer`` when ``stemmed``) that indexes
    by looking each distinct word up in a per-process table instead of running the analyzer chain
    over every token.

    The analyzers treat every ``WORD_PATTERN`` run on its own (no filter looks at a neighbour), so
    a text's tokens are its words' tokens in order: same terms, positions, weights and encoded
    values as ``TEXT.index``, at a fraction of the cost (a 10,000-document build ran the chain
    ~9 million times). Queries still go through the analyzer.
    """

    def __init__(self, stemmed: bool = False, **kwargs) -> None:
        super().__init__(analyzer=stem_analyzer() if stemmed else exact_analyzer(), **kwargs)
        self.stemmed = stemmed

    def index(self, value, **kwargs):
        fmt = self.format
        if not isinstance(value, str) or type(fmt) not in (Frequency, Positions):
            yield from super().index(value, **kwargs)
            return
        terms = word_terms(value, self.stemmed)
        fb = fmt.field_boost
        if type(fmt) is Frequency:
            for term, freq in Counter(terms).items():
                yield term.encode("utf-8"), freq, freq * fb, _packed(freq)
            return
        poses: dict[str, list[int]] = {}
        for pos, term in enumerate(terms):
            found = poses.get(term)
            if found is None:
                poses[term] = [pos]
            else:
                found.append(pos)
        for term, poslist in poses.items():
            deltas, base = [], 0
            for pos in poslist:
                deltas.append(pos - base)
                base = pos
            n = len(poslist)
            yield term.encode("utf-8"), n, n * fb, _packed(n) + dumps(deltas, 2)


class WordPairs(ID):
    """The adjacent pairs of ``exact_analyzer`` terms of a text, hashed into ``PAIR_BUCKETS``
    buckets (no positions or counts): a document lacking the bucket of any pair of a quoted
    phrase cannot hold the phrase, so ``execution.FastPhrase`` checks word positions only in the
    documents that have all of them (``"the long"``: 6,900 documents hold both words at 10,000,
    1,032 the phrase). Buckets, not the pairs themselves, keep the field to a few thousand terms
    (each distinct term costs the writer a block of its own); a shared bucket only lets a document
    through to the position check.
    """

    def index(self, value, **kwargs):
        for bucket in self.buckets(value):
            yield BUCKET_NAMES[bucket], 1, 1.0, b""

    @staticmethod
    def buckets(value: str) -> set[int]:
        """The bucket numbers of ``value``'s adjacent term pairs (``index`` yields their names)."""
        terms = word_terms(value, False)
        return set(map(xor, map(_LEFT.__getitem__, terms[:-1]), map(_RIGHT.__getitem__, terms[1:])))


PAIR_BUCKETS = 1 << 15
"""A power of two; bucket ``n`` is the term ``f"{n:04x}"`` (so names sort as numbers do)."""


def pair_bucket_terms(words) -> list[bytes]:
    """The ``WordPairs`` terms of each adjacent pair of ``words`` (exact terms), in order."""
    return [BUCKET_NAMES[_LEFT[a] ^ _RIGHT[b]] for a, b in zip(words, words[1:])]


class _TermHashes(dict):
    """Term -> its share of a pair's bucket, the same in every process (``hash()`` of a str is
    not): the CRC-32 of the term, times ``factor``, cut to the bucket range; a pair's bucket is
    the left term's value XOR the right term's."""

    def __init__(self, factor: int) -> None:
        super().__init__()
        self.factor = factor

    def __missing__(self, term: str) -> int:
        if len(self) > _TERM_LIMIT:
            self.clear()
        value = self[term] = (zlib.crc32(term.encode("utf-8")) * self.factor) & (PAIR_BUCKETS - 1)
        return value


_LEFT = _TermHashes(1_000_003)
_RIGHT = _TermHashes(1)
BUCKET_NAMES = [f"{n:04x}".encode("ascii") for n in range(PAIR_BUCKETS)]


_PACKED = [pack_uint(n) for n in range(256)]


def _packed(n: int) -> bytes:
    return _PACKED[n] if n < 256 else pack_uint(n)


_TERM_LIMIT = 500_000
"""Distinct words remembered by ``word_terms`` before its tables start afresh (bounds memory)."""
_EXACT_TERMS: dict[str, tuple[str, ...]] = {}
_STEM_TERMS: dict[str, tuple[str, ...]] = {}
_last_words: tuple[str | None, list[str]] = (None, [])
_TERMS_LOCK = threading.Lock()


def word_terms(text: str, stemmed: bool) -> list[str]:
    """The index terms of ``text`` in token order, as ``stem_analyzer`` (``stemmed``) or
    ``exact_analyzer`` gives them."""
    global _last_words
    last = _last_words
    if last[0] is text:  # the body is indexed twice, stemmed and exact: split it once
        words = last[1]
    else:
        words = _WORD.findall(text)
        _last_words = (text, words)
    table = _STEM_TERMS if stemmed else _EXACT_TERMS
    try:
        return list(chain.from_iterable(map(table.__getitem__, words)))
    except KeyError:
        pass
    with _TERMS_LOCK:  # the tables are only ever filled or cleared under this lock
        if len(table) > _TERM_LIMIT:
            _EXACT_TERMS.clear()
            _STEM_TERMS.clear()
        for word in set(words).difference(table):
            tokens = _analyze_word(word)
            _EXACT_TERMS[word] = tuple(t[0] for t in tokens)
            _STEM_TERMS[word] = tuple(t[1] for t in tokens)
        return list(chain.from_iterable(map(table.__getitem__, words)))


def make_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        source=TEXT(analyzer=path_analyzer(), phrase=False),
        title=WordText(stemmed=True, field_boost=2.0, multitoken_query="phrase"),
        body=WordText(stemmed=True, phrase=False, multitoken_query="and"),
        body_exact=WordText(multitoken_query="phrase"),
        body_pairs=WordPairs(),
        author=WordText(multitoken_query="phrase"),
        date=ID(),
        meta=STORED(),
    )


_EXACT = exact_analyzer()
_STEM = stem_analyzer()
_WORD = re.compile(WORD_PATTERN)


@lru_cache(maxsize=200_000)
def _analyze_word(word: str) -> tuple[tuple[str, str, int, int], ...]:
    """The index tokens of one raw word: ``(exact, stemmed, start, end)`` relative to the word."""
    exact = [(t.text, t.startchar, t.endchar) for t in _EXACT(word, chars=True, mode="index")]
    stems = [t.text for t in _STEM(word, mode="index")]
    return tuple((e, s, a, b) for (e, a, b), s in zip(exact, stems))


def body_tokens(text: str) -> list[tuple[str, str, int, int]]:
    """Every index token of ``text`` in order: ``(exact, stemmed, start, end)`` with absolute offsets.

    Gives the same tokens, in the same order, as the ``body``/``body_exact`` analyzers, so a match
    found in the index can be located exactly in the text (list position = phrase position).
    """
    out = []
    for m in _WORD.finditer(text):
        base = m.start()
        for exact, stem, a, b in _analyze_word(m.group()):
            out.append((exact, stem, base + a, base + b))
    return out
