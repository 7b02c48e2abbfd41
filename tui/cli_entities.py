"""`dossier entities` and `dossier mentions`: the entity engine from the command line.

    dossier entities [--type T] [--doc ID] [--json]
    dossier entities merge A B | unmerge NAME ALIAS | retype NAME TYPE | hide NAME | unhide NAME
    dossier entities undo | corrections [--json]
    dossier mentions NAME [--json]
"""

from __future__ import annotations

import argparse
import json

from rich.console import Console
from rich.text import Text

from index import DossierError, Library

from .cli import positive

TYPES = ("PERSON", "ORG", "PLACE", "PRODUCT", "EVENT")
TABLE_LIMIT = 50
_ACTIONS = ("merge", "unmerge", "retype", "hide", "unhide", "undo", "corrections")


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "entities",
        help="list entities, or correct them (merge, unmerge, retype, hide, unhide, undo, corrections)",
        description="List the entities of the corpus, or correct them:\n"
                    "  entities merge A B         A becomes an alias of B\n"
                    "  entities unmerge NAME ALIAS  split ALIAS off NAME\n"
                    "  entities retype NAME TYPE  PERSON, ORG, PLACE, PRODUCT or EVENT\n"
                    "  entities hide NAME | unhide NAME\n"
                    "  entities undo              undo the last correction\n"
                    "  entities corrections       list the corrections in force",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("action", nargs="*", metavar="ACTION", help="a correction and its arguments (see above)")
    p.add_argument("--type", type=_type, help="only entities of this type")
    p.add_argument("--doc", metavar="ID", help="only entities mentioned in this document")
    p.add_argument("--limit", type=positive, default=None,
                   help=f"at most this many, most mentioned first (default: {TABLE_LIMIT} in the table, all in JSON)")
    p.add_argument("--all", action="store_true", help="list every entity in the table")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=cmd_entities)

    p = subparsers.add_parser("mentions", help="every mention of an entity, by any alias, in reading order")
    p.add_argument("name", help="entity name or alias")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=cmd_mentions)


def _type(value: str) -> str:
    t = value.upper()
    if t not in TYPES:
        raise argparse.ArgumentTypeError(f"unknown type {value!r} (one of {', '.join(TYPES)})")
    return t


def _engine(library: Library):
    engine = library.entities
    if engine is None:
        raise DossierError("the entity engine is not available")
    return engine


def cmd_entities(args, library: Library, out: Console) -> int:
    from tui.cli import ensure_index

    if args.action:
        return _correction(args, library, out)
    ensure_index(library, out)
    engine = _engine(library)
    if args.doc:
        library.document(args.doc)  # a one-line error for an unknown id
    limit = args.limit if args.limit or args.json or args.all else TABLE_LIMIT
    entities = engine.entities(type=args.type, doc_id=args.doc, limit=None if args.all else limit,
                               documents=bool(args.json or args.doc))
    if args.json:
        info = engine.documents_info()
        print(json.dumps([
            {
                "name": e.name, "type": e.type, "aliases": list(e.aliases), "mentions": e.count,
                "documents": [
                    {"id": d, "path": info.get(d, ("", ""))[0], "title": info.get(d, ("", ""))[1], "count": c}
                    for d, c in e.documents
                ],
            }
            for e in entities
        ], ensure_ascii=False))
        return 0
    if not entities:
        out.print(Text("no entities" + (f" of type {args.type}" if args.type else ""), style="dim"))
        return 0
    from index.text import visible

    width = min(40, max(len(e.name) for e in entities))
    for e in entities:
        line = Text()
        line.append(f"{visible(e.name):<{width}}", style="bold")
        line.append(f"  {e.type:<7}", style="cyan")
        line.append(f" {e.count:>5} mention{'s' if e.count != 1 else ' '} in {e.doc_count} doc{'s' if e.doc_count != 1 else ''}", style="dim")
        if e.aliases:
            line.append("  aka " + ", ".join(visible(a) for a in e.aliases[:6]) + (" …" if len(e.aliases) > 6 else ""))
        out.print(line, overflow="fold")
    if limit is not None and len(entities) == limit and not args.doc and not args.all:
        total = len(engine.entities(type=args.type, documents=False)) if args.type else engine.count()
        if total > limit:
            out.print(Text(f"… the {limit} most mentioned of {total} (--limit N or --all for more)", style="dim"))
    return 0


