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

Only this document is looked at, so a changed document is re-extracted alone. The type votes are
in ``entity_typing``, the alias links in ``entity_links``, the shared patterns in ``entity_text``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

from . import entity_lexicon as lex
from .entity_links import _links
from .entity_text import (
    _FUNCTION_WORDS,
    _JOINERS,
    _YEAR,
    _DIGIT,
    Extraction,
    RawMention,
    _Doc,
    _Tok,
    _all_common,
    _common,
    _is_cjk,
)
from .entity_runs import _EPONYM_HEADS, _cut, _split_runs
from .entity_typing import _person_shape, _vote

_LABEL_ORG = re.compile(r":\s+(?:The|A|An)\s+(?:[\w-]+\s+){0,2}(?:" + "|".join(sorted(lex.ORG_CUES)) + r")\b")


def _surface(doc: _Doc, piece: list[_Tok]) -> tuple[int, int, str]:
    s, e = piece[0].start, piece[-1].end
    return s, e, doc.body[s:e]


def _junk(text: str, piece: list[_Tok], doc: _Doc) -> bool:
    body = doc.body
    end = piece[-1].end
    if body.startswith(_LICENCE, end):
        return True  # "MIT license": a licence's name, not the institute
    if body.startswith(_FOR_OR_OF, end) and len(piece) == 1 \
            and _FIGURATIVE_BEFORE.search(body, max(0, piece[0].start - 20), piece[0].start):
        return True  # "became the Mecca for tech journalists": a figure of speech
    if len(piece) > 1:
        last = piece[-1].text
        if last in _CONCEPT_HEADS:
            return True  # "Moore’s Law", "Scaling Law", "Occam’s Razor": ideas, none of the five types
        start = piece[0].start
        if body[start - 3:start] in ("’s ", "'s ") and last.lower() in lex.ORG_HEADS \
                and all(lex.fold(t.text) in lex.GENERIC_ACRONYMS for t in piece[:-1]):
            return True  # "Google’s AI Lab": a description of the owner's unit
    if len(piece) == 1:
        if piece[0].text.startswith("\x00"):
            return True
        junk_if_possessive, junk_otherwise = _junk_word(piece[0].text, doc.stoplist)
        if junk_if_possessive == junk_otherwise:
            return junk_otherwise
        end = piece[0].end
        return junk_if_possessive if doc.body[end:end + 2] in ("’s", "'s") else junk_otherwise
    low = lex.fold(text)
    if piece[0].text.startswith("\x00") or low in doc.stoplist:
        return True
    if low in lex.GENERIC_PHRASES or low.replace("’", "'") in lex.GENERIC_PHRASES:
        return True
    # every word a nationality adjective or a month: "South Korean", "Chinese New"?
    if all(lex.fold(t.text) in lex.demonyms() or lex.is_month_or_day(t.text)
           or lex.fold(t.text) in lex.GENERIC_ACRONYMS for t in piece):
        return True
    if lex.is_month_or_day(piece[0].text) and all(t.text.isdigit() for t in piece[1:]):
        return True
    return False


@lru_cache(maxsize=50_000)
def _junk_word(w: str, stoplist: frozenset[str]) -> tuple[bool, bool]:
    """Is the one-word candidate ``w`` junk (a demonym, a month, a Roman numeral, a lone letter, a
    year, a number): when a possessive follows it, and otherwise. Each word is judged once."""
    low = lex.fold(w)
    if low in stoplist or low in lex.GENERIC_PHRASES or low.replace("’", "'") in lex.GENERIC_PHRASES:
        return True, True
    if low in lex.demonyms() or low in lex.GENERIC_ACRONYMS or lex.is_month_or_day(w) \
            or low.split("-")[0] in lex.GENERIC_ACRONYMS and low.split("-")[0] != low:
        return True, True
    if _YEAR.match(w) or w.isdigit():
        return True, True
    roman = bool(lex.ROMAN.match(w)) and len(w) <= 4 and w not in ("MIX", "LCD", "CD", "DC")
    letter = len(w) == 1
    # "X’s Grok": a capital letter before a possessive is a name; a Roman numeral before one too
    return letter and not w.isupper(), roman or letter


