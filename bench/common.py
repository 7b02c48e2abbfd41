"""Shared helpers for the benchmarks: a Library on a throwaway index, phases in child processes,
a mixed query set, and the statistics and tables the scripts print.

Every benchmark runs its measured phases in separate child processes (``run_phase``), so each
phase's peak memory (``ru_maxrss``) is its own and no phase warms another's caches.
"""

from __future__ import annotations

import json
import os
import platform
import random
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
PYTHON = sys.executable

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))


# -- a library on a throwaway index ------------------------------------------------------------

def config_for(corpus: Path, work: Path):
    """A ``Config`` on ``corpus`` whose index, data and state all live under ``work``."""
    from index import Config

    return Config(corpus=Path(corpus).resolve(), index_dir=work / "index", data_dir=work / "data",
                  state_dir=work / "state")


def library_for(corpus: Path, work: Path):
    from index import Library

    return Library(config_for(corpus, work))


def write_config_yaml(corpus: Path, work: Path) -> Path:
    """A config.yaml for the ``dossier`` command pointing at the same places as ``config_for``."""
    path = work / "config.yaml"
    path.write_text(
        f"corpus: {json.dumps(str(Path(corpus).resolve()))}\n"
        f"index_dir: {json.dumps(str(work / 'index'))}\n"
        f"data_dir: {json.dumps(str(work / 'data'))}\n"
        f"state_dir: {json.dumps(str(work / 'state'))}\n"
    )
    return path


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


# -- phases in child processes -----------------------------------------------------------------

def peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident memory in MB (``ru_maxrss`` is in KB on Linux)."""
    return resource.getrusage(who).ru_maxrss / 1024


def run_phase(script: Path, phase: str, args: dict, timeout: float = 1800) -> dict:
    """Run ``script --phase PHASE --args JSON`` in a child process; its last stdout line is JSON."""
    cmd = [PYTHON, str(script), "--phase", phase, "--args", json.dumps(args)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"phase {phase} failed (exit {proc.returncode})")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def phase_result(data: dict) -> None:
    """Print a phase's result as the child's last line, with its peak memory added."""
    data.setdefault("peak_mb", round(peak_mb(), 1))
    data.setdefault("children_peak_mb", round(peak_mb(resource.RUSAGE_CHILDREN), 1))
    for key, who in (("cpu_s", resource.RUSAGE_SELF), ("children_cpu_s", resource.RUSAGE_CHILDREN)):
        usage = resource.getrusage(who)
        data.setdefault(key, round(usage.ru_utime + usage.ru_stime, 1))
    print(json.dumps(data))


def timed_process(cmd: list[str], runs: int = 5, env: dict | None = None) -> dict:
    """Wall time of a whole command, ``runs`` times: median and all runs, in ms."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
        times.append((time.perf_counter() - start) * 1000)
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed: {proc.stderr.strip()}")
    return {"median_ms": round(statistics.median(times), 1), "runs_ms": [round(t, 1) for t in times]}


# -- statistics --------------------------------------------------------------------------------

def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0-100) by linear interpolation, as numpy's default does."""
    if not values:
        return float("nan")
    data = sorted(values)
    k = (len(data) - 1) * q / 100
    lo = int(k)
    hi = min(lo + 1, len(data) - 1)
    return data[lo] + (data[hi] - data[lo]) * (k - lo)


def summary_ms(values: list[float]) -> dict:
    return {"n": len(values), "median_ms": round(statistics.median(values), 2) if values else None,
            "p95_ms": round(percentile(values, 95), 2) if values else None,
            "max_ms": round(max(values), 2) if values else None}


def machine() -> dict:
    return {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(),
            "load_avg": [round(x, 2) for x in os.getloadavg()]}


def table(rows: list[list[str]]) -> str:
    """A Markdown table; the first row is the header."""
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    line = lambda r: "| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |"  # noqa: E731
    return "\n".join([line(rows[0]), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
                     + [line(r) for r in rows[1:]])


def save(name: str, data: dict) -> Path:
    """Write ``bench/out/NAME-<time>.json`` and ``bench/out/NAME-latest.json``; returns the first."""
    OUT.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    path = OUT / f"{name}-{stamp}.json"
    path.write_text(text)
    (OUT / f"{name}-latest.json").write_text(text)
    return path


# -- the mixed query set -----------------------------------------------------------------------

STOP = set("""a an and are as at be been but by can could did do does for from had has have he her his how
i if in into is it its just more most much no not of on one or our out so than that the their them then
there these they this those to up was we were what when which who will with would you your about after
also any because before being between both each even ever here many may might must only other over
said same should some such very where while why all new now own""".split())


def mixed_queries(n: int = 200, seed: int = 1) -> list[tuple[str, str]]:
    """``(kind, query)`` pairs over the seed vocabulary: terms, AND, OR, NOT, phrases, prefixes,
    fuzzy terms, fields and Chinese, in fixed proportions and a shuffled, repeatable order."""
    from gen_corpus import load_pools

    pools = load_pools()
    rng = random.Random(seed)
    paras = pools.english + pools.cjk
    words = [w.lower() for p in paras for w in re.findall(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]", p)]
    words = [w for w in words if len(w) >= 4 and w not in STOP and "’" not in w and "'" not in w]
    common = sorted(set(words), key=lambda w: -words.count(w))[:300]
    vocab = sorted(set(words))

    def word() -> str:  # half from the common words, half from anywhere in the vocabulary
        return rng.choice(common) if rng.random() < 0.5 else rng.choice(vocab)

    def phrase() -> str:
        while True:
            tokens = re.findall(r"[A-Za-z]+", rng.choice(pools.english))
            if len(tokens) < 4:
                continue
            k = rng.choice((2, 2, 3))
            i = rng.randrange(len(tokens) - k)
            return " ".join(tokens[i : i + k])

    cjk_runs = [m for p in pools.cjk for m in re.findall(r"[\u4e00-\u9fff]{2,}", p)]

    def chinese() -> str:
        run = rng.choice(cjk_runs)
        k = rng.randint(2, min(4, len(run)))
        i = rng.randrange(len(run) - k + 1)
        return run[i : i + k]

    stems = ["sanction", "innovating", "investors", "regulated", "chips", "models", "founded", "trading"]
    plan = [
        ("term", 44, lambda: word()),
        ("stem", 8, lambda: stems.pop() if stems else word()),
        ("and", 26, lambda: f"{word()} {word()}" if rng.random() < 0.6 else f"{word()} AND {word()}"),
        ("or", 16, lambda: f"{word()} OR {word()}"),
        ("not", 8, lambda: f"{word()} NOT {word()}"),
        ("phrase", 34, lambda: f'"{phrase()}"'),
        ("prefix", 30, lambda: word()[: rng.randint(3, 5)] + "*"),
        ("fuzzy", 14, lambda: word() + "~"),
        ("field", 10, lambda: rng.choice((f"title:{word()}", f"{word()} date:[2024-01-01 TO 2024-12-31]",
                                           f"author:{rng.choice(('chen', 'wang', 'smith', 'liu'))}"))),
        ("chinese", 10, chinese),
    ]
    out = [(kind, make()) for kind, count, make in plan for _ in range(count)]
    rng.shuffle(out)
    return out[:n]
