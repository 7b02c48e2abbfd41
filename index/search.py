"""Queries to ranked hits with snippets and the exact character spans of every match.

The query language is Whoosh's: words (all required), AND/OR/NOT (``-word`` is NOT word),
"phrases", prefix*, fuzzy~, fields (title:, source:, author:, date:[A TO B]). A date is a year,
a month or a day and means the whole period, alone and as a range end. Phrases, prefixes, fuzzy terms and Chinese words are
routed to the unstemmed ``body_exact`` field, plain words to the stemmed ``body``. Match spans are
found by running the same analysis over the body and keeping the tokens the query matched.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date

from whoosh import query as wq
from whoosh.qparser import FuzzyTermPlugin, MultifieldParser, OperatorsPlugin, plugins, syntax

from .analysis import exact_analyzer, has_cjk
from .execution import fast_phrases
from .locate import phrase_spans, word_spans
from .models import Snippet, Span

_TEXT_FIELDS = ("body", "body_exact")


class _ExactRouting(plugins.Plugin):
    """Sends phrases, wildcards, fuzzy terms and multi-token words from ``body`` to ``body_exact``.

    Runs after the multifield expansion (priority 110), so ``"open source"`` searches the title and
    the exact body, while ``sanctions`` searches the title and the stemmed body.
    """

    _exact = exact_analyzer()
    _routed = (
        plugins.PhrasePlugin.PhraseNode,
        plugins.WildcardPlugin.WildcardNode,
        plugins.PrefixPlugin.PrefixNode,
        plugins.FuzzyTermPlugin.FuzzyTermNode,
        plugins.RegexPlugin.RegexNode,
    )

    def filters(self, parser):
        return [(self._route, 120)]

    def _route(self, parser, group):
        for node in group:
            if isinstance(node, syntax.GroupNode):
                self._route(parser, node)
            elif getattr(node, "fieldname", None) == "body" and self._needs_exact(node):
                node.set_fieldname("body_exact", override=True)
        return group

    def _needs_exact(self, node) -> bool:
        if isinstance(node, self._routed):
            return True
        text = getattr(node, "text", None)
        if not isinstance(text, str):
            return False
        return has_cjk(text) or len(list(self._exact(text, mode="query"))) > 1


_NOT = r"(^|(?<=(\s|[()])))(NOT(?=\s)|-(?=[^\s-]))"
"""``NOT`` as Whoosh has it, and ``-`` at the start of a word: ``nvidia -deepseek``, ``-"open source"``
(a hyphen inside a word, ``open-source``, is not an operator)."""


def make_parser(schema):
    parser = MultifieldParser(["title", "body"], schema, fieldboosts={"title": 2.0})
    parser.replace_plugin(OperatorsPlugin(Not=_NOT))
    parser.add_plugin(FuzzyTermPlugin())
    parser.add_plugin(_ExactRouting())
    return parser


_ENTITY = re.compile(r'(?<!\S)entity:(?:"([^"]*)"|([^\s"]\S*))', re.I)
_EMPTY_FIELD = re.compile(r'(?<![^\s(])(?:title|source|author|date|entity):(?:"\s*"|(?=[\s)]|$))', re.I)
"""A field with no value (``title:``, ``entity:""``): unreadable, like unbalanced quotes."""


def split_entity_filters(text: str) -> tuple[str, list[str]]:
    """``entity:"Liang Wenfeng" AI`` gives ``("AI", ["Liang Wenfeng"])``. An entity filter with no
    name (``entity:""``) stays in the text, where ``parse`` finds it unreadable."""
    names: list[str] = []

    def take(m: re.Match) -> str:
        name = (m.group(1) if m.group(1) is not None else m.group(2)).strip()
        if not name:
            return m.group()
        names.append(name)
        return " "

    return _ENTITY.sub(take, text).strip(), names


def parse(parser, text: str):
    """``(query, fallback)``: the parsed query, or the query of its plain words when it won't parse
    (bad syntax, a field with no value, a date that is no year, month or day)."""
    try:
        if _EMPTY_FIELD.search(text):
            raise ValueError("a field with no value")
        q = parser.parse(text)
        if _has_error(q):
            raise ValueError("unreadable query")
        return fast_phrases(q.accept(_whole_periods)), False
    except Exception:  # noqa: BLE001 - the parser's failures are many and undocumented
        return words_query(parser, text), True


_PERIOD = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def period(text: str) -> tuple[str, str]:
    """The first and last day of the year, month or day ``text`` names (``2025-02`` gives
    ``("2025-02-01", "2025-02-28")``); ``ValueError`` for anything else."""
    m = _PERIOD.fullmatch(text)
    if not m:
        raise ValueError(f"not a date: {text!r}")
    year, month, day = m.groups()
    if day:
        date(int(year), int(month), int(day))  # a real day, or ValueError
        return text, text
    if month:
        if not 1 <= int(month) <= 12:
            raise ValueError(f"not a month: {text!r}")
        last = calendar.monthrange(int(year), int(month))[1]
        return f"{year}-{month}-01", f"{year}-{month}-{last:02d}"
    return f"{year}-01-01", f"{year}-12-31"


def _whole_periods(q):
    """``date:2025`` and ``date:[2025-01 TO 2025-03]`` as ranges of whole days (the index holds
    each document's ``YYYY-MM-DD``): a year or a month covers all of its days, also as a range
    end (``{2025 TO ...`` starts after 2025). An unreadable date raises ``ValueError``."""
    if getattr(q, "fieldname", None) != "date":
        return q
    if type(q) is wq.Term:
        first, last = period(q.text)
        return q if first == last else wq.TermRange("date", first, last, boost=q.boost)
    if type(q) is wq.TermRange:
        start, end = q.start, q.end
        if start is not None:
            first, last = period(start)
            start = last if q.startexcl else first
        if end is not None:
            first, last = period(end)
            end = first if q.endexcl else last
        return wq.TermRange("date", start, end, q.startexcl, q.endexcl, boost=q.boost)
    return q


def looks_broken(text: str) -> bool:
    """Whether ``text`` has syntax the parser must have misread: unbalanced quotes or brackets,
    an operator with nothing on one side, an empty field."""
    if text.count('"') % 2 or text.count("(") != text.count(")"):
        return True
    if text.count("[") + text.count("{") != text.count("]") + text.count("}"):
        return True
    return bool(re.search(r"^\s*(?:AND|OR)\b|\b(?:AND|OR|NOT)\s*$|\w:(?:\s|$)", text))


def words_query(parser, text: str):
    """All the words of ``text``, searched as plain words (the fallback for unreadable queries)."""
    text = re.sub(r"\b\w+:", " ", text)  # field names are syntax, not words
    words = [w for w in re.findall(r"\w+", text) if w not in ("AND", "OR", "NOT", "TO")]
    if not words:
        return wq.NullQuery
    try:
        return fast_phrases(parser.parse(" ".join(words)))
    except Exception:  # noqa: BLE001
        return wq.NullQuery


def _has_error(q) -> bool:
    if isinstance(q, wq.qcore._NullQuery):
        return False
    if q.__class__.__name__ == "ErrorQuery":
        return True
    return any(_has_error(c) for c in q.children())


# -- highlighting -------------------------------------------------------------------------------

@dataclass
class MatchPlan:
    """What to look for in a body: stemmed terms, exact terms, and exact phrases."""

    stems: set[str] = field(default_factory=set)
    exacts: set[str] = field(default_factory=set)
    phrases: list[tuple[str, ...]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.stems or self.exacts or self.phrases)

    def spans(self, body: str) -> tuple[Span, ...]:
        """Every match in ``body``, sorted, overlapping spans merged."""
        if not self:
            return ()
        found = word_spans(body, self.stems, self.exacts) if self.stems or self.exacts else []
        if self.phrases:
            found += phrase_spans(body, self.phrases)
        return merge_spans(found)


def merge_spans(spans: list[Span]) -> tuple[Span, ...]:
    out: list[list[int]] = []
    for start, end in sorted(spans):
        if out and start < out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return tuple((a, b) for a, b in out)


def match_plan(q, reader) -> MatchPlan:
    """The body terms and phrases that ``q`` matches positively (negated parts are left out)."""
    plan = MatchPlan()
    # Per segment: expanding fuzzy terms on the multi-segment reader compares the word with every
    # term in the field (200-300 ms at 10,000 documents); a segment reader uses an automaton.
    leaves = [leaf for leaf, _ in reader.leaf_readers()] or [reader]
    _collect(q, leaves, plan)
    return plan


def _collect(q, leaves, plan: MatchPlan) -> None:
    if isinstance(q, wq.Not):
        return
    if isinstance(q, wq.AndNot):
        _collect(q.a, leaves, plan)
        return
    if isinstance(q, wq.Phrase):
        if q.fieldname in _TEXT_FIELDS:
            plan.phrases.append(tuple(q.words))
        return
    if isinstance(q, (wq.Term, wq.MultiTerm)):
        if getattr(q, "fieldname", None) not in _TEXT_FIELDS:
            return
        try:
            terms = {t for leaf in leaves for t in q.existing_terms(leaf, expand=True)}
        except Exception:  # noqa: BLE001
            return
        for fieldname, text in terms:
            word = text.decode("utf-8") if isinstance(text, bytes) else text
            (plan.stems if fieldname == "body" else plan.exacts).add(word)
        return
    for child in q.children():
        _collect(child, leaves, plan)


# -- snippets ----------------------------------------------------------------------------------

def make_snippet(body: str, spans: tuple[Span, ...], width: int = 160) -> Snippet:
    """One line of ``body`` around its densest cluster of matches, marks relative to the line."""
    if not body:
        return Snippet("")
    if spans:
        best, best_count = spans[0][0], 0
        for i, (start, _) in enumerate(spans):
            count = sum(1 for s, e in spans[i:] if e <= start + width * 3 // 4)
            if count > best_count:
                best, best_count = start, count
        lo = max(0, best - width // 4)
    else:
        lo = 0
    hi = min(len(body), lo + width)
    lo = max(0, min(lo, hi - width))
    if lo > 0:  # start at a word boundary
        space = body.find(" ", lo, lo + 20)
        if space != -1 and (not spans or space < best):
            lo = space + 1
    if hi < len(body):
        space = body.rfind(" ", hi - 20, hi)
        if space > lo:
            hi = space
    text = re.sub(r"[\n\t\r]", " ", body[lo:hi])
    prefix = "…" if lo > 0 else ""
    suffix = "…" if hi < len(body) else ""
    shift = len(prefix) - lo
    marks = tuple(
        (max(s, lo) + shift, min(e, hi) + shift) for s, e in spans if e > lo and s < hi
    )
    return Snippet(prefix + text + suffix, marks)
