"""Shared ground of the entity extractor: the token and text patterns, the working view of one
document (``_Doc``: tokens, sentence starts, headings) and the plain results (``RawMention``,
``Extraction``). See ``entity_extract`` for the method.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from . import entity_lexicon as lex

_re_cache: dict[str, re.Pattern] = {}


def _rx(pattern: str) -> re.Pattern:
    """A compiled pattern, compiled once (re's own cache is slower on hot paths)."""
    rx = _re_cache.get(pattern)
    if rx is None:
        rx = _re_cache[pattern] = re.compile(pattern)
    return rx


TYPES = ("PERSON", "ORG", "PLACE", "PRODUCT", "EVENT")

_RELEVANT = re.compile(
    r"(?<![A-Za-z0-9_'’.&-])(?:"
    r"(?:[A-Z]\.){2,}"                                              # U.S.
    r"|[A-Z0-9][\w]*(?:[-'’.&][^\W_][\w]*)*"                        # Names, H800, High-Flyer, 01.AI
    r"|[a-z][a-z0-9]*+(?:[-'’.&][a-z0-9]++)*+[-'’.&]?[A-Z][\w]*(?:[-'’.&][^\W_][\w]*)*"  # iOS, eBay, non-US, made-in-China
    r"|[a-z]\d{1,3}(?=\s+(?:model|models|series|preview|mini|chip|chips)\b)"  # o1 model
    r"|(?:of|the|for|de|von|van|der|del|da|du|la|le|al|bin|y|and)(?![\w'’-])|&"
    r")|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+"
)
"""Only the tokens a name can be made of (the others only matter as gaps between these). The
lower-case branch is possessive (``*+``): what follows each part can never be what it gave back,
so backtracking through every plain word only to fail (most of a body) was wasted: the same tokens
in half the time."""
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
_TITLE_STRETCH = re.compile(
    r"[A-Z][\w'’-]*(?:,? (?:(?:of|and|the|for|a|an|in|on|to|at|de) )*[A-Z][\w'’-]*){3,}"
)
"""Four or more capitalised words in a row (small words and commas between): a headline candidate."""
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
    """Does ``text`` start with a CJK ideograph (the ranges of ``_CJK``)?"""
    c = text[:1]
    return "\u3400" <= c <= "\u9fff" and not "\u4dc0" <= c <= "\u4dff" or "\uf900" <= c <= "\ufaff"


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
        self._lines: dict[int, tuple[int, int]] = {}
        self.headings = self._heading_lines()

    # -- position helpers -------------------------------------------------------------------
    def _line_of(self, pos: int) -> tuple[int, int]:
        line = self._lines.get(pos)
        if line is None:
            start = self.body.rfind("\n", 0, pos) + 1
            end = self.body.find("\n", pos)
            line = self._lines[pos] = (start, (len(self.body) if end < 0 else end))
        return line

    def _heading_lines(self) -> set[int]:
        """Starts of lines that read as headings: short, no closing stop, mostly capitalised words."""
        out = set()
        pos = 0
        for line in self.body.split("\n"):
            s = line.strip().strip("“”\"‘’'【】[]()")
            if s and len(s) <= 90 and not s.endswith((".", "?", "!", "”", "\"", ",", ";")) or (
                s and len(s) <= 60 and s.endswith("?")
            ):
                words = _NAME_WORD.findall(s)
                content = [w for w in words if w.lower() not in _HEADING_SMALL_WORDS]
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
        for m in _TITLE_STRETCH.finditer(self.body):
            caps = [w for w in _WORD.findall(m.group()) if w[0].isupper()]
            if len(caps) >= 4 and any(w.lower() in _FUNCTION_WORDS for w in caps[1:]):
                out.append((m.start(), m.end()))
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
        return bool(_LIST_MARKER.fullmatch(body, body.rfind("\n", 0, pos) + 1, pos))

    def quoted_open(self, pos: int) -> bool:
        j = pos - 1
        while j >= 0 and self.body[j] == " ":
            j -= 1
        return j >= 0 and self.body[j] in "“‘\"'"

    def prev_word(self, pos: int) -> str:
        """The word ending just before ``pos`` (separators aside), lower case: matched backwards on
        the reversed 40 characters before ``pos`` (the same word as searching forwards, faster)."""
        m = _PREV_WORD_REVERSED.match(self.body[max(0, pos - 40):pos][::-1])
        return m.group(1)[::-1].lower().rstrip(".") if m else ""

    def text_after(self, pos: int, n: int = 80) -> str:
        return self.body[pos:pos + n]


def _all_common(piece: list[_Tok], threshold: float) -> bool:
    """Is every word of ``piece`` common English (``Renewable Energy``), not a name's shape?"""
    return all(
        t.text.lower() in _JOINERS or (_common(t.text, threshold) and not (t.text.isupper() and len(t.text) > 1)
                                                             and not any(c.isupper() for c in t.text[1:]))
        for t in piece
    )


# patterns of the hot path, compiled once at import
_NAME_WORD = re.compile(r"[^\W\d_][\w'’-]*")
"""A word that can be part of a name: a letter, then letters, digits, apostrophes, hyphens."""
_DOTTED_ACRONYM = re.compile(r"(?:[A-Z]\.){2,}")
"""``U.S.``, ``U.K.``: capitals each followed by a dot."""
_LIST_MARKER = re.compile(r"\s*(?:[-–—•*]|\d{1,2}[.)])\s*[“‘\"'(]?")
_PREV_WORD_REVERSED = re.compile(r"[\s,“\"‘']*([\w.-]*[A-Za-z])")
"""The forward pattern ``([A-Za-z][\\w.-]*)[\\s,“"‘']*$``, reversed: separators, then the word back to its first letter."""

# unions of the word classes, built once (they were built again at every test)
_HEADING_SMALL_WORDS = frozenset(lex.CONNECTORS | {"and", "a", "an", "in", "on", "to", "at", "is", "not", "vs"})
