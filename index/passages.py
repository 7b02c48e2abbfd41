"""Sentences and paragraphs of a body as character spans: what "the passage here" means when a
reader bookmarks or selects text. Plain functions; spans are ``[start, end)`` body offsets with
surrounding whitespace left out.
"""

from __future__ import annotations

import re

from .models import Span

# A sentence ends after . ! ? … (or their CJK forms), with any closing quotes or brackets, where
# whitespace follows; a line break always ends one. CJK full stops need no space after them.
_END = re.compile(r"""[.!?…]+["'”’)\]]*(?=\s)|[。！？]+["'”’)\]」』]*|\n""")


def paragraph_at(body: str, offset: int) -> Span:
    """The paragraph (one line of the body) holding ``offset``, trimmed."""
    offset = max(0, min(offset, len(body)))
    start = body.rfind("\n", 0, offset) + 1
    end = body.find("\n", offset)
    return _trim(body, start, len(body) if end == -1 else end)


def sentences(body: str, start: int, end: int) -> list[Span]:
    """The sentences of ``body[start:end]`` in order, trimmed, empty ones left out."""
    out: list[Span] = []
    position = start
    for m in _END.finditer(body, start, end):
        span = _trim(body, position, m.end())
        if span[1] > span[0]:
            out.append(span)
        position = m.end()
    span = _trim(body, position, end)
    if span[1] > span[0]:
        out.append(span)
    return out


def sentence_at(body: str, offset: int) -> Span:
    """The sentence holding ``offset`` (the next one when ``offset`` falls between two)."""
    p_start, p_end = paragraph_at(body, offset)
    found = sentences(body, p_start, p_end)
    for span in found:
        if offset < span[1]:
            return span
    return found[-1] if found else (p_start, p_end)


def extend(body: str, span: Span, by: str, forward: bool = True) -> Span:
    """``span`` grown (``forward``) or shrunk by one sentence or paragraph (``by``) at its end;
    it never shrinks below its first sentence or paragraph."""
    start, end = span
    unit = sentence_at if by == "sentence" else paragraph_at
    if forward:
        nxt = _next_text(body, end)
        return (start, unit(body, nxt)[1]) if nxt is not None else span
    last = unit(body, max(start, _prev_text(body, end)))
    if last[0] <= start:
        return span
    return start, _trim(body, start, last[0])[1]


def _next_text(body: str, offset: int) -> int | None:
    m = re.compile(r"\S").search(body, offset)
    return m.start() if m else None


def _prev_text(body: str, offset: int) -> int:
    offset = min(offset, len(body))
    while offset > 0 and body[offset - 1].isspace():
        offset -= 1
    return max(0, offset - 1)


def _trim(body: str, start: int, end: int) -> Span:
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    return start, end
