"""The `dossier` command: subcommands print with Rich (or JSON); no subcommand opens the browser.

Subcommands of other rooms (entities, bookmarks) live in their own modules, each with a
``register(subparsers)`` that adds parsers whose ``run(args, library, out) -> int`` does the work.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path

from rich.console import Console
from rich.text import Text

from index import DossierError, Library
from index.errors import IndexDamaged

EXTENSIONS = ("tui.cli_entities", "tui.cli_bookmarks")


class _Parser(argparse.ArgumentParser):
    """argparse with errors on one line (no usage block above them), and for ``search`` a query
    that starts with ``-`` (``dossier search -deepseek``: NOT deepseek) instead of an unknown option."""

    query_may_start_with_dash = False

    def error(self, message: str):
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")

    def parse_known_args(self, args=None, namespace=None):
        if self.query_may_start_with_dash and args is not None:
            args = _dash_query_last(list(args))
        return super().parse_known_args(args, namespace)


def _dash_query_last(args: list[str]) -> list[str]:
    """The arguments of ``search`` with a query that starts with one ``-`` moved after ``--``,
    where argparse takes it as the query (``-h`` is still help, a value of ``--limit`` stays)."""
    if "--" in args:
        return args
    dashed = [
        i for i, a in enumerate(args)
        if len(a) > 1 and a[0] == "-" and a[1] != "-" and a != "-h"
        and not (i and len(args[i - 1]) > 2 and "--limit".startswith(args[i - 1]))
    ]
    if not dashed:
        return args
    return [a for i, a in enumerate(args) if i not in dashed] + ["--"] + [args[i] for i in dashed]


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="dossier",
        description="Browse, search and annotate a folder of documents. Without a command: the browser.",
    )
    parser.add_argument("--config", type=Path, help="config file (default: ./config.yaml when present)")
    parser.add_argument("--corpus", type=Path, help="folder of documents (default: from config, else the bundled seeds)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("index", help="build or update the index")
    p.add_argument("--rebuild", action="store_true", help="rebuild the index from scratch")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(run=cmd_index)

    p = sub.add_parser("search", help="search the corpus")
    p.query_may_start_with_dash = True
    p.add_argument("query", help='query: words, AND/OR/NOT (-word), "phrases", prefix*, fuzzy~, field:value')
    p.add_argument("--limit", type=positive, default=None, help="number of hits (default: config search.limit)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=cmd_search)

    p = sub.add_parser("show", help="print one document")
    p.add_argument("id", help="document id (from search or list)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=cmd_show)

    for name in EXTENSIONS:
        importlib.import_module(name).register(sub)
    return parser


def positive(value: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value!r}")
    return number


class PlainOutput(Console):
    """Standard output when it is not a terminal (a pipe, a file): what is printed goes out as its
    characters, one output line per line of text: no wrapping at 80 columns, no trailing spaces,
    no colour codes, tabs kept. A terminal gets Rich's layout instead.
    """

    def __init__(self) -> None:
        super().__init__(highlight=False, markup=False, emoji=False, color_system=None, soft_wrap=True)

    def print(self, *objects, sep: str = " ", end: str = "\n", **kwargs) -> None:
        if not all(isinstance(o, (str, Text)) for o in objects):
            super().print(*objects, sep=sep, end=end, **kwargs)
            return
        text = sep.join(o.plain if isinstance(o, Text) else o for o in objects)
        self.file.write("\n".join(line.rstrip() for line in text.split("\n")) + end)


def _stdout() -> Console:
    """Where subcommands print: Rich on a terminal, plain lines anywhere else. Document text is
    never read as markup either way (it is printed as ``Text``, and markup is off)."""
    if sys.stdout.isatty():
        return Console(highlight=False, markup=False, emoji=False)
    return PlainOutput()


def _stderr() -> Console:
    """Messages on stderr: never wrapped, so each stays one line however narrow the terminal."""
    return Console(stderr=True, highlight=False, soft_wrap=True)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `dossier` command; returns the exit status."""
    args = build_parser().parse_args(argv)
    err = _stderr()
    try:
        library = Library.open(args.config, args.corpus)
        if args.command is None:
            from tui.app import run_app

            return run_app(library)
        try:
            return args.run(args, library, _stdout())
        except IndexDamaged:
            # Damage that only a read could find: the index is marked; rebuild it, try again once.
            _run_update(library, _stdout(), rebuild=False)
            return args.run(args, library, _stdout())
    except DossierError as exc:
        err.print(Text(f"dossier: {exc}", style="red"))
        return 1
    except KeyboardInterrupt:
        err.print("dossier: interrupted")
        return 130
    except BrokenPipeError:
        return 0


