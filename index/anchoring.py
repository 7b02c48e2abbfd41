"""Finding a saved passage again in a document that may have changed, as Hypothesis does.

A passage is described by three selectors taken when it was saved: its exact text (``quote``), a
few characters before and after it (``prefix``/``suffix``) and its character offsets. To find it in
a body, in order:

1. the saved position, if the quote is still there with all its context (status ``anchored``);
   else the quote with all its context elsewhere, nearest where it was last found (``moved``);
2. the places where the quote still occurs exactly with most of its context, and the stretches
   of text close to the quote (fuzzy) with most of its context: the best of them (``moved``).
   Context is what makes a place the passage: a short quote (a word, a name) occurs all over a
   text, and templated text repeats whole phrases, so away from where the passage was a place
   needs nearly all of its context, and near it some on each side;
3. a quote long enough to be evidence on its own (``DISTINCTIVE``) found word for word where
   its context changed, a paragraph moved (``moved``);
4. otherwise nothing (``orphaned``): the caller keeps the bookmark and its saved text.

When two places are about equally likely (repeated or templated text) the bookmark is orphaned,
not guessed: never attached to the wrong text. Spans found by fuzzy matching cover text, never
the whitespace or paragraph break around it.

Plain functions over strings: no storage, no UI.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from .anchor_context import CONTEXT, GRAM, SLACK, Context, word_edge

ANCHORED, MOVED, ORPHANED = "anchored", "moved", "orphaned"
STATUSES = (ANCHORED, MOVED, ORPHANED)

RULES = 2
"""The version of these rules. A place found by other rules is looked for again: rules 1 took
any exact occurrence, or any text 80% like the quote, whatever surrounded it."""

MAX_OCCURRENCES = 2000
"""Exact occurrences looked at before giving up on a very common quote."""
MAX_WEIGHED = 64
"""Occurrences whose context is weighed in full (the likeliest first)."""
DISTINCTIVE = 32
"""A quote at least this long (without surrounding whitespace) is evidence on its own: found
word for word elsewhere it counts even where its context changed (a paragraph moved)."""

# How much of the saved context (0..1, ``Context.sides``) a place needs to count:
MIN_CONTEXT = 0.5
"""...at all; enough for a long quote found word for word, or a fuzzy match near where the
passage was last found;"""
MIN_SHORT_CONTEXT = 0.6
"""...for a short quote found word for word near where it was (a word changed right next to it
leaves about 0.65-0.75);"""
MIN_FAR_CONTEXT = 0.85
"""...for anything but a long quote found word for word, farther than ``NEAR`` characters from
where the passage was last found: a word or a name recurs all over a text, and templated text
(feeds, bylines) repeats whole phrases around it;"""
MIN_SIDE = 0.25
"""...on each side, for anything but a long quote found word for word."""
NEAR = 2 * CONTEXT
MIN_SIMILARITY = 0.65
"""How close the text of a fuzzy match must be to the quote."""
MIN_FUZZY_LENGTH = 16
"""Shorter quotes are only ever found exactly: a fuzzy match of a word is another word."""
MARGIN = 0.05
"""A place must score this much more than any other place (scores are 0..1, the mean of how
close its text is to the quote and how much of the saved context surrounds it), or the bookmark
is orphaned as ambiguous: repeated or templated text, where context cannot tell places apart."""


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
    lost = Anchor(sel.start, sel.end, ORPHANED, 0.0)
    quote, n = sel.quote, len(sel.quote)
    if not quote.strip():
        return lost
    context = Context(sel)
    if body.startswith(quote, sel.start) and context.intact(body, sel.start, sel.end):
        return Anchor(sel.start, sel.end, ANCHORED)
    starts = _occurrences(body, quote)
    intact = [p for p in starts if context.intact(body, p, p + n)]
    if intact:  # the quote with all its context: the passage itself (or an exact copy of it)
        best = min(intact, key=lambda p: (abs(p - hint), p))
        return _anchor_at(_Place(1.0, best, best + n), sel)
    places = _exact(body, sel, context, hint, starts)
    if len(quote.strip()) >= MIN_FUZZY_LENGTH:
        places += _fuzzy(body, sel, context, hint)
    chosen = _choose(places, hint)
    if chosen is None and starts and len(quote.strip()) >= DISTINCTIVE:
        # Word for word, long enough to be the passage wherever its context went (a paragraph
        # moved): one such place, or one whose context is clearly the most like the saved one.
        chosen = _choose([_Place(context.support(body, p, p + n), p, p + n) for p in starts[:MAX_WEIGHED]],
                         hint)
    if chosen is None or chosen is _AMBIGUOUS:
        return lost
    return _anchor_at(chosen, sel)


@dataclass(frozen=True)
class _Place:
    """A candidate home for the passage. ``ok``: it has the evidence to be chosen (a place
    without it still counts as a rival that makes a choice ambiguous)."""

    score: float
    start: int
    end: int
    similarity: float = 1.0
    ok: bool = True


_AMBIGUOUS = _Place(0.0, 0, 0, 0.0)
"""What ``_choose`` returns when several places are about equally likely: the bookmark is orphaned."""


def _choose(places: list[_Place], hint: int) -> _Place | None:
    """The best-scored place (the nearest to ``hint`` among equals); ``_AMBIGUOUS`` when another
    place, elsewhere in the text, scores within ``MARGIN`` of it; ``None`` when there is none."""
    good = [p for p in places if p.ok]
    if not good:
        return None
    best = max(good, key=lambda p: (p.score, -abs(p.start - hint)))
    for other in places:
        if other is not best and (other.end <= best.start or other.start >= best.end) \
                and other.score >= best.score - MARGIN:
            return _AMBIGUOUS
    return best


def _anchor_at(place: _Place, sel: Selector) -> Anchor:
    status = ANCHORED if (place.start, place.end) == (sel.start, sel.end) and place.similarity == 1 else MOVED
    return Anchor(place.start, place.end, status, round(place.similarity, 3))


# -- exact quote -------------------------------------------------------------------------------
def _occurrences(body: str, quote: str) -> list[int]:
    starts: list[int] = []
    pos = body.find(quote)
    while pos != -1 and len(starts) < MAX_OCCURRENCES:
        starts.append(pos)
        pos = body.find(quote, pos + 1)
    return starts


def _enough(body: str, context: Context, support: tuple[float, float], start: int, hint: int,
            verbatim: bool) -> bool:
    """Does a place have the context to be the passage? A long quote found word for word is
    evidence on its own. Anything else (a word or a name recurs in many places; templated text
    repeats whole phrases around it; a fuzzy match is only like the quote) needs some of its
    context on both sides, and nearly all of it away from where the passage was last found, or
    when the quote recurs inside its own context but not around the place."""
    overall, weakest = support
    if verbatim and len(context.quote.strip()) >= DISTINCTIVE:
        return overall >= MIN_CONTEXT
    if weakest < MIN_SIDE:
        return False
    if abs(start - hint) > NEAR or not context.echoed_at(body, start):
        return overall >= MIN_FAR_CONTEXT
    return overall >= (MIN_SHORT_CONTEXT if verbatim else MIN_CONTEXT)


def _exact(body: str, sel: Selector, context: Context, hint: int, starts: list[int]) -> list[_Place]:
    """The occurrences of the quote that most of its saved context still surrounds."""
    n = len(sel.quote)
    if len(starts) > MAX_WEIGHED:
        # Weigh the occurrences whose neighbouring characters still match first, then the nearest.
        before, after = sel.prefix[-GRAM:], sel.suffix[:GRAM]

        def likely(p: int) -> tuple[int, int]:
            near = (bool(before) and body.startswith(before, p - len(before))) + \
                   (bool(after) and body.startswith(after, p + n))
            return -near, abs(p - hint)

        starts = sorted(starts, key=likely)[:MAX_WEIGHED]
    places = []
    for p in starts:
        if not context.same_edges(body, p, p + n):
            continue  # a whole word then, part of a longer word now ("the" in "there")
        support = context.sides(body, p, p + n)
        if support[0] >= MIN_CONTEXT:
            places.append(_Place(_score(1.0, support[0]), p, p + n, ok=_enough(body, context, support, p, hint, True)))
    return places


def _score(similarity: float, support: float) -> float:
    """How likely a place is the passage: its text and its context weigh the same."""
    return (similarity + support) / 2


# -- fuzzy match -------------------------------------------------------------------------------
def _fuzzy(body: str, sel: Selector, context: Context, hint: int) -> list[_Place]:
    """Stretches of text close to the quote, where most of its saved context surrounds them."""
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
        return []
    ranked = sorted(votes.items(), key=lambda kv: (-kv[1], abs(kv[0] * 8 - hint)))[:6]
    places: list[_Place] = []
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
        start, end = _trim(body, *_whole_words(body, *span, context), quote)
        if end <= start or any(p.start == start and p.end == end for p in places) \
                or not context.same_edges(body, start, end):
            continue
        support = context.sides(body, start, end)
        if support[0] < MIN_CONTEXT:
            continue  # text like the quote, but not where the passage was: a look-alike
        matcher = SequenceMatcher(None, quote, body[start:end], autojunk=False)
        if matcher.real_quick_ratio() < MIN_SIMILARITY or matcher.quick_ratio() < MIN_SIMILARITY:
            continue
        similarity = matcher.ratio()
        if similarity < MIN_SIMILARITY:
            continue
        places.append(_Place(_score(similarity, support[0]), start, end, similarity,
                             ok=_enough(body, context, support, start, hint, False)))
        if similarity >= 0.95 and support[0] >= 0.9:
            break  # nothing elsewhere can be a better home than this
    return places


def _whole_words(body: str, start: int, end: int, context: Context) -> tuple[int, int]:
    """``[start, end)`` shrunk to whole words at the ends where the saved passage had them."""
    before, after = context.edges
    if before:
        while start < end and not word_edge(body[start - 1:start] if start else "", body[start]):
            start += 1
    if after:
        while end > start and not word_edge(body[end - 1], body[end:end + 1]):
            end -= 1
    return start, end


def _trim(body: str, start: int, end: int, quote: str) -> tuple[int, int]:
    """``[start, end)`` without the whitespace at its ends that the quote does not have."""
    if not quote[:1].isspace():
        while start < end and body[start].isspace():
            start += 1
    if not quote[-1:].isspace():
        while end > start and body[end - 1].isspace():
            end -= 1
    return start, end


def _align(quote: str, body: str, lo: int, hi: int) -> tuple[int, int] | None:
    """The stretch of ``body[lo:hi]`` that lines up with ``quote``: from the first to the last
    run of at least three matching characters, extended by any unmatched ends of the quote; for
    a quote without line breaks, all inside the line (paragraph) of the longest run."""
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
    if "\n" not in quote:
        # Only the line (paragraph) of the longest run: a few letters that happen to match in
        # the paragraph before or after are not part of the passage.
        main = max(blocks, key=lambda b: b.size)
        line_lo = window.rfind("\n", 0, main.b) + 1
        line_hi = window.find("\n", main.b + main.size)
        line_hi = len(window) if line_hi == -1 else line_hi
        blocks = [b for b in blocks if b.b >= line_lo and b.b + b.size <= line_hi]
    else:
        line_lo, line_hi = 0, len(window)
    first, last = blocks[0], blocks[-1]
    start = max(line_lo, first.b - first.a)
    end = min(line_hi, last.b + last.size + (n - last.a - last.size))
    # Words of the quote's ends that did not line up may still be there, a few words further out
    # ("a showdown" -> "a new showdown"): end the span on them rather than in the inserted text.
    head, tail = quote[:first.a].strip(), quote[last.a + last.size:].strip()
    if head:
        at = window.rfind(head, max(line_lo, start - SLACK), first.b)
        start = at if at != -1 else start
    if tail:
        at = window.find(tail, last.b + last.size, min(line_hi, end + SLACK + len(tail)))
        end = at + len(tail) if at != -1 else end
    if end <= start:
        return None
    return lo + start, lo + end
