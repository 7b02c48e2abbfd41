"""Finding a saved passage again in a document that may have changed, as Hypothesis does.

A passage is described by three selectors taken when it was saved: its exact text (``quote``), a
few characters before and after it (``prefix``/``suffix``) and its character offsets. To find it in
a body, in order:

1. the saved position, if the quote is still there (status ``anchored``);
2. the exact quote elsewhere, preferring the occurrence whose context matches best and then the
   one nearest the saved position (``moved``);
3. a fuzzy match of the quote, near places where pieces of the quote or its context still occur,
   accepted only when it is close enough to the quote (``moved``);
4. otherwise nothing (``orphaned``): the caller keeps the bookmark and its saved text.

Plain functions over strings: no storage, no UI.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

CONTEXT = 32
"""Characters of context kept before and after a quote."""

ANCHORED, MOVED, ORPHANED = "anchored", "moved", "orphaned"
STATUSES = (ANCHORED, MOVED, ORPHANED)

MAX_OCCURRENCES = 2000
"""Exact occurrences looked at before giving up on a very common quote."""
MIN_QUOTE_SIMILARITY = 0.80
"""A fuzzy candidate this close to the quote is accepted on its own..."""
MIN_SUPPORTED_SIMILARITY = 0.65
MIN_CONTEXT_SIMILARITY = 0.60
"""...and one at least this close when its surrounding text also matches the saved context."""


def text_hash(body: str) -> str:
    """A short, stable fingerprint of a document body (which version a bookmark was made on)."""
    return hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()[:32]


@dataclass(frozen=True)
class Selector:
    """What is saved about a passage: its text, its context and where it was."""

    quote: str
    prefix: str
    suffix: str
    start: int
    end: int


@dataclass(frozen=True)
class Anchor:
    """Where a passage is in the current body: ``[start, end)`` and how it was found."""

    start: int
    end: int
    status: str
    similarity: float = 1.0


def select(body: str, start: int, end: int, context: int = CONTEXT) -> Selector:
    """The selectors of ``body[start:end]``; raises ``ValueError`` on an empty or invalid span."""
    if not (0 <= start < end <= len(body)):
        raise ValueError(f"span {start}-{end} is not inside a text of {len(body)} characters")
    return Selector(
        quote=body[start:end],
        prefix=body[max(0, start - context):start],
        suffix=body[end:end + context],
        start=start,
        end=end,
    )


_SPACE = re.compile(r"\s+")


def find_quote(body: str, quote: str) -> list[tuple[int, int]]:
    """Every span of ``body`` holding ``quote``, exactly or with any run of whitespace (spaces,
    line breaks) standing for any other; leading/trailing whitespace of ``quote`` is ignored."""
    words = quote.split()
    if not words:
        return []
    exact = quote.strip()
    spans: list[tuple[int, int]] = []
    pos = body.find(exact)
    while pos != -1 and len(spans) < MAX_OCCURRENCES:
        spans.append((pos, pos + len(exact)))
        pos = body.find(exact, pos + 1)
    if spans:
        return spans
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
    return [m.span() for m in pattern.finditer(body)][:MAX_OCCURRENCES]


def anchor(body: str, sel: Selector, hint: int | None = None) -> Anchor:
    """Find the passage ``sel`` in ``body``. ``hint`` is where it was last found (default: its
    saved start); ``status`` is ``anchored`` only when it sits at its saved offsets unchanged."""
    hint = sel.start if hint is None else hint
    quote = sel.quote
    if not quote:
        return Anchor(sel.start, sel.end, ORPHANED, 0.0)
    exact = _exact(body, sel, hint)
    if exact is not None:
        return exact
    fuzzy = _fuzzy(body, sel, hint)
    if fuzzy is not None:
        return fuzzy
    return Anchor(sel.start, sel.end, ORPHANED, 0.0)


# -- exact quote -------------------------------------------------------------------------------
def _exact(body: str, sel: Selector, hint: int) -> Anchor | None:
    best: tuple[float, int, int] | None = None
    pos = body.find(sel.quote)
    seen = 0
    while pos != -1 and seen < MAX_OCCURRENCES:
        seen += 1
        score = _context_score(body, pos, pos + len(sel.quote), sel)
        key = (score, -abs(pos - hint), pos)
        if best is None or key > best:
            best = key
        pos = body.find(sel.quote, pos + 1)
    if best is None:
        return None
    start = best[2]
    end = start + len(sel.quote)
    status = ANCHORED if (start, end) == (sel.start, sel.end) else MOVED
    return Anchor(start, end, status)


def _context_score(body: str, start: int, end: int, sel: Selector) -> float:
    """How much of the saved context surrounds ``[start, end)``: 0..2 (1 when there was none).

    Counts matching characters outward from the passage, so an edit far from it costs little."""
    def common_suffix(a: str, b: str) -> int:
        n = 0
        for x, y in zip(reversed(a), reversed(b)):
            if x != y:
                break
            n += 1
        return n

    def common_prefix(a: str, b: str) -> int:
        n = 0
        for x, y in zip(a, b):
            if x != y:
                break
            n += 1
        return n

    before = body[max(0, start - len(sel.prefix)):start]
    after = body[end:end + len(sel.suffix)]
    p = common_suffix(before, sel.prefix) / len(sel.prefix) if sel.prefix else 0.5
    s = common_prefix(after, sel.suffix) / len(sel.suffix) if sel.suffix else 0.5
    # A passage at the very start or end of a body cannot have context: not a mismatch.
    if not sel.prefix and start == 0:
        p = 1.0
    if not sel.suffix and end == len(body):
        s = 1.0
    return p + s if (p + s) > 0 else 0.0


# -- fuzzy match -------------------------------------------------------------------------------
def _fuzzy(body: str, sel: Selector, hint: int) -> Anchor | None:
    quote = sel.quote
    n = len(quote)
    slack = max(16, n // 3)
    votes: dict[int, int] = {}

    def vote(start: int, weight: int = 1) -> None:
        # Bucket nearby starts together so small insertions inside the quote still agree.
        bucket = start // 8
        votes[bucket] = votes.get(bucket, 0) + weight

    k = max(4, min(24, n // 5))
    for offset in range(0, max(1, n - k + 1), max(1, k // 2)):
        piece = quote[offset:offset + k]
        if len(piece) < 4 or not piece.strip():
            continue
        pos, found = body.find(piece), 0
        while pos != -1 and found < 50:
            vote(pos - offset)
            found += 1
            pos = body.find(piece, pos + 1)
    for ctx, at_end in ((sel.prefix, True), (sel.suffix, False)):
        piece = ctx[-16:] if at_end else ctx[:16]
        if len(piece) < 6:
            continue
        pos, found = body.find(piece), 0
        while pos != -1 and found < 20:
            vote(pos + len(piece) if at_end else pos - n, 2)
            found += 1
            pos = body.find(piece, pos + 1)
    if not votes:
        return None
    ranked = sorted(votes.items(), key=lambda kv: (-kv[1], abs(kv[0] * 8 - hint)))[:6]
    best: tuple[float, int, int, float] | None = None
    tried: list[int] = []
    for bucket, _ in ranked:
        guess = bucket * 8
        if any(abs(guess - t) <= slack // 2 for t in tried):
            continue  # the same stretch of text, already aligned
        tried.append(guess)
        lo = max(0, guess - slack)
        hi = min(len(body), guess + n + slack)
        span = _align(quote, body, lo, hi)
        if span is None:
            continue
        start, end = span
        similarity = SequenceMatcher(None, quote, body[start:end], autojunk=False).ratio()
        context = _context_similarity(body, start, end, sel)
        if not _acceptable(similarity, context):
            continue
        score = similarity + 0.25 * context - min(abs(start - hint), 10_000) / 1_000_000
        if best is None or score > best[0]:
            best = (score, start, end, similarity)
        if similarity >= 0.95 and context >= 0.9:
            break  # nothing elsewhere can be a better home than this
    if best is None:
        return None
    return Anchor(best[1], best[2], MOVED, round(best[3], 3))


def _acceptable(similarity: float, context: float) -> bool:
    if similarity >= MIN_QUOTE_SIMILARITY:
        return True
    return similarity >= MIN_SUPPORTED_SIMILARITY and context >= MIN_CONTEXT_SIMILARITY


def _align(quote: str, body: str, lo: int, hi: int) -> tuple[int, int] | None:
    """The stretch of ``body[lo:hi]`` that lines up with ``quote``: from the first to the last
    run of at least three matching characters, extended by any unmatched ends of the quote."""
    window = body[lo:hi]
    n = len(quote)
    h = min(16, n // 3)
    if h >= 5:
        # Usual case, an edit inside the passage: its first and last words are still there.
        head = window.find(quote[:h])
        if head != -1:
            ends, pos = [], window.find(quote[-h:], head + n // 2 - h)
            while pos != -1 and pos + h - head <= 1.5 * n:
                ends.append(pos)
                pos = window.find(quote[-h:], pos + 1)
            if ends:  # the tail nearest to where the quote's own length puts it
                tail = min(ends, key=lambda p: abs(p + h - head - n))
                return lo + head, lo + tail + h
    blocks = [b for b in SequenceMatcher(None, quote, window, autojunk=False).get_matching_blocks()
              if b.size >= 3]
    if not blocks:
        return None
    first, last = blocks[0], blocks[-1]
    start = lo + max(0, first.b - first.a)
    end = lo + min(len(window), last.b + last.size + (len(quote) - last.a - last.size))
    if end <= start:
        return None
    return start, end


def _context_similarity(body: str, start: int, end: int, sel: Selector) -> float:
    parts = []
    if sel.prefix:
        parts.append(SequenceMatcher(None, sel.prefix, body[max(0, start - len(sel.prefix)):start],
                                     autojunk=False).ratio())
    if sel.suffix:
        parts.append(SequenceMatcher(None, sel.suffix, body[end:end + len(sel.suffix)],
                                     autojunk=False).ratio())
    return sum(parts) / len(parts) if parts else 0.0
