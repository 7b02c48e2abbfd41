"""Analyzers and the Whoosh schema: the one place they are defined.

English is case- and accent-folded; the ``body`` field is also stemmed (``sanction`` finds
``sanctions``) while ``body_exact`` keeps whole words with positions, so quoted phrases, prefixes and
fuzzy terms match the words as written. Runs of Chinese (and other CJK) characters are split into
overlapping two-character tokens, so any run of two or more characters finds the document.

Whoosh pickles the schema, custom filters included, into the index: keep this module's path and
class names stable, and bump ``SCHEMA_VERSION`` whenever analysis changes.
"""

from __future__ import annotations

import re
from functools import lru_cache

from whoosh.analysis import CharsetFilter, Filter, LowercaseFilter, RegexTokenizer, StemFilter
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.lang.porter2 import stem as porter2
from whoosh.support.charset import accent_map

SCHEMA_VERSION = 3

WORD_PATTERN = r"\w+(?:\.?\w+)*"
"""Tokens: runs of word characters, keeping inner dots (``U.S``, ``2.0``)."""

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


def exact_analyzer():
    """Words folded for case and accents, CJK as bigrams; no stemming."""
    return (
        RegexTokenizer(WORD_PATTERN)
        | CjkBigramFilter()
        | LowercaseFilter()
        | CharsetFilter(accent_map)
    )


def stem_analyzer():
    """``exact_analyzer`` plus English stemming (Porter2: ``innovating`` and ``innovation`` meet,
    which the original Porter stemmer misses)."""
    return exact_analyzer() | StemFilter(stemfn=porter2, cachesize=50000)


def path_analyzer():
    """Path, site and publisher words: ``seeds/004_ac28.txt`` gives ``seeds 004 ac28 txt``."""
    return RegexTokenizer(r"[^\W_]+") | LowercaseFilter() | CharsetFilter(accent_map)


def make_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        source=TEXT(analyzer=path_analyzer(), phrase=False),
        title=TEXT(analyzer=stem_analyzer(), field_boost=2.0, multitoken_query="phrase"),
        body=TEXT(analyzer=stem_analyzer(), phrase=False, multitoken_query="and"),
        body_exact=TEXT(analyzer=exact_analyzer(), multitoken_query="phrase"),
        author=TEXT(analyzer=exact_analyzer(), multitoken_query="phrase"),
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
