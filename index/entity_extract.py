"""Find the named entities of one document: every mention with its exact span, type evidence and the
alias links the text itself states (``X (Y)``, ``(hereafter “Y”)``, ``浙江宣传 Zhejiang Publicity``).

Method: runs of capitalised words (and CamelCase, acronyms, model codes, Chinese runs) are the
candidates. They are cut at possessives, role titles and list punctuation, cleaned of ``-based``
style suffixes, and filtered: sentence-initial and heading words must be uncommon English (wordfreq)
or be seen mid-sentence elsewhere in the document; months, weekdays, nationality adjectives and
acronyms of common nouns are dropped. Each surviving mention carries votes for PERSON, ORG, PLACE,
PRODUCT or EVENT from gazetteers (countries, cities, given names, pinyin), head nouns
(``... University``, ``... War``) and nearby cue words (``said``, ``model``, ``company``); the votes
of all mentions of an entity are added up when entities are resolved across the corpus.

Only this document is looked at, so a changed document is re-extracted alone.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

_re_cache: dict[str, re.Pattern] = {}


def _rx(pattern: str) -> re.Pattern:
    """A compiled pattern, compiled once (re's own cache is slower on hot paths)."""
    rx = _re_cache.get(pattern)
    if rx is None:
        rx = _re_cache[pattern] = re.compile(pattern)
    return rx

from . import entity_lexicon as lex

TYPES = ("PERSON", "ORG", "PLACE", "PRODUCT", "EVENT")

_TOKEN = re.compile(
    r"(?:[A-Z]\.){2,}"                                   # U.S.  U.K.
    r"|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+"       # a run of Chinese characters
    r"|[^\W_](?:[\w]|[-'’.&](?=[^\W_]))*"                # words, with inner - ' ’ . &
)
_RELEVANT = re.compile(
    r"(?<![A-Za-z0-9_'’.&-])(?:"
    r"(?:[A-Z]\.){2,}"                                              # U.S.
    r"|[A-Z0-9][\w]*(?:[-'’.&][^\W_][\w]*)*"                        # Names, H800, High-Flyer, 01.AI
    r"|[a-z][a-z0-9]*(?:[-'’.&][a-z0-9]+)*[-'’.&]?[A-Z][\w]*(?:[-'’.&][^\W_][\w]*)*"  # iOS, eBay, non-US, made-in-China
    r"|[a-z]\d{1,3}(?=\s+(?:model|models|series|preview|mini|chip|chips)\b)"  # o1 model
    r"|(?:of|the|for|de|von|van|der|del|da|du|la|le|al|bin|y|and)(?![\w'’-])|&"
    r")|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+"
)
"""Only the tokens a name can be made of (the others only matter as gaps between these)."""
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_OPEN_QUOTES = "“‘\"'«「『(【[<"
_SENT_END = ".!?:;…"
_DIGIT = re.compile(r"\d")
_AMOUNT = re.compile(r"^\d[\d.,/-]*(?:[MBKkmbx]|bn|mn|st|nd|rd|th|s|G[BW]?|TB|MB|nm|km|kg|MW|kW|GHz)?$")
_YEAR = re.compile(r"^(1[5-9]|20)\d\d(s)?$")
_POSSESSIVE = re.compile(r"(?:['’]s|s['’]|['’])$")
_PREFIXES = {"sino", "non", "anti", "pro", "post", "pre", "ex", "pan", "trans", "mid", "neo", "pseudo", "quasi"}
_JOINERS = lex.CONNECTORS | {"and", "&"}
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_FUNCTION_WORDS = {
    "is", "are", "was", "were", "be", "been", "being", "not", "all", "always", "never", "with", "to", "from",
    "into", "how", "why", "what", "who", "when", "where", "will", "can", "could", "should", "would", "may",
    "might", "must", "do", "does", "did", "done", "has", "have", "had", "it", "its", "it’s", "it's", "we",
    "we’re", "we're", "i", "you", "he", "she", "they", "our", "your", "their", "this", "that", "these",
    "those", "no", "than", "just", "only", "very", "so", "as", "at", "by", "on", "in", "up", "out", "about",
    "after", "before", "like", "likely", "again", "still", "more", "most", "less", "but", "or", "if", "then",
}
"""Capitalised in the middle of a run, these say the run is Title Case (a headline), not a name."""
_SPECIAL_CHARS = re.compile(r"[-'’.]|^[a-z]|[a-z]{3,}[A-Z]{2}")
"""Words that need the full treatment: hyphens, possessives, dots, lower-case starts, glued words."""
_SUFFIX_WORDS = {"made", "born", "wide", "like", "style", "era", "level", "scale", "type", "class", "friendly",
                 "native", "centric", "specific", "owned", "run", "bound", "proof", "free", "only", "driven",
                 "powered", "grown", "made", "written", "hours", "related"}
_LEGAL = {"ltd", "inc", "llc", "plc", "co", "corp", "limited"}
_AND_HEADS = {"limited", "ltd", "inc", "group", "daily", "times", "company", "corporation", "holdings",
              "bank", "technology", "technologies", "institute", "university", "school", "college",
              "academy", "commission", "committee", "partners", "studios", "industries", "news", "journal"}
_HEREAFTER = re.compile(r"\(\s*(?:hereafter|hereinafter|hereafter referred to as|known as|also known as|"
                        r"formerly|aka|a\.k\.a\.)\s*[“\"‘']?([^”\"’')]{1,60})[”\"’']?\s*\)", re.I)


@dataclass
class RawMention:
    """One mention found in a body: span, surface text and votes for each type."""

    start: int
    end: int
    text: str
    votes: Counter = field(default_factory=Counter)
    person_shape: bool = False
    """A full personal name (two or more name words): surname-only mentions may point at it."""


@dataclass
class Extraction:
    """What one document yields: mentions in reading order and the alias links stated in the text."""

    mentions: list[RawMention]
    links: list[tuple[str, str]]
    """Pairs of surface texts the document says name the same thing (``South China Morning Post``, ``SCMP``)."""


@dataclass(slots=True)
class _Tok:
    start: int
    end: int
    text: str


def _is_cjk(text: str) -> bool:
    return bool(_CJK.match(text))


def _is_name_word(t: str) -> bool:
    """Could this word be (part of) a name by its shape alone?"""
    c = t[0]
    if c.isupper():
        return True
    if c.islower() and len(t) <= 4 and t[1:].isdigit():
        return True  # o1, o3 (only scanned before "model" and the like)
    if _is_cjk(t):
        return True
    if c.isdigit():
        # 36Kr, 01.AI, 910C: digits mixed with capitals (not amounts and ordinals: 6M, 30th, 1990s)
        return any(ch.isupper() for ch in t) and not _AMOUNT.match(t)
    # iOS, eBay, non-US (split later)
    return any(ch.isupper() for ch in t[1:])


def _common(word: str, threshold: float = 3.0) -> bool:
    return lex.zipf(word.lower().strip(".")) >= threshold


class _Doc:
    """Working state for one document."""

    def __init__(self, body: str, stoplist: frozenset[str]) -> None:
        self.body = body
        self.stoplist = stoplist
        self.toks = [_Tok(m.start(), m.end(), m.group()) for m in _RELEVANT.finditer(body)]
        self._regions: list[tuple[int, int]] | None = None
        self.headings = self._heading_lines()

    # -- position helpers -------------------------------------------------------------------
    def _line_of(self, pos: int) -> tuple[int, int]:
        start = self.body.rfind("\n", 0, pos) + 1
        end = self.body.find("\n", pos)
        return start, (len(self.body) if end < 0 else end)

    def _heading_lines(self) -> set[int]:
        """Starts of lines that read as headings: short, no closing stop, mostly capitalised words."""
        out = set()
        pos = 0
        for line in self.body.split("\n"):
            s = line.strip().strip("“”\"‘’'【】[]()")
            if s and len(s) <= 90 and not s.endswith((".", "?", "!", "”", "\"", ",", ";")) or (
                s and len(s) <= 60 and s.endswith("?")
            ):
                words = _rx(r"[^\W\d_][\w'’-]*").findall(s)
                content = [w for w in words if w.lower() not in lex.CONNECTORS | {"and", "a", "an", "in", "on", "to", "at", "is", "not", "vs"}]
                if content and sum(w[0].isupper() for w in content) / len(content) >= 0.75:
                    out.add(pos)
            pos += len(line) + 1
        return out

    def is_heading(self, pos: int) -> bool:
        return self._line_of(pos)[0] in self.headings or self.in_title_region(pos)

    def in_title_region(self, pos: int) -> bool:
        """Is ``pos`` inside a Title Case headline quoted in running text (``The post From a Chinese
        Perspective, Politicians ... Are All Unqualified first appeared``)?"""
        regions = self._regions
        if regions is None:
            regions = self._regions = self._title_regions()
        for start, end in regions:
            if start <= pos < end:
                return True
        return False

    def _title_regions(self) -> list[tuple[int, int]]:
        out = []
        words = list(_WORD.finditer(self.body))
        run: list = []

        def close() -> None:
            caps = [w for w in run if w.group()[0].isupper()]
            if len(caps) >= 4 and any(w.group().lower() in _FUNCTION_WORDS for w in caps[1:]):
                out.append((run[0].start(), run[-1].end()))

        for w in words:
            text = w.group()
            gap_ok = run and "\n" not in self.body[run[-1].end():w.start()] and \
                not _rx(r"[.!?;:]").search(self.body[run[-1].end():w.start()])
            if text[0].isupper() or (text in _JOINERS or text in ("a", "an", "in", "on", "to", "at")) and run:
                if run and not gap_ok:
                    close()
                    run = []
                run.append(w)
            else:
                if run:
                    close()
                run = []
        if run:
            close()
        return out

    def is_initial(self, pos: int) -> bool:
        """Does a sentence (or line, or quoted sentence, or list item) start at ``pos``?"""
        body = self.body
        i = pos - 1
        while i >= 0 and (body[i] in " \t" or body[i] in _OPEN_QUOTES):
            i -= 1
        while i >= 0 and body[i] in "”’\")":
            i -= 1
        if i < 0 or body[i] == "\n":
            return True
        if body[i] in _SENT_END or body[i] in "】]":
            return True
        # list bullets: "- Name", "• Name", "1. Name"
        line_start = body.rfind("\n", 0, pos) + 1
        lead = body[line_start:pos]
        if _rx(r"\s*(?:[-–—•*]|\d{1,2}[.)])\s*[“‘\"'(]?").fullmatch(lead):
            return True
        return False

    def quoted_open(self, pos: int) -> bool:
        j = pos - 1
        while j >= 0 and self.body[j] == " ":
            j -= 1
        return j >= 0 and self.body[j] in "“‘\"'"

    def prev_word(self, pos: int) -> str:
        m = _rx(r"([A-Za-z][\w.-]*)[\s,“\"‘']*$").search(self.body[max(0, pos - 40):pos])
        return m.group(1).lower().rstrip(".") if m else ""

    def next_words(self, pos: int, n: int = 3) -> list[str]:
        return [w.lower() for w in _rx(r"[A-Za-z][\w-]*").findall(self.body[pos:pos + 60])[:n]]

    def text_after(self, pos: int, n: int = 80) -> str:
        return self.body[pos:pos + n]


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
            if _POSSESSIVE.search(prev.text) and not pending and prev.text[0].isupper() and len(prev.text) > 2:
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
                    if not _rx(r"[.,]\d").match(nxt):
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
    glued = _rx(r"([a-z]{3,})([A-Z]{2,}.*)$").match(text)
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
    if tok.text.endswith(".") and not _rx(r"(?:[A-Z]\.){2,}").fullmatch(tok.text) and tok.text.lower() not in ("co.", "ltd.", "inc.", "corp."):
        tok = _Tok(tok.start, tok.end - 1, tok.text[:-1])
    return _strip_hyphen_suffix(doc, tok), ends


def _cut(doc: _Doc, run: list[_Tok]) -> list[list[_Tok]]:
    """Cut a run at possessives, titles and junk words; expand hyphen compounds."""
    pieces: list[list[_Tok]] = []
    cur: list[_Tok] = []
    titles = lex.TITLES
    if len(run) == 1:
        t = run[0].text
        if not _SPECIAL_CHARS.search(t) and t.lower() not in titles and t.lower() not in doc.stoplist \
                and not lex.is_month_or_day(t) and lex.fold(t) not in lex.GENERIC_PHRASES:
            return [run]  # the common case: one plain word
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
            nxt = _rx(r"\s+([a-z][\w-]*)").match(doc.body[piece[-1].end:piece[-1].end + 30])
            if nxt and (nxt.group(1) in lex.ROLE_NOUNS | lex.ORG_CUES | lex.PRODUCT_CUES
                        or nxt.group(1) in ("chips", "chip", "gpus", "industry", "sector", "research", "services")):
                piece = piece[:-1]
        while len(piece) > 1 and lex.fold(piece[0].text) in dem and lex.fold(piece[1].text) not in lex.places() \
                and not (len(piece) == 2 and piece[-1].text.lower() in lex.ORG_HEADS | lex.PLACE_HEADS):
            piece = piece[1:]
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


def _surface(doc: _Doc, piece: list[_Tok]) -> tuple[int, int, str]:
    s, e = piece[0].start, piece[-1].end
    return s, e, doc.body[s:e]


def _junk(text: str, piece: list[_Tok], doc: _Doc) -> bool:
    low = lex.fold(text)
    if piece[0].text.startswith("\x00") or low in doc.stoplist:
        return True
    if low in lex.GENERIC_PHRASES or low.replace("’", "'") in lex.GENERIC_PHRASES:
        return True
    if len(piece) == 1:
        w = piece[0].text
        lw = lex.fold(w)
        if lw in lex.demonyms() or lw in lex.GENERIC_ACRONYMS or lex.is_month_or_day(w) \
                or lw.split("-")[0] in lex.GENERIC_ACRONYMS and lw.split("-")[0] != lw:
            return True
        if lex.ROMAN.match(w) and len(w) <= 4 and w not in ("MIX", "LCD", "CD", "DC") \
                and doc.body[piece[0].end:piece[0].end + 2] not in ("’s", "'s"):
            return True
        if len(w) == 1 and not (w.isupper() and doc.body[piece[0].end:piece[0].end + 2] in ("’s", "'s")) or _YEAR.match(w):
            return True
        if w.isdigit():
            return True
    else:
        # every word a nationality adjective or a month: "South Korean", "Chinese New"?
        if all(lex.fold(t.text) in lex.demonyms() or lex.is_month_or_day(t.text)
               or lex.fold(t.text) in lex.GENERIC_ACRONYMS for t in piece):
            return True
        if lex.is_month_or_day(piece[0].text) and all(t.text.isdigit() for t in piece[1:]):
            return True
    return False


def _all_common(piece: list[_Tok], threshold: float) -> bool:
    return all(
        t.text.lower() in _JOINERS or (_common(t.text, threshold) and not (t.text.isupper() and len(t.text) > 1)
                                                             and not any(c.isupper() for c in t.text[1:]))
        for t in piece
    )


def _has_head(piece: list[_Tok]) -> bool:
    last = piece[-1].text.lower().rstrip(".")
    if len(piece) > 2 and piece[1].text == "of" and piece[0].text.lower() in lex.ORG_HEADS | lex.PLACE_HEADS:
        return True  # University of Hong Kong, Bank of America
    return len(piece) > 1 and (last in lex.ORG_HEADS or last in lex.EVENT_HEADS or last in lex.PLACE_HEADS
                               or last in lex.PRODUCT_HEADS)


def extract(body: str, stoplist: frozenset[str] = frozenset()) -> Extraction:
    """Every entity mention in ``body`` (spans into ``body``) and the alias links it states."""
    doc = _Doc(body, stoplist)
    runs = [r for r in _split_runs(doc) if not (len(r) == 1 and body[r[0].end:r[0].end + 1] == "$")]
    if not any(t.text.lower() in _FUNCTION_WORDS for r in runs for t in r[1:]):
        doc._regions = []  # no Title Case headline in running text: skip looking for one
    # pass 1: candidates, with whether their position makes them doubtful (initial, heading)
    cands: list[tuple[list[_Tok], bool]] = []
    labels: set[int] = set()
    for run in runs:
        line_start = doc._line_of(run[0].start)[0]
        label = bool(_rx(r"\s*[-–•*]\s*").fullmatch(body[line_start:run[0].start])) and body[run[-1].end:run[-1].end + 1] == ":"
        if label:
            labels.update(t.start for t in run)  # "- Government Orchestration and Signaling: ..."
        first_initial = doc.is_initial(run[0].start) or (doc.quoted_open(run[0].start) and _common(run[0].text, 4.0))
        heading = doc.is_heading(run[0].start)
        heading = heading or doc.in_title_region(run[0].start)
        for piece in _cut(doc, run):
            doubtful = heading or label or (piece[0].start == run[0].start and first_initial)
            cands.append((piece, doubtful))
    attested: set[str] = set()
    junk: dict[int, bool] = {}
    for piece, doubtful in cands:
        s, e, text = _surface(doc, piece)
        bad = junk[s] = _junk(text, piece, doc)
        if not doubtful and not bad:
            attested.add(text)
    attested_tokens = {t for a in attested if " " in a for t in a.split()
                       if _person_shape(a.split()) or not _common(t, 4.0) and t[0].isupper()}
    places = lex.places()

    mentions: list[RawMention] = []
    for piece, doubtful in cands:
        s, e, text = _surface(doc, piece)
        if junk[s]:
            continue
        if piece[0].start in labels and not _has_head(piece) and not (
                len(piece) == 1 and not _common(text, 2.5)) and _person_shape(text.split()) < 2 \
                and not _LABEL_ORG.match(body[e:e + 60]):
            continue
        if piece[0].start in labels and _LABEL_ORG.match(body[e:e + 60]):
            mentions.append(RawMention(s, e, text))  # "- Game Science: The studio behind ..."
            continue
        if doubtful and text not in attested and not (len(piece) == 1 and text in attested_tokens
                                                      and not doc.is_heading(s)):
            kept = _rescue(doc, piece, attested, places)
            for sub in kept:
                ss, ee, tt = _surface(doc, sub)
                if not _junk(tt, sub, doc):
                    mentions.append(RawMention(ss, ee, tt))
            continue
        if not doubtful and len(piece) > 1 and _all_common(piece, 4.0) and not _has_head(piece) \
                and _person_shape([t.text for t in piece]) < 2 \
                and lex.fold(text) not in places and not (doc.quoted_open(s) and body[e:e + 1] in "”’\"'") \
                and not _rx(r": [A-Z]").match(body[e:e + 3]) \
                and not _in_name_list(doc, s, e, cands):
            continue
        if not doubtful and len(piece) == 1 and (piece[0].text.islower() and not _DIGIT.search(piece[0].text) or (
                piece[0].text[1:].islower() and _common(piece[0].text, 5.0) and lex.fold(text) not in places)):
            continue
        mentions.append(RawMention(s, e, text))
    tails = {m.text.split()[-1] for m in mentions
             if " " in m.text and m.text.split()[-1].lower() in lex.ORG_HEADS and m.text.split()[-1].istitle()
             and len(m.text.split()[-1]) >= 4}
    kept = {m.start for m in mentions}
    for piece, doubtful in cands:
        p0 = piece[0]
        if len(piece) == 1 and p0.text in tails and p0.start not in kept and body[max(0, p0.start - 4):p0.start] == "the ":
            mentions.append(RawMention(p0.start, p0.end, p0.text))  # "the Post": see _links
    persons = {t for m in mentions if " " in m.text and _person_shape(m.text.split()) >= 1.5 for t in m.text.split()}
    for piece, doubtful in cands:
        if doubtful and len(piece) == 1 and piece[0].text in persons:
            mentions.append(RawMention(piece[0].start, piece[0].end, piece[0].text))
    mentions = _join_subtitles(doc, _dedupe(mentions))
    links = _links(doc, mentions)
    linked = {a for a, _ in links} | {b for _, b in links}
    mentions = [m for m in mentions if not _is_cjk(m.text) or m.text in linked]
    for m in mentions:
        _vote(doc, m)
    return Extraction(mentions, links)


def _rescue(doc: _Doc, piece: list[_Tok], attested: set[str], places: frozenset[str]) -> list[list[_Tok]]:
    """From a sentence-initial or heading candidate keep what is a name: the parts seen mid-sentence,
    places, or what is left after dropping leading common words."""
    n = len(piece)
    whole = doc.body[piece[0].start:piece[-1].end]
    line_start, line_end = doc._line_of(piece[0].start)
    alone = doc.body[line_start:line_end].strip() == whole
    shape = _person_shape([t.text for t in piece])
    if shape >= 2 and not doc.is_heading(piece[0].start) or shape >= 1.5 and alone:
        return [piece]
    if doc.quoted_open(piece[0].start) and n > 1 and not doc.is_heading(piece[0].start) and (
            doc.body[piece[-1].end:piece[-1].end + 1] in "”’\"'" or _rx(r": [A-Z]").match(doc.body[piece[-1].end:piece[-1].end + 3])):
        return [piece]  # a quoted title: “Under Currents”
    if piece[0].text == "The" and n > 1:
        piece, n = piece[1:], n - 1
    while n > 2 and piece[1].text in lex.CONNECTORS and piece[0].text.lower() not in lex.ORG_HEADS | lex.PLACE_HEADS \
            and _common(piece[0].text, 3.5):
        piece, n = piece[2:], n - 2  # "Shares of Tencent Holdings"
    if n > 1 and _has_head(piece) and not doc.is_heading(piece[0].start) \
            and (not _common(piece[0].text, 4.0) or n >= 3 and all(t.text[0].isupper() or t.text in _JOINERS for t in piece)) \
            and not piece[0].text.endswith(("ing", "ly", "ed")):
        return [piece]  # "Cool Play Lab is authorized", "Science and Technology Daily, a newspaper"
    if n > 1 and not doc.is_heading(piece[0].start):
        after = doc.text_after(piece[-1].end, 60)
        if _APPOSITIVE.match(after) and not _common(piece[0].text, 5.5) or _has_head(piece) and (
                not _common(piece[0].text, 4.0) or any(lex.fold(t.text) in places for t in piece[:-1])):
            return [piece]
    # longest attested or gazetteer sub-runs
    out: list[list[_Tok]] = []
    i = 0
    found_any = False
    while i < n:
        hit = None
        for j in range(n, i, -1):
            sub = piece[i:j]
            text = doc.body[sub[0].start:sub[-1].end]
            if text in attested or (lex.fold(text) in places and not _common(text, 5.5)):
                hit = j
                break
        if hit:
            out.append(piece[i:hit])
            found_any = True
            i = hit
        else:
            i += 1
    if found_any or doc.is_heading(piece[0].start):
        return out
    # drop the sentence-initial word when it is common (its capital says nothing), then connectors
    # and nationality adjectives; the words after it are capitalised for a reason
    k = 0
    if n == 1 and piece[0].text[1:].islower():
        w = piece[0].text
        if _common(w, 3.5) or w.endswith(("ly", "ing", "ive", "al", "ous", "ful", "less", "ed", "ity", "ism")):
            return []
        return [piece]
    if k < n and (_common(piece[0].text, 2.5) and not (piece[0].text.isupper() and len(piece[0].text) > 1)
                  and not any(c.isupper() for c in piece[0].text[1:])
                  or lex.fold(piece[0].text) in lex.demonyms()
                  or piece[0].text[1:].islower() and piece[0].text.endswith(("ly", "ing"))):
        k = 1
    while k < n and (piece[k].text.lower() in _JOINERS or lex.fold(piece[k].text) in lex.demonyms()):
        k += 1
    label = bool(_rx(r"\s*[-–•*]\s").match(doc.body[line_start:piece[0].start])) and \
        doc.body[piece[-1].end:piece[-1].end + 1] == ":"
    if label and n > 1 and not _has_head(piece):
        return []
    rest = piece[k:]
    if not rest:
        return []
    if len(rest) == 1 and rest[0].text[0].isupper() and rest[0].text[1:].islower() and doc.is_heading(rest[0].start) and _common(rest[0].text, 2.5):
        return []
    if k > 0 and len(rest) == 1 and _common(rest[0].text, 4.0):
        return []
    if k > 0 and _all_common(rest, 4.0) and not _has_head(rest):
        return []
    if len(rest) == 1 and rest[0].text[1:].islower() and rest[0].text.endswith(("ly", "ing")):
        return []
    return [rest]


_APPOSITIVE = re.compile(
    r",\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,4}(?:" + "|".join(sorted(lex.ORG_CUES | lex.PRODUCT_CUES | lex.ROLE_NOUNS)) + r")\b"
)


def _in_name_list(doc: _Doc, s: int, e: int, cands) -> bool:
    """Is ``body[s:e]`` an item of a comma list of names (``KrASIA, Wired, Rest of World, ...``)?"""
    before = doc.body[max(0, s - 2):s]
    after = doc.body[e:e + 2]
    if before != ", " or not after.startswith(","):
        return False
    starts = {p[0].start for p, _ in cands}
    ends = {p[-1].end for p, _ in cands}
    return (s - 2) in ends and any(x in starts for x in (e + 2, e + 1))


def _join_subtitles(doc: _Doc, mentions: list[RawMention]) -> list[RawMention]:
    """``“Black Myth: Wukong”`` (quoted) or ``Black Myth: Wukong, a game``: one title, not two names."""
    body = doc.body
    out: list[RawMention] = []
    for m in mentions:
        if out:
            prev = out[-1]
            if body[prev.end:m.start] == ": " and (
                    (prev.start > 0 and body[prev.start - 1] in "“\"‘" and body[m.end:m.end + 1] in "”\"’")
                    or _rx(r",\s+(?:a|an)\s").match(body[m.end:m.end + 6])):
                out[-1] = RawMention(prev.start, m.end, body[prev.start:m.end])
                continue
        out.append(m)
    return out


def _dedupe(mentions: list[RawMention]) -> list[RawMention]:
    mentions.sort(key=lambda m: (m.start, -(m.end - m.start)))
    out: list[RawMention] = []
    last_end = -1
    for m in mentions:
        if m.start >= last_end and m.text.strip():
            out.append(m)
            last_end = m.end
    return out


LOCAL = "\x01local\x01"
"""Prefix of a link ``(LOCAL + short, full)`` that holds in this document only (``the Post``)."""
PARENT = "\x01parent\x01"
"""Prefix of a link ``(PARENT + child, parent)``: the text says ``parent`` owns ``child``."""
_PARENT_AFTER = re.compile(  # child ... parent
    r"(?:\s+and its parent,?\s+"
    r"|,?\s*[–—-]?\s*(?:a |an |the )?(?:subsidiary|spin-off|spinoff|offshoot|unit|division) (?:of|from) "
    r"(?:the |a |an )?(?:[\w-]+ ){0,4}(?:named |called )?"
    r"|['’]s [^.]{0,50}?\bparent(?: company)?,?\s+)[“\"]?$"
)
_PARENT_BEFORE = re.compile(r"^\W{0,4}(?:\S+\s+){0,3}(?:to |will |plans to )?spin(?:s|ning)? off\s+$")  # parent ... child


def _parent_links(body: str, mentions: list[RawMention]) -> list[tuple[str, str]]:
    """``(PARENT + child, parent)`` for what the text says owns what: ``DeepSeek and its parent,
    High-Flyer Quant``, ``DeepSeek, a spin-off from High-Flyer``, ``the company behind DeepSeek,
    Huanfang Quantitative,``, ``Huanfang aims to spin off DeepSeek``."""
    out = []
    for i, a in enumerate(mentions):
        for b in mentions[i + 1:i + 4]:
            between = body[a.end:b.start]
            if between.startswith(".") and a.text.lower().rsplit(" ", 1)[-1].rstrip(".") in _LEGAL:
                between = between[1:]  # "Co., Ltd. – a subsidiary of"
            if len(between) > 90 or "\n" in between or ". " in between:
                break
            if _PARENT_AFTER.match(between):
                out.append((PARENT + a.text, b.text))
            elif _PARENT_BEFORE.match(between):
                out.append((PARENT + b.text, a.text))
            elif between == ", " and body[max(0, a.start - 25):a.start].endswith(("company behind ", "firm behind ", "group behind ")) \
                    and body[b.end:b.end + 1] == ",":
                out.append((PARENT + a.text, b.text))
    return out


def _initials(text: str) -> str:
    """Initials of a name's words and CamelCase parts: ``South China Morning Post`` -> ``SCMP``,
    ``DeepSeek`` -> ``DS``, ``United States`` -> ``US``."""
    letters = []
    for w in _rx(r"[^\W\d_][\w'’-]*").findall(text):
        if w.lower() in _JOINERS:
            continue
        caps = _rx(r"[A-Z]").findall(w)
        if len(caps) > 1 and not w.isupper():
            letters.extend(caps)
        else:
            letters.append(w[0].upper())
    return "".join(letters)


_CJK_COMPANY = ("有限责任公司", "股份有限公司", "有限公司", "公司", "集团", "研究院")
_CJK_DESCRIPTORS = ("人工智能", "基础", "技术", "研究", "科技", "信息", "网络", "智能", "投资", "管理", "发展", "控股")


def _cjk_core(cjk: str, english_words: list[str]) -> str:
    """The trade name inside a Chinese company name: without the city in front (when the English
    form names that city too) and the company form and descriptors behind
    (``杭州深度求索人工智能基础技术研究有限公司`` -> ``深度求索``). Other names are left whole."""
    core = cjk
    if not core.endswith(_CJK_COMPANY):
        return cjk
    changed = True
    while changed:
        changed = False
        for tail in _CJK_COMPANY + _CJK_DESCRIPTORS:
            if core.endswith(tail) and len(core) > len(tail) + 1:
                core = core[: -len(tail)]
                changed = True
                break
    for n in (2, 3):
        if len(core) - n >= 2 and lex.to_pinyin(core[:n]) in english_words:
            core = core[n:]
            break
    return core if len(core) >= 2 else cjk


def _links(doc: _Doc, mentions: list[RawMention]) -> list[tuple[str, str]]:
    """Alias links the text states: ``Name (ABBR)``, ``(hereafter “X”)``, Chinese next to English,
    and acronyms matching the initials of a name in the same document."""
    body = doc.body
    links: list[tuple[str, str]] = []
    by_start = {m.start: m for m in mentions}
    for i, m in enumerate(mentions):
        after = body[m.end:m.end + 4]
        # Name (ABBR) / Name (Other Name)
        if after.startswith(" (") or after.startswith("("):
            nxt = mentions[i + 1] if i + 1 < len(mentions) else None
            open_at = body.find("(", m.end)
            close_at = body.find(")", open_at)
            if nxt and open_at >= 0 and close_at > 0 and nxt.start == open_at + 1 and nxt.end == close_at:
                inner = nxt.text
                acronym = inner.replace(".", "").isupper()
                if not any(w.lower() in lex.TITLES for w in inner.split()) and (
                        not acronym or inner[0] == m.text[0]):
                    links.append((m.text, inner))
        # Chinese name written right before its English form: pinyin must overlap
        if _is_cjk(m.text) and i + 1 < len(mentions):
            nxt = mentions[i + 1]
            if nxt.start - m.end <= 1 and not _is_cjk(nxt.text):
                py = lex.to_pinyin(m.text)
                words = [w.lower() for w in _rx(r"[A-Za-z]+").findall(nxt.text)]
                if any(len(w) >= 4 and w in py for w in words):
                    core = _cjk_core(m.text, words)
                    if core != m.text:
                        # a registered company name: the mention is its trade name (深度求索)
                        offset = m.text.index(core)
                        m.start, m.end, m.text = m.start + offset, m.start + offset + len(core), core
                    links.append((m.text, nxt.text))
    links.extend(_parent_links(body, mentions))
    # "the Post" for the South China Morning Post named in the same document
    tails: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        words = m.text.split()
        if len(words) > 1 and words[-1].lower() in lex.ORG_HEADS and words[-1].istitle() and len(words[-1]) >= 4:
            tails[words[-1]].add(m.text)
    for m in mentions:
        if m.text in tails and len(tails[m.text]) == 1 and body[max(0, m.start - 4):m.start] in ("the ", "The "):
            links.append((LOCAL + m.text, next(iter(tails[m.text]))))
    for hm in _HEREAFTER.finditer(body):
        alias = hm.group(1).strip()
        prev = [m for m in mentions if m.end <= hm.start() and hm.start() - m.end <= 3]
        if prev and alias:
            links.append((prev[-1].text, alias))
    # acronyms: ABBR equal to the initials of a multi-word or CamelCase name in this document
    names = {m.text for m in mentions if not m.text.isupper() and not _rx(r"(?:[A-Z]\.){2,}").fullmatch(m.text)}
    initials: dict[str, set[str]] = defaultdict(set)
    for n in names:
        ini = _initials(n)
        if len(ini) >= 2:
            initials[ini].add(n)
    for m in mentions:
        t = m.text.replace(".", "")
        if 2 <= len(t) <= 6 and t.isupper() and t in initials and len(initials[t]) == 1:
            links.append((next(iter(initials[t])), m.text))
    return links


# -- typing ------------------------------------------------------------------------------------

_VERB_ALT = "|".join(sorted(lex.PERSON_VERBS))
_LABEL_ORG = re.compile(r":\s+(?:The|A|An)\s+(?:[\w-]+\s+){0,2}(?:" + "|".join(sorted(lex.ORG_CUES)) + r")\b")
_ROLE_APPOS = re.compile(r",\s+(?:a|an|the)?\s*(?:[\w-]+\s+){0,3}(?:" + "|".join(sorted(lex.ROLE_NOUNS)) + r")\b")
_PRODUCT_APPOS = re.compile(r",\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,4}(?:" + "|".join(sorted(lex.PRODUCT_CUES)) + r")\b")
_ORG_APPOS = re.compile(r",\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,4}(?:" + "|".join(sorted(lex.ORG_CUES)) + r")\b")


def _vote(doc: _Doc, m: RawMention) -> None:
    """Add type votes to ``m`` from its words and its neighbourhood."""
    text = m.text
    words = text.split()
    low = lex.fold(text)
    last = words[-1].lower().rstrip(".")
    v = m.votes
    places = lex.places()
    if _is_cjk(text):
        v["ORG"] += 0.5
        return
    if low in places:
        v["PLACE"] += 3.5
    if len(words) > 1:
        if last in lex.ORG_HEADS:
            v["ORG"] += 3
        elif last in lex.EVENT_HEADS:
            v["EVENT"] += 3
        elif last in lex.PLACE_HEADS and low not in places:
            v["PLACE"] += 2
    # products: model codes and versions
    if _DIGIT.search(text) and not text[0].isdigit() or _rx(r"\b\d+[A-Za-z]+\b").search(text) and len(words) > 1:
        v["PRODUCT"] += 2
    elif _rx(r"\d+[A-Za-z]{1,3}").fullmatch(text):
        v["ORG"] += 1
    prev = doc.prev_word(m.start)
    nxt = doc.next_words(m.end, 3)
    after = doc.text_after(m.end, 60)
    # persons
    if prev in lex.ROLE_NOUNS or prev in ("mr", "mrs", "ms", "dr", "prof", "sir", "lord", "lady"):
        v["PERSON"] += 3
    if nxt and nxt[0] in lex.PERSON_VERBS and _rx(r" [a-z]").match(after):
        v["PERSON"] += 1
    elif _rx(r" (?:has|have|had|was|is|has been|had been)(?: (?:often|also|never|always|\w+ly))? (?:been )?(?:" + _VERB_ALT + r")\b").match(after):
        v["PERSON"] += 1  # "Lenin has often been quoted"
    if _rx(r"\s*(?:\([^)]{0,40}\))?\s*:\s").match(after) and doc._line_of(m.start)[0] == m.start:
        v["PERSON"] += 2  # interview speaker label "An Yong: ..."
    if _ROLE_APPOS.match(after):
        v["PERSON"] += 2
    shape = _person_shape(words)
    if shape:
        v["PERSON"] += shape
        m.person_shape = True
    before = doc.body[max(0, m.start - 40):m.start]
    pm = _rx(r"([A-Z][\w.-]*)['’]s\s+[“\"]?$").search(before)
    if pm and lex.fold(pm.group(1)) not in places:
        v["PRODUCT"] += 1.5  # OpenAI’s ChatGPT, Anthropic’s Claude, Huawei’s “Ascend 910C”
    pn = _rx(r"['’]s\s+(\w+)").match(after)
    if pn and pn.group(1).lower() in lex.PERSON_NOUNS:
        v["PERSON"] += 2
    if len(words) > 1 and last in lex.PRODUCT_HEADS:
        v["PRODUCT"] += 3
    if (before.endswith(", ") and lex.fold(_rx(r".*?([\w .-]+), $").sub(r"\1", before).strip()) in places
            or _rx(r", ([A-Z][\w .-]+?)[,.]").match(after) and lex.fold(_rx(r", ([A-Z][\w .-]+?)[,.]").match(after).group(1)) in places):
        v["PLACE"] += 1.5  # "Dingri County, Shigatse, Tibet"
    if _rx(r"(?:author|writer|editor|authors) of (?:the )?$").search(before):
        v["PRODUCT"] += 2  # a book: "author of The New China Playbook"
    if prev in ("launched", "released", "unveiled", "introduced", "debuted", "downloaded"):
        v["PRODUCT"] += 1.5
    # organisations and products by cue words
    if nxt and nxt[0] in lex.PRODUCT_CUES:
        v["PRODUCT"] += 2
    if prev in lex.PRODUCT_CUES and not (nxt and nxt[0] in lex.ORG_CUES):
        v["PRODUCT"] += 1
    if _PRODUCT_APPOS.match(after):
        v["PRODUCT"] += 2
    if nxt and nxt[0] in lex.ORG_CUES:
        v["ORG"] += 1
    if prev in lex.ORG_CUES:
        v["ORG"] += 2
    if _ORG_APPOS.match(after):
        v["ORG"] += 2
    if nxt and nxt[0] in ("founder", "ceo", "chairman", "employees", "shares", "stock", "headquarters"):
        v["ORG"] += 2
    if _rx(r"\.(?:AI|ai|com|io|net|org|cn)$").search(text):
        v["ORG"] += 2  # 01.AI, Amazon.com, Aicpb.com
    if len(words) == 1 and (_rx(r"[a-z][A-Z]").search(text) or text.isupper()):
        v["ORG"] += 0.25
    if not v:
        v["ORG"] += 0.25


def _person_shape(words: list[str]) -> float:
    """How much a multi-word name looks like a personal name (0 when it does not)."""
    return _person_shape_cached(tuple(words))


@lru_cache(maxsize=100_000)
def _person_shape_cached(words: tuple[str, ...]) -> float:
    if not 2 <= len(words) <= 4 or any(_DIGIT.search(w) for w in words):
        return 0.0
    last = words[-1].lower()
    if last in lex.ORG_HEADS or last in lex.EVENT_HEADS or last in lex.PLACE_HEADS:
        return 0.0
    if not all(w[0].isupper() for w in words):
        return 0.0
    if any(w.isupper() and len(w) > 2 and w not in ("YU",) and not lex.pinyin_parts(w) for w in words):
        return 0.0
    if any(_rx(r"[a-z][A-Z]").search(w) for w in words):
        return 0.0
    given = lex.given_names()
    first, rest = words[0], words[1:]
    f = lex.fold(first)
    # Korean: Yoon Suk-yeol, Han Duck-soo
    if len(words) == 2 and _rx(r"[A-Z][a-z]+-[a-z]+").fullmatch(words[1]) and len(first) <= 5:
        return 2.0
    # Chinese, family name first: Liang Wenfeng, Xi Jinping, Yu Bin
    if len(words) == 2 and lex.pinyin_parts(first, 1) == 1 and 1 <= lex.pinyin_parts(words[1], 2) and f in given:
        return 2.0
    # given name first: Sam Altman, Grace Shao, Keyu Jin, Wency Chen
    if f in given and not _common(first, 5.0):
        if lex.fold(" ".join(words)) in lex.places():
            return 0.0
        return 2.0
    if len(words) == 2 and lex.pinyin_parts(words[1], 1) == 1 and lex.fold(words[1]) in given and not _common(first, 3.5):
        return 1.5
    if len(words) == 2 and lex.pinyin_parts(first, 2) and lex.pinyin_parts(words[1], 1) == 1 and lex.fold(words[1]) in given:
        return 1.5
    return 0.0
