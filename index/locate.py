"""Locating the words a query matched in a body, without analysing the body word by word.

``body_tokens`` runs every word of a body through the analyzers (cached per word, but still a
Python step per word: ~0.5 ms for a 5 KB body, ~10 ms for a page of 20 hits). Here every distinct
word is analysed once per process and filed under its exact and stemmed forms; a body then costs
a ``findall``, a set difference (only words never seen before are analysed), a set intersection
with the surface words of the query's terms, and one regular-expression pass for those words.
The spans are the same as ``body_tokens`` gives: tokens are ``analysis.WORD_PATTERN`` runs, and
the pattern below matches a word only where such a run starts and ends.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from itertools import accumulate

from .analysis import _WORD, _analyze_word, word_terms
from .marks import MARKS
from .models import Span

_MARK = re.compile(f"[{MARKS}]")

_LIMIT = 1_000_000
"""Distinct words remembered before the registry starts afresh (bounds its memory)."""

_lock = threading.Lock()
_seen: set[str] = set()
_by_exact: dict[str, set[str]] = {}
_by_stem: dict[str, set[str]] = {}


def _register(words: set[str]) -> None:
    global _seen
    if len(_seen) > _LIMIT:
        _seen = set()
        _by_exact.clear()
        _by_stem.clear()
    for word in words:
        for exact, stem, _, _ in _analyze_word(word):
            _by_exact.setdefault(exact, set()).add(word)
            _by_stem.setdefault(stem, set()).add(word)
    _seen |= words


def word_spans(body: str, stems: set[str], exacts: set[str]) -> list[Span]:
    """Unmerged spans of every token of ``body`` whose stem is in ``stems`` or whose exact form is
    in ``exacts``, in the order ``body_tokens`` would give them."""
    words = set(_WORD.findall(body))
    with _lock:
        new = words - _seen
        if new:
            _register(new)
        surfaces: set[str] = set()
        for e in exacts:
            surfaces.update(_by_exact.get(e, ()))
        for s in stems:
            surfaces.update(_by_stem.get(s, ()))
    present = words & surfaces
    if not present:
        return []
    rel = {
        w: [(a, b) for exact, stem, a, b in _analyze_word(w) if stem in stems or exact in exacts]
        for w in present
    }
    alternatives = "|".join(re.escape(w) for w in sorted(present, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?<!\w\.)(?:{alternatives})(?!\w)(?!\.\w)")
    mark = _MARK.match
    found: list[Span] = []
    for m in pattern.finditer(body):
        base, end = m.span()
        # A combining mark next to it makes it part of a longer token. Checked here, not in the
        # pattern: a class of every mark takes ~5 ms to compile, and the pattern is new per body.
        if mark(body, end) or base and (mark(body, base - 1) or body[base - 1] == "." and base > 1
                                        and mark(body, base - 2)):
            continue
        found.extend((base + a, base + b) for a, b in rel[m.group()])
    return found


def phrase_spans(body: str, phrases: list[tuple[str, ...]]) -> list[Span]:
    """Unmerged spans of every occurrence of each phrase (a tuple of exact terms) in ``body``, as
    ``body_tokens`` would find them: the terms come from the per-word tables of ``word_terms``
    (no analysis step per word), the search for each phrase's first term is ``list.index``, and
    character offsets are worked out only for the occurrences found."""
    terms = word_terms(body, False)
    found: list[tuple[int, int]] = []
    for phrase in phrases:
        n = len(phrase)
        if not n:
            continue
        first, rest = phrase[0], list(phrase[1:])
        i = -1
        while True:
            try:
                i = terms.index(first, i + 1)
            except ValueError:
                break
            if terms[i + 1 : i + n] == rest:
                found.append((i, i + n - 1))
    if not found:
        return []
    words = _WORD.findall(body)
    offsets = [m.start() for m in _WORD.finditer(body)]
    if len(terms) == len(words) and all(len(_analyze_word(words[i])) == 1 for a, b in found for i in (a, b)):
        # one token per word (no Chinese run split into bigrams): token n is word n
        return [(offsets[a] + _analyze_word(words[a])[0][2], offsets[b] + _analyze_word(words[b])[0][3])
                for a, b in found]
    starts = list(accumulate((len(_analyze_word(w)) for w in words), initial=0))
    spans: list[Span] = []
    for a, b in found:
        wa = bisect_right(starts, a) - 1
        wb = bisect_right(starts, b) - 1
        spans.append((offsets[wa] + _analyze_word(words[wa])[a - starts[wa]][2],
                      offsets[wb] + _analyze_word(words[wb])[b - starts[wb]][3]))
    return spans
