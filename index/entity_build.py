"""From a ``Partition`` (which keys make one entity) to the rows of the entity table, for the
whole corpus or, after a small change, for the few entities the change touched.

An entity row (name, type, aliases, mention count, documents) depends only on its group's
members (keys, and the doc-local uses of a key routed to it), on the surface rows and type votes
of those members, and on which of its keys are doc-local or misspelt anywhere. ``plan`` finds
the groups of the new partition for which all of that is as it was: they keep their stored row
and id. Every other group is rebuilt from its surface rows, so an incremental resolution gives
the same table as a full one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .entity_resolve import Partition, _canonical, best, key


@dataclass
class Plan:
    """What an incremental resolution keeps and what it rebuilds."""

    kept: dict[str, int] = field(default_factory=dict)
    """root -> id of the stored entity row it keeps."""
    rebuild: set[str] = field(default_factory=set)
    """Roots whose rows are built again from their surface rows."""
    members: dict[str, list[str]] = field(default_factory=dict)
    local: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


def groups(part: Partition) -> tuple[dict[str, list[str]], dict[str, list[tuple[str, str]]]]:
    """Member keys and doc-local nodes of every group, by root."""
    members: dict[str, list[str]] = defaultdict(list)
    for k, r in part.root_of_key.items():
        members[r].append(k)
    local: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for dk, r in part.local_root.items():
        local[r].append(dk)
    return members, local


def dirty_keys(part: Partition, touched: set[str], old_local: dict[tuple[str, str], int],
               old_misspelt: set[str], corrections) -> set[str]:
    """Keys whose groups must be rebuilt: those of the changed documents' surfaces, of every
    correction, those that became or stopped being misspelt, and those whose doc-local uses changed."""
    dirty = set(touched)
    for _kind, name, arg in corrections:
        dirty.add(key(name))
        if arg:
            dirty.add(key(arg))
    dirty |= old_misspelt ^ part.misspelt
    new_docs: dict[str, set[str]] = defaultdict(set)
    for d, k in part.local_root:
        new_docs[k].add(d)
    old_docs: dict[str, set[str]] = defaultdict(set)
    for d, k in old_local:
        old_docs[k].add(d)
    for k in set(new_docs) | set(old_docs):
        if new_docs.get(k) != old_docs.get(k):
            dirty.add(k)
    return dirty


def plan(part: Partition, dirty: set[str], old_member: dict[str, int], old_idle: set[str],
         old_local: dict[tuple[str, str], int], members, local) -> Plan:
    """Keep the stored row of every group whose members, doc-local nodes and surface rows are
    unchanged; rebuild the others. ``old_member``: key -> id of the entity it belonged to;
    ``old_idle``: keys of groups that had no mention of their own (every use doc-local);
    ``members``, ``local``: the groups of ``part`` (``groups``)."""
    old_size: dict[int, int] = defaultdict(int)  # members and doc-local nodes of each stored entity
    for i in old_member.values():
        old_size[i] += 1
    for i in old_local.values():
        old_size[i] += 1
    out = Plan(members=members, local=local)
    rebuild = out.rebuild
    rebuild.update(part.root_of_key[k] for k in dirty if k in part.root_of_key)
    rebuild.update(r for (_d, k), r in part.local_root.items() if k in dirty)
    for root in set(members) | set(local):
        if root in rebuild:
            continue
        mem = members.get(root, ())
        loc = local.get(root, ())
        if not loc and all(k in old_idle for k in mem):
            continue  # still no mention of its own: no row
        ids = {old_member.get(k) for k in mem}
        if loc:
            ids.update(old_local.get(dk) for dk in loc)
        if len(ids) == 1 and None not in ids:
            i = next(iter(ids))
            if old_size[i] == len(mem) + len(loc):  # (every one of them was in i: the same group)
                out.kept[root] = i
                continue
        rebuild.add(root)
    return out


def texts_of(part: Partition, roots: set[str], members, local) -> set[str]:
    """The surface texts whose rows the groups of ``roots`` are built from."""
    keys: set[str] = set()
    for r in roots:
        keys.update(members.get(r, ()))
        keys.update(k for _d, k in local.get(r, ()))
    out: set[str] = set()
    for k in keys:
        out.update(part.texts_by_key.get(k, ()))
    return out


def build(part: Partition, rows, doc_order: dict[str, int], only: set[str] | None = None) -> dict[str, dict]:
    """Entity rows (without id) by root, from surface rows (doc_id, text, count) in any order: each
    (document, surface) counts for its doc-local group if it has one, else for its key's group."""
    local_keys = part.local_keys
    local_root = part.local_root
    root_of_key = part.root_of_key
    text_key = part.text_key
    docs_of: dict[str, dict[str, int]] = defaultdict(dict)
    text_count: dict[str, dict[str, int]] = defaultdict(dict)
    for doc_id, text, count in rows:
        k = text_key.get(text)
        if k is None:
            k = key(text)
        root = local_root.get((doc_id, k)) if k in local_keys else None
        if root is None:
            root = root_of_key.get(k)
            if root is None:
                continue
        if only is not None and root not in only:
            continue
        dc = docs_of[root]
        dc[doc_id] = dc.get(doc_id, 0) + count
        tc = text_count[root]
        tc[text] = tc.get(text, 0) + count
    avoid = local_keys | part.misspelt if part.misspelt else local_keys
    out: dict[str, dict] = {}
    for root, dc in docs_of.items():
        tc = text_count[root]
        etype = part.retype.get(root) or best(part.agg.get(root))
        name = _canonical(tc, etype, avoid)
        if part.preferred.get(root):
            pk = key(part.preferred[root])
            spelled = [t for t in tc if key(t) == pk]
            name = max(spelled, key=lambda t: tc[t]) if spelled else part.preferred[root]
        aliases = [t for t, _ in sorted(tc.items(), key=lambda x: (-x[1], x[0])) if t != name] if len(tc) > 1 else []
        order = sorted(dc, key=doc_order.__getitem__) if len(dc) > 1 else list(dc)
        out[root] = {"name": name, "type": etype, "aliases": aliases, "count": sum(dc.values()),
                     "docs": [[d, dc[d]] for d in order], "hidden": root in part.hidden}
    return out


