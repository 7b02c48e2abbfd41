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
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from . import entity_lexicon as lex

TYPES = ("PERSON", "ORG", "PLACE", "PRODUCT", "EVENT")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CODE = re.compile(r"^(?=.*\d)[A-Za-z]{0,4}\d[\w.]*$")


def key(text: str) -> str:
    """The matching key of a surface: folded, without spaces, hyphens, dots, apostrophes, and without
    the plural ``s`` of a model code (``H800s`` = ``H800``)."""
    t = lex.fold(text)
    t = re.sub(r"['’]s$", "", t)
    t = re.sub(r"(\d)s$", r"\1", t)
    return re.sub(r"[\s\-.'’‐–—_]+", "", t)


def _stripped_key(text: str) -> str:
    """Key without trailing corporate suffixes (``Tencent Holdings`` -> ``tencent``)."""
    words = lex.fold(text).replace("artificial intelligence", "ai").replace(",", " ").split()
    while len(words) > 1 and words[-1].strip(".") in lex.LEGAL_SUFFIXES:
        words.pop()
    return key(" ".join(words))


def is_acronym(text: str) -> bool:
    t = text.replace(".", "")
    return 2 <= len(t) <= 6 and t.isupper() and t.isalpha()


@dataclass
class Resolved:
    """The resolved entity table, ready to store."""

    entities: list[dict] = field(default_factory=list)
    """Each: id, name, type, aliases, count, docs ([doc_id, count] in reading order), hidden."""
    keymap: dict[str, int] = field(default_factory=dict)
    localmap: dict[tuple[str, str], int] = field(default_factory=dict)


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