def _has_head(piece: list[_Tok]) -> bool:
    last = piece[-1].text.lower().rstrip(".")
    if len(piece) > 2 and piece[1].text == "of" and piece[0].text.lower() in _ORG_OR_PLACE_HEADS:
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
        label = body[run[-1].end:run[-1].end + 1] == ":" and bool(_BULLET_ONLY.fullmatch(body, line_start, run[0].start))
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
                and not _COLON_CAPITAL.match(body[e:e + 3]) \
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
    mentions = _split_makers(_join_list_items(doc, _join_subtitles(doc, _dedupe(mentions))))
    links = _links(doc, mentions)
    linked = {a for a, _ in links} | {b for _, b in links}
    mentions = [m for m in mentions if not _is_cjk(m.text) or m.text in linked]
    seen: dict[str, int] = defaultdict(int)
    for m in mentions:
        # the neighbourhood of a name's first few mentions says enough about its type
        seen[m.text] += 1
        if seen[m.text] <= 6:
            _vote(doc, m)
    return Extraction(mentions, links)


def _rescue(doc: _Doc, piece: list[_Tok], attested: set[str], places: frozenset[str]) -> list[list[_Tok]]:
    """From a sentence-initial or heading candidate keep what is a name: the parts seen mid-sentence,
    places, or what is left after dropping leading common words."""
    n = len(piece)
    line_start, line_end = doc._line_of(piece[0].start)
    shape = _person_shape([t.text for t in piece]) if n > 1 else 0.0  # (one word has no name shape)
    if shape >= 2 and not doc.is_heading(piece[0].start) or shape >= 1.5 and \
            doc.body[line_start:line_end].strip() == doc.body[piece[0].start:piece[-1].end]:  # alone on its line
        return [piece]
    if doc.quoted_open(piece[0].start) and n > 1 and not doc.is_heading(piece[0].start) and (
            doc.body[piece[-1].end:piece[-1].end + 1] in "”’\"'" or _COLON_CAPITAL.match(doc.body[piece[-1].end:piece[-1].end + 3])):
        return [piece]  # a quoted title: “Under Currents”
    if piece[0].text == "The" and n > 1:
        piece, n = piece[1:], n - 1
    while n > 2 and piece[1].text in lex.CONNECTORS and piece[0].text.lower() not in _ORG_OR_PLACE_HEADS \
            and _common(piece[0].text, 3.5):
        piece, n = piece[2:], n - 2  # "Shares of Tencent Holdings"
        while n > 1 and piece[0].text in lex.CONNECTORS:
            piece, n = piece[1:], n - 1  # "Members of the Communist Party": not "the Communist Party"
    if n > 1 and piece[-1].text.lower().rstrip(".") in lex.CORPORATE_HEADS and piece[-1].text[0].isupper() \
            and piece[0].text[0].isupper() and not doc.is_heading(piece[0].start):
        return [piece]  # "General Motors fell", "Shares of General Electric": only names end so
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
    if n > 1 and doc.body[piece[-1].end:piece[-1].end + 1] == ":" and \
            _BULLET_LEAD.match(doc.body, line_start, piece[0].start) and not _has_head(piece):
        return []  # a list item's label
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
    """Is ``body[s:e]`` an item of a comma list of names (``KrASIA, Wired, Rest of World, ...``)?
    (An item may carry its short name in parentheses: ``Vice China (BIE), ...``.)"""
    before = doc.body[max(0, s - 2):s]
    after = doc.body[e:e + 2]
    if after == " (":
        close = doc.body.find(")", e, e + 40)
        if close > 0:
            e = close + 1
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
                    or _APPOSITIVE.match(body[m.end:m.end + 6])):
                out[-1] = RawMention(prev.start, m.end, body[prev.start:m.end])
                continue
        out.append(m)
    return out