def ensure_index(library: Library, out: Console, search: bool = False) -> None:
    """Build or update the index before a command that reads it, reporting only what changed.
    Commands that ``search`` also check the full-text index itself, not only the catalog's record
    of it; the others start without loading the search engine."""
    if library.is_stale(deep=search):
        report = _run_update(library, out, rebuild=False, quiet=True)
        if report.changed or report.rebuilt:
            _stderr().print(Text(f"dossier: {_summary(report)}", style="dim"))


def _run_update(library: Library, out: Console, rebuild: bool, quiet: bool = False):
    err = _stderr()
    if not err.is_terminal:
        report = library.update(rebuild=rebuild)
    else:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(
            TextColumn("indexing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            TextColumn("{task.fields[path]}", markup=False), console=err, transient=True,
        ) as bar:
            task = bar.add_task("index", total=None, path="")

            def progress(p) -> None:
                bar.update(task, completed=p.done, total=p.total or None, path=p.path[-40:])

            report = library.update(progress=progress, rebuild=rebuild)
    for path, reason in report.skipped:
        err.print(Text(f"dossier: skipped {path}: {reason}", style="yellow"))
    for path, what in report.warnings:
        err.print(Text(f"dossier: {path}: {what}", style="yellow"))
    if report.rebuilt:
        err.print(Text(f"dossier: {report.rebuilt}", style="yellow"))
    for notice in report.notices:
        err.print(Text(f"dossier: {notice}", style="yellow"))
    return report


def _summary(report) -> str:
    moved = f", {report.moved} moved" if report.moved else ""
    return (
        f"{report.added} added, {report.updated} updated, {report.removed} removed{moved}, "
        f"{len(report.skipped)} skipped; {report.documents} documents in {report.seconds:.2f} s"
    )


def cmd_index(args, library: Library, out: Console) -> int:
    report = _run_update(library, out, rebuild=args.rebuild)
    if args.json:
        print(json.dumps({
            "added": report.added, "updated": report.updated, "removed": report.removed, "moved": report.moved,
            "unchanged": report.unchanged, "skipped": [{"path": p, "reason": r} for p, r in report.skipped],
            "documents": report.documents, "seconds": round(report.seconds, 3), "rebuilt": report.rebuilt,
        }, ensure_ascii=False))
    else:
        out.print(Text(_summary(report)))
    return 0


def cmd_search(args, library: Library, out: Console) -> int:
    ensure_index(library, out, search=True)
    result = library.search(args.query, limit=args.limit)
    if result.fallback:
        _stderr().print(Text("dossier: query did not parse; searched its words", style="yellow"))
    if args.json:
        print(json.dumps({
            "query": result.query,
            "total": result.total,
            "hits": [
                {
                    "id": h.id, "title": h.title, "source": h.source, "date": h.date,
                    "score": round(h.score, 4), "snippet": h.snippet.marked(),
                    "matches": [list(m) for m in h.matches],
                }
                for h in result.hits
            ],
        }, ensure_ascii=False))
        return 0
    shown = len(result.hits)
    out.print(Text(f"{result.total} documents match {result.query!r}" + (f", top {shown}:" if shown < result.total else ":"), style="bold"))
    for n, hit in enumerate(result.hits, 1):
        line = Text()
        line.append(f"{n:>3}. ", style="dim")
        line.append(_clean(hit.title), style="bold")
        line.append(f"  [{hit.id}]", style="cyan")
        out.print(line)
        meta = " · ".join(x for x in (hit.source, hit.publisher, hit.date or "") if x)
        count = len(hit.matches)
        out.print(Text(f"     {_clean(meta)} · {count} match{'' if count == 1 else 'es'}", style="dim"))
        snippet = Text("     " + _clean(hit.snippet.text))
        for start, end in hit.snippet.marks:
            snippet.stylize("bold reverse", start + 5, end + 5)
        out.print(snippet)
    return 0


def cmd_show(args, library: Library, out: Console) -> int:
    ensure_index(library, out)
    doc = library.document(args.id)
    if args.json:
        print(json.dumps({
            "id": doc.id, "title": doc.title, "source": doc.source, "date": doc.date,
            "authors": list(doc.authors), "url": doc.url, "body": doc.body, "publisher": doc.publisher,
        }, ensure_ascii=False))
        return 0
    out.print(Text(_clean(doc.title), style="bold"))
    for label, value in (("source", doc.source), ("publisher", doc.publisher), ("date", doc.date),
                         ("authors", ", ".join(doc.authors)), ("url", doc.url), ("id", doc.id)):
        if value:
            out.print(Text(f"{label:>9}: {_clean(value)}", style="dim"))
    out.print()
    out.print(Text(_clean(doc.body, keep_newlines=True)))
    return 0


def _clean(text: str, keep_newlines: bool = False) -> str:
    """Document text made safe for a terminal: control characters shown as visible symbols."""
    from index.text import visible

    return visible(text, keep_newlines=keep_newlines)


if __name__ == "__main__":
    sys.exit(main())