def resolve(
    surfaces: list[tuple[str, str, int, dict, bool]],
    links: list[tuple[str, str, str]],
    doc_order: dict[str, int],
    corrections: list[tuple[str, str, str]] = (),
) -> Resolved:
    """``surfaces``: (doc_id, text, count, votes, person_shape); ``links``: (doc_id, a, b);
    ``corrections``: (kind, name, arg) in the order they were made."""
    uf = _UF()
    texts_by_key: dict[str, Counter] = defaultdict(Counter)
    votes_by_key: dict[str, Counter] = defaultdict(Counter)
    docs_by_key: dict[str, set[str]] = defaultdict(set)
    full_person_shape: set[str] = set()
    for doc_id, text, count, votes, shape in surfaces:
        k = key(text)
        if not k:
            continue
        texts_by_key[k][text] += count
        votes_by_key[k].update({t: w * count for t, w in votes.items()})
        docs_by_key[k].add(doc_id)
        if shape:
            full_person_shape.add(k)
        uf.find(k)

    cut = _unmerged_keys(corrections)

    def join(a: str, b: str) -> None:
        if a in cut or b in cut or a.split("\x00")[-1] in cut or b.split("\x00")[-1] in cut:
            return
        uf.union(a, b)

    # suffix-stripped forms that exist alone
    for k, texts in texts_by_key.items():
        text = texts.most_common(1)[0][0]
        if k in full_person_shape:
            continue
        sk = _stripped_key(text)
        if sk != k and sk in texts_by_key:
            join(k, sk)
    # stated links
    for _doc, a, b in links:
        ka, kb = key(a), key(b)
        if ka and kb and ka in texts_by_key and kb in texts_by_key:
            join(ka, kb)
    # countries under their other names: PRC = China, UK = United Kingdom (gazetteer)
    country = lex.country_aliases()
    for k, texts in texts_by_key.items():
        text = texts.most_common(1)[0][0]
        target = country.get(lex.fold(text)) or country.get(k)
        if target and key(target) in texts_by_key and key(target) != k:
            join(k, key(target))
    # model codes: R1 -> DeepSeek-R1 when exactly one full name ends with the code
    by_code: dict[str, set[str]] = defaultdict(set)
    for k, texts in texts_by_key.items():
        text = texts.most_common(1)[0][0]
        m = re.match(r"^(.+?)[\s-]([A-Za-z]{0,4}\d[\w.]*)$", text)
        if m and _CODE.match(m.group(2)) and not m.group(1)[-1].isdigit():
            by_code[key(m.group(2))].add(k)
    for code, fulls in by_code.items():
        if code in texts_by_key and len(fulls) == 1:
            join(code, next(iter(fulls)))

    # types so far (needed for the person-name step)
    def comp_votes() -> dict[str, Counter]:
        agg: dict[str, Counter] = defaultdict(Counter)
        for k, v in votes_by_key.items():
            agg[uf.find(k)].update(v)
        return agg

    agg = comp_votes()

    def best_type(root: str) -> str:
        v = agg.get(root)
        if not v:
            return "ORG"
        return max(TYPES, key=lambda t: (v.get(t, 0), -TYPES.index(t)))

    # surnames and given names: doc-local first, then corpus-wide unique
    persons_in_doc: dict[str, list[str]] = defaultdict(list)
    person_keys: list[str] = []
    for k in texts_by_key:
        if k in full_person_shape or (best_type(uf.find(k)) == "PERSON" and " " in texts_by_key[k].most_common(1)[0][0]):
            person_keys.append(k)
            for d in docs_by_key[k]:
                persons_in_doc[d].append(k)
    token_owner: dict[str, set[str]] = defaultdict(set)
    for k in person_keys:
        for tok in texts_by_key[k].most_common(1)[0][0].split():
            token_owner[key(tok)].add(k)
    localmap_nodes: dict[tuple[str, str], str] = {}
    single_in_doc: dict[str, set[str]] = defaultdict(set)
    for doc_id, text, _count, _votes, _shape in surfaces:
        if " " not in text.strip() and not is_acronym(text):
            single_in_doc[key(text)].add(doc_id)
    places = lex.places()
    for tk, docs in single_in_doc.items():
        if tk not in token_owner or tk in cut or lex.fold(texts_by_key[tk].most_common(1)[0][0]) in places:
            continue
        strong_other = agg.get(uf.find(tk), Counter())
        if uf.find(tk) != tk and any(uf.find(o) == uf.find(tk) for o in token_owner[tk]):
            continue
        if max((strong_other.get(t, 0) for t in ("PLACE", "PRODUCT", "EVENT")), default=0) >= 3:
            continue
        unresolved_docs = set()
        for d in docs:
            owners = [o for o in persons_in_doc.get(d, ()) if o in token_owner[tk]]
            if len(owners) == 1:
                node = f"{d}\x00{tk}"
                localmap_nodes[(d, tk)] = node
                join(node, owners[0])
            elif not owners:
                unresolved_docs.add(d)
        if unresolved_docs and len(token_owner[tk]) == 1 and len(unresolved_docs) == len(docs):
            join(tk, next(iter(token_owner[tk])))

    # user corrections: merges (in order), remembered preferred names
    preferred: dict[str, str] = {}
    merges: list[tuple[str, str, str]] = []
    for kind, name, arg in corrections:
        if kind == "merge":
            merges.append((kind, name, arg))
        elif kind == "unmerge":
            merges = [m for m in merges if key(arg) not in (key(m[1]), key(m[2]))]
    for kind, name, arg in merges:
        if kind == "merge":
            ka, kb = key(name), key(arg)
            if ka in uf.parent and kb in uf.parent:
                target_name = arg
                uf.union(ka, kb)
                preferred[uf.find(kb)] = target_name
    # build components
    members: dict[str, list[str]] = defaultdict(list)
    for k in texts_by_key:
        members[uf.find(k)].append(k)
    local_members: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for (d, tk), node in localmap_nodes.items():
        local_members[uf.find(node)].append((d, tk))

    # counts per doc: each (doc, surface) goes to the local node if any, else the global key
    per_doc: dict[str, Counter] = defaultdict(Counter)
    text_count: dict[str, Counter] = defaultdict(Counter)
    for doc_id, text, count, _votes, _shape in surfaces:
        k = key(text)
        if not k:
            continue
        node = localmap_nodes.get((doc_id, k))
        root = uf.find(node) if node else uf.find(k)
        per_doc[root][doc_id] += count
        text_count[root][text] += count
    agg = defaultdict(Counter)
    for doc_id, text, count, votes, _shape in surfaces:
        k = key(text)
        node = localmap_nodes.get((doc_id, k))
        root = uf.find(node) if node else uf.find(k)
        agg[root].update({t: w * count for t, w in votes.items()})

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

    out = Resolved()
    roots = [r for r in per_doc if per_doc[r]]
    roots.sort(key=lambda r: -sum(per_doc[r].values()))
    for n, root in enumerate(roots, 1):
        tc = text_count[root]
        v = agg.get(root, Counter())
        etype = retype.get(root) or (max(TYPES, key=lambda t: (v.get(t, 0), -TYPES.index(t))) if v else "ORG")
        name = preferred.get(root) or _canonical(tc, etype)
        if preferred.get(root):
            # the preferred name is how the user wrote it: use the corpus spelling when there is one
            pk = key(preferred[root])
            spelled = [t for t in tc if key(t) == pk]
            name = max(spelled, key=lambda t: tc[t]) if spelled else preferred[root]
        aliases = [t for t, _ in sorted(tc.items(), key=lambda x: (-x[1], x[0])) if t != name]
        docs = sorted(per_doc[root].items(), key=lambda x: (doc_order.get(x[0], 1 << 30), x[0]))
        out.entities.append({
            "id": n, "name": name, "type": etype, "aliases": aliases, "count": sum(per_doc[root].values()),
            "docs": [[d, c] for d, c in docs], "hidden": root in hidden,
        })
        for k in members.get(root, ()):
            out.keymap[k] = n
        for d, tk in local_members.get(root, ()):
            out.localmap[(d, tk)] = n
        out.keymap.setdefault(key(name), n)
    return out


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


def _canonical(tc: Counter, etype: str) -> str:
    """The name to show: a full name over acronyms, Chinese forms and lone surnames; then the
    most frequent; then the longest."""
    texts = list(tc)
    pool = [t for t in texts if not is_acronym(t) and not _CJK.search(t)] or texts
    if etype == "PERSON":
        multi = [t for t in pool if " " in t]
        pool = multi or pool
    return max(pool, key=lambda t: (tc[t], len(t), t))