def rank(e: dict) -> tuple:
    """Order of the entity table: most mentioned first, then by name (ties: by type, aliases)."""
    return (-e["count"], e["name"], e["type"], tuple(e["aliases"]))


def keymap(entities: dict[int, dict], member_ids: dict[str, int]) -> dict[str, int]:
    """Every member key to its entity, plus each entity's own name's key when no entity has that
    key as a member (the most mentioned entity wins)."""
    out = dict(member_ids)
    for i, e in sorted(entities.items(), key=lambda x: rank(x[1])):
        out.setdefault(key(e["name"]), i)
    return out


def resolve_into(db, corrections, touched: set[str] | None = None, extra_keys: set[str] = frozenset()) -> None:
    """Resolve the stored surfaces into the stored entity table (``db``: an ``IndexDb``). With
    ``touched`` (the surface texts of the documents added, changed or removed since the last
    resolution) only the groups that changed are rebuilt; without it, all of them.
    ``extra_keys``: keys to rebuild as well (those of a correction just undone)."""
    from .entity_resolve import partition

    rows = db.surface_rows()
    part = partition(db.surface_totals(), db.all_links(), rows, corrections)
    members, local = groups(part)
    doc_order = db.doc_order()
    drop: set[int] | None = None
    if touched is None:
        built = build(part, rows, doc_order)
        ordered = sorted(built.items(), key=lambda x: rank(x[1]))
        entities = {n: e for n, (_root, e) in enumerate(ordered, 1)}
        id_of = {root: n for n, (root, _e) in enumerate(ordered, 1)}
        member_ids = {k: id_of[r] for r, ks in members.items() if r in id_of for k in ks}
        named = entities
    else:
        old_member, old_local, old_misspelt, old_idle, old_extras = db.resolved_state()
        keys = {part.text_key.get(t) or key(t) for t in touched} | set(extra_keys)
        dirty = dirty_keys(part, keys, old_local, old_misspelt, corrections)
        todo = plan(part, dirty, old_member, old_idle, old_local, members, local)
        built = build(part, db.surface_rows(texts_of(part, todo.rebuild, members, local)), doc_order, todo.rebuild)
        drop = db.entity_ids() - set(todo.kept.values())
        next_id = max(drop | set(todo.kept.values()), default=0) + 1
        id_of = dict(todo.kept)
        entities = {}
        for root, e in sorted(built.items(), key=lambda x: rank(x[1])):
            id_of[root] = next_id
            entities[next_id] = e
            next_id += 1
        member_ids = {k: id_of[r] for r, ks in members.items() if r in id_of for k in ks}
        # the names that may claim a key of their own: new rows, and keys that were claimed or were members
        claims = {key(e["name"]) for e in entities.values()} | old_extras | (set(old_member) - set(member_ids))
        claims -= set(member_ids)
        named = {i: e for i, e in db.entities_named(claims).items() if i not in drop}
        named.update(entities)
    for e in entities.values():
        e["key"] = key(e["name"])
    localmap = {dk: id_of[r] for r, dks in local.items() if r in id_of for dk in dks}
    idle = {k for r, ks in members.items() if r not in id_of for k in ks}
    db.write_resolved(entities, keymap(named, member_ids), set(member_ids), localmap, part.misspelt, idle, drop)
