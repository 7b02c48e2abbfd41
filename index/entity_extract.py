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

from . import entity_lexicon as lex
from .entity_links import LOCAL, PARENT, _links  # noqa: F401 - LOCAL/PARENT are part of the API
from .entity_text import (  # noqa: F401 - re-exported: the extractor's results and helpers
    _AND_HEADS,
    _FUNCTION_WORDS,
    _JOINERS,
    _LEGAL,
    _POSSESSIVE,
    _PREFIXES,
    _RELEVANT,
    _SPECIAL_CHARS,
    _SUFFIX_WORDS,
    _YEAR,
    _DIGIT,
    Extraction,
    RawMention,
    TYPES,
    _Doc,
    _Tok,
    _common,
    _is_cjk,
    _is_name_word,
    _rx,
)
from .entity_typing import _person_shape, _vote

_EPONYM_HEADS = {"Law", "Laws", "Principle", "Paradox", "Theorem", "Razor", "Rule", "Effect", "Syndrome",
                 "Disease", "Constant", "Conjecture", "Dilemma"}
"""``Moore’s Law``: a possessive before one of these is part of the name."""
_LABEL_ORG = re.compile(r":\s+(?:The|A|An)\s+(?:[\w-]+\s+){0,2}(?:" + "|".join(sorted(lex.ORG_CUES)) + r")\b")


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
