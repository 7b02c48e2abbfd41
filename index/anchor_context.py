"""The saved context of a passage (the characters before and after its quote), compared with the
text around a place where the passage may now be: how much of it is still there, on each side,
and whether the place begins and ends words where the passage did. Used by ``anchoring``."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .anchoring import Selector

CONTEXT = 32
"""Characters of context kept before and after a quote."""
GRAM = 4
SLACK = 8
"""Characters a context may have shifted by (an insertion right next to the passage)."""


class Context:
    """The saved context of a passage, ready to be compared with the text around a place."""

    def __init__(self, sel: Selector) -> None:
        self.prefix, self.suffix = sel.prefix, sel.suffix
        self.prefix_grams = _grams(sel.prefix)
        self.suffix_grams = _grams(sel.suffix)
        self.quote = sel.quote
        self.edges = (word_edge(sel.prefix[-1:], sel.quote[:1]), word_edge(sel.quote[-1:], sel.suffix[:1]))
        self.echoes = [pos - len(sel.prefix) for pos in self._occurs(sel.prefix)] + \
                      [len(sel.quote) + pos for pos in self._occurs(sel.suffix)]
        """Where the quote occurs again inside its own context, relative to its start ("the
        blood, the systems"): once it is deleted, that other occurrence sits about where it was,
        with much of its context."""

    def _occurs(self, text: str) -> list[int]:
        """Where the quote occurs in ``text`` as the saved one did (whole words if it was)."""
        out, pos = [], text.find(self.quote)
        while pos != -1:
            if self.same_edges(text, pos, pos + len(self.quote)):
                out.append(pos)
            pos = text.find(self.quote, pos + 1)
        return out

    def echoed_at(self, body: str, start: int) -> bool:
        """Do the occurrences of the quote inside its saved context surround ``start`` too? If
        not, the place may be one of them, with the passage itself gone."""
        n = len(self.quote)
        for offset in self.echoes:
            pos = body.find(self.quote, max(0, start + offset - SLACK), start + offset + n + SLACK)
            if pos != -1 and start - n < pos < start + n:  # the place itself: look past it
                pos = body.find(self.quote, start + n, start + offset + n + SLACK) if offset > 0 else \
                    body.find(self.quote, max(0, start + offset - SLACK), start)
            if pos == -1:
                return False
        return True

    def same_edges(self, body: str, start: int, end: int) -> bool:
        """Does the place ``[start, end)`` begin and end a word wherever the saved passage did?"""
        before, after = self.edges
        return (not before or word_edge(body[start - 1:start] if start else "", body[start:start + 1])) and \
            (not after or word_edge(body[end - 1:end], body[end:end + 1]))

    def intact(self, body: str, start: int, end: int) -> bool:
        """Is the saved context around ``[start, end)`` character for character?"""
        if self.prefix:
            if start < len(self.prefix) or not body.startswith(self.prefix, start - len(self.prefix)):
                return False
        elif not _at_start(body, start):
            return False
        if self.suffix:
            return body.startswith(self.suffix, end)
        return _at_end(body, end)

    def support(self, body: str, start: int, end: int) -> float:
        """How much of the saved context surrounds ``[start, end)``, 0..1 (see ``sides``)."""
        return self.sides(body, start, end)[0]

    def sides(self, body: str, start: int, end: int) -> tuple[float, float]:
        """How much of the saved context surrounds ``[start, end)``, 0..1, and how much of it
        its less well matched side has (1 when only one side had context to compare).

        Each side scores the mean of two shares: the saved context's 4-character pieces found
        next to the place (within a few characters of where they were, so an edit costs only the
        pieces it touches) and its characters that still match outward from the place without a
        break (the text right next to a passage says most about it). Sides weigh by how much
        context was saved: a lone line break after a passage at the end of a text says little.
        A side that had no context (the passage began or ended the text) counts in full when the
        place also begins or ends the text, and against it, at half weight, when it does not."""
        score = weight = 0.0
        weakest = 1.0
        for side in (0, 1):
            saved, grams = (self.prefix, self.prefix_grams) if side == 0 else (self.suffix, self.suffix_grams)
            if not saved:
                at_edge = _at_start(body, start) if side == 0 else _at_end(body, end)
                score += CONTEXT if at_edge else 0
                weight += CONTEXT if at_edge else CONTEXT / 2
                continue
            if side == 0:
                window = body[max(0, start - len(saved) - SLACK):start]
                run = _run_before(window, saved)
            else:
                window = body[end:end + len(saved) + SLACK]
                run = _run_after(window, saved)
            if grams:
                pieces = sum(g in window for g in grams) / len(grams)
            else:  # a few characters only: the passage was next to the edge of the text
                pieces = float((saved.strip() or saved) in window)
            this = (pieces + run / len(saved)) / 2
            score += len(saved) * this
            weight += len(saved)
            if len(saved.strip()) >= GRAM:
                weakest = min(weakest, this)
        return (score / weight if weight else 0.0), weakest


def _run_before(window: str, saved: str) -> int:
    """Characters of ``saved`` that ``window`` still ends with, going outward; when a few were
    inserted right next to the passage, the run after them, less what was inserted."""
    run = _common_suffix(window, saved)
    if run < len(saved) and len(saved) >= GRAM:
        at = window.rfind(saved[-GRAM:], max(0, len(window) - GRAM - SLACK))
        inserted = len(window) - at - GRAM
        if at != -1 and inserted > 0:
            run = max(run, _common_suffix(window[:at + GRAM], saved) - inserted)
    return run


def _run_after(window: str, saved: str) -> int:
    """``_run_before`` for the text after a passage: ``saved`` matched from the start of ``window``."""
    run = _common_prefix(window, saved)
    if run < len(saved) and len(saved) >= GRAM:
        at = window.find(saved[:GRAM], 1, GRAM + SLACK)
        if at > 0:
            run = max(run, _common_prefix(window[at:], saved) - at)
    return run


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b)):
        if x != y:
            break
        n += 1
    return n


def word_edge(left: str, right: str) -> bool:
    """Is there a word boundary between the character ``left`` and the character ``right``?"""
    return not (left.isalnum() and right.isalnum())


def _grams(text: str) -> list[str]:
    return [text[i:i + GRAM] for i in range(len(text) - GRAM + 1)]


def _at_start(body: str, start: int) -> bool:
    """Is ``start`` the beginning of the text (but for whitespace)?"""
    return start == 0 or (start <= 256 and body[:start].isspace())


def _at_end(body: str, end: int) -> bool:
    """Is ``end`` the end of the text (but for whitespace)?"""
    return end == len(body) or (len(body) - end <= 256 and body[end:].isspace())
