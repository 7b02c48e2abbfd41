"""Index and search benchmark on generated corpora (see README.md in this folder).

For each size N: full index time, re-index time after one changed file, index size on disk, query
latency (median, p95) over ~200 mixed queries through ``Library.search(q, limit=20)`` (hits with
snippets and match spans), the time of a whole ``dossier search`` process, and the peak memory of
the indexing and the querying processes. Each phase runs in its own child process.

    /work/venv/bin/python bench/bench_index.py                  # N = 1,000 and 10,000
    /work/venv/bin/python bench/bench_index.py --sizes 1000 --keep

Results: a table on stdout, JSON in bench/out/index-<time>.json (and index-latest.json).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    HERE, PYTHON, dir_size, library_for, machine, mixed_queries, phase_result, run_phase,
    save, summary_ms, table, timed_process, write_config_yaml,
)

SCRIPT = Path(__file__).resolve()
TARGETS = {"query_p95_ms": 50, "reindex_s": 2, "full_index_s": 60}
"""The targets at N = 10,000 (issue 2)."""


# -- phases (each in a child process) ----------------------------------------------------------

def phase_index(args: dict) -> dict:
    lib = library_for(Path(args["corpus"]), Path(args["work"]))
    entity_seconds = _time_entities(lib)
    start = time.perf_counter()
    report = lib.update(rebuild=True)
    seconds = time.perf_counter() - start
    return {"seconds": round(seconds, 2), "documents": report.documents, "skipped": len(report.skipped),
            "entities_s": round(entity_seconds[0], 2)}


def phase_reindex(args: dict) -> dict:
    """Change one file (append a paragraph), update, restore; three different files."""
    corpus = Path(args["corpus"])
    lib = library_for(corpus, Path(args["work"]))
    files = sorted(p for p in corpus.rglob("doc-*.txt"))
    picks = [files[len(files) * k // 3 + 1] for k in range(3)]
    entity_seconds = _time_entities(lib)
    runs, entity_runs, checks, reports = [], [], [], []
    for path in picks:
        original = path.read_bytes()
        try:
            path.write_bytes(original + "\nA late correction: the figures above were revised.\n".encode())
            entity_seconds[0] = 0.0
            start = time.perf_counter()
            report = lib.update()
            runs.append(time.perf_counter() - start)
            entity_runs.append(entity_seconds[0])
            reports.append({"added": report.added, "updated": report.updated, "removed": report.removed})
        finally:
            path.write_bytes(original)
        lib.update()  # back to the original text, so the next run starts from a current index
        start = time.perf_counter()
        stale = lib.is_stale()
        checks.append(time.perf_counter() - start)
        assert not stale, "index should be current"
    return {"seconds": round(statistics.median(runs), 3), "runs_s": [round(r, 3) for r in runs],
            "reports": reports, "stale_check_ms": round(statistics.median(checks) * 1000, 1),
            "entities_s": round(statistics.median(entity_runs), 3)}


def phase_query(args: dict) -> dict:
    lib = library_for(Path(args["corpus"]), Path(args["work"]))
    queries = mixed_queries(args.get("queries", 200))
    start = time.perf_counter()
    lib.search("deepseek", limit=20)  # opens the searcher
    first_ms = (time.perf_counter() - start) * 1000
    passes = []
    detail = []
    for n in range(2):
        times, by_kind = [], {}
        for kind, q in queries:
            start = time.perf_counter()
            result = lib.search(q, limit=20)
            ms = (time.perf_counter() - start) * 1000
            times.append(ms)
            by_kind.setdefault(kind, []).append(ms)
            if n == 0:
                detail.append({"kind": kind, "query": q, "ms": round(ms, 2), "total": result.total,
                               "hits": len(result.hits), "spans": sum(len(h.matches) for h in result.hits),
                               "hits_without_spans": sum(1 for h in result.hits if not h.matches)})
        passes.append({"all": summary_ms(times), "by_kind": {k: summary_ms(v) for k, v in by_kind.items()}})
    slowest = sorted(detail, key=lambda d: -d["ms"])[:8]
    return {"first_query_ms": round(first_ms, 1), "first_pass": passes[0], "second_pass": passes[1],
            "with_hits": sum(1 for d in detail if d["hits"]), "slowest": slowest, "queries": detail}


def _time_entities(lib) -> list[float]:
    """Wrap the Library's entity sync so its share of an update can be reported separately."""
    spent = [0.0]
    inner = lib._sync_entities

    def timed(*a, **kw):
        start = time.perf_counter()
        try:
            return inner(*a, **kw)
        finally:
            spent[0] += time.perf_counter() - start

    lib._sync_entities = timed
    return spent


PHASES = {"index": phase_index, "reindex": phase_reindex, "query": phase_query}


# -- driver ------------------------------------------------------------------------------------

