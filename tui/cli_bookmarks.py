"""`dossier bookmarks ...`: list, add, remove, restore, export and import bookmarks from the shell.

Every command re-anchors bookmarks against the current documents before showing them, so the
status (anchored / moved / orphaned) is always the one of the corpus as it is now.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from rich.console import Console
from rich.text import Text

from index import Library, UnknownDocument
from index.bookmarks import Bookmark, BookmarkError, BookmarksUnavailable, BookmarkStore


def register(subparsers) -> None:
    """Add ``bookmarks`` and its subcommands to the ``dossier`` parser."""
    top = subparsers.add_parser("bookmarks", help="list, add, remove, export and import bookmarks")
    sub = top.add_subparsers(dest="bookmarks_command", metavar="ACTION", required=True)

    p = sub.add_parser("list", help="list bookmarks, newest first")
    p.add_argument("--tag", help="only bookmarks with this tag (any case)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=cmd_list)

    p = sub.add_parser("add", help="bookmark a passage of a document")
    p.add_argument("id", help="document id (from search)")
    p.add_argument("--quote", required=True, help="the passage, as it occurs in the document")
    p.add_argument("--note", default="", help="a note to keep with it")
    p.add_argument("--tag", action="append", default=[], help="a tag (repeat, or comma-separated)")
    p.add_argument("--json", action="store_true", help="print the new bookmark as JSON")
    p.set_defaults(run=cmd_add)

    p = sub.add_parser("rm", help="delete a bookmark (undo with `dossier bookmarks restore`)")
    p.add_argument("bid", help="bookmark id (or its first characters)")
    p.set_defaults(run=cmd_rm)

    p = sub.add_parser("restore", help="bring back a deleted bookmark")
    p.add_argument("bid", help="bookmark id (or its first characters)")
    p.set_defaults(run=cmd_restore)

    p = sub.add_parser("export", help="export bookmarks as Markdown or W3C Web Annotation JSON")
    p.add_argument("--format", choices=("md", "json"), default="md", help="output format (default: md)")
    p.add_argument("-o", "--output", type=Path, help="write to this file (default: standard output)")
    p.set_defaults(run=cmd_export)

    p = sub.add_parser("import", help="import bookmarks from a JSON export (re-importing adds no duplicates)")
    p.add_argument("file", type=Path, help="a file written by `dossier bookmarks export --format json`")
    p.set_defaults(run=cmd_import)


def open_store(library: Library) -> BookmarkStore:
    """The library's bookmark store."""
    return library.bookmarks


def refreshed(library: Library, store: BookmarkStore) -> list[Bookmark]:
    """Every bookmark, placed in the current text of its document."""
    from tui.cli import ensure_index

    if not store.count():
        return []
    ensure_index(library, Console(stderr=True, highlight=False))

    def lookup(doc_id: str):
        try:
            return library.document(doc_id)
        except UnknownDocument:
            return None

    return store.refresh(lookup)


def _warn_read_only(store: BookmarkStore) -> int:
    """After a reading command: report a read-only store as one line and say so in the exit status."""
    if store.error:
        Console(stderr=True, highlight=False).print(Text(f"dossier: {store.error}", style="red"), soft_wrap=True)
        return 1
    return 0


def cmd_list(args, library: Library, out: Console) -> int:
    store = open_store(library)
    marks = refreshed(library, store)
    if args.tag:
        want = args.tag.strip().lstrip("#").casefold()
        marks = [m for m in marks if any(t.casefold() == want for t in m.tags)]
    if args.json:
        print(json.dumps([m.as_json() for m in marks], ensure_ascii=False))
        return _warn_read_only(store)
    from index.text import visible

    if not marks:
        out.print(Text("no bookmarks" + (f" tagged {args.tag!r}" if args.tag else ""), style="dim"))
    for mark in marks:
        head = Text()
        head.append(mark.id, style="cyan")
        head.append("  ")
        head.append(visible(mark.title or mark.source), style="bold")
        head.append(f"  [{mark.doc_id}]", style="dim")
        if mark.status != "anchored":
            head.append(f"  {mark.status}", style="yellow" if mark.status == "moved" else "red")
        out.print(head)
        quote = " ".join(mark.quote.split())
        out.print(Text("    > " + visible(quote if len(quote) <= 200 else quote[:197] + "...")))
        extra = " · ".join(x for x in (mark.note and " ".join(mark.note.split()),
                                       " ".join(f"#{t}" for t in mark.tags), mark.created[:16].replace("T", " ")) if x)
        out.print(Text("    " + visible(extra), style="dim"))
    return _warn_read_only(store)


def cmd_add(args, library: Library, out: Console) -> int:
    from tui.cli import ensure_index

    store = open_store(library)
    if store.error:
        raise BookmarksUnavailable(store.error)
    ensure_index(library, out)
    doc = library.document(args.id)
    mark = store.add_quote(doc, args.quote, note=args.note, tags=args.tag)
    if args.json:
        print(json.dumps(mark.as_json(), ensure_ascii=False))
    else:
        out.print(Text(f"bookmarked {mark.id}: characters {mark.start}-{mark.end} of {doc.id}"), soft_wrap=True)
    return 0


def cmd_rm(args, library: Library, out: Console) -> int:
    store = open_store(library)
    if store.error:
        raise BookmarksUnavailable(store.error)
    mark = store.delete(args.bid)
    out.print(Text(f"deleted {mark.id} (undo: dossier bookmarks restore {mark.id})"), soft_wrap=True)
    return 0


def cmd_restore(args, library: Library, out: Console) -> int:
    store = open_store(library)
    if store.error:
        raise BookmarksUnavailable(store.error)
    mark = store.restore(args.bid)
    out.print(Text(f"restored {mark.id}"))
    return 0


def cmd_export(args, library: Library, out: Console) -> int:
    from index.annotations import export_json, export_markdown

    store = open_store(library)
    marks = refreshed(library, store)
    if args.format == "json":
        text = export_json(marks)
    else:
        dates = {d.id: d.date for d in library.browse()} if marks else {}
        from index.paths import SEEDS

        text = export_markdown(marks, dates, corpus=None if library.corpus == SEEDS else library.corpus)
    if args.output:
        try:
            args.output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise BookmarkError(f"{args.output}: cannot write ({exc.strerror or exc})") from None
        Console(stderr=True, highlight=False).print(
            Text(f"dossier: {len(marks)} bookmarks written to {args.output}", style="dim"), soft_wrap=True)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    return _warn_read_only(store)


def cmd_import(args, library: Library, out: Console) -> int:
    from index.annotations import Documents, import_file
    from tui.cli import ensure_index

    store = open_store(library)
    if store.error:
        raise BookmarksUnavailable(store.error)
    ensure_index(library, out)
    documents = Documents(library.store.document, library.store.iter_documents, library.corpus)
    report = import_file(store, args.file, documents)
    err = Console(stderr=True, highlight=False)
    for reason in report.skipped:
        err.print(Text(f"dossier: {args.file}: skipped {reason}", style="yellow"), soft_wrap=True)
    parts = [f"{report.added} added", f"{report.present} already present"]
    if report.restored:
        parts.insert(1, f"{report.restored} restored")
    if report.skipped:
        parts.append(f"{len(report.skipped)} skipped")
    out.print(Text(f"imported {args.file}: " + ", ".join(parts)), soft_wrap=True)
    return 0
