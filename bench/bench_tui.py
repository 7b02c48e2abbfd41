"""Browser benchmark: process start to first screen, and keypress to updated list while typing.

First screen: the installed ``dossier`` command is started in a pseudo-terminal (120x40) on an
indexed corpus; we time from spawn to the first frame (the footer drawn) and to the first full
screen (the status line shows the document count, so the list is filled). Each run starts with no
saved session. Then ``q`` and the exit are timed too.

Typing: the app runs in-process (headless, the same code path as in a terminal up to the driver);
queries from the mixed query set are typed one key at a time, and for every keystroke we time from
the key event reaching the app to the list showing the rows of exactly that prefix (stale results
for older prefixes do not count; a keystroke's list is its top QUICK_LIMIT hits, the rest follows
when typing pauses, see tui/screens/engine.py). "Library.search alone" is the same prefixes through
the engine at that limit, in the same process afterwards: the engine's share of the latency. ``--burst`` also types at 30 ms a key, like a fast typist, and
times the last key of each query.

    /work/venv/bin/python bench/bench_tui.py                    # seeds and N = 10,000
    /work/venv/bin/python bench/bench_tui.py --sizes seeds --runs 5

The 10,000-document corpus is bench/corpus-10000 (``gen_corpus.py``), indexed once into
bench/out/tui-10000 and kept. Results: a table on stdout, JSON in bench/out/tui-<time>.json.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pty
import select
import shutil
import signal
import struct
import subprocess
import sys
import termios
import fcntl
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    HERE, OUT, ROOT, library_for, machine, mixed_queries, save, summary_ms, table, write_config_yaml,
)

DOSSIER = shutil.which("dossier") or str(Path(sys.executable).with_name("dossier"))
TARGETS = {"first_screen_seeds_ms": 800, "keypress_p95_10k_ms": 100}


def corpus_and_work(size: str) -> tuple[Path, Path]:
    if size == "seeds":
        return ROOT / "seeds", OUT / "tui-seeds"
    corpus = HERE / f"corpus-{size}"
    if not corpus.exists():
        subprocess.run([sys.executable, str(HERE / "gen_corpus.py"), size], check=True)
    return corpus, OUT / f"tui-{size}"


def ensure_index(corpus: Path, work: Path) -> float:
    work.mkdir(parents=True, exist_ok=True)
    lib = library_for(corpus, work)
    start = time.perf_counter()
    if lib.is_stale():
        lib.update()
    return time.perf_counter() - start


# -- first screen, in a pseudo-terminal ------------------------------------------------------------

def first_screen(config: Path, state: Path, width: int = 120, height: int = 40, timeout: float = 30.0) -> dict:
    """One start: ms to the first frame, to the full first screen, and from ``q`` to exit."""
    shutil.rmtree(state, ignore_errors=True)
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(width), "LINES": str(height)}
    env.pop("NO_COLOR", None)
    start = time.perf_counter()
    proc = subprocess.Popen([DOSSIER, "--config", str(config)], stdin=slave, stdout=slave, stderr=slave,
                            env=env, start_new_session=True, close_fds=True)
    os.close(slave)
    seen = b""
    marks: dict[str, float] = {}
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            seen += chunk
            now = (time.perf_counter() - start) * 1000
            if "frame" not in marks and b"palette" in seen:
                marks["frame"] = now
            if b" documents" in seen and b"Opening the index" not in seen[-4000:]:
                marks["screen"] = now
                break
        quit_at = time.perf_counter()
        os.write(master, b"q")
        deadline = time.perf_counter() + 10
        while proc.poll() is None and time.perf_counter() < deadline:
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    os.read(master, 65536)
                except OSError:
                    break
        proc.wait(timeout=10)
        marks["quit"] = (time.perf_counter() - quit_at) * 1000
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        os.close(master)
    if "screen" not in marks:
        raise SystemExit(f"no first screen within {timeout} s; output tail: {seen[-500:]!r}")
    return marks


# -- keypress to updated list, in-process ----------------------------------------------------------

async def typing(corpus: Path, work: Path, queries: list[str], burst: bool) -> dict:
    from textual import events
    from textual.worker import WorkerCancelled

    from tui.app import DossierApp
    from tui.screens.engine import QUICK_LIMIT
    from tui.widgets.document_list import DocumentList
    from tui.widgets.search_bar import SearchBar

    shutil.rmtree(work / "state", ignore_errors=True)
    shown: dict[str, float] = {}
    original = DocumentList.show_rows

    def timed(self, rows, placeholder="", keep=None, extend=False):
        # show_rows is what the ListLoaded handler calls once the results are current (stale
        # ones are dropped before it): the moment the list changes on screen. The first call
        # for a query counts (the rest of the hits may follow when typing pauses).
        original(self, rows, placeholder, keep, extend)
        shown.setdefault(self.screen.search_query, time.perf_counter())

    DocumentList.show_rows = timed
    app = DossierApp(library_for(corpus, work))
    per_key: list[float] = []
    last_key: list[float] = []
    async def settle(pilot) -> None:
        for _ in range(3):
            try:
                await app.workers.wait_for_complete()
            except WorkerCancelled:  # an older search, replaced by a newer one: as intended
                pass
            await pilot.pause()

    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        bar = app.screen.query_one(SearchBar)
        for query in queries:
            bar.value = ""
            app.screen.set_focus(bar)
            await settle(pilot)
            shown.clear()
            sent: dict[str, float] = {}
            for i, char in enumerate(query):
                prefix = query[: i + 1]
                sent[prefix] = time.perf_counter()
                app.post_message(events.Key("space" if char == " " else char, char))
                if burst:
                    await asyncio.sleep(0.03)
                    continue
                if prefix.strip() == query[:i].strip():
                    continue  # a trailing space searches the same words: nothing new to show
                while prefix not in shown and time.perf_counter() - sent[prefix] < 10:
                    await asyncio.sleep(0.001)
                if prefix in shown:
                    per_key.append((shown[prefix] - sent[prefix]) * 1000)
            if burst:
                while query not in shown and time.perf_counter() - sent[query] < 10:
                    await asyncio.sleep(0.001)
                if query in shown:
                    last_key.append((shown[query] - sent[query]) * 1000)
    DocumentList.show_rows = original
    if burst:
        return {"burst_last_key": summary_ms(last_key)}
    # The same prefixes straight through Library.search (warm, same process): the engine's share.
    lib = library_for(corpus, work)
    engine = []
    for query in queries:
        for i in range(len(query)):
            prefix = query[: i + 1]
            if prefix.strip() and prefix.strip() != query[:i].strip():
                start = time.perf_counter()
                lib.search(prefix, min(lib.config.search_limit, QUICK_LIMIT))
                engine.append((time.perf_counter() - start) * 1000)
    return {"per_key": summary_ms(per_key), "engine_search": summary_ms(engine)}


def typed_queries(n: int) -> list[str]:
    """Queries a person types into a search box: words, two words, a phrase, Chinese."""
    picked = [q for kind, q in mixed_queries(400, seed=3) if kind in ("term", "and", "phrase", "chinese", "stem")]
    return picked[:n]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="seeds,10000", help="comma-separated: seeds and/or N")
    parser.add_argument("--runs", type=int, default=10, help="process starts per corpus")
    parser.add_argument("--queries", type=int, default=30, help="queries typed per corpus")
    parser.add_argument("--burst", action="store_true", help="also type at 30 ms a key")
    args = parser.parse_args(argv)

    results: dict = {"machine": machine(), "targets": TARGETS, "corpora": {}}
    rows = [["corpus", "first frame median/p95", "first screen median/p95", "quit median",
             "keypress→list median/p95/max", "Library.search alone median/p95", "burst last key median/p95"]]
    for size in args.sizes.split(","):
        corpus, work = corpus_and_work(size.strip())
        index_s = ensure_index(corpus, work)
        config = write_config_yaml(corpus, work)
        first_screen(config, work / "state")  # warm the page cache once
        starts = [first_screen(config, work / "state") for _ in range(args.runs)]
        out = {
            "index_s_if_built": round(index_s, 1),
            "first_frame": summary_ms([s["frame"] for s in starts if "frame" in s]),
            "first_screen": summary_ms([s["screen"] for s in starts]),
            "quit": summary_ms([s["quit"] for s in starts]),
        }
        queries = typed_queries(args.queries)
        out.update(asyncio.run(typing(corpus, work, queries, burst=False)))
        if args.burst:
            out.update(asyncio.run(typing(corpus, work, queries, burst=True)))
        results["corpora"][size] = out
        keys = out["per_key"]
        burst = out.get("burst_last_key", {})
        rows.append([
            size,
            f"{out['first_frame']['median_ms']} / {out['first_frame']['p95_ms']} ms",
            f"{out['first_screen']['median_ms']} / {out['first_screen']['p95_ms']} ms",
            f"{out['quit']['median_ms']} ms",
            f"{keys['median_ms']} / {keys['p95_ms']} / {keys['max_ms']} ms (n={keys['n']})",
            f"{out['engine_search']['median_ms']} / {out['engine_search']['p95_ms']} ms",
            f"{burst.get('median_ms')} / {burst.get('p95_ms')} ms" if burst else "-",
        ])
    print(table(rows))
    path = save("tui", results)
    print(f"\nJSON: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
