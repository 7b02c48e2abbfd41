"""From a document's tokens to name candidates: runs of name words (joined across single spaces,
``of``/``and`` connectors, ``Co., Ltd.``, en dashes), then cut into pieces at role titles
(``Professor``), possessives (``Meta’s Llama``), months and the stoplist, with ``-based`` style
suffixes and ``Sino-``/``non-`` prefixes stripped and ``US-China`` split in two.
"""

from __future__ import annotations

import re
from functools import lru_cache

from . import entity_lexicon as lex
from .entity_text import (
    _DOTTED_ACRONYM,
    _AND_HEADS,
    _JOINERS,
    _LEGAL,
    _POSSESSIVE,
    _PREFIXES,
    _SPECIAL_CHARS,
    _SUFFIX_WORDS,
    _Doc,
    _Tok,
    _all_common,
    _common,
    _is_cjk,
    _is_name_word,
)

_EPONYM_HEADS = {"Law", "Laws", "Principle", "Paradox", "Theorem", "Razor", "Rule", "Effect", "Syndrome",
                 "Disease", "Constant", "Conjecture", "Dilemma"}
"""``Moore’s Law``: a possessive before one of these is part of the name."""


def _split_runs(doc: _Doc) -> list[list[_Tok]]:
    """Runs of name words separated by single spaces (plus connectors and ``Co., Ltd.``)."""
    runs: list[list[_Tok]] = []
    cur: list[_Tok] = []
    pending: list[_Tok] = []  # connectors waiting for a following name word
    body = doc.body
    toks = doc.toks
    for i, t in enumerate(toks):
        if cur:
            prev = pending[-1] if pending else cur[-1]
            gap = body[prev.end:t.start]
            ok_gap = gap == " " or gap == "–" and prev.text[-1].isupper() and t.text[0].isupper() or (gap in (".", "., ", ". ", ", ") and t.text.lower().rstrip(".") in _LEGAL
                                     and cur[-1].text.lower().rstrip(".") in _LEGAL | {"co"} | {x.text.lower() for x in cur[-1:]})
            if gap in (", ", "., ") and t.text.lower().rstrip(".") in _LEGAL:
                ok_gap = True
            if _POSSESSIVE.search(prev.text) and not pending and prev.text[0].isupper() and len(prev.text) > 2 \
                    and t.text not in _EPONYM_HEADS:
                ok_gap = False
            if prev.text.endswith(".") and t.text.lower().rstrip(".") not in _LEGAL:
                ok_gap = False  # "the U.S. Some foreign media": an abbreviation ends the sentence
            if ok_gap and _is_name_word(t.text) and not _is_cjk(t.text) and not _is_cjk(prev.text):
                cur.extend(pending)
                pending = []
                cur.append(t)
                continue
            if ok_gap and not pending and t.text in _JOINERS:
                pending.append(t)
                continue
            if ok_gap and pending and pending[-1].text.lower() == "of" and t.text.lower() == "the":
                pending.append(t)
                continue
            if ok_gap and t.text.isdigit() and len(t.text) <= 3 and not pending:
                # Llama 3, Nezha 2 (not years, not decimals)
                nxt = body[t.end:t.end + 2]
                if not nxt.startswith((".", ",")) or nxt in (". ", ", ", ".\n", ",\n") or len(nxt) < 2:
                    if not _NUMBER_GOES_ON.match(nxt):
                        cur.append(t)
                        continue
            runs.append(cur)
            cur, pending = [], []
        if _is_name_word(t.text):
            cur = [t]
    if cur:
        runs.append(cur)
    return runs


