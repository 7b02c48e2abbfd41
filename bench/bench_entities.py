"""Entity extraction overhead and `dossier entities` latency on a generated corpus.

    /work/venv/bin/python bench/bench_entities.py 1000
    /work/venv/bin/python bench/bench_entities.py 10000

Phases, each in its own child process (bench/common.py):
1. ``index``: a full index build with the entity engine switched off (Whoosh and the document store);
2. ``entities``: the entity engine's full sync over the same documents (extraction of every document,
   in a process per core as a full build does, SQLite writes, cross-document resolution), and a
   resolution alone (what every later sync costs);
3. ``query``: ``EntityIndex.entities()`` in-process, the doc-scoped and mention queries, and the whole
   ``dossier entities --json`` command as a user runs it (process start included).
The issue's budget: extraction adds at most half again to full index time; `dossier entities`
answers in under 300 ms at 10,000 documents.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from common import (  # noqa: E402 - bench scripts import their neighbour
    HERE,
    PYTHON,
    library_for,
    machine,
    phase_result,
    run_phase,
    save,
    summary_ms,
    table,
    timed_process,
    write_config_yaml,
)

SCRIPT = Path(__file__).resolve()


def _cpu() -> float:
    """CPU seconds of this process and its finished children (load on the machine aside)."""
    import resource

    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def phase_index(args: dict) -> None:
    library = library_for(Path(args["corpus"]), Path(args["work"]))
    start, cpu = time.perf_counter(), _cpu()
    report = library.store.update(library.corpus, None, True, None, None)
    phase_result({"seconds": time.perf_counter() - start, "cpu": _cpu() - cpu, "documents": report.documents})


def phase_entities(args: dict) -> None:
    from index.entities import EntityIndex

    library = library_for(Path(args["corpus"]), Path(args["work"]))
    docs = list(library.store.iter_documents())
    engine = EntityIndex(library.index_path, library.data_path, {})
    engine.clear()
    start, cpu = time.perf_counter(), _cpu()
    engine.sync(docs, [])
    full = time.perf_counter() - start
    cpu = _cpu() - cpu
    start = time.perf_counter()
    engine._resolve()
    resolve = time.perf_counter() - start
    chars = sum(len(d.body) for d in docs)
    phase_result({"seconds": full, "cpu": cpu, "resolve_seconds": resolve, "documents": len(docs), "chars": chars,
                  "entities": len(engine.entities())})


def phase_query(args: dict) -> None:
    from index.entities import EntityIndex

    library = library_for(Path(args["corpus"]), Path(args["work"]))
    engine = EntityIndex(library.index_path, library.data_path, {})
    listing, scoped, mentions = [], [], []
    top = None
    ids = [d.id for d in library.browse()[:50]]
    for _ in range(5):
        start = time.perf_counter()
        everything = engine.entities()
        listing.append((time.perf_counter() - start) * 1000)
        top = everything[0].name if everything else None
    for doc_id in ids:
        start = time.perf_counter()
        engine.entities(doc_id=doc_id)
        engine.mentions_in(doc_id)
        scoped.append((time.perf_counter() - start) * 1000)
    if top:
        for _ in range(3):
            start = time.perf_counter()
            engine.mentions(top)
            mentions.append((time.perf_counter() - start) * 1000)
    phase_result({"entities_all": summary_ms(listing), "doc_scope": summary_ms(scoped),
                  "mentions_top": summary_ms(mentions), "top": top})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=1000)
    parser.add_argument("--work", type=Path, default=None, help="work folder (default bench/out/entities-N)")
    parser.add_argument("--phase")
    parser.add_argument("--args")
    args = parser.parse_args()
    if args.phase:
        {"index": phase_index, "entities": phase_entities, "query": phase_query}[args.phase](json.loads(args.args))
        return 0
    sys.path.insert(0, str(HERE))
    import gen_corpus

    corpus = gen_corpus.ensure(HERE / f"corpus-{args.n}", args.n)
    work = (args.work or HERE / "out" / f"entities-{args.n}").resolve()
    work.mkdir(parents=True, exist_ok=True)
    shared = {"corpus": str(corpus), "work": str(work)}
    index = run_phase(SCRIPT, "index", shared, timeout=3600)
    ents = run_phase(SCRIPT, "entities", shared, timeout=3600)
    query = run_phase(SCRIPT, "query", shared)
    config = write_config_yaml(corpus, work)
    cli = timed_process([PYTHON, "-m", "tui.cli", "--config", str(config), "entities", "--json"], runs=5)
    table_cli = timed_process([PYTHON, "-m", "tui.cli", "--config", str(config), "entities"], runs=5)
    bare = timed_process([PYTHON, "-c", "import index, tui.cli"], runs=5)
    overhead = ents["seconds"] / index["seconds"]
    rows = [
        ["documents", str(index["documents"])],
        ["full index, entities off (wall / CPU)", f"{index['seconds']:.1f} s / {index['cpu']:.1f} s"],
        ["entity sync: extract + store + resolve (wall / CPU)", f"{ents['seconds']:.1f} s / {ents['cpu']:.1f} s  ({ents['chars'] / ents['seconds'] / 1e6:.2f} M chars/s)"],
        ["overhead on full index time (wall)", f"+{overhead * 100:.0f}%  (budget +50%)"],
        ["overhead in CPU time (all processes)", f"+{ents['cpu'] / index['cpu'] * 100:.0f}%"],
        ["resolution alone (every later sync)", f"{ents['resolve_seconds'] * 1000:.0f} ms"],
        ["entities in corpus", str(ents["entities"])],
        ["EntityIndex.entities() median", f"{query['entities_all']['median_ms']:.0f} ms"],
        ["doc-scoped entities + mentions_in median / p95", f"{query['doc_scope']['median_ms']:.1f} / {query['doc_scope']['p95_ms']:.1f} ms"],
        [f"mentions({query['top']!r}) median", f"{query['mentions_top']['median_ms']:.0f} ms"],
        ["`dossier entities` (table, 50 most mentioned; whole process) median", f"{table_cli['median_ms']:.0f} ms  (budget 300 ms)"],
        ["`dossier entities --json` (every entity and document; whole process) median", f"{cli['median_ms']:.0f} ms"],
        ["of which: python start + `import index, tui.cli`", f"{bare['median_ms']:.0f} ms"],
    ]
    print(table([["measure", "value"], *rows]))
    save(f"entities-{args.n}", {"machine": machine(), "index": index, "entities": ents, "query": query, "cli": cli,
                                 "cli_table": table_cli, "bare_import": bare,
                                 "overhead": overhead})
    return 0


if __name__ == "__main__":
    sys.exit(main())
