"""Type evidence for one mention: votes for PERSON, ORG, PLACE, PRODUCT or EVENT from gazetteers,
head nouns, name shapes (given names, pinyin, Korean names) and the words around the mention. The
votes of every mention of an entity are added up by the resolver.
"""

from __future__ import annotations

import re
from functools import lru_cache

from . import entity_lexicon as lex
from .entity_text import _DIGIT, RawMention, _Doc, _common, _is_cjk

_VERB_ALT = "|".join(sorted(lex.PERSON_VERBS))
_HAS_VERBED = re.compile(
    r" (?:has|have|had|was|is|has been|had been)(?: (?:often|also|never|always|\w+ly))? (?:been )?(?:" + _VERB_ALT + r")\b")
_ROLE_APPOS = re.compile(r",\s+(?:a|an|the)?\s*(?:[\w-]+\s+){0,3}(?:" + "|".join(sorted(lex.ROLE_NOUNS)) + r")\b")
_FORMER_ROLE = re.compile(r",\s+(?:former|then|ex-)\s*(?:[\w-]+\s+){0,3}(?:" + "|".join(sorted(lex.TITLES)) + r")\b")
"""``Clark, former policy lead at OpenAI``: only people were something before (a wider class of roles)."""
_PRODUCT_APPOS = re.compile(r",\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,4}(?:" + "|".join(sorted(lex.PRODUCT_CUES)) + r")\b")
_ORG_APPOS = re.compile(r",\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,4}(?:" + "|".join(sorted(lex.ORG_CUES)) + r")\b")


def _vote(doc: _Doc, m: RawMention) -> None:
    """Add type votes to ``m`` from its words and its neighbourhood."""
    text = m.text
    word_votes, shape = _word_votes(text)
    v = m.votes
    if shape is None:  # Chinese characters: their neighbourhood is English and says little
        v["ORG"] += 0.5
        return
    for etype, w in word_votes:
        v[etype] += w
    if shape:
        m.person_shape = True
    body = doc.body
    start, end = m.start, m.end
    prev = doc.prev_word(start)
    after = body[end:end + 60]
    # the first word after the name
    nm = _NEXT_WORD_SEARCH.search(after)
    nxt = nm.group().lower() if nm else ""
    first = after[:1]
    # persons
    if prev in lex.ROLE_NOUNS or prev in _HONORIFICS:
        v["PERSON"] += 3
    if nxt in lex.PERSON_VERBS and _SPACE_LOWER.match(after):
        v["PERSON"] += 1
    elif first == " " and _HAS_VERBED.match(after):
        v["PERSON"] += 1  # "Lenin has often been quoted"
    if _SPEAKER_COLON.match(after) and doc._line_of(start)[0] == start:
        v["PERSON"] += 2  # interview speaker label "An Yong: ..."
    comma = first == ","  # (the appositive patterns start with one)
    if comma and (_ROLE_APPOS.match(after) or _FORMER_ROLE.match(after)):
        v["PERSON"] += 2
    before = body[max(0, start - 40):start]
    if ("’s" in before or "'s" in before) and (pm := _OWNER_BEFORE.search(before)) and lex.fold(pm.group(1)) not in lex.places():
        v["PRODUCT"] += 1.5  # OpenAI’s ChatGPT, Anthropic’s Claude, Huawei’s “Ascend 910C”
    if first and first in "'’" and (pn := _OWNED_AFTER.match(after)) and pn.group(1).lower() in lex.PERSON_NOUNS:
        v["PERSON"] += 2
    if before.endswith(", ") and lex.fold(_PLACE_BEFORE_COMMA.sub(r"\1", before).strip()) in lex.places() \
            or after.startswith(", ") and (pa := _PLACE_AFTER_COMMA.match(after)) and lex.fold(pa.group(1)) in lex.places():
        v["PLACE"] += 1.5  # "Dingri County, Shigatse, Tibet"
    if before.endswith(("of ", "the ")) and _AUTHOR_OF.search(before):
        v["PRODUCT"] += 2  # a book: "author of The New China Playbook"
    if prev in _LAUNCH_VERBS:
        v["PRODUCT"] += 1.5
    if prev in _SUCH_AS_LAST and (sm := _KIND_SUCH_AS.search(before)):
        kind = sm.group(1)  # "computers such as the Raspberry Pi", "companies like Nvidia"
        if kind in _PRODUCT_KINDS:
            v["PRODUCT"] += 2
        elif kind in lex.ORG_CUES:
            v["ORG"] += 2
    if prev == "on" and before.endswith(_APP_ON):
        v["PRODUCT"] += 1.5  # "a free app on Android": a platform
    if first and first in "'’" and _APP_USERS_AFTER.match(after):
        v["PRODUCT"] += 2  # "Doubao’s 17 million DAUs": only apps have daily users counted
    # organisations and products by cue words
    if nxt in lex.PRODUCT_CUES:
        v["PRODUCT"] += 2
    if prev in lex.PRODUCT_CUES and nxt not in lex.ORG_CUES:
        v["PRODUCT"] += 1
    if comma and _PRODUCT_APPOS.match(after):
        v["PRODUCT"] += 2
    if nxt in lex.ORG_CUES:
        v["ORG"] += 1
    if prev in lex.ORG_CUES:
        v["ORG"] += 2
    if comma and _ORG_APPOS.match(after):
        v["ORG"] += 2
    if nxt in _OWNED_BY_ORG:
        v["ORG"] += 2
    if not v:
        v["ORG"] += 0.25