def _strip_hyphen_suffix(doc: _Doc, tok: _Tok) -> list[_Tok]:
    """``Hangzhou-based`` -> ``Hangzhou``; ``US-China`` -> ``US``, ``China``; ``non-US`` -> ``US``."""
    text = tok.text
    if "-" not in text:
        return [tok]
    parts = text.split("-")
    # lower-case prefix: non-US, anti-China
    offs = []
    pos = tok.start
    for p in parts:
        offs.append((pos, pos + len(p), p))
        pos += len(p) + 1
    # drop trailing lowercase common words (-based, -listed, -made, -led)
    while len(offs) > 1 and offs[-1][2].islower() and (offs[-1][2].endswith("ed") or offs[-1][2] in _SUFFIX_WORDS):
        offs.pop()
    # drop leading prefixes (non-, Sino-, anti-)
    while len(offs) > 1 and (offs[0][2].lower() in _PREFIXES or offs[0][2].islower() and _common(offs[0][2], 3.5)):
        offs.pop(0)
    if not offs:
        return []
    if len(offs) > 1:
        places = lex.places()
        dem = lex.demonyms()
        kinds = [(lex.fold(p) in places) or (lex.fold(p) in dem) or p.lower() in _PREFIXES for _, _, p in offs]
        if all(kinds) and all(p[0].isupper() or p.isupper() for _, _, p in offs):
            return [_Tok(s, e, p) for s, e, p in offs if lex.fold(p) not in dem and p.lower() not in _PREFIXES]
    s, e = offs[0][0], offs[-1][1]
    return [_Tok(s, e, doc.body[s:e])]


def _clean_token(doc: _Doc, tok: _Tok) -> tuple[list[_Tok], bool]:
    """Strip a possessive (reported as a name end) and hyphen suffixes from one token."""
    text = tok.text
    glued = _GLUED_CAPITALS.match(text)
    if glued and _common(glued.group(1), 3.5):
        cut = len(glued.group(1))
        tok = _Tok(tok.start + cut, tok.end, text[cut:])
        text = tok.text
    ends = False
    m = _POSSESSIVE.search(text)
    if m and len(text) - len(m.group()) == 1 and text[0].isupper() and m.group() in ("’s", "'s"):
        return [_Tok(tok.start, tok.start + 1, text[0])], True  # X’s Grok
    if m and (len(text) - len(m.group()) >= 2) and not text.isupper():
        if m.group() in ("'", "’") and not text[:-1].endswith("s"):
            pass
        else:
            cut = len(m.group()) if m.group() not in ("s'", "s’") else 1
            tok = _Tok(tok.start, tok.end - cut, text[:-cut])
            ends = True
    if tok.text.endswith(".") and not _DOTTED_ACRONYM.fullmatch(tok.text) and tok.text.lower() not in ("co.", "ltd.", "inc.", "corp."):
        tok = _Tok(tok.start, tok.end - 1, tok.text[:-1])
    return _strip_hyphen_suffix(doc, tok), ends


def _cut(doc: _Doc, run: list[_Tok]) -> list[list[_Tok]]:
    """Cut a run at possessives, titles and junk words; expand hyphen compounds."""
    if len(run) == 1:  # most runs are one word: cut each word once, wherever it stands
        tok = run[0]
        cut = _cut_word(tok.text, doc.stoplist)
        if cut is None:
            return [run]
        at = tok.start
        return [[_Tok(at + s, at + e, text) for s, e, text in piece] for piece in cut]
    return _cut_run(doc, run)


@lru_cache(maxsize=50_000)
def _cut_word(text: str, stoplist: frozenset[str]) -> tuple | None:
    """``_cut`` of a run of one word, with offsets into the word; None when it stays whole. Only
    the word itself counts, so each word is cut once (a process extracts many documents)."""
    low = text.lower()
    if not _SPECIAL_CHARS.search(text) and low not in lex.TITLES and low not in stoplist \
            and not lex.is_month_or_day(text) and lex.fold(text) not in lex.GENERIC_PHRASES:
        return None  # the common case: one plain word
    pieces = _cut_run(_Word(text, stoplist), [_Tok(0, len(text), text)])
    return tuple(tuple((t.start, t.end, t.text) for t in piece) for piece in pieces)


class _Word:
    """A one-word stand-in for ``_Doc`` (what ``_cut_run`` reads of it when the run is one word)."""

    __slots__ = ("body", "stoplist")

    def __init__(self, body: str, stoplist: frozenset[str]) -> None:
        self.body, self.stoplist = body, stoplist