def _join_list_items(doc: _Doc, mentions: list[RawMention]) -> list[RawMention]:
    """In a comma list of names (``KrASIA, Wired, Tech in Asia, Vice China (BIE), Harper's Bazaar``) an
    item made of two names joined by ``in`` or a possessive is one name: ``Tech in Asia`` (a common
    word alone is no name), ``Harper's Bazaar`` (a possessor named nowhere else). Two names before
    the item must be list items too, so ``Meta’s Llama, X’s Grok`` stay owners and products."""
    body = doc.body
    out: list[RawMention] = []
    texts: dict[str, int] | None = None
    for m in mentions:
        prev = out[-1] if out else None
        gap = body[prev.end:m.start] if prev is not None and m.start - prev.end <= 4 else ""
        if gap == " in " or gap in ("'s ", "’s "):
            if " " not in prev.text and _LIST_ITEM_END.match(body, m.end) and _items_before(body, out) >= 2:
                if gap == " in ":
                    join = _common(prev.text, 3.5) and prev.text[1:].islower() and lex.fold(prev.text) not in lex.places()
                else:
                    if texts is None:
                        texts = defaultdict(int)
                        for x in mentions:
                            texts[x.text] += 1
                    join = texts[prev.text] == 1 and " " not in m.text
                if join:
                    out[-1] = RawMention(prev.start, m.end, body[prev.start:m.end])
                    continue
        out.append(m)
    return out


def _split_makers(mentions: list[RawMention]) -> list[RawMention]:
    """``Nvidia H800``: a maker the document also names alone, then a part number (capitals and three
    or more digits), are two names, the maker and its product. ``DeepSeek R1`` stays one: a version
    number is part of the model's name, and ``Ascend 910C`` names a chip line's model."""
    texts = None
    out: list[RawMention] = []
    for m in mentions:
        if " " in m.text and _PART_NUMBER.search(m.text):
            if texts is None:
                texts = {x.text for x in mentions}
            maker, _, code = m.text.rpartition(" ")
            if maker in texts:
                out.append(RawMention(m.start, m.start + len(maker), maker))
                out.append(RawMention(m.end - len(code), m.end, code))
                continue
        out.append(m)
    return out


def _items_before(body: str, out: list[RawMention]) -> int:
    """How many names of a comma list come before the last of ``out`` (``Vice China (BIE)`` is one)."""
    n = 0
    j = len(out) - 1
    pos = out[j].start
    j -= 1
    while j >= 0 and body[pos - 2:pos] == ", ":
        q = out[j]
        if q.end == pos - 3 and body[q.end] == ")" and body[q.start - 2:q.start] == " (" and j > 0 \
                and out[j - 1].end == q.start - 2:
            j -= 1  # "Vice China (BIE), ": the name before the parenthesis is the item
            q = out[j]
        elif q.end != pos - 2:
            break
        n += 1
        pos = q.start
        j -= 1
    return n


def _dedupe(mentions: list[RawMention]) -> list[RawMention]:
    mentions.sort(key=lambda m: (m.start, -(m.end - m.start)))
    out: list[RawMention] = []
    last_end = -1
    for m in mentions:
        if m.start >= last_end and m.text.strip():
            out.append(m)
            last_end = m.end
    return out


# patterns of the hot path, compiled once at import
_BULLET_ONLY = re.compile(r"\s*[-–•*]\s*")
_COLON_CAPITAL = re.compile(r": [A-Z]")
_LICENCE = (" license", " licence", " License", " Licence")
_FOR_OR_OF = (" for ", " of ")
_FIGURATIVE_BEFORE = re.compile(r"\b(?:became|become|becomes|becoming|is|was|remains|remained) (?:the|a) $")
_CONCEPT_HEADS = _EPONYM_HEADS | {"License", "Licence", "First"}
"""Last words of capitalised phrases that name no thing: laws and effects, licences, slogans
(``America First``, ``Epidemic Control First``)."""
_PART_NUMBER = re.compile(r" [A-Z]{1,3}\d{3,}[A-Za-z]{0,2}$")
_LIST_ITEM_END = re.compile(r",|\.|\s+(?:and|or|etc)\b|\s*$")
_BULLET_LEAD = re.compile(r"\s*[-–•*]\s")
_APPOSITIVE = re.compile(r",\s+(?:a|an)\s")

# unions of the word classes, built once (they were built again at every test)
_ORG_OR_PLACE_HEADS = frozenset(lex.ORG_HEADS | lex.PLACE_HEADS)