@lru_cache(maxsize=100_000)
def _word_votes(text: str) -> tuple[tuple[tuple[str, float], ...], float | None]:
    """What a name's own words say of its type, the same wherever it is written: the votes and
    its personal-name shape (None for Chinese characters, whose votes come from elsewhere)."""
    if _is_cjk(text):
        return (), None
    words = text.split()
    low = lex.fold(text)
    last = words[-1].lower().rstrip(".")
    places = lex.places()
    out: list[tuple[str, float]] = []
    if low in places:
        out.append(("PLACE", 3.5))
    if len(words) > 1:
        if last in lex.ORG_HEADS:
            out.append(("ORG", 3))
        elif last in lex.EVENT_HEADS:
            out.append(("EVENT", 3))
        elif last in lex.PLACE_HEADS and low not in places:
            out.append(("PLACE", 2))
    # products: model codes and versions
    if _DIGIT.search(text) and not text[0].isdigit() or _NUMBER_LETTERS_WORD.search(text) and len(words) > 1:
        out.append(("PRODUCT", 2))
    elif _NUMBER_UNIT.fullmatch(text):
        out.append(("ORG", 1))
    shape = _person_shape(words)
    if shape:
        out.append(("PERSON", shape))
    if len(words) > 1 and last in lex.PRODUCT_HEADS:
        out.append(("PRODUCT", 3))
    if _WEB_SUFFIX.search(text):
        out.append(("ORG", 2))  # 01.AI, Amazon.com, Aicpb.com
    if len(words) == 1 and (_INNER_CAPITAL.search(text) or text.isupper()):
        out.append(("ORG", 0.25))
    return tuple(out), shape


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
    if any(_INNER_CAPITAL.search(w) for w in words):
        return 0.0
    given = lex.given_names()
    first = words[0]
    f = lex.fold(first)
    if f in lex.TITLES:
        return 0.0  # a role word left in a name is no given name: "Vice China" (Vice is one too)
    # Korean: Yoon Suk-yeol, Han Duck-soo
    if len(words) == 2 and _HYPHENED_GIVEN.fullmatch(words[1]) and len(first) <= 5:
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


# patterns of the hot path, compiled once at import
_NUMBER_LETTERS_WORD = re.compile(r"\b\d+[A-Za-z]+\b")
_NUMBER_UNIT = re.compile(r"\d+[A-Za-z]{1,3}")
_SPACE_LOWER = re.compile(r" [a-z]")
_SPEAKER_COLON = re.compile(r"\s*(?:\([^)]{0,40}\))?\s*:\s")
_OWNER_BEFORE = re.compile(r"([A-Z][\w.-]*)['’]s\s+[“\"]?$")
_OWNED_AFTER = re.compile(r"['’]s\s+(\w+)")
_PLACE_BEFORE_COMMA = re.compile(r".*?([\w .-]+), $")
_PLACE_AFTER_COMMA = re.compile(r", ([A-Z][\w .-]+?)[,.]")
_AUTHOR_OF = re.compile(r"(?:author|writer|editor|authors) of (?:the )?$")
_WEB_SUFFIX = re.compile(r"\.(?:AI|ai|com|io|net|org|cn)$")
_INNER_CAPITAL = re.compile(r"[a-z][A-Z]")
_HYPHENED_GIVEN = re.compile(r"[A-Z][a-z]+-[a-z]+")
_NEXT_WORD_SEARCH = re.compile(r"[A-Za-z][\w-]*")
_HONORIFICS = frozenset({"mr", "mrs", "ms", "dr", "prof", "sir", "lord", "lady"})
_KIND_SUCH_AS = re.compile(r"\b([a-z]+),? (?:such as|like|including) (?:the )?$")
_SUCH_AS_LAST = frozenset({"as", "like", "including", "the"})
_PRODUCT_KINDS = frozenset({"computers", "devices", "gadgets", "models", "apps", "applications", "chips", "processors",
                            "phones", "smartphones", "consoles", "games", "films", "movies", "chatbots", "products",
                            "browsers", "tools"})
"""Plural kinds of product whose examples follow ``such as``, ``like`` or ``including``."""
_APP_ON = (" app on ", " apps on ")
_APP_USERS_AFTER = re.compile(
    r"['’]s (?:[\d.,]+ (?:million|billion|m|bn) )?(?:daus|maus|daily active users|monthly active users)\b", re.I)
_LAUNCH_VERBS = frozenset({"launched", "released", "unveiled", "introduced", "debuted", "downloaded"})
_OWNED_BY_ORG = frozenset({"founder", "ceo", "chairman", "employees", "shares", "stock", "headquarters"})