def _correction(args, library: Library, out: Console) -> int:
    action, *rest = args.action
    need = {"merge": 2, "unmerge": 2, "retype": 2, "hide": 1, "unhide": 1, "undo": 0, "corrections": 0}
    usage = {"merge": "merge A B", "unmerge": "unmerge NAME ALIAS", "retype": "retype NAME TYPE",
             "hide": "hide NAME", "unhide": "unhide NAME", "undo": "undo", "corrections": "corrections"}
    if action not in need:
        raise DossierError(f"unknown entities action {action!r} (one of {', '.join(_ACTIONS)})")
    if len(rest) != need[action]:
        raise DossierError(f"usage: dossier entities {usage[action]}")
    engine = _engine(library)
    if action == "corrections":
        items = engine.corrections()
        if args.json:
            print(json.dumps([{"id": c.id, "kind": c.kind, "name": c.name, "arg": c.arg, "made": round(c.made, 3)}
                              for c in items], ensure_ascii=False))
        elif not items:
            out.print(Text("no corrections", style="dim"))
        else:
            for c in items:
                out.print(Text(f"{c.id:>4}. {c.describe()}"))
        return 0
    if action == "undo":
        done = engine.undo()
        out.print(Text(f"undid: {done}" if done else "nothing to undo"))
        return 0
    from tui.cli import ensure_index

    ensure_index(library, out)
    if action == "merge":
        c = engine.merge(rest[0], rest[1])
    elif action == "unmerge":
        c = engine.unmerge(rest[0], rest[1])
    elif action == "retype":
        c = engine.retype(rest[0], rest[1])
    elif action == "hide":
        c = engine.hide(rest[0])
    else:
        c = engine.unhide(rest[0])
    if args.json:
        print(json.dumps({"id": c.id, "kind": c.kind, "name": c.name, "arg": c.arg}, ensure_ascii=False))
    else:
        out.print(Text(f"done: {c.describe()} (undo with `dossier entities undo`)"))
    return 0


def cmd_mentions(args, library: Library, out: Console) -> int:
    from tui.cli import ensure_index
    from index.text import visible

    ensure_index(library, out)
    engine = _engine(library)
    entity = engine.entity(args.name)
    if entity is None:
        raise DossierError(f"no entity named {args.name!r} (see `dossier entities`)")
    mentions = engine.mentions(args.name)
    info = engine.documents_info()
    bodies: dict[str, str] = {}
    rows = []
    for m in mentions:
        if m.doc_id not in bodies:
            bodies[m.doc_id] = library.document(m.doc_id).body
        body = bodies[m.doc_id]
        start = max(body.rfind("\n", 0, m.start) + 1, m.start - 60)
        end = body.find("\n", m.end)
        end = min(len(body) if end < 0 else end, m.end + 60)
        rows.append((m, body[start:end], m.start - start, m.end - start))
    if args.json:
        print(json.dumps({
            "name": entity.name, "type": entity.type, "aliases": list(entity.aliases),
            "mentions": [
                {"id": m.doc_id, "path": info.get(m.doc_id, ("", ""))[0], "title": info.get(m.doc_id, ("", ""))[1],
                 "start": m.start, "end": m.end, "text": m.text,
                 "context": ctx[:a] + "**" + ctx[a:b] + "**" + ctx[b:]}
                for m, ctx, a, b in rows
            ],
        }, ensure_ascii=False))
        return 0
    out.print(Text(f"{entity.name} ({entity.type}): {len(rows)} mentions", style="bold"))
    last_doc = None
    for m, ctx, a, b in rows:
        if m.doc_id != last_doc:
            source, title = info.get(m.doc_id, ("", ""))
            out.print(Text(f"{visible(title)}  [{m.doc_id}] {visible(source)}", style="cyan"))
            last_doc = m.doc_id
        line = Text(f"  {m.start:>6}-{m.end:<6} ", style="dim")
        offset = len(line.plain)
        line.append(visible(ctx))
        line.stylize("bold reverse", offset + a, offset + b)
        out.print(line, overflow="fold")
    return 0
