"""Cross-document alias resolution: from the surfaces each document yielded to one entity per thing.

Two surfaces are the same entity when
- they have the same key: case, spaces, hyphens, dots and apostrophes aside (``Open AI`` = ``OpenAI``,
  ``U.S.`` = ``US``, ``High-flyer`` = ``High-Flyer``, ``DeepSeek R1`` = ``DeepSeek-R1``);
- one is the other plus a corporate suffix that exists alone too (``Tencent Holdings`` = ``Tencent``,
  ``Zhipu AI`` = ``Zhipu``; but ``Tencent Cloud`` stays apart);
- a document states it (``Name (ABBR)``, an acronym of a name beside it, ``(hereafter “X”)``, a
  Chinese name next to its pinyin-matching English form);
- a model code stands for the one full name that ends with it (``R1`` = ``DeepSeek-R1``);
- a single word is the family or given name of exactly one person named in full in the same
  document (``Liang`` = ``Liang Wenfeng``), or, failing that, in the whole corpus.
The user's corrections (merge, unmerge, retype, hide) are applied last, by key, so they survive
re-extraction and full rebuilds.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from . import entity_lexicon as lex
from .entity_settings import TYPES

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CODE = re.compile(r"^(?=.*\d)[A-Za-z]{0,4}\d[\w.]*$")
_CODE_TAIL = re.compile(r"^(.+?)[\s-]([A-Za-z]{0,4}\d[\w.]*)$")
_HAS_DIGIT = re.compile(r"\d")
_KEY_STRIP = re.compile(r"[\s\-.'’‐–—_]+")


@lru_cache(maxsize=500_000)
def key(text: str) -> str:
    """The matching key of a surface: folded, without spaces, hyphens, dots, apostrophes, and without
    the plural ``s`` of a model code (``H800s`` = ``H800``)."""
    t = lex.fold(text)
    if t.endswith(("'s", "’s")):
        t = t[:-2]
    if len(t) > 1 and t[-1] == "s" and t[-2].isdecimal():
        t = t[:-1]
    return _KEY_STRIP.sub("", t)


@lru_cache(maxsize=200_000)
def _stripped_key(text: str) -> str:
    """Key without trailing corporate suffixes (``Tencent Holdings`` -> ``tencent``)."""
    words = lex.fold(text).replace("artificial intelligence", "ai").replace(",", " ").split()
    while len(words) > 1 and words[-1].strip(".") in lex.LEGAL_SUFFIXES:
        words.pop()
    return key(" ".join(words))


def is_acronym(text: str) -> bool:
    t = text.replace(".", "")
    return 2 <= len(t) <= 6 and t.isupper() and t.isalpha()


class _UF:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        p = self.parent.setdefault(x, x)
        while p != x:
            gp = self.parent.setdefault(p, p)
            self.parent[x] = gp
            x, p = p, gp
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[ra] = rb


@dataclass
class Partition:
    """Which surface keys (and which doc-local uses of a key) make one entity, and what the
    corrections say about each group. Entity rows are built from it by ``entity_build``."""

    text_key: dict[str, str]
    texts_by_key: dict[str, dict[str, int]]
    root_of_key: dict[str, str]
    local_root: dict[tuple[str, str], str]
    """(doc_id, key) -> root for a key that names, in that document only, another entity."""
    agg: dict[str, list[float]]
    """Type votes per root."""
    misspelt: set[str]
    preferred: dict[str, str]
    retype: dict[str, str]
    hidden: set[str]
    find: object
    local_keys: set[str] = field(default_factory=set)


def best(v: list[float] | None) -> str:
    """The type with the most votes (ORG when there are none)."""
    if not v or not any(v):
        return "ORG"
    return max(TYPES, key=lambda t: (v[TYPES.index(t)], -TYPES.index(t)))


def partition(
    totals: list[tuple[str, int, tuple[float, ...], bool]],
    links: list[tuple[str, str, str]],
    doc_rows: list[tuple[str, str, int]],
    corrections: list[tuple[str, str, str]] = (),
) -> Partition:
    """``totals``: (text, mentions, votes in TYPES order, person-shaped) summed over the corpus, in
    text order; ``links``: (doc_id, a, b), sorted; ``doc_rows``: (doc_id, text, count) for every surface
    of every document, in any order; ``corrections``: (kind, name, arg) in the order they were made.
    The result depends on these contents only, never on the order the store hands rows over."""
    from .entity_links import LOCAL, PARENT, TYPO  # (not at import: listing entities never needs it)

    uf = _UF()
    texts_by_key: dict[str, dict[str, int]] = {}
    votes_by_key: dict[str, list[float]] = {}
    text_key: dict[str, str] = {}
    full_person_shape: set[str] = set()
    for text, count, votes, shape in totals:
        k = key(text)
        text_key[text] = k
        if not k:
            continue
        tc = texts_by_key.get(k)
        if tc is None:
            texts_by_key[k] = {text: count}
            votes_by_key[k] = list(votes)
        else:
            tc[text] = tc.get(text, 0) + count
            acc = votes_by_key[k]
            for i, w in enumerate(votes):
                acc[i] += w
        if shape:
            full_person_shape.add(k)
        uf.find(k)
    top_text = {k: (max(tc, key=tc.__getitem__) if len(tc) > 1 else next(iter(tc))) for k, tc in texts_by_key.items()}
    cut = _unmerged_keys(corrections)

    def join(a: str, b: str) -> None:
        if a in cut or b in cut or a.split("\x00")[-1] in cut or b.split("\x00")[-1] in cut:
            return
        uf.union(a, b)

    # suffix-stripped forms that exist alone
    for k, text in top_text.items():
        if k in full_person_shape:
            continue
        sk = _stripped_key(text)
        if sk != k and sk in texts_by_key:
            join(k, sk)
    # a title and its short form: "Black Myth: Wukong" = "Black Myth"
    for k, text in top_text.items():
        if ": " in text:
            pk = key(text.split(": ")[0])
            if pk in texts_by_key:
                join(k, pk)
    # stated links
    parents: list[tuple[str, str]] = []
    local_links: list[tuple[str, str, str]] = []
    misspelt: set[str] = set()
    for _doc, a, b in links:
        if a.startswith(TYPO):
            a = a[len(TYPO):]
            misspelt.add(key(a))
        if a.startswith(LOCAL):
            local_links.append((_doc, key(a[len(LOCAL):]), key(b)))
            continue
        if a.startswith(PARENT):
            ka, kb = key(a[len(PARENT):]), key(b)
            if ka in texts_by_key and kb in texts_by_key:
                parents.append((ka, kb))
            continue
        ka, kb = key(a), key(b)
        if ka and kb and ka in texts_by_key and kb in texts_by_key:
            join(ka, kb)
    # one parent: two names the texts give as the owner of the same company are one owner
    # (High-Flyer Quant, "its parent"; Huanfang Quantitative, "the company behind DeepSeek")
    owner_of: dict[str, str] = {}
    for child, parent in parents:
        c = uf.find(child)
        if uf.find(parent) == c:
            continue
        if c in owner_of:
            join(owner_of[c], parent)
        else:
            owner_of[c] = parent
    # countries under their other names: PRC = China, UK = United Kingdom (gazetteer)
    country = lex.country_aliases()
    for k, text in top_text.items():
        target = country.get(lex.fold(text)) or country.get(k)
        if target and key(target) in texts_by_key and key(target) != k:
            join(k, key(target))
    # model codes: R1 -> DeepSeek-R1 when exactly one full name ends with the code
    by_code: dict[str, set[str]] = defaultdict(set)
    for k, text in top_text.items():
        if not _HAS_DIGIT.search(text):
            continue
        m = _CODE_TAIL.match(text)
        if m and _CODE.match(m.group(2)) and not m.group(1)[-1].isdigit():
            by_code[key(m.group(2))].add(k)
    for code, fulls in by_code.items():
        if code in texts_by_key and len(fulls) == 1:
            join(code, next(iter(fulls)))

    def comp_votes() -> dict[str, list[float]]:
        agg: dict[str, list[float]] = {}
        for k, v in votes_by_key.items():
            r = uf.find(k)
            acc = agg.get(r)
            if acc is None:
                agg[r] = list(v)
            else:
                for i, w in enumerate(v):
                    acc[i] += w
        return agg

    agg = comp_votes()

    # surnames and given names: doc-local first, then corpus-wide unique
    person_keys = [k for k in texts_by_key
                   if k in full_person_shape or (" " in top_text[k] and best(agg.get(uf.find(k))) == "PERSON")]
    person_set = set(person_keys)
    token_owner: dict[str, set[str]] = defaultdict(set)
    for k in person_keys:
        for tok in top_text[k].split():
            token_owner[key(tok)].add(k)
    places = lex.places()
    candidates = {
        k for k in texts_by_key
        if k in token_owner and " " not in top_text[k] and not is_acronym(top_text[k]) and k not in cut
        and lex.fold(top_text[k]) not in places
    }
    persons_in_doc: dict[str, list[str]] = defaultdict(list)
    single_in_doc: dict[str, set[str]] = defaultdict(set)
    for doc_id, text, _count in doc_rows:
        k = text_key.get(text)
        if k is None:
            k = key(text)
        if k in person_set:
            persons_in_doc[doc_id].append(k)
        elif k in candidates:
            single_in_doc[k].add(doc_id)
    localmap_nodes: dict[tuple[str, str], str] = {}
    for tk in sorted(single_in_doc):  # a fixed order: the same groups however rows were stored
        docs = single_in_doc[tk]
        root = uf.find(tk)
        if root != tk and any(uf.find(o) == root for o in token_owner[tk]):
            continue
        v = agg.get(root)
        if v and max(v[2], v[3], v[4]) >= 3:  # a place, product or event in its own right
            continue
        unresolved = 0
        for d in docs:
            owners = [o for o in persons_in_doc.get(d, ()) if o in token_owner[tk]]
            if len(owners) == 1:
                node = f"{d}\x00{tk}"
                localmap_nodes[(d, tk)] = node
                join(node, owners[0])
            elif not owners:
                unresolved += 1
        if unresolved and len(token_owner[tk]) == 1:
            join(tk, next(iter(token_owner[tk])))

    for d, ka, kb in local_links:
        if ka in texts_by_key and kb in texts_by_key and (d, ka) not in localmap_nodes and ka not in cut:
            node = f"{d}\x00{ka}"
            localmap_nodes[(d, ka)] = node
            join(node, kb)

    # user corrections: merges in order (an unmerge cancels earlier merges of its alias)
    preferred: dict[str, str] = {}
    merges: list[tuple[str, str, str]] = []
    for kind, name, arg in corrections:
        if kind == "merge":
            merges.append((kind, name, arg))
        elif kind == "unmerge":
            merges = [m for m in merges if key(arg) not in (key(m[1]), key(m[2]))]
    for _kind, name, arg in merges:
        ka, kb = key(name), key(arg)
        if ka in uf.parent and kb in uf.parent:
            uf.union(ka, kb)
            preferred[uf.find(kb)] = arg

    local_keys = {tk for (_d, tk) in localmap_nodes}
    local_root = {dk: uf.find(node) for dk, node in localmap_nodes.items()}
    root_of_key = {k: uf.find(k) for k in texts_by_key}
    agg = comp_votes()

    retype: dict[str, str] = {}
    hidden: set[str] = set()
    for kind, name, arg in corrections:
        root = _root_of(uf, name, preferred)
        if root is None:
            continue
        if kind == "retype":
            retype[root] = arg
        elif kind == "hide":
            hidden.add(root)
        elif kind == "unhide":
            hidden.discard(root)

    return Partition(text_key, texts_by_key, root_of_key, local_root, agg, misspelt, preferred, retype, hidden,
                     uf.find, local_keys)


def _unmerged_keys(corrections) -> set[str]:
    cut = set()
    for kind, name, arg in corrections:
        if kind == "unmerge":
            cut.add(key(arg))
    return cut


def _root_of(uf: _UF, name: str, preferred: dict[str, str]) -> str | None:
    k = key(name)
    if k in uf.parent:
        return uf.find(k)
    for root, pname in preferred.items():
        if key(pname) == k:
            return uf.find(root)
    return None


def _canonical(tc, etype: str, local_keys: set[str] = frozenset()) -> str:
    """The name to show: a full name over acronyms, Chinese forms and lone surnames; then the
    most frequent; then the longest."""
    if len(tc) == 1:
        return next(iter(tc))
    texts = list(tc)
    pool = [t for t in texts if not is_acronym(t) and not _CJK.search(t) and key(t) not in local_keys] \
        or [t for t in texts if not is_acronym(t) and not _CJK.search(t)] or texts
    if etype == "PERSON":
        multi = [t for t in pool if " " in t]
        pool = multi or pool
    # the name group mentioned most (High-Flyer, High-flyer, High-Flyer Quant count together),
    # then its most frequent spelling
    groups: dict[str, int] = defaultdict(int)
    for t in texts:
        groups[_stripped_key(t)] += tc[t]
    # a short form used in one document ("the Post", "Liang") never names the entity
    return max(pool, key=lambda t: (groups[_stripped_key(t)], tc[t], -len(t) if etype != "PERSON" else len(t), t))
