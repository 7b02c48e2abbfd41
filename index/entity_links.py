"""Alias links a document states about its own names: ``Name (ABBR)``, ``(hereafter “X”)``, an
acronym beside the name it abbreviates, a Chinese name next to its pinyin-matching English form,
``the Post`` for the paper named in the same document, and who owns whom (``DeepSeek and its
parent, High-Flyer Quant``), from which the resolver infers that two owners' names are one.
"""

from __future__ import annotations

import re
from collections import defaultdict

from . import entity_lexicon as lex
from .entity_text import _DOTTED_ACRONYM, _HEREAFTER, _JOINERS, _LEGAL, _NAME_WORD, RawMention, _Doc, _is_cjk
from .entity_typing import _person_shape

LOCAL = "\x01local\x01"
"""Prefix of a link ``(LOCAL + short, full)`` that holds in this document only (``the Post``)."""
TYPO = "\x01typo\x01"
"""Prefix of a link ``(TYPO + misspelt, usual)``: one name; the misspelling never names the entity."""
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
    for w in _NAME_WORD.findall(text):
        if w.lower() in _JOINERS:
            continue
        caps = _CAPITAL.findall(w)
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


def _typo_links(mentions: list[RawMention]) -> list[tuple[str, str]]:
    """A name written once with a doubled or dropped letter beside its usual spelling in the same
    document (``Gittee`` for ``Gitee AI``): a typo, so one name. Not for people or places."""
    forms: dict[str, str] = {}
    counts: dict[str, int] = defaultdict(int)
    for m in mentions:
        words = m.text.split()
        while len(words) > 1 and words[-1].lower().rstrip(".") in lex.LEGAL_SUFFIXES:
            words = words[:-1]
        if len(words) != 1 or _is_cjk(m.text):
            continue
        w = words[0].lower()
        if len(w) < 5 or not w.isalpha() or lex.fold(w) in lex.places() or lex.fold(w) in lex.given_names():
            continue
        forms.setdefault(w, m.text)
        counts[w] += 1
    out = []
    for w, text in forms.items():
        for i in range(len(w)):
            shorter = w[:i] + w[i + 1:]
            if shorter in forms and shorter != w and min(counts[w], counts[shorter]) <= 2 \
                    and lex.zipf(w) < 3.0 and lex.zipf(shorter) < 3.0:
                out.append((TYPO + text, forms[shorter]) if counts[w] <= counts[shorter] else (TYPO + forms[shorter], text))
                break
    return out


def _own_short_name(name: str, acronym: str, mentions: list[RawMention]) -> bool:
    """``Vice China (BIE)``: an acronym in parentheses that is not the name's initials is still its
    short name when the text uses it nowhere else and it is no place, common acronym or party label
    (``Yoon (PPP)``: a person's parenthesis says what they belong to, so persons and places never)."""
    if _person_shape(name.split()) or lex.fold(name) in lex.places():
        return False
    low = lex.fold(acronym)
    if low in lex.GENERIC_ACRONYMS or low in lex.places() or low in lex.country_aliases():
        return False
    return sum(1 for m in mentions if m.text == acronym) == 1


def _links(doc: _Doc, mentions: list[RawMention]) -> list[tuple[str, str]]:
    """Alias links the text states: ``Name (ABBR)``, ``(hereafter “X”)``, Chinese next to English,
    and acronyms matching the initials of a name in the same document."""
    body = doc.body
    links: list[tuple[str, str]] = []
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
                        not acronym or inner[0] == m.text[0] or _own_short_name(m.text, inner, mentions)):
                    links.append((m.text, inner))
        # Chinese name written right before its English form: pinyin must overlap
        if _is_cjk(m.text) and i + 1 < len(mentions):
            nxt = mentions[i + 1]
            if nxt.start - m.end <= 1 and not _is_cjk(nxt.text):
                py = lex.to_pinyin(m.text)
                words = [w.lower() for w in _LATIN_WORD.findall(nxt.text)]
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
    links.extend(_typo_links(mentions))
    # acronyms: ABBR equal to the initials of a multi-word or CamelCase name in this document
    names = {m.text for m in mentions if not m.text.isupper() and not _DOTTED_ACRONYM.fullmatch(m.text)}
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


# patterns of the hot path, compiled once at import
_CAPITAL = re.compile(r"[A-Z]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