def bench_size(n: int, seed: int, keep: bool) -> dict:
    import gen_corpus

    corpus = HERE / f"corpus-{n}"
    start = time.perf_counter()
    gen_corpus.ensure(corpus, n, seed)
    print(f"[{n}] corpus ready in {time.perf_counter() - start:.1f} s: {corpus}", flush=True)
    work = Path(tempfile.mkdtemp(prefix=f"dossier-bench-{n}-"))
    args = {"corpus": str(corpus), "work": str(work)}
    try:
        out: dict = {"n": n, "seed": seed}
        out["index"] = run_phase(SCRIPT, "index", args)
        print(f"[{n}] full index {out['index']['seconds']} s", flush=True)
        index_path = library_for(corpus, work).index_path
        out["index_mb"] = round(dir_size(index_path) / 1e6, 1)
        out["whoosh_mb"] = round(sum(dir_size(p) for p in index_path.glob("whoosh-*")) / 1e6, 1)
        out["reindex"] = run_phase(SCRIPT, "reindex", args)
        print(f"[{n}] re-index one file {out['reindex']['seconds']} s", flush=True)
        out["query"] = run_phase(SCRIPT, "query", args)
        q = out["query"]["first_pass"]["all"]
        print(f"[{n}] query median {q['median_ms']} ms, p95 {q['p95_ms']} ms", flush=True)
        config = write_config_yaml(corpus, work)
        dossier = str(Path(PYTHON).parent / "dossier")
        out["cli_search"] = timed_process([dossier, "--config", str(config), "search", "deepseek founder",
                                           "--limit", "20"])
        out["cli_search_json"] = timed_process([dossier, "--config", str(config), "search", '"open source"',
                                                "--limit", "20", "--json"])
        out["python_startup"] = timed_process([PYTHON, "-c", "import index"])
        print(f"[{n}] dossier search {out['cli_search']['median_ms']} ms", flush=True)
        return out
    finally:
        if keep:
            print(f"[{n}] kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def render(results: list[dict]) -> str:
    head = ["", *(f"N = {r['n']:,}" for r in results)]
    rows = [head]

    def row(label, fn):
        rows.append([label, *(fn(r) for r in results)])

    row("full index", lambda r: f"{r['index']['seconds']:.1f} s")
    row("  of which entity sync", lambda r: f"{r['index']['entities_s']:.1f} s")
    row("  CPU: main process + workers", lambda r: f"{r['index']['cpu_s']:.0f} + {r['index']['children_cpu_s']:.0f} s")
    row("re-index, one file changed", lambda r: f"{r['reindex']['seconds']:.2f} s")
    row("  of which entity sync", lambda r: f"{r['reindex']['entities_s']:.2f} s")
    row("no-change check (is_stale)", lambda r: f"{r['reindex']['stale_check_ms']:.0f} ms")
    row("index size (whoosh + catalog)", lambda r: f"{r['index_mb']} MB ({r['whoosh_mb']} + "
        f"{r['index_mb'] - r['whoosh_mb']:.1f})")
    row("query median / p95 (top 20, spans)", lambda r: "{median_ms:.1f} / {p95_ms:.1f} ms".format(
        **r["query"]["first_pass"]["all"]))
    row("  same, second pass", lambda r: "{median_ms:.1f} / {p95_ms:.1f} ms".format(
        **r["query"]["second_pass"]["all"]))
    for kind in ("term", "and", "phrase", "prefix", "fuzzy", "chinese"):
        row(f"  {kind} p95", lambda r, k=kind: f"{r['query']['first_pass']['by_kind'][k]['p95_ms']:.1f} ms")
    row("first query (opens searcher)", lambda r: f"{r['query']['first_query_ms']:.0f} ms")
    row("`dossier search` process", lambda r: f"{r['cli_search']['median_ms']:.0f} ms")
    row("`dossier search --json` process", lambda r: f"{r['cli_search_json']['median_ms']:.0f} ms")
    row("peak memory: indexing", lambda r: f"{r['index']['peak_mb']:.0f} MB"
        + (f" (+ workers {r['index']['children_peak_mb']:.0f} MB)" if r['index']['children_peak_mb'] else ""))
    row("peak memory: re-index", lambda r: f"{r['reindex']['peak_mb']:.0f} MB")
    row("peak memory: query loop", lambda r: f"{r['query']['peak_mb']:.0f} MB")
    return table(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated corpus sizes (default 1000,10000)")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary index directories")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--args", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase:
        phase_result(PHASES[args.phase](json.loads(args.args)))
        return 0
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    started = time.strftime("%Y-%m-%d %H:%M:%S")
    results = [bench_size(n, args.seed, args.keep) for n in sizes]
    text = render(results)
    print()
    print(text)
    for r in results:
        if r["n"] == 10_000:
            misses = []
            if r["query"]["first_pass"]["all"]["p95_ms"] >= TARGETS["query_p95_ms"]:
                misses.append("query p95")
            if r["reindex"]["seconds"] >= TARGETS["reindex_s"]:
                misses.append("re-index")
            if r["index"]["seconds"] >= TARGETS["full_index_s"]:
                misses.append("full index")
            print("targets at 10k:", "all met" if not misses else "missed: " + ", ".join(misses))
    path = save("index", {"started": started, "machine": machine(), "targets_10k": TARGETS,
                          "results": results, "table": text})
    print(f"JSON: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