def _cut_run(doc: _Doc | _Word, run: list[_Tok]) -> list[list[_Tok]]:
    pieces: list[list[_Tok]] = []
    cur: list[_Tok] = []
    titles = lex.TITLES
    whole = lex.fold(doc.body[run[0].start:run[-1].end])
    if whole in lex.GENERIC_PHRASES:
        return []
    for tok in run:
        low = tok.text.lower().rstrip(".")
        if low == "vice" and not any(t.start > tok.start and t.text.lower() in titles for t in run[run.index(tok) + 1:run.index(tok) + 2]):
            low = "vice\x00"  # "Vice China" is a name; "Vice President" a title
        if low in titles and (not tok.text.isupper() or low in ("ceo", "cfo", "cto")) \
                or lex.is_month_or_day(tok.text) or low in doc.stoplist:
            if cur and not (low in titles and _all_common(cur, 3.5)):
                pieces.append(cur)  # (but "Tech Editor", "Finance Minister": the title's qualifier goes)
            pieces.append([_Tok(tok.start, tok.end, "\x00title")])
            cur = []
            continue
        if low.endswith("s") and low[:-1] in lex.GENERIC_ACRONYMS and tok.text[:-1].isupper():
            if cur:
                pieces.append(cur)
            cur = []
            continue
        k = run.index(tok)
        if k + 1 < len(run) and run[k + 1].text in _EPONYM_HEADS and _POSSESSIVE.search(tok.text):
            cur.append(tok)  # Moore’s Law, Occam’s Razor: the possessive is part of the name
            continue
        parts, ends = _clean_token(doc, tok)
        if len(parts) == 1 and parts[0].end < tok.end - (2 if ends else 0) and "-" in tok.text:
            ends = True  # "US-made Nvidia": the name ends where the suffix was cut
        if len(parts) == 1 and parts[0].start > tok.start:
            if cur:
                pieces.append(cur)
            cur = []
        if len(parts) > 1:
            if cur:
                pieces.append(cur)
            pieces.extend([p] for p in parts)
            cur = []
            continue
        cur.extend(parts)
        if ends:
            pieces.append(cur)
            cur = []
    if cur:
        pieces.append(cur)
    out = []
    for piece in pieces:
        # connectors and ``and`` may not start or end a name
        while piece and piece[0].text in _JOINERS:
            piece = piece[1:]
        while piece and piece[-1].text in _JOINERS:
            piece = piece[:-1]
        if not piece:
            continue
        # ``A and B``: one name only when it ends in an organisation head (Science and Technology Daily)
        if any(t.text.lower() in ("and", "&") for t in piece) and piece[-1].text.lower().rstrip(".") not in _AND_HEADS:
            cur = []
            for t in piece:
                if t.text.lower() in ("and", "&"):
                    if cur:
                        out.append(cur)
                    cur = []
                else:
                    cur.append(t)
            if cur:
                out.append(cur)
            continue
        out.append(piece)
    result = []
    dem = lex.demonyms()
    for piece in out:
        if len(piece) > 1 and piece[-1].text.lower() in lex.GENERIC_ACRONYMS:
            nxt = _NEXT_LOWER_WORD.match(doc.body[piece[-1].end:piece[-1].end + 30])
            if nxt and (nxt.group(1) in _CUE_NOUNS
                        or nxt.group(1) in ("chips", "chip", "gpus", "industry", "sector", "research", "services")):
                piece = piece[:-1]
        while len(piece) > 1 and lex.fold(piece[0].text) in dem and lex.fold(piece[1].text) not in lex.places() \
                and not (len(piece) == 2 and piece[-1].text.lower() in _ORG_OR_PLACE_HEADS) \
                and not (piece[-1].text.lower() in lex.ORG_HEADS and _all_common(piece[1:], 3.5)):
            piece = piece[1:]  # (but "Korean National Assembly": the nation says which assembly)
        for k, t in enumerate(piece):
            if t.text == "of" and k > 0 and piece[k - 1].text.lower() in lex.EVENT_HEADS:
                piece = piece[:k]
                break
        while piece and piece[0].text in lex.CONNECTORS:
            piece = piece[1:]
        while piece and piece[-1].text in lex.CONNECTORS:
            piece = piece[:-1]
        if piece:
            result.append(piece)
    return result


# patterns of the hot path, compiled once at import
_NUMBER_GOES_ON = re.compile(r"[.,]\d")
_GLUED_CAPITALS = re.compile(r"([a-z]{3,})([A-Z]{2,}.*)$")
_NEXT_LOWER_WORD = re.compile(r"\s+([a-z][\w-]*)")

# unions of the word classes, built once (they were built again at every test)
_CUE_NOUNS = frozenset(lex.ROLE_NOUNS | lex.ORG_CUES | lex.PRODUCT_CUES)
_ORG_OR_PLACE_HEADS = frozenset(lex.ORG_HEADS | lex.PLACE_HEADS)
